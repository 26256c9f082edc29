#!/usr/bin/env bash
# t_inspect_xml.sh - `runcare inspect` on GPX and TCX: found by content, one
# JSON line per file, notes for routes and courses, warnings for repairs,
# Expat's line and column for damage, --salvage, refused entities; and every
# real GPX/TCX file of ../shared/data when it is there.
. "$(dirname "$0")/lib.sh"

cat > "$T/run.txt" <<'GPX'
<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="runcare test" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
 <trk><name>Tuesday</name><type>running</type><trkseg>
  <trkpt lat="45.0000" lon="7.0000"><ele>200</ele><time>2024-05-14T06:00:00Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>
  <trkpt lat="45.0010" lon="7.0000"><ele>205</ele><time>2024-05-14T06:00:20Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>
  <trkpt lat="45.0020" lon="7.0000"><ele>210</ele><time>2024-05-14T06:00:40Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>150</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>
 </trkseg></trk>
</gpx>
GPX
rc inspect --json "$T/run.txt"
expect_status "GPX named .txt is read" 0
expect_out "GPX is found by content" '"format":"gpx","file_type":"activity","records":3,'
expect_out "GPX run: sport, name, distance, heart rate" '"sport":"running","sub_sport":"generic","name":"Tuesday","start_utc":"2024-05-14T06:00:00Z",.*"distance_m":222\.4,"elapsed_s":40\.0,.*"avg_hr_bpm":137,"max_hr_bpm":150'
rc inspect "$T/run.txt"
expect_out "GPX in text" "^$T/run.txt: gpx activity, 3 records$"
expect_out "GPX activity line" "^  Run 2024-05-14 06:00 UTC, 0\.22 km in 0:40, pace 3:00/km, \+10 m, HR 137/150, 0 laps, 3 samples, runcare test$"

cat > "$T/route.gpx" <<'GPX'
<gpx version="1.1"><rte><rtept lat="45" lon="7"/><rtept lat="45.1" lon="7"/></rte></gpx>
GPX
rc inspect --json "$T/route.gpx"
expect_status "a route is not an error" 0
expect_out "a route is not an activity" '"file_type":"route","records":0,"note":"a planned route, not an activity: 2 route points","activities":\[\]'

cat > "$T/plan.gpx" <<'GPX'
<gpx version="1.1"><trk><trkseg><trkpt lat="45" lon="7"/><trkpt lat="45.1" lon="7"/></trkseg></trk></gpx>
GPX
rc inspect "$T/plan.gpx"
expect_out "a track without times is not an activity" "^$T/plan.gpx: gpx track, 2 records \(no timestamps, not an activity: 2 track points\)$"

# Strava: the gpxdata: prefix is never declared
sed 's|<gpxtpx:TrackPointExtension>|<gpxdata:cadence>80</gpxdata:cadence>&|' "$T/run.txt" > "$T/strava.gpx"
rc inspect --json "$T/strava.gpx"
expect_status "undeclared prefix imports" 0
expect_out "undeclared prefix is named in warnings" '"warnings":\["undeclared prefix '"'"'gpxdata'"'"' at line 4: read without namespaces"\]'
rc inspect "$T/strava.gpx"
expect_out "text output shows the warning" "^  warning: undeclared prefix 'gpxdata' at line 4: read without namespaces$"

cat > "$T/polar.tcx" <<'TCX'
          <?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
 <Activities><Activity Sport="Running"><Id>2016-09-12T11:19:55.000Z</Id>
  <Lap StartTime="2016-09-12T11:19:55.000Z"><TotalTimeSeconds>402.0</TotalTimeSeconds><DistanceMeters>1000.0</DistanceMeters><Calories>65</Calories>
   <Track>
    <Trackpoint><Time>2016-09-12T11:19:56.000Z</Time><Position><LatitudeDegrees>47.1974</LatitudeDegrees><LongitudeDegrees>-1.5941</LongitudeDegrees></Position><DistanceMeters>2.3</DistanceMeters><HeartRateBpm><Value>85</Value></HeartRateBpm></Trackpoint>
    <Trackpoint><Time>2016-09-12T11:26:37.000Z</Time><Position><LatitudeDegrees>47.2054</LatitudeDegrees><LongitudeDegrees>-1.5941</LongitudeDegrees></Position><DistanceMeters>1000.0</DistanceMeters><HeartRateBpm><Value>135</Value></HeartRateBpm></Trackpoint>
   </Track></Lap>
  <Creator><Name>Polar V800</Name><UnitId>0</UnitId><ProductID>13</ProductID></Creator>
 </Activity></Activities>
