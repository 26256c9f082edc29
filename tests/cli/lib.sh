# lib.sh - helpers for end-to-end tests of the runcare binary, in TAP.
# Source it from tests/cli/t_*.sh; RUNCARE is the binary to test, a test
# build (make TEST=1: build/test/runcare), whose clock RUNCARE_NOW fixes and
# which RUNCARE_CRASH_AFTER stops; a release runcare has neither hook.
#
#   rc ARGS...            run runcare; sets $status, files $T/out and $T/err
#   expect_status DESC N  the last run exited N
#   expect_out DESC ERE   stdout matches the extended regex
#   expect_err DESC TEXT  stderr's first line is exactly TEXT
#   expect_err_re DESC ERE  stderr matches the extended regex
#   check DESC CMD...     any shell command as a test (success = pass)
#   skip DESC REASON
#   shared_data           true when ../shared/data is there (else says skipped)
#   done_testing          exit 1 if anything failed
#   db_for NAME           a fresh log for the test: $T/NAME.db, or with
#                         RUNCARE_TEST_DB=pg a PostgreSQL database NAME on
#                         a throwaway server (pg_lib.sh) as its URL
#   db_sql DB SQL         a query on that log, as its athlete (sqlite3 or
#                         psql), one row a line, columns split by '|'
#
# RUNCARE_TEST_DB=pg (tests/run.sh sets it for the tests that say
# "# backends: sqlite pg") runs the test against PostgreSQL wherever it
# uses db_for; where PostgreSQL cannot start the test is one skip that
# says why.
# Each test runs in its own HOME under a temp dir ($T), so no test touches
# the runner's real database.
set -u
: "${RUNCARE:?RUNCARE must name the runcare binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/runcare-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME=$T/home
mkdir -p "$HOME"
unset RUNCARE_DB XDG_DATA_HOME
tap_n=0
tap_failed=0
status=0

if [ "${RUNCARE_TEST_DB:-sqlite}" = pg ]; then
    . "$(dirname "${BASH_SOURCE[0]}")/pg_lib.sh"
    if ! pg_start; then
        echo "ok 1 - PostgreSQL backend # SKIP $PG_SKIP"
        echo "1..1"
        exit 0
    fi
fi
db_for() {
    if [ "${RUNCARE_TEST_DB:-sqlite}" = pg ]; then
        PG_DB=postgres pg_sql "CREATE DATABASE \"$1\" OWNER runcare" > /dev/null
        echo "postgresql:///$1?host=$PG_DIR&user=runcare"
    else
        echo "$T/$1.db"
    fi
}
db_sql() {
    case $1 in
    postgresql://*)
        local db=${1#postgresql:///}
        db=${db%%\?*}
        "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$PG_DIR" -U runcare \
            -d "$db" -c "SET runcare.athlete = 'runcare'" -c "$2" ;;
    *) sqlite3 "$1" "$2" ;;
    esac
}

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() {
    tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
    echo "not ok $tap_n - $1"
    shift
    for line in "$@"; do echo "# $line"; done
    echo "# command: ${last_cmd:-}"
    echo "# exit: $status"
    sed 's/^/# stdout: /' "$T/out" 2>/dev/null | head -15
    sed 's/^/# stderr: /' "$T/err" 2>/dev/null | head -15
}
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }

rc() {
    last_cmd="runcare $*"
    "$RUNCARE" "$@" > "$T/out" 2> "$T/err" < /dev/null
    status=$?
}
# rc_in INPUT ARGS...: like rc, with INPUT (a file) on stdin
rc_in() {
    local input=$1
    shift
    last_cmd="runcare $* < $input"
    "$RUNCARE" "$@" > "$T/out" 2> "$T/err" < "$input"
    status=$?
}

expect_status() {
    if [ "$status" -eq "$2" ]; then ok "$1"; else not_ok "$1" "expected exit $2"; fi
}
expect_out() {
    if grep -qE -- "$2" "$T/out"; then ok "$1"; else not_ok "$1" "stdout does not match: $2"; fi
}
expect_err() {
    local first
    first=$(head -n 1 "$T/err")
    if [ "$first" = "$2" ]; then ok "$1"; else not_ok "$1" "expected stderr: $2"; fi
}
expect_err_re() {
    if grep -qE -- "$2" "$T/err"; then ok "$1"; else not_ok "$1" "stderr does not match: $2"; fi
}
check() {
    local desc=$1
    shift
    if "$@" > "$T/check.out" 2>&1; then ok "$desc"; else
        last_cmd="$*"
        not_ok "$desc" "$(head -c 600 "$T/check.out")"
    fi
}
shared_data() {
    if [ -n "${RUNCARE_SHARED_DATA:-}" ] && [ -d "$RUNCARE_SHARED_DATA" ]; then
        return 0
    fi
    echo "skipped: ../shared/data not found"
    return 1
}
done_testing() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}
