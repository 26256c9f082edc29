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
# one line per unit test, in test_store_pg.c's order
n=0
while IFS= read -r what; do
    n=$((n + 1))
    if [ "$st" -eq 0 ] && grep -q "^ok $n " "$T/unit.out"; then
        ok "test_store_pg: $what"
    else
        not_ok "test_store_pg: $what" "exit $st"
    fi
done << 'EOF'
migrations from every earlier version
rows read in binary read as in text
rows read in chunks come whole
batched writes run together and fail as one
a unit is undone alone
EOF
done_testing
