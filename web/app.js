/* app.js - runcare's page: plain JavaScript, no framework, nothing fetched
 * but runcare's own /api/ on this machine. One view per #/route; every
 * figure and sentence comes from the API (the same app functions as the
 * command line); this file only lays them out. Text from the log is
 * always set as text, never as HTML. */
'use strict';

const SVGNS = 'http://www.w3.org/2000/svg';
let token = null;

/* ---- small helpers ---- */

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids) if (k !== null && k !== undefined)
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

function svgEl(tag, attrs) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function main() { return document.getElementById('main'); }

function show(title, ...kids) {
  const m = main();
  m.replaceChildren(el('h1', { text: title }), ...kids);
  document.title = title + ' - runcare';
  m.focus({ preventScroll: true });
}

function errorText(e) {
  return e && e.message ? e.message : String(e);
}

function errorBox(e) {
  return el('p', { class: 'error', role: 'alert', text: errorText(e) });
}

/* fetch JSON; a 4xx/5xx throws the API's message (the CLI's words) */
async function api(method, path, body, opts) {
  const headers = {};
  let data = body;
  if (method !== 'GET') {
    if (!token) token = (await api('GET', '/api/token')).token;
    headers['X-Runcare-Token'] = token;
    if (body !== undefined && !(body instanceof Blob)) {
      headers['Content-Type'] = 'application/json';
      data = JSON.stringify(body);
    }
  }
  const r = await fetch(path, { method, headers, body: data,
                                credentials: 'same-origin' });
  const type = r.headers.get('Content-Type') || '';
  const out = type.startsWith('application/json') ? await r.json() : await r.text();
  if (!r.ok && !(opts && opts.keep)) {
    const err = new Error(out && out.error ? out.error.message : 'HTTP ' + r.status);
    err.status = r.status;
    err.body = out;
    throw err;
  }
  return out;
}

/* an SVG the API drew, inline in fig (no <img>: its text stays readable) */
async function inlineSvg(fig, path) {
  const text = await api('GET', path);
  const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
  if (svg && svg.nodeName === 'svg') fig.append(document.importNode(svg, true));
  return fig;
}

/* "2024-06-07 12:00 UTC", as the command line writes a time */
function when(iso) { return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '-'; }

function km(m) { return m === null || m === undefined ? '-' : (m / 1000).toFixed(2); }

function duration(s) {
  if (s === null || s === undefined) return '-';
  s = Math.round(s);
  const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, x = s % 60;
  const mm = String(m).padStart(h ? 2 : 1, '0'), xx = String(x).padStart(2, '0');
  return h ? `${h}:${mm}:${xx}` : `${mm}:${xx}`;
}

