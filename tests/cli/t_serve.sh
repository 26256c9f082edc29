#!/usr/bin/env bash
# t_serve.sh - `runcare serve` and its JSON API against a real server on a
# free loopback port, with curl: each route gives what the CLI gives on
# the same log, bad requests get a 4xx with the CLI's message and change
# nothing stored, and the security checks refuse what they must.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
export RUNCARE_NOW=2024-06-01T12:00:00Z
for tool in curl python3; do
    command -v $tool > /dev/null 2>&1 || "$(dirname "$0")/../../tools/deps.sh" --tools $tool
done
db=$T/demo.db
"$RUNCARE" --db "$db" demo "$T/demo" > /dev/null 2>&1
check "the demo athlete is made" test -f "$db"
count() { "$RUNCARE" --db "$db" list --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

rc serve --listen nowhere
expect_status "a --listen that is not ADDR:PORT exits 2" 2
expect_err_re "and says what is wanted" "is not ADDR:PORT"

check "serve starts on a free port and prints its URL" start_server "$db"
start_server "$db" > /dev/null 2>&1 || true
first_pid=$SERVER_PID first_url=$URL
rc --db "$db" serve --listen "127.0.0.1:$PORT"
expect_status "a port in use exits 3" 3
expect_err_re "and says it is in use" "127\.0\.0\.1:$PORT is in use"

# ---- the page ----
code=$(curl -s -o "$T/index" -D "$T/h" -w '%{http_code}' "$URL")
check "GET / is the page" test "$code" = 200
check "it loads app.js, no inline script" \
    bash -c "grep -q '<script src=\"/app.js\"' '$T/index' && ! grep -q '<script>' '$T/index'"
check "it says runcare does not replace a clinician" grep -q "does not replace a clinician" "$T/index"
check "CSP without inline script" grep -qi "^content-security-policy: default-src 'none'; script-src 'self';" "$T/h"
check "nosniff" grep -qi '^x-content-type-options: nosniff' "$T/h"
check "no referrer" grep -qi '^referrer-policy: no-referrer' "$T/h"
code=$(curl -s -o /dev/null -D "$T/h" -w '%{http_code}' "${URL}app.js")
check "app.js as JavaScript" bash -c "test $code = 200 && grep -qi '^content-type: text/javascript' '$T/h'"
for bad in '../etc/passwd' '..%2f..%2fetc%2fpasswd' '%2e%2e/Makefile' 'web/app.js' '.hidden' 'kb/meta.jsonl'; do
    code=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "${URL}$bad")
    check "no file outside web/: /$bad is 404" test "$code" = 404
done

# ---- Host and same-origin checks ----
code=$(curl -s -o "$T/body" -w '%{http_code}' -H 'Host: evil.example:'"$PORT" "${URL}api/load")
check "a DNS name in Host is refused (DNS rebinding)" test "$code" = 400
check "with a JSON error" grep -q '"message":"the Host header' "$T/body"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: localhost:$PORT" "${URL}api/load")
check "Host localhost with the port is served" test "$code" = 200
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: 127.0.0.1:1" "${URL}api/load")
check "Host with another port is refused" test "$code" = 400

rpe_of() { "$RUNCARE" --db "$db" list --json 2>/dev/null | python3 -c "import json,sys; print([a['rpe'] for a in json.load(sys.stdin) if a['id'] == $1][0])"; }
before=$(rpe_of 1)
code=$(curl -s -o "$T/body" -w '%{http_code}' -X POST -d '{"rpe":7}' "${URL}api/activities/1/rpe")
check "a POST without the token is 403" test "$code" = 403
api POST /api/activities/1/rpe -d '{"rpe":7}' -H "Origin: http://evil.example"
check "a POST from another origin is 403, token or not" test "$code" = 403
api POST /api/activities/1/rpe -d '{"rpe":7}' -H "Sec-Fetch-Site: cross-site"
check "a cross-site fetch is 403" test "$code" = 403
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-Runcare-Token: 0123' -d '{"rpe":7}' "${URL}api/activities/1/rpe")
check "a wrong token is 403" test "$code" = 403
after=$(rpe_of 1)
check "nothing refused was stored" test "$before" = "$after"

