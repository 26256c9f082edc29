#!/usr/bin/env bash
# t_show.sh - one run's page: totals, splits per km and per mile, heart-rate
# zones, elevation, JSON, and the SVG of pace, heart rate and elevation
# over distance; an unknown or removed activity is a bad value.
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2026-12-04T09:00:00Z
export RUNCARE_DB=$T/log.db
# 2.5 km at 3 m/s (5:33/km), a point every 10 s, heart rate 140 then 160,
# climbing 1 m a point
python3 - "$T/run.gpx" <<'PY'
import sys
pts = []
for i in range(0, 84):
    lat = 52.0 + i * 30 / 111195.0
    hr = 140 if i < 42 else 160
    t = 1796000000 + 10 * i
    import datetime
    ts = datetime.datetime.utcfromtimestamp(t).strftime("%Y-%m-%dT%H:%M:%SZ")
    pts.append('<trkpt lat="%.7f" lon="4.0"><ele>%d</ele><time>%s</time>'
               '<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>%d'
               '</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>'
               '</trkpt>' % (lat, 10 + i, ts, hr))
open(sys.argv[1], "w").write(
    '<?xml version="1.0"?>\n<gpx version="1.1" creator="t" '
    'xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx='
    '"http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk>'
    '<type>running</type><trkseg>' + "\n".join(pts) + '</trkseg></trk></gpx>\n')
PY
rc import "$T/run.gpx"
expect_status "the run imports" 0
rc show last
expect_status "show last" 0
expect_out "the totals" "^activity 1: Run 2026-1[12]-[0-9]+, 2\.49 km in 13:50, pace 5:33/km$"
expect_out "the first km split" "^  1\.00 +5:33 +5:33 +140 +33m +0m$"
expect_out "the second" "^  2\.00 +5:33 +5:33 +1[45][0-9] +33m +0m$"
expect_out "the rest" "^  2\.49 +2:43 "
expect_out "the zones are of the log's highest heart rate" "^  heart-rate zones \(of 160 bpm, the log's highest\):$"
expect_out "140 of 160 is zone 4 (each step at its end's heart rate)" "^  Z4 128-144 bpm +6:50 +49%$"
expect_out "160 zone 5" "^  Z5 144-160 bpm +7:00 +51%$"
rc show 1 --miles
expect_out "splits per mile" "^  1\.00 +8:56 +8:56 "
rc show 1 --json
check "--json has the splits, zones and elevation" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["activity"]["id"] == 1 and len(s["splits"]) == 3, s["splits"]
assert abs(s["splits"][0]["time_s"] - 333.3) < 0.5, s["splits"][0]
assert [z["time_s"] for z in s["hr_zones"]][3:] == [410, 420], s["hr_zones"]
assert s["min_altitude_m"] == 10 and s["max_altitude_m"] == 93
' "$T/out"
rc show 1 --svg "$T/run.svg"
expect_status "--svg writes the chart" 0
check "an SVG with the pace, heart-rate and elevation panels" python3 -c '
import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
texts = [t.firstChild.data for t in d.getElementsByTagName("text")]
assert len(d.getElementsByTagName("path")) == 3, texts
assert any(t.startswith("pace") for t in texts) and any(t.startswith("heart rate") for t in texts) and any(t.startswith("elevation") for t in texts), texts
' "$T/run.svg"
rc show 9
expect_status "an unknown activity is a bad value" 1
expect_err "named with the command" "runcare: show: no activity 9 in the log; see 'runcare help show'"
rc rm 1
rc show 1
expect_err "a removed one says how to bring it back" "runcare: show: activity 1 was removed ('runcare undo' brings it back); see 'runcare help show'"
rc rpe 1 5
expect_err "and cannot be rated" "runcare: rpe: activity 1 was removed ('runcare undo' brings it back); see 'runcare help rpe'"
done_testing
