#!/usr/bin/env bash
# bench_fit.sh - FIT decode speed of `runcare inspect --json` against the
# peer decoders, on one corpus, in one run (called by `make bench`).
#
#   bench/bench_fit.sh            env: RUNS (default 5), FIT_CORPUS
#                                 (default /tmp/runcare-bench/fit),
#                                 CORPUS_MB (default 256), RUNCARE, BENCH_BUILD
#
# 1. ../shared/bench/peers_fit.sh builds the corpus (the valid single-part
#    FIT activity files of ../shared/data, copied to ~270 MB; never into the
#    repository), installs and times gpsbabel and fit-file-parser.
# 2. The same files through `runcare inspect --json` (one process, output
#    to /dev/null), timed with hyperfine right after, and for scale: `cat`,
#    and bench_fit's read-only, CRC-only and decode-only passes (what
#    inspect costs beyond reading the bytes). Peak RSS from /usr/bin/time -v.
# 3. One table: MB/s, records/s, and runcare's ratio to each peer.
# runcare's record count over the corpus is checked against fitwalk.py's
# (ref_records) before anything is timed. Speed is reported, never asserted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${RUNCARE_SHARED:-$root/../shared}
runcare=${RUNCARE:-$root/build/runcare}
build=${BENCH_BUILD:-$root/build}
corpus=${FIT_CORPUS:-/tmp/runcare-bench/fit}
runs=${RUNS:-5}

if [ ! -d "$shared/data/activities/fit" ]; then
    echo "bench_fit: skipped: ../shared/data not found"
    exit 0
fi
if [ ! -x "$build/bench/bench_fit" ]; then
    make -C "$root" "${build#$root/}/bench/bench_fit" >&2
fi
if [ ! -x /usr/bin/time ]; then
    echo "bench_fit: installing time (apt-get) for peak RSS" >&2
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi
work=$(mktemp -d /tmp/runcare-bench-fit.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 1. the peers (and the corpus, on first use)
RUNS=$runs bash "$shared/bench/peers_fit.sh" "$corpus" > "$work/peers.txt"

# 2. runcare on the same files
find "$corpus" -maxdepth 1 -name '*.fit' | sort > "$work/list"
nfiles=$(wc -l < "$work/list")
bytes=$(xargs -a "$work/list" -d '\n' stat -c %s | awk '{s+=$1} END {print s}')
largest=$(xargs -a "$work/list" -d '\n' stat -c %s | sort -n | tail -1)
ref=$(awk -F'\t' '{r+=$3*$6} END {print r}' "$corpus/.base.tsv")
{ printf 'exec %q inspect --json' "$runcare"
  while read -r f; do printf ' %q' "$f"; done < "$work/list"
  printf ' > /dev/null\n'; } > "$work/runcare.sh"
{ printf 'exec cat'
  while read -r f; do printf ' %q' "$f"; done < "$work/list"
  printf ' > /dev/null\n'; } > "$work/cat.sh"

got=$("$runcare" inspect --json $(cat "$work/list") |
      python3 -c 'import json,sys; print(sum(json.loads(l)["records"] for l in sys.stdin))')
if [ "$got" != "$ref" ]; then
    echo "bench_fit: runcare decoded $got records, fitwalk.py counts $ref" >&2
    exit 1
fi
/usr/bin/time -v bash "$work/runcare.sh" 2> "$work/time.txt"
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")

hyperfine --style basic --runs "$runs" --warmup 1 --export-json "$work/h.json" \
    -n runcare "bash $work/runcare.sh" \
    -n cat "bash $work/cat.sh" \
    -n read-only "$build/bench/bench_fit read @$work/list" \
    -n crc-only "$build/bench/bench_fit crc @$work/list" \
    -n decode-only "$build/bench/bench_fit decode @$work/list" >&2

echo "# machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/peers.txt"
python3 - "$work/h.json" "$work/peers.txt" "$bytes" "$nfiles" "$ref" "$rss_kb" "$largest" <<'EOF'
import json, sys
h = json.load(open(sys.argv[1]))
nbytes, nfiles, ref, rss_kb, largest = map(int, sys.argv[3:8])
peers = {}
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) >= 6 and f[0] in ('fit-file-parser', 'gpsbabel'):
        peers[f[0]] = float(f[3])
notes = {
    'runcare': 'inspect --json, one process',
    'cat': 'the same bytes to /dev/null',
    'read-only': 'read each file into a buffer, touch every cache line',
    'crc-only': 'read + file CRC',
    'decode-only': 'read + fit_decode, no JSON',
}
print('# runcare, same corpus: %d files, %.1f MB, %d records' % (nfiles, nbytes / 1e6, ref))
print('%-12s %10s %9s %14s %s' % ('what', 'median_s', 'MB/s', 'records/s', 'notes'))
rc = None
for r in h['results']:
    med = r['median']
    mbs = nbytes / 1e6 / med
    if r['command'] == 'runcare':
        rc = (med, mbs)
    print('%-12s %10.3f %9.1f %14.0f %s' % (r['command'], med, mbs, ref / med, notes[r['command']]))
med, mbs = rc
for name, pm in sorted(peers.items()):
    print('runcare / %-16s %6.1fx MB/s' % (name, mbs / pm))
print('runcare peak RSS %.1f MB (largest file %.2f MB)' % (rss_kb / 1024, largest / 1e6))
EOF
