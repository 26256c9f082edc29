#!/usr/bin/env bash
# t_log.sh - the training log without files: log, list, rpe, shoe; the
# database path rule; bad values and their messages.
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2024-06-01T12:00:00Z

# the database rule (app_open): what writes makes the file (and only the
# default folder); what reads makes nothing
rc list
expect_status "list on a new log exits 0" 0
expect_out "an empty log says how to fill it" "^no activities in the log; add some with 'runcare import' or 'runcare log'$"
check "list makes no database" test ! -e "$HOME/.local"
XDG_DATA_HOME=$T/xdg rc shoe list
check "shoe list makes no database" test ! -e "$T/xdg"
XDG_DATA_HOME=$T/xdg rc shoe add Probe
check "XDG_DATA_HOME is honoured, its runcare folder made" test -f "$T/xdg/runcare/runcare.db"
RUNCARE_DB=$T/env.db rc shoe add Probe
check "RUNCARE_DB is honoured" test -f "$T/env.db"
rc --db "$T/opt/deep/x.db" shoe add Probe
expect_status "--db in a folder that is not there exits 3" 3
expect_err "the missing folder is named" "runcare: no database at $T/opt/deep/x.db: there is no folder $T/opt/deep"
check "--db makes no folders" test ! -e "$T/opt"
rc --db "$T/opt/deep/x.db" list
expect_status "list in a folder that is not there exits 3" 3
check "list makes no folders" test ! -e "$T/opt"

rc shoe list
expect_out "no shoes yet" "^no shoes yet"
rc shoe add "Pegasus 40" --start-km 690 --default --since 2024-04-01
expect_status "shoe add exits 0" 0
check "the first write makes the database at the XDG default" test -f "$HOME/.local/share/runcare/runcare.db"
expect_out "shoe add says km and limit" '^added shoe "Pegasus 40": 690 km so far, retire at 700 km; new runs count to it$'
rc shoe add "pegasus 40"
expect_status "a taken shoe name exits 1" 1
expect_err "a taken name is named" "runcare: shoe add: there is already a shoe named \"Pegasus 40\"; see 'runcare help shoe add'"
rc shoe add Trail --limit-km 500mi
expect_out "limit in miles" "retire at 805 km"
rc shoe add Bad --limit-km lots
expect_err "a bad limit is named" "runcare: shoe add: --limit-km 'lots' is not a distance in km or mi (e.g. 700, 700km, 450mi); see 'runcare help shoe add'"

rc log --date 2024-05-01 --distance 8km --duration 45:00 --rpe 6
expect_status "log exits 0" 0
expect_out "log confirms with pace and shoe" "^logged activity 1: Run 2024-05-01, 8.00 km in 45:00, pace 5:38/km, RPE 6, shoe Pegasus 40$"
rc log --date 2024-05-02 --distance 5mi --duration 42m --shoe trail
expect_out "miles and minutes, another shoe" "^logged activity 2: Run 2024-05-02, 8.05 km in 42:00, pace 5:13/km, shoe Trail$"
rc log --date 2024-05-03 --distance 3000m --duration 1:00:00 --sport walking
expect_out "a walk" "^logged activity 3: Walk 2024-05-03, 3.00 km in 1:00:00$"

# both sides of the pace bounds (2:20/km and 30:00/km)
rc log --date 2024-05-04 --distance 1km --duration 140s
expect_status "2:20/km is still a run" 0
rc log --date 2024-05-04 --distance 1km --duration 139s
expect_status "faster than 2:20/km is refused" 1
expect_err "the pace is named" "runcare: log: a pace of 2:19/km is not a run (2:20-30:00/km); check --distance and --duration, give --sport, or add --force to keep it; see 'runcare help log'"
rc log --date 2024-05-04 --distance 1km --duration 30m
expect_status "30:00/km is still a run" 0
rc log --date 2024-05-04 --distance 1km --duration 30m1s
expect_status "slower than 30:00/km is refused" 1