# ---- activities ----
api GET "/api/activities?limit=5"
check "activities: 200" test "$code" = 200
check "the total is the CLI's list" test "$(json_get 'j["total"]')" = "$(count)"
check "a page of 5, newest first" test "$(json_get 'len(j["activities"]) == 5 and j["activities"][0]["local_date"] >= j["activities"][1]["local_date"]')" = True
"$RUNCARE" --db "$db" list --json > "$T/list.json" 2>/dev/null
check "each as list --json shows it" python3 -c "
import json; a=json.load(open('$T/list.json')); b=json.load(open('$T/body'))['activities']
assert b[0] == a[-1], (b[0], a[-1])"
api GET "/api/activities?since=2024-13-01"
check "a bad date is 400" test "$code" = 400
check "with the CLI's words" test "$(json_get 'j["error"]["message"]')" = "since '2024-13-01' is not a date (YYYY-MM-DD)"
api GET "/api/activities?limit=0"
check "limit 0 is 400" test "$code" = 400
api GET /api/activities/1
check "one run: 200 with its series" test "$(json_get 'len(j["series"]["distance_km"]) > 10 and j["id"] == 1')" = True
api GET /api/activities/99999
check "a run that is not there is 404" test "$code" = 404
check "with the store's message" test "$(json_get 'j["error"]["message"]')" = "no activity 99999 in the log"

# ---- rpe ----
api POST /api/activities/1/rpe -d '{"rpe":11}'
check "an effort of 11 is 400" test "$code" = 400
check "with the CLI's words" test "$(json_get 'j["error"]["message"]')" = "effort '11' is not a number from 0 to 10 (CR-10)"
api POST /api/activities/1/rpe -d '{"rpe":[1,2]}'
check "an effort that is a list is 400" test "$code" = 400
api POST /api/activities/1/rpe -d 'rpe=6.5' -H 'Content-Type: application/x-www-form-urlencoded'
check "a form body rates the run" test "$code" = 200
check "list --json shows RPE 6.5 on run 1" test "$(rpe_of 1)" = 6.5
api POST /api/activities/99999/rpe -d '{"rpe":5}'
check "rating a run that is not there is 404" test "$code" = 404

# ---- log a run ----
n0=$(count)
api POST /api/activities -d '{"date":"2030-01-01","distance":"8km","duration":"45:00"}'
check "a run in the future is 400" test "$code" = 400
check "with the CLI's words" test "$(json_get 'j["error"]["message"]')" = "date 2030-01-01 is in the future (today is 2024-06-01 in the runner's time zone)"
api POST /api/activities -d '{"date":"2024-05-30","distance":"1km","duration":"139s"}'
check "a pace faster than 2:20/km is 400" test "$(json_get 'j["error"]["field"]')" = pace
api POST /api/activities -d '{"date":"2024-05-30","distance":"lots","duration":"45:00"}'
check "a bad distance has the CLI's words" test "$(json_get 'j["error"]["message"]')" = "distance 'lots' is not a number with a unit (8km, 5mi, 800m)"
check "nothing was logged" test "$(count)" = "$n0"
api POST /api/activities -d '{"date":"2024-05-30","distance":"8km","duration":"45:00","rpe":4,"name":"treadmill"}'
check "a good run is 201" test "$code" = 201
check "and in the log" test "$(count)" = "$((n0 + 1))"

# ---- load ----
api GET /api/load
"$RUNCARE" --db "$db" load --json > "$T/load.json"
check "load: the report of load --json" python3 -c "
import json; a=json.load(open('$T/load.json')); b=json.load(open('$T/body'))
assert b.pop('activities') == $(count); assert a == b"
# the dashboard's answers are kept while the log is unchanged: a write
# by another process, or through the server, is seen at once
km0=$(json_get 'j["last7_km"]')
"$RUNCARE" --db "$db" log --date 2024-05-31 --distance 5km --duration 30:00 > /dev/null 2>&1
api GET /api/load
check "a run logged by the CLI shows in the next /api/load" test "$(json_get 'j["last7_km"]')" = "$(python3 -c "print($km0 + 5)")"
api POST /api/activities -d '{"date":"2024-05-31","distance":"3km","duration":"20:00"}'
api GET /api/load
check "and one logged through the server" test "$(json_get 'j["last7_km"]')" = "$(python3 -c "print($km0 + 8)")"
api GET "/api/load?weeks=600"
check "weeks 600 is 400" test "$code" = 400
api GET /api/load/chart
"$RUNCARE" --db "$db" load --svg - > "$T/load.svg"
check "the chart is load --svg's" cmp -s "$T/body" "$T/load.svg"
check "as image/svg+xml" grep -qi '^content-type: image/svg+xml' "$T/headers"

