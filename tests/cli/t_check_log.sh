#!/usr/bin/env bash
# backends: sqlite pg
# t_check_log.sh - the leg-pain check with a training log: the training
# context comes from the log (with the numbers in the reasons), the load
# guard's warnings and next-run cap reach the result, and each check is
# kept in the diary unless --no-save; a log that cannot be read never
# stops the check.
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2026-03-13T09:00:00Z
db=$(db_for log)

# four weeks of 8 km runs, then a 14 km run the day before the check:
# 75% longer than the longest of the 30 days before
for d in 2026-02-10 2026-02-13 2026-02-17 2026-02-20 2026-02-24 2026-02-27 \
         2026-03-03 2026-03-06 2026-03-10; do
    rc --db "$db" log --date "$d" --distance 8km --duration 45:00
done
rc --db "$db" log --date 2026-03-12 --distance 14km --duration 1:20:00
expect_status "the log takes the runs" 0

report=$T/report.json
cat > "$report" <<'JSON'
{"schema_version":"1.0","location":{"regions":["calf"],"side":"both"},
 "screen":{"chest_pain_or_breathless":false,"urine":"normal","vomiting_or_confusion":false,
  "fever":false,"can_walk":"normally","numbness_tingling":false,"weakness":"none"},
 "signs":{"swelling":"none","redness":false,"warmth":false,"lump":"none"},
 "pain":{"onset":"next_day","hours_since_run":18,"days_with_symptoms":1,"score":3,
  "trend":"same","character":["ache"],"at_rest":false}}
JSON

rc --db "$db" load --json
cap=$(sed -n 's/.*"next_run_cap_km": *\([0-9.]*\).*/\1/p' "$T/out" | head -1)
if [ -n "$cap" ]; then ok "load gives a next-run cap ($cap km)"; else not_ok "load gives a next-run cap"; fi

rc --db "$db" check --json --no-save "$report"
expect_status "check with a log exits 0" 0
check "the spike of the log is a load warning" \
    python3 -c "import json,sys; r=json.load(open('$T/out')); w=[x for x in r['load_warnings'] if x['id']=='single_run_spike']; assert w and w[0]['run_date']=='2026-03-12' and round(w[0]['value_pct'])==75, r['load_warnings']"
check "the cap of the load guard is the plan's max single run" \
    python3 -c "import json; r=json.load(open('$T/out')); assert abs(r['plan']['return_to_running']['max_single_run_km'] - $cap) < 0.051, r['plan']['return_to_running']"
check "a reason cites the run and its size from the log" \
    python3 -c "import json; r=json.load(open('$T/out')); t=' '.join(x for c in r['conditions'] for x in c['reasons_for']); assert '(from your log: 14.0 km on 2026-03-12 against 8.0 km on 2026-03-10)' in t and '75%' in t, t"
check "a reason from the log says its percentage once" \
    python3 -c "import json; r=json.load(open('$T/out')); t=[x for c in r['conditions'] for x in c['reasons_for'] if 'from your log' in x]; assert t and all(x.count('75%') <= 1 and x.count('%') <= 1 for x in t), t"

# the diary: saved in the named database, numbered; --no-save keeps nothing
rc --db "$db" check "$report"
expect_out "the check is saved in the diary" "^Saved in your diary as report 1\.$"
rc --db "$db" check --no-save "$report"
if grep -q "Saved in your diary" "$T/out"; then not_ok "--no-save saves nothing"; else ok "--no-save saves nothing"; fi
rc --db "$db" check --json "$report"
expect_status "check --json saves quietly" 0
check "--json output stays pure JSON" python3 -c "import json; json.load(open('$T/out'))"
rc --db "$db" check "$report"
expect_out "the next saved report is number 3 (the --no-save one was not kept)" "^Saved in your diary as report 3\.$"

# no log yet: --no-save only reads, and makes nothing; a check that saves
# makes the log, as every command that writes does
rc check --no-save "$report"
expect_status "check --no-save without a log exits 0" 0
check "check --no-save makes no database" test ! -e "$HOME/.local"
rc check "$report"
expect_status "check without a log exits 0" 0
expect_out "check without a log saves in a new diary" "^Saved in your diary as report 1\.$"
check "the database was made at the default place" test -f "$HOME/.local/share/runcare/runcare.db"

# a database that cannot be read: the advice still comes, then exit 3
echo "this is not a database" > "$T/broken.db"
rc --db "$T/broken.db" check "$report"
expect_status "a broken database exits 3 after the advice" 3
expect_out "the advice is still given" "^== SELF-CARE ==$"
expect_err_re "the broken log is named as a warning" "^runcare: warning: the training log cannot be read"

done_testing
