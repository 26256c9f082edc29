#!/usr/bin/env python3
"""compare_outputs.py - run two runcare binaries on the same inputs and say
where what a runner sees differs: inspect, import, list, load (text, --json,
--svg), check (--json and text), shoe list, log, rpe, the demo, and the
database rules (which commands make a database where).

    compare_outputs.py BEFORE AFTER OUTDIR    run both, write, compare
    compare_outputs.py --collect RUNCARE DIR  run one, write its outputs
    compare_outputs.py --diff DIR1 DIR2       compare two such folders

Every run is one file DIR/<group>/<name>.out: the command, the exit code,
stdout, stderr, and for the database-rule probes the files the command
left behind. Both binaries run in the same scratch folder (WORK, wiped
before each) with the same fresh HOME, no RUNCARE_DB or XDG_DATA_HOME and
the clock fixed (RUNCARE_NOW), so paths and dates in the outputs agree.

Inputs: the shared activity files (../shared/data/activities: every file
inspected, text and --json; the whole folder and each subfolder imported;
list, shoe list and load on that log, load as of every day with a run);
the demo athlete (runcare demo, its chart and report, then list, load and
every check on its log); every report of tests/cases/triage,
tests/vignettes/*.jsonl and ../shared/domain/vignettes.jsonl, checked with
no log, with the shared log and with the demo's log (--json and text,
--no-save), a few saved to a diary; log/rpe/shoe on a fresh log; and the
database probes (group "dbrule"): each command against a missing database
at the default path, under XDG_DATA_HOME, in a RUNCARE_DB folder that is
missing, in an existing --db folder and in a missing --db folder.

Exit 0 when the outputs are byte-identical, 1 when some differ (each is
listed, with the first lines of its diff). Only the Python standard library
is used."""
import difflib, glob, json, os, re, shutil, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_outputs import reports  # every case and vignette, named as there

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
DATA = os.path.join(SHARED, "data", "activities")
NOW = "2026-03-14T09:00:00Z"
WORK = os.environ.get("COMPARE_WORK", "/tmp/runcare-compare-work")


class Runner:
    def __init__(self, runcare, outdir):
        self.runcare = os.path.abspath(runcare)
        self.outdir = outdir
        self.n = 0

    def env(self, **extra):
        env = dict(os.environ, HOME=os.path.join(WORK, "home"),
                   RUNCARE_NOW=NOW, TMPDIR=os.path.join(WORK, "tmp"))
        for k in ("RUNCARE_DB", "XDG_DATA_HOME"):
            env.pop(k, None)
        env.update(extra)
        return env

    def run(self, group, name, args, stdin=None, env=None, files=None,
            list_files=None, mask_ids=False):
        """Run runcare ARGS; write group/name.out. files: paths whose
        contents are appended (a chart written by --svg FILE). mask_ids:
        activity ids become # (the demo imports on several threads, so
        its ids change from run to run)."""
        p = subprocess.run([self.runcare] + args, input=stdin,
                           capture_output=True, env=env or self.env(),
                           cwd=WORK, timeout=600)
        if mask_ids:
            p.stdout = re.sub(rb'("id"|"duplicate_of"):[0-9]+', rb'\1:#', p.stdout)
            p.stdout = re.sub(rb'(?m)^ *[0-9]+  ', b'#  ', p.stdout)
        self.n += 1
        os.makedirs(os.path.join(self.outdir, group), exist_ok=True)
        with open(os.path.join(self.outdir, group, name + ".out"), "wb") as f:
            f.write(b"$ runcare " + " ".join(args).encode() + b"\n")
            f.write(b"exit %d\n--- stdout\n" % p.returncode + p.stdout)
            f.write(b"--- stderr\n" + p.stderr)
            for path in files or []:
                f.write(b"--- file " + path.encode() + b"\n")
                if os.path.exists(path):
                    with open(path, "rb") as g:
                        f.write(g.read())
                else:
                    f.write(b"(missing)\n")
            if list_files:
                f.write(b"--- files left\n")
                for path in sorted(all_files(list_files)):
                    f.write(path.encode() + b"\n")
        return p


def all_files(top):
    out = []
    for d, dirs, files in os.walk(top):
        for x in dirs + files:
            out.append(os.path.relpath(os.path.join(d, x), top))
    return out


