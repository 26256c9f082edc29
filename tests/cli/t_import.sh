#!/usr/bin/env bash
# backends: sqlite pg
# t_import.sh - runcare import end to end: usage, paths that cannot be
# read, symlink loops, the progress bar on a terminal only, the summary and
# the exit status. (Formats and export layouts: t_import_formats.sh and
# tests/unit/test_import*.c.)
. "$(dirname "$0")/lib.sh"

rc import
expect_status "import without a path is a usage error" 2
expect_err "and says so" "runcare: import: no file or folder given; see 'runcare help import'"
rc import --threads 0 x
expect_status "--threads 0 is a bad value: 1" 1

rc import "$T/missing.fit"
expect_status "a missing file exits 1" 1
expect_err "a missing file is named with its reason" "runcare: $T/missing.fit: cannot open: No such file or directory"
expect_out "the summary counts it" "^imported 0 files \(0 new activities\), 0 duplicates, 0 not activities, 0 salvaged, 1 failed$"
expect_out "the summary says the log is empty" "^the log holds no activities$"

mkdir -p "$T/empty"
rc import "$T/empty"
expect_status "an empty folder is not an error" 0

mkdir -p "$T/loop/sub"
ln -s "$T/loop" "$T/loop/sub/up"
ln -s "$T/loop/self" "$T/loop/self"
echo "notes" > "$T/loop/sub/readme.txt"
rc import "$T/loop"
expect_status "symlink loops fail the import" 1
expect_err_re "a loop through a parent is named" "^runcare: $T/loop/sub/up: symlink loop: this folder was already walked$"
expect_err_re "a self loop is named" "^runcare: $T/loop/self: symlink loop: too many levels of symbolic links$"
expect_out "other files are skipped and counted" "2 failed, 1 other file skipped$"

echo "this is not an activity" > "$T/notes.fit"
rc import "$T/notes.fit"
expect_err "a file that is no activity file names offset 0" "runcare: $T/notes.fit: offset 0: not an activity file: neither FIT (no \".FIT\" at byte 8) nor GPX or TCX XML"

printf 'PK\003\004garbage' > "$T/broken.zip"
rc import "$T/broken.zip"
expect_status "a broken zip exits 1" 1
expect_err_re "a broken zip is named" "^runcare: $T/broken.zip: (corrupt zip|not a readable zip)"

# the progress bar: on a terminal (script gives one), never on a pipe
if command -v script > /dev/null; then
    last_cmd="script runcare import"
    tty_db=$(db_for tty)
    script -qc "$RUNCARE --db '$tty_db' import $T/loop" /dev/null > "$T/tty.out" 2>&1
    if grep -q "files.*MB/s.*ETA" "$T/tty.out"; then ok "a terminal shows the progress bar"; else not_ok "a terminal shows the progress bar"; fi
    script -qc "$RUNCARE --db '$tty_db' import --no-progress $T/loop" /dev/null > "$T/tty.out" 2>&1
    if ! grep -q "MB/s" "$T/tty.out"; then ok "--no-progress hides it"; else not_ok "--no-progress hides it"; fi
else
    skip "a terminal shows the progress bar" "script(1) not installed"
fi
rc import "$T/loop"
check "a pipe shows no progress bar" bash -c "! grep -q 'MB/s' '$T/err'"

# every broken file of ../shared/data is listed with where and why
if shared_data; then
    inv=$RUNCARE_SHARED_DATA/activities/invalid
    rc --db "$(db_for invalid)" import "$inv"
    expect_status "the invalid folder exits 1" 1
    n=$(ls "$inv" | wc -l)
    listed=$(grep -cE "^runcare: $inv/[^:]+: (offset [0-9]+|line [0-9]+ col [0-9]+): [a-z]" "$T/err")
    # three real exports that only strict XML parsers reject are imported
    if [ "$listed" -ge $((n - 3)) ] && [ "$listed" -le "$n" ]; then ok "each broken file names its offset or line ($listed of $n)"; else not_ok "each broken file names its offset or line ($listed of $n)"; fi
    expect_out "the summary counts them" " $listed failed"
else
    skip "the invalid folder" "../shared/data not found"
fi

# the demo athlete's watch files go through the real import path
demo_db=$(db_for demo)
rc --db "$demo_db" demo "$T/demo"
expect_status "demo exits 0" 0
expect_out "demo imports 14 weeks of watch files" "imported 56 files \(56 new activities\), 1 duplicate \(the phone's copy"
expect_out "demo's shoe passes its limit" 'shoe "Demo Trainer": 793 km of its 700 km limit: time for a new pair'
rc --db "$demo_db" import "$T/demo"
expect_out "importing the demo again adds nothing" "^nothing new: every activity was already in the log$"

done_testing
