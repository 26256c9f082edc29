#!/usr/bin/env bash
# backends: sqlite pg
# t_edit.sh - correcting the log end to end: edit, rm, undo and history;
# implausible runs refused with --force to keep them; sport names as
# runners write them; an undone import leaves the log as it was; a
# removed file-backed run is not imported again unless asked.
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2026-12-04T09:00:00Z
export RUNCARE_DB=$(db_for log)

# ---- plausible input only ----
rc log --date 2026-12-04 --distance 800km --duration 45:00:00
expect_status "a run longer than 24 hours is refused" 1
expect_err "with the reason, --force and the help" "runcare: log: 45:00:00 is longer than 24 hours for one activity; check --distance and --duration, or add --force to keep it; see 'runcare help log'"
rc log --date 2026-12-04 --distance 260km --duration 23:00:00
expect_err "over 250 km of running in a day is refused" "runcare: log: 260.0 km of running in a day is over 250 km; check --distance and --duration, or add --force to keep it; see 'runcare help log'"
rc log --date 2026-12-04 --distance 10km --duration 26:00
expect_err "a 10 km faster than the world record is refused" "runcare: log: 10.00 km in 26:00 is faster than the world record (26:11); check --distance and --duration, or add --force to keep it; see 'runcare help log'"
rc log --date 2026-12-04 --distance 10km --duration 26:20
expect_status "a 10 km just slower than the world record is kept" 0
rc rm 1
rc log --date 2026-12-04 --distance 10km --duration 26:00 --force
expect_status "--force keeps it" 0
rc rm 2
rc list --json
expect_out "nothing refused was stored" '^\[\]$'

# ---- dates in the runner's time zone, the same error shape everywhere ----
rc log --date 1989-12-31 --distance 5km --duration 30:00
expect_err "a date before 1990 names the option" "runcare: log: --date 1989-12-31 is before 1990; see 'runcare help log'"
rc log --date 2026-12-06 --distance 5km --duration 30:00
expect_err_re "a date in the future names today" "^runcare: log: --date 2026-12-06 is in the future \(today is 2026-12-04"
rc log --date 04/12/2026 --distance 5km --duration 30:00
expect_status "a date that is no date is a bad value: 1" 1
expect_err "log says so with its name and help" "runcare: log: --date '04/12/2026' is not a date (YYYY-MM-DD); see 'runcare help log'"
rc list --since 1/11/2026
expect_status "list: 1 as well" 1
expect_err "list: the same shape" "runcare: list: --since '1/11/2026' is not a date (YYYY-MM-DD); see 'runcare help list'"
rc load --as-of 04/12/2026
expect_status "load: 1 as well" 1
expect_err "load: the same shape" "runcare: load: --as-of '04/12/2026' is not a date (YYYY-MM-DD); see 'runcare help load'"
rc edit 1 --date 4.12.2026
expect_err "edit: the same shape" "runcare: edit: --date '4.12.2026' is not a date (YYYY-MM-DD); see 'runcare help edit'"
rc load --weeks 0
expect_status "a bad number is a bad value: 1" 1
rc log --date 2026-12-01 --distance -5 --duration 30:00
expect_err "a negative distance says so" "runcare: log: distance '-5' is below zero: it must be above 0 km; see 'runcare help log'"
# in Honolulu (UTC-10) at 05:00 UTC it is still the 3rd: the 4th is ahead
cat > "$T/hnl.gpx" <<'GPX'
<?xml version="1.0"?>
<gpx version="1.1" creator="t"><trk><type>running</type><trkseg>
<trkpt lat="21.30" lon="-157.85"><time>2026-12-02T07:00:00-10:00</time></trkpt>
<trkpt lat="21.31" lon="-157.85"><time>2026-12-02T07:06:00-10:00</time></trkpt>
</trkseg></trk></gpx>
GPX
hnl=$(db_for hnl)
rc --db "$hnl" import "$T/hnl.gpx"
RUNCARE_NOW=2026-12-04T05:00:00Z rc --db "$hnl" log --date 2026-12-04 --distance 5km --duration 30:00
expect_err_re "today is the runner's, not UTC's" "^runcare: log: --date 2026-12-04 is in the future \(today is 2026-12-03 in the runner's time zone\); see 'runcare help log'$"
RUNCARE_NOW=2026-12-04T05:00:00Z rc --db "$hnl" log --date 2026-12-03 --distance 5km --duration 30:00
expect_status "and its today is fine" 0