def reset_work():
    shutil.rmtree(WORK, ignore_errors=True)
    for d in ("home", "tmp", "reports"):
        os.makedirs(os.path.join(WORK, d))


def write_reports(cases):
    paths = []
    for name, rep in cases:
        p = os.path.join(WORK, "reports", name + ".json")
        with open(p, "w", encoding="utf-8") as f:
            json.dump(rep, f)
        paths.append((name, p))
    return paths


def run_days(r, db):
    """The distinct local dates of the runs in db, from list --json."""
    p = subprocess.run([r.runcare, "--db", db, "list", "--json", "--sport",
                        "running"], capture_output=True, env=r.env(), cwd=WORK)
    try:
        acts = json.loads(p.stdout or b"[]")
    except ValueError:
        return []
    return sorted({a["local_date"] for a in acts if a.get("local_date")})


def collect(runcare, outdir):
    r = Runner(runcare, outdir)
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    reset_work()
    cases = write_reports(reports([]))
    have_data = os.path.isdir(DATA)

    # inspect: every shared file, text and --json
    if have_data:
        for path in sorted(glob.glob(os.path.join(DATA, "*", "*"))):
            if path.endswith((".md", ".tsv")):
                continue
            name = os.path.relpath(path, DATA).replace("/", "__")
            r.run("inspect", name, ["inspect", path])
            r.run("inspect", name + ".json", ["inspect", "--json", path])
        r.run("inspect", "salvage-invalid",
              ["inspect", "--salvage"] + sorted(glob.glob(os.path.join(DATA, "invalid", "*"))))

    # import: the whole folder, again, each subfolder alone
    shared_db = os.path.join(WORK, "shared.db")
    if have_data:
        # one decoding thread: activity ids in the order of the walk, so
        # that list and rpe agree between the two runs (and the counts: see
        # below)
        r.run("import", "all", ["--db", shared_db, "import", "--no-progress",
                                "--threads", "1", DATA])
        r.run("import", "all-again", ["--db", shared_db, "import", "--no-progress", DATA])
        # not on every core: which of two recordings of one run arrives
        # first changes how the pair is counted (36 or 37 files imported
        # of the gpx folder), the same in every build since 6205a4c
        for sub in ("fit", "gpx", "tcx", "invalid"):
            db = os.path.join(WORK, f"import-{sub}.db")
            r.run("import", sub, ["--db", db, "import", "--no-progress",
                                  "--threads", "1", os.path.join(DATA, sub)])
        r.run("import", "invalid-salvage",
              ["--db", os.path.join(WORK, "import-salvage.db"), "import",
               "--salvage", "--no-progress", os.path.join(DATA, "invalid")])
        r.run("import", "missing-file", ["--db", shared_db, "import",
                                         os.path.join(WORK, "no-such.fit")])

        # list and shoe list on the shared log
        for name, args in [("text", []), ("json", ["--json"]), ("all", ["--all"]),
                           ("all-json", ["--all", "--json"]),
                           ("running", ["--sport", "running"]),
                           ("cycling-json", ["--sport", "cycling", "--json"]),
                           ("range", ["--since", "2017-01-01", "--until", "2018-12-31"]),
                           ("none-match", ["--since", "2030-01-01"]),
                           ("bad-date", ["--since", "2017-13-01"])]:
            r.run("list", "shared-" + name, ["--db", shared_db, "list"] + args)
        r.run("shoe", "shared-list", ["--db", shared_db, "shoe", "list"])
        r.run("shoe", "shared-list-json", ["--db", shared_db, "shoe", "list", "--json"])

        # load on the shared log: as of every day with a run, and today
        r.run("load", "shared-today", ["--db", shared_db, "load"])
        r.run("load", "shared-today-json", ["--db", shared_db, "load", "--json"])
        for day in run_days(r, shared_db):
            base = ["--db", shared_db, "load", "--as-of", day]
            r.run("load", f"shared-{day}", base)
            r.run("load", f"shared-{day}-json", base + ["--json"])
            r.run("load", f"shared-{day}-svg", base + ["--svg", "-"])
        svg = os.path.join(WORK, "shared.svg")
        r.run("load", "shared-svg-file",
              ["--db", shared_db, "load", "--as-of", "2020-06-01", "--weeks",
               "52", "--svg", svg], files=[svg])
        r.run("load", "shared-new-runner",
              ["--db", shared_db, "load", "--as-of", "2020-01-31", "--new-runner"])
        r.run("load", "shared-weeks-1",
              ["--db", shared_db, "load", "--as-of", "2018-06-01", "--weeks", "1"])

    # the demo athlete, then everything on its log
    demo_dir = os.path.join(WORK, "demo")
    demo_db = os.path.join(demo_dir, "runcare.db")
    r.run("demo", "demo", ["--db", demo_db, "demo", demo_dir],
          files=[os.path.join(demo_dir, "load.svg"),
                 os.path.join(demo_dir, "pain-report.json")])
    r.run("demo", "list", ["--db", demo_db, "list"], mask_ids=True)
    r.run("demo", "list-all-json", ["--db", demo_db, "list", "--all", "--json"],
          mask_ids=True)
    r.run("demo", "shoe-list", ["--db", demo_db, "shoe", "list"])
    r.run("demo", "shoe-list-json", ["--db", demo_db, "shoe", "list", "--json"])
    r.run("demo", "load", ["--db", demo_db, "load"])
    r.run("demo", "load-json", ["--db", demo_db, "load", "--json"])
    r.run("demo", "load-svg", ["--db", demo_db, "load", "--svg", "-"])
    novice = ["--db", demo_db, "load", "--new-runner", "--weeks", "20"]
    r.run("demo", "load-new-runner", novice)
    r.run("demo", "load-new-runner-json", novice + ["--json"])
    r.run("demo", "load-new-runner-svg", novice + ["--svg", "-"])
    r.run("demo", "check-report", ["--db", demo_db, "check", "--no-save",
                                   os.path.join(demo_dir, "pain-report.json")])

    # check on every report: no log, the shared log, the demo's log
    for name, path in cases:
        r.run("check-nolog", name + ".json", ["check", "--json", "--no-save", "-"],
              stdin=open(path, "rb").read())
        r.run("check-nolog", name, ["check", "--no-save", path])
        r.run("check-demo", name + ".json",
              ["--db", demo_db, "check", "--json", "--no-save", path])
        r.run("check-demo", name, ["--db", demo_db, "check", "--no-save", path])
        if have_data:
            r.run("check-shared", name + ".json",
                  ["--db", shared_db, "check", "--json", "--no-save", path])
    diary = os.path.join(WORK, "diary.db")
    for name, path in cases[:4]:
        r.run("check-save", name, ["--db", diary, "check", path])
        r.run("check-save", name + ".json", ["--db", diary, "check", "--json", path])
    r.run("check-save", "broken-db", ["--db", os.path.join(WORK, "reports"),
                                      "check", cases[0][1]])

    # log, rpe and shoes on a fresh log
    db = os.path.join(WORK, "manual.db")
    steps = [
        ("shoe-add", ["shoe", "add", "Pegasus 40", "--start-km", "690", "--default"]),
        ("shoe-add-trail", ["shoe", "add", "Trail", "--limit-km", "500mi"]),
        ("shoe-add-taken", ["shoe", "add", "pegasus 40"]),
        ("log-1", ["log", "--date", "2026-03-01", "--distance", "8km",
                   "--duration", "45:00", "--rpe", "6"]),
        ("log-2", ["log", "--date", "2026-03-03", "--distance", "5mi",
                   "--duration", "42m", "--shoe", "trail"]),
        ("log-walk", ["log", "--date", "2026-03-04", "--distance", "3000m",
                      "--duration", "1:00:00", "--sport", "walking"]),
        ("log-long", ["log", "--date", "2026-03-10", "--distance", "21km",
                      "--duration", "2:00:00", "--name", "Half race"]),
        ("log-bad-pace", ["log", "--date", "2026-03-05", "--distance", "8km",
                          "--duration", "5:00"]),
        ("log-future", ["log", "--date", "2026-04-05", "--distance", "8km",
                        "--duration", "45:00"]),
        ("rpe-last", ["rpe", "last", "5"]),
        ("rpe-1", ["rpe", "1", "7.5"]),
        ("rpe-none", ["rpe", "99", "5"]),
        ("shoe-retire", ["shoe", "retire", "Trail"]),
        ("shoe-default", ["shoe", "default", "Pegasus 40"]),
        ("shoe-default-none", ["shoe", "default", "--none"]),
        ("shoe-list", ["shoe", "list"]),
        ("shoe-list-json", ["shoe", "list", "--json"]),
        ("list", ["list"]),
        ("list-json", ["list", "--json"]),
        ("load", ["load"]),
        ("load-json", ["load", "--json"]),
    ]
    for name, args in steps:
        r.run("manual", name, ["--db", db] + args)
    for name, path in cases[:20]:
        r.run("manual", "check-" + name, ["--db", db, "check", "--json", "--no-save", path])

    # the database rules: each command, a missing database in five places,
    # each probe in an empty folder whose files are listed afterwards
    probe = os.path.join(WORK, "probe")
    report = cases[0][1]
    commands = [
        ("list", ["list"]), ("list-json", ["list", "--json"]),
        ("load", ["load"]), ("load-json", ["load", "--json"]),
        ("shoe-list", ["shoe", "list"]),
        ("shoe-add", ["shoe", "add", "X"]),
        ("shoe-retire", ["shoe", "retire", "X"]),
        ("log", ["log", "--date", "2026-03-01", "--distance", "8", "--duration", "45"]),
        ("rpe", ["rpe", "last", "5"]),
        ("import", ["import", "--no-progress", os.path.join(WORK, "reports")]),
        ("check-no-save", ["check", "--no-save", report]),
        ("check", ["check", report]),
        ("check-json", ["check", "--json", report]),
    ]
    places = [
        ("default", [], {}),
        ("xdg", [], {"XDG_DATA_HOME": os.path.join(probe, "xdg")}),
        ("env-missing-folder", [], {"RUNCARE_DB": os.path.join(probe, "env", "x.db")}),
        ("db-existing-folder", ["--db", os.path.join(probe, "new.db")], {}),
        ("db-missing-folder", ["--db", os.path.join(probe, "nonexistent", "dir", "x.db")], {}),
    ]
    for place, pre, extra in places:
        for name, args in commands:
            shutil.rmtree(probe, ignore_errors=True)
            os.makedirs(os.path.join(probe, "home"))
            env = r.env(**dict(extra, HOME=os.path.join(probe, "home")))
            r.run("dbrule", f"{place}-{name}", pre + args, env=env,
                  list_files=probe)
    shutil.rmtree(WORK, ignore_errors=True)
    return r.n


