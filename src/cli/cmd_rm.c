/* cmd_rm.c - `runcare rm`: remove activities from the log. Nothing is
 * lost: they stay in the database, out of every list, total and shoe,
 * and 'runcare undo' brings them back. */
#include "base/base.h"
#include "cli/cli.h"

static int run_rm(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
    struct rc_err err = RC_ERR_INIT;
    int64_t *ids;
    size_t n;
    int c, status = RC_OK;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1)
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
    if (optind >= argc)
        return cli_usage(argv[0], "give the activities to remove (their "
                                  "numbers from 'runcare list')");
    n = (size_t)(argc - optind);
    ids = calloc(n, sizeof(*ids));
    if (!ids) {
        rc_fail(&err, RC_EENV, "out of memory");
        return cli_fail(&err);
    }
    for (size_t i = 0; i < n && status == RC_OK; i++)
        if (cli_parse_activity(argv[0], argv[optind + (int)i], &ids[i]) < 0)
            status = RC_EINPUT;
        else if (ids[i] == 0)
            status = cli_badf(argv[0], "give the activity's number, not "
                                       "'last'");
    if (status == RC_OK && app_rm(&ctx->app, ids, n, &err) < 0)
        status = cli_bad(argv[0], &err);
    if (status == RC_OK)
        printf("removed %zu activit%s; 'runcare undo' brings %s back\n", n,
               n == 1 ? "y" : "ies", n == 1 ? "it" : "them");
    free(ids);
    return status;
}

const struct cli_command cli_cmd_rm = {
    "rm",
    "ACTIVITY...",
    "remove activities (undo brings them back)",
    "ACTIVITY is a number 'runcare list' shows. All are removed, or none\n"
    "when one is not in the log. A removed activity leaves the lists, the\n"
    "load report and its shoe's km, but stays in the database: 'runcare\n"
    "undo' brings it back, and importing its file again does not (unless\n"
    "'runcare import --restore').\n"
    "\n"
    "examples:\n"
    "  runcare rm 17\n"
    "  runcare rm 17 18 19\n",
    run_rm,
};
