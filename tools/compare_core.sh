#!/usr/bin/env bash
# compare_core.sh - what a runner sees from inspect, import and list, from
# two runcare binaries, byte for byte. For changes inside the core (decoders,
# import, store) that must not change any output.
#
#   tools/compare_core.sh OLD NEW [OUTDIR]
#
# Inputs: every file under ../shared/data/activities (good and invalid, the
# MANIFEST and README too: files that are no activity must fail alike), the
# fixtures runcare wrote itself (fuzz/corpus and fuzz/crashes of fit, gpx,
# tcx), the watch files of `OLD demo`, and for import's walker a .gz of
# each shared file, a folder of them all and a zip of a few.
#
# For each binary, OUTDIR/old and OUTDIR/new (default: a temporary folder)
# get one file per way of looking, each with the exit code, stdout and
# stderr of every run:
#   inspect.json     inspect --json FILE, one run per file
#   inspect.txt      inspect FILE
#   salvage.txt      inspect --salvage FILE
#   salvage.json     inspect --json --salvage FILE
#   import.txt       import FILE into a fresh log, then list --json
#   import-gz.txt    the same for FILE.gz
#   folder.txt       import --threads 1 of the folder and the zip, list,
#                    list --json, the same import again (duplicates),
#                    and the folder with --salvage into a fresh log
# then `diff -r`. Exit 0 when both say the same; 1 and the diff when not.
# Standard tools only (bash, coreutils, diff, gzip; zip when installed).
set -euo pipefail
if [ $# -lt 2 ]; then
    sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
old=$(realpath "$1") new=$(realpath "$2")
shared=${RUNCARE_SHARED:-$root/../shared}
data=$shared/data/activities
[ -d "$data" ] || { echo "compare_core: $data not found" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/compare_core.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=${3:-$tmp/out}
rm -rf "$out/old" "$out/new"
mkdir -p "$out"

# the inputs, under fixed paths so that messages naming them agree
in=$tmp/in
mkdir -p "$in/shared" "$in/fixtures" "$in/demo" "$in/gz" "$in/folder"
cp -r "$data/." "$in/shared/"
mkdir -p "$in/fixtures"
for kind in fit gpx tcx; do
    for d in corpus crashes; do
        [ -d "$root/fuzz/$d/$kind" ] || continue
        for f in "$root/fuzz/$d/$kind"/*; do
            cp "$f" "$in/fixtures/$d-$kind-${f##*/}"
        done
    done
done
HOME=$tmp/home "$old" --db "$tmp/demo.db" demo "$in/demo" > /dev/null 2>&1 ||
    echo "compare_core: $old demo failed; its files are left out" >&2
find "$in/shared" "$in/fixtures" "$in/demo" -type f | LC_ALL=C sort > "$tmp/files"
while read -r f; do
    rel=${f#"$in/"}
    g=$in/gz/${rel//\//__}.gz
    gzip -c "$f" > "$g"
    cp "$f" "$in/folder/${rel//\//__}"
done < "$tmp/files"
zipped=
if command -v zip > /dev/null; then
    (cd "$in/shared" && zip -q -r "$in/export.zip" gpx tcx invalid)
    zipped=$in/export.zip
else
    echo "compare_core: zip not installed: no zip in the folder import" >&2
fi

# run BIN ARGS...: exit code, stdout and stderr, under a label
run() {
    local bin=$1 rc=0
    shift
    echo "== ${*//$tmp/TMP}"
    HOME=$tmp/home "$bin" "$@" > "$tmp/o" 2> "$tmp/e" < /dev/null || rc=$?
    echo "exit $rc"
    sed "s|$tmp|TMP|g" "$tmp/o"
    sed "s|$tmp|TMP|g; s|^|stderr: |" "$tmp/e"
}

# look BIN DIR: every way of looking, into DIR
look() {
    local bin=$1 dir=$2 n=0
    mkdir -p "$dir"
    while read -r f; do
        run "$bin" inspect --json "$f" >> "$dir/inspect.json"
        run "$bin" inspect "$f" >> "$dir/inspect.txt"
        run "$bin" inspect --salvage "$f" >> "$dir/salvage.txt"
        run "$bin" inspect --json --salvage "$f" >> "$dir/salvage.json"
        n=$((n + 1))
        rm -f "$tmp/log.db"*
        run "$bin" --db "$tmp/log.db" import "$f" >> "$dir/import.txt"
        run "$bin" --db "$tmp/log.db" list --json >> "$dir/import.txt"
        rel=${f#"$in/"}
        rm -f "$tmp/log.db"*
        run "$bin" --db "$tmp/log.db" import "$in/gz/${rel//\//__}.gz" >> "$dir/import-gz.txt"
        run "$bin" --db "$tmp/log.db" list --json >> "$dir/import-gz.txt"
    done < "$tmp/files"
    rm -f "$tmp/log.db"*
    for pass in 1 2; do
        run "$bin" --db "$tmp/log.db" import --threads 1 "$in/folder" $zipped >> "$dir/folder.txt"
        run "$bin" --db "$tmp/log.db" list >> "$dir/folder.txt"
        run "$bin" --db "$tmp/log.db" list --json >> "$dir/folder.txt"
    done
    rm -f "$tmp/log.db"*
    run "$bin" --db "$tmp/log.db" import --threads 1 --salvage "$in/folder" >> "$dir/folder.txt"
    run "$bin" --db "$tmp/log.db" list --json >> "$dir/folder.txt"
    rm -f "$tmp/log.db"*
    echo "$n" > "$dir/count"
}

look "$old" "$out/old"
look "$new" "$out/new"
if diff -r "$out/old" "$out/new" > "$tmp/diff"; then
    echo "compare_core: the same output for $(cat "$out/new/count") input files ($(cat "$out/new"/*.txt "$out/new"/*.json | grep -c '^== ') runs each)"
    exit 0
fi
head -n 200 "$tmp/diff"
echo "compare_core: the outputs differ (diff -r $out/old $out/new)" >&2
exit 1
