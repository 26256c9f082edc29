# serve_lib.sh - start and stop `runcare serve` for a test (source it after
# lib.sh). start_server DB [ARGS...] starts it on a free loopback port
# (--listen 127.0.0.1:0) and sets URL ("http://127.0.0.1:PORT/"), PORT
# and SERVER_PID; stop_server sends SIGTERM and waits, setting
# server_status. Every server still running is stopped at exit.
server_pids=()
stop_all_servers() {
    local p
    for p in "${server_pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${server_pids[@]}"; do wait "$p" 2>/dev/null; done
}
trap 'stop_all_servers; rm -rf "$T"' EXIT

start_server() {
    local db=$1 i
    shift
    URL=
    "$RUNCARE" --db "$db" serve --listen 127.0.0.1:0 "$@" \
        > "$T/serve.out" 2> "$T/serve.err" < /dev/null &
    SERVER_PID=$!
    server_pids+=("$SERVER_PID")
    for i in $(seq 1 100); do
        URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$T/serve.out" 2>/dev/null)
        [ -n "$URL" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    PORT=${URL##*:}
    PORT=${PORT%/}
    [ -n "$URL" ]
}

stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID"
    server_status=$?
}

# api METHOD PATH [curl args...]: a request with the token; the body in
# $T/body, the status in $code, the headers in $T/headers
api() {
    local method=$1 path=$2
    shift 2
    [ -n "${TOKEN:-}" ] || TOKEN=$(curl -s "${URL}api/token" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    code=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' \
        -X "$method" -H "X-Runcare-Token: $TOKEN" "$@" "${URL}${path#/}")
}
# json_get EXPR: evaluate a python expression on the body's JSON (as j)
json_get() {
    python3 -c "import json,sys; j=json.load(open('$T/body')); print($1)"
}

# move_gpx SRC DAYS DEST: the demo's GPX run moved DAYS days earlier (a
# run of its own, not the demo's again), whatever day the demo dated it
move_gpx() {
    local d new
    d=$(grep -o -m1 '<time>[0-9-]*' "$1" | head -n 1 | cut -c7-)
    new=$(date -u -d "$d - $2 days" +%F) || return 1
    sed "s/<time>$d/<time>$new/g" "$1" > "$3"
}
