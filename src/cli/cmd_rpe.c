/* cmd_rpe.c - `runcare rpe`: rate a run afterwards (CR-10 effort, 0-10),
 * so that the load report can weigh a hard run above an easy one. */
#include "base/base.h"
#include "base/time.h"
#include "cli/cli.h"

static int run_rpe(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
    struct rc_err err = RC_ERR_INIT;
    struct store_activity sa;
    int64_t id = 0;
    double rpe;
    char day[16];
    int c;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1)
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
    if (argc - optind != 2)
        return cli_usage(argv[0], "give an activity (its number from "
                                  "'runcare list', or 'last') and an effort "
                                  "0-10");
    if (cli_parse_activity(argv[0], argv[optind], &id) < 0 ||
        cli_parse_rpe(argv[0], "effort ", argv[optind + 1], &rpe) < 0)
        return RC_EINPUT;
    if (app_rpe(&ctx->app, id, rpe, &sa, &err) < 0)
        return cli_bad(argv[0], &err);
    printf("activity %lld (%s %s", (long long)sa.id,
           activity_sport_label(sa.act.sport),
           activity_known(sa.act.start_s) ? rc_date_format(sa.local_day, day)
                                          : "undated");
    if (activity_known(sa.act.distance_m))
        printf(", %.2f km", sa.act.distance_m / 1000);
    printf("): RPE %g\n", rpe);
    if (sa.duplicate_of)
        printf("note: it is a second recording of activity %lld\n",
               (long long)sa.duplicate_of);
    return RC_OK;
}

const struct cli_command cli_cmd_rpe = {
    "rpe",
    "ACTIVITY N",
    "rate a run afterwards (CR-10 effort, 0-10)",
    "ACTIVITY is the number 'runcare list' shows, or 'last' for the newest.\n"
    "N is how hard the whole session felt on the CR-10 scale: 0 rest,\n"
    "1-2 very easy, 3-4 easy to moderate, 5-6 hard, 7-8 very hard, 9-10\n"
    "maximal. Half points are fine.\n"
    "\n"
    "examples:\n"
    "  runcare rpe 17 6\n"
    "  runcare rpe last 4.5\n",
    run_rpe,
};
