/* cmd_diary_add.c - `runcare diary add`, `diary edit` and `diary rm`.
 *
 *     runcare diary add [--json] [--kb DIR] [FILE|-]
 *     runcare diary edit ID FILE
 *     runcare diary rm ID
 *
 * add: on a terminal with no FILE, the kb's follow-up questions about the
 * latest problem (check_ask.c: the safety screen again, score, trend, new
 * signs), whose answers replace those of the problem's latest report;
 * else a whole report JSON from FILE or stdin. Either way the follow-up
 * is triaged again, linked to the check, and the diary's course and
 * escalations are shown. edit and rm keep the old report in the store's
 * history. app/ (app_diary_add.c) does the work. */
#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "cli/check_text.h"
#include "cli/diary.h"
#include "cli/out.h"

#define REPORT_MAX ((size_t)1 << 20)

/* A report from path ("-": stdin), validated. -1 after printing why. */
static int read_report(const struct kb *kb, const char *path, json_t **out,
                       int *status)
{
    struct jschema_errors verrs;
    struct rc_err err = RC_ERR_INIT;
    const char *name = !strcmp(path, "-") ? "stdin" : path;
    struct rc_buf b;
    int rc = 0;
    jschema_errors_init(&verrs);
    rc_buf_init(&b, REPORT_MAX);
    if (rc_buf_read_file(&b, path, &err) < 0 ||
        triage_parse_report(kb, (const char *)b.data, b.len, out, &verrs,
                            &err) < 0) {
        rc_err_file(&err, name);
        *status = verrs.n ? cli_print_violations(name, &verrs)
                          : cli_fail(&err);
        rc = -1;
    }
    rc_buf_release(&b);
    jschema_errors_release(&verrs);
    return rc;
}

/* The follow-up made on a terminal. 0 with *out, or -1 with *status. */
static int ask(const struct app *app, const struct kb *kb, double now_s,
               json_t **out, int *status)
{
    struct rc_err err = RC_ERR_INIT;
    struct jschema_errors verrs;
    json_t *rep;
    int q;

    if (app_follow_up_begin(app, kb, now_s, &rep, &err) < 0) {
        *status = cli_fail(&err);
        return -1;
    }
    q = check_follow_up_questionnaire(kb, rep);
    if (q != 0) {
        json_decref(rep);
        if (q == -1)
            fprintf(stderr, "\nruncare: diary add: stopped; nothing saved\n");
        *status = q == 1 ? RC_OK : q == -1 ? RC_EINPUT : RC_EENV;
        return -1;
    }
    jschema_errors_init(&verrs);
    if (jschema_validate(kb_report_schema(kb), rep, &verrs) != 0) {
        *status = cli_print_violations("follow-up", &verrs);
        jschema_errors_release(&verrs);
        json_decref(rep);
        return -1;
    }
    jschema_errors_release(&verrs);
    *out = rep;
    return 0;
}

static void print_added(const struct kb *kb, const struct app_diary_add *a)
{
    const struct app_diary *d = &a->diary;
    const struct app_diary_problem *p = &d->problems[d->nproblems - 1];
    check_print_text(stdout, kb, &a->check.res, false, false);
    printf("\nSaved in your diary as report %lld, a follow-up of check "
           "%lld.\n",
           (long long)a->check.report_id, (long long)a->follows_id);
    printf("\nThe course so far (%zu reports, %.1f days after the run): "
           "level %s\n",
           p->n, p->course.days_since_run,
           check_level_words(p->course.level));
    if (p->course.nesc)
        cli_print_escalations(&p->course);
    else
        printf("  on track: nothing in the course calls for more than the "
               "plan\n");
    cli_print_check_in(d);
}

int cli_diary_add(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "kb", required_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    struct app_kb akb = { .triage = NULL };
    struct rc_err err = RC_ERR_INIT;
    struct jschema_errors verrs;
    struct app app = ctx->app;
    struct app_diary_add a;
    const char *kb_dir = NULL, *path = NULL;
    json_t *report = NULL;
    double now_s = rc_now();
    bool json = false;
    int c, status = RC_OK;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        else if (c == 'k')
            kb_dir = optarg;
    }
    if (argc - optind > 1)
        return cli_usage("diary", "add takes one report at a time");
    if (optind < argc)
        path = argv[optind];
    if (app_kb_open(kb_dir, &akb, &err) < 0)
        return cli_fail(&err);
    app.rules = &akb.load;
    if (!path && ctx->stdin_tty ? ask(&app, akb.triage, now_s, &report,
                                      &status) < 0
                                : read_report(akb.triage, path ? path : "-",
                                              &report, &status) < 0) {
        app_kb_release(&akb);
        return status;
    }
    jschema_errors_init(&verrs);
    if (app_diary_add(&app, akb.triage, report, now_s, &a, &verrs, &err) <
        0) {
        status = cli_fail(&err);
    } else {
        if (json)
            status = cli_json_out(json_pack(
                "{s:I, s:I, s:O, s:o}", "report_id",
                (json_int_t)a.check.report_id, "follows",
                (json_int_t)a.follows_id, "result", a.check.result, "diary",
                app_diary_json(&a.diary)));
        else
            print_added(akb.triage, &a);
        app_diary_add_release(&a);
    }
    jschema_errors_release(&verrs);
    json_decref(report);
    app_kb_release(&akb);
    return status;
}

int cli_diary_change(struct cli_ctx *ctx, int argc, char **argv)
{
    struct app_kb akb = { .triage = NULL };
    struct rc_err err = RC_ERR_INIT;
    struct jschema_errors verrs;
    bool edit = !strcmp(argv[0], "edit");
    json_t *report = NULL;
    long id;
    int status = RC_OK;

    if (argc != (edit ? 3 : 2))
        return cli_usage("diary", edit ? "edit takes a report id and a file"
                                       : "rm takes a report id");
    if (cli_parse_long("diary", argv[0], argv[1], 1, LONG_MAX, &id) < 0)
        return RC_EUSAGE;
    if (!edit) {
        if (app_diary_rm(&ctx->app, id, rc_now(), &err) < 0)
            return cli_fail(&err);
        printf("Removed report %ld from the diary; the store's history "
               "keeps it.\n",
               id);
        return RC_OK;
    }
    if (app_kb_open(NULL, &akb, &err) < 0)
        return cli_fail(&err);
    if (read_report(akb.triage, argv[2], &report, &status) < 0) {
        app_kb_release(&akb);
        return status;
    }
    jschema_errors_init(&verrs);
    if (app_diary_edit(&ctx->app, akb.triage, id, report, rc_now(), &verrs,
                       &err) < 0)
        status = cli_fail(&err);
    else
        printf("Corrected report %ld and triaged it again; the store's "
               "history keeps the old one.\n",
               id);
    jschema_errors_release(&verrs);
    json_decref(report);
    app_kb_release(&akb);
    return status;
}
