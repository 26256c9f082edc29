#!/usr/bin/env python3
"""check_outputs.py - run `runcare check --json --no-save` on every report
runcare has a case for and write each answer to a folder, so that two
builds (or two ways of loading the knowledge base) can be compared byte for
byte with `diff -r`.

    check_outputs.py RUNCARE OUTDIR [--kb DIR] [FILE...]

The reports: every tests/cases/triage/*.json ("report"), every line of
tests/vignettes/*.jsonl and, when it exists, ../shared/domain/vignettes.jsonl
("report"), plus any FILE given (the same two forms). Each answer is
OUTDIR/NAME.out: the exit code, then stdout, then stderr. The clock is fixed
(RUNCARE_NOW: RUNCARE must be a test build, `make TEST=1`, build/test/runcare)
and HOME is a fresh empty folder, so no log or diary changes the answer. --kb DIR passes --kb DIR to runcare (the checked load from
files instead of the built-in kb). Exit 0 when every report was run.
Only the Python standard library is used."""
import glob, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOW = "2026-03-14T09:00:00Z"


def reports(extra):
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/cases/triage/*.json"))):
        with open(path, encoding="utf-8") as f:
            out.append((os.path.basename(path)[:-5], json.load(f)["report"]))
    lines = sorted(glob.glob(os.path.join(ROOT, "tests/vignettes/*.jsonl")))
    shared = os.path.join(ROOT, "..", "shared", "domain", "vignettes.jsonl")
    if os.path.exists(shared):
        lines.append(shared)
    for path in lines + list(extra):
        stem = os.path.basename(path).rsplit(".", 1)[0]
        with open(path, encoding="utf-8") as f:
            if path.endswith(".json"):
                v = json.load(f)
                out.append((stem, v.get("report", v)))
                continue
            for n, line in enumerate(f, 1):
                if line.strip():
                    v = json.loads(line)
                    out.append((f"{stem}-{n:03d}-{v.get('id', '')}", v["report"]))
    return out


def main(argv):
    args = argv[1:]
    kb = []
    if "--kb" in args:
        i = args.index("--kb")
        kb = ["--kb", args[i + 1]]
        del args[i:i + 2]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    runcare, outdir, extra = args[0], args[1], args[2:]
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, RUNCARE_NOW=NOW)
        for k in ("RUNCARE_DB", "XDG_DATA_HOME"):
            env.pop(k, None)
        cases = reports(extra)
        for name, rep in cases:
            p = subprocess.run([runcare, "check", "--json", "--no-save"] + kb +
                               ["-"], input=json.dumps(rep).encode(),
                               capture_output=True, env=env)
            with open(os.path.join(outdir, name + ".out"), "wb") as f:
                f.write(b"exit %d\n" % p.returncode + p.stdout + p.stderr)
    print(f"{len(cases)} reports -> {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
