#!/usr/bin/env python3
"""score.py - run vignettes (JSON Lines: id, report, gold, source) through
`runcare check --json --no-save` and score the answers.

    score.py RUNCARE FILE.jsonl... [--strict] [--schema result.schema.json]

Prints triage exact accuracy per gold level, under- and over-triage rates,
must_flag recall, top-1 and top-3 condition accuracy, the same triage scores
on Semigran's 3-level scale, and every miss with runcare's reasons.
--strict: exit 1 when an emergency is under-triaged, a must_flag is missed,
or a result is not valid against result.schema.json (checked by runcare
itself before printing; a non-zero exit of runcare counts as invalid).
Only the Python standard library is used."""
import json, subprocess, sys

LEVELS = ["self_care", "see_clinician", "urgent", "emergency"]
SEMI = {"emergency": "emergent", "urgent": "non_emergent",
        "see_clinician": "non_emergent", "self_care": "self_care"}
SEMI_RANK = {"self_care": 0, "non_emergent": 1, "emergent": 2}

def main(argv):
    strict = "--strict" in argv
    args = [a for a in argv[1:] if a != "--strict"]
    runcare, files = args[0], args[1:]
    cases = []
    for path in files:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    cases.append((f"{path}:{n}", json.loads(line)))
    per = {lv: [0, 0] for lv in LEVELS}
    semi_per = {lv: [0, 0] for lv in SEMI_RANK}
    under = over = exact = semi_exact = semi_under = 0
    top1 = top3 = 0
    flags_need = flags_hit = 0
    emerg_under = invalid = 0
    misses = []
    for where, v in cases:
        gold = v["gold"]
        p = subprocess.run([runcare, "check", "--json", "--no-save", "-"],
                           input=json.dumps(v["report"]), capture_output=True,
                           text=True)
        if p.returncode != 0:
            invalid += 1
            misses.append(f"{v['id']}: runcare exit {p.returncode}: {p.stderr.strip()}")
            continue
        r = json.loads(p.stdout)
        got, want = r["triage"], gold["triage"]
        per[want][1] += 1
        sg, sw = SEMI[got], SEMI[want]
        semi_per[sw][1] += 1
        if r["semigran_level"] != sg:
            invalid += 1
            misses.append(f"{v['id']}: semigran_level {r['semigran_level']} does not match {got}")
        if got == want:
            exact += 1; per[want][0] += 1
        elif LEVELS.index(got) < LEVELS.index(want):
            under += 1
            if want == "emergency":
                emerg_under += 1
        else:
            over += 1
        if sg == sw:
            semi_exact += 1; semi_per[sw][0] += 1
        elif SEMI_RANK[sg] < SEMI_RANK[sw]:
            semi_under += 1
        ranked = [c["id"] for c in r["conditions"]]
        ok1 = bool(ranked) and ranked[0] in gold["acceptable_conditions"]
        ok3 = gold["primary_condition"] in ranked[:3] or any(c in gold["acceptable_conditions"] for c in ranked[:3])
        top1 += ok1; top3 += ok3
        fired = {f["id"] for f in r["red_flags"]}
        missed = [f for f in gold["must_flag"] if f not in fired]
        flags_need += len(gold["must_flag"]); flags_hit += len(gold["must_flag"]) - len(missed)
        if got != want or not ok1 or missed:
            why = []
            if got != want:
                why.append(f"triage {got}, gold {want}")
            if not ok1:
                why.append(f"top {ranked[:3]}, gold {gold['acceptable_conditions']}")
            if missed:
                why.append(f"missed flags {missed}")
            misses.append(f"{v['id']}: " + "; ".join(why) + f"\n    runcare: {r.get('triage_reason', '')[:300]}")
    n = len(cases)
    pct = lambda a, b: f"{100.0 * a / b:5.1f}%" if b else "   - "
    print(f"vignettes: {n} cases from {', '.join(files)}")
    print(f"triage exact        {pct(exact, n)}  ({exact}/{n})")
    for lv in reversed(LEVELS):
        print(f"  {lv:<17} {pct(*per[lv])}  ({per[lv][0]}/{per[lv][1]})")
    print(f"under-triage        {pct(under, n)}  ({under}/{n}; emergencies under-triaged: {emerg_under})")
    print(f"over-triage         {pct(over, n)}  ({over}/{n})")
    print(f"must_flag recall    {pct(flags_hit, flags_need)}  ({flags_hit}/{flags_need})")
    print(f"top-1 condition     {pct(top1, n)}  ({top1}/{n})")
    print(f"top-3 condition     {pct(top3, n)}  ({top3}/{n})")
    print(f"Semigran 3-level    {pct(semi_exact, n)}  ({semi_exact}/{n}; under {semi_under})")
    for lv in ["emergent", "non_emergent", "self_care"]:
        print(f"  {lv:<17} {pct(*semi_per[lv])}  ({semi_per[lv][0]}/{semi_per[lv][1]})")
    print(f"invalid results     {invalid}")
    if misses:
        print("misses:")
        for m in misses:
            print("  " + m)
    if strict and (emerg_under or flags_hit < flags_need or invalid):
        print("FAIL: an emergency was under-triaged, a must_flag missed, or a result invalid")
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
