#!/usr/bin/env bash
# t_check_report.sh - `runcare check FILE|-`: every kind of report
# validation error (one line each, JSON pointer and what was expected, exit
# 1, nothing stored), the text and --json outputs, and the options.
. "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || "$(dirname "$0")/../../tools/deps.sh" --tools python3
root=$(cd "$(dirname "$0")/../.." && pwd)
good='{"schema_version":"1.0","location":{"regions":["calf"],"side":"left"},"screen":{"chest_pain_or_breathless":false,"urine":"normal","vomiting_or_confusion":false,"fever":false,"can_walk":"normally","numbness_tingling":false,"weakness":"none"},"signs":{"swelling":"none","redness":false,"warmth":false},"pain":{"onset":"next_day","hours_since_run":24,"days_with_symptoms":1,"score":3}}'

# bad DESC PYTHON-EXPR EXPECTED-STDERR-LINE: r is the good report (a dict);
# the expression changes it in place.
bad() {
    local desc=$1 change=$2 want=$3
    GOOD=$good python3 -c "
import json, os
r = json.loads(os.environ['GOOD'])
$change
print(json.dumps(r))" > "$T/bad.json"
    rc check --no-save "$T/bad.json"
    if [ "$status" -eq 1 ] && grep -qxF -- "runcare: $T/bad.json: $want" "$T/err"; then
        ok "$desc"
    else
        not_ok "$desc" "expected a line: runcare: $T/bad.json: $want"
    fi
}

echo "$good" > "$T/good.json"
rc check --no-save "$T/good.json"
expect_status "a valid report exits 0" 0
expect_out "text output starts with the level" "^== SELF-CARE ==$"
expect_out "text output ends with the disclaimer" "does not replace a doctor"
# the text wraps at about 78 columns: match on it unwrapped
tr '\n' ' ' < "$T/out" | tr -s ' ' > "$T/flat"
flat() { if grep -qE -- "$2" "$T/flat"; then ok "$1"; else not_ok "$1" "text does not match: $2"; fi; }
flat "each piece of advice ends with its sources" "Now: - [^[]+\\[[a-z0-9_]+(, [a-z0-9_]+)*\\] - "
flat "time windows are said after the run" "Next, [^(]+ \\([0-9.]+ (hours|days) after the run\\):"
flat "likelihood is a word, never a percentage" "1\\. [^:]+: (likely|possible|less likely) "
if grep -qE "^  [0-9]\. .*%|: (likely|possible|less likely) \(" "$T/out"; then not_ok "no percentages for likelihood" "$(grep -nE "^  [0-9]\. .*%" "$T/out" | head -2)"; else ok "no percentages for likelihood"; fi
flat "the recheck is in hours or days" "Check again in [0-9.]+ (hours|days) \\(runcare diary add\\)\\. Sooner if:"
lines=$(wc -l < "$T/out")
if [ "$lines" -le 50 ]; then ok "a self-care result is about a screen ($lines lines)"; else not_ok "a self-care result is about a screen" "$lines lines"; fi
rc check --no-save --sources "$T/good.json"
tr '\n' ' ' < "$T/out" | tr -s ' ' > "$T/flat"
flat "--sources lists every source with its address" "Sources: \\[[a-z0-9_]+\\] [^[]* https?://"
rc check --no-save --full "$T/good.json"
expect_out "--full shows the whole plan" "^Next, "
if grep -qE "see_clinician|self_care|less_likely|seek_care| to on\\]" "$T/out"; then
    not_ok "no ids in the text" "$(grep -nE "see_clinician|self_care|less_likely|seek_care| to on\\]" "$T/out" | head -3)"
else
    ok "no ids in the text"
fi
GOOD=$good python3 -c "
import json, os
r = json.loads(os.environ['GOOD'])
r['screen']['urine'] = 'dark_cola'
print(json.dumps(r))" > "$T/emergency.json"
rc check --no-save "$T/emergency.json"
expect_out "an emergency says what to do now" "^== EMERGENCY ==$"
expect_out "an emergency is said first, with the flag" "^Call emergency services or go to the emergency department now\\. Brown"
if grep -q "^Check again in" "$T/out"; then
    not_ok "an emergency has no recheck time" "it printed one"
else
    ok "an emergency has no recheck time"
fi

