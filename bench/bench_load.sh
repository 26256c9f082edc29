#!/usr/bin/env bash
# bench_load.sh - `runcare load` on a 10-year log (about 3,500 runs), run by
# `make bench` ($RUNCARE, $BENCH_BUILD). Issue 6's budget: under 10 ms
# beyond opening the database.
#   1. the computation alone (bench_load: rules, report, JSON, SVG on the
#      generated runs, no database);
#   2. in process, from a database of the same runs (bench_load_db): open
#      alone, reading the log (whole, and from 400 days before the weeks
#      shown, as runcare load does), the report;
#   3. the whole command (hyperfine) next to runcare --version (process
#      start) and runcare shoe list (start, open, one small query).
# No peer computes this report; the references are runcare's own steps,
# measured in the same run.
set -euo pipefail
: "${RUNCARE:?}" "${BENCH_BUILD:?}"
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/deps.sh" --tools hyperfine
work=$(mktemp -d "${TMPDIR:-/tmp}/runcare-bench-load.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "### 1. computation: bench_load 3500 200"
"$BENCH_BUILD/bench/bench_load" 3500 200
echo
echo "### 2. from a database: bench_load_db time load.db 100"
"$BENCH_BUILD/bench/bench_load_db" make "$work/load.db" 3500
"$BENCH_BUILD/bench/bench_load_db" time "$work/load.db" 100 | tee "$work/time"
as_of=$(sed -n 's/^as of \([0-9-]*\).*/\1/p' "$work/time")
echo
echo "### 3. the whole command, as of $as_of"
hyperfine -N --warmup 10 --runs 100 --style basic \
    "$RUNCARE --version" \
    "$RUNCARE --db $work/load.db shoe list" \
    "$RUNCARE --db $work/load.db load --as-of $as_of" \
    "$RUNCARE --db $work/load.db load --as-of $as_of --json"
