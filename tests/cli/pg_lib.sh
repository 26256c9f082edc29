# pg_lib.sh - a throwaway PostgreSQL for the tests: a cluster made with
# initdb in a fresh temporary folder, started with pg_ctl on a Unix socket
# in that folder and no TCP port (listen_addresses=''), stopped and removed
# on exit. Source it after lib.sh (it keeps lib.sh's EXIT trap running).
#
#   pg_start            start the cluster; 0 and PG_URL set, or 1 with the
#                       reason in PG_SKIP (no PostgreSQL here, initdb failed,
#                       no unprivileged user to run it as ...)
#   pg_url [ROLE]       the URL runcare connects with, as ROLE (default: the
#                       club's owner, "runcare")
#   pg_sql SQL          run SQL as the cluster's superuser (psql -At)
#   pg_stop             stop and remove it (done on exit anyway)
#
# initdb refuses to run as root: as root, the cluster belongs to the user
# runcare-test when there is one, else to nobody, and the server runs as
# that user (runuser); the folder is made theirs. Authentication is "trust"
# on the socket only, so any role can connect without a password: the
# tests connect as each role to test row-level security.
#
# The database "runcare" belongs to the role "runcare" (LOGIN CREATEROLE,
# not a superuser: superusers bypass row-level security, and runcare
# refuses them).
PG_BIN=${PG_BIN:-}
PG_DIR=
PG_URL=
PG_SKIP=
PG_RUN_AS=

pg_find_bin() {
    local d
    if [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]; then return 0; fi
    for d in /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then PG_BIN=$d; fi
    done
    if [ -z "$PG_BIN" ] && command -v initdb > /dev/null 2>&1; then
        PG_BIN=$(dirname "$(command -v initdb)")
    fi
    [ -n "$PG_BIN" ]
}

# pg_as CMD...: run CMD as the cluster's user
pg_as() {
    if [ -n "$PG_RUN_AS" ]; then
        runuser -u "$PG_RUN_AS" -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    local log
    if ! pg_find_bin; then
        PG_SKIP="PostgreSQL not found (no initdb under /usr/lib/postgresql/*/bin or in PATH; Debian package postgresql)"
        return 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        if id runcare-test > /dev/null 2>&1; then
            PG_RUN_AS=runcare-test
        elif id nobody > /dev/null 2>&1; then
            PG_RUN_AS=nobody
        else
            PG_SKIP="running as root and there is no user runcare-test or nobody to run PostgreSQL as (initdb refuses root)"
            return 1
        fi
        if ! command -v runuser > /dev/null 2>&1; then
            PG_SKIP="running as root without runuser to start PostgreSQL as $PG_RUN_AS"
            return 1
        fi
    fi
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/runcare-pg.XXXXXX") || {
        PG_SKIP="cannot make a temporary folder"; return 1; }
    chmod 755 "$PG_DIR"
    [ -n "$PG_RUN_AS" ] && chown "$PG_RUN_AS" "$PG_DIR"
    log=$PG_DIR/log
    if ! pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust \
            --no-sync -E UTF8 --locale=C > "$PG_DIR/initdb.out" 2>&1; then
        PG_SKIP="initdb failed: $(tail -n 1 "$PG_DIR/initdb.out")"
        pg_stop
        return 1
    fi
    if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$log" -w -t 60 \
            -o "-c listen_addresses='' -k $PG_DIR -c fsync=off -c max_connections=60 -c shared_buffers=64MB" \
            start > "$PG_DIR/pg_ctl.out" 2>&1; then
        PG_SKIP="pg_ctl start failed: $(tail -n 1 "$log" 2>/dev/null)"
        pg_stop
        return 1
    fi
    pg_sql "CREATE ROLE runcare LOGIN CREATEROLE" > /dev/null &&
        pg_sql "CREATE DATABASE runcare OWNER runcare" > /dev/null || {
        PG_SKIP="cannot create the runcare role and database"
        pg_stop
        return 1
    }
    PG_URL=$(pg_url)
    trap 'pg_stop; rm -rf "$T"' EXIT
    return 0
}

pg_url() {
    echo "postgresql:///runcare?host=$PG_DIR&user=${1:-runcare}"
}

pg_sql() {
    "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$PG_DIR" -U postgres \
        -d "${PG_DB:-postgres}" -c "$1"
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
            > /dev/null 2>&1
    fi
    rm -rf "$PG_DIR"
    PG_DIR=
}
