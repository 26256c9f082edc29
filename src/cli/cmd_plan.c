/* cmd_plan.c - `runcare plan`: the current recovery plan, at this hour.
 *
 *     runcare plan [--json] [--at TIME] [--ics FILE] [--kb DIR]
 *
 * The plan of the latest check (or its latest follow-up) on the clock
 * that starts when the run that caused the pain ended: what applies now,
 * what comes next and when, each action with its why and sources, the
 * return to running capped by the load guard, the runs logged since
 * against the plan, escalations from the diary and the next check-in.
 * app_plan (app/) makes it; this file prints it, in the words and at the
 * width of the check's text answer (check_text.h). */
#include "base/base.h"
#include "base/time.h"
#include "cli/check_text.h"
#include "cli/cli.h"
#include "cli/out.h"

#define ICS_MAX_BYTES ((size_t)4 << 20)

/* "2026-12-06 08:00 UTC" */
static const char *when(double t, char out[40])
{
    struct rc_civil c;
    if (!isfinite(t))
        return "-";
    rc_civil_from_time(t, &c);
    snprintf(out, 40, "%04d-%02d-%02d %02d:%02d UTC", c.year, c.month, c.day,
             c.hour, c.minute);
    return out;
}

/* "42 h" or "3.5 days" */
static const char *span(double hours, char out[32])
{
    if (fabs(hours) <= 48)
        snprintf(out, 32, "%.0f h", hours);
    else
        snprintf(out, 32, "%.1f days", hours / 24);
    return out;
}

/* "    sources: a, b", wrapped */
static void print_sources(const json_t *ids)
{
    char buf[600];
    size_t o = 0;
    const json_t *e;
    size_t i;
    buf[0] = '\0';
    json_array_foreach(ids, i, e)
        rc_snappend(buf, sizeof(buf), &o, "%s%s", i ? ", " : "",
                    json_string_value(e));
    check_wrap(stdout, "    sources: ", buf);
}

/* An action's kind as a runner reads it: "avoid" must say so, or
 * "Running, and heat" reads as an instruction. */
static const char *kind_words(const char *kind)
{
    static const char *const k[][2] = { { "do", "Do" },
                                        { "avoid", "Avoid" },
                                        { "monitor", "Watch for" },
                                        { "seek_care", "Get care" } };
    for (size_t i = 0; kind && i < RC_ARRAY_SIZE(k); i++)
        if (!strcmp(kind, k[i][0]))
            return k[i][1];
    return kind ? kind : "Do";
}

static void print_step(const struct app_plan_step *s)
{
    const json_t *a;
    size_t i;
    json_array_foreach(json_object_get(s->step, "actions"), i, a) {
        const char *why = json_string_value(json_object_get(a, "why"));
        char buf[1400];
        snprintf(buf, sizeof(buf), "%s: %s",
                 kind_words(json_string_value(json_object_get(a, "kind"))),
                 json_string_value(json_object_get(a, "text")));
        check_wrap(stdout, "  - ", buf);
        if (why)
            check_wrap(stdout, "    why: ", why);
        print_sources(json_object_get(a, "source_ids"));
    }
}

void cli_print_escalations(const struct triage_course *c)
{
    for (size_t i = 0; i < c->nesc; i++) {
        char buf[900];
        snprintf(buf, sizeof(buf), "%s (%s)", c->esc[i].reason,
                 check_level_words(c->esc[i].level));
        check_wrap(stdout, "  ! ", buf);
        print_sources(c->esc[i].source_ids);
    }
}

void cli_print_check_in(const struct app_diary *d)
{
    char t[40], s[32];
    if (d->due == APP_DUE_LATER)
        printf("Next check-in: %s (in %s): runcare diary add\n",
               when(d->due_s, t), span((d->due_s - d->now_s) / 3600, s));
    else if (d->due == APP_DUE_OVERDUE)
        printf("Check-in overdue since %s (%s ago): runcare diary add\n",
               when(d->due_s, t), span((d->now_s - d->due_s) / 3600, s));
}

