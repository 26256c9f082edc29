#!/usr/bin/env bash
# t_foundation.sh - the command-line contract: help, version, unknown
# commands and options, each exit code, and the error format.
. "$(dirname "$0")/lib.sh"

rc --help
expect_status "--help exits 0" 0
expect_out "--help lists every command" "^  inspect \[--json\] \[--salvage\] FILE\.\.\."
for c in demo inspect import log list rpe shoe load check plan diary serve; do
    if grep -qE "^  $c( |$)" "$T/out"; then ok "--help lists $c"; else not_ok "--help lists $c"; fi
done
expect_out "--help names the clinician disclaimer" "does not replace a clinician"

rc --version
expect_status "--version exits 0" 0
expect_out "--version prints the version" "^runcare [0-9]+\.[0-9]+\.[0-9]+$"

rc help check
expect_status "help COMMAND exits 0" 0
expect_out "help COMMAND shows the usage line" "^usage: runcare \[--db PATH\] check "
rc check --help
expect_status "COMMAND --help exits 0" 0
expect_out "COMMAND --help shows the usage line" "^usage: runcare \[--db PATH\] check "

# exit 2: usage errors, one line with a hint
rc lod
expect_status "unknown command exits 2" 2
expect_err "unknown command suggests the nearest" "runcare: unknown command 'lod'; did you mean 'load'?"
rc lsit
expect_err "swapped letters suggest the command" "runcare: unknown command 'lsit'; did you mean 'list'?"
rc xyzzy
expect_status "far-off command exits 2" 2
expect_err "far-off command points to --help" "runcare: unknown command 'xyzzy'; see 'runcare --help'"
rc help lod
expect_status "help of an unknown command exits 2" 2
rc --bogus inspect
expect_status "unknown global option exits 2" 2
expect_err "unknown global option names it" "runcare: unknown option '--bogus'; see 'runcare --help'"
rc inspect --bogus x.fit
expect_status "unknown command option exits 2" 2
expect_err "unknown command option names it and the help" "runcare: inspect: unknown option '--bogus'; see 'runcare help inspect'"
rc inspect
expect_err "missing operand says so" "runcare: inspect: no file given; see 'runcare help inspect'"
expect_status "missing operand exits 2" 2
rc --db
expect_err "--db without a value" "runcare: option '--db' needs a value; see 'runcare --help'"
rc
expect_status "no command exits 2" 2
expect_err_re "no command shows the usage" "^usage: runcare"

# exit 1: bad input, "runcare: FILE: offset N: message"
echo "not an activity" > "$T/notes.txt"
rc inspect "$T/notes.txt"
expect_status "bad input exits 1" 1
expect_err "bad input names file and offset" "runcare: $T/notes.txt: offset 0: not an activity file: neither FIT (no \".FIT\" at byte 8) nor GPX or TCX XML"
rc inspect --json "$T/notes.txt"
expect_status "bad input in --json exits 1" 1
expect_out "--json failure line" '^\{"file":".*notes.txt","ok":false,"error":\{"offset":0,"message":"not an activity file'
: > "$T/empty.fit"
rc inspect "$T/empty.fit"
expect_err "an empty file is named as such" "runcare: $T/empty.fit: offset 0: empty file"
rc inspect "$T/missing.fit"
expect_status "a missing file exits 1" 1
expect_err "a missing file is named" "runcare: $T/missing.fit: cannot open: No such file or directory"
rc inspect "$T"
expect_err "a folder is not a file" "runcare: $T: is a directory, not a file"

# exit 3: the environment (here: the output cannot be written)
last_cmd="runcare inspect --json notes.txt > /dev/full"
"$RUNCARE" inspect --json "$T/notes.txt" > /dev/full 2> "$T/err"
status=$?
expect_status "a full disk exits 3" 3
expect_err "a full disk is named" "runcare: cannot write the output: No space left on device"

# plan and diary on a log with no check yet
rc --db "$T/none.db" plan
expect_status "plan with no check exits 1" 1
expect_err "plan with no check says what to do" "runcare: no check in the diary yet: run 'runcare check' first"
rc --db "$T/none.db" diary
expect_status "an empty diary is no error" 0
expect_out "an empty diary says how to start it" "^The diary is empty"
check "reading an empty diary makes no database" test ! -e "$T/none.db"

done_testing
