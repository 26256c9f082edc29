#!/usr/bin/env bash
# bench_import.sh - import ten years of daily runs (bench_import_gen: about
# 3,500 FIT files of 1-2 hours at 1 s, written by runcare's FIT encoder)
# into a fresh database, as a folder and as a Strava-layout zip of
# .fit.gz, then again (every file a duplicate). Prints files/s, MB/s, CPU
# and peak RSS next to decode-only throughput (`runcare inspect --json` on
# the same files, in the same run), and the database size against the FIT
# bytes it holds. Run by `make bench` ($RUNCARE, $BENCH_BUILD).
#
# The corpus is cached under /tmp (BENCH_IMPORT_CORPUS to choose where),
# keyed by the generator's source, never in git. BENCH_IMPORT_DAYS changes
# its size (default 3500).
set -euo pipefail
: "${RUNCARE:?RUNCARE must name the runcare binary}"
: "${BENCH_BUILD:?BENCH_BUILD must name the build folder}"
root=$(cd "$(dirname "$0")/.." && pwd)
days=${BENCH_IMPORT_DAYS:-3500}
gen=$BENCH_BUILD/bench/bench_import_gen
key=$(cat "$root/bench/bench_import_gen.c" "$root/src/fit/fit_write.c" 2>/dev/null | sha256sum | cut -c1-12)
corpus=${BENCH_IMPORT_CORPUS:-/tmp/runcare-bench-import-$days-$key}
[ -x /usr/bin/time ] || "$root/tools/deps.sh" --tools time

if [ ! -f "$corpus/done" ]; then
    rm -rf "$corpus"
    echo "generating $days runs into $corpus (once)"
    "$gen" "$corpus" "$days"
    touch "$corpus/done"