# ---- shoes ----
api GET /api/shoes
"$RUNCARE" --db "$db" shoe list --json > "$T/shoes.json"
check "shoes: shoe list --json's" python3 -c "
import json; assert json.load(open('$T/shoes.json')) == json.load(open('$T/body'))"
api POST /api/shoes -d '{"name":"Trail","limit_km":600}'
check "a new shoe is 201" test "$code" = 201
api POST /api/shoes -d '{"name":"trail"}'
check "a taken name is 400 with the CLI's words" test "$(json_get 'j["error"]["message"]')" = 'there is already a shoe named "Trail"'

# ---- import ----
n0=$(count)
printf 'not a fit file at all' > "$T/bad.fit"
api POST "/api/import?name=bad.fit" --data-binary @"$T/bad.fit"
check "a file that is not an activity is 400" test "$code" = 400
check "named as the CLI names it" test "$(json_get 'j["error"]["message"]')" = 'bad.fit: offset 0: not an activity file: neither FIT (no ".FIT" at byte 8) nor GPX or TCX XML'
check "nothing imported" test "$(count)" = "$n0"
"$RUNCARE" --db "$T/other.db" demo "$T/other" > /dev/null 2>&1
gpx=$T/other/phone-long-run.gpx
move_gpx "$gpx" 2 "$T/moved.gpx"
api POST "/api/import?name=../../moved.gpx" --data-binary @"$T/moved.gpx"
check "a GPX upload imports (a name with ../ is only a name)" test "$code" = 200
check "one new activity" test "$(json_get 'j["summary"]["activities"]')" = 1
check "the summary in the CLI's words" grep -q 'imported 1 file (1 new activity)' "$T/body"
check "in the log" test "$(count)" = "$((n0 + 1))"
api POST "/api/import?name=moved.gpx" --data-binary @"$T/moved.gpx"
check "the same file again is a duplicate" test "$(json_get 'j["summary"]["duplicates"]')" = 1
api POST /api/import
check "an empty upload is 400" test "$code" = 400
api GET /api/import/progress
check "progress: no import under way" test "$(json_get 'j["importing"]')" = False
leftover=$(find "${TMPDIR:-/tmp}" -maxdepth 2 -path "*runcare-serve.*" -type f 2>/dev/null | wc -l)
check "no upload left on disk" test "$leftover" = 0

# ---- bodies ----
python3 -c "print('[' * 100 + ']' * 100)" > "$T/deep.json"
api POST /api/check/next --data-binary @"$T/deep.json" -H 'Content-Type: application/json'
check "JSON nested 100 deep is 400" test "$code" = 400
check "saying the cap" grep -q 'nested deeper than 16 levels' "$T/body"
head -c 1200000 /dev/zero | tr '\0' ' ' > "$T/big.json"
api POST "/api/check?save=0" --data-binary @"$T/big.json" -H 'Content-Type: application/json'
check "a body over 1 MB is 413" test "$code" = 413
api POST /api/check/next -d '{"report":'
check "a cut-off body is 400 with line and column" grep -q 'request body: line 1 column' "$T/body"
api GET /api/nowhere
check "an unknown route is 404 JSON" bash -c "test $code = 404 && grep -q '\"error\"' '$T/body'"
api DELETE /api/load
check "a wrong method is 405" test "$code" = 405

# ---- the check ----
report=$T/demo/pain-report.json
api POST "/api/check?save=0" --data-binary @"$report" -H 'Content-Type: application/json'
check "check: 200" test "$code" = 200
"$RUNCARE" --db "$db" check --json --no-save "$report" > "$T/check.json"
check "the same level and conditions as runcare check" python3 -c "
import json; a=json.load(open('$T/check.json')); b=json.load(open('$T/body'))['result']
assert a['triage'] == b['triage'], (a['triage'], b['triage'])
assert [c['id'] for c in a['conditions']] == [c['id'] for c in b['conditions']]"
check "not saved with save=0" test "$(json_get 'j["report_id"]')" = None
python3 -c "import json; r=json.load(open('$report')); r['screen']['urine']='brown'; print(json.dumps(r))" > "$T/bad-report.json"
api POST "/api/check" --data-binary @"$T/bad-report.json" -H 'Content-Type: application/json'
rc --db "$db" check --json --no-save "$T/bad-report.json"
check "a bad report is 400 with the CLI's violation" test "runcare: $(json_get 'j["error"]["message"]')" = "$(sed "s|$T/bad-report.json|report|" "$T/err" | head -1)"
api POST /api/check/next -d '{}'
check "the questionnaire starts where it hurts" test "$(json_get 'j["question"]["id"]')" = where
api POST /api/check/next -d '{"report":{},"asked":["where"],"answer":{"question":"where","text":"left calf"}}'
check "then the safety screen" test "$(json_get 'j["question"]["id"]')" = screen_now
api POST /api/check/next -d '{"report":{},"asked":["where"],"answer":{"question":"where","text":"my elbow"}}'
check "an answer it cannot read is 400" test "$code" = 400
api POST /api/check/next -d '{"report":{"location":{"regions":["calf"],"side":"left"}},"asked":["where","screen_now"],"answer":{"question":"screen_now","text":"chest"}}'
check "chest pain stops it with the emergency advice" test "$(json_get 'j["question"] is None and "emergency" in j["emergency"]["headline"].lower()')" = True

