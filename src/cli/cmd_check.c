/* cmd_check.c - `runcare check`: the leg-pain check.
 *
 *     runcare check [--json] [--full] [--sources] [--no-save] [--kb DIR]
 *                   [FILE|-]
 *
 * On a terminal with no FILE it asks the questionnaire (check_ask.c: the
 * questions triage_next_question chooses, the safety screen first); an
 * answer that raises an emergency red flag stops it at once with the
 * emergency advice. Otherwise it reads a report (JSON) from FILE or stdin
 * and validates it against report.schema.json, printing every violation as
 * "runcare: FILE: /pointer: what". Then triage_run gives the result,
 * printed as text (check_text.c) or as JSON valid against
 * result.schema.json, and the report and result go to the diary unless
 * --no-save.
 *
 * With a training log, check_training_from_log fills the training context
 * from the load guard (source "log"), and check_save keeps the report and
 * its result in the diary (--no-save skips it). */
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "cli/check_text.h"
#include "cli/cli.h"
#include "cli/load_log.h"
#include "store/store.h"
#include "triage/triage.h"

#define CHECK_REPORT_MAX ((size_t)1 << 20) /* a report is a few kB */
#define CHECK_KB_FILE_MAX ((size_t)8 << 20)

/* ---- the knowledge base: built in, or --kb DIR ---- */

struct kb_dir {
    struct kb_text files[32];
    char names[32][512];
    struct rc_buf bufs[32];
    size_t n;
};

static void kb_dir_release(struct kb_dir *d)
{
    for (size_t i = 0; i < d->n; i++)
        rc_buf_release(&d->bufs[i]);
    d->n = 0;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

static struct kb *load_kb(const char *dir, struct rc_err *err)
{
    struct kb_dir d = { .n = 0 };
    struct dirent *e;
    struct kb *kb;
    DIR *dp;

    if (!dir)
        return kb_load_embedded(err);
    if (!(dp = opendir(dir))) {
        rc_fail(err, RC_EINPUT, "cannot open the knowledge base folder: %s",
                strerror(errno));
        rc_err_file(err, dir);
        return NULL;
    }
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.' ||
            !(ends_with(e->d_name, ".jsonl") || ends_with(e->d_name, ".json")))
            continue;
        if (d.n == RC_ARRAY_SIZE(d.files)) {
            rc_fail(err, RC_EINPUT, "too many files in the knowledge base");
            rc_err_file(err, dir);
            break;
        }
        snprintf(d.names[d.n], sizeof(d.names[d.n]), "%s/%s", dir, e->d_name);
        rc_buf_init(&d.bufs[d.n], CHECK_KB_FILE_MAX);
        if (rc_buf_read_file(&d.bufs[d.n], d.names[d.n], err) < 0)
            break;
        d.files[d.n].name = d.names[d.n];
        d.files[d.n].data = (const char *)d.bufs[d.n].data;
        d.files[d.n].len = d.bufs[d.n].len;
        d.n++;
    }
    closedir(dp);
    kb = err->status == RC_OK ? kb_load_texts(d.files, d.n, err) : NULL;
    kb_dir_release(&d);
    return kb;
}

/* ---- seams for the log and the diary ---- */

/* The training context from the runner's log (the load guard's figures,
 * each with its sentence, the next-run cap and the load warnings). A log
 * that cannot be read must not stop a safety check: the check goes on
 * without it and says so on stderr. */
static void check_training_from_log(struct cli_ctx *ctx,
                                    struct cli_load_training *lt)
{
    struct rc_err err = RC_ERR_INIT;
    if (cli_load_training(ctx, LONG_MIN, lt, &err) < 0) {
        char text[512];
        fprintf(stderr,
                "runcare: warning: the training log cannot be read (%s); "
                "the check goes on without it\n",
                rc_err_format(&err, text, sizeof(text)));
        memset(lt, 0, sizeof(*lt));
        triage_training_init(&lt->t);
    }
}

/* Store the report and its result in the diary: in the database at
 * cli_db_path when it exists or was named (--db, RUNCARE_DB); a runner with
 * no log and no database named gets no file made behind their back.
 * Returns 1 when saved (*id set), 0 when there is no database, -1 with err
 * set on failure. */
static int check_save(struct cli_ctx *ctx, const json_t *report,
                      const json_t *result, double now_s, int64_t *id,
                      struct rc_err *err)
{
    const char *path = cli_db_path(ctx, err), *env = getenv("RUNCARE_DB");
    struct store *s;
    char *rj = NULL, *sj = NULL;
    int rc = -1;

    if (!path)
        return -1;
    if (!ctx->db_opt && !(env && *env) && access(path, F_OK) != 0)
        return 0;
    if (!(s = store_open(path, STORE_CREATE, err)))
        return -1;
    rj = json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER);
    sj = json_dumps(result, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!rj || !sj)
        rc_fail(err, RC_EENV, "out of memory writing the diary entry");
    else if (store_add_report(s, rj, sj, now_s, id, err) == 0)
        rc = 1;
    free(rj);
    free(sj);
    store_close(s);
    return rc;
}

/* ---- the command ---- */

static int print_violations(const char *name, const struct jschema_errors *e)
{
    fflush(stdout);
    for (size_t i = 0; i < e->n; i++)
        fprintf(stderr, "runcare: %s: %s%s%s\n", name,
                e->v[i].pointer[0] ? e->v[i].pointer : "/",
                ": ", e->v[i].msg);
    return RC_EINPUT;
}

