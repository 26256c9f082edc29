/* cmd_log.c - `runcare log`: a run without a file (a treadmill run, a
 * forgotten watch) goes into the log like any other, with its date,
 * distance, duration and optionally RPE, shoe and sport. */
#include "base/base.h"
#include "base/time.h"
#include "base/units.h"
#include "cli/cli.h"
#include "cli/out.h"

static int run_log(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "date", required_argument, NULL, 'd' },
        { "distance", required_argument, NULL, 'k' },
        { "duration", required_argument, NULL, 't' },
        { "rpe", required_argument, NULL, 'r' },
        { "shoe", required_argument, NULL, 's' },
        { "sport", required_argument, NULL, 'p' },
        { "name", required_argument, NULL, 'n' },
        { "force", no_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    const char *date = NULL, *dist = NULL, *dur = NULL, *rpe_text = NULL;
    struct rc_err err = RC_ERR_INIT;
    struct app_run run = { .rpe = NAN, .shoe = NULL, .sport = "running",
                           .name = "" };
    struct app_list l;
    char t[24], pace[16];
    int c;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR: return RC_EUSAGE;
        case 'd': date = optarg; break;
        case 'k': dist = optarg; break;
        case 't': dur = optarg; break;
        case 'r': rpe_text = optarg; break;
        case 's': run.shoe = optarg; break;
        case 'p': run.sport = optarg; break;
        case 'n': run.name = optarg; break;
        case 'f': run.force = true; break;
        default: break;
        }
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (!date || !dist || !dur)
        return cli_usage(argv[0], "--date, --distance and --duration are "
                                  "needed");
    if (cli_parse_date(argv[0], "--date", date, &run.day) < 0)
        return RC_EINPUT;
    if (rc_parse_distance(dist, &run.distance_m, &err) < 0 ||
        rc_parse_duration(dur, &run.duration_s, &err) < 0)
        return cli_bad(argv[0], &err);
    if (rpe_text && cli_parse_rpe(argv[0], "--rpe ", rpe_text, &run.rpe) < 0)
        return RC_EINPUT;
    if (app_log_run(&ctx->app, &run, &l, &err) < 0)
        return cli_refused(argv[0], &err);
    printf("logged activity %lld: %s %s, %.2f km in %s",
           (long long)l.acts[0].id, activity_sport_label(l.acts[0].act.sport),
           date, run.distance_m / 1000, rc_format_duration(run.duration_s, t));
    if (!strcmp(l.acts[0].act.sport, "running"))
        printf(", pace %s/km",
               rc_format_pace(run.duration_s, run.distance_m, pace));
    if (!isnan(l.acts[0].rpe))
        printf(", RPE %g", l.acts[0].rpe);
    if (l.acts[0].shoe[0])
        printf(", shoe %s", l.acts[0].shoe);
    putchar('\n');
    fflush(stdout);
    out_shoe_warnings(stderr, l.shoes, l.nshoes);
    app_list_release(&l);
    return RC_OK;
}

const struct cli_command cli_cmd_log = {
    "log",
    "--date D --distance 8km --duration 45:00 [--rpe N] [--shoe NAME] "
    "[--sport S] [--name T] [--force]",
    "log a run without a file",
    "Adds an activity that has no file: a treadmill run, a run with a\n"
    "forgotten watch. It counts in the load report like any other.\n"
    "\n"
    "options:\n"
    "  --date D         the day, YYYY-MM-DD (not in the future)\n"
    "  --distance 8km   km (a bare number), mi or m: 8, 8km, 5mi, 800m\n"
    "  --duration T     45:00, 1:02:03, 45m, 1h30m, 2700s (a bare number is\n"
    "                   minutes); a run's pace must be 2:20-30:00 per km\n"
    "  --rpe N          how hard it felt, 0-10 (CR-10)\n"
    "  --shoe NAME      count it to this shoe (else the default shoe)\n"
    "  --sport S        running (default; also run, jog), cycling (ride,\n"
    "                   bike), walking (walk), hiking (hike), swimming ...\n"
    "  --name TEXT      a title\n"
    "  --force          keep a run that cannot be right: longer than 24 h,\n"
    "                   over 250 km of running in a day, or faster than the\n"
    "                   world record for its distance\n"
    "\n"
    "The date must be from 1990 on and not after today in the runner's\n"
    "time zone (that of the log's latest run with one).\n"
    "\n"
    "examples:\n"
    "  runcare log --date 2024-05-01 --distance 8km --duration 45:00\n"
    "  runcare log --date 2024-05-02 --distance 5mi --duration 42m --rpe 6\n",
    run_log,
};
