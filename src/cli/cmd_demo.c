/* cmd_demo.c - `runcare demo`: the main job on a demo athlete, end to end,
 * on data runcare makes itself. Each capability adds its step here, so the
 * demo always shows the whole product working.
 *
 * Step 1, the training log: the demo athlete's watch files (14 weeks of
 * runs, about 30 km a week, then a week that jumps to about 50 km with a
 * long run far past any before) are written with runcare's FIT encoder into
 * DIR/watch/, plus the phone's GPX of one of those runs, and imported
 * through the real import path: the phone's copy is recognised as the same
 * run, and the shoe (300 km before the log began) passes its limit.
 *
 * Step 2, the load guard: `runcare load` finds that week's spike and
 * weekly jump and gives the next-run cap; the chart goes to DIR/load.svg.
 *
 * Step 3, the leg-pain check: the athlete's answers the morning after the
 * long run (both calves and thighs ache) go to `runcare check` as
 * DIR/pain-report.json; the training context comes from the log, and the
 * result is kept in the diary. Step 4 shows a red flag winning: the same
 * answers with cola-coloured urine are an emergency, whatever the scores.
 *
 * Step 5, the diary: two follow-ups of that check, as `runcare diary add`
 * would ask them (DIR/follow-up-1.json two days later, on track;
 * DIR/follow-up-2.json five days after the run, worse), each triaged
 * again; the second leaves the expected course and the diary escalates.
 * Step 6 shows the diary and its chart (DIR/pain.svg), step 7 the plan an
 * hour after the second follow-up.
 *
 * The story ends now: the second follow-up an hour ago, the check
 * DEMO_LAST_FOLLOW_UP_DAYS before it (its report says so in created_at),
 * the long run the day before the check. So what the demo tells the
 * runner to try next ('runcare plan', 'runcare diary') answers at the
 * real time, after her last check-in.
 *
 * The athlete, her files, her shoe and her answers are app/app_demo.c's;
 * this file runs the steps and prints them. */
#include "base/base.h"
#include "base/time.h"
#include "cli/check_text.h"
#include "cli/cli.h"
#include "triage/triage.h"

/* Days from the check to the follow-ups: on track, then worse. */
#define DEMO_FIRST_FOLLOW_UP_DAYS 2
#define DEMO_LAST_FOLLOW_UP_DAYS 4

/* Run one of runcare's own commands as the runner would type it. */
static int demo_command(struct cli_ctx *ctx, const struct cli_command *c,
                        char **argv)
{
    int argc = 0;
    printf("   $ runcare");
    for (; argv[argc]; argc++)
        printf(" %s", argv[argc]);
    printf("\n\n");
    fflush(stdout);
    cli_getopt_reset();
    return c->run(ctx, argc, argv);
}

static int demo_import(struct cli_ctx *ctx, const char dir[3000],
                       double check_s, double *long_run_end_s)
{
    extern const struct cli_command cli_cmd_inspect;
    struct rc_err err = RC_ERR_INIT;
    struct import_summary sum;
    struct app_list l;
    char watch[4096], phone[4096], a[16], b[16];

    snprintf(watch, sizeof(watch), "%s/watch", dir);
    snprintf(phone, sizeof(phone), "%s/phone-long-run.gpx", dir);
    printf("1. The training log\n\n");
    if (app_demo_files(dir, check_s, long_run_end_s, &err) < 0)
        return cli_fail(&err);
    {
        char fit[4096], date[16], name[] = "inspect";
        char *argv[] = { name, fit, NULL };
        int rc;
        snprintf(fit, sizeof(fit), "%s/watch/%s.fit", dir,
                 rc_date_format(rc_day_of(*long_run_end_s), date));
        printf("   The watch's file of the long run, decoded:\n");
        if ((rc = demo_command(ctx, &cli_cmd_inspect, argv)) != RC_OK)
            return rc;
        printf("\n");
    }
    printf("   %s holds the watch's FIT files; the phone recorded the last "
           "long run too.\n   $ runcare import %s %s\n", watch, watch,
           phone);
    if (app_demo_import(&ctx->app, dir, &sum, &l, &err) < 0) {
        import_summary_release(&sum);
        return cli_fail(&err);
    }
    printf("   imported %ld files (%ld new activities), %ld duplicate "
           "(the phone's copy of a run the watch recorded more richly), "
           "%ld failed\n",
           sum.imported, sum.activities, sum.duplicates, sum.failed);
    printf("   the log holds %ld activities from %s to %s, %.1f km of "
           "running\n\n",
           sum.totals.activities, rc_date_format(sum.totals.first_day, a),
           rc_date_format(sum.totals.last_day, b), sum.totals.running_km);
    import_summary_release(&sum);
    for (size_t i = 0; i < l.nshoes; i++)
        printf("   shoe \"%s\": %.0f km of its %.0f km limit%s\n",
               l.shoes[i].name, l.shoes[i].used_km, l.shoes[i].limit_km,
               l.shoes[i].used_km >= l.shoes[i].limit_km
                   ? ": time for a new pair" : "");
    app_list_release(&l);
    printf("\n   See them with: runcare list\n\n");
    return RC_OK;
}

