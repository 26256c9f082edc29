#!/usr/bin/env bash
# t_check_tty.sh - the questionnaire through a real pseudo-terminal
# (util-linux `script` gives runcare a tty on stdin and stdout): an
# emergency answer stops it at once, a full run gives a result, only the
# questions that apply are asked, EOF and Ctrl-C leave with nothing saved.
. "$(dirname "$0")/lib.sh"
if ! command -v script > /dev/null; then
    skip "questionnaire on a tty" "util-linux script not installed"
    done_testing
    exit
fi
# tty FEEDER: run `runcare check --no-save` on a pty fed by the FEEDER
# command's output; sets $status and $T/out (the whole terminal session)
tty() {
    last_cmd="runcare check (on a pty)"
    rm -f "$T/out" # a feeder that waits for a prompt must not read the last one
    # exec: runcare itself must get the Ctrl-C, not the shell script(1)
    # starts it with ($SHELL, or /bin/sh = dash when SHELL is unset, as it
    # seems to be on CI: dash dies of SIGINT with 130 where runcare exits 1)
    timeout 30 script -qfec "exec $RUNCARE check --no-save" /dev/null \
        < <("$@") > "$T/out" 2> "$T/err"
    status=$?
    tr -d '\r' < "$T/out" > "$T/out.txt" && mv "$T/out.txt" "$T/out"
}
answers() { printf '%s\n' "$@"; sleep 1; }

# the left calf, then chest pain ticked in the safety screen: stop at once
tty answers "left calf" 1
expect_status "an emergency answer ends the check with exit 0" 0
expect_out "the emergency advice is shown" "^== EMERGENCY ==$"
expect_out "it says to call emergency services" "Call emergency services"
expect_out "it says why" "a clot may"
check "no question after the emergency answer" sh -c "! grep -q 'urine like' '$T/out'"

# "yes" to the safety screen's list asks each on its own; yes to chest
# pain stops there
tty answers "left calf" y y
expect_out "yes to the list asks each question alone" "have you had new chest pain"
expect_out "and yes to chest pain is an emergency" "^== EMERGENCY ==$"

# dark urine is the second screen question: stops there too; words work
tty answers "both shins" no brown
expect_out "dark urine stops the questionnaire" "muscle breakdown can injure"
check "walking is not asked after dark urine" sh -c "! grep -q 'How well can you walk' '$T/out'"

# "dark" could be dark yellow or cola: asked again, never guessed
tty answers "left calf" n dark
expect_out "an ambiguous word is asked again" "could be"

# a whole run: soreness in both calves and thighs the day after a race,
# answered in words; "?" for what the runner does not know
tty answers "both calves, both front thighs" n normal normally n \
    "next day" 30 1 4 none none better ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? ?
expect_status "a completed questionnaire exits 0" 0
expect_out "the result is shown" "^== SELF-CARE ==$"
expect_out "soreness ranks first" "1\\. Delayed-onset muscle soreness"
expect_out "the safety screen comes first, right after location" "^2\\. Since the run, have you had any of these\\?"
check "the pop question is skipped (no sudden onset)" sh -c "! grep -q 'pop or snap' '$T/out'"
check "the hop test is skipped (not a bony region)" sh -c "! grep -q 'Try 10 hops' '$T/out'"
check "the skin questions are skipped (no redness)" sh -c "! grep -q 'blister, cut' '$T/out'"
expect_out "optional questions accept not sure" "\\? = not sure"
n=$(grep -cE '^[0-9]+\. ' "$T/out")
if [ "$n" -le 20 ]; then ok "a benign case takes few questions ($n)"; else not_ok "a benign case takes few questions" "$n questions"; fi

# a wrong answer is asked again
tty answers "left elbow" "left calf" chest
expect_out "an answer runcare cannot read is asked again" "is not a place runcare knows"
expect_out "and the questionnaire goes on" "== EMERGENCY =="

tty answers "left calf"
expect_status "EOF leaves with exit 1" 1
expect_out "EOF says nothing was saved" "stopped; nothing saved"

# Ctrl-C only once the second question is on screen: a slow start (the
# sanitizer build on a busy machine) must not turn it into a Ctrl-C that
# comes before runcare is running at all
ctrl_c() {
    printf 'left calf\n'
    for _ in $(seq 100); do
        grep -q '^2\. ' "$T/out" 2> /dev/null && break
        sleep 0.2
    done
    printf '\003'
    sleep 2
}
tty ctrl_c
expect_status "Ctrl-C leaves with exit 1" 1
expect_out "Ctrl-C says nothing was saved" "stopped; nothing saved"
check "no database was created" test ! -e "$HOME/.local/share/runcare/runcare.db"
done_testing
