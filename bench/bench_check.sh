#!/usr/bin/env bash
# bench_check.sh - the leg-pain check.
#  1. instructions (valgrind --tool=callgrind; repeatable on a shared
#     machine): one `runcare check --json --no-save` as a whole process,
#     and bench_check's kb load, engine and result validation, once each;
#  2. time: one `runcare check --json --no-save` from process start to
#     result, kb load included (hyperfine), against `runcare --version`
#     (process start alone) in the same run; then bench_check 500 (the
#     steps in process, first iteration and mean).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/deps.sh" --tools hyperfine valgrind
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
report=$tmp/report.json
cat > "$report" <<'JSON'
{"schema_version":"1.0","age_years":34,"location":{"regions":["calf","thigh_front"],"side":"both"},"screen":{"chest_pain_or_breathless":false,"urine":"normal","vomiting_or_confusion":false,"fever":false,"can_walk":"normally","numbness_tingling":false,"weakness":"none"},"signs":{"swelling":"none","redness":false,"warmth":false},"pain":{"onset":"next_day","hours_since_run":30,"days_with_symptoms":1,"score":4,"trend":"same","character":["ache","stiffness"],"at_rest":false},"checks":{"tenderness":"in_muscle"},"training":{"longest_run_spike_pct":150,"break_weeks":12}}
JSON
# no log, no diary: the check alone
export HOME=$tmp/home
mkdir -p "$HOME"

# inclusive instructions of each function named, from a callgrind file
counts() {
    local out=$1
    shift
    callgrind_annotate --inclusive=yes "$out" 2> /dev/null |
        awk -v names="$*" '
            BEGIN { n = split(names, want, " ") }
            $1 ~ /^[0-9,]+$/ && NR > 5 {
                if ($0 ~ /PROGRAM TOTALS/) { total = $1; next }
                for (i = 1; i <= n; i++)
                    if (!(want[i] in got) && index($0, ":" want[i] " [")) got[want[i]] = $1
            }
            END {
                printf "  %-24s %14s\n", "whole run", total
                for (i = 1; i <= n; i++)
                    printf "  %-24s %14s\n", want[i], (want[i] in got) ? got[want[i]] : "-"
            }'
}
echo "instructions, runcare check --json --no-save report.json (one process):"
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.check" \
    "$RUNCARE" check --json --no-save "$report" > /dev/null 2> "$tmp/vg.log"
counts "$tmp/cg.check" _dl_start kb_load_embedded triage_parse_report \
    triage_run jschema_validate json_dumpf kb_free
echo "instructions, bench_check 1 (kb load, engine, result validation):"
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.bench" \
    "$BENCH_BUILD/bench/bench_check" 1 > /dev/null 2> "$tmp/vg.log"
counts "$tmp/cg.bench" kb_load_embedded triage_parse_report triage_run \
    jschema_validate

hyperfine -N --warmup 20 --runs 300 --style basic \
    "$RUNCARE --version" \
    "$RUNCARE check --json --no-save $report"
"$BENCH_BUILD/bench/bench_check" 500
