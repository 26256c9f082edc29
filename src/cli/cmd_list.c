/* cmd_list.c - `runcare list`: the stored activities (app_list), oldest
 * first, as a table (date, sport, km, time, pace, HR, shoe, name) or as
 * JSON. Warns on stderr about shoes past their limit. A log not made yet
 * lists nothing and is not made. */
#include "base/base.h"
#include "base/time.h"
#include "base/units.h"
#include "cli/cli.h"
#include "cli/out.h"

/* The session load of a rated activity: RPE times minutes (Foster's
 * session RPE, the load report's sRPE); NAN when not rated. */
static double session_load(const struct store_activity *sa)
{
    const struct activity *a = &sa->act;
    double t = activity_known(a->timer_s)    ? a->timer_s
               : activity_known(a->moving_s) ? a->moving_s
                                             : a->elapsed_s;
    return isnan(sa->rpe) || !activity_known(t) ? NAN : sa->rpe * t / 60;
}

/* The totals by sport under the table: running apart from riding. */
static void print_sport_totals(const struct store_activity *v, size_t n)
{
    const char *sports[16];
    double km[16] = { 0 }, time_s[16] = { 0 };
    long count[16] = { 0 };
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        const struct activity *a = &v[i].act;
        double t = out_pace_time(a, NULL);
        size_t j;
        for (j = 0; j < ns && strcmp(sports[j], a->sport); j++)
            ;
        if (j == ns) {
            if (ns == RC_ARRAY_SIZE(sports))
                continue;
            sports[ns++] = a->sport;
        }
        count[j]++;
        if (activity_known(a->distance_m))
            km[j] += a->distance_m / 1000;
        if (activity_known(t))
            time_s[j] += t;
    }
    if (ns < 2)
        return;
    for (size_t j = 0; j < ns; j++) {
        char t[24];
        printf("  %-8s %4ld, %8.1f km in %s\n", activity_sport_label(sports[j]),
               count[j], km[j], rc_format_duration(time_s[j], t));
    }
}

static void print_table(const struct store_activity *v, size_t n)
{
    double km = 0;
    printf("%6s  %-10s  %-8s %7s %8s %6s %4s %4s %5s  %-14s %s\n", "id",
           "date", "sport", "km", "time", "pace", "HR", "RPE", "load", "shoe",
           "name");
    for (size_t i = 0; i < n; i++) {
        const struct activity *a = &v[i].act;
        char day[16], t[24], pace[16], hr[16], rpe[16], load[16];
        /* the time the pace is computed from: moving, else the timer */
        double time_s = out_pace_time(a, NULL);
        snprintf(hr, sizeof(hr), "%.0f", a->avg_hr_bpm);
        snprintf(rpe, sizeof(rpe), "%g", v[i].rpe);
        snprintf(load, sizeof(load), "%.0f", session_load(&v[i]));
        printf("%6lld  %-10s  %-8.8s %7.2f %8s %6s %4s %4s %5s  %-14.14s %s\n",
               (long long)v[i].id,
               activity_known(a->start_s) ? rc_date_format(v[i].local_day, day)
                                          : "-",
               activity_sport_label(a->sport),
               activity_known(a->distance_m) ? a->distance_m / 1000 : 0.0,
               activity_known(time_s) ? rc_format_duration(time_s, t) : "-",
               activity_known(a->distance_m) && activity_known(time_s) &&
                       time_s > 0
                   ? rc_format_pace(time_s, a->distance_m, pace) : "-",
               activity_known(a->avg_hr_bpm) ? hr : "-",
               isnan(v[i].rpe) ? "-" : rpe,
               isnan(session_load(&v[i])) ? "-" : load,
               v[i].shoe[0] ? v[i].shoe : "-", a->name);
        if (activity_known(a->distance_m))
            km += a->distance_m / 1000;
    }
    printf("%zu activit%s, %.1f km\n", n, n == 1 ? "y" : "ies", km);
    print_sport_totals(v, n);
}

static int run_list(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "since", required_argument, NULL, 's' },
        { "until", required_argument, NULL, 'u' },
        { "sport", required_argument, NULL, 'p' },
        { "json", no_argument, NULL, 'j' },
        { "all", no_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 },
    };
    struct rc_err err = RC_ERR_INIT;
    struct store_filter f;
    struct app_list l;
    bool json = false;
    int c;

    store_filter_init(&f);
    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR: return RC_EUSAGE;
        case 's':
            if (cli_parse_date(argv[0], "--since", optarg, &f.since_day) < 0)
                return RC_EINPUT;
            break;
        case 'u':
            if (cli_parse_date(argv[0], "--until", optarg, &f.until_day) < 0)
                return RC_EINPUT;
            break;
        case 'p':
            if (app_sport(optarg, &f.sport, &err) < 0)
                return cli_refused(argv[0], &err);
            break;
        case 'j': json = true; break;
        case 'a': f.duplicates = true; break;
        default: break;
        }
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (f.since_day > f.until_day)
        return cli_badf(argv[0], "--since is after --until");
    if (app_list(&ctx->app, &f, &l, &err) < 0)
        return cli_fail(&err);
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(arr, app_stored_activity_json(&l.acts[i]));
        out_json_line(stdout, arr);
        json_decref(arr);
    } else if (l.n == 0) {
        printf("no activities%s; add some with 'runcare import' or "
               "'runcare log'\n",
               f.since_day != LONG_MIN || f.until_day != LONG_MAX || f.sport
                   ? " match" : " in the log");
    } else {
        print_table(l.acts, l.n);
    }
    if (fflush(stdout) != 0) {
        app_list_release(&l);
        rc_fail(&err, RC_EENV, "cannot write the output: %s",
                strerror(errno));
        return cli_fail(&err);
    }
    out_shoe_warnings(stderr, l.shoes, l.nshoes);
    app_list_release(&l);
    return RC_OK;
}

const struct cli_command cli_cmd_list = {
    "list",
    "[--since D] [--until D] [--sport S] [--json]",
    "list the stored activities",
    "Lists the activities in the log, oldest first: number, local date,\n"
    "sport, km, time (the moving time when known: the pace is computed\n"
    "from it), pace, average heart rate, RPE, load (RPE x minutes, the\n"
    "session RPE), shoe and name; then the totals, and the totals of each\n"
    "sport when there are several. A run recorded twice (watch and phone)\n"
    "is listed once.\n"
    "\n"
    "options:\n"
    "  --since D    from this local date on (YYYY-MM-DD)\n"
    "  --until D    up to and including this date\n"
    "  --sport S    only this sport: running (run, jog), cycling (ride,\n"
    "               bike), walking (walk), hiking (hike) ...\n"
    "  --all        also the second recordings of a run\n"
    "  --json       a JSON array, one object per activity\n"
    "\n"
    "examples:\n"
    "  runcare list --since 2024-01-01 --sport running\n"
    "  runcare list --json > activities.json\n",
    run_list,
};