static void print_runs(const struct app_plan *p)
{
    char day[16], buf[600];
    if (!p->nruns)
        return;
    printf("\nRuns since the pain began:\n");
    for (size_t i = 0; i < p->nruns; i++) {
        const struct app_plan_run *r = &p->runs[i];
        size_t o = 0;
        rc_snappend(buf, sizeof(buf), &o, "%s  %.1f km", rc_date_format(r->day, day),
            r->km);
        if (isfinite(r->pace_s_per_km))
            rc_snappend(buf, sizeof(buf), &o, ", %d:%02d/km",
                (int)r->pace_s_per_km / 60, (int)r->pace_s_per_km % 60);
        if (isfinite(r->pace_s_per_km) && isfinite(r->usual_pace_s_per_km) &&
            r->pace_s_per_km < r->usual_pace_s_per_km)
            rc_snappend(buf, sizeof(buf), &o,
                " (faster than your usual %d:%02d/km: distance before speed)",
                (int)r->usual_pace_s_per_km / 60,
                (int)r->usual_pace_s_per_km % 60);
        if (r->over_cap)
            rc_snappend(buf, sizeof(buf), &o, "; over the plan's %.1f km", p->cap_km);
        if (r->too_soon)
            rc_snappend(buf, sizeof(buf), &o,
                "; before the plan allowed running again");
        if (r->pain_after >= 0 && r->pain_before >= 0)
            rc_snappend(buf, sizeof(buf), &o, "; pain after %d/10 (before %d/10)",
                r->pain_after, r->pain_before);
        check_wrap(stdout, "  ", buf);
    }
    printf("  %s\n", p->within ? "These runs stayed within the plan."
                               : "Not within the plan: see above.");
}

static void print_plan(const void *x)
{
    const struct app_plan *p = x;
    const struct app_diary_problem *pr = &p->diary.problems[p->problem];
    const json_t *ret = triage_get_field(p->result,
                                         "/plan/return_to_running");
    const char *first = json_string_value(json_object_get(ret,
                                                          "first_session"));
    const char *rule = json_string_value(json_object_get(ret,
                                                         "progression_rule"));
    const char *summary = json_string_value(triage_get_field(p->result,
                                                             "/plan/summary"));
    const char *disclaimer = json_string_value(
        triage_get_field(p->result, "/disclaimer"));
    char t[40], s[32], buf[1400];
    size_t o = 0;
    bool any = false;

    snprintf(buf, sizeof(buf), "Recovery plan, %s after the run that ended %s",
             span(p->hours, s), when(p->run_end_s, t));
    check_wrap(stdout, "", buf);
    if (p->at_s < p->made_s) {
        snprintf(buf, sizeof(buf),
                 "(This hour is before the check of %s: the plan begins "
                 "then.)",
                 when(p->made_s, t));
        check_wrap(stdout, "", buf);
    }
    rc_snappend(buf, sizeof(buf), &o, "Level: %s",
        check_level_words(pr->course.level));
    if (pr->course.level > triage_result_level(p->result))
        rc_snappend(buf, sizeof(buf), &o, " (raised by the diary from %s)",
            check_level_words(triage_result_level(p->result)));
    check_wrap(stdout, "", buf);
    cli_print_escalations(&pr->course);
    if (summary)
        check_wrap(stdout, "", summary);
    for (size_t i = 0; i < p->nsteps; i++) {
        if (!p->steps[i].now)
            continue;
        snprintf(buf, sizeof(buf), "Now (%s, until %s):", p->steps[i].label,
                 isfinite(p->steps[i].to_s) ? when(p->steps[i].to_s, t)
                                            : "told otherwise");
        printf("\n");
        check_wrap(stdout, "", buf);
        print_step(&p->steps[i]);
        any = true;
    }
    if (!any)
        printf("\nNow: no step of the plan applies at this hour.\n");
    if (p->next >= 0) {
        const struct app_plan_step *n = &p->steps[p->next];
        char from[40];
        snprintf(buf, sizeof(buf), "Next (%s), from %s (in %s):", n->label,
                 when(n->from_s, from),
                 span((n->from_s - p->at_s) / 3600, s));
        printf("\n");
        check_wrap(stdout, "", buf);
        print_step(n);
    }
    if (isfinite(p->cap_km) || first) {
        o = 0;
        rc_snappend(buf, sizeof(buf), &o, "Return to running:");
        if (isfinite(p->return_from_s))
            rc_snappend(buf, sizeof(buf), &o, " not before %s;",
                when(p->return_from_s, t));
        if (first)
            rc_snappend(buf, sizeof(buf), &o, " %s;", first);
        if (isfinite(p->cap_km))
            rc_snappend(buf, sizeof(buf), &o,
                " no run over %.1f km (the load guard's cap from your log)",
                p->cap_km);
        printf("\n");
        check_wrap(stdout, "", buf);
        if (rule)
            check_wrap(stdout, "  ", rule);
    }
    print_runs(p);
    printf("\n");
    cli_print_check_in(&p->diary);
    if (disclaimer) {
        printf("\n");
        check_wrap(stdout, "", disclaimer);
    }
}

