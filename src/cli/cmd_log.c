/* cmd_log.c - `runcare log`: a run without a file (a treadmill run, a
 * forgotten watch) goes into the log like any other, with its date,
 * distance, duration and optionally RPE, shoe and sport. */
#include "base/base.h"
#include "base/time.h"
#include "base/units.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "store/store.h"

/* A logged run's pace must lie between these: faster than 2:20/km is
 * faster than any human runs 5 km or more (the 5,000 m world record is
 * about 2:31/km), slower than 30:00/km is standing still. Other sports
 * are only checked for a distance and duration above zero. */
#define LOG_RUN_PACE_MIN_S_PER_KM 140.0
#define LOG_RUN_PACE_MAX_S_PER_KM 1800.0

static int log_fail(struct rc_err *err, const char *fmt, const char *arg)
{
    rc_fail(err, RC_EINPUT, fmt, arg);
    return cli_fail(err);
}

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
        { NULL, 0, NULL, 0 },
    };
    const char *date = NULL, *dist = NULL, *dur = NULL, *rpe_text = NULL;
    const char *shoe = NULL, *sport = "running", *name = "";
    struct rc_err err = RC_ERR_INIT;
    struct store *s;
    struct store_shoe sh = { 0 };
    struct activity a;
    double distance_m, duration_s, rpe = NAN;
    long day;
    int64_t id;
    int c;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR: return RC_EUSAGE;
        case 'd': date = optarg; break;
        case 'k': dist = optarg; break;
        case 't': dur = optarg; break;
        case 'r': rpe_text = optarg; break;
        case 's': shoe = optarg; break;
        case 'p': sport = optarg; break;
        case 'n': name = optarg; break;
        default: break;
        }
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (!date || !dist || !dur)
        return cli_usage(argv[0], "--date, --distance and --duration are "
                                  "needed");
    if (rc_date_parse(date, &day) < 0)
        return log_fail(&err, "--date '%s' is not a date (YYYY-MM-DD)", date);
    if ((double)day * 86400 > rc_now() + 86400)
        return log_fail(&err, "--date %s is in the future", date);
    if (rc_parse_distance(dist, &distance_m, &err) < 0 ||
        rc_parse_duration(dur, &duration_s, &err) < 0)
        return cli_fail(&err);
    if (rpe_text) {
        char *end;
        rpe = strtod(rpe_text, &end);
        if (end == rpe_text || *end || !(rpe >= 0 && rpe <= 10))
            return log_fail(&err, "--rpe '%s' is not an effort from 0 to 10 "
                                  "(CR-10)", rpe_text);
    }
    if (!sport[0] || strlen(sport) >= sizeof(a.sport))
        return log_fail(&err, "--sport '%s' is not a sport", sport);
    if (!strcmp(sport, "running")) {
        double pace = duration_s / (distance_m / 1000);
        char p[16];
        if (pace < LOG_RUN_PACE_MIN_S_PER_KM || pace > LOG_RUN_PACE_MAX_S_PER_KM) {
            rc_format_pace(duration_s, distance_m, p);
            rc_fail(&err, RC_EINPUT,
                    "a pace of %s/km is not a run (2:20-30:00/km); check "
                    "--distance and --duration, or give --sport",
                    p);
            return cli_fail(&err);
        }
    }

    s = cli_store_open(ctx, &err);
    if (!s)
        return cli_fail(&err);
    if (shoe && store_shoe_get(s, shoe, &sh, &err) < 0)
        goto fail;
    activity_init(&a);
    snprintf(a.sport, sizeof(a.sport), "%s", sport);
    snprintf(a.sub_sport, sizeof(a.sub_sport), "generic");
    snprintf(a.name, sizeof(a.name), "%s", name);
    /* noon of the day, in an unknown zone: the local day is the date */
    a.start_s = (double)day * 86400 + 12 * 3600;
    a.elapsed_s = a.timer_s = a.moving_s = duration_s;
    a.distance_m = distance_m;
    if (store_begin(s, &err) < 0)
        goto fail;
    if (store_add_activity(s, &a, 0, &id, &err) < 0 ||
        (!isnan(rpe) && store_set_rpe(s, id, rpe, &err) < 0) ||
        (shoe && store_set_shoe(s, id, sh.id, &err) < 0) ||
        store_commit(s, &err) < 0) {
        store_rollback(s);
        goto fail;
    }
    {
        struct store_activity sa;
        char t[24], pace[16];
        struct store_shoe *shoes;
        size_t n;
        if (store_get_activity(s, id, &sa, NULL, &err) < 0)
            goto fail;
        printf("logged activity %lld: %s %s, %.2f km in %s", (long long)id,
               activity_sport_label(sa.act.sport), date, distance_m / 1000,
               rc_format_duration(duration_s, t));
        if (!strcmp(sport, "running"))
            printf(", pace %s/km", rc_format_pace(duration_s, distance_m,
                                                  pace));
        if (!isnan(sa.rpe))
            printf(", RPE %g", sa.rpe);
        if (sa.shoe[0])
            printf(", shoe %s", sa.shoe);
        putchar('\n');
        if (store_shoe_list(s, &shoes, &n, &err) < 0)
            goto fail;
        fflush(stdout);
        out_shoe_warnings(stderr, shoes, n);
        free(shoes);
    }
    store_close(s);
    return RC_OK;
fail:
    store_close(s);
    return cli_fail(&err);
}

const struct cli_command cli_cmd_log = {
    "log",
    "--date D --distance 8km --duration 45:00 [--rpe N] [--shoe NAME] "
    "[--sport S]",
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
    "  --sport S        running (default), walking, cycling, hiking ...\n"
    "  --name TEXT      a title\n"
    "\n"
    "examples:\n"
    "  runcare log --date 2024-05-01 --distance 8km --duration 45:00\n"
    "  runcare log --date 2024-05-02 --distance 5mi --duration 42m --rpe 6\n",
    run_log,
};