# ---- corrections: edit, rm, undo ----
name_of() { "$RUNCARE" --db "$db" list --json 2>/dev/null | python3 -c "import json,sys; print([a.get('name', '') for a in json.load(sys.stdin) if a['id'] == $1][0])"; }
api POST /api/activities/2/edit -d '{"name":"Hill reps","shoe":"nope"}'
check "an edit to a shoe that is not there is 400" test "$code" = 400
check "with the CLI's words" test "$(json_get 'j["error"]["message"]')" = "no shoe named \"nope\"; add it with 'runcare shoe add'"
check "and the name is unchanged" test "$(name_of 2)" = ""
api POST /api/activities/2/edit -d '{"distance":"1km","duration":"1:00"}'
check "an impossible run is 400 naming force" test "$(json_get 'j["error"]["field"]')" = force
api POST /api/activities/2/edit -d '{}'
check "an edit of nothing is 400" test "$(json_get 'j["error"]["message"]')" = "say what to change (name, shoe, distance, duration, date, sport)"
api POST /api/activities/99999/edit -d '{"name":"x"}'
check "an edit of a run that is not there is 404" test "$code" = 404
api POST /api/activities/2/edit -d '{"name":"Hill reps","shoe":"Trail"}'
check "an edit of name and shoe is 200" test "$code" = 200
"$RUNCARE" --db "$db" list --json > "$T/list.json" 2>/dev/null
check "the run as list --json shows it, renamed and on the shoe" python3 -c "
import json; a=[x for x in json.load(open('$T/list.json')) if x['id'] == 2][0]; b=json.load(open('$T/body'))
assert a == b, (a, b); assert b['name'] == 'Hill reps' and b['shoe'] == 'Trail'"
check "history names it 'edit 2'" bash -c "'$RUNCARE' --db '$db' history | grep -q 'edit 2'"
n0=$(count)
api POST /api/activities/2/rm
check "rm is 200" test "$code" = 200
check "and the run leaves the list" test "$(count)" = "$((n0 - 1))"
api POST /api/activities/2/rm
check "rm of a removed run is 400 with the CLI's words" test "$(json_get 'j["error"]["message"]')" = "activity 2 was removed ('runcare undo' brings it back)"
api POST /api/activities/2/rm -d 'x'
check "rm takes no body (413)" test "$code" = 413
check "nothing more removed" test "$(count)" = "$((n0 - 1))"
api POST /api/undo
check "undo takes the rm back" test "$(json_get 'j["undone"]["command"]')" = "rm 2"
check "and the run is back" test "$(count)" = "$n0"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "${URL}api/undo")
check "undo without the token is 403" test "$code" = 403
check "and undid nothing" test "$(name_of 2)" = "Hill reps"

