#!/usr/bin/env bash
# t_pg_club.sh - a club's log on PostgreSQL: athletes and their roles,
# row-level security tested by connecting as each role (an athlete sees
# and changes only its own rows, a coach reads only the athletes granted
# to it, no role writes another's diary), and `runcare club`, worst
# first. Skips, saying why, where PostgreSQL cannot be started.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
export RUNCARE_NOW=2024-06-12T12:00:00Z
if ! pg_start; then
    skip "a club's log on PostgreSQL" "$PG_SKIP"
    done_testing
    exit
fi
RUNCARE_TEST_DB=pg
owner=$(db_for club)
as() { echo "$owner" | sed "s/user=runcare/user=$1/"; }
# psql as role $1 on the club's database, athlete $2
psql_as() {
    "$PG_BIN/psql" -X -q -At -h "$PG_DIR" -U "$1" -d club \
        -c "SET runcare.athlete = '$2'" -c "$3"
}

rc --db "$owner" athlete add ann
expect_status "athlete add exits 0" 0
expect_out "and says so" "^added athlete ann$"
rc --db "$owner" athlete add bob
rc --db "$owner" athlete add ann
expect_status "an athlete added twice exits 1" 1
expect_err_re "naming it" "already an athlete .*\"ann\""
rc --db "$owner" athlete add 9lives
expect_status "a bad name exits 1" 1
expect_err_re "saying what is wrong" "athlete name \"9lives\" must be 1-63 bytes starting with a letter"
check "athlete add makes a role that is no superuser" \
    test "$(pg_sql "SELECT rolsuper::int FROM pg_roles WHERE rolname = 'ann'")" = 0
check "a run's sample blob is stored as it is, pglz not tried (010)" \
    test "$(PG_DB=club pg_sql "SELECT attstorage FROM pg_attribute WHERE attrelid = 'samples'::regclass AND attname = 'data'")" = e

rc --db "$owner" log --date 2024-06-01 --distance 8km --duration 45:00
expect_status "with several athletes, a log command needs --athlete: 1" 1
expect_err_re "and says so" "holds several athletes: choose one with --athlete NAME"

rc --db "$owner" --athlete ann log --date 2024-06-02 --distance 8km --duration 45:00
expect_status "the owner logs ann's run" 0
RUNCARE_ATHLETE=ann rc --db "$owner" log --date 2024-06-11 --distance 8km --duration 45:00
expect_status "RUNCARE_ATHLETE chooses the athlete" 0
rc --db "$owner" --athlete bob log --date 2024-06-01 --distance 8km --duration 45:00
rc --db "$owner" --athlete bob log --date 2024-06-11 --distance 14km --duration 80:00
expect_status "and bob's" 0

# an athlete's role: its own rows only
rc --db "$(as ann)" list --json
expect_status "ann lists her log" 0
check "ann sees her 2 runs, none of bob's" \
    test "$(grep -o '"id":' "$T/out" | wc -l)" = 2
rc --db "$(as ann)" --athlete bob list
expect_status "ann cannot choose bob: 1" 1
expect_err_re "naming the role" "no athlete \"bob\" that role ann may see"
check "row-level security: ann's role reads none of bob's rows" \
    test "$(psql_as ann bob 'SELECT count(*) FROM activities')" = 0
check "and cannot write a report into bob's diary" \
    bash -c "! psql_as() { \"$PG_BIN/psql\" -X -q -At -h '$PG_DIR' -U \"\$1\" -d club -c \"SET runcare.athlete = '\$2'\" -c \"\$3\"; }; psql_as ann bob \"INSERT INTO reports (athlete, created_s, report_json) VALUES ('bob', 0, '{}')\" 2>&1 | grep -q 'row-level security'"
check "nor change bob's runs" \
    test "$(psql_as ann bob 'UPDATE activities SET distance_m = 1' | tail -n 1)" = ""
check "bob's runs are as they were" \
    test "$(psql_as bob bob 'SELECT count(*) FROM activities WHERE distance_m = 1')" = 0
rc --db "$(as ann)" log --date 2024-06-12 --distance 5km --duration 30:00
expect_status "ann logs her own run" 0
rc --db "$(as ann)" athlete list --json
expect_out "ann's athlete list is herself" '^\[\{"name":"ann","own":true,"coach":false\}\]$'

