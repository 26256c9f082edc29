#!/usr/bin/env bash
# backends: sqlite pg
# t_load_log.sh - `runcare load` on runs logged with `runcare log`: four
# steady weeks, then a run 60% longer than any before: the spike with its
# evidence, the next-run cap with its rule, the chart's mark, a break, a
# shoe past its limit, and a database that is not one.
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2024-06-10T12:00:00Z
db=$(db_for log)

rc --db "$db" shoe add "Pegasus 40" --start-km 690 --limit-km 700 --default --since 2024-01-01
expect_status "a shoe near its limit" 0
n=0
for monday in 2024-05-06 2024-05-13 2024-05-20 2024-05-27 2024-06-03; do
    for plus in 0 2 5; do
        day=$(date -u -d "$monday + $plus days" +%F)
        km=10
        [ "$day" = 2024-06-08 ] && km=16
        "$RUNCARE" --db "$db" log --date "$day" --distance "${km}km" \
            --duration 60:00 > /dev/null 2>&1 && n=$((n + 1))
    done
done
check "15 runs logged" test "$n" -eq 15
"$RUNCARE" --db "$db" log --date 2024-06-07 --distance 40km --duration 90:00 \
    --sport cycling > /dev/null 2>&1
check "a bike ride logged" test $? -eq 0

rc --db "$db" load --as-of 2024-06-09 --weeks 6
expect_status "load exits 0" 0
expect_out "the weeks, Monday first" "^  2024-05-06 +30\.0 +3 +10\.0"
expect_out "the spike week, rides left out" "^  2024-06-03 +36\.0 +3 +16\.0 +\+20%"
expect_out "the spike, its size and threshold" "^  ! 2024-06-08  single_run_spike  \+60\.0% \(over 10%\)$"
expect_out "the spike's evidence" "1\.52 times the rate of overuse"
expect_out "the spike's source" "^    \[frandsen2025\]$"
expect_out "the cap and its number" "^Next run: at most 13\.0 km$"
expect_out "the cap's rule" "keeps the 7 days to 2024-06-10 within 30% of"
expect_out "never the 10% rule as evidence" "not from the \"10% per week\""
expect_out "the next 7 days" "^  From 2024-06-10 to 2024-06-16: any one run at most 11\.0 km, and the 7 days\$"
expect_out "the week ahead does not build on the spike" "km run was itself a single-run spike, so it does not"
expect_out "the shoe past its limit" "^  Pegasus 40: 846 km of 700 km$"

rc --db "$db" load --as-of 2024-06-09 --json
expect_status "load --json exits 0" 0
expect_out "--json the week ahead" '"next_7_days":\{"from":"2024-06-10","to":"2024-06-16","today_km":13\.0,"longest_run_km":11\.0,"week_km":46\.8,'
expect_out "--json cap" '"next_run_cap_km":13\.0,"next_run_cap_reason":"keeps the 7 days'
expect_out "--json totals" '"longest_run_30d_km":16\.0,"last7_km":36\.0,"prev7_km":30\.0,"weekly_change_pct":20\.0,'
expect_out "--json warning as triage takes it" '"warnings":\[\{"id":"single_run_spike","run_date":"2024-06-08","value_pct":60\.0,"threshold_pct":10\.0,"text":"Your 16\.0 km run on 2024-06-08 was 60% longer[^"]*","source_ids":\["frandsen2025"\]\}\]'
expect_out "--json shoe" '"shoes":\[\{"id":1,"name":"Pegasus 40","km":846\.0,"limit_km":700\.0,"past_limit":true\}\]'

rc --db "$db" load --as-of 2024-06-09 --svg "$T/load.svg"
check "the chart has one mark, on the spike" test "$(grep -c '<g class="warning" data-id="single_run_spike">' "$T/load.svg")" -eq 1
check "the chart shows the week ahead" grep -q '>at most: today 13.0 km, one run 11.0 km, 7 days 46.8 km<' "$T/load.svg"

# 15 days without running after 2024-06-08: the reference resets
rc --db "$db" load --as-of 2024-06-23
expect_out "after a break the cap is half the longest" "^Next run: at most 8\.0 km$"
expect_out "after a break the rule says why" "15 days without running: 50% of your longest run before the break"

rc --db "$db" load --as-of 2024-05-01
expect_status "before the first run exits 0" 0
expect_out "before the first run says so" "^No runs on or before 2024-05-01\. Add some with:"

# two years without running: the part of the log read for the weeks shown
# holds only the return; the runs before the break are read too
db2=$(db_for break)
for day in 2022-01-03 2022-01-10 2022-01-17 2022-01-24; do
    "$RUNCARE" --db "$db2" log --date "$day" --distance 10km --duration 60:00 > /dev/null 2>&1
done
"$RUNCARE" --db "$db2" log --date 2024-06-03 --distance 8km --duration 50:00 > /dev/null 2>&1
rc --db "$db2" load --as-of 2024-06-05
expect_out "a return after years is still a return after a break" "^  ! 2024-06-03  return_after_break  80% of before \(over 50%\)$"
expect_out "its reference is the run before the break" "longest run before the break \(10\.0 km\)"

# the demo athlete: its last week jumps, with a long run far past any before
unset RUNCARE_NOW
# into folders that are not there yet: the demo makes them
rc --db "$T/new/db/demo.db" demo "$T/new/files/demo"
expect_status "the demo exits 0" 0
expect_out "the demo runs the load guard" '^   \$ runcare load --weeks 6 --svg '
expect_out "the demo's spike is found" '^  ! [0-9-]{10}  single_run_spike  \+[0-9.]+% \(over 10%\)$'
expect_out "the demo's weekly jump is found" '  weekly_volume_jump  '
expect_out "the demo gives the cap" '^Next run: at most [0-9]+\.[0-9] km$'
check "the demo writes the chart with its marks" grep -q 'class="warning"' "$T/new/files/demo/load.svg"
expect_out "the demo says which log to try next" "^Next, each with --db $T/new/db/demo.db:$"
# what it says to try next answers at the real time: the story ends now
rc --db "$T/new/db/demo.db" plan
expect_status "after the demo, plan at the real time exits 0" 0
if grep -q "before the check" "$T/out"; then
    not_ok "after the demo, the plan's hour is not before the check" "$(grep -n "before the check" "$T/out")"
else
    ok "after the demo, the plan's hour is not before the check"
fi
expect_out "after the demo, the plan is the one of her last check-in" "^Level: see a clinician$"
rc --db "$T/new/db/demo.db" diary
expect_status "after the demo, diary at the real time exits 0" 0
export RUNCARE_NOW=2024-06-10T12:00:00Z

echo "not a database" > "$T/bad.db"
rc --db "$T/bad.db" load
expect_status "a file that is not a database exits 3" 3
expect_err_re "the error names the file" "^runcare: $T/bad.db"
done_testing
