#!/usr/bin/env bash
# bench_gpx.sh - GPX and TCX decoding speed, in one run on the same corpora:
#   runcare      `runcare inspect --json FILE...` (read, decode, totals, one
#                JSON line per file), all files in one process
#   expat-floor  bench_expat_floor: Expat parsing the same bytes with empty
#                handlers, set up as runcare's reader sets it up (the floor
#                under any Expat-based decoder)
#   gpsbabel, gpxpy   the peers, timed by ../shared/bench/peers_gpx.sh (which
#                also builds the corpora: the real well-formed files of
#                shared/data copied to ~256 MB each, in /tmp/runcare-bench)
#
#   make bench     (sets RUNCARE and BENCH_BUILD; or run this with them set)
#   env: RUNS (hyperfine runs, default 5), CORPUS_MB (default 256), SHARED,
#        GPX_CORPUS, TCX_CORPUS (default /tmp/runcare-bench/gpx and tcx)
#        (the shared folder, default ../shared of the repository)
#
# Prints per format: MB, median wall seconds, MB/s, points, points/s, peak
# RSS for each program, then runcare's speed against gpsbabel's and its time
# against the floor's. Points: runcare's `records` summed over its JSON
# lines, checked against the Expat count of the corpus (ref points).
# Installs (apt-get): gpsbabel, hyperfine, python3-gpxpy (through
# peers_gpx.sh) and time (GNU time, for peak RSS).
set -euo pipefail
: "${RUNCARE:?RUNCARE must name the runcare binary}"
: "${BENCH_BUILD:?BENCH_BUILD must name the build folder}"
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED:-$here/../../shared}
[ -d "$shared/bench" ] || { echo "bench_gpx: no $shared/bench: skipped"; exit 0; }
shared=$(cd "$shared" && pwd)
runs=${RUNS:-5}
gpx_dir=${GPX_CORPUS:-/tmp/runcare-bench/gpx} tcx_dir=${TCX_CORPUS:-/tmp/runcare-bench/tcx}
floor=$BENCH_BUILD/bench/bench_expat_floor
work=$(mktemp -d /tmp/runcare-bench-gpx.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ ! -x /usr/bin/time ]; then
    echo "installing time (apt-get): GNU time measures peak RSS" >&2
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi

echo "# peers (shared/bench/peers_gpx.sh, TCX=1, RUNS=$runs)"
TCX=1 RUNS=$runs TCX_CORPUS=$tcx_dir bash "$shared/bench/peers_gpx.sh" "$gpx_dir" |
    tee "$work/peers.txt"

# peak_rss_kb CMD...: the largest resident set of the command, in kB
peak_rss_kb() {
    /usr/bin/time -f %M -o "$work/rss" "$@" > /dev/null 2>&1 || true
    tail -n 1 "$work/rss"
}

# bench KIND DIR GBFMT
bench() {
    local kind=$1 dir=$2 gbfmt=$3 bytes ref pts bad
    find "$dir" -maxdepth 1 -name "*.$kind" | sort > "$work/$kind.list"
    bytes=$(xargs -a "$work/$kind.list" -d '\n' stat -c %s | awk '{s+=$1} END {print s}')
    ref=$(awk -F'\t' '{r+=$3*$6} END {print r}' "$dir/.base.tsv")
    { printf 'exec %q inspect --json' "$RUNCARE"; while read -r f; do printf ' %q' "$f"; done < "$work/$kind.list"; printf ' >/dev/null\n'; } > "$work/runcare.sh"
    { printf 'exec %q' "$floor"; while read -r f; do printf ' %q' "$f"; done < "$work/$kind.list"; printf '\n'; } > "$work/floor.sh"
    { printf 'exec gpsbabel -i %s' "$gbfmt"; while read -r f; do printf ' -f %q' "$f"; done < "$work/$kind.list"; printf ' >/dev/null\n'; } > "$work/gpsbabel.sh"

    # one untimed run: every file must decode, with the reference points
    sed 's| >/dev/null$| > '"$work"'/out.jsonl|' "$work/runcare.sh" > "$work/check.sh"
    bash "$work/check.sh"
    bad=$(grep -vc '"ok":true' "$work/out.jsonl" || true)
    pts=$(grep -o '"records":[0-9]*' "$work/out.jsonl" | awk -F: '{s+=$2} END {print s}')
    echo "# ${kind^^}: runcare decoded $(wc -l < "$work/out.jsonl") files, $bad failed, $pts points (ref $ref)"
    [ "$bad" -eq 0 ] && [ "$pts" -eq "$ref" ] || { echo "bench_gpx: runcare does not decode the corpus fully" >&2; exit 1; }

    hyperfine --style basic --runs "$runs" --warmup 1 --export-json "$work/h.json" \
        -n runcare "bash $work/runcare.sh" -n expat-floor "bash $work/floor.sh" >&2
    rss_rc=$(peak_rss_kb bash "$work/runcare.sh")
    rss_fl=$(peak_rss_kb bash "$work/floor.sh")
    rss_gb=$(peak_rss_kb bash "$work/gpsbabel.sh")
    rss_gp=-
    if [ "$kind" = gpx ]; then
        rss_gp=$(peak_rss_kb /usr/bin/python3 "$shared/bench/peers/gpxpy_decode.py" "@$work/$kind.list")
    fi
    python3 - "$work/h.json" "$work/peers.txt" "$kind" "$bytes" "$pts" \
        "$rss_rc" "$rss_fl" "$rss_gb" "$rss_gp" <<'EOF'
import json, sys
h = json.load(open(sys.argv[1]))
peers_txt, kind = sys.argv[2], sys.argv[3]
nbytes, pts = int(sys.argv[4]), int(sys.argv[5])
rss = dict(zip(['runcare', 'expat-floor', 'gpsbabel', 'gpxpy'], sys.argv[6:10]))
# the peers' lines of this format from peers_gpx.sh
peers, section = {}, None
for line in open(peers_txt):
    if line.startswith('# '):
        section = line.split()[1].lower()
    elif section == kind and line.split() and line.split()[0] in ('gpsbabel', 'gpxpy'):
        f = line.split()
        peers[f[0]] = (float(f[2]), int(f[4]))
rows = [(r['command'], r['median'], pts) for r in h['results']]
rows += [(name, med, p) for name, (med, p) in peers.items()]
med = {name: m for name, m, _ in rows}
print('# %s decode: %.1f MB, %d points' % (kind.upper(), nbytes / 1e6, pts))
print('%-12s %9s %10s %9s %12s %14s %12s' % ('program', 'MB', 'median_s', 'MB/s', 'points', 'points/s', 'peak_rss_MB'))
for name, m, p in rows:
    r = rss.get(name, '-')
    print('%-12s %9.1f %10.3f %9.1f %12d %14.0f %12s' % (name, nbytes / 1e6, m, nbytes / 1e6 / m, p, p / m,
          '%.1f' % (int(r) / 1024) if r not in ('-', '') else '-'))
if 'gpsbabel' in med:
    print('runcare speed / gpsbabel speed: %.2fx (target >= 3x)' % (med['gpsbabel'] / med['runcare']))
if 'gpxpy' in med:
    print('runcare speed / gpxpy speed:    %.2fx' % (med['gpxpy'] / med['runcare']))
print('runcare time / Expat floor time: %.2fx (target <= 1.5x)' % (med['runcare'] / med['expat-floor']))
EOF
}

bench gpx "$gpx_dir" gpx
bench tcx "$tcx_dir" gtrnctr
