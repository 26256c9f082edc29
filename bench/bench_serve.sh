#!/usr/bin/env bash
# bench_serve.sh - `runcare serve` under load, with wrk on loopback, on the
# demo athlete: requests/s and latency (p50, p99) at 64 connections for
# /api/load, the dashboard's chart (/api/load/chart) and the page itself
# (/); the server's RSS after a warm-up and after 100,000 more requests;
# then /api/load again while `runcare import` writes the 10-year benchmark
# log (bench_import_gen, as bench_import.sh caches it) into the same
# database, counting failed requests. Run by `make bench` ($RUNCARE,
# $BENCH_BUILD). Only 127.0.0.1 is ever a target; every run is bounded in
# time (SERVE_SECONDS, default 10).
set -euo pipefail
: "${RUNCARE:?RUNCARE must name the runcare binary}"
: "${BENCH_BUILD:?BENCH_BUILD must name the build folder}"
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${SERVE_SECONDS:-10}
command -v wrk > /dev/null 2>&1 || "$root/tools/deps.sh" --tools wrk
work=$(mktemp -d "${TMPDIR:-/tmp}/runcare-bench-serve.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

"$RUNCARE" --db "$work/demo.db" demo "$work/demo" > /dev/null 2>&1
"$RUNCARE" --db "$work/demo.db" serve --listen 127.0.0.1:0 > "$work/serve.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.out" || true)
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "bench_serve: the server did not start" >&2; exit 1; }
rss() { awk '/^VmRSS/ {print $2 / 1024}' "/proc/$pid/status"; }

# bench LABEL PATH SECONDS: one wrk run, one table row; sets $requests
bench() {
    wrk -t2 -c64 -d"$3"s --latency "$url${2#/}" > "$work/wrk" 2>&1
    requests=$(awk '/requests in/ {print $1}' "$work/wrk")
    local rps p50 p99 bad errs
    rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk")
    p50=$(awk '$1 == "50%" {print $2}' "$work/wrk")
    p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
    bad=$(awk '/Non-2xx/ {print $NF}' "$work/wrk")
    errs=$(awk '/Socket errors/ {print $0}' "$work/wrk" | sed 's/.*errors: //')
    printf '| %-34s | %8s | %9s | %7s | %7s | %s |\n' "$1" "$requests" "$rps" \
        "$p50" "$p99" "${bad:-0} non-2xx${errs:+; socket $errs}"
}

echo "wrk -t2 -c64 -d${secs}s --latency, runcare serve (one thread per connection) on the demo athlete (56 activities)"
echo
echo "| what | requests | requests/s | p50 | p99 | failed |"
echo "|---|---|---|---|---|---|"
bench "GET /api/load" /api/load "$secs"
rss_warm=$(rss)
bench "GET /api/load/chart (SVG)" /api/load/chart "$secs"
bench "GET / (the page)" / "$secs"
total=0
while [ "$total" -lt 100000 ]; do
    wrk -t2 -c64 -d5s "${url}api/load" > "$work/wrk" 2>&1
    total=$((total + $(awk '/requests in/ {print $1}' "$work/wrk")))
done
rss_after=$(rss)
echo
printf 'RSS after the first run: %.1f MB; after %d more requests to /api/load: %.1f MB\n' \
    "$rss_warm" "$total" "$rss_after"

days=${BENCH_IMPORT_DAYS:-3500}
key=$(cat "$root/bench/bench_import_gen.c" "$root/src/fit/fit_write.c" 2>/dev/null | sha256sum | cut -c1-12)
corpus=${BENCH_IMPORT_CORPUS:-/tmp/runcare-bench-import-$days-$key}
if [ ! -f "$corpus/done" ]; then
    rm -rf "$corpus"
    echo "generating $days runs into $corpus (once)"
    "$BENCH_BUILD/bench/bench_import_gen" "$corpus" "$days"
    touch "$corpus/done"
fi
echo
echo "while runcare import writes $(find "$corpus/folder" -name '*.fit' | wc -l) FIT files into the same database:"
echo
echo "| what | requests | requests/s | p50 | p99 | failed |"
echo "|---|---|---|---|---|---|"
start=$(date +%s.%N)
"$RUNCARE" --db "$work/demo.db" import --no-progress "$corpus/folder" > "$work/import.out" 2>&1 &
imp=$!
bench "GET /api/load during the import" /api/load "$secs"
wait $imp
end=$(date +%s.%N)
echo
echo "the import: $(head -1 "$work/import.out") ($(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}') s)"
