#!/usr/bin/env bash
# t_check_vignettes.sh - the public vignettes (../shared/domain) and our
# own cases (tests/vignettes/*.jsonl) through `runcare check --json`:
# fails when an emergency is under-triaged, a must_flag is missed, or a
# result is invalid against result.schema.json (runcare validates every
# result before printing it and exits 3 if it breaks the schema).
. "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || "$(dirname "$0")/../../tools/deps.sh" --tools python3
root=$(cd "$(dirname "$0")/../.." && pwd)
own=$(ls "$root"/tests/vignettes/*.jsonl 2>/dev/null)
if [ -n "$own" ]; then
    check "own cases: no emergency under-triaged, no must_flag missed, all valid" \
        python3 "$root/tests/vignettes/score.py" "$RUNCARE" $own --strict
else
    skip "own cases" "tests/vignettes has no cases"
fi
pub=${RUNCARE_SHARED:-$root/../shared}/domain/vignettes.jsonl
if [ -n "${RUNCARE_SHARED:-}" ] && [ -f "$pub" ]; then
    check "public vignettes: no emergency under-triaged, no must_flag missed, all valid" \
        python3 "$root/tests/vignettes/score.py" "$RUNCARE" "$pub" --strict
else
    echo "skipped: ../shared/data not found"
    skip "public vignettes" "../shared not found"
fi
done_testing
