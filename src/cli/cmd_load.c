/* cmd_load.c - `runcare load`: the load guard on the runner's own log:
 * the last weeks with their jumps, the warnings with their evidence, and
 * how far is safe next (text, --json, or the --svg chart).
 *
 * Data flow: app_load (the log read, the report built by load/) -> here,
 * the only part that prints. */
#include <unistd.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "cli/cli.h"
#include "cli/out.h"

#define LOAD_WEEKS_DEFAULT 12
#define SVG_MAX_BYTES ((size_t)16 << 20)
#define WRAP_COLUMNS 78

/* Print text wrapped at WRAP_COLUMNS, every line indented by indent. */
static void wrap(const char *text, int indent)
{
    const char *p = text;
    while (*p) {
        int width = WRAP_COLUMNS - indent, len = 0, cut = 0;
        while (p[len] && p[len] != '\n' && len < width) {
            if (p[len] == ' ')
                cut = len;
            len++;
        }
        if (p[len] && p[len] != '\n' && cut > 0)
            len = cut; /* break at the last space that fits */
        printf("%*s%.*s\n", indent, "", len, p);
        p += len;
        while (*p == ' ' || *p == '\n')
            p++;
    }
}

static void print_sources(char *out, size_t n, const struct load_sources *s)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < s->n && used < n; i++) {
        int k = snprintf(out + used, n - used, "%s%s", i ? ", " : "",
                         s->ids[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

static void print_weeks(const struct load_report *r)
{
    char date[16];
    bool any_jump = false;

    printf("  week of        km  runs  longest  change\n");
    for (size_t i = 0; i < r->nweeks; i++) {
        const struct load_week *w = &r->weeks[i];
        printf("  %s %7.1f %5d %8.1f", rc_date_format(w->start_day, date),
               w->km, w->runs, w->longest_km);
        if (isfinite(w->change_pct))
            printf("  %+5.0f%%", w->change_pct);
        else
            printf("        ");
        if (w->jump)
            printf("  << jump");
        if (w->partial)
            printf("  (so far)");
        putchar('\n');
        any_jump |= w->jump;
    }
    if (any_jump)
        wrap(r->weekly_legend, 2);
}

static void print_numbers(const struct load_report *r)
{
    char date[16];

    printf("Last 7 days %.1f km, the 7 before %.1f km", r->last7_km,
           r->prev7_km);
    if (isfinite(r->weekly_change_pct))
        printf(" (%+.0f%%)", r->weekly_change_pct);
    printf(".\n");
    if (r->longest_run_30d_km > 0)
        printf("Longest run of the last 30 days: %.1f km on %s.\n",
               r->longest_run_30d_km,
               rc_date_format(r->longest_run_30d_day, date));
    printf("Acute:chronic ratio, uncoupled (7 days / mean week of the 21 "
           "before): ");
    if (isfinite(r->acwr_uncoupled))
        printf("%.2f;\n  coupled 7:28 (as Garmin and Polar show it): %.2f. "
               "Context only: its value\n  for predicting injury is "
               "disputed.\n",
               r->acwr_uncoupled, r->acwr_coupled);
    else
        printf("not yet\n  (it needs 4 weeks of log with running in the "
               "3 weeks before the last 7 days).\n");
    printf("Fitness %.1f km/day (%.0f km/week), fatigue %.1f km/day, form "
           "%+.1f;\n  ramp %+.1f km/day over 7 days (42- and 7-day "
           "exponentially weighted km).\n",
           r->fitness_km, 7 * r->fitness_km, r->fatigue_km, r->form_km,
           r->ramp_km);
    if (isfinite(r->monotony))
        printf("Monotony %.2f, strain %.0f (Foster, on the km of the last 7 "
               "days).\n",
               r->monotony, r->strain);
}

static void print_text(const struct load_report *r)
{
    char date[16], src[256];
    bool past = false;

    printf("Load as of %s, last %zu week%s (weeks start on Monday)\n\n",
           rc_date_format(r->as_of_day, date), r->nweeks,
           r->nweeks == 1 ? "" : "s");
    print_weeks(r);
    putchar('\n');
    print_numbers(r);
    putchar('\n');
    if (r->nwarnings == 0) {
        printf("No warnings in these weeks.\n");
    } else {
        printf("Warnings (%zu)\n", r->nwarnings);
        for (size_t i = 0; i < r->nwarnings; i++) {
            const struct load_warning *w = &r->warnings[i];
            print_sources(src, sizeof(src), &w->src);
            printf("  ! %s  %s  %s\n", rc_date_format(w->day, date),
                   load_warning_name(w->id), w->figure);
            wrap(w->text, 4);
            printf("    [%s]\n", src);
        }
    }
    putchar('\n');
    if (r->cap.rule == LOAD_CAP_NONE) {
        printf("Next run: no cap without runs in the log.\n");
    } else {
        printf("Next run: at most %.1f km\n", r->cap.km);
        wrap(r->cap.reason, 2);
        printf("Next 7 days:\n");
        wrap(r->cap.week_text, 2);
        print_sources(src, sizeof(src), &r->caveat_src);
        wrap(r->caveat, 2);
        printf("  [%s]\n", src);
    }
    for (size_t i = 0; i < r->nshoes; i++) {
        const struct load_shoe_status *s = &r->shoes[i];
        if (!s->past_limit)
            continue;
        if (!past)
            printf("\nShoes past the limit you set\n");
        past = true;
        printf("  %s: %.0f km of %.0f km\n", s->shoe.name, s->shoe.used_km,
               s->shoe.limit_km);
    }
    printf("\nruncare informs; it does not replace a clinician.\n");
}

static void print_no_runs(FILE *f, const struct app_load *l, long as_of)
{
    char date[16];
    if (l->nactivities == 0)
        fprintf(f, "No runs in your log yet.");
    else
        fprintf(f, "No runs on or before %s.", rc_date_format(as_of, date));
    fprintf(f, " Add some with:\n"
               "  runcare import FILE|FOLDER|export.zip   "
               "(FIT, GPX, TCX; Strava and Garmin exports)\n"
               "  runcare log --date 2024-06-01 --distance 8km "
               "--duration 45:00\n");
}

static int run_load(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "as-of", required_argument, NULL, 'a' },
        { "weeks", required_argument, NULL, 'w' },
        { "json", no_argument, NULL, 'j' },
        { "svg", required_argument, NULL, 's' },
        { "new-runner", no_argument, NULL, 'n' },
        { "kb", required_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    const char *as_of_text = NULL, *svg_path = NULL, *kb_dir = NULL;
    struct app_kb kb = { .triage = NULL };
    struct app app = ctx->app;
    struct app_load_opts o = { LONG_MIN, LOAD_WEEKS_DEFAULT, false };
    bool json = false;
    long weeks = LOAD_WEEKS_DEFAULT;
    struct app_load l;
    const struct load_report *r = &l.report;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf svg;
    int c, status = RC_OK;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR:
            return RC_EUSAGE;
        case 'a':
            as_of_text = optarg;
            break;
        case 'w':
            if (cli_parse_long(argv[0], "--weeks", optarg, 1, LOAD_WEEKS_MAX,
                               &weeks) < 0)
                return RC_EINPUT;
            break;
        case 'j':
            json = true;
            break;
        case 's':
            svg_path = optarg;
            break;
        case 'n':
            o.new_runner = true;
            break;
        case 'k':
            kb_dir = optarg;
            break;
        }
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (as_of_text &&
        cli_parse_date(argv[0], "--as-of", as_of_text, &o.as_of_day) < 0)
        return RC_EINPUT;
    if (svg_path && !strcmp(svg_path, "-") && json)
        return cli_usage(argv[0], "--json and --svg - both want stdout");

    o.weeks = (int)weeks;
    if (kb_dir) {
        if (app_kb_open(kb_dir, &kb, &err) < 0)
            return cli_fail(&err);
        app.rules = &kb.load;
    }
    if (app_load(&app, &o, &l, &err) < 0) {
        app_kb_release(&kb);
        return cli_fail(&err);
    }
    rc_buf_init(&svg, SVG_MAX_BYTES);
    if (svg_path && (load_svg(r, &svg, &err) < 0 ||
                     cli_write_file(svg_path, &svg, "the chart", &err) < 0)) {
        status = cli_fail(&err);
        goto done;
    }
    if (json) {
        json_t *j = load_report_json(r);
        out_json_line(stdout, j);
        json_decref(j);
        if (r->nruns == 0)
            print_no_runs(stderr, &l, r->as_of_day);
    } else if (r->nruns == 0) {
        print_no_runs(svg_path && !strcmp(svg_path, "-") ? stderr : stdout,
                      &l, r->as_of_day);
    } else if (!svg_path || strcmp(svg_path, "-")) {
        print_text(r);
    }
    if (fflush(stdout) != 0) {
        rc_fail(&err, RC_EENV, "cannot write the output: %s",
                strerror(errno));
        status = cli_fail(&err);
    }
done:
    rc_buf_release(&svg);
    app_load_release(&l);
    app_kb_release(&kb);
    return status;
}

const struct cli_command cli_cmd_load = {
    "load",
    "[--as-of D] [--weeks N] [--json] [--svg FILE] [--new-runner] [--kb DIR]",
    "load report: weekly volume, warnings and how far is safe next",
    "From the runs in your log: the last weeks (Monday first) with their\n"
    "jumps marked, the warnings that matter for leg pain (a run much longer\n"
    "than your longest of the month before, a weekly jump, a return after a\n"
    "break, the acute:chronic ratio as context), each with its evidence,\n"
    "and how far you can safely run next, with the rule behind the number.\n"
    "\n"
    "options:\n"
    "  --as-of D      the report as of date D (YYYY-MM-DD); default today\n"
    "  --weeks N      weeks shown, 1-520 (default 12)\n"
    "  --json         the report as one JSON object\n"
    "  --svg FILE     also write the weekly chart (SVG) to FILE; - for\n"
    "                 stdout instead of the text\n"
    "  --new-runner   you started running with the first run of the log:\n"
    "                 check the first week (novice_fast_start)\n"
    "  --kb DIR       the rules of DIR/load_guard.jsonl (a knowledge base\n"
    "                 folder, as check --kb) instead of the built-in ones\n"
    "\n"
    "examples:\n"
    "  runcare load\n"
    "  runcare load --as-of 2024-06-01 --weeks 8 --svg load.svg\n"
    "  runcare load --json\n",
    run_load,
};
