#!/usr/bin/env bash
# bench_check.sh - the leg-pain check: one `runcare check --json --no-save`
# from process start to result, kb load included (hyperfine), against
# `runcare --version` (process start alone) measured in the same run; then
# the kb load and the engine alone (bench_check, no process start).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/deps.sh" --tools hyperfine
report=$(mktemp)
trap 'rm -f "$report"' EXIT
cat > "$report" <<'JSON'
{"schema_version":"1.0","age_years":34,"location":{"regions":["calf","thigh_front"],"side":"both"},"screen":{"chest_pain_or_breathless":false,"urine":"normal","vomiting_or_confusion":false,"fever":false,"can_walk":"normally","numbness_tingling":false,"weakness":"none"},"signs":{"swelling":"none","redness":false,"warmth":false},"pain":{"onset":"next_day","hours_since_run":30,"days_with_symptoms":1,"score":4,"trend":"same","character":["ache","stiffness"],"at_rest":false},"checks":{"tenderness":"in_muscle"},"training":{"longest_run_spike_pct":150,"break_weeks":12}}
JSON
hyperfine -N --warmup 20 --runs 300 --style basic \
    "$RUNCARE --version" \
    "$RUNCARE check --json --no-save $report"
"$BENCH_BUILD/bench/bench_check" 500
