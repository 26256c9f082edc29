#!/usr/bin/env bash
# t_pg_serve.sh - `runcare serve` on a club's log on PostgreSQL: the routes
# answer as the CLI does for the athlete served, the connection is kept
# from request to request (app_pool) and sees every write, a connection
# the server ended is replaced without an error, and stopping the server
# closes them all. Skips, saying why, where PostgreSQL cannot be started.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
. "$(dirname "$0")/pg_lib.sh"
export RUNCARE_NOW=2024-06-12T12:00:00Z
for tool in curl python3; do
    command -v $tool > /dev/null 2>&1 || "$(dirname "$0")/../../tools/deps.sh" --tools $tool
done
if ! pg_start; then
    skip "serve on PostgreSQL" "$PG_SKIP"
    done_testing
    exit
fi
trap 'stop_all_servers; pg_stop; rm -rf "$T"' EXIT
RUNCARE_TEST_DB=pg
owner=$(db_for club)
"$RUNCARE" --db "$owner" athlete add ann > /dev/null
"$RUNCARE" --db "$owner" athlete add bob > /dev/null
for d in 2024-06-01 2024-06-04 2024-06-08; do
    "$RUNCARE" --db "$owner" --athlete ann log --date $d --distance 8km --duration 45:00 > /dev/null
done
"$RUNCARE" --db "$owner" --athlete bob log --date 2024-06-02 --distance 30km --duration 3:00:00 > /dev/null
# the connections of runcare (not psql's, which connects as postgres)
backends() {
    PG_DB=postgres pg_sql "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = 'club' AND usename = 'runcare'"
}

export RUNCARE_ATHLETE=ann
check "serve starts on the club's log for ann" start_server "$owner"
"$RUNCARE" --db "$owner" load --json > "$T/cli_load.json"
for i in 1 2 3; do
    api GET /api/load
    check "GET /api/load $i answers 200" test "$code" = 200
    check "with ann's log, as runcare load --json says" \
        python3 -c "import json; a=json.load(open('$T/body')); b=json.load(open('$T/cli_load.json')); assert a['weeks']==b['weeks'] and a['next_run_cap_km']==b['next_run_cap_km'], (a['weeks'], b['weeks'])"
    sleep 1.1 # past the answer cache: the log is read again
done
check "one connection is kept between requests, not one per request" \
    test "$(backends)" = 1
api GET /api/activities
check "activities: ann's 3, not bob's" test "$(json_get 'j["total"]')" = 3

api POST /api/activities -d '{"date":"2024-06-10","distance":"10km","duration":"55:00"}'
check "a run logged through the kept connection: 201" test "$code" = 201
api GET /api/activities
check "and the next request sees it" test "$(json_get 'j["total"]')" = 4
rc --db "$owner" --athlete ann list --json
check "as the CLI does" test "$(python3 -c "import json; print(len(json.load(open('$T/out'))))")" = 4
check "still one connection" test "$(backends)" = 1

PG_DB=postgres pg_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'club' AND usename = 'runcare'" > /dev/null
for i in $(seq 1 50); do [ "$(backends)" = 0 ] && break; sleep 0.1; done
check "the kept connection was ended by the server" test "$(backends)" = 0
sleep 1.1
api GET /api/load
check "the next request opens a new one: 200, no error" test "$code" = 200
check "with the run logged before" \
    python3 -c "import json; j=json.load(open('$T/body')); assert sum(w['runs'] for w in j['weeks']) == 4, j['weeks']"

stop_server
check "serve stops with exit 0" test "$server_status" = 0
for i in $(seq 1 50); do [ "$(backends)" = 0 ] && break; sleep 0.1; done
check "and closes its connections" test "$(backends)" = 0
done_testing
