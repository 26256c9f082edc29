#!/usr/bin/env bash
# t_load.sh - `runcare load` from the command line: an empty log says how
# to add runs, --json and --svg on an empty log, and every usage error.
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2024-06-10T12:00:00Z

rc load
expect_status "empty log exits 0" 0
expect_out "empty log says how to add runs" "^No runs in your log yet\. Add some with:"
expect_out "empty log names runcare import" "^  runcare import "
expect_out "empty log names runcare log" "^  runcare log --date "
check "empty log creates no database" test ! -e "$HOME/.local/share/runcare/runcare.db"

rc load --json
expect_status "empty log --json exits 0" 0
expect_out "--json is one object as of today" '^\{"as_of":"2024-06-10","next_run_cap_km":null,'
expect_out "--json lists the weeks" '"weeks":\[\{"week_start":"2024-03-25",'
expect_out "--json has no warnings" '"warnings":\[\],"shoes":\[\]\}$'
expect_err_re "--json hint goes to stderr" "No runs in your log yet"

rc load --as-of 2024-01-03 --weeks 2 --json
expect_out "--as-of and --weeks" '^\{"as_of":"2024-01-03".*"weeks":\[\{"week_start":"2023-12-25",[^]]*"week_start":"2024-01-01"[^]]*\],'

rc load --svg "$T/chart.svg"
expect_status "--svg on an empty log exits 0" 0
check "--svg writes a whole SVG" grep -q '</svg>' "$T/chart.svg"
check "--svg chart says how to add runs" grep -q 'No runs yet' "$T/chart.svg"
check "--svg leaves no temporary file" test -z "$(ls "$T" | grep 'chart.svg.tmp')"

rc load --svg - --as-of 2024-06-10
expect_out "--svg - writes the chart to stdout" '^<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 '

rc load --svg "$T/no/such/dir/chart.svg"
expect_status "unwritable --svg exits 3" 3
expect_err_re "unwritable --svg names the file" "^runcare: $T/no/such/dir/chart.svg: cannot write the chart: "

# usage errors: exit 2, one line with the hint
rc load --as-of 2024-13-01
expect_status "a bad date is a bad value: 1" 1
expect_err "a bad date says what is wrong" "runcare: load: --as-of '2024-13-01' is not a date (YYYY-MM-DD); see 'runcare help load'"
rc load --as-of yesterday
expect_status "a word for a date is a bad value: 1" 1
rc load --weeks 0
expect_status "--weeks 0 is a bad value: 1" 1
expect_err "--weeks range" "runcare: load: --weeks '0' is not a whole number in 1-520; see 'runcare help load'"
rc load --weeks 521
expect_status "--weeks 521 is a bad value: 1" 1
rc load --weeks
expect_status "--weeks without a value exits 2" 2
rc load --bogus
expect_status "unknown option exits 2" 2
expect_err "unknown option names it" "runcare: load: unknown option '--bogus'; see 'runcare help load'"
rc load 2024-06-01
expect_status "a stray argument exits 2" 2
expect_err "a stray argument is named" "runcare: load: unexpected argument '2024-06-01'; see 'runcare help load'"
rc load --json --svg -
expect_status "--json with --svg - exits 2" 2

rc help load
expect_out "help shows the options" "--new-runner"
done_testing