/* Step 2: `runcare load` on that log, and its chart in DIR/load.svg. */
static int demo_load(struct cli_ctx *ctx, const char dir[3000])
{
    extern const struct cli_command cli_cmd_load;
    char name[] = "load", weeks[] = "--weeks", six[] = "6", svg[] = "--svg";
    char path[4096];
    char *argv[] = { name, weeks, six, svg, path, NULL };

    snprintf(path, sizeof(path), "%s/load.svg", dir);
    printf("2. The load guard: the week that jumped, and how far is "
           "safe next\n\n");
    return demo_command(ctx, &cli_cmd_load, argv);
}

/* Step 3: the leg-pain check on the athlete's answers, kept in the diary.
 * Step 4: the same answers with cola-coloured urine. */
static int demo_check(struct cli_ctx *ctx, const char dir[3000],
                      double check_s, double long_run_end_s)
{
    extern const struct cli_command cli_cmd_check;
    char name[] = "check", path[4096];
    char *argv[] = { name, path, NULL };
    double hours = (check_s - long_run_end_s) / 3600;
    struct rc_err err = RC_ERR_INIT;
    struct app_check_result res;
    struct jschema_errors verrs;
    json_t *report, *result, *flags;
    struct kb *kb;
    size_t i;
    json_t *flag;
    int rc;

    if (hours < 1)
        hours = 1;
    snprintf(path, sizeof(path), "%s/pain-report.json", dir);
    report = app_demo_report(hours, "normal");
    if (!report || triage_report_stamp(report, check_s) < 0 ||
        json_dump_file(report, path, JSON_INDENT(1)) < 0) {
        json_decref(report);
        rc_fail(&err, RC_EENV, "cannot write %s", path);
        return cli_fail(&err);
    }
    json_decref(report);
    printf("\n3. The leg-pain check, the morning after the long run\n\n"
           "   Both calves and the front of both thighs ache. The answers "
           "are in\n   %s (on a terminal, 'runcare check' asks "
           "them). The\n   training questions are answered by the log.\n\n",
           path);
    if ((rc = demo_command(ctx, &cli_cmd_check, argv)) != RC_OK)
        return rc;

    printf("\n4. A red flag always wins\n\n   The same answers, but the "
           "urine is cola-coloured:\n\n");
    report = app_demo_report(hours, "dark_cola");
    if (!report || !(kb = kb_load_embedded(&err))) {
        json_decref(report);
        return cli_fail(&err);
    }
    /* these answers alone: no log, no diary */
    jschema_errors_init(&verrs);
    rc = app_check(&ctx->app, kb, report, APP_CHECK_NO_SAVE | APP_CHECK_NO_LOG,
                   check_s, &res, &verrs, &err);
    jschema_errors_release(&verrs);
    if (rc < 0) {
        kb_free(kb);
        json_decref(report);
        return cli_fail(&err);
    }
    result = res.result;
    printf("   %s: %s\n",
           triage_level_name(res.level),
           json_string_value(json_object_get(result, "headline")));
    flags = json_object_get(result, "red_flags");
    json_array_foreach(flags, i, flag) {
        json_t *because = json_object_get(flag, "because");
        printf("   red flag %s, raised by %s\n",
               json_string_value(json_object_get(flag, "id")),
               json_string_value(json_array_get(because, 0)));
    }
    printf("   Most likely now: %s.\n   Whatever the scores, no ranking "
           "can lower the level a red flag sets.\n",
           json_string_value(json_object_get(
               json_array_get(json_object_get(result, "conditions"), 0),
               "name")));
    app_check_result_release(&res);
    json_decref(report);
    kb_free(kb);
    return RC_OK;
}

/* Write a follow-up of the diary's check, days after it, to path. */
static int write_follow_up(const struct app_diary *d, const struct kb *kb,
                           double days, bool on_track, const char *path,
                           double *at_s, struct rc_err *err)
{
    const struct app_diary_problem *p = &d->problems[d->nproblems - 1];
    const struct app_diary_entry *check = &d->entries[p->entries[0]];
    json_t *f = app_demo_follow_up(kb, check->report, check->created_s,
                                   p->run_end_s, days, on_track);
    int rc = f ? json_dump_file(f, path, JSON_INDENT(1)) : -1;
    json_decref(f);
    *at_s = check->created_s + days * 86400.0;
    return rc < 0 ? rc_fail(err, RC_EENV, "cannot write %s", path) : 0;
}

