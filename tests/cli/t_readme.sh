#!/usr/bin/env bash
# t_readme.sh - run every command example of README.md, so the README stays
# true. Examples are the lines "$ runcare ..." inside ```console blocks; they
# run in order, in one scratch folder, each expected to exit 0 unless the line
# ends with "# exit N".
. "$(dirname "$0")/lib.sh"
readme=$(dirname "$0")/../../README.md
work=$T/work
mkdir -p "$work"
n_examples=0
while IFS= read -r line; do
    cmd=${line#\$ }
    want=0
    if [[ $cmd =~ \#\ exit\ ([0-9]+)[[:space:]]*$ ]]; then
        want=${BASH_REMATCH[1]}
        cmd=${cmd%%#*}
    fi
    n_examples=$((n_examples + 1))
    last_cmd=$cmd
    (cd "$work" && runcare() { "$RUNCARE" "$@"; } && eval "$cmd") \
        > "$T/out" 2> "$T/err" < /dev/null
    status=$?
    expect_status "README example: $cmd" "$want"
done < <(awk '/^```console/{on=1; next} /^```/{on=0} on && /^\$ runcare/' "$readme")
if [ "$n_examples" -ge 3 ]; then ok "README has command examples ($n_examples)"; else not_ok "README has command examples"; fi
done_testing