# ---- sports as runners write them ----
rc log --date 2026-12-01 --distance 8km --duration 45:00 --sport run
expect_out "run is stored as running (a Run)" "^logged activity 3: Run 2026-12-01, 8.00 km in 45:00, pace 5:38/km$"
rc log --date 2026-12-02 --distance 5km --duration 60:00 --sport Walk
expect_status "Walk is a sport" 0
rc log --date 2026-12-02 --distance 20km --duration 60:00 --sport bike
expect_status "bike is a sport" 0
rc list --sport Run
expect_out "list --sport Run finds the run" "^ +3  2026-12-01  Run "
rc list --sport walk
expect_out "list --sport walk finds the walk" "^ +4  2026-12-02  Walk "
rc list --sport jog
expect_out "jog is running too" "^ +3  2026-12-01  Run "
rc list --sport rowing
expect_status "an unknown sport is a bad value" 1
expect_err_re "and the error lists the known ones" "^runcare: list: --sport 'rowing' is not a sport runcare knows: running \(run, jog\), cycling \(ride, bike\), walking \(walk\)"
rc log --date 2026-12-01 --distance 8km --duration 45:00 --sport rowing
expect_err_re "log lists them too" "^runcare: log: --sport 'rowing' is not a sport runcare knows"

# ---- edit, rm, undo, history ----
rc --db "$T/none.db" undo
expect_status "undo before any log exits 0" 0
expect_out "and says there is nothing to undo" "^nothing to undo$"
check "and makes no database" test ! -e "$T/none.db"
rc shoe add "Pegasus" --default --since 2026-11-01
rc edit 3 --distance 10km --duration 50:00 --rpe 6 --shoe Pegasus
expect_out "edit says what the run is now" "^edited activity 3: Run 2026-12-01, 10.00 km in 50:00, pace 5:00/km, RPE 6, shoe Pegasus; 'runcare undo' takes it back$"
rc edit 3 --distance 100km
expect_status "an edit is checked as a new run" 1
expect_err "with the same words" "runcare: edit: 100.00 km in 50:00 is faster than the world record (6:05:35); check --distance and --duration, or add --force to keep it; see 'runcare help edit'"
rc edit 99 --distance 5km
expect_err "an unknown activity is named" "runcare: edit: no activity 99 in the log; see 'runcare help edit'"
rc edit 3
expect_status "an edit of nothing is a usage error" 2
rc edit 3 --sport swim --name "Pool"
rc list --json
cp "$T/out" "$T/before-rm.json"
rc rm 3 4
expect_out "rm says how to undo" "^removed 2 activities; 'runcare undo' brings them back$"
rc list
check "removed runs leave the list" bash -c "! grep -qE '^ +(3|4) ' '$T/out'"
rc rm 3
expect_err "a removed run cannot be removed again" "runcare: rm: activity 3 was removed ('runcare undo' brings it back); see 'runcare help rm'"
rc edit 3 --rpe 2
expect_status "nor edited" 1
rc undo
expect_out "undo names what it took back" "^undid 'rm 3 4': rm activity 3; rm activity 4$"
rc list --json
check "undo brings both back as they were" cmp "$T/out" "$T/before-rm.json"
rc undo
rc undo
rc list --sport running
expect_out "two undos take back both edits" "^ +3  2026-12-01  Run  +8.00 "
rc history
expect_out "history lists the edit with before and after" "edit activity 3 \(elapsed_s 2700 -> 3000, timer_s 2700 -> 3000, moving_s 2700 -> 3000, distance_m 8000 -> 10000\)"
expect_out "and what undid it" "\[undone by [0-9]+\]"
rc history --json --limit 1
expect_out "history --json gives each field's before and after" '"undoes":[0-9]+.*"fields":\{"rpe":\[6\.0,null\]\}'

# ---- an import undone leaves the log byte for byte ----
rc --db "$(db_for demo)" demo "$T/demo"
rc list --json
cp "$T/out" "$T/before-import.json"
rc shoe list --json
cp "$T/out" "$T/shoes-before.json"
rc import "$T/demo/watch"
expect_status "the demo's watch files import" 0
rc undo
rc list --json
check "undo after an import restores list --json byte for byte" cmp "$T/out" "$T/before-import.json"
rc shoe list --json
check "and the shoes" cmp "$T/out" "$T/shoes-before.json"
rc import "$T/demo/watch"
expect_out "after the undo the files import again" "^imported [1-9][0-9]* files"

# ---- a removed file-backed run is not imported again unless asked ----
rc list --json
id=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print([x["id"] for x in a if x["format"]=="fit"][0])' "$T/out")
rc rm "$id"
rc import "$T/demo/watch"
expect_out "the file of a removed run is left out, and said" "^1 file of removed activities left out; 'runcare import --restore' brings them back$"
rc list
check "it stays removed" bash -c "! grep -qE '^ +$id ' '$T/out'"
rc import --restore "$T/demo/watch"
expect_out "--restore brings it back" "^brought back 1 removed activity \(--restore\)$"
rc list
expect_out "it is listed again" "^ +$id "

done_testing