# ---- the recovery plan and the pain diary ----
api GET /api/plan
"$RUNCARE" --db "$db" plan --json > "$T/plan.json"
check "plan: plan --json's" python3 -c "
import json; assert json.load(open('$T/plan.json')) == json.load(open('$T/body'))"
api GET "/api/plan?at=2024-06-04T08:00:00Z"
"$RUNCARE" --db "$db" plan --json --at 2024-06-04T08:00:00Z > "$T/plan.json"
check "?at= is --at" python3 -c "
import json; assert json.load(open('$T/plan.json')) == json.load(open('$T/body'))"
api GET "/api/plan?at=tuesday"
check "a bad time is 400 with the CLI's words" test "$(json_get 'j["error"]["message"]')" = "at 'tuesday' is not a time (YYYY-MM-DDTHH:MM[:SS]Z)"
api GET /api/diary
"$RUNCARE" --db "$db" diary --json > "$T/diary.json"
check "diary: diary --json's" python3 -c "
import json; assert json.load(open('$T/diary.json')) == json.load(open('$T/body'))"
entries() { "$RUNCARE" --db "$db" diary --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))'; }
api GET /api/diary/chart
"$RUNCARE" --db "$db" diary --svg - > "$T/diary.svg"
check "the course chart is diary --svg's" cmp -s "$T/body" "$T/diary.svg"
check "as image/svg+xml" grep -qi '^content-type: image/svg+xml' "$T/headers"
api POST /api/diary/next -d '{}'
check "a follow-up starts with the safety screen" test "$(json_get 'j["question"]["id"]')" = chest_pain_or_breathless
cp "$T/body" "$T/first.json"
step() { # step ANSWER: answer the question in $T/body
    python3 -c "
import json; j=json.load(open('$T/body'))
print(json.dumps({'report': j['report'], 'asked': j['asked'], 'answer': {'question': j['question']['id'], 'text': '$1'}}))" > "$T/step.json"
    api POST /api/diary/next --data-binary @"$T/step.json" -H 'Content-Type: application/json'
}
step '?'
check "a safety answer the schema needs is asked again on not sure" test "$(json_get 'j["error"]["message"]')" = "this one needs an answer"
cp "$T/first.json" "$T/body"
step y
check "chest pain stops the follow-up with the emergency advice" test "$(json_get 'j["question"] is None and "questions stop here" in j["emergency"]["text"]')" = True
n0=$(entries)
cp "$T/first.json" "$T/body"
order= answers=()
: > "$T/api.q"
while [ "$(json_get 'j["question"] is not None')" = True ]; do
    q=$(json_get 'j["question"]["id"]')
    kind=$(json_get 'j["question"]["kind"]')
    json_get 'j["question"]["text"]' >> "$T/api.q"
    order="$order $q"
    case $kind in bool) a=n ;; integer | number) a=2 ;; choice) a=1 ;; *) a=none ;; esac
    answers+=("$a")
    step "$a"
    [ "$code" = 200 ] || break
done
check "the questions in the kb's follow-up order, the screen first" test "$order" = " chest_pain_or_breathless urine vomiting_or_confusion fever can_walk numbness_tingling weakness score trend at_rest at_night signs"
check "the emergency stop and the walk through kept nothing" test "$(entries)" = "$n0"
json_get 'json.dumps(j["report"])' > "$T/follow-up.json"
cp "$db" "$T/copy.db"
if command -v script > /dev/null; then
    cp "$db" "$T/tty.db"
    timeout 30 script -qfec "exec $RUNCARE --db $T/tty.db diary add" /dev/null \
        < <(printf '%s\n' "${answers[@]}"; sleep 1) > "$T/tty.out" 2>&1
    tr -d '\r' < "$T/tty.out" | sed -n 's/^[0-9][0-9]*\. //p' > "$T/tty.q"
    check "runcare diary add on a terminal asks the same questions in the same order" \
        bash -c "test \$(wc -l < '$T/api.q') -ge 10 && cmp '$T/tty.q' '$T/api.q'"
fi
api POST /api/diary --data-binary @"$T/follow-up.json" -H 'Content-Type: application/json'
check "the follow-up is kept: 201" test "$code" = 201
"$RUNCARE" --db "$T/copy.db" diary add --json "$T/follow-up.json" > "$T/add.json" 2>/dev/null
check "as diary add --json gives it" python3 -c "
import json; assert json.load(open('$T/add.json')) == json.load(open('$T/body'))"
check "and diary --json shows it, following the check" python3 -c "
import json,subprocess; d=json.loads(subprocess.check_output(['$RUNCARE','--db','$db','diary','--json']))
e=d['entries'][-1]; assert e['id'] == $(json_get 'j["report_id"]') and e['follows'] == $(json_get 'j["follows"]') and e['score'] == 2"
new_id=$(json_get 'j["report_id"]')
python3 -c "import json; r=json.load(open('$T/follow-up.json')); r['pain']['score']=11; print(json.dumps(r))" > "$T/bad-follow-up.json"
n0=$(entries)
api POST /api/diary --data-binary @"$T/bad-follow-up.json" -H 'Content-Type: application/json'
rc --db "$db" diary add "$T/bad-follow-up.json"
check "a bad follow-up is 400 with the CLI's violation" test "runcare: $(json_get 'j["error"]["message"]')" = "$(sed "s|$T/bad-follow-up.json|report|" "$T/err" | head -1)"
check "and nothing is kept" test "$(entries)" = "$n0"
api POST /api/diary/99999/rm
check "removing a report that is not there is 400 with the CLI's words" test "$(json_get 'j["error"]["message"]')" = "no diary report 99999"
api POST /api/diary/$new_id/rm
check "diary rm is 200" test "$code" = 200
check "and the report leaves the diary" test "$(entries)" = "$((n0 - 1))"
api POST /api/undo
check "undo brings it back" test "$(entries)" = "$n0"

