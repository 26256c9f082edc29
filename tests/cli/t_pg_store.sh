#!/usr/bin/env bash
# t_pg_store.sh - the store's unit test on PostgreSQL (test_store_pg: the
# migrations from an empty database and from every earlier version, rows
# read in binary and in chunks, writes in one round trip, units undone
# alone) on a
# throwaway server, with one database per starting version. Skips,
# saying why, where PostgreSQL cannot be started.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
bin=${RUNCARE_BUILD:-}/tests/test_store_pg
if [ ! -x "$bin" ]; then
    skip "the store's migrations on PostgreSQL" "test_store_pg not built"
    done_testing
    exit 0
fi
if ! pg_start; then
    skip "the store's migrations on PostgreSQL" "$PG_SKIP"
    done_testing
    exit
fi
for v in $(seq 0 15); do # more than there are migrations
    PG_DB=postgres pg_sql "CREATE DATABASE v$v OWNER runcare" > /dev/null
done
RUNCARE_TEST_PG_URL="postgresql:///%s?host=$PG_DIR&user=runcare" \
    CMOCKA_MESSAGE_OUTPUT=TAP "$bin" > "$T/unit.out" 2>&1
st=$?
sed 's/^/# /' "$T/unit.out"
if [ "$st" -eq 0 ] && grep -q '^ok 1 ' "$T/unit.out"; then
    ok "test_store_pg: migrations from every earlier version"
else
    not_ok "test_store_pg: migrations from every earlier version" "exit $st"
fi
if [ "$st" -eq 0 ] && grep -q '^ok 2 ' "$T/unit.out"; then
    ok "test_store_pg: rows read in binary read as in text"
else
    not_ok "test_store_pg: rows read in binary read as in text" "exit $st"
fi
if [ "$st" -eq 0 ] && grep -q '^ok 3 ' "$T/unit.out"; then
    ok "test_store_pg: rows read in chunks come whole"
else
    not_ok "test_store_pg: rows read in chunks come whole" "exit $st"
fi
if [ "$st" -eq 0 ] && grep -q '^ok 4 ' "$T/unit.out"; then
    ok "test_store_pg: batched writes run together and fail as one"
else
    not_ok "test_store_pg: batched writes run together and fail as one" "exit $st"
fi
if [ "$st" -eq 0 ] && grep -q '^ok 5 ' "$T/unit.out"; then
    ok "test_store_pg: a unit is undone alone"
else
    not_ok "test_store_pg: a unit is undone alone" "exit $st"
fi
done_testing
