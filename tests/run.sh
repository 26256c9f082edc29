#!/usr/bin/env bash
# run.sh - run every test against one or more builds and print one summary
# line, "N passed, N failed". Called by `make check` as
#     tests/run.sh build/test build/asan
# Each BUILD must be a test build (TEST=1 or SAN=1: the hooks RUNCARE_NOW
# and RUNCARE_CRASH_AFTER that the tests use exist only there).
# For each build: the cmocka unit tests (BUILD/tests/test_*), the end-to-end
# CLI tests (tests/cli/t_*.sh, run against BUILD/runcare), and the fuzz
# corpus replays (BUILD/fuzz/replay_*). Every test speaks TAP ("ok N - ...",
# "not ok N - ..."); a test binary that dies without saying "not ok" counts
# as one failure. Logs: BUILD/test-logs/.
#
# CLI tests marked "# backends: sqlite pg" run twice, the second time
# with RUNCARE_TEST_DB=pg: their logs on a throwaway PostgreSQL
# (tests/cli/pg_lib.sh; one skip saying why where it cannot start).
#
# Tests that read ../shared/data get its path in RUNCARE_SHARED_DATA (unset
# when the folder is missing: they then print "skipped: ../shared/data not
# found").
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
shared=${RUNCARE_SHARED:-$root/../shared}
if [ -d "$shared/data" ]; then
    export RUNCARE_SHARED_DATA=$(cd "$shared/data" && pwd)
    export RUNCARE_SHARED=$(cd "$shared" && pwd)
else
    unset RUNCARE_SHARED_DATA RUNCARE_SHARED
    echo "skipped: ../shared/data not found (tests that read it are skipped)"
fi
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=exitcode=23
export CMOCKA_MESSAGE_OUTPUT=TAP
export RUNCARE_NOW=${RUNCARE_NOW:-}
unset RUNCARE_DB XDG_DATA_HOME

# some CLI tests check JSON with python3 (standard library only)
command -v python3 > /dev/null 2>&1 || tools/deps.sh --tools python3

pass=0 fail=0 skip=0
failures=()

# count LOG NAME STATUS: add the TAP results of one test program
count() {
    local log=$1 name=$2 status=$3 p f s
    # a skip is "ok N # SKIP" from our shell tests and "not ok N # SKIP"
    # from cmocka; both are skips in TAP, neither a pass nor a failure
    p=$(grep -E '^ok [0-9]+' "$log" | grep -cvE '# (SKIP|skip)')
    s=$(grep -cE '^(not )?ok [0-9]+.*# (SKIP|skip)' "$log")
    f=$(grep -E '^not ok [0-9]+' "$log" | grep -cvE '# (SKIP|skip)')
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # died without reporting a failure (crash, sanitizer)
    fi
    pass=$((pass + p))
    skip=$((skip + s))
    fail=$((fail + f))
    if [ "$f" -gt 0 ]; then
        failures+=("$name ($log)")
        echo "FAIL $name: $f failed (exit $status); log: $log"
        grep -E '^not ok|^# ' "$log" | head -40 | sed 's/^/    /'
        [ "$status" -ne 0 ] && tail -n 25 "$log" | sed 's/^/    | /'
    else
        echo "ok   $name: $p passed$([ "$s" -gt 0 ] && echo ", $s skipped")"
    fi
}

for build in "$@"; do
    logs=$build/test-logs
    rm -rf "$logs"
    mkdir -p "$logs"
    echo "== $build"
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
        name=$(basename "$t")
        log=$logs/$name.log
        "$t" > "$log" 2>&1 </dev/null
        count "$log" "$build/$name" $?
    done
    for t in tests/cli/t_*.sh; do
        [ -f "$t" ] || continue
        name=$(basename "$t" .sh)
        log=$logs/cli-$name.log
        RUNCARE=$root/$build/runcare RUNCARE_BUILD=$root/$build \
            bash "$t" > "$log" 2>&1 </dev/null
        count "$log" "$build/cli/$name" $?
        # "# backends: sqlite pg": again on a throwaway PostgreSQL
        grep -q '^# backends:.* pg' "$t" || continue
        log=$logs/cli-pg-$name.log
        RUNCARE=$root/$build/runcare RUNCARE_BUILD=$root/$build \
            RUNCARE_TEST_DB=pg bash "$t" > "$log" 2>&1 </dev/null
        count "$log" "$build/cli-pg/$name" $?
    done
    for r in "$build"/fuzz/replay_*; do
        [ -x "$r" ] || continue
        name=${r##*/replay_}
        log=$logs/replay-$name.log
        dirs=()
        for d in "fuzz/corpus/$name" "fuzz/crashes/$name"; do
            [ -d "$d" ] && dirs+=("$d")
        done
        {
            if [ ${#dirs[@]} -eq 0 ]; then
                echo "ok 1 - replay $name # SKIP no corpus yet"
            elif "$r" "${dirs[@]}"; then
                echo "ok 1 - replay $name corpus and crashes"
            else
                echo "not ok 1 - replay $name corpus and crashes"
            fi
        } > "$log" 2>&1
        count "$log" "$build/replay/$name" 0
    done
done

echo
if [ ${#failures[@]} -gt 0 ]; then
    echo "failed:"
    printf '  %s\n' "${failures[@]}"
fi
echo "$pass passed, $fail failed$([ "$skip" -gt 0 ] && echo ", $skip skipped")"
[ "$fail" -eq 0 ]