function pace(sPerKm) {
  if (!sPerKm || !isFinite(sPerKm)) return '-';
  const s = Math.round(sPerKm);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function actPace(a) {
  const t = a.moving_s || a.timer_s || a.elapsed_s;
  return a.distance_m > 0 && t ? pace(t / (a.distance_m / 1000)) : '-';
}

/* ---- dashboard ---- */

async function viewDashboard() {
  const load = await api('GET', '/api/load');
  if (!load.activities) {
    show('Dashboard', el('p', { text: 'No runs in your log yet.' }),
         el('p', {}, el('a', { href: '#/import', text: 'Import your watch files or a Strava/Garmin export' }),
            ' to see your load, warnings and how far you can safely run next.'));
    return;
  }
  const chart = await inlineSvg(el('figure', { class: 'chart card', id: 'load-chart' }), '/api/load/chart');

  const cap = el('section', { class: 'card', 'aria-labelledby': 'cap-h' },
    el('h2', { id: 'cap-h', text: 'Next run' }),
    el('p', { class: 'big', text: load.next_run_cap_km !== null
      ? `at most ${load.next_run_cap_km.toFixed(1)} km` : 'no cap yet' }),
    el('p', { class: 'muted', text: load.next_run_cap_reason || '' }));

  const week = el('section', { class: 'card', 'aria-labelledby': 'week-h' },
    el('h2', { id: 'week-h', text: 'Last 7 days' }),
    el('p', { class: 'big', text: `${load.last7_km.toFixed(1)} km` }),
    el('p', { class: 'muted', text: `the 7 before: ${load.prev7_km.toFixed(1)} km` +
      (load.weekly_change_pct !== null ? ` (${load.weekly_change_pct > 0 ? '+' : ''}${load.weekly_change_pct.toFixed(0)}%)` : '') }),
    el('p', { class: 'muted', text: `fitness ${(7 * load.fitness).toFixed(0)} km/week, fatigue ${(7 * load.fatigue).toFixed(0)} km/week` }));

  const warnings = el('section', { 'aria-labelledby': 'warn-h' },
    el('h2', { id: 'warn-h', text: `Warnings (${load.warnings.length})` }));
  if (!load.warnings.length)
    warnings.append(el('p', { text: 'No warnings in these weeks.' }));
  for (const w of load.warnings)
    warnings.append(el('div', { class: 'card warn' },
      el('p', {}, el('strong', { text: `${w.run_date}: ${w.id.replace(/_/g, ' ')}` })),
      el('p', { text: w.text }),
      el('p', { class: 'muted', text: 'Sources: ' + w.source_ids.join(', ') })));

  const shoes = el('section', { 'aria-labelledby': 'shoes-h' },
    el('h2', { id: 'shoes-h', text: 'Shoes' }));
  if (!load.shoes.length) shoes.append(el('p', { class: 'muted', text: 'No shoes yet.' }));
  for (const s of load.shoes) {
    const p = el('p', {}, `${s.name}: ${s.km.toFixed(0)} km`,
      s.limit_km ? ` of ${s.limit_km.toFixed(0)} km` : '');
    if (s.past_limit) p.append(' ', el('span', { class: 'bad', text: 'past its limit' }));
    shoes.append(p);
  }
  const checkin = el('section', { 'aria-labelledby': 'checkin-h' },
    el('h2', { id: 'checkin-h', text: 'Check-in' }));
  const due = await checkInDue();
  if (due) checkin.append(due);
  checkin.append(el('p', {}, 'Legs aching after a run? ',
       el('a', { href: '#/check', text: 'Start the leg-pain check' }),
       ' (about two minutes).'));
  show('Dashboard', chart, el('div', { class: 'grid' }, cap, week), warnings,
       shoes, checkin);
}

/* the diary's next check-in, as `runcare diary` says it; null: none due */
function checkInText(c) {
  if (!c || c.state === 'none') return null;
  return c.state === 'overdue' ? `Check-in overdue since ${when(c.due_at)}`
                               : `Next check-in: ${when(c.due_at)}`;
}

async function checkInDue() {
  let d;
  try { d = await api('GET', '/api/diary'); } catch (e) { return null; }
  const t = checkInText(d.check_in);
  return t ? el('p', { id: 'check-in', class: d.check_in.state === 'overdue' ? 'bad' : null }, t, ': ',
                el('a', { href: '#/follow-up', text: 'answer the follow-up' })) : null;
}

/* ---- activities ---- */

const PAGE = 20;

async function viewActivities(params) {
  const q = new URLSearchParams(params);
  const offset = Number(q.get('offset') || 0);
  const query = new URLSearchParams({ limit: PAGE, offset });
  for (const k of ['since', 'until', 'sport']) if (q.get(k)) query.set(k, q.get(k));
  const form = el('form', { class: 'inline card', id: 'filters' },
    el('div', {}, el('label', { for: 'f-since', text: 'From' }),
       el('input', { id: 'f-since', name: 'since', type: 'date', value: q.get('since') || '' })),
    el('div', {}, el('label', { for: 'f-until', text: 'To' }),
       el('input', { id: 'f-until', name: 'until', type: 'date', value: q.get('until') || '' })),
    el('div', {}, el('label', { for: 'f-sport', text: 'Sport' }),
       el('select', { id: 'f-sport', name: 'sport' },
          ...['', 'running', 'walking', 'cycling', 'hiking'].map(s =>
            el('option', { value: s, selected: q.get('sport') === s, text: s || 'every sport' })))),
    el('button', { type: 'submit', text: 'Filter' }));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const f = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) f.set(k, v);
    location.hash = '#/activities?' + f.toString();
  });
  let list;
  try {
    list = await api('GET', '/api/activities?' + query.toString());
  } catch (e) {
    show('Activities', form, errorBox(e));
    return;
  }
  const rows = list.activities.map(a => el('tr', {},
    el('td', {}, el('a', { href: `#/activity/${a.id}`, text: a.local_date || 'undated' })),
    el('td', { text: a.sport }),
    el('td', { class: 'num', text: km(a.distance_m) }),
    el('td', { class: 'num', text: duration(a.timer_s || a.elapsed_s) }),
    el('td', { class: 'num', text: actPace(a) }),
    el('td', { class: 'num', text: a.rpe === null ? '-' : a.rpe }),
    el('td', { text: a.shoe || '-' }),
    el('td', { text: a.name || '' })));
  const table = el('div', { class: 'table-wrap' }, el('table', {},
    el('caption', { class: 'muted', text: `${list.total} activities, newest first` }),
    el('thead', {}, el('tr', {}, ...['Date', 'Sport', 'km', 'Time', 'Pace /km', 'RPE', 'Shoe', 'Name']
      .map((h, i) => el('th', { scope: 'col', class: i >= 2 && i <= 5 ? 'num' : null, text: h })))),
    el('tbody', { id: 'activity-rows' }, ...rows)));
  const nav = el('nav', { 'aria-label': 'Pages', class: 'inline' });
  const go = o => { const f = new URLSearchParams(q); f.set('offset', o); location.hash = '#/activities?' + f; };
  if (offset > 0) nav.append(el('button', { type: 'button', class: 'secondary', text: 'Newer', onclick: () => go(Math.max(0, offset - PAGE)) }));
  if (offset + PAGE < list.total) nav.append(' ', el('button', { type: 'button', class: 'secondary', text: 'Older', onclick: () => go(offset + PAGE) }));
  show('Activities', form, list.total ? table : el('p', { text: 'No activities match.' }), nav);
}

