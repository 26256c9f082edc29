#!/usr/bin/env bash
# t_check_vignettes.sh - the public vignettes (../shared/domain) and our
# own cases (tests/vignettes/*.jsonl: own.jsonl, blind.jsonl) through
# `runcare check --json`: fails when an emergency is under-triaged, a
# must_flag is missed, or a result is invalid against result.schema.json
# (runcare validates every result before printing it and exits 3 if it
# breaks the schema); and when a gold label breaks conditions.md's rules
# (goldcheck.py, independent of kb/).
. "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || "$(dirname "$0")/../../tools/deps.sh" --tools python3
root=$(cd "$(dirname "$0")/../.." && pwd)
own=$(ls "$root"/tests/vignettes/*.jsonl 2>/dev/null)
if [ -n "$own" ]; then
    check "own cases: no emergency under-triaged, no must_flag missed, all valid" \
        python3 "$root/tests/vignettes/score.py" "$RUNCARE" $own --strict
    check "own cases: gold labels follow conditions.md sections 1-3" \
        python3 "$root/tests/vignettes/goldcheck.py" $own
else
    skip "own cases" "tests/vignettes has no cases"
fi
pub=${RUNCARE_SHARED:-$root/../shared}/domain/vignettes.jsonl
if [ -n "${RUNCARE_SHARED:-}" ] && [ -f "$pub" ]; then
    check "public vignettes: no emergency under-triaged, no must_flag missed, all valid" \
        python3 "$root/tests/vignettes/score.py" "$RUNCARE" "$pub" --strict
    check "public vignettes: gold labels follow conditions.md sections 1-3" \
        python3 "$root/tests/vignettes/goldcheck.py" "$pub"
else
    echo "skipped: ../shared/data not found"
    skip "public vignettes" "../shared not found"
fi
done_testing
