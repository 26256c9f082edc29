#!/usr/bin/env bash
# t_pg_harness.sh - the throwaway PostgreSQL of the tests (pg_lib.sh):
# it starts on a Unix socket only, as an unprivileged user, with the
# runcare role and database, and is gone after pg_stop. Skips, saying
# why, where PostgreSQL cannot be started.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"

if ! pg_start; then
    skip "throwaway PostgreSQL" "$PG_SKIP"
    done_testing
    exit
fi
check "the server answers on its socket" test "$(pg_sql 'SELECT 1')" = 1
check "no TCP port: listen_addresses is empty" \
    test "$(pg_sql 'SHOW listen_addresses')" = ""
check "the server does not run as root" \
    test "$(stat -c %U "$PG_DIR/data")" != root
check "the runcare role is no superuser" \
    test "$(pg_sql "SELECT rolsuper FROM pg_roles WHERE rolname = 'runcare'")" = f
check "the runcare database belongs to runcare" \
    test "$(pg_sql "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'runcare'")" = runcare
dir=$PG_DIR
pg_stop
check "pg_stop removes the cluster" test ! -e "$dir"
done_testing
