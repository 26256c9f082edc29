#!/usr/bin/env bash
# t_serve_browser.sh - the web page in a real browser: Debian's chromium,
# headless, driven by playwright-core (npm, pinned in
# tests/web/package-lock.json) with axe-core for accessibility
# (tests/web/browser.js). Installs chromium (apt) and the npm modules
# (into build/web-tests) when missing; when that cannot be done, says why
# and skips: the API tests (t_serve.sh) still run. Screenshots of each
# page at 1280 and 390 px wide go to BUILD/screenshots/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
export RUNCARE_NOW=2024-06-01T12:00:00Z

skip_all() {
    echo "skipped: $1"
    skip "browser tests" "$1"
    done_testing
    exit 0
}
chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
    "$root/tools/deps.sh" --tools chromium > "$T/apt.log" 2>&1 ||
        skip_all "chromium cannot be installed ($(tail -n 1 "$T/apt.log"))"
    chromium=$(command -v chromium) || skip_all "no chromium after installing it"
fi
if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
    "$root/tools/deps.sh" --tools nodejs npm > "$T/apt.log" 2>&1 ||
        skip_all "node and npm cannot be installed ($(tail -n 1 "$T/apt.log"))"
fi
command -v curl > /dev/null 2>&1 || "$root/tools/deps.sh" --tools curl > /dev/null 2>&1

# the npm modules, once per package-lock (npm ci: exactly the locked ones)
modules=$root/build/web-tests
lock=$root/tests/web/package-lock.json
if ! cmp -s "$lock" "$modules/package-lock.json" ||
   [ ! -d "$modules/node_modules/playwright-core" ]; then
    rm -rf "$modules"
    mkdir -p "$modules"
    cp "$root/tests/web/package.json" "$lock" "$modules/"
    (cd "$modules" && npm ci --ignore-scripts --no-audit --no-fund) \
        > "$T/npm.log" 2>&1 ||
        skip_all "npm ci failed ($(tail -n 1 "$T/npm.log"))"
fi

db=$T/demo.db
"$RUNCARE" --db "$db" demo "$T/demo" > /dev/null 2>&1
check "the demo athlete is made" test -f "$db"
# a run two days before the demo's long run, from the phone's GPX moved
move_gpx "$T/demo/phone-long-run.gpx" 2 "$T/morning-run.gpx"
check "a GPX file to upload, another run than the demo's" \
    bash -c "test -s '$T/morning-run.gpx' && ! cmp -s '$T/demo/phone-long-run.gpx' '$T/morning-run.gpx'"
check "serve starts" start_server "$db"

shots=${RUNCARE_BUILD:-$root/build}/screenshots
mkdir -p "$shots"
URL=$URL RUNCARE=$RUNCARE DB=$db CHROMIUM=$chromium \
    MODULES=$modules/node_modules SHOTS=$shots GPX=$T/morning-run.gpx \
    GPX_DATE=$(grep -o -m1 '<time>[0-9-]*' "$T/morning-run.gpx" | head -n 1 | cut -c7-) timeout 300 node "$root/tests/web/browser.js" \
    > "$T/browser.out" 2>&1
status=$?
while IFS= read -r line; do
    case $line in
    PASS\ *) ok "${line#PASS }" ;;
    FAIL\ *) not_ok "${line#FAIL }" ;;
    *) echo "# $line" ;;
    esac
done < "$T/browser.out"
check "the browser run ended cleanly" test "$status" = 0
check "screenshots at 1280 and 390 px" test -s "$shots/dashboard-390.png" -a -s "$shots/check-result-1280.png"
check "and of the diary at both" test -s "$shots/diary-390.png" -a -s "$shots/diary-1280.png"
stop_server
check "the server stops with exit 0" test "$server_status" = 0
done_testing
