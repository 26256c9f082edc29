#!/usr/bin/env bash
# t_athlete.sh - athlete, club and migrate from the command line without
# PostgreSQL: usage errors, bad names and values, a SQLite file as one
# athlete's log, and a database that cannot be reached. (The club's log
# on PostgreSQL: t_pg_club.sh, t_pg_migrate.sh.)
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2024-06-12T12:00:00Z
db=$T/solo.db

rc athlete
expect_status "athlete without an action exits 2" 2
expect_err "and names them" "runcare: athlete: give add, list, rm or grant; see 'runcare help athlete'"
rc athlete bogus
expect_status "an unknown action exits 2" 2
rc athlete add
expect_status "athlete add without a name exits 2" 2
rc athlete grant coach
expect_status "athlete grant without the athlete exits 2" 2
expect_err "and says what it wants" "runcare: athlete grant: give COACH and ATHLETE; see 'runcare help athlete grant'"
rc athlete add a+b
expect_status "a name with a '+' exits 1" 1
expect_err "naming the byte" "runcare: athlete add: athlete name \"a+b\" has '+' at byte 2: use letters, digits, '_', '-' and '.'; see 'runcare help athlete add'"
rc athlete add --with-log x
expect_status "--with-log outside rm exits 2" 2
rc --athlete
expect_status "--athlete without a value exits 2" 2
rc --athlete 9x list
expect_status "--athlete with a bad name exits 1" 1
expect_err "naming it" "runcare: athlete name \"9x\" must be 1-63 bytes starting with a letter"
rc club --as-of 2024-13-01
expect_status "club with a bad date exits 1" 1
rc club extra
expect_status "club with a stray argument exits 2" 2
rc migrate
expect_status "migrate without --from and --to exits 2" 2
expect_err "and says so" "runcare: migrate: give --from and --to; see 'runcare help migrate'"
rc migrate --from "$db" --to "sqlite:$db"
expect_status "migrate onto itself exits 1" 1

# reading makes nothing
rc athlete list
expect_status "athlete list on no log exits 0" 0
expect_out "and says there is nobody" "^no athletes yet"
rc club --json
expect_out "club on no log is empty" '^\{"athletes":\[\]\}$'
check "neither made a database" test ! -e "$HOME/.local/share/runcare/runcare.db"

# a SQLite file: one athlete's log
rc --db "$db" athlete add cat
expect_status "athlete add names a SQLite file's athlete" 0
rc --db "$db" athlete add dan
expect_status "a second one is refused: 1" 1
expect_err_re "saying where a club's log lives" "a SQLite log holds one athlete \(a club's log is on PostgreSQL"
rc --db "$db" athlete rm cat
expect_status "athlete rm on SQLite exits 1" 1
rc --db "$db" athlete grant coach cat
expect_status "athlete grant on SQLite exits 1" 1
rc --db "$db" --athlete dan list
expect_status "--athlete another on that file exits 1" 1
expect_err_re "naming both" "is athlete cat's log, not dan's"
rc --db "$db" --athlete cat log --date 2024-06-02 --distance 8km --duration 45:00
rc --db "$db" log --date 2024-06-11 --distance 12km --duration 70:00
expect_status "without --athlete the file's athlete is the default" 0
rc --db "$db" club --json
expect_status "club on a SQLite file exits 0" 0
expect_out "lists its athlete with this week's spike" '^\{"athletes":\[\{"athlete":"cat","as_of":"2024-06-12","week_start":"2024-06-10","week_km":12\.0,"next_run_cap_km":[0-9.]+,"warnings":\[\{"id":"single_run_spike"'
rc --db "$db" club
expect_out "club's text says the spike in words" '^      ! 2024-06-11  run \+50% over the month.s longest$'
check "club's text shows no warning id" bash -c "! grep -q single_run_spike '$T/out'"
rc --db "$db" athlete list --json
expect_out "athlete list --json" '^\[\{"name":"cat","own":true,"coach":false\}\]$'

# PostgreSQL that is not there: exit 3, the URL without its password
rc --db "postgresql://u:secret@127.0.0.1:1/x" list
expect_status "an unreachable server exits 3" 3
expect_err_re "naming the URL, not the password" "^runcare: database postgresql://u:\*\*\*@127\.0\.0\.1:1/x: cannot connect: "
check "the password is not printed" bash -c "! grep -q secret '$T/err'"
done_testing