/* a line chart of ys over xs, inline SVG */
function lineChart(title, xs, ys, cls, fmt) {
  const pts = xs.map((x, i) => [x, ys[i]]).filter(p => p[0] !== null && p[1] !== null);
  const fig = el('figure', { class: 'card chart' });
  fig.append(el('figcaption', { text: title }));
  if (pts.length < 2) { fig.append(el('p', { class: 'muted', text: 'not recorded' })); return fig; }
  const W = 360, H = 140, L = 40, B = 20;
  const xmax = Math.max(...pts.map(p => p[0])) || 1;
  let ymin = Math.min(...pts.map(p => p[1])), ymax = Math.max(...pts.map(p => p[1]));
  if (ymax === ymin) { ymax += 1; ymin -= 1; }
  const sx = x => L + (W - L - 5) * x / xmax, sy = y => 5 + (H - B - 5) * (1 - (y - ymin) / (ymax - ymin));
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: from ${fmt(ymin)} to ${fmt(ymax)} over ${xmax.toFixed(1)} km` });
  svg.append(svgEl('line', { class: 'axis', x1: L, y1: H - B, x2: W - 5, y2: H - B }));
  for (const y of [ymin, ymax]) {
    const t = svgEl('text', { x: L - 4, y: sy(y) + 4, 'text-anchor': 'end' });
    t.textContent = fmt(y);
    svg.append(t);
  }
  const t = svgEl('text', { x: W - 5, y: H - 4, 'text-anchor': 'end' });
  t.textContent = `${xmax.toFixed(1)} km`;
  svg.append(t);
  svg.append(svgEl('polyline', { class: 'line ' + cls, points: pts.map(p => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ') }));
  fig.append(svg);
  return fig;
}

function trackShape(track) {
  const fig = el('figure', { class: 'card chart' }, el('figcaption', { text: 'Track shape (no map)' }));
  if (track.length < 2) { fig.append(el('p', { class: 'muted', text: 'no positions recorded' })); return fig; }
  const xs = track.map(p => p[0]), ys = track.map(p => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const span = Math.max(x1 - x0, y1 - y0) || 1, S = 300;
  const svg = svgEl('svg', { viewBox: `-10 -10 ${S + 20} ${S + 20}`, role: 'img', 'aria-label': `the route's shape, ${((x1 - x0) / 1000).toFixed(1)} km wide and ${((y1 - y0) / 1000).toFixed(1)} km tall` });
  svg.append(svgEl('polyline', { class: 'track', points: track.map(p => `${((p[0] - x0) / span * S).toFixed(1)},${(S - (p[1] - y0) / span * S).toFixed(1)}`).join(' ') }));
  fig.append(svg);
  return fig;
}

async function viewActivity(id) {
  let a;
  try { a = await api('GET', `/api/activities/${id}`); } catch (e) { show('Activity', errorBox(e)); return; }
  const title = `${a.sport} on ${a.local_date || 'an unknown day'}`;
  const facts = el('dl', { class: 'grid card' },
    ...[['Distance', `${km(a.distance_m)} km`], ['Time', duration(a.timer_s || a.elapsed_s)],
        ['Pace', `${actPace(a)} /km`], ['Heart rate', a.avg_hr_bpm ? `${a.avg_hr_bpm} avg, ${a.max_hr_bpm} max` : '-'],
        ['Ascent', a.ascent_m !== null ? `${a.ascent_m} m` : '-'], ['Name', a.name || '-'],
        ['Shoe', a.shoe || '-'], ['Format', a.format]]
      .map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', { id: 'fact-' + k.toLowerCase().replace(' ', '-'), text: v }))));
  const msg = el('p', { role: 'status', id: 'rpe-msg' });
  const rpe = el('input', { id: 'rpe', name: 'rpe', type: 'number', min: 0, max: 10, step: 0.5,
                            value: a.rpe === null ? '' : a.rpe, required: true });
  const form = el('form', { class: 'inline card', id: 'rpe-form' },
    el('div', {}, el('label', { for: 'rpe', text: 'Effort (RPE, 0-10)' }), rpe),
    el('button', { type: 'submit', text: 'Save effort' }), msg);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const r = await api('POST', `/api/activities/${id}/rpe`, { rpe: rpe.value });
      msg.className = '';
      msg.textContent = `Saved: RPE ${r.rpe}`;
    } catch (e) { msg.className = 'error'; msg.textContent = errorText(e); }
  });
  const s = a.series;
  show(title, facts, form, await editForm(id, a), removeForm(id),
       el('h2', { text: 'Over distance' }),
       lineChart('Pace (min/km)', s.distance_km, s.pace_s_per_km, 'pace', pace),
       lineChart('Heart rate (bpm)', s.distance_km, s.hr_bpm, 'hr', v => v.toFixed(0)),
       lineChart('Elevation (m)', s.distance_km, s.alt_m, 'alt', v => v.toFixed(0)),
       trackShape(s.track));
}

