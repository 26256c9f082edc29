#!/usr/bin/env bash
# bench_club.sh - a club's log on PostgreSQL at scale (issue 16): N
# athletes x Y years of daily runs, each run a summary and a short sample
# stream (60 samples, about 0.5 KB), written by a generator in SQL on a
# throwaway PostgreSQL (tests/cli/pg_lib.sh). Measures:
#   - the load: time to write the athletes and their activities, and the
#     database's size after;
#   - `runcare load` for one athlete (a whole process: connect, read the
#     runs, the load guard, print), mean of LOAD_RUNS runs;
#   - `runcare club` for every athlete, mean of CLUB_RUNS runs;
#   - import: one importer, then IMPORTERS importers of different
#     athletes at once, of the same generated watch files.
#
# Usage: bench/bench_club.sh [ATHLETES [YEARS]]   (default 1000 3)
#   RUNCARE     the runcare to measure (default build/runcare)
#   BENCH_BUILD where bench_import_gen is (default build)
# Not a test: it prints figures; copy them into bench/RESULTS.md with the
# command and the machine (uname -a, nproc).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
athletes=${1:-1000}
years=${2:-3}
RUNCARE=${RUNCARE:-$root/build/runcare}
BENCH_BUILD=${BENCH_BUILD:-$root/build}
LOAD_RUNS=${LOAD_RUNS:-20}
CLUB_RUNS=${CLUB_RUNS:-3}
IMPORTERS=${IMPORTERS:-8}
IMPORT_FILES=${IMPORT_FILES:-200}