bad "enum" "r['screen']['urine'] = 'brown'" '/screen/urine: "brown" is not one of normal, dark_yellow, dark_cola, little_or_none, not_noticed'
bad "type" "r['pain']['score'] = '7'" '/pain/score: expected integer, got a string "7"'
bad "integer" "r['pain']['score'] = 7.5" '/pain/score: expected integer, got a number 7.5'
bad "const" "r['schema_version'] = '2.0'" '/schema_version: "2.0" is not one of 1.0, 1.1'
bad "required" "del r['screen']['urine']" '/screen/urine: missing (required)'
bad "required section" "del r['pain']" '/pain: missing (required)'
bad "additionalProperties" "r['pain']['scor'] = 3" '/pain/scor: unknown field (not in the schema)'
bad "minItems" "r['location']['regions'] = []" '/location/regions: has 0 items, at least 1 needed'
bad "maxItems" "r['location']['regions'] = ['calf','heel','ankle','shin_front','shin_inner','shin_outer','knee_back']" '/location/regions: has 7 items, at most 6 allowed'
bad "uniqueItems" "r['location']['regions'] = ['calf','calf']" '/location/regions: "calf" appears more than once'
bad "items enum" "r['location']['regions'] = ['calve']" '/location/regions/0: "calve" is not one of hip_groin, buttock, thigh_front, thigh_back, thigh_outer, thigh_inner, knee_front, knee_outer, knee_inner, knee_back, shin_inner, shin_front, shin_outer, calf, achilles, ankle, heel, foot_top, foot_sole, midfoot, forefoot'
bad "minimum" "r['pain']['hours_since_run'] = -1" '/pain/hours_since_run: -1 is below the minimum 0'
bad "maximum" "r['pain']['score'] = 11" '/pain/score: 11 is above the maximum 10'
bad "minLength" "r['report_id'] = ''" '/report_id: is 0 characters long, at least 1 needed'
bad "maxLength" "r['report_id'] = 'x' * 65" '/report_id: is 65 characters long, at most 64 allowed'
bad "format date-time" "r['created_at'] = 'yesterday'" '/created_at: "yesterday" is not a valid date-time'
bad "if/then: no hop test when walking only a few steps" "r['screen']['can_walk'] = 'few_steps_only'; r['checks'] = {'can_hop': 'painful'}" '/checks/can_hop: "painful" is not one of unable, not_tried (Nobody who can take only a few steps is asked to hop.)'
bad "if/then: spreading redness needs redness" "r['checks'] = {'redness_spreading': True}" '/checks/redness_spreading: true is not false (Spreading redness is only asked when there is redness.)'
bad "top level must be an object" "r = [1]" '/: expected object, got an array [1]'

GOOD=$good python3 -c "
import json, os
r = json.loads(os.environ['GOOD'])
r['screen']['urine'] = 'brown'; r['pain']['score'] = 11; del r['signs']['warmth']
print(json.dumps(r))" > "$T/bad3.json"
rc check --no-save "$T/bad3.json"
expect_status "several problems exit 1" 1
check "every problem is reported, one line each" test "$(wc -l < "$T/err")" -eq 3
check "stdout is empty for a bad report" test ! -s "$T/out"

printf '{\n"schema_version": "1.0",\n}' > "$T/syntax.json"
rc check --no-save "$T/syntax.json"
expect_err "JSON syntax errors name line and column" "runcare: $T/syntax.json: line 3 col 1: invalid JSON: string or '}' expected near '}'"
rc check --no-save "$T/missing.json"
expect_status "a missing file exits 1" 1
head -c 2000000 /dev/zero | tr '\0' ' ' > "$T/huge.json"
rc check --no-save "$T/huge.json"
expect_status "an oversized report is refused" 1
expect_err_re "the size cap is named" "huge.json: .*(limit|cap|large)"

rc_in "$T/good.json" check --json --no-save -
expect_status "a report from stdin ('-') exits 0" 0
expect_out "--json prints the result" '"triage": "self_care"'
rc_in "$T/good.json" check --json --no-save
expect_status "stdin that is not a terminal is read as a report" 0
python3 - "$T/out" <<'PY' > "$T/keys" 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
print(" ".join(sorted(r)))
PY
check "--json has every part of the result" grep -qx "advice_sources conditions corrections disclaimer engine headline load_warnings plan recheck red_flags schema_version semigran_level triage triage_reason" "$T/keys"

rc check --no-save "$T/good.json" "$T/good.json"
expect_status "two reports are a usage error" 2
rc check --bogus
expect_status "an unknown option is a usage error" 2
RUNCARE_NOW=2026-03-14T10:00:00Z rc check --json --no-save "$T/good.json"
expect_out "engine.generated_at is the time of the answer" '"generated_at": "2026-03-14T10:00:00Z"'
done_testing
