#!/usr/bin/env bash
# t_pg_migrate.sh - runcare migrate: a runner's SQLite log (the demo
# athlete: watch files with samples, a duplicate, shoes, a pain report,
# edits in the history) moved into a club's PostgreSQL reads the same
# after, byte for byte: list, load, diary, shoe list, show, history.
# Skips, saying why, where PostgreSQL cannot be started.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
export RUNCARE_NOW=2026-12-04T09:00:00Z
if ! pg_start; then
    skip "runcare migrate into PostgreSQL" "$PG_SKIP"
    done_testing
    exit
fi
RUNCARE_TEST_DB=pg
lite=$T/runner.db
club=$(db_for club)

rc --db "$lite" demo "$T/demo"
expect_status "the demo log is made" 0
rc --db "$lite" rpe last 7
rc --db "$lite" edit 3 --distance 9km --force
rc --db "$lite" diary add "$T/demo/follow-up-1.json"
views=("list --json" "list --json --sport running --since 2026-10-01"
       "load --json" "load --json --as-of 2026-11-15 --weeks 20"
       "diary --json" "shoe list --json" "show 5 --json" "history --json")
for v in "${views[@]}"; do
    # shellcheck disable=SC2086
    "$RUNCARE" --db "$lite" $v > "$T/before.$(echo $v | tr ' /' '__')" 2>&1
done

rc --db "$club" athlete add ann
rc --db "$club" --athlete cat log --date 2026-12-01 --distance 5km --duration 30:00
rc --db "$club" athlete add cat
RUNCARE_ATHLETE=cat rc --db "$club" log --date 2026-12-01 --distance 5km --duration 30:00
expect_status "another athlete is there already" 0

rc migrate --from "sqlite:$lite" --to "$club"
expect_status "a SQLite log without a name needs --athlete: 1" 1
expect_err_re "and says so" "names no athlete: say whose it is with --athlete NAME"

rc --athlete ann migrate --from "sqlite:$lite" --to "$club"
expect_status "migrate exits 0" 0
expect_out "and counts the rows" "^moved [0-9]+ rows of the log from sqlite:$lite to postgresql://"
for v in "${views[@]}"; do
    f=$T/before.$(echo $v | tr ' /' '__')
    # shellcheck disable=SC2086
    "$RUNCARE" --db "$club" --athlete ann $v > "$T/after" 2>&1
    check "$v is byte-identical after" cmp "$f" "$T/after"
done
check "the views are not empty" grep -q '"sport":"running"' "$T/before.list_--json"
check "the diary holds the demo's reports" grep -q '"entries":\[{"id":1,' "$T/before.diary_--json"
check "the history holds the edit" grep -q '"command":"edit 3' "$T/before.history_--json"

rc --athlete ann migrate --from "sqlite:$lite" --to "$club"
expect_status "migrating twice is refused: 1" 1
expect_err_re "naming the place" "already holds a log for athlete ann"

# new rows after the move get new ids, the other athlete's untouched
rc --db "$club" --athlete ann log --date 2026-12-03 --distance 6km --duration 36:00
expect_status "ann logs a run after the move" 0
expect_out "with a fresh id" "^logged activity [0-9]+:"
RUNCARE_ATHLETE=cat rc --db "$club" list --json
check "cat still has her one run" test "$(grep -o '"id":' "$T/out" | wc -l)" = 1

rc --athlete ann migrate --from "sqlite:$T/none.db" --to "$club"
expect_status "a missing source exits 3" 3
expect_err_re "naming it" "no database at $T/none.db"
done_testing
