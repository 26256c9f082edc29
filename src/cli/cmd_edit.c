/* cmd_edit.c - `runcare edit`: correct one activity (distance, duration,
 * date, sport, shoe, name, RPE) with the same checks as a new run; the
 * change is kept in the history, so 'runcare undo' takes it back. */
#include "base/base.h"
#include "base/time.h"
#include "base/units.h"
#include "cli/cli.h"
#include "cli/out.h"

static int run_edit(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "distance", required_argument, NULL, 'k' },
        { "duration", required_argument, NULL, 't' },
        { "date", required_argument, NULL, 'd' },
        { "sport", required_argument, NULL, 'p' },
        { "shoe", required_argument, NULL, 's' },
        { "no-shoe", no_argument, NULL, 'S' },
        { "name", required_argument, NULL, 'n' },
        { "rpe", required_argument, NULL, 'r' },
        { "no-rpe", no_argument, NULL, 'R' },
        { "force", no_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    struct app_edit e = { NAN, NAN, LONG_MIN, NULL, NULL, NULL, NAN, false };
    struct rc_err err = RC_ERR_INIT;
    struct store_activity sa;
    int64_t id;
    bool any = false;
    int c;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        any = true;
        switch (c) {
        case CLI_OPT_ERROR: return RC_EUSAGE;
        case 'k':
            if (rc_parse_distance(optarg, &e.distance_m, &err) < 0)
                return cli_bad(argv[0], &err);
            break;
        case 't':
            if (rc_parse_duration(optarg, &e.duration_s, &err) < 0)
                return cli_bad(argv[0], &err);
            break;
        case 'd':
            if (cli_parse_date(argv[0], "--date", optarg, &e.day) < 0)
                return RC_EINPUT;
            break;
        case 'p': e.sport = optarg; break;
        case 's': e.shoe = optarg; break;
        case 'S': e.shoe = ""; break;
        case 'n': e.name = optarg; break;
        case 'r':
            if (cli_parse_rpe(argv[0], "--rpe ", optarg, &e.rpe) < 0)
                return RC_EINPUT;
            break;
        case 'R': e.rpe = -1; break;
        case 'f': any = e.force = true; break;
        default: break;
        }
    }
    if (argc - optind != 1)
        return cli_usage(argv[0], "give one activity (its number from "
                                  "'runcare list')");
    if (!any)
        return cli_usage(argv[0], "say what to change (--distance, "
                                  "--duration, --date, --sport, --shoe, "
                                  "--name, --rpe)");
    if (cli_parse_activity(argv[0], argv[optind], &id) < 0)
        return RC_EINPUT;
    if (id == 0) {
        err.status = RC_EINPUT;
        snprintf(err.msg, sizeof(err.msg), "give the activity's number");
        return cli_bad(argv[0], &err);
    }
    if (app_edit(&ctx->app, id, &e, &sa, &err) < 0)
        return cli_refused(argv[0], &err);
    printf("edited activity %lld: ", (long long)sa.id);
    out_stored_activity_text(stdout, &sa);
    printf("; 'runcare undo' takes it back\n");
    return RC_OK;
}

const struct cli_command cli_cmd_edit = {
    "edit",
    "ACTIVITY [--distance D] [--duration T] [--date D] [--sport S] "
    "[--shoe NAME] [--name T] [--rpe N] [--force]",
    "correct an activity",
    "ACTIVITY is the number 'runcare list' shows. Only what you give\n"
    "changes; the result is checked as 'runcare log' checks a new run, and\n"
    "the old values stay in the history ('runcare history', 'runcare\n"
    "undo').\n"
    "\n"
    "options:\n"
    "  --distance D     8km, 5mi, 800m (a bare number is km)\n"
    "  --duration T     45:00, 1:02:03, 90min (its moving time)\n"
    "  --date D         move it to this day (YYYY-MM-DD), same time of day\n"
    "  --sport S        running (run, jog), cycling (ride, bike), walking ...\n"
    "  --shoe NAME      count it to this shoe; --no-shoe to none\n"
    "  --name TEXT      its title\n"
    "  --rpe N          how hard it felt, 0-10; --no-rpe: not rated\n"
    "  --force          keep a result that cannot be right (see 'log')\n"
    "\n"
    "examples:\n"
    "  runcare edit 17 --distance 8km --duration 45:00\n"
    "  runcare edit 17 --sport walk\n",
    run_edit,
};