rc log --date 2024-13-01 --distance 5 --duration 25
expect_status "a bad date exits 1" 1
expect_err "a bad date is named" "runcare: log: --date '2024-13-01' is not a date (YYYY-MM-DD); see 'runcare help log'"
rc log --date 2024-06-03 --distance 5 --duration 25
expect_err_re "a future date is refused" "^runcare: log: --date 2024-06-03 is in the future \\(today is 2024-06-01"
rc log --date 2024-06-02 --distance 5 --duration 25
expect_status "tomorrow is allowed (time zones)" 0
rc log --date 2024-05-01 --distance 5 --duration 25 --rpe 11
expect_err "an RPE of 11 is refused" "runcare: log: --rpe '11' is not an effort from 0 to 10 (CR-10); see 'runcare help log'"
rc log --date 2024-05-01 --distance 5 --duration 25 --shoe Nope
expect_status "an unknown shoe exits 1" 1
expect_err "an unknown shoe is named" "runcare: log: --shoe: no shoe named \"Nope\"; add it with 'runcare shoe add'; see 'runcare help log'"
rc log --date 2024-05-01 --distance -5 --duration 25
expect_status "a negative distance exits 1" 1
rc log --date 2024-05-01
expect_status "missing distance is a usage error" 2

rc list
expect_out "list shows the first run, its RPE and load (RPE x minutes)" "^     1  2024-05-01  Run         8.00    45:00   5:38    -    6   270  Pegasus 40"
expect_out "and the totals of each sport apart" "^  Walk +1, +3.0 km in 1:00:00$"
expect_out "list counts" "^6 activities, 26.0 km$"
expect_err_re "list warns of a shoe past its limit" "shoe \"Pegasus 40\" has run 7[0-9][0-9] km, past its 700 km limit"
rc list --sport walking --json
expect_out "list --json filters by sport" '^\[\{"sport":"walking".*"id":3,"local_date":"2024-05-03","format":"manual","rpe":null,"shoe":null\}\]$'
rc list --since 2024-05-02 --until 2024-05-02
expect_out "one day" "^1 activity, 8.0 km$"
rc list --since 2024-05-03 --until 2024-05-02
expect_err "since after until" "runcare: list: --since is after --until; see 'runcare help list'"
rc list --since yesterday
expect_status "a bad --since exits 1" 1

rc rpe 2 7.5
expect_out "rpe confirms" "^activity 2 \(Run 2024-05-02, 8.05 km\): RPE 7.5$"
rc rpe last 3
expect_out "rpe last rates the newest" "^activity 6 \(Run 2024-06-02, 5.00 km\): RPE 3$"
rc rpe 99 3
expect_err "rpe of an unknown activity" "runcare: rpe: no activity 99 in the log; see 'runcare help rpe'"
rc rpe 2 10.5
expect_err "rpe above 10" "runcare: rpe: effort '10.5' is not an effort from 0 to 10 (CR-10); see 'runcare help rpe'"
rc rpe 2
expect_status "rpe without N is a usage error" 2

rc shoe retire "Pegasus 40"
expect_out "retire says the km" '^retired shoe "Pegasus 40" after 7[0-9][0-9] km$'
rc shoe list --json
expect_out "retired shoe is not default" '"name":"Pegasus 40","km":7[0-9.]+,"start_km":690.0,"limit_km":700.0,"runs":[0-9]+,"retired":true,"default":false'
rc list
check "no warning for a retired shoe" test ! -s "$T/err"
rc shoe default Trail
expect_out "default" '^new runs count to "Trail"'
rc shoe default --none
expect_out "no default" "^no default shoe"
rc shoe fly
expect_status "unknown shoe action" 2

echo garbage > "$T/bad.db"
rc --db "$T/bad.db" list
expect_status "a file that is not a database exits 3" 3
expect_err_re "and is named" "bad.db is not a runcare database"
mkdir -p "$T/ro" && touch "$T/ro/x"
rc --db "$T/ro" list
expect_status "a folder as database exits 3" 3

done_testing