/* Steps 5 to 7: two follow-ups, the diary and its chart, the plan. */
static int demo_diary(struct cli_ctx *ctx, const char dir[3000])
{
    extern const struct cli_command cli_cmd_diary;
    extern const struct cli_command cli_cmd_plan;
    char f1[4096], f2[4096], svg[4096], at[32];
    char diary[] = "diary", add[] = "add", svg_opt[] = "--svg",
         plan[] = "plan", at_opt[] = "--at";
    struct rc_err err = RC_ERR_INIT;
    struct app_kb akb = { .triage = NULL };
    struct app_diary d;
    double t1, t2;
    int rc;

    snprintf(f1, sizeof(f1), "%s/follow-up-1.json", dir);
    snprintf(f2, sizeof(f2), "%s/follow-up-2.json", dir);
    snprintf(svg, sizeof(svg), "%s/pain.svg", dir);
    if (app_kb_open(NULL, &akb, &err) < 0)
        return cli_fail(&err);
    if (app_diary_read(&ctx->app, akb.triage, rc_now(), &d, &err) < 0) {
        app_kb_release(&akb);
        return cli_fail(&err);
    }
    rc = d.nproblems &&
                 write_follow_up(&d, akb.triage, DEMO_FIRST_FOLLOW_UP_DAYS,
                                 true, f1, &t1, &err) == 0 &&
                 write_follow_up(&d, akb.triage, DEMO_LAST_FOLLOW_UP_DAYS,
                                 false, f2, &t2, &err) == 0
             ? RC_OK
             : cli_fail(&err);
    app_diary_release(&d);
    app_kb_release(&akb);
    if (rc != RC_OK)
        return rc;
    printf("\n5. The pain diary: she checks in again\n\n"
           "   Two days later the aches are easing. 'runcare diary add' on "
           "a terminal asks\n   the safety questions again, then the pain "
           "score, its trend and any new sign;\n   her answers are in "
           "%s.\n\n",
           f1);
    {
        char *argv[] = { diary, add, f1, NULL };
        if ((rc = demo_command(ctx, &cli_cmd_diary, argv)) != RC_OK)
            return rc;
    }
    printf("\n   Two days after that her calves are worse, not better: "
           "%s.\n\n",
           f2);
    {
        char *argv[] = { diary, add, f2, NULL };
        if ((rc = demo_command(ctx, &cli_cmd_diary, argv)) != RC_OK)
            return rc;
    }
    printf("\n6. The diary: her reports against the expected course, and "
           "the chart\n\n");
    {
        char *argv[] = { diary, svg_opt, svg, NULL };
        if ((rc = demo_command(ctx, &cli_cmd_diary, argv)) != RC_OK)
            return rc;
    }
    printf("\n   The chart of pain over days, with the expected band "
           "shaded: %s\n", svg);
    printf("\n7. The plan now, an hour after her last check-in\n\n");
    rc_time_format(t2 + 3600, at);
    {
        char *argv[] = { plan, at_opt, at, NULL };
        rc = demo_command(ctx, &cli_cmd_plan, argv);
    }
    return rc;
}

static int run_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    char dir[3000]; /* room for the file names below it */
    char next[3300];
    /* the story ends now (see the top of this file) */
    double check_s = rc_now() - DEMO_LAST_FOLLOW_UP_DAYS * 86400.0 - 3600;
    double long_run_end_s = NAN;
    int rc;
    if (argc > 2)
        return cli_usage(argv[0], "too many arguments");
    if (argc == 2) {
        if (strlen(argv[1]) >= sizeof(dir))
            return cli_usage(argv[0], "the folder name is too long");
        snprintf(dir, sizeof(dir), "%s", argv[1]);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof(dir), "%s/runcare-demo.XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            struct rc_err err = RC_ERR_INIT;
            rc_fail(&err, RC_EENV, "cannot create %s: %s", dir,
                    strerror(errno));
            return cli_fail(&err);
        }
    }
    printf("runcare %s demo, in %s\n\n"
           "The demo athlete ran about 30 km a week for 13 weeks; then a "
           "week jumped\nto over 50 km, with a 21 km long run %d days ago. "
           "The next morning her legs\nached.\n\n",
           RC_VERSION, dir, DEMO_LAST_FOLLOW_UP_DAYS + 1);
    rc = demo_import(ctx, dir, check_s, &long_run_end_s);
    if (rc == RC_OK)
        rc = demo_load(ctx, dir);
    if (rc == RC_OK)
        rc = demo_check(ctx, dir, check_s, long_run_end_s);
    if (rc == RC_OK)
        rc = demo_diary(ctx, dir);
    if (rc != RC_OK)
        return rc;
    if (ctx->app.db)
        printf("\nNext, each with --db %s:\n", ctx->app.db);
    else
        printf("\nNext:\n");
    snprintf(next, sizeof(next),
             "'runcare list' (the log), 'runcare load --json', 'runcare "
             "check' on a terminal (the questionnaire), 'runcare diary', "
             "'runcare plan' (her plan now), 'runcare plan --ics plan.ics', "
             "'runcare help'. Everything is in %s.",
             dir);
    check_wrap(stdout, "", next);
    return RC_OK;
}

const struct cli_command cli_cmd_demo = {
    "demo",
    "[DIR]",
    "build a demo athlete (12+ weeks with a volume spike and a pain report) "
    "and show what runcare does",
    "Writes the demo athlete's files into DIR (default: a new folder under\n"
    "/tmp) and runs the main job on them, step by step.\n",
    run_demo,
};