T=$(mktemp -d "${TMPDIR:-/tmp}/runcare-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME=$T/home
mkdir -p "$HOME"
. "$root/tests/cli/pg_lib.sh"
if ! pg_start; then
    echo "bench_club: skipped: $PG_SKIP"
    exit 0
fi
trap 'pg_stop; rm -rf "$T"' EXIT
PG_DB=postgres pg_sql "CREATE DATABASE club OWNER runcare" > /dev/null
url="postgresql:///club?host=$PG_DIR&user=runcare"

ms() { echo $(($(date +%s%N) / 1000000)); }

echo "# machine: $(uname -a)"
echo "# cores: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "# PostgreSQL: $("$PG_BIN/postgres" --version), fsync=off (pg_lib.sh)"
echo "# runcare: $RUNCARE"

# the schema, as runcare makes it
"$RUNCARE" --db "$url" athlete list > /dev/null

# one short sample stream, as runcare stores it: a 60-point GPX imported
# into a SQLite log, its blob read back
gpx=$T/short.gpx
{
    echo '<?xml version="1.0"?><gpx version="1.1" creator="bench"'
    echo ' xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
    for i in $(seq 0 59); do
        printf '<trkpt lat="%.6f" lon="13.400000"><ele>%d</ele><time>2024-01-01T07:%02d:%02dZ</time></trkpt>\n' \
            "$(echo "52.5 + $i * 0.0003" | bc -l)" $((34 + i % 5)) $((i * 10 / 60)) $((i * 10 % 60))
    done
    echo '</trkseg></trk></gpx>'
} > "$gpx"
"$RUNCARE" --db "$T/one.db" import "$gpx" > /dev/null
blob=$(sqlite3 "$T/one.db" "SELECT hex(data) FROM samples")
read -r channels nsamples < <(sqlite3 -separator ' ' "$T/one.db" \
    "SELECT channels, nsamples FROM activities")

# The generator: as the superuser (it writes every athlete's rows, past
# row-level security, as a club's import of its history would), one
# statement per table. Each athlete runs every day for YEARS years up to
# today: 4-14 km, a long run on Sundays, a spike now and then.
t0=$(ms)
PG_DB=club pg_sql "
INSERT INTO athletes (name, role, added_s)
    SELECT 'athlete' || a, 'athlete' || a, 0 FROM generate_series(1, $athletes) a;
INSERT INTO shoes (athlete, id, name, is_default, since_day)
    SELECT 'athlete' || a, a, 'Shoe', 1, NULL FROM generate_series(1, $athletes) a;
SELECT 1 FROM (SELECT setval(pg_get_serial_sequence('shoes', 'id'), $athletes)) s WHERE false;
CREATE TEMP TABLE gen AS
    SELECT 'athlete' || a AS athlete, d,
        (extract(epoch FROM current_date)::bigint / 86400 - d) AS day,
        CASE WHEN (a + d) % 7 = 0 THEN 16 + (a % 5)
             WHEN (a * 31 + d) % 97 = 0 THEN 22
             ELSE 4 + ((a * 7 + d * 13) % 11) END * 1000.0 AS m
    FROM generate_series(1, $athletes) a,
         generate_series(0, $years * 365 - 1) d;
INSERT INTO activities (athlete, format, sport, start_s, utc_offset_s,
        local_day, elapsed_s, timer_s, moving_s, distance_m, avg_hr_bpm,
        channels, nsamples, nlaps, shoe_id)
    SELECT athlete, 'gpx', 'running', day * 86400.0 + 25200, 0, day,
        m * 0.33, m * 0.32, m * 0.32, m, 140 + (d % 20), $channels,
        $nsamples, 0, substr(athlete, 8)::bigint
    FROM gen;
INSERT INTO samples (athlete, activity_id, data)
    SELECT athlete, id, '\\x$blob'::bytea FROM activities;
ANALYZE;
"
t1=$(ms)
acts=$(PG_DB=club pg_sql "SELECT COUNT(*) FROM activities")
size=$(PG_DB=club pg_sql "SELECT pg_size_pretty(pg_database_size('club'))")
bytes=$(PG_DB=club pg_sql "SELECT pg_database_size('club')")
printf 'load: %d athletes, %d activities (%d years daily) in %.1f s (%.0f activities/s); database %s (%d bytes, %.0f bytes per activity)\n' \
    "$athletes" "$acts" "$years" "$(echo "($t1 - $t0) / 1000" | bc -l)" \
    "$(echo "$acts * 1000 / ($t1 - $t0)" | bc -l)" "$size" "$bytes" \
    "$(echo "$bytes / $acts" | bc -l)"

# load for one athlete: whole processes
"$RUNCARE" --db "$url" --athlete athlete1 load > /dev/null
t0=$(ms)
for _ in $(seq "$LOAD_RUNS"); do
    "$RUNCARE" --db "$url" --athlete athlete1 load > /dev/null
done
t1=$(ms)
printf 'load (one athlete, %d runs in the log): %.1f ms per process, mean of %d\n' \
    "$((years * 365))" "$(echo "($t1 - $t0) / $LOAD_RUNS" | bc -l)" "$LOAD_RUNS"
t0=$(ms)
for _ in $(seq "$LOAD_RUNS"); do
    "$RUNCARE" --db "$url" --athlete athlete1 athlete list > /dev/null
done
t1=$(ms)
printf '  of which connecting and opening (athlete list): %.1f ms per process\n' \
    "$(echo "($t1 - $t0) / $LOAD_RUNS" | bc -l)"
t0=$(ms)
for _ in $(seq "$LOAD_RUNS"); do "$RUNCARE" --version > /dev/null; done
t1=$(ms)
printf '  of which starting a process (runcare --version): %.1f ms\n' \
    "$(echo "($t1 - $t0) / $LOAD_RUNS" | bc -l)"

# load for one athlete through the web server, its connection kept open
# (app_pool): /api/load?weeks=N with a new N each time, so that no answer
# comes from the server's 1-second cache
"$RUNCARE" --db "$url" --athlete athlete1 serve --listen 127.0.0.1:0 \
    > "$T/serve.out" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do
    surl=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$T/serve.out" 2>/dev/null) && break
    sleep 0.1
done
if [ -n "${surl:-}" ] && command -v curl > /dev/null; then
    curl -s -o /dev/null "${surl}api/load?weeks=52" # the first opens the connection
    for w in $(seq 1 "$LOAD_RUNS"); do
        curl -s -o /dev/null -w '%{time_total}\n' "${surl}api/load?weeks=$w"
    done > "$T/serve.times"
    printf 'load (one athlete) through serve, connection kept: %s ms per request (median of %d; min %s, max %s)\n' \
        "$(sort -n "$T/serve.times" | awk '{a[NR]=$1} END {printf "%.1f", 1000*a[int((NR+1)/2)]}')" \
        "$LOAD_RUNS" \
        "$(sort -n "$T/serve.times" | head -n 1 | awk '{printf "%.1f", 1000*$1}')" \
        "$(sort -n "$T/serve.times" | tail -n 1 | awk '{printf "%.1f", 1000*$1}')"
else
    echo "load through serve: skipped (serve did not start, or no curl)"
fi
kill -TERM "$serve_pid" 2> /dev/null
wait "$serve_pid" 2> /dev/null || true

# club for every athlete
t0=$(ms)
for _ in $(seq "$CLUB_RUNS"); do
    "$RUNCARE" --db "$url" club --json > "$T/club.json"
done
t1=$(ms)
printf 'club (%d athletes): %.0f ms per process, mean of %d; %s athletes with warnings this week\n' \
    "$athletes" "$(echo "($t1 - $t0) / $CLUB_RUNS" | bc -l)" "$CLUB_RUNS" \
    "$(grep -o '"warnings":\[{' "$T/club.json" | wc -l)"

# import: one importer, then IMPORTERS of different athletes at once
gen=$BENCH_BUILD/bench/bench_import_gen
if [ -x "$gen" ]; then
    "$gen" "$T/corpus" "$IMPORT_FILES" > /dev/null
    for i in $(seq 0 "$IMPORTERS"); do
        "$RUNCARE" --db "$url" athlete add "importer$i" > /dev/null
    done
    t0=$(ms)
    "$RUNCARE" --db "$url" --athlete importer0 import --no-progress \
        "$T/corpus/folder" > /dev/null
    t1=$(ms)
    one=$((t1 - t0))
    printf 'import, 1 importer: %d files in %.2f s (%.0f activities/s)\n' \
        "$IMPORT_FILES" "$(echo "$one / 1000" | bc -l)" \
        "$(echo "$IMPORT_FILES * 1000 / $one" | bc -l)"
    cpu_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }
    read -r busy0 idle0 < <(cpu_busy)
    t0=$(ms)
    pids=
    for i in $(seq 1 "$IMPORTERS"); do
        "$RUNCARE" --db "$url" --athlete "importer$i" import --no-progress \
            "$T/corpus/folder" > "$T/imp$i.out" 2> "$T/imp$i.err" &
        pids="$pids $!"
    done
    failed=0
    for p in $pids; do wait "$p" || failed=$((failed + 1)); done
    t1=$(ms)
    read -r busy1 idle1 < <(cpu_busy)
    all=$((t1 - t0))
    printf 'import, %d importers of different athletes at once: %d files each in %.2f s (%.0f activities/s in all, %.2fx one importer), %d failed\n' \
        "$IMPORTERS" "$IMPORT_FILES" "$(echo "$all / 1000" | bc -l)" \
        "$(echo "$IMPORTERS * $IMPORT_FILES * 1000 / $all" | bc -l)" \
        "$(echo "$IMPORTERS * $one / $all" | bc -l)" "$failed"
    printf '  the cores meanwhile: %.0f%% busy (all %d, from /proc/stat)\n' \
        "$(echo "100 * ($busy1 - $busy0) / ($busy1 - $busy0 + $idle1 - $idle0)" | bc -l)" "$(nproc)"
else
    echo "import: skipped: $gen not built (make tests builds it)"
fi
