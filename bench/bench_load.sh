#!/usr/bin/env bash
# bench_load.sh - the load guard on a 10-year log (about 3,500 runs):
# the computation alone (bench_load: rules, report, JSON and SVG on
# generated runs, as the store lists them), against issue 6's budget of
# 10 ms beyond opening the database. Run by `make bench`.
set -euo pipefail
: "${BENCH_BUILD:?}"
echo "### computation: $BENCH_BUILD/bench/bench_load 3500 200"
"$BENCH_BUILD/bench/bench_load" 3500 200
