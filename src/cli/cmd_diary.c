/* cmd_diary.c - `runcare diary`: pain reports over time and their course.
 *
 *     runcare diary [--json] [--svg FILE] [--kb DIR]
 *
 * Every check and follow-up (date, regions, score, trend, level), grouped
 * into problems, each problem's course against its expected one with the
 * diary's escalations, and when the next check-in is due. --json exports
 * the whole diary; --svg draws the latest problem. app_diary_read (app/)
 * reads it; this file prints it. `diary add` is cmd_diary_add.c. */
#include "base/base.h"
#include "base/time.h"
#include "cli/check_text.h"
#include "cli/cli.h"
#include "cli/diary.h"
#include "cli/out.h"

#define SVG_MAX_BYTES ((size_t)4 << 20)

static void regions(const json_t *report, char *out, size_t n)
{
    const json_t *e;
    size_t i, o = 0;
    out[0] = '\0';
    json_array_foreach(triage_get_field(report, "/location/regions"), i, e) {
        int k = snprintf(out + o, n - o, "%s%s", i ? ", " : "",
                         json_string_value(e));
        if (k < 0 || (size_t)k >= n - o)
            break;
        o += (size_t)k;
    }
}

static void print_problem(const struct app_diary *d, size_t pi)
{
    const struct app_diary_problem *p = &d->problems[pi];
    const struct triage_course *c = &p->course;
    const struct app_diary_entry *first = &d->entries[p->entries[0]],
                                 *last = &d->entries[p->entries[p->n - 1]];
    const char *trend = json_string_value(
        triage_get_field(last->report, "/pain/trend"));
    const json_t *ids = triage_course_sources(c), *e;
    size_t i;

    printf("\nProblem %zu (check %lld): %s, %.1f days after the run\n",
           pi + 1, (long long)first->id,
           c->condition_name ? c->condition_name : "no likely condition",
           c->days_since_run);
    if (triage_course_text(c)) {
        printf("  expected: %s (usually within %.0f days) [",
               triage_course_text(c), triage_course_usual_days(c));
        json_array_foreach(ids, i, e)
            printf("%s%s", i ? ", " : "", json_string_value(e));
        printf("]\n");
    }
    printf("  course: %d/10 at first, %d/10 now", first->score, last->score);
    if (trend)
        printf(", %s", trend);
    printf(", %zu report%s\n", p->n, p->n == 1 ? "" : "s");
    printf("  level: %s", check_level_words(c->level));
    if (c->level > last->level)
        printf(" (raised by the diary from %s)",
               check_level_words(last->level));
    printf("\n");
    if (c->nesc)
        cli_print_escalations(c);
    else if (p->n > 1)
        printf("  on track: nothing in the course calls for more than the "
               "plan\n");
}

static void print_diary(const void *x)
{
    const struct app_diary *d = x;
    char t[32], where[128];
    if (!d->n) {
        printf("The diary is empty: 'runcare check' saves your first "
               "report.\n");
        return;
    }
    printf("Pain diary\n");
    printf("  %-4s %-17s %-24s %-6s %-6s %s\n", "#", "date (UTC)",
           "regions", "score", "trend", "level");
    for (size_t i = 0; i < d->n; i++) {
        const struct app_diary_entry *e = &d->entries[i];
        const char *trend = json_string_value(
            triage_get_field(e->report, "/pain/trend"));
        char date[20];
        rc_time_format(e->created_s, t);
        snprintf(date, sizeof(date), "%.10s %.5s", t, t + 11);
        regions(e->report, where, sizeof(where));
        printf("  %-4lld %-17s %-24s %2d/10  %-6s %s", (long long)e->id, date,
               where, e->score, trend ? trend : "-",
               check_level_words(e->level));
        if (e->follows_id)
            printf("  (follows %lld)", (long long)e->follows_id);
        printf("\n");
    }
    for (size_t pi = 0; pi < d->nproblems; pi++)
        print_problem(d, pi);
    printf("\n");
    cli_print_check_in(d);
}

static int draw_svg(const void *d, struct rc_buf *out, struct rc_err *err)
{
    return app_diary_svg(d, out, err);
}

