#!/usr/bin/env bash
# t_import_kill.sh - kill -9 a real import from outside at many moments,
# then check that the log still opens, holds only whole activities, and
# that importing again finishes the job: exactly one activity per run.
# (tests/unit/test_import_kill.c kills at every write point; this one
# kills the real binary at arbitrary times, also between writes.) Also the
# Strava export the benchmark generator writes, end to end.
. "$(dirname "$0")/lib.sh"
gen=${RUNCARE_BUILD:-}/bench/bench_import_gen
if [ ! -x "$gen" ]; then
    skip "kill -9 tests" "bench_import_gen not built"
    done_testing
    exit 0
fi
"$gen" "$T/corpus" 48 > /dev/null || not_ok "generate 48 runs"
runs=48

# the Strava layout: names from activities.csv, gear becomes a shoe
rc --db "$T/strava.db" import "$T/corpus/strava.zip"
expect_status "the Strava zip imports" 0
expect_out "every run is imported" "^imported $runs files \\($runs new activities\\), 0 duplicates, 0 not activities, 0 salvaged, 0 failed$"
expect_out "activities.csv names them" "^named $runs activities from Strava's activities.csv$"
rc --db "$T/strava.db" list
expect_out "list shows Strava's names and shoe" "Shoe 0 +Run 0$"
rc --db "$T/strava.db" import "$T/corpus/folder"
expect_out "the same runs as .fit files add nothing" "^imported 0 files \\(0 new activities\\), $runs duplicates"

kills=0
for delay in 0.02 0.05 0.08 0.11 0.14 0.17 0.2 0.25 0.3 0.4; do
    db=$T/kill-$delay.db
    "$RUNCARE" --db "$db" import "$T/corpus/folder" > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    if kill -9 "$pid" 2> /dev/null; then kills=$((kills + 1)); fi
    wait "$pid" 2> /dev/null
    rc --db "$db" list --json
    expect_status "after kill -9 at ${delay}s the log opens" 0
    if command -v sqlite3 > /dev/null && [ -f "$db" ]; then
        check "after kill -9 at ${delay}s SQLite finds no damage" \
            bash -c "[ \"\$(sqlite3 '$db' 'PRAGMA integrity_check; PRAGMA foreign_key_check;')\" = ok ]"
        check "after kill -9 at ${delay}s every activity is whole" \
            bash -c "[ \"\$(sqlite3 '$db' 'SELECT COUNT(*) FROM activities a WHERE nsamples > 0 AND NOT EXISTS (SELECT 1 FROM samples WHERE activity_id = a.id) OR nlaps != (SELECT COUNT(*) FROM laps WHERE activity_id = a.id)')\" = 0 ]"
    fi
    rc --db "$db" import "$T/corpus/folder"
    expect_status "after kill -9 at ${delay}s importing again succeeds" 0
    expect_out "after kill -9 at ${delay}s the log holds each run once" "^the log now holds $runs activities from "
done
if [ "$kills" -ge 3 ]; then ok "killed $kills imports mid-way"; else not_ok "killed $kills imports mid-way (too fast to kill: raise the corpus size)"; fi

done_testing