# a coach: reads the athletes granted, writes nothing
rc --db "$owner" athlete grant coach ann
expect_status "athlete grant exits 0" 0
rc --db "$(as coach)" list --json
expect_status "the coach reads ann's log" 0
check "all 3 of ann's runs" test "$(grep -o '"id":' "$T/out" | wc -l)" = 3
rc --db "$(as coach)" --athlete bob list
expect_status "the coach cannot read bob's: 1" 1
rc --db "$(as coach)" log --date 2024-06-12 --distance 5km --duration 30:00
expect_status "the coach cannot log a run for ann: 3" 3
expect_err_re "the error names the role and the athlete" "role coach may not change athlete ann's log"
printf '{"pain":{"location":"shin","side":"left","intensity":4,"onset":"during_run","onset_h":1}}' > "$T/report.json"
rc --db "$(as coach)" check "$T/report.json"
check "the coach cannot write into ann's diary" test "$status" -ne 0
check "ann's diary is empty" \
    test "$(psql_as ann ann 'SELECT count(*) FROM reports')" = 0

# the club, worst first
rc --db "$owner" club --json
expect_status "club --json exits 0" 0
expect_out "the owner sees both, bob's spike first" '^\{"athletes":\[\{"athlete":"bob",.*"warnings":\[\{[^]]*"single_run_spike".*\{"athlete":"ann",'
expect_out "with the next-run cap" '"athlete":"ann","as_of":"2024-06-12","week_start":"2024-06-10","week_km":13\.0,"next_run_cap_km":[0-9.]+,'
cp "$T/out" "$T/club.json"
for a in ann bob; do
    "$RUNCARE" --db "$owner" --athlete "$a" load --json > "$T/load-$a.json"
    check "$a's cap and this week's warnings in club are load's" python3 -c "
import json, sys
club = {r['athlete']: r for r in json.load(open('$T/club.json'))['athletes']}['$a']
load = json.load(open('$T/load-$a.json'))
assert club['next_run_cap_km'] == load['next_run_cap_km'], (club, load['next_run_cap_km'])
week = [w for w in load['warnings'] if w['run_date'] >= club['week_start']]
assert [w['id'] for w in week] == [w['id'] for w in club['warnings']], (week, club)
"
done
rc --db "$owner" club
expect_out "the text names the count" "^2 athletes, 1 with warnings this week \(worst first\)$"
rc --db "$(as coach)" club --json
expect_out "the coach's club is ann alone" '^\{"athletes":\[\{"athlete":"ann",[^]]*\]\}\]\}$'
rc --db "$(as ann)" club --json
expect_out "an athlete's club is herself" '^\{"athletes":\[\{"athlete":"ann",'
check "and nobody else" bash -c "! grep -q bob '$T/out'"

# removing
rc --db "$owner" athlete rm bob
expect_status "an athlete with runs is kept without --with-log: 1" 1
expect_err_re "saying how" "athlete bob has 2 activities; 'runcare athlete rm --with-log bob'"
rc --db "$owner" athlete rm --with-log bob
expect_status "athlete rm --with-log exits 0" 0
check "bob's rows are gone" test "$(PG_DB=club pg_sql "SELECT count(*) FROM activities WHERE athlete = 'bob'")" = 0
check "ann's are not" test "$(PG_DB=club pg_sql "SELECT count(*) FROM activities WHERE athlete = 'ann'")" = 3
rc --db "$owner" athlete list --json
expect_out "ann is left" '^\[\{"name":"ann",'

# SQLite: one athlete per file
rc --db "$T/solo.db" athlete add cat
expect_status "a SQLite file names its athlete" 0
rc --db "$T/solo.db" athlete add dan
expect_status "and holds one: 1" 1
rc --db "$T/solo.db" --athlete dan list
expect_status "--athlete another on that file: 1" 1
expect_err_re "names both" "is athlete cat's log, not dan's"
rc --db "$T/solo.db" --athlete cat log --date 2024-06-02 --distance 8km --duration 45:00
expect_status "--athlete its own works" 0
done_testing
