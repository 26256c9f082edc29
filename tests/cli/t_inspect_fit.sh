#!/usr/bin/env bash
# t_inspect_fit.sh - `runcare inspect` on FIT files: the JSON line and the
# text summary, damaged files refused with the offset and the salvage hint,
# --salvage, non-activity files, several files at once. The files are the
# fuzz seeds runcare wrote itself (fuzz/gen_fit_seeds.c); the real files of
# ../shared/data are used when present.
. "$(dirname "$0")/lib.sh"
seeds=$(cd "$(dirname "$0")/../../fuzz/corpus/fit" && pwd)

rc inspect --json "$seeds/plain.fit"
expect_status "a good FIT file exits 0" 0
expect_out "one JSON line with the issue's fields" \
    '^\{"file":".*plain\.fit","ok":true,"format":"fit","file_type":"activity","records":12,"activities":\[\{"sport":"running","sub_sport":"generic","start_utc":"2019-02-17T06:26:44Z","utc_offset_s":3600,'
expect_out "the device is named" '"device":\{"manufacturer":"garmin","product":2697,"serial":12345\}'
expect_out "the FIT framing is shown" '"fit":\{"parts":1,"part":\[\{"offset":0,"header_size":14,"protocol":"2.0","profile":2132,"header_crc":"ok","crc_ok":true\}\]'
check "exactly one line per file" test "$(wc -l < "$T/out")" -eq 1

rc inspect "$seeds/plain.fit"
expect_status "text mode exits 0" 0
expect_out "text names format, type and records" 'plain\.fit: fit activity, 12 records$'
expect_out "text shows the framing" '^  fit: 1 part, protocol 2\.0, profile 21\.32, 14-byte header \(CRC ok\)'
expect_out "text summarises the run" '^  Run 2019-02-17 07:26 \(UTC\+01:00\)'

rc inspect "$seeds/badcrc.fit"
expect_status "a bad CRC exits 1" 1
expect_err "a bad CRC names the offset, both CRCs and --salvage" \
    "runcare: $seeds/badcrc.fit: offset 723: file CRC 0x6758, computed 0x6759; --salvage keeps the 12 complete records before the damage"
rc inspect --json "$seeds/badcrc.fit"
expect_out "--json failure line" '^\{"file":".*badcrc\.fit","ok":false,"error":\{"offset":723,"message":"file CRC 0x6758, computed 0x6759; --salvage keeps'
rc inspect --json --salvage "$seeds/badcrc.fit"
expect_status "--salvage accepts it" 0
expect_out "--salvage marks file and activity" '"salvaged":true\}\],"salvaged":true,"warnings":\["salvaged: offset 723: file CRC'

rc inspect "$seeds/truncated.fit"
expect_status "a cut file exits 1" 1
expect_err_re "a cut file is refused at the data size" 'offset 4: header says 709 data bytes \+ CRC, only 469 bytes remain: the file is cut off; --salvage keeps the 8 complete records'
rc inspect --salvage "$seeds/truncated.fit"
expect_status "--salvage keeps a cut file" 0
expect_out "it keeps the complete records" 'truncated\.fit: fit activity, 8 records, salvaged$'

rc inspect --json "$seeds/course.fit"
expect_status "a course is not an error" 0
expect_out "a course is not an activity" '"file_type":"course","records":12,"note":"a course file, not an activity","activities":\[\]'

rc inspect --json "$seeds/multisport.fit"
expect_out "one activity per session, each with its sport" '"activities":\[\{"sport":"running".*\},\{"sport":"cycling"'

rc inspect --json "$seeds/developer.fit"
expect_out "developer fields are named" '"developer_fields":\[\{"name":"Power","units":"W","developer_data_index":0,"field":0,"native":"record.power","values":12,'

rc inspect --json "$seeds/plain.fit" "$seeds/badcrc.fit" "$seeds/big.fit"
expect_status "any failure makes the exit 1" 1
check "one line per file, failures included" test "$(wc -l < "$T/out")" -eq 3

if shared_data; then
    d=$RUNCARE_SHARED_DATA/activities
    rc inspect "$d/invalid/gpsbabel__track-lezyne_super_gps-garmin_fit-sample-bad-endian.fit"
    expect_err_re "garbage inside a real file: its offset" 'offset 22227: architecture byte 229 is neither 0 \(little-endian\) nor 1 \(big-endian\); --salvage keeps the 804 complete records'
    rc inspect --json "$d/fit/fitdecode__garmin-fr935-cr.fit"
    expect_out "records counted over every chained part" '"records":7515,'
    expect_out "all seven parts listed" '"fit":\{"parts":7,'
    rc inspect --json "$d/fit/fitparse__Settings.fit"
    expect_out "a settings file is reported with its type" '"file_type":"settings","records":0,"note":"a settings file, not an activity"'
else
    skip "shared data examples" "../shared/data not found"
fi
done_testing
