#!/usr/bin/env bash
# run.sh - run every benchmark (bench/bench_*.sh) against BUILD_DIR/runcare
# (called by `make bench`). Each script prints its own table; copy the
# figures into bench/RESULTS.md with the command and the machine.
set -euo pipefail
build=${1:-build}
export RUNCARE=$PWD/$build/runcare BENCH_BUILD=$PWD/$build
shopt -s nullglob
scripts=(bench/bench_*.sh)
if [ ${#scripts[@]} -eq 0 ]; then
    echo "bench: no benchmarks yet"
    exit 0
fi
echo "# machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
for s in "${scripts[@]}"; do
    echo "## $s"
    bash "$s"
done
