/* browser.js - runcare serve's page in a real browser (Debian's chromium,
 * headless, driven by playwright-core), run by tests/cli/t_serve_browser.sh
 * against a server it started on the demo athlete. Prints one line per
 * check, "PASS what" or "FAIL what: why"; the shell turns them into TAP.
 *
 * Environment: URL (the server), RUNCARE and DB (the CLI on the same log,
 * for comparisons), CHROMIUM (the browser), MODULES (node_modules with
 * playwright-core and axe-core), SHOTS (where screenshots go), GPX (a file
 * to upload), GPX_DATE (its local date). */
'use strict';
const path = require('path');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { chromium } = require(path.join(process.env.MODULES, 'playwright-core'));
const axeSource = fs.readFileSync(path.join(process.env.MODULES, 'axe-core', 'axe.min.js'), 'utf8');

const URL = process.env.URL;
let failed = 0;
function pass(what) { console.log('PASS ' + what); }
function fail(what, why) { failed++; console.log('FAIL ' + what + ': ' + String(why).replace(/\n/g, ' ')); }
async function test(what, fn) {
  try { await fn(); pass(what); } catch (e) { fail(what, e && e.message ? e.message : e); }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }
function cli(...args) {
  return execFileSync(process.env.RUNCARE, ['--db', process.env.DB, ...args],
                      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/* axe-core on the page as it is: no serious or critical violation */
async function axe(page, what) {
  await test(`axe-core: no serious or critical violation on ${what}`, async () => {
    await page.evaluate(axeSource + '\n;0');
    const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = res.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
    assert(!bad.length, bad.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`).join('; '));
  });
}

/* Tab from the top through the page: every control is reached */
async function keyboard(page, what) {
  await test(`keyboard alone reaches every control on ${what}`, async () => {
    const ids = await page.evaluate(() => {
      const els = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
        .filter(e => !e.disabled && e.offsetParent !== null && e.type !== 'hidden');
      els.forEach((e, i) => e.setAttribute('data-kb', String(i)));
      document.activeElement && document.activeElement.blur();
      return els.length;
    });
    const seen = new Set();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.keyboard.press('Tab'); // from the document start
    for (let i = 0; i < ids * 2 + 10 && seen.size < ids; i++) {
      const k = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-kb'));
      if (k !== null) seen.add(k);
      await page.keyboard.press('Tab');
    }
    assert(seen.size === ids, `reached ${seen.size} of ${ids} controls`);
  });
}

async function shots(page, name) {
  for (const w of [1280, 390]) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.screenshot({ path: path.join(process.env.SHOTS, `${name}-${w}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/* the screenshots of a page, then axe-core and the keyboard on it */
async function audit(page, name, what) {
  await shots(page, name);
  await axe(page, what);
  await keyboard(page, what);
}

/* one answer per question, the same every time */
async function answer(page) {
  const kind = await page.evaluate(() => {
    const f = document.querySelector('#question');
    if (f.querySelector('input[type=radio]')) return 'radio';
    if (f.querySelector('input[type=checkbox]')) return 'checkbox';
    if (f.querySelector('input[type=number]')) return 'number';
    return 'text';
  });
  if (kind === 'text') await page.fill('#question input', 'both calves');
  else if (kind === 'number') {
    const min = Number(await page.getAttribute('#question input', 'min'));
    await page.fill('#question input', String(Math.max(min, 1)));
  } else if (kind === 'radio') {
    const labels = await page.$$eval('#question label', ls => ls.map(l => l.textContent));
    const pick = labels.indexOf('No') >= 0 ? labels.indexOf('No')
      : labels.indexOf('Not sure') >= 0 ? labels.indexOf('Not sure') : 0;
    await page.locator('#question label').nth(pick).click();
  } // checkboxes: none ticked
  await page.click('#check-form button[type=submit]');
}

/* answer every question of the form until it has no more; how many */
async function answerAll(page) {
  let n = 0;
  while (await page.$('#check-form') && n++ < 80) {
    const legend = await page.textContent('#question legend');
    await answer(page);
    await page.waitForFunction(l => !document.querySelector('#question legend') ||
      document.querySelector('#question legend').textContent !== l, legend);
  }
  return n;
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', e => problems.push(e.message));
  page.setDefaultTimeout(15000);

  await test('the dashboard renders the demo athlete\'s load chart', async () => {
    await page.goto(URL);
    await page.waitForSelector('#load-chart svg');
    const title = await page.textContent('#load-chart svg title');
    assert(/Weekly running load/.test(title), 'chart title: ' + title);
    const marks = await page.$$('#load-chart svg circle');
    assert(marks.length >= 1, 'no warning marks on the chart');
    const warn = await page.textContent('#warn-h');
    assert(/Warnings \([1-9]/.test(warn), 'warnings heading: ' + warn);
    assert(/does not replace a clinician/.test(await page.textContent('footer')), 'no safety text');
    const due = await page.textContent('#check-in');
    assert(/check-in/i.test(due) && /follow-up/.test(due), 'the check-in due from the diary: ' + due);
  });
  await audit(page, 'dashboard', 'the dashboard');

  await test('activities: the list with paging', async () => {
    await page.goto(URL + '#/activities');
    await page.waitForSelector('#activity-rows tr');
    const n = await page.$$eval('#activity-rows tr', r => r.length);
    assert(n === 20, `${n} rows on the first page`);
    await page.click('text=Older');
    await page.waitForFunction(() => location.hash.includes('offset=20'));
    await page.waitForSelector('#activity-rows tr');
  });
  await audit(page, 'activities', 'the activities');

  await test('a run\'s page edits its RPE as runcare rpe does', async () => {
    await page.goto(URL + '#/activity/1');
    await page.waitForSelector('#rpe-form');
    assert(await page.$('figure svg polyline.pace'), 'no pace chart');
    await page.fill('#rpe', '7');
    await page.click('#rpe-form button');
    await page.waitForFunction(() => /Saved: RPE 7/.test(document.querySelector('#rpe-msg').textContent));
    const list = JSON.parse(cli('list', '--json'));
    assert(list.find(a => a.id === 1).rpe === 7, 'list --json does not show RPE 7');
  });
  await test('renaming a run on its page shows in runcare list --json', async () => {
    await page.fill('#edit-name', 'Hill reps');
    await page.click('#edit-form button');
    await page.waitForFunction(() => /Saved: "Hill reps"/.test(document.querySelector('#edit-msg').textContent));
    const a = JSON.parse(cli('list', '--json')).find(x => x.id === 1);
    assert(a.name === 'Hill reps', 'list --json names it ' + a.name);
    assert(await page.textContent('#fact-name') === 'Hill reps', 'the page still shows the old name');
  });
  await test('removing a run on its page takes it out of the list, undo brings it back', async () => {
    const n = JSON.parse(cli('list', '--json')).length;
    await page.click('#rm-btn');
    await page.waitForSelector('#undo-btn:not([hidden])');
    assert(JSON.parse(cli('list', '--json')).length === n - 1, 'still in list --json');
    await page.click('#undo-btn');
    await page.waitForFunction(() => /Undid 'rm 1'/.test(document.querySelector('#rm-msg').textContent));
    assert(JSON.parse(cli('list', '--json')).length === n, 'not back in list --json');
  });
  await page.reload();
  await page.waitForSelector('#edit-form');
  await audit(page, 'activity', 'a run\'s page');

  await test('an upload imports a file and it appears in the list', async () => {
    await page.goto(URL + '#/import');
    await page.waitForSelector('#files');
    await page.setInputFiles('#files', process.env.GPX);
    await page.waitForSelector('#import-results pre.summary');
    const text = await page.textContent('#import-results');
    assert(/imported 1 file \(1 new activity\)/.test(text), text);
    await page.goto(URL + '#/activities?since=' + process.env.GPX_DATE + '&until=' + process.env.GPX_DATE);
    await page.waitForSelector('#activity-rows tr');
    const rows = await page.$$eval('#activity-rows tr', r => r.map(x => x.textContent));
    assert(rows.some(r => r.includes(process.env.GPX_DATE)), 'not in the list: ' + rows.join(' | '));
  });
  await page.goto(URL + '#/import');
  await page.waitForSelector('#files');
  await audit(page, 'import', 'the import page');

  await test('an emergency answer stops the check with the advice', async () => {
    await page.goto(URL + '#/check');
    await page.waitForSelector('#question');
    await page.fill('#question input', 'left calf');
    await page.click('#check-form button[type=submit]');
    await page.waitForFunction(() => /chest pain/.test(document.querySelector('#question').textContent));
    await page.locator('#question label', { hasText: 'chest pain' }).first().click();
    await page.click('#check-form button[type=submit]');
    await page.waitForSelector('#emergency');
    const t = await page.textContent('#emergency');
    assert(/emergency/i.test(t) && /questions stop here/.test(t), t);
    assert(!(await page.$('#check-form')), 'the form is still there');
  });
  await shots(page, 'check-emergency');
  await axe(page, 'the emergency stop');

  await test('a check through the form gives the level and conditions of runcare check', async () => {
    await page.click('#emergency ~ p button'); // start again

    await page.waitForSelector('#question');
    await shots(page, 'check-question');
    const n = await answerAll(page);
    await page.waitForSelector('#check-submit');
    await page.uncheck('#save');
    await page.click('#check-submit button');
    await page.waitForSelector('#level');
    const level = (await page.textContent('#level')).replace(' ', '_');
    const conds = await page.$$eval('#conditions > li', l => l.map(x => x.getAttribute('data-id')));
    const report = await page.textContent('#check-report');
    const file = path.join(process.env.SHOTS, 'check-report.json');
    fs.writeFileSync(file, report);
    const res = JSON.parse(cli('check', '--json', '--no-save', file));
    assert(res.triage === level, `page ${level}, runcare check ${res.triage}`);
    const want = res.conditions.slice(0, 5).map(c => c.id);
    assert(JSON.stringify(want) === JSON.stringify(conds), `page ${conds}, runcare check ${want}`);
    assert(/does not replace/.test(await page.textContent('main')), 'no disclaimer in the answer');
    assert(n > 5, `only ${n} questions`);
  });
  await audit(page, 'check-result', 'the check\'s answer');

  await test('the diary page renders the course chart, the reports and the plan', async () => {
    await page.goto(URL + '#/diary');
    await page.waitForSelector('#diary-chart svg');
    const d = JSON.parse(cli('diary', '--json'));
    const rows = await page.$$eval('#diary-rows tr', r => r.length);
    assert(rows === d.entries.length, `${rows} rows, diary --json has ${d.entries.length}`);
    assert(await page.$('#diary-chart svg path, #diary-chart svg polyline, #diary-chart svg circle'), 'an empty chart');
    const plan = await page.textContent('#plan');
    assert(/Sources/.test(plan) && /does not replace/.test(plan), 'the plan without sources or disclaimer');
  });
  await audit(page, 'diary', 'the diary');

  await test('the plan page shows the step of now and the next one of runcare plan --json', async () => {
    await page.goto(URL + '#/plan');
    await page.waitForSelector('#plan');
    const p = JSON.parse(cli('plan', '--json'));
    const now = await page.$$eval('#plan-now section', s => s.length);
    assert(now === p.now.length, `${now} steps now on the page, plan --json has ${p.now.length}`);
    if (p.next) {
      const next = await page.textContent('#plan-next h3');
      assert(next.startsWith(p.next.label), `next: page ${next}, plan --json ${p.next.label}`);
    }
    const srcs = await page.$$eval('#plan ul.sources li', l => l.length);
    assert(srcs === p.advice_sources.length, `${srcs} sources, plan --json has ${p.advice_sources.length}`);
  });
  await audit(page, 'plan', 'the plan');

  await page.goto(URL + '#/diary');
  await page.waitForSelector('#follow-up-link');
  await test('an emergency answer stops the follow-up with the advice', async () => {
    await page.click('#follow-up-link');
    await page.waitForSelector('#question');
    const legend = await page.textContent('#question legend');
    assert(/^1\. .*chest pain/.test(legend), 'the safety screen is not first: ' + legend);
    await page.locator('#question label', { hasText: 'Yes' }).first().click();
    await page.click('#check-form button[type=submit]');
    await page.waitForSelector('#emergency');
    assert(/questions stop here/.test(await page.textContent('#emergency')), 'no advice');
    assert(!(await page.$('#check-form')), 'the form is still there');
  });

  await test('a follow-up through the form is saved as runcare diary --json shows it', async () => {
    const before = JSON.parse(cli('diary', '--json')).entries.length;
    await page.click('#emergency ~ p button'); // start again
    await page.waitForSelector('#question');
    await shots(page, 'follow-up-question');
    await answerAll(page);
    await page.waitForSelector('#follow-up-submit');
    assert(JSON.parse(cli('diary', '--json')).entries.length === before, 'kept before it was sent');
    await page.click('#follow-up-submit button');
    await page.waitForSelector('#follow-up-saved');
    const saved = await page.textContent('#follow-up-saved');
    const id = Number(/report (\d+)/.exec(saved)[1]);
    const d = JSON.parse(cli('diary', '--json'));
    const e = d.entries[d.entries.length - 1];
    assert(d.entries.length === before + 1 && e.id === id, `diary --json ends with ${e.id}, the page says ${id}`);
    assert(e.follows === d.entries[0].id, 'it does not follow the check');
    const level = (await page.textContent('#level')).replace(' ', '_');
    assert(level === e.triage, `page ${level}, diary --json ${e.triage}`);
    assert(await page.$('#plan'), 'no plan after the follow-up');
  });
  await audit(page, 'follow-up-result', 'the follow-up\'s answer');

  await test('no script error and no CSP refusal on any page', async () => {
    assert(!problems.length, problems.slice(0, 3).join(' | '));
  });
  await browser.close();
  process.exit(failed ? 1 : 0);
})().catch(e => { console.log('FAIL the browser run: ' + e.message.replace(/\n/g, ' ')); process.exit(1); });