static int run_check(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "no-save", no_argument, NULL, 'n' },
        { "kb", required_argument, NULL, 'k' },
        { "full", no_argument, NULL, 'f' },
        { "sources", no_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    bool json = false, no_save = false, full = false, sources = false;
    const char *kb_dir = NULL, *path = NULL, *name;
    struct rc_err err = RC_ERR_INIT;
    struct cli_load_training lt = { .warnings = NULL };
    struct triage_context tctx;
    struct jschema_errors verrs = { .max = 0 };
    struct kb *kb = NULL;
    json_t *report = NULL, *result = NULL;
    struct triage_result res;
    double now_s = rc_now();
    int c, status = RC_OK;

    memset(&res, 0, sizeof(res));
    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        else if (c == 'n')
            no_save = true;
        else if (c == 'k')
            kb_dir = optarg;
        else if (c == 'f')
            full = true;
        else if (c == 's')
            sources = true;
    }
    if (argc - optind > 1)
        return cli_usage(argv[0], "one report at a time");
    if (optind < argc)
        path = argv[optind];
    if (!(kb = load_kb(kb_dir, &err)))
        return cli_fail(&err);
    jschema_errors_init(&verrs);
    check_training_from_log(ctx, &lt);

    if (!path && ctx->stdin_tty) {
        size_t asked;
        int q = check_questionnaire(kb, &lt.t, now_s, &report, &asked);
        if (q == -2) {
            rc_fail(&err, RC_EENV, "out of memory");
            status = cli_fail(&err);
            goto done;
        }
        if (q != 0) {
            if (q < 0)
                fprintf(stderr, "\nruncare: check: stopped; nothing saved\n");
            status = q < 0 ? RC_EINPUT : RC_OK;
            goto done;
        }
        name = "questionnaire";
        if (jschema_validate(kb_report_schema(kb), report, &verrs) != 0) {
            status = print_violations(name, &verrs);
            goto done;
        }
    } else {
        struct rc_buf b;
        name = !path || !strcmp(path, "-") ? "stdin" : path;
        rc_buf_init(&b, CHECK_REPORT_MAX);
        if (rc_buf_read_file(&b, path ? path : "-", &err) < 0 ||
            triage_parse_report(kb, (const char *)b.data, b.len, &report,
                                &verrs, &err) < 0) {
            rc_buf_release(&b);
            rc_err_file(&err, name);
            if (verrs.n)
                status = print_violations(name, &verrs);
            else
                status = cli_fail(&err);
            goto done;
        }
        rc_buf_release(&b);
    }

    tctx.now_s = now_s;
    tctx.training = &lt.t;
    if (triage_run(kb, report, &tctx, &res, &err) < 0 ||
        !(result = triage_result_json(kb, &res, &err))) {
        status = cli_fail(&err);
        goto done;
    }
    if (jschema_validate(kb_result_schema(kb), result, &verrs) != 0) {
        fprintf(stderr, "runcare: check: internal error: the result breaks "
                        "result.schema.json\n");
        print_violations("result", &verrs);
        status = RC_EENV;
        goto done;
    }
    if (json) {
        if (json_dumpf(result, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) <
            0 ||
            putchar('\n') == EOF) {
            rc_fail(&err, RC_EENV, "cannot write the output");
            status = cli_fail(&err);
            goto done;
        }
    } else {
        check_print_text(stdout, kb, &res, full, sources);
    }
    if (!no_save) {
        int64_t id = 0;
        int saved = check_save(ctx, report, result, now_s, &id, &err);
        if (saved < 0) {
            /* the advice is out; the diary failed: say so, exit 3 */
            status = cli_fail(&err);
            goto done;
        }
        if (!json && saved)
            printf("\nSaved in your diary as report %lld.\n", (long long)id);
        else if (!json)
            printf("\nNot saved: there is no training log yet. Import your "
                   "runs (runcare import) or name a database with --db to "
                   "keep a diary.\n");
    }
    if (fflush(stdout) != 0) {
        rc_fail(&err, RC_EENV, "cannot write the output: %s",
                strerror(errno));
        status = cli_fail(&err);
    }
done:
    triage_result_release(&res);
    json_decref(report);
    json_decref(result);
    jschema_errors_release(&verrs);
    cli_load_training_release(&lt);
    kb_free(kb);
    return status;
}

const struct cli_command cli_cmd_check = {
    "check",
    "[--json] [--full] [--sources] [--no-save] [--kb DIR] [FILE|-]",
    "leg-pain check: a questionnaire on a terminal, else a report JSON from "
    "FILE or stdin",
    "On a terminal with no FILE, asks about two minutes of questions: where\n"
    "it hurts and which side (\"left calf\"), the safety screen (any\n"
    "emergency answer stops at once with the emergency advice), the pain,\n"
    "what you see, your health and medicines, then only the questions whose\n"
    "answer could still change the answer. Answer y/n, words or numbers; ?\n"
    "for not sure. Otherwise reads a symptom report (JSON, see\n"
    "report.schema.json) from FILE or stdin ('-'), and reports every problem\n"
    "in it as 'runcare: FILE: /field: what'.\n"
    "\n"
    "The answer: a triage level (emergency, urgent, see_clinician,\n"
    "self_care), the unanswered answers that would change it, the red flags,\n"
    "the likely conditions in words with their reasons, what to do now and\n"
    "next, when to check again, and the sources. runcare informs; it does\n"
    "not replace a clinician.\n"
    "\n"
    "options:\n"
    "  --json      the result as JSON (result.schema.json)\n"
    "  --full      every condition and reason, the whole plan, corrections\n"
    "  --sources   list every source with its title and address\n"
    "  --no-save   do not store the report and result in the diary\n"
    "  --kb DIR    use the knowledge base in DIR instead of the built-in one\n"
    "\n"
    "examples:\n"
    "  runcare check\n"
    "  runcare check --json --no-save report.json\n",
    run_check,
};