/* the run's name and shoe, as `runcare edit ID --name ... --shoe ...` */
async function editForm(id, a) {
  let shoes = [];
  try { shoes = await api('GET', '/api/shoes'); } catch (e) { /* the list stays empty */ }
  const msg = el('p', { role: 'status', id: 'edit-msg' });
  const name = el('input', { id: 'edit-name', name: 'name', type: 'text', value: a.name || '', autocomplete: 'off' });
  const shoe = el('select', { id: 'edit-shoe', name: 'shoe' },
    el('option', { value: '', text: 'no shoe', selected: !a.shoe }),
    ...shoes.filter(x => !x.retired || x.name === a.shoe).map(x =>
      el('option', { value: x.name, text: x.name, selected: x.name === a.shoe })));
  const form = el('form', { class: 'inline card', id: 'edit-form' },
    el('div', {}, el('label', { for: 'edit-name', text: 'Name' }), name),
    el('div', {}, el('label', { for: 'edit-shoe', text: 'Shoe' }), shoe),
    el('button', { type: 'submit', text: 'Save name and shoe' }), msg);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const r = await api('POST', `/api/activities/${id}/edit`, { name: name.value, shoe: shoe.value });
      msg.className = '';
      msg.textContent = `Saved: ${r.name ? '"' + r.name + '"' : 'no name'}, ${r.shoe || 'no shoe'}. Undo takes it back.`;
      document.getElementById('fact-name').textContent = r.name || '-';
      document.getElementById('fact-shoe').textContent = r.shoe || '-';
    } catch (e) { msg.className = 'error'; msg.textContent = errorText(e); }
  });
  return form;
}

/* `runcare rm ID`, and `runcare undo` to bring it back */
function removeForm(id) {
  const msg = el('p', { role: 'status', id: 'rm-msg' });
  const undo = el('button', { type: 'button', class: 'secondary', id: 'undo-btn', hidden: true, text: 'Undo' });
  const rm = el('button', { type: 'button', class: 'secondary', id: 'rm-btn', text: 'Remove this activity' });
  rm.addEventListener('click', async () => {
    try {
      await api('POST', `/api/activities/${id}/rm`);
      msg.className = '';
      msg.textContent = 'Removed: it left the lists, the load and its shoe. Undo brings it back.';
      undo.hidden = false;
      rm.disabled = true;
      undo.focus();
    } catch (e) { msg.className = 'error'; msg.textContent = errorText(e); }
  });
  undo.addEventListener('click', async () => {
    try {
      const r = await api('POST', '/api/undo');
      msg.className = '';
      msg.textContent = r.undone ? `Undid '${r.undone.command}'.` : 'Nothing to undo.';
      undo.hidden = true;
      rm.disabled = false;
    } catch (e) { msg.className = 'error'; msg.textContent = errorText(e); }
  });
  return el('div', { class: 'inline card' }, rm, ' ', undo, msg);
}

/* ---- import ---- */

function upload(file, bar) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', '/api/import?name=' + encodeURIComponent(file.name));
    x.setRequestHeader('X-Runcare-Token', token);
    x.setRequestHeader('Content-Type', 'application/octet-stream');
    x.upload.onprogress = ev => { if (ev.lengthComputable) { bar.max = ev.total; bar.value = ev.loaded; } };
    x.onload = () => {
      let body = null;
      try { body = JSON.parse(x.responseText); } catch (e) { /* not JSON */ }
      resolve({ status: x.status, body });
    };
    x.onerror = () => reject(new Error('the upload failed: is runcare serve still running?'));
    x.send(file);
  });
}