# ---- an empty log: the plan and the diary say what the CLI says ----
saved="$URL $PORT $SERVER_PID $TOKEN"
empty=$T/empty.db
start_server "$empty" > /dev/null 2>&1
TOKEN=
api GET /api/diary
check "an empty diary is 200 with no entries" test "$(json_get 'len(j["entries"])')" = 0
api GET /api/plan
rc --db "$empty" plan
check "no plan without a check: 400 with the CLI's words" test "$code:runcare: $(json_get 'j["error"]["message"]')" = "400:$(head -1 "$T/err")"
api GET /api/diary/chart
rc --db "$empty" diary --svg -
check "no chart of an empty diary: the CLI's words" test "runcare: $(json_get 'j["error"]["message"]')" = "$(head -1 "$T/err")"
api POST /api/diary/next -d '{}'
check "no follow-up without a check" test "$(json_get 'j["error"]["message"]')" = "no check in the diary to follow up: run 'runcare check' first"
api POST /api/diary --data-binary @"$T/follow-up.json" -H 'Content-Type: application/json'
rc --db "$empty" diary add "$T/follow-up.json"
check "nor a follow-up kept: 400 with the CLI's words" test "$code:runcare: $(json_get 'j["error"]["message"]')" = "400:$(head -1 "$T/err")"
check "no database was made by what was refused" test ! -e "$empty"
api POST /api/undo
check "nothing to undo is 200 and null" test "$(json_get 'j["undone"]')" = None
stop_server
read -r URL PORT SERVER_PID TOKEN <<< "$saved"

# ---- the README's curl examples, one per route, as written ----
readme=$(dirname "$0")/../../README.md
mkdir -p "$T/readme"
move_gpx "$gpx" 4 "$T/readme/run.gpx"
cp "$report" "$T/readme/report.json"
cp "$T/demo/follow-up-1.json" "$T/readme/follow-up.json"
n_ex=0
while IFS= read -r line; do
    n_ex=$((n_ex + 1))
    line=${line//127.0.0.1:8080/127.0.0.1:$PORT}
    if [[ $line == TOKEN=* ]]; then
        eval "$line" > "$T/out" 2> "$T/err" # sets TOKEN here
    else
        (cd "$T/readme" && eval "$line") > "$T/out" 2> "$T/err"
    fi
    status=$?
    last_cmd=$line
    if [ "$status" -eq 0 ]; then ok "README API example $n_ex"; else not_ok "README API example $n_ex: $line"; fi
done < <(awk '/<!-- api-examples -->/{on=1; next} on && /^```sh/{in_=1; next} in_ && /^```/{exit} in_' "$readme")
check "the README has an example for each of the 21 routes (and the token)" test "$n_ex" -ge 22
check "the README's token is the server's" test "$TOKEN" = "$(curl -s "${URL}api/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

# ---- stop: a request in flight finishes ----
move_gpx "$gpx" 6 "$T/slow.gpx"
curl -s -o "$T/slow.body" -w '%{http_code}' --limit-rate 400k -X POST \
    -H "X-Runcare-Token: $TOKEN" --data-binary @"$T/slow.gpx" \
    "${URL}api/import?name=slow.gpx" > "$T/slow.code" &
slow=$!
sleep 1
stop_server
wait $slow
check "SIGTERM stops it with exit 0" test "$server_status" = 0
check "after the upload in flight finished and was imported" test "$(cat "$T/slow.code")" = 200
check "saying so" grep -q 'runcare: stopped' "$T/serve.err"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL" 2>/dev/null)
check "and the port is closed" test "$code" = 000
done_testing
