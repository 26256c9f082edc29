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
 * The log, the training context it gives (source "log") and the diary are
 * app/'s (app_check_begin, app_check_run): a check that saves makes the
 * log if there is none yet; --no-save reads it only. */
#include <signal.h>
#include <unistd.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "cli/check_text.h"
#include "cli/cli.h"
#include "triage/triage.h"

#define CHECK_REPORT_MAX ((size_t)1 << 20) /* a report is a few kB */

/* ---- the log and the diary (app/) ---- */

/* A log that cannot be read must not stop a safety check: say so on
 * stderr, and go on without it. */
static void check_log_warning(const struct app_check *chk)
{
    char text[512];
    if (chk->log_err.status == RC_OK)
        return;
    fprintf(stderr,
            "runcare: warning: the training log cannot be read (%s); "
            "the check goes on without it\n",
            rc_err_format(&chk->log_err, text, sizeof(text)));
}

/* ---- the command ---- */


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
    struct app_check chk;
    struct app_check_result res = { .result = NULL };
    struct jschema_errors verrs = { .max = 0 };
    struct app_kb akb = { .triage = NULL };
    struct app app = ctx->app;
    const struct kb *kb;
    json_t *report = NULL;
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
    if (app_kb_open(kb_dir, &akb, &err) < 0)
        return cli_fail(&err);
    kb = akb.triage;
    app.rules = &akb.load;
    jschema_errors_init(&verrs);
    app_check_begin(&app, no_save ? APP_CHECK_NO_SAVE : 0, now_s, &chk);
    check_log_warning(&chk);

    if (!path && ctx->stdin_tty) {
        size_t asked;
        int q = check_questionnaire(kb, &chk.training.t, now_s, &report,
                                    &asked);
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
            status = cli_print_violations(name, &verrs);
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
                status = cli_print_violations(name, &verrs);
            else
                status = cli_fail(&err);
            goto done;
        }
        rc_buf_release(&b);
    }

    if (app_check_run(&chk, kb, report, &res, &verrs, &err) < 0) {
        if (verrs.n) {
            fprintf(stderr, "runcare: check: %s\n", err.msg);
            cli_print_violations("result", &verrs);
            status = RC_EENV;
        } else {
            status = cli_fail(&err);
        }
        goto done;
    }
    if (json) {
        if (json_dumpf(res.result, stdout,
                       JSON_INDENT(2) | JSON_PRESERVE_ORDER) <
            0 ||
            putchar('\n') == EOF) {
            rc_fail(&err, RC_EENV, "cannot write the output");
            status = cli_fail(&err);
            goto done;
        }
    } else {
        check_print_text(stdout, kb, &res.res, full, sources);
    }
    if (res.save_err.status != RC_OK) {
        /* the advice is out; the diary failed: say so, exit 3 */
        status = cli_fail(&res.save_err);
        goto done;
    }
    if (!json && res.report_id)
        printf("\nSaved in your diary as report %lld.\n",
               (long long)res.report_id);
    if (fflush(stdout) != 0) {
        rc_fail(&err, RC_EENV, "cannot write the output: %s",
                strerror(errno));
        status = cli_fail(&err);
    }
done:
    json_decref(report);
    app_check_result_release(&res);
    app_check_end(&chk);
    jschema_errors_release(&verrs);
    app_kb_release(&akb);
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