async function importFiles(files, out) {
  if (!token) token = (await api('GET', '/api/token')).token;
  for (const f of files) {
    const bar = el('progress', { max: 1, value: 0, 'aria-label': `uploading ${f.name}` });
    const state = el('p', { role: 'status', text: `Uploading ${f.name}…` });
    const card = el('div', { class: 'card' }, el('h2', { text: f.name }), bar, state);
    out.prepend(card);
    const poll = setInterval(async () => {
      if (bar.value < bar.max) return;
      try {
        const p = await api('GET', '/api/import/progress');
        if (p.importing) state.textContent = `Importing: ${p.files} files, ${(p.bytes_done / 1e6).toFixed(1)} of ${(p.bytes_total / 1e6).toFixed(1)} MB`;
      } catch (e) { /* the next poll tries again */ }
    }, 300);
    try {
      const r = await upload(f, bar);
      clearInterval(poll);
      const sum = r.body && r.body.summary;
      state.textContent = r.status < 300 ? 'Imported.' : (r.body && r.body.error ? r.body.error.message : `HTTP ${r.status}`);
      if (r.status >= 300) state.className = 'error';
      if (sum) {
        card.append(el('pre', { class: 'summary', text: sum.text }));
        for (const x of sum.failures) card.append(el('p', { class: 'error', text: `${x.path}: ${x.reason}` }));
      }
    } catch (e) {
      clearInterval(poll);
      state.textContent = errorText(e);
      state.className = 'error';
    }
  }
}

function viewImport() {
  const out = el('div', { id: 'import-results', 'aria-live': 'polite' });
  const input = el('input', { type: 'file', id: 'files', multiple: true,
                              accept: '.fit,.gpx,.tcx,.gz,.zip,.FIT,.GPX,.TCX' });
  input.addEventListener('change', () => { importFiles([...input.files], out); input.value = ''; });
  const drop = el('div', { class: 'drop', id: 'drop' },
    el('p', { text: 'Drop FIT, GPX or TCX files, .gz files or a Strava or Garmin export zip here,' }),
    el('label', { for: 'files', text: 'or choose files:' }), input);
  drop.addEventListener('dragover', ev => { ev.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', ev => {
    ev.preventDefault();
    drop.classList.remove('over');
    importFiles([...ev.dataTransfer.files], out);
  });
  show('Import', drop,
       el('p', { class: 'muted', text: 'Files go only to runcare on this machine. A file already in the log is not added twice.' }),
       out);
}

/* ---- the questionnaires: the check and the follow-up ----
 * The server keeps no state between questions: the page sends back the
 * report so far and the questions asked, with the answer in words. */

const quiz = { path: '', title: '', intro: '', report: {}, asked: [], done: null, restart: null };

function startQuiz(o) {
  Object.assign(quiz, o, { report: {}, asked: [] });
  return quizStep(null);
}

function answerControl(q) {
  const box = el('fieldset', { id: 'question' }, el('legend', { text: `${q.number}. ${q.text}` }));
  const name = 'q-' + q.id;
  const opt = (value, text, type, i) => el('label', { class: 'choice' },
    el('input', { type, name, value, id: `${name}-${i}` }), text);
  if (q.kind === 'bool') {
    box.append(opt('y', 'Yes', 'radio', 0), opt('n', 'No', 'radio', 1));
    if (!q.required) box.append(opt('?', 'Not sure', 'radio', 2));
  } else if (q.kind === 'choice') {
    q.choices.forEach((c, i) => box.append(opt(String(i + 1), c.text, 'radio', i)));
    if (!q.required) box.append(opt('?', 'Not sure', 'radio', q.choices.length));
  } else if (q.kind === 'multi' || q.kind === 'checklist') {
    q.choices.forEach((c, i) => box.append(opt(String(i + 1), c.text, 'checkbox', i)));
    if (!q.required) box.append(opt('?', 'Not sure (ask me about each)', 'checkbox', q.choices.length));
    box.append(el('p', { class: 'muted', text: 'Tick all that apply; none ticked means none.' }));
  } else if (q.kind === 'number' || q.kind === 'integer') {
    box.append(el('label', { for: name, text: `A ${q.kind === 'integer' ? 'whole number' : 'number'} from ${q.min} to ${q.max}` }),
               el('input', { id: name, name, type: 'number', min: q.min, max: q.max,
                             step: q.kind === 'integer' ? 1 : 'any' }));
    if (!q.required) box.append(el('p', { class: 'muted', text: 'Leave it empty if you are not sure.' }));
  } else {
    box.append(el('label', { for: name, text: 'Where and which side, e.g. "left calf" or "both shins, right knee front"' }),
               el('input', { id: name, name, type: 'text', autocomplete: 'off', required: true }),
               el('p', { class: 'muted', text: 'Places: ' + q.choices.map(c => c.text).join(', ') }));
  }
  return box;
}

function answerText(q, form) {
  const name = 'q-' + q.id;
  if (q.kind === 'multi' || q.kind === 'checklist') {
    const v = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(i => i.value);
    if (v.includes('?')) return '?';
    return v.length ? v.join(', ') : 'none';
  }
  if (q.kind === 'bool' || q.kind === 'choice') {
    const c = form.querySelector(`input[name="${name}"]:checked`);
    return c ? c.value : (q.required ? '' : '?');
  }
  return form.querySelector(`[name="${name}"]`).value.trim();
}