static int draw_ics(const void *p, struct rc_buf *out, struct rc_err *err)
{
    return app_plan_ics(p, out, err);
}

static json_t *to_json(const void *p)
{
    return app_plan_json(p);
}

static int run_plan(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "at", required_argument, NULL, 'a' },
        { "ics", required_argument, NULL, 'i' },
        { "kb", required_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    struct app_kb akb = { .triage = NULL };
    struct rc_err err = RC_ERR_INIT;
    struct app app = ctx->app;
    struct app_plan p;
    struct cli_show show = { NULL, "the calendar", false, draw_ics, to_json,
                             print_plan };
    const char *ics = NULL, *kb_dir = NULL;
    double at_s = rc_now();
    bool json = false;
    int c, status = RC_OK;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        else if (c == 'i')
            ics = optarg;
        else if (c == 'k')
            kb_dir = optarg;
        else if (c == 'a' && rc_time_parse(optarg, &at_s, NULL, NULL) < 0)
            return cli_badf(argv[0], "--at '%s' is not a time "
                                     "(YYYY-MM-DDTHH:MM[:SS]Z)",
                            optarg);
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (ics && !strcmp(ics, "-") && json)
        return cli_usage(argv[0], "--json and --ics - both want stdout");
    if (app_kb_open(kb_dir, &akb, &err) < 0)
        return cli_fail(&err);
    app.rules = &akb.load;
    if (app_plan(&app, akb.triage, at_s, &p, &err) < 0) {
        app_kb_release(&akb);
        return cli_fail(&err);
    }
    show.file = ics;
    show.json = json;
    status = cli_show(&show, &p, ICS_MAX_BYTES);
    app_plan_release(&p);
    app_kb_release(&akb);
    return status;
}

const struct cli_command cli_cmd_plan = {
    "plan",
    "[--json] [--at TIME] [--ics FILE] [--kb DIR]",
    "the current recovery plan, at this hour",
    "The plan of your latest check (or its latest follow-up), counted from\n"
    "the end of the run that caused the pain: what to do now, what comes\n"
    "next and when, each action with why and its sources; the return to\n"
    "running, its first runs capped by the load guard from your own log;\n"
    "whether the runs you logged since stayed within the plan; what the\n"
    "diary escalated, and when to check in next.\n"
    "\n"
    "options:\n"
    "  --json        the plan as one JSON object\n"
    "  --at TIME     the plan at TIME (2026-12-06T08:00Z) instead of now\n"
    "  --ics FILE    also write the steps and the check-in as an iCalendar\n"
    "                file (- for stdout instead of the text); importing it\n"
    "                again updates the same events\n"
    "  --kb DIR      a knowledge base folder instead of the built-in one\n"
    "\n"
    "examples:\n"
    "  runcare plan\n"
    "  runcare plan --at 2026-12-06T08:00Z\n"
    "  runcare plan --ics plan.ics\n",
    run_plan,
};
