#!/usr/bin/env bash
# t_check_kb.sh - every knowledge-base check: a copy of kb/ with one broken
# record each, loaded with `runcare check --kb DIR`, must fail with exit 1
# and the exact "DIR/FILE: line N: what" message.
. "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || "$(dirname "$0")/../../tools/deps.sh" --tools python3
root=$(cd "$(dirname "$0")/../.." && pwd)
report=$T/report.json
cat > "$report" <<'JSON'
{"schema_version":"1.0","location":{"regions":["calf"],"side":"left"},
 "screen":{"chest_pain_or_breathless":false,"urine":"normal","vomiting_or_confusion":false,"fever":false,"can_walk":"normally","numbness_tingling":false,"weakness":"none"},
 "signs":{"swelling":"none","redness":false,"warmth":false},
 "pain":{"onset":"next_day","hours_since_run":24,"days_with_symptoms":1,"score":3}}
JSON

fresh() { rm -rf "$T/kb"; cp -r "$root/kb" "$T/kb"; }

# broken DESC FILE FROM TO EXPECTED: replace the first FROM (fixed text) in
# FILE by TO; EXPECTED may use @LINE@ for the line that was changed.
broken() {
    local desc=$1 file=$2 from=$3 to=$4 want=$5 line
    fresh
    line=$(grep -nF -m1 -- "$from" "$T/kb/$file" | cut -d: -f1)
    if [ -z "$line" ]; then not_ok "$desc" "text not found in $file: $from"; return; fi
    FROM=$from TO=$to python3 - "$T/kb/$file" <<'PY'
import os, sys
p = sys.argv[1]; s = open(p, encoding="utf-8").read()
open(p, "w", encoding="utf-8").write(s.replace(os.environ["FROM"], os.environ["TO"], 1))
PY
    rc check --no-save --kb "$T/kb" "$report"
    want=${want//@LINE@/$line}
    if [ "$status" -eq 1 ] && [ "$(head -n1 "$T/err")" = "runcare: $T/kb/$want" ]; then
        ok "$desc"
    else
        not_ok "$desc" "expected: runcare: $T/kb/$want"
    fi
}

fresh
rc check --no-save --kb "$T/kb" "$report"
expect_status "an unchanged copy of kb/ loads" 0

broken "invalid JSON names file, line and column" conditions.jsonl '{"id":"eamc"' '{"id":"eamc",,' 'conditions.jsonl: line @LINE@: invalid JSON at column 14: string or '"'"'}'"'"' expected near '"'"','"'"''
broken "unknown report field" conditions.jsonl '"/pain/score"' '"/pain/scor"' 'conditions.jsonl: line @LINE@: unknown report field "/pain/scor"'
broken "value the schema does not allow" red_flags.jsonl '"dark_cola","little_or_none"' '"dark_colla","little_or_none"' 'red_flags.jsonl: line @LINE@: "dark_colla" is not a value of /screen/urine'
broken "unknown source id" conditions.jsonl '"maeo_downhill"' '"maeo_downhil"' 'conditions.jsonl: line @LINE@: unknown source "maeo_downhil"'
broken "unknown key" conditions.jsonl '"weight":3,"reason":"it began' '"weigth":3,"reason":"it began' 'conditions.jsonl: line @LINE@: unknown key "weigth"'
broken "unknown operator" red_flags.jsonl '"eq":true},"points_to":{"lead":[{"id":"pulmonary_embolism"}]}' '"equals":true},"points_to":{"lead":[{"id":"pulmonary_embolism"}]}' 'red_flags.jsonl: line @LINE@: unknown operator "equals"'
broken "two operators in one rule" red_flags.jsonl '"eq":true},"points_to":{"lead":[{"id":"pulmonary_embolism"}]}' '"eq":true,"present":true},"points_to":{"lead":[{"id":"pulmonary_embolism"}]}' 'red_flags.jsonl: line @LINE@: a rule has one operator, not "eq" and "present"'
broken "unknown region set" red_flags.jsonl '"@LOWER_LEG"' '"@LOWER_LEGS"' 'red_flags.jsonl: line @LINE@: unknown set "@LOWER_LEGS"'
broken "numbers compared with a list field" red_flags.jsonl '"field":"/pain/score","gte":7' '"field":"/location/regions","gte":7' 'red_flags.jsonl: line @LINE@: "gte" needs a number field and a number (/location/regions)'
broken "red flag id not in result.schema.json" red_flags.jsonl '"id":"chest_symptoms"' '"id":"chest_pain"' 'red_flags.jsonl: line @LINE@: red flag id "chest_pain" is not one of result.schema.json'"'"'s'
broken "condition id not in result.schema.json" conditions.jsonl '"id":"eamc"' '"id":"cramp"' 'conditions.jsonl: line @LINE@: condition id "cramp" is not one of result.schema.json'"'"'s'
broken "bad triage level" conditions.jsonl '"id":"eamc","name":"Exercise-associated muscle cramp","triage":"self_care"' '"id":"eamc","name":"Exercise-associated muscle cramp","triage":"selfcare"' 'conditions.jsonl: line @LINE@: "triage" must be a triage level, not "selfcare"'
broken "unknown plan block" conditions.jsonl '"plan_blocks":["cramp_now"' '"plan_blocks":["cramp_nw"' 'conditions.jsonl: line @LINE@: unknown plan block "cramp_nw"'
broken "heat above 40 C" plans.jsonl '"max_temp_c":40' '"max_temp_c":50' 'plans.jsonl: line @LINE@: heat above 40 °C (50 °C) can burn'
broken "heat text must state its limit" plans.jsonl 'at 40 °C or less, briefly.' 'warm, briefly.' 'plans.jsonl: line @LINE@: a heat action must state its limit "40 °C" in its text'
broken "cold over 20 minutes" plans.jsonl '"modality":"cold","max_minutes":15' '"modality":"cold","max_minutes":30' 'plans.jsonl: line @LINE@: cold for 30 minutes: keep to 10-15, never over 20'
broken "ranking rules only in plans and corrections" red_flags.jsonl '{"field":"/screen/chest_pain_or_breathless","eq":true}' '{"top":["doms"]}' 'red_flags.jsonl: line @LINE@: "top" can only be used in plans and corrections'
broken "unknown condition in a correction" corrections.jsonl '"shown_with":["doms","eamc"]' '"shown_with":["dom","eamc"]' 'corrections.jsonl: line @LINE@: unknown condition "dom"'
broken "question choices must cover the field" questions.jsonl '{"value":"not_noticed","text":"I have not noticed","words":["unsure"]}' '{"value":"brown","text":"brown"}' 'questions.jsonl: line @LINE@: "brown" is not a value of /screen/urine'
broken "question missing a choice" questions.jsonl ',{"value":"not_noticed","text":"I have not noticed","words":["unsure"]}' '' 'questions.jsonl: line @LINE@: /screen/urine has 5 values but 4 choices'
broken "a choice given twice" questions.jsonl '"value":"dark_cola"' '"value":"normal"' 'questions.jsonl: line @LINE@: choice "normal" appears twice'
broken "dont_know must be a value" questions.jsonl '"dont_know":"not_noticed"' '"dont_know":"unsure"' 'questions.jsonl: line @LINE@: "dont_know" must be one of the values of /screen/urine'
broken "duplicate source" sources.jsonl '{"id":"semigran2016"' '{"id":"semigran2015"' 'sources.jsonl: line @LINE@: duplicate source "semigran2015"'
broken "source kind from the result schema" sources.jsonl '"kind":"cohort"' '"kind":"blog"' 'sources.jsonl: line @LINE@: source kind "blog" is not one of the result schema'"'"'s'
broken "set values from the schema" sets.jsonl '"shin_inner","shin_front","shin_outer","calf"' '"shin_inner","shin","shin_outer","calf"' 'sets.jsonl: line @LINE@: "shin" is not a value of /location/regions'
broken "a source on a host that is not primary or authoritative" sources.jsonl '"url":"https://www.nhs.uk/conditions/deep-vein-thrombosis-dvt/"' '"url":"https://www.runnersblog.example/dvt"' 'sources.jsonl: line @LINE@: source "nhs_dvt": www.runnersblog.example is not a primary or authoritative host (meta.jsonl source_hosts)'
broken "a plan action needs a class" plans.jsonl '"class":"active_recovery",' '' 'plans.jsonl: line @LINE@: an action needs a "class" of plan_classes.jsonl'
broken "a flag points to a known condition" red_flags.jsonl '"lead":[{"id":"pulmonary_embolism"}]' '"lead":[{"id":"pulmonary_emb"}]' 'red_flags.jsonl: red flag "chest_symptoms" points to unknown condition "pulmonary_emb"'
broken "a form's level is a level" red_flags.jsonl '{"triage":"urgent","label":"A rock-hard' '{"triage":"urgentish","label":"A rock-hard' 'red_flags.jsonl: line @LINE@: "triage" must be a triage level, not "urgentish"'
broken "a record must be an object" corrections.jsonl '{"id":"soak_50c"' '[1]
{"id":"soak_50c"' 'corrections.jsonl: line @LINE@: a record must be a JSON object'

# a red flag defined in the schema but missing from the kb
fresh
grep -v '"id":"exertional_neurovascular_pattern"' "$T/kb/red_flags.jsonl" > "$T/x" && mv "$T/x" "$T/kb/red_flags.jsonl"
rc check --no-save --kb "$T/kb" "$report"
expect_err "every red flag of the schema needs a record" "runcare: $T/kb/red_flags.jsonl: red flag \"exertional_neurovascular_pattern\" of result.schema.json has no record"
# a flag that refers to a later flag
fresh
python3 - "$T/kb/red_flags.jsonl" <<'PY'
import sys; p = sys.argv[1]; L = open(p).read().splitlines()
i = next(k for k, l in enumerate(L) if '"id":"new_foot_drop_or_weakness"' in l)
L.insert(0, L.pop(i)); open(p, "w").write("\n".join(L) + "\n")
PY
rc check --no-save --kb "$T/kb" "$report"
expect_err "a red flag may only use flags defined above it" "runcare: $T/kb/red_flags.jsonl: line 1: red flag \"compartment_signs\" is used before it is defined"
# a red flag reading a field no question asks
fresh
grep -v '"field":"/history/fall_or_blow"' "$T/kb/questions.jsonl" > "$T/x" && mv "$T/x" "$T/kb/questions.jsonl"
rc check --no-save --kb "$T/kb" "$report"
expect_err "every field a red flag reads must be asked" "runcare: $T/kb/questions.jsonl: red flag \"suspected_dvt\" reads /history/fall_or_blow, which no question asks"
# a missing file
fresh
rm "$T/kb/plans.jsonl"
rc check --no-save --kb "$T/kb" "$report"
expect_err "a missing kb file is named" "runcare: the knowledge base has no plans.jsonl"
expect_status "a missing kb file exits 1" 1
# an unsupported schema keyword
fresh
sed -i 's/"minItems": 1,/"minContains": 1,/' "$T/kb/report.schema.json"
rc check --no-save --kb "$T/kb" "$report"
expect_err "the schemas may only use supported keywords" "runcare: $T/kb/report.schema.json: /location/regions: unsupported schema keyword \"minContains\""
# another file (the load guard's) is accepted, its sources checked
fresh
echo '{"id":"single_run_spike","threshold_pct":10,"source_ids":["frandsen2025"]}' > "$T/kb/extra.jsonl"
rc check --no-save --kb "$T/kb" "$report"
expect_status "an extra kb file with known sources loads" 0
echo '{"id":"weekly_volume_jump","threshold_pct":30,"source_ids":["nielsen2041"]}' >> "$T/kb/extra.jsonl"
rc check --no-save --kb "$T/kb" "$report"
expect_err "an extra kb file's sources must exist" "runcare: $T/kb/extra.jsonl: line 2: unknown source \"nielsen2041\""
rc check --no-save --kb "$T/nowhere" "$report"
expect_status "a missing kb folder exits 1" 1
expect_err_re "a missing kb folder is named" "nowhere: cannot open the knowledge base folder"

# the safety screen's group: each of its yes/no fields keeps a question of
# its own, after it (asked alone when the runner is not sure)
fresh
grep -v '^{"id":"vomiting_or_confusion"' "$T/kb/questions.jsonl" > "$T/q" && mv "$T/q" "$T/kb/questions.jsonl"
rc check --no-save --kb "$T/kb" "$report"
expect_status "a group field with no question of its own exits 1" 1
expect_err "it is named" "runcare: $T/kb/questions.jsonl: group screen_now: /screen/vomiting_or_confusion needs one question of its own after it (it has 0)"
fresh
{ grep '^{"id":"fever"' "$T/kb/questions.jsonl"; grep -v '^{"id":"fever"' "$T/kb/questions.jsonl"; } > "$T/q" && mv "$T/q" "$T/kb/questions.jsonl"
rc check --no-save --kb "$T/kb" "$report"
expect_err "a group field asked before the group is refused" "runcare: $T/kb/questions.jsonl: group screen_now: /screen/fever is asked before it"

# the load guard reads the same folder: its rules change with it, and a
# broken rule stops `load --kb` with the file and line
export RUNCARE_NOW=2026-03-13T09:00:00Z
for d in 2026-02-10 2026-02-17 2026-02-24 2026-03-03; do
    rc --db "$T/load.db" log --date "$d" --distance 8km --duration 45:00
done
rc --db "$T/load.db" log --date 2026-03-10 --distance 10km --duration 55:00
fresh
rc --db "$T/load.db" load --json --kb "$T/kb"
check "with the kb's own rules a 25% longer run is a spike" \
    python3 -c "import json; r=json.load(open('$T/out')); assert any(w['id']=='single_run_spike' for w in r['warnings']), r['warnings']"
sed -i 's/"id":"single_run_spike","threshold_pct":10,\(.*\)"bands":\[{"above_pct":10,"hazard_ratio":1.64,"range":"10-30%"},/"id":"single_run_spike","threshold_pct":30,\1"bands":[/' "$T/kb/load_guard.jsonl"
rc --db "$T/load.db" load --json --kb "$T/kb"
check "a threshold raised in the kb folder changes the warning" \
    python3 -c "import json; r=json.load(open('$T/out')); assert not any(w['id']=='single_run_spike' for w in r['warnings']), r['warnings']"
sed -i 's/"threshold_pct":30/"threshold_pct":-3/' "$T/kb/load_guard.jsonl"
rc --db "$T/load.db" load --kb "$T/kb"
expect_status "a broken load guard rule exits 1" 1
expect_err_re "the broken rule is named by file and line" "^runcare: $T/kb/load_guard.jsonl: line [0-9]+: .*threshold_pct"
done_testing