static json_t *to_json(const void *d)
{
    return app_diary_json(d);
}

static int run_show(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "svg", required_argument, NULL, 's' },
        { "kb", required_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    struct app_kb akb = { .triage = NULL };
    struct rc_err err = RC_ERR_INIT;
    struct app app = ctx->app;
    struct app_diary d;
    struct cli_show show = { NULL, "the chart", false, draw_svg, to_json,
                             print_diary };
    const char *svg = NULL, *kb_dir = NULL;
    bool json = false;
    int c, status = RC_OK;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        else if (c == 's')
            svg = optarg;
        else if (c == 'k')
            kb_dir = optarg;
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'; the diary's "
                                  "commands are add, edit and rm",
                         argv[optind]);
    if (svg && !strcmp(svg, "-") && json)
        return cli_usage(argv[0], "--json and --svg - both want stdout");
    if (app_kb_open(kb_dir, &akb, &err) < 0)
        return cli_fail(&err);
    app.rules = &akb.load;
    if (app_diary_read(&app, akb.triage, rc_now(), &d, &err) < 0) {
        app_kb_release(&akb);
        return cli_fail(&err);
    }
    show.file = svg;
    show.json = json;
    status = cli_show(&show, &d, SVG_MAX_BYTES);
    app_diary_release(&d);
    app_kb_release(&akb);
    return status;
}

static int run_diary(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "add"))
        return cli_diary_add(ctx, argc - 1, argv + 1);
    if (argc > 1 && (!strcmp(argv[1], "edit") || !strcmp(argv[1], "rm")))
        return cli_diary_change(ctx, argc - 1, argv + 1);
    return run_show(ctx, argc, argv);
}

void cli_check_in_note(const struct cli_ctx *ctx)
{
    struct app_kb akb = { .triage = NULL };
    struct rc_err err = RC_ERR_INIT;
    struct app_diary d;
    if (app_kb_open(NULL, &akb, &err) < 0)
        return;
    if (app_diary_read(&ctx->app, akb.triage, rc_now(), &d, &err) == 0) {
        if (d.due != APP_DUE_NONE) {
            fprintf(stderr, "\n");
            fflush(stderr);
            cli_print_check_in(&d);
            fflush(stdout);
        }
        app_diary_release(&d);
    }
    app_kb_release(&akb);
}

const struct cli_command cli_cmd_diary = {
    "diary",
    "[--json] [--svg FILE] | add [FILE|-] | edit ID FILE | rm ID",
    "pain reports over time and their course; 'diary add' for a follow-up",
    "Every check and follow-up (date, regions, pain score, trend, level),\n"
    "grouped into problems: a check and the follow-ups linked to it. Each\n"
    "problem's course is set against the expected course of its likely\n"
    "condition; the diary raises the level, with a reason and its sources,\n"
    "when recovery goes off course (worse after day 3, not easing past the\n"
    "usual window, a run over the plan's cap, a new red flag, the same place\n"
    "hurting again within months). It says when a check-in is due.\n"
    "\n"
    "options:\n"
    "  --json        the whole diary as one JSON object (every report and\n"
    "                result as kept, each problem's course, the runs)\n"
    "  --svg FILE    also write the chart of the latest problem (pain over\n"
    "                days, the expected band shaded, runs marked); - for\n"
    "                stdout instead of the text\n"
    "  --kb DIR      a knowledge base folder instead of the built-in one\n"
    "\n"
    "  add [FILE|-]  a follow-up of the latest check: on a terminal a short\n"
    "                questionnaire (the safety screen again, score, trend,\n"
    "                new signs), else a report JSON from FILE or stdin; it\n"
    "                is triaged again and linked to the check\n"
    "  edit ID FILE  correct report ID with the report in FILE\n"
    "  rm ID         delete report ID (kept in the store's history)\n"
    "\n"
    "examples:\n"
    "  runcare diary\n"
    "  runcare diary --svg pain.svg\n"
    "  runcare diary add\n"
    "  runcare diary --json\n",
    run_diary,
};