</TrainingCenterDatabase>
TCX
rc inspect --json "$T/polar.tcx"
expect_status "blanks before <?xml import" 0
expect_out "TCX is found by content" '"format":"tcx","file_type":"activity","records":2,'
expect_out "TCX laps and device" '"distance_m":1000\.0,.*"timer_s":402\.0,.*"calories_kcal":65,"laps":1,"samples":2,"device":\{"manufacturer":"polar",.*"product_name":"Polar V800"'
expect_out "the blanks are named in warnings" '"warnings":\["10 blanks before the XML declaration at line 1: skipped"\]'

# damage: Expat's line and column; nothing half-built
head -c -60 "$T/run.txt" > "$T/cut.gpx"
rc inspect "$T/cut.gpx"
expect_status "a cut-off GPX exits 1" 1
expect_err_re "a cut-off GPX names line and column" "^runcare: $T/cut.gpx: line 6 col [0-9]+: not well-formed XML: .* \(the file ends early: cut off\?\)$"
rc inspect --json "$T/cut.gpx"
expect_out "--json error has line and column" '"ok":false,"error":\{"line":6,"column":[0-9]+,"message":"not well-formed XML: '
rc inspect --salvage --json "$T/cut.gpx"
expect_status "--salvage keeps what is complete" 0
expect_out "--salvage keeps the complete points" '"records":2,.*"samples":2,.*"salvaged":true\},?.*\],"salvaged":true,"warnings":\["salvaged: line 6 col'

sed '5s|</trkpt>|</trkpoint>|' "$T/run.txt" > "$T/bad.gpx"
rc inspect --salvage "$T/bad.gpx"
expect_status "malformed GPX salvaged" 0
rc inspect "$T/bad.gpx"
# Expat: line 5, column 193 counted from 0
expect_err "malformed GPX: line and column" "runcare: $T/bad.gpx: line 5 col 194: not well-formed XML: mismatched tag"

cat > "$T/laughs.gpx" <<'GPX'
<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<gpx>&b;</gpx>
GPX
rc inspect "$T/laughs.gpx"
expect_status "entity declarations are refused" 1
expect_err "the refusal says why" "runcare: $T/laughs.gpx: line 2 col 27: entity 'a' declared: refused (entities can expand without bound)"

printf '<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>\n' > "$T/track.kml"
rc inspect "$T/track.kml"
expect_status "other XML is not an activity file" 1
expect_err "other XML is named by its root" "runcare: $T/track.kml: offset 22: XML, but neither GPX nor TCX: the root element is <kml>"

# several files: one line each, exit 1 when any fails
rc inspect --json "$T/run.txt" "$T/cut.gpx" "$T/polar.tcx"
expect_status "one bad file among good ones exits 1" 1
check "one JSON line per file" test "$(wc -l < "$T/out")" -eq 3

# the real files
if shared_data; then
    d=$RUNCARE_SHARED_DATA/activities
    rc inspect --json "$d"/gpx/*.gpx "$d"/tcx/*.tcx
    expect_status "every real GPX and TCX file decodes" 0
    check "every real file gives one line" test "$(grep -c '"ok":true' "$T/out")" -eq "$(ls "$d"/gpx/*.gpx "$d"/tcx/*.tcx | wc -l)"
    rc inspect "$d/invalid/derived__togeojson__run.truncated-half.gpx"
    expect_err "the cut-off GPX fails at its line" "runcare: $d/invalid/derived__togeojson__run.truncated-half.gpx: line 932 col 9: not well-formed XML: unclosed token (the file ends early: cut off?)"
    rc inspect --json --salvage "$d/invalid/derived__tcxparser__test.truncated-half.tcx"
    expect_out "the cut-off TCX salvages its 191 complete points" '"records":191,.*"salvaged":true'
    rc inspect --json "$d"/invalid/sportslib__runs-*.gpx "$d"/invalid/sportslib__runs-*.tcx
    expect_status "the lenient real exports import" 0
    check "each names its repair" test "$(grep -cE '"warnings":\["(undeclared prefix .gpxdata. at line 17|10 blanks before the XML declaration at line 1)' "$T/out")" -eq 3
else
    skip "real GPX and TCX files" "../shared/data not found"
fi

done_testing