async function quizStep(answer) {
  const body = { report: quiz.report, asked: quiz.asked };
  if (answer) body.answer = answer;
  const r = await api('POST', quiz.path, body);
  quiz.report = r.report;
  quiz.asked = r.asked;
  if (r.emergency) return showEmergency(r.emergency);
  if (r.question) return showQuestion(r.question);
  return quiz.done();
}

function showEmergency(e) {
  show(quiz.title,
       el('section', { class: 'emergency', role: 'alert', id: 'emergency' },
          el('h2', { text: 'Emergency' }),
          el('p', { class: 'big', text: e.headline }),
          el('p', { text: 'Why: ' + e.why }),
          el('p', { text: e.text })),
       el('p', {}, el('button', { type: 'button', class: 'secondary', text: 'Start again', onclick: () => quiz.restart() })));
}

function showQuestion(q) {
  const msg = el('p', { id: 'answer-msg', role: 'alert' });
  const form = el('form', { id: 'check-form' }, answerControl(q), msg,
                  el('button', { type: 'submit', text: 'Next' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const text = answerText(q, form);
    if (!text && q.required) { msg.className = 'error'; msg.textContent = 'Please answer: this one is needed.'; return; }
    try { await quizStep({ question: q.id, text }); } catch (e) { msg.className = 'error'; msg.textContent = errorText(e); }
  });
  show(quiz.title, el('p', { class: 'muted', text: quiz.intro }), form);
  const first = form.querySelector('input');
  if (first) first.focus();
}

function showCheckDone() {
  const save = el('input', { type: 'checkbox', id: 'save', checked: true });
  const form = el('form', { id: 'check-submit' },
    el('label', { class: 'choice', for: 'save' }, save, 'Keep this report and its answer in my diary'),
    el('button', { type: 'submit', text: 'See the answer' }));
  const msg = el('div', { id: 'check-msg' });
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/check?save=' + (save.checked ? 1 : 0), quiz.report);
      showResult(r);
    } catch (e) { msg.replaceChildren(errorBox(e)); }
  });
  show('Leg-pain check', el('p', { text: 'That is all the questions.' }), form, msg);
}

function showResult(r) {
  const res = r.result;
  const kids = [
    el('p', {}, el('span', { class: `level level-${res.triage}`, id: 'level', text: res.triage.replace('_', ' ') })),
    el('p', { class: 'big', text: res.headline }),
    el('p', { text: res.triage_reason })];
  if (res.red_flags.length) {
    kids.push(el('h2', { text: 'Red flags' }));
    kids.push(el('ul', {}, ...res.red_flags.map(f => el('li', { text: f.label || f.id }))));
  }
  kids.push(el('h2', { text: 'What it looks most like' }));
  kids.push(el('ol', { id: 'conditions' }, ...res.conditions.slice(0, 5).map(c =>
    el('li', { 'data-id': c.id }, el('strong', { text: c.name }), ` (${c.band.replace(/_/g, ' ')})`,
       el('ul', {}, ...c.reasons_for.map(x => el('li', { text: x })))))));
  kids.push(el('h2', { text: 'What to do' }));
  kids.push(el('p', { text: res.plan.summary }));
  for (const st of res.plan.steps)
    kids.push(el('section', { class: 'card' }, el('h3', { text: st.label }),
      el('ul', {}, ...st.actions.map(a => el('li', { text: (a.kind === 'avoid' ? 'Avoid: ' : '') + a.text + (a.why ? ` (${a.why})` : '') })))));
  if (res.recheck) kids.push(el('p', { text: `Check again after ${res.recheck.after_hours} hours.` }));
  if (res.load_warnings.length) {
    kids.push(el('h2', { text: 'From your training log' }));
    for (const w of res.load_warnings) kids.push(el('p', { text: w.text }));
  }
  kids.push(el('h2', { text: 'Sources' }));
  kids.push(el('ul', {}, ...res.advice_sources.map(s => el('li', {}, el('a', { href: s.url, rel: 'noreferrer', text: s.title })))));
  kids.push(el('p', {}, el('strong', { text: res.disclaimer })));
  kids.push(el('p', { role: 'status', text: r.report_id ? `Saved in your diary as report ${r.report_id}.` : 'Not saved.' }));
  if (r.report_id)
    kids.push(el('p', {}, el('a', { href: '#/plan', text: 'Your recovery plan' }), ' and ',
                 el('a', { href: '#/diary', text: 'the diary' }), ' follow it from here.'));
  if (r.save_error) kids.push(el('p', { class: 'error', text: r.save_error }));
  kids.push(el('details', {}, el('summary', { text: 'The report you gave (JSON)' }),
                el('pre', { id: 'check-report', text: JSON.stringify(quiz.report, null, 2) })));
  show('Your answer', ...kids);
}