fi
mapfile -t fits < <(find "$corpus/folder" -name '*.fit' | sort)
files=${#fits[@]}
fit_bytes=$(find "$corpus/folder" -name '*.fit' -printf '%s\n' | awk '{s += $1} END {print s}')
zip_bytes=$(stat -c %s "$corpus/strava.zip")
work=$(mktemp -d "${TMPDIR:-/tmp}/runcare-bench-import.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run LABEL BYTES CMD...: time one command, print one table row
run() {
    local label=$1 bytes=$2
    shift 2
    local status=0
    sync # no writeback of the corpus or an earlier run pending: untimed
    /usr/bin/time -f "%e %M %P %U %S" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "bench_import: $label exited $status" >&2
        tail -n 5 "$work/err" >&2
        return 1
    fi
    read -r secs rss cpu user sys < "$work/time"
    awk -v l="$label" -v f="$files" -v b="$bytes" -v s="$secs" -v r="$rss" -v c="$cpu" \
        -v u="$user" -v y="$sys" \
        'BEGIN { if (s <= 0) s = 0.01;
                 printf "| %-36s | %5d | %7.1f | %7.2f | %6.2f | %7.0f | %6.1f | %5s | %6.0f |\n",
                        l, f, b / 1e6, s, u + y, f / s, b / 1e6 / s, c, r / 1024 }'
    last_secs=$secs
    last_cpu=$(awk -v u="$user" -v y="$sys" 'BEGIN {print u + y}')
}

echo "corpus: $files FIT files, $(awk -v b="$fit_bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB; Strava zip $(awk -v b="$zip_bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB"
echo
echo "| what | files | MB | s | CPU s | files/s | MB/s | CPU | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
# Both sides read the same files from the page cache: read them once
# untimed first, or inspect (timed first) pays the disk and import does not.
cat "${fits[@]}" "$corpus/strava.zip" > /dev/null
run "inspect --json (decode only)" "$fit_bytes" "$RUNCARE" inspect --json "${fits[@]}"
inspect_secs=$last_secs inspect_cpu=$last_cpu
run "import folder, fresh database" "$fit_bytes" "$RUNCARE" --db "$work/folder.db" import "$corpus/folder"
import_secs=$last_secs import_cpu=$last_cpu
grep -q "^imported $files files ($files new activities)" "$work/out" || { echo "bench_import: unexpected summary:" >&2; cat "$work/out" >&2; exit 1; }
db_bytes=$(stat -c %s "$work/folder.db")
run "import folder again (duplicates)" "$fit_bytes" "$RUNCARE" --db "$work/folder.db" import "$corpus/folder"
reimport_secs=$last_secs
grep -q "^imported 0 files (0 new activities), $files duplicates" "$work/out" || { echo "bench_import: re-import added something:" >&2; cat "$work/out" >&2; exit 1; }
# the same with every file touched: not known by path and time, so each is
# read and hashed (and not decoded)
find "$corpus/folder" -name '*.fit' -exec touch {} +
run "again, files touched (hash, no decode)" "$fit_bytes" "$RUNCARE" --db "$work/folder.db" import "$corpus/folder"
rehash_secs=$last_secs
run "import Strava zip, fresh database" "$zip_bytes" "$RUNCARE" --db "$work/zip.db" import "$corpus/strava.zip"
zip_secs=$last_secs
grep -q "^named $files activities from Strava" "$work/out" || { echo "bench_import: activities.csv not applied:" >&2; cat "$work/out" >&2; exit 1; }
run "import Strava zip again (duplicates)" "$zip_bytes" "$RUNCARE" --db "$work/zip.db" import "$corpus/strava.zip"
rezip_secs=$last_secs
touch "$corpus/strava.zip"
run "zip again, touched (hash each member)" "$zip_bytes" "$RUNCARE" --db "$work/zip.db" import "$corpus/strava.zip"
rehashzip_secs=$last_secs
echo
awk -v i="$inspect_secs" -v f="$import_secs" -v r="$reimport_secs" -v z="$zip_secs" -v rz="$rezip_secs" \
    -v rh="$rehash_secs" -v rhz="$rehashzip_secs" \
    -v db="$db_bytes" -v fb="$fit_bytes" -v ic="$inspect_cpu" -v fc="$import_cpu" 'BEGIN {
    printf "first import speed / inspect speed: %.2f (target >= 0.5); CPU seconds inspect / import: %.2f\n", i / f, ic / fc
    # /usr/bin/time reports to 0.01 s: a faster run is counted as 0.01 s
    if (r < 0.01) r = 0.01
    if (rz < 0.01) rz = 0.01
    printf "re-import speed / first import: folder %.1fx, zip %.1fx (target >= 10)\n", f / r, z / rz
    printf "  with every file touched (hashed, not decoded): folder %.1fx, zip %.1fx\n", f / rh, z / rhz
    printf "database / FIT bytes: %.1f MB / %.1f MB = %.2f (target <= 1)\n", db / 1e6, fb / 1e6, db / fb
}'

# The ratio again, pair by pair: inspect then a first import, N times in
# turn, each run started with no writeback of an earlier database pending
# (sync, outside the timing): the pairs share the machine's speed of the
# moment, which drifts on a shared VM, and the median pair is the figure.
pairs=${BENCH_IMPORT_PAIRS:-7}
# run_pairs N [VAR=VALUE...]: N pairs, the import run with those variables
run_pairs() {
    local n=$1
    shift
    for p in $(seq "$n"); do
        sync
        t0=$(date +%s%N)
        "$RUNCARE" inspect --json "${fits[@]}" > /dev/null
        t1=$(date +%s%N)
        rm -f "$work/pair.db" "$work/pair.db-wal" "$work/pair.db-shm"
        sync
        /usr/bin/time -f '%e %U %S %P' -o "$work/pair.time" \
            env "$@" "$RUNCARE" --db "$work/pair.db" import "$corpus/folder" > /dev/null
        read -r w u sy pc < "$work/pair.time"
        awk -v i="$(( (t1 - t0) / 1000000 ))" -v w="$w" -v c="$(echo "$u + $sy" | bc)" \
            -v pc="$pc" -v p="$p" -v mb="$(echo "$fit_bytes / 1000000" | bc -l)" 'BEGIN {
            printf "  pair %d: inspect %.2f s, import %.2f s (%.2f CPU s, %s; %.1f CPU ms per MB): %.3f\n",
                p, i / 1000, w, c, pc, 1000 * c / mb, i / 1000 / w }'
    done | tee "$work/pairs"
    awk -F': ' '{print $NF}' "$work/pairs" | sort -n |
        awk '{a[NR] = $1} END {printf "  median pair: %.3f (target >= 0.5)\n", a[int((NR + 1) / 2)]}'
    rm -f "$work/pair.db" "$work/pair.db-wal" "$work/pair.db-shm"
}
echo
echo "first import / inspect, $pairs pairs in turn:"
run_pairs "$pairs"

# The same where the disk is slow to sync (a cloud volume, a fresh VM's
# disk): bench/slow_sync.c delays every fsync and fdatasync of the import.
slow_ms=${BENCH_IMPORT_SLOW_SYNC_MS:-20}
slow_lib=$BENCH_BUILD/bench/slow_sync.so
if [ "$slow_ms" -gt 0 ] && [ -f "$slow_lib" ]; then
    echo
    echo "first import / inspect, every sync of the import ${slow_ms} ms slower, 3 pairs:"
    run_pairs 3 LD_PRELOAD="$slow_lib" SLOW_SYNC_MS="$slow_ms"
fi
