#!/usr/bin/env bash
# backends: sqlite pg
# t_diary.sh - the pain diary and the recovery plan from the command line:
# a check, follow-ups from a file and on a terminal, the course and its
# escalations, the JSON export, the chart, corrections kept in the history,
# the plan at an hour and its calendar, and bad input refused with nothing
# stored lost.
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2026-12-01T10:00:00Z
db=$(db_for runcare)
json() { python3 -c "import json,sys; d=json.load(open('$T/out')); $1"; }

# soreness after yesterday's race, 30 h after the run (ended 2026-11-30 04:00)
python3 - "$T" << 'EOF'
import json, sys
t = sys.argv[1]
rep = {"schema_version": "1.0",
       "location": {"regions": ["thigh_front", "calf"], "side": "both"},
       "screen": {"chest_pain_or_breathless": False, "urine": "normal",
                  "vomiting_or_confusion": False, "fever": False,
                  "can_walk": "normally", "numbness_tingling": False,
                  "weakness": "none"},
       "signs": {"swelling": "none", "redness": False, "warmth": False},
       "pain": {"onset": "next_day", "hours_since_run": 30,
                "days_with_symptoms": 1, "score": 4, "trend": "same",
                "character": ["ache", "stiffness"]},
       "checks": {"tenderness": "in_muscle"}}
json.dump(rep, open(t + "/check.json", "w"))
# day 4: worse
rep["created_at"] = "2026-12-04T04:00:00Z"
rep["pain"].update(hours_since_run=96, days_with_symptoms=4, score=6,
                   trend="worse")
json.dump(rep, open(t + "/worse.json", "w"))
# the same, but a new red flag: dark urine
rep["screen"]["urine"] = "dark_cola"
json.dump(rep, open(t + "/urine.json", "w"))
EOF

rc --db "$db" diary add "$T/check.json"
expect_status "a follow-up with no check exits 1" 1
expect_err "and says to check first" "runcare: no check in the diary to follow up: run 'runcare check' first"

rc --db "$db" check "$T/check.json"
expect_status "the check is saved" 0
rc --db "$db" diary
expect_status "the diary lists it" 0
expect_out "one report, its score and level in words" "^  1 +2026-12-01 10:00 +thigh_front, calf +4/10  same +self-care"
check "diary: no level id, only words" \
    bash -c "! grep -qE 'self_care|see_clinician|seek_care' '$T/out'"
expect_out "the expected course of soreness" "expected: peaks at 24-72 hours"
expect_out "the next check-in, 48 h after the check" "^Next check-in: 2026-12-03 10:00 UTC \\(in 48 h\\)"
rc --db "$db"
expect_status "runcare with no command still exits 2" 2
expect_out "but says when the check-in is due" "^Next check-in: 2026-12-03 10:00 UTC"

# the plan at this hour, and at day 3
rc --db "$db" plan
expect_status "plan exits 0" 0
expect_out "plan counts from the end of the run" "^Recovery plan, 30 h after the run that ended 2026-11-30 04:00 UTC"
expect_out "plan says what applies now" "^Now \\(24-72 hours, until 2026-12-03 04:00 UTC\\):"
expect_out "plan says what comes next and when" "^Next \\(from day 3\\), from 2026-12-03 04:00 UTC \\(in 42 h\\):"
expect_out "every action names its sources" "^    sources: dupuy2018"
expect_out "plan says runcare is no clinician" "does not replace a doctor"
expect_out "plan words the level as the check does" "^Level: self-care$"
plan_words() {
    check "plan: no line longer than 80 columns ($1)" \
        bash -c "! grep -qE '^.{81,}' '$T/out'"
    check "plan: no level id, only words ($1)" \
        bash -c "! grep -qE 'self_care|see_clinician|seek_care' '$T/out'"
}
plan_words "the check"
rc --db "$db" plan --json --at 2026-12-03T06:00Z
json "assert d['hours_since_run'] == 74, d['hours_since_run']; assert [s['label'] for s in d['now']] == ['all along', 'from day 3'], d['now']; assert d['next'] is None"
check "plan --at 74 h: day 3 on, nothing next" test $? -eq 0
rc --db "$db" plan --at 2026-12-01T05:00Z
expect_out "plan before the check says the plan begins at the check" "^\\(This hour is before the check of 2026-12-01 10:00 UTC"
rc --db "$db" plan --at yesterday
expect_status "a bad --at is bad input, as every bad value" 1
expect_err_re "and says what a time looks like" "--at 'yesterday' is not a time"

# the calendar: CRLF, short lines, UTC, twice the same
rc --db "$db" plan --ics "$T/plan.ics"
expect_status "plan --ics exits 0" 0
check "every line of the calendar ends in CRLF" bash -c "! grep -qv \$'\\r\$' '$T/plan.ics'"
check "no line is longer than 75 octets" bash -c "! tr -d '\\r' < '$T/plan.ics' | LC_ALL=C grep -qE '^.{76,}'"
check "times are UTC: day 3 begins 72 h after the run" grep -q '^DTSTART:20261203T040000Z' "$T/plan.ics"
cp "$T/plan.ics" "$T/plan1.ics"
rc --db "$db" plan --ics "$T/plan.ics"
check "a second export is the same file" cmp "$T/plan.ics" "$T/plan1.ics"

