#!/usr/bin/env bash
# t_import_strava.sh - a Strava export's activities entered by hand (rows
# of activities.csv with no file) become logged runs with their distance,
# time, name and gear, counted in the summary, once; a file whose
# timestamps cannot be real is refused, or kept undated with --salvage,
# never stored as 1901.
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2026-12-04T09:00:00Z
export RUNCARE_DB=$T/log.db
exp=$T/export
mkdir -p "$exp/activities"
cat > "$exp/activities.csv" <<'CSV'
Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Activity Gear,Filename,Moving Time,Distance
101,"Nov 3, 2026, 5:30:12 PM",Treadmill tempo,Run,"hard, but ""fine""",2700,8.02,Pegasus 40,,2640,8020.5
102,"Nov 5, 2026, 7:00:00 AM",Morning Run,Run,,1800,5.0,,activities/102.gpx,1750,5000.0
103,"Nov 7, 1985, 7:00:00 AM",Before GPS,Run,,1800,5.0,,,1750,5000.0
104,"Nov 8, 2026, 6:00:00 PM",Gym bike,Ride,,3600,30.0,,,3600,30000.0
CSV
cat > "$exp/activities/102.gpx" <<'GPX'
<?xml version="1.0"?>
<gpx version="1.1" creator="t"><trk><type>running</type><trkseg>
<trkpt lat="52.0" lon="4.0"><time>2026-11-05T07:00:00Z</time></trkpt>
<trkpt lat="52.0001" lon="4.0"><time>2026-11-05T07:00:05Z</time></trkpt>
</trkseg></trk></gpx>
GPX

rc import "$exp"
expect_status "a row that cannot be right fails the import (exit 1)" 1
expect_out "the summary counts the rows entered by hand" "^imported 3 files \(3 new activities\), 0 duplicates, 0 not activities, 0 salvaged, 1 failed$"
expect_out "and says what they are" "^added 2 activities entered by hand on Strava \(no file\)$"
expect_err "a row dated before 1990 is named with why" "runcare: $exp/activities.csv (Activity ID 103): Activity Date 1985-11-07T07:00:00Z is before 1990"
rc list --json
check "the treadmill run has its distance, time, name and gear" python3 -c '
import json, sys
a = {x["name"]: x for x in json.load(open(sys.argv[1]))}
t = a["Treadmill tempo"]
assert t["sport"] == "running" and t["format"] == "manual", t
assert abs(t["distance_m"] - 8020.5) < 0.01, t
assert t["elapsed_s"] == 2700 and t["moving_s"] == 2640, t
assert t["shoe"] == "Pegasus 40" and t["local_date"] == "2026-11-03", t
assert a["Gym bike"]["sport"] == "cycling"
' "$T/out"
rc load --json
check "the manual run counts in the load" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert any(w["km"] >= 8.0 for w in r["weeks"]), r["weeks"]
' "$T/out"

rc import "$exp"
expect_out "imported again, the rows are known" "^imported 0 files \(0 new activities\), 3 duplicates"
rc list
expect_out "and not added twice" "^3 activities"

id=$(python3 -c 'import json,sys; print([x["id"] for x in json.load(open(sys.argv[1])) if x["name"]=="Treadmill tempo"][0])' <(RUNCARE_DB=$RUNCARE_DB "$RUNCARE" list --json))
rc rm "$id"
rc import "$exp"
expect_out "a removed manual run stays removed" "^1 file of removed activities left out"
rc import --restore "$exp"
expect_out "until --restore" "^brought back 1 removed activity"

# a GPX whose points say 1901 (a clock never set)
cat > "$T/1901.gpx" <<'GPX'
<?xml version="1.0"?>
<gpx version="1.0" creator="t"><time>2010-12-14T06:17:04Z</time><trk><trkseg>
<trkpt lat="46.4" lon="13.8"><time>1901-12-13T20:45:52Z</time></trkpt>
<trkpt lat="46.41" lon="13.8"><time>1901-12-13T20:45:52Z</time></trkpt>
</trkseg></trk></gpx>
GPX
rc --db "$T/old.db" import "$T/1901.gpx"
expect_status "timestamps that cannot be real fail the file" 1
expect_err "saying when and why" "runcare: $T/1901.gpx: its timestamps are not real: it starts 1901-12-13T20:45:52Z, before 1990 (the device's clock was not set); --salvage keeps it undated"
rc --db "$T/old.db" import --salvage "$T/1901.gpx"
expect_out "--salvage keeps it" "1 salvaged, 0 failed$"
rc --db "$T/old.db" list --json
check "undated, never 1901" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert len(a) == 1 and a[0]["local_date"] is None and a[0]["start_utc"] is None, a
' "$T/out"
done_testing