def compare(a, b):
    differ = []
    names = sorted(set(all_outs(a)) | set(all_outs(b)))
    for n in names:
        pa, pb = os.path.join(a, n), os.path.join(b, n)
        ta = open(pa, "rb").read() if os.path.exists(pa) else None
        tb = open(pb, "rb").read() if os.path.exists(pb) else None
        if ta != tb:
            differ.append((n, ta, tb))
    return names, differ


def all_outs(d):
    return [os.path.relpath(p, d) for p in glob.glob(os.path.join(d, "*", "*.out"))]


def main(argv):
    if len(argv) == 4 and argv[1] == "--collect":
        n = collect(argv[2], argv[3])
        print(f"{n} runs -> {argv[3]}")
        return 0
    if len(argv) == 4 and argv[1] == "--diff":
        return report(argv[2], argv[3])
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    before, after, outdir = argv[1:]
    na = collect(before, os.path.join(outdir, "before"))
    nb = collect(after, os.path.join(outdir, "after"))
    print(f"{na} runs before, {nb} after")
    return report(os.path.join(outdir, "before"), os.path.join(outdir, "after"))


def report(before, after):
    names, differ = compare(before, after)
    groups = {}
    for n, _, _ in differ:
        groups.setdefault(n.split("/")[0], []).append(n)
    print(f"{len(names)} outputs, {len(names) - len(differ)} identical, "
          f"{len(differ)} differ")
    for g in sorted(groups):
        print(f"  {g}: {len(groups[g])} differ")
    for n, ta, tb in differ:
        print(f"--- {n}")
        lines = difflib.unified_diff(
            (ta or b"(none)\n").decode(errors="replace").splitlines(),
            (tb or b"(none)\n").decode(errors="replace").splitlines(),
            "before", "after", n=0, lineterm="")
        for i, line in enumerate(lines):
            if i >= 14:
                print("    ...")
                break
            print("    " + (line if len(line) < 200 else line[:200] + "..."))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