# a follow-up from a file: worse on day 4
rc --db "$db" diary add "$T/worse.json"
expect_status "a follow-up from a file exits 0" 0
expect_out "it is linked to the check" "^Saved in your diary as report 2, a follow-up of check 1\\.$"
expect_out "the course is off: level raised, in words" "level see a clinician"
check "diary add: no level id, only words" \
    bash -c "! grep -qE 'self_care|see_clinician|seek_care' '$T/out'"
expect_out "with a reason the runner can read" "4 days after the run the pain is getting worse \\(from 4/10 to 6/10\\)"
rc --db "$db" plan --at 2026-12-04T10:00Z
expect_out "plan after a worse follow-up: the level in words" "^Level: see a clinician$"
plan_words "with escalations"
rc --db "$db" diary --json
expect_status "diary --json exits 0" 0
json "e=d['entries']; assert len(e) == 2 and e[1]['follows'] == 1 and e[0]['follows'] is None; p=d['problems'][0]; assert p['entries'] == [1, 2]; assert 'worse_after_3_days' in [x['id'] for x in p['escalations']]; assert p['triage'] == 'see_clinician'; assert e[1]['report']['pain']['score'] == 6 and e[1]['result']['triage']"
check "diary --json exports every report, result, link and escalation" test $? -eq 0

# a red flag in a follow-up goes to its level at once
rc --db "$db" diary add --json "$T/urine.json"
expect_status "a follow-up with dark urine exits 0" 0
json "p=d['diary']['problems'][0]; assert p['triage'] == 'emergency', p['triage']; x=[e for e in p['escalations'] if e['id'] == 'new_red_flag'][0]; assert x['level'] == 'emergency' and x['source_ids']"
check "dark urine in a follow-up is an emergency at once" test $? -eq 0

# the chart
rc --db "$db" diary --svg "$T/pain.svg"
expect_status "diary --svg exits 0" 0
check "the chart is an SVG" grep -q '^<svg xmlns="http://www.w3.org/2000/svg"' "$T/pain.svg"
check "the expected band is shaded" grep -q '<path fill="#c8e6c9"' "$T/pain.svg"
n=$(grep -c '<circle' "$T/pain.svg")
if [ "$n" -eq 3 ]; then ok "one point per report (3)"; else not_ok "one point per report" "$n points"; fi

# bad input: named, exit 1, nothing stored lost
echo '{"pain": ' > "$T/bad.json"
rc --db "$db" diary add "$T/bad.json"
expect_status "a broken follow-up exits 1" 1
expect_err_re "its file and line are named" "^runcare: .*bad.json: line"
rc --db "$db" diary --json
json "assert len(d['entries']) == 3"
check "nothing was stored" test $? -eq 0

# corrections, kept in the history
rc --db "$db" diary edit 2 "$T/check.json"
expect_status "diary edit exits 0" 0
rc --db "$db" diary --json
json "assert d['entries'][1]['score'] == 4"
check "the corrected report is the one shown" test $? -eq 0
rc --db "$db" diary rm 3
expect_status "diary rm exits 0" 0
expect_out "rm says the history keeps it" "the store's history keeps it"
rc --db "$db" diary --json
json "assert [e['id'] for e in d['entries']] == [1, 2]"
check "the removed report is gone from the diary" test $? -eq 0
kept=$(db_sql "$db" "SELECT count(*) FROM history WHERE kind = 'report' AND action IN ('edit', 'rm') AND before_json LIKE '%report_json%'")
if [ "$kept" = 2 ]; then ok "the edit and the rm keep the old reports in the history"; else not_ok "the history keeps the old reports" "$kept rows"; fi
db_sql "$db" "SELECT before_json FROM history WHERE action = 'rm'" > "$T/rm.json"
check "the removed report's words are in the history" grep -q dark_cola "$T/rm.json"
rc --db "$db" diary rm 99
expect_status "rm of no report exits 1" 1
expect_err "and names it" "runcare: no diary report 99"
rc --db "$db" diary rm two
expect_status "rm of a word is a usage error" 2

# a follow-up on a terminal
if command -v script > /dev/null; then
    timeout 30 script -qfec "exec $RUNCARE --db '$db' diary add" /dev/null \
        < <(printf '%s\n' n normal n n normally n none 2 better n n none; sleep 1) \
        > "$T/out" 2> "$T/err"
    status=$?
    tr -d '\r' < "$T/out" > "$T/out.txt" && mv "$T/out.txt" "$T/out"
    expect_status "a follow-up on a terminal exits 0" 0
    expect_out "the safety screen is asked again first" "^1\\. Since the run, have you had new chest pain"
    expect_out "then the score" "^8\\. How bad is the pain right now"
    expect_out "it is saved and linked" "^Saved in your diary as report 4, a follow-up of check 1\\.$"
    timeout 30 script -qfec "exec $RUNCARE --db '$db' diary add" /dev/null \
        < <(printf '%s\n' n cola; sleep 1) > "$T/out" 2> "$T/err"
    tr -d '\r' < "$T/out" > "$T/out.txt" && mv "$T/out.txt" "$T/out"
    expect_out "dark urine stops the follow-up at once" "^== EMERGENCY ==$"
    rc --db "$db" diary --json
    json "assert len(d['entries']) == 3"
    check "the follow-up stopped for an emergency kept nothing" test $? -eq 0
fi

done_testing
