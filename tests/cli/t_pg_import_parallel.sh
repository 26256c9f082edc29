#!/usr/bin/env bash
# t_pg_import_parallel.sh - imports into a club's PostgreSQL at once:
# several athletes' imports side by side without errors, each athlete
# with every run once; two imports of the same athlete's files at once
# take turns (an advisory lock per athlete) and store each run once.
# Skips, saying why, where PostgreSQL cannot be started.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
gen=${RUNCARE_BUILD:-}/bench/bench_import_gen
if [ ! -x "$gen" ]; then
    skip "parallel imports" "bench_import_gen not built"
    done_testing
    exit 0
fi
if ! pg_start; then
    skip "parallel imports into PostgreSQL" "$PG_SKIP"
    done_testing
    exit
fi
RUNCARE_TEST_DB=pg
"$gen" "$T/corpus" 40 > /dev/null || not_ok "generate 40 runs"
runs=40
club=$(db_for club)
athletes="a1 a2 a3 a4 a5 a6"
for a in $athletes; do
    "$RUNCARE" --db "$club" athlete add "$a" > /dev/null
done

# six athletes at once
pids=
for a in $athletes; do
    "$RUNCARE" --db "$club" --athlete "$a" import "$T/corpus/folder" \
        > "$T/$a.out" 2> "$T/$a.err" &
    pids="$pids $!"
done
n=0
for p in $pids; do
    wait "$p" && n=$((n + 1))
done
check "six imports of different athletes at once all exit 0" test "$n" = 6
for a in $athletes; do
    check "$a's import has no error" test ! -s "$T/$a.err"
    check "$a's log holds each run once" \
        test "$(PG_DB=club pg_sql "SELECT COUNT(*) FROM activities WHERE athlete = '$a'")" = "$runs"
    check "$a's list counts $runs" \
        test "$("$RUNCARE" --db "$club" --athlete "$a" list --json | grep -o '"id":' | wc -l)" = "$runs"
done

# the same athlete twice at once
"$RUNCARE" --db "$club" athlete add twin > /dev/null
"$RUNCARE" --db "$club" --athlete twin import "$T/corpus/folder" > "$T/t1.out" 2> "$T/t1.err" &
p1=$!
"$RUNCARE" --db "$club" --athlete twin import "$T/corpus/folder" > "$T/t2.out" 2> "$T/t2.err" &
p2=$!
wait "$p1"; s1=$?
wait "$p2"; s2=$?
check "two imports of the same athlete at once both exit 0" test "$s1$s2" = 00
check "neither says an error" test ! -s "$T/t1.err" -a ! -s "$T/t2.err"
check "the runs are stored once: $runs activities" \
    test "$("$RUNCARE" --db "$club" --athlete twin list --json | grep -o '"id":' | wc -l)" = "$runs"
check "one source per file" \
    test "$(PG_DB=club pg_sql "SELECT COUNT(*) FROM sources WHERE athlete = 'twin'")" = "$runs"
# "imported N files": the files each import stored itself
check "between them the two imports stored each file once" \
    test "$(cat "$T/t1.out" "$T/t2.out" | sed -n 's/^imported \([0-9]*\) files\{0,1\} .*/\1/p' | awk '{ s += $1 } END { print s }')" = "$runs"
done_testing
