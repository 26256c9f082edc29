#!/usr/bin/env bash
# backends: sqlite pg
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
strava=$(db_for strava)
rc --db "$strava" import "$T/corpus/strava.zip"
expect_status "the Strava zip imports" 0
expect_out "every run is imported" "^imported $runs files \\($runs new activities\\), 0 duplicates, 0 not activities, 0 salvaged, 0 failed$"
expect_out "activities.csv names them" "^named $runs activities from Strava's activities.csv$"
rc --db "$strava" list
expect_out "list shows Strava's names and shoe" "Shoe 0 +Run 0$"
rc --db "$strava" import "$T/corpus/folder"
expect_out "the same runs as .fit files add nothing" "^imported 0 files \\(0 new activities\\), $runs duplicates"

# check_log DB WHEN: the log opens, SQLite finds no damage, every activity
# is whole, and importing again finishes the job with each run once.
check_log() {
    local db=$1 when=$2
    rc --db "$db" list --json
    expect_status "after kill -9 $when the log opens" 0
    if command -v sqlite3 > /dev/null && [ -f "$db" ]; then
        check "after kill -9 $when SQLite finds no damage" \
            bash -c "[ \"\$(sqlite3 '$db' 'PRAGMA integrity_check; PRAGMA foreign_key_check;')\" = ok ]"
    fi
    if [ -f "$db" ] && command -v sqlite3 > /dev/null || [ "${db#postgresql:}" != "$db" ]; then
        check "after kill -9 $when every activity is whole" \
            test "$(db_sql "$db" 'SELECT COUNT(*) FROM activities a WHERE (nsamples > 0 AND NOT EXISTS (SELECT 1 FROM samples WHERE activity_id = a.id)) OR nlaps != (SELECT COUNT(*) FROM laps WHERE activity_id = a.id)')" = 0
    fi
    rc --db "$db" import "$T/corpus/folder"
    expect_status "after kill -9 $when importing again succeeds" 0
    expect_out "after kill -9 $when the log holds each run once" "^the log now holds $runs activities from "
}

# Kills at chosen points: the store sends itself SIGKILL just before its
# Nth write or commit (RUNCARE_CRASH_AFTER), so each of these is certain to
# land mid-import however fast the machine is.
for n in 1 2 5 9 17 40 77 150; do
    db=$(db_for crash-$n)
    RUNCARE_CRASH_AFTER=$n "$RUNCARE" --db "$db" import "$T/corpus/folder" > /dev/null 2>&1
    st=$?
    if [ "$st" -eq 137 ]; then ok "import killed by SIGKILL before write $n"; else
        status=$st; not_ok "import killed by SIGKILL before write $n" "exit $st, expected 137"; fi
    check_log "$db" "before write $n"
done

# Kills from outside at arbitrary moments, also in the middle of a write.
# How many land mid-import depends on the machine's speed; the certain
# kills are above.
for delay in 0.01 0.03 0.06 0.1 0.2; do
    db=$(db_for kill-$delay)
    "$RUNCARE" --db "$db" import "$T/corpus/folder" > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    check_log "$db" "at ${delay}s"
done

done_testing