function viewCheck() {
  return startQuiz({
    path: '/api/check/next', title: 'Leg-pain check', done: showCheckDone, restart: viewCheck,
    intro: 'About two minutes. Any answer that needs emergency care stops the questions at once.' });
}

/* ---- the diary and the plan ---- */

function sourceList(ids) { return el('span', { class: 'muted', text: ' Sources: ' + ids.join(', ') }); }

function escalations(list) {
  return list.map(x => el('p', { class: 'card warn' }, el('strong', { text: x.reason }),
                          ` (${x.level.replace('_', ' ')})`, sourceList(x.source_ids)));
}

function stepCard(st, heading) {
  return el('section', { class: 'card' }, el('h3', { text: heading }),
    el('ul', {}, ...st.actions.map(a => el('li', {}, el('strong', { text: a.kind.replace('_', ' ') + ': ' }), a.text,
      a.why ? ` (why: ${a.why})` : '', sourceList(a.source_ids)))));
}

/* the plan as `runcare plan` lays it out: now, next, the return to running */
function planSection(p) {
  const sec = el('section', { id: 'plan', 'aria-labelledby': 'plan-h' },
    el('h2', { id: 'plan-h', text: 'Your recovery plan' }),
    el('p', {}, el('span', { class: `level level-${p.triage}`, text: p.triage.replace('_', ' ') }),
       ` ${p.hours_since_run <= 48 ? p.hours_since_run.toFixed(0) + ' hours' : (p.hours_since_run / 24).toFixed(1) + ' days'} after the run that ended ${when(p.run_ended_at)}`),
    ...escalations(p.escalations),
    el('p', { text: p.summary }));
  sec.append(el('h3', { text: 'Now' }), el('div', { id: 'plan-now' },
    ...(p.now.length ? p.now.map(st => stepCard(st, `${st.label} (until ${st.ends_at ? when(st.ends_at) : 'told otherwise'})`))
                     : [el('p', { class: 'muted', text: 'No step of the plan applies at this hour.' })])));
  if (p.next) sec.append(el('h3', { text: 'Next' }), el('div', { id: 'plan-next' }, stepCard(p.next, `${p.next.label}, from ${when(p.next.starts_at)}`)));
  const r = p.return_to_running;
  if (r) sec.append(el('p', {}, el('strong', { text: 'Return to running: ' }),
    r.from ? `not before ${when(r.from)}; ` : '', r.first_session,
    r.max_single_run_km !== null && r.max_single_run_km !== undefined ? `; no run over ${r.max_single_run_km.toFixed(1)} km` : '',
    `; ${r.progression_rule}.`, sourceList(r.source_ids)));
  if (p.runs_since.length)
    sec.append(el('p', { text: `${p.runs_since.length} run(s) since the pain began; ${p.within_plan ? 'all within the plan' : 'not all within the plan'}.` }));
  const t = checkInText(p.check_in);
  if (t) sec.append(el('p', { text: t }));
  sec.append(el('h3', { text: 'Sources' }),
    el('ul', { class: 'sources' }, ...p.advice_sources.map(x => el('li', {}, `${x.id}: `, el('a', { href: x.url, rel: 'noreferrer', text: x.title })))),
    el('p', {}, el('strong', { text: p.disclaimer })));
  return sec;
}

function entryRows(d) {
  return d.entries.map(e => {
    const rep = e.report || {}, pain = rep.pain || {}, loc = rep.location || {};
    return el('tr', {},
      el('td', { class: 'num', text: e.id }), el('td', { text: when(e.created_at) }),
      el('td', { text: (loc.regions || []).join(', ') }), el('td', { class: 'num', text: `${e.score}/10` }),
      el('td', { text: pain.trend || '-' }), el('td', { text: e.triage.replace('_', ' ') }),
      el('td', { text: e.follows ? `follows ${e.follows}` : 'check' }));
  });
}

