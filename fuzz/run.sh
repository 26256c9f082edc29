#!/usr/bin/env bash
# run.sh - run every libFuzzer target for a while (called by `make fuzz`).
#
#   fuzz/run.sh BUILD_DIR SECONDS NAME...
#
# Each target starts from its checked-in seeds (fuzz/corpus/NAME/) and keeps
# what it finds in BUILD_DIR/corpus-NAME/ (not in git). A crash is written to
# BUILD_DIR/crashes-NAME/ and fails the run: after fixing the bug, copy the
# input to fuzz/crashes/NAME/ so `make check` replays it forever.
set -euo pipefail
build=$1 seconds=$2
shift 2
status=0
for name in "$@"; do
    work=$build/corpus-$name crashes=$build/crashes-$name
    mkdir -p "$work" "$crashes" "fuzz/corpus/$name"
    echo "fuzz: $name for ${seconds}s (seeds fuzz/corpus/$name, new inputs $work)"
    if ! "$build/fuzzer_$name" -max_total_time="$seconds" -rss_limit_mb=2048 \
            -timeout=10 -artifact_prefix="$crashes/" -print_final_stats=1 \
            "$work" "fuzz/corpus/$name" 2> "$build/fuzz-$name.log"; then
        echo "fuzz: $name FAILED; see $build/fuzz-$name.log and $crashes/" >&2
        tail -n 30 "$build/fuzz-$name.log" >&2
        status=1
    else
        grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/fuzz-$name.log" | sed "s/^/fuzz: $name: /"
    fi
done
exit $status
