/* cmd_club.c - `runcare club`: this week's load warnings and next-run cap
 * of every athlete the connecting role may see, worst first: the coach's
 * "whose load jumped this week?" (app_club; the load guard of `runcare
 * load` for each athlete). */
#include "base/base.h"
#include "base/time.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "app/app_json.h"

static json_t *row_json(const struct app_club_row *r)
{
    char day[16], week[16];
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "athlete",
                     r->athlete, "as_of", rc_date_format(r->as_of_day, day),
                     "week_start", rc_date_format(r->week_day, week),
                     "week_km", app_json_num(r->week_km, 1), "next_run_cap_km",
                     isnan(r->cap_km) ? json_null() : app_json_num(r->cap_km, 1),
                     "warnings", load_warnings_json(r->warnings,
                                                    r->nwarnings));
}

static void row_text(const struct app_club_row *r)
{
    char cap[32];
    if (isnan(r->cap_km))
        snprintf(cap, sizeof(cap), "-");
    else
        snprintf(cap, sizeof(cap), "%.1f km", r->cap_km);
    printf("  %-20s %8.1f %9zu  %12s\n", r->athlete, r->week_km,
           r->nwarnings, cap);
    for (size_t i = 0; i < r->nwarnings; i++) {
        char day[16];
        /* in the kb's few words ("run +38% over the month's longest"),
         * as under the load chart: a coach reads a table, not ids */
        printf("      ! %s  %s\n", rc_date_format(r->warnings[i].day, day),
               r->warnings[i].chart);
    }
}

static int run_club(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "as-of", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 },
    };
    struct rc_err err = RC_ERR_INIT;
    struct app_club club;
    long as_of = LONG_MIN;
    bool json = false;
    int c;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        if (c == 'a' && cli_parse_date(argv[0], "--as-of", optarg, &as_of) < 0)
            return RC_EINPUT;
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (app_club(&ctx->app, as_of, &club, &err) < 0)
        return cli_bad(argv[0], &err);
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < club.n; i++)
            json_array_append_new(a, row_json(&club.rows[i]));
        json_t *j = json_pack("{s:o}", "athletes", a);
        out_json_line(stdout, j);
        json_decref(j);
    } else if (club.n == 0) {
        printf("no athletes this role may see\n");
    } else {
        size_t warned = 0;
        for (size_t i = 0; i < club.n; i++)
            warned += club.rows[i].nwarnings > 0;
        printf("%zu athletes, %zu with warnings this week (worst first)\n\n",
               club.n, warned);
        printf("  %-20s %8s %9s  %12s\n", "athlete", "week km", "warnings",
               "next run cap");
        for (size_t i = 0; i < club.n; i++)
            row_text(&club.rows[i]);
    }
    app_club_release(&club);
    return RC_OK;
}

const struct cli_command cli_cmd_club = {
    "club",
    "[--json] [--as-of D]",
    "this week's load warnings and next-run caps of every athlete, worst first",
    "For every athlete the connecting role may see (all of them for the\n"
    "club's owner, one's own for an athlete, the granted ones for a coach):\n"
    "the km run this week (from Monday), this week's load warnings and the\n"
    "next-run cap, as 'runcare load' gives them. Worst first: more\n"
    "warnings, then the one furthest over its threshold.\n"
    "\n"
    "  --json         one object: {\"athletes\": [...]}\n"
    "  --as-of D      as of day D (YYYY-MM-DD) instead of each athlete's "
    "today\n"
    "\n"
    "examples:\n"
    "  runcare --db postgresql:///club club\n"
    "  runcare --db postgresql:///club club --json\n",
    run_club,
};
