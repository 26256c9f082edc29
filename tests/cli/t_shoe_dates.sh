#!/usr/bin/env bash
# backends: sqlite pg
# t_shoe_dates.sh - shoes with dates: a shoe counts the runs of the days
# it was in use, an import gives each run the shoe in use on its day, and
# a shoe bought today does not take the runs of years before.
. "$(dirname "$0")/lib.sh"
export RUNCARE_NOW=2026-12-04T09:00:00Z
export RUNCARE_DB=$(db_for log)

rc --db "$(db_for demo)" demo "$T/demo"
expect_status "the demo writes its watch files" 0

rc shoe add "Pegasus 40" --start-km 120 --default
rc import "$T/demo/watch"
rc shoe list --json
expect_out "a shoe bought today keeps its km after an import of older runs" '"name":"Pegasus 40","km":120\.0,.*"runs":0'
expect_out "its first day of use is today" '"since":"2026-12-04"'

# two shoes with dates: each run to the one in use on its day
export RUNCARE_DB=$(db_for dated)
rc shoe add Old --since 2026-08-01
rc shoe retire Old --on 2026-10-31
expect_status "shoe retire --on a day" 0
rc shoe add New --since 2026-11-01 --default
rc shoe add Later --since 2026-12-06
expect_status "a first day of use in the future is refused" 1
expect_err "naming the option and the command" "runcare: shoe add: --since 2026-12-06 is in the future (today is 2026-12-04 in the runner's time zone, UTC: no run with a time zone yet); see 'runcare help shoe add'"
rc import "$T/demo/watch"
rc list --since 2026-10-01 --until 2026-10-31
check "an October run goes to the shoe in use then" grep -qE ' Old +' "$T/out"
check "and no October run to the later one" bash -c "! grep -qE ' New +' '$T/out'"
rc list --since 2026-11-01
check "a November run goes to the new shoe" grep -qE ' New +' "$T/out"
check "and none to the retired one" bash -c "! grep -qE ' Old +' '$T/out'"

# a shoe added with a past first day takes the runs of its days that
# count to no shoe
export RUNCARE_DB=$(db_for late)
rc import "$T/demo/watch"
rc shoe add Late --since 2026-11-15
rc list --since 2026-11-15
check "runs from its first day on count to it" grep -qE ' Late +' "$T/out"
rc list --until 2026-11-14
check "runs before it do not" bash -c "! grep -qE ' Late +' '$T/out'"
rc undo
rc list
check "undo of the shoe add takes it off the runs too" bash -c "! grep -qE ' Late +' '$T/out'"

done_testing