async function viewDiary() {
  const d = await api('GET', '/api/diary');
  if (!d.entries.length) {
    show('Diary', el('p', {}, 'The diary is empty: ',
                     el('a', { href: '#/check', text: 'the leg-pain check' }), ' saves your first report.'));
    return;
  }
  const chart = await inlineSvg(el('figure', { class: 'chart card', id: 'diary-chart' }), '/api/diary/chart');
  const t = checkInText(d.check_in);
  const follow = el('p', { id: 'check-in' }, t ? t + '. ' : 'How is it now? ',
                    el('a', { href: '#/follow-up', id: 'follow-up-link', text: 'Answer the follow-up' }),
                    ' (the safety questions first, then the pain now).');
  /* the condition's name, as the reports of the problem give it */
  const named = p => {
    for (const e of d.entries) {
      const c = p.entries.includes(e.id) && e.result && (e.result.conditions || []).find(x => x.id === p.condition);
      if (c) return c.name;
    }
    return p.condition || 'no likely condition';
  };
  const problems = d.problems.map((p, i) => el('section', { class: 'card', 'aria-labelledby': `problem-${i}` },
    el('h3', { id: `problem-${i}`, text: `Problem ${i + 1} (check ${p.entries[0]}): ${named(p)}` }),
    p.expected_course ? el('p', { text: `Expected: ${p.expected_course} (usually within ${p.usual_days} days).` }) : null,
    el('p', { text: `Course: ${p.course.score_first}/10 at first, ${p.course.score_now}/10 now, ${p.course.reports} reports; level ${p.triage.replace('_', ' ')}.` }),
    ...escalations(p.escalations)));
  const table = el('div', { class: 'table-wrap' }, el('table', {},
    el('caption', { class: 'muted', text: `${d.entries.length} reports, oldest first` }),
    el('thead', {}, el('tr', {}, ...['#', 'Date', 'Where', 'Pain', 'Trend', 'Level', '']
      .map((h, i) => el('th', { scope: 'col', class: i === 0 || i === 3 ? 'num' : null, text: h || 'Kind' })))),
    el('tbody', { id: 'diary-rows' }, ...entryRows(d))));
  let plan = null;
  try { plan = planSection(await api('GET', '/api/plan')); } catch (e) { plan = errorBox(e); }
  show('Diary', follow, chart, el('h2', { text: 'The course' }), ...problems, plan,
       el('h2', { text: 'Every report' }), table);
}

async function viewPlan() {
  let p;
  try { p = await api('GET', '/api/plan'); } catch (e) {
    if (e.status !== 400) throw e;
    show('Recovery plan', el('p', {}, errorText(e) + '. ', el('a', { href: '#/check', text: 'Start the leg-pain check' })));
    return;
  }
  show('Recovery plan', planSection(p),
       el('p', {}, el('a', { href: '#/follow-up', text: 'Answer the follow-up' }), ' when the pain changes or a check-in is due.'));
}

/* a follow-up of the latest check: the same questions, in the same
 * order, as `runcare diary add` on a terminal */
function viewFollowUp() {
  return startQuiz({
    path: '/api/diary/next', title: 'Follow-up', done: showFollowUpDone, restart: viewFollowUp,
    intro: 'How is the pain now? The safety questions come first, every time. Any answer that needs emergency care stops the questions at once.' });
}

function showFollowUpDone() {
  const msg = el('div', { id: 'check-msg' });
  const form = el('form', { id: 'follow-up-submit' }, el('button', { type: 'submit', text: 'Keep it and see the answer' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try { showFollowUpResult(await api('POST', '/api/diary', quiz.report)); } catch (e) { msg.replaceChildren(errorBox(e)); }
  });
  show('Follow-up', el('p', { text: 'That is all the questions. Nothing is kept until you say so.' }), form, msg);
}

async function showFollowUpResult(r) {
  const res = r.result, d = r.diary, p = d.problems[d.problems.length - 1];
  const kids = [
    el('p', {}, el('span', { class: `level level-${res.triage}`, id: 'level', text: res.triage.replace('_', ' ') })),
    el('p', { class: 'big', text: res.headline }),
    el('p', { text: res.triage_reason }),
    el('p', { role: 'status', id: 'follow-up-saved', text: `Saved in your diary as report ${r.report_id}, a follow-up of check ${r.follows}.` }),
    el('h2', { text: 'The course so far' }),
    el('p', { text: `${p.course.reports} reports, ${p.course.days_since_run.toFixed(1)} days after the run: level ${p.triage.replace('_', ' ')}.` }),
    ...(p.escalations.length ? escalations(p.escalations)
                             : [el('p', { text: 'On track: nothing in the course calls for more than the plan.' })])];
  try { kids.push(planSection(await api('GET', '/api/plan'))); } catch (e) { kids.push(errorBox(e)); }
  kids.push(el('p', {}, el('a', { href: '#/diary', text: 'Back to the diary' })));
  show('Your follow-up', ...kids);
}

/* ---- routing ---- */

async function route() {
  const h = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = h.split('?');
  const section = path.startsWith('/activity/') ? '/activities' : path === '/follow-up' ? '/diary' : path;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href').slice(1) === section)
      a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  try {
    if (path === '/') await viewDashboard();
    else if (path === '/activities') await viewActivities(qs || '');
    else if (path.startsWith('/activity/')) await viewActivity(Number(path.slice(10)));
    else if (path === '/import') viewImport();
    else if (path === '/check') await viewCheck();
    else if (path === '/diary') await viewDiary();
    else if (path === '/follow-up') await viewFollowUp();
    else if (path === '/plan') await viewPlan();
    else show('Not found', el('p', {}, 'No such page. ', el('a', { href: '#/', text: 'Dashboard' })));
  } catch (e) {
    show('runcare', errorBox(e));
  }
}

window.addEventListener('hashchange', route);
document.addEventListener('DOMContentLoaded', route);
