/* cmd_migrate.c - `runcare migrate --from A --to B`: move a runner's log
 * across stores, a SQLite file into a club's PostgreSQL (app_migrate). */
#include "base/base.h"
#include "cli/cli.h"

static int run_migrate(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },
        { NULL, 0, NULL, 0 },
    };
    struct rc_err err = RC_ERR_INIT;
    const char *from = NULL, *to = NULL;
    long rows = 0;
    int c;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'f')
            from = optarg;
        if (c == 't')
            to = optarg;
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (!from || !to)
        return cli_usage(argv[0], "give --from and --to");
    if (app_migrate(&ctx->app, from, to, &rows, &err) < 0)
        return cli_bad(argv[0], &err);
    printf("moved %ld rows of the log from %s to %s\n", rows, from, to);
    return RC_OK;
}

const struct cli_command cli_cmd_migrate = {
    "migrate",
    "--from A --to B",
    "move a runner's log across, e.g. a SQLite file into a club's PostgreSQL",
    "Copies every row of one athlete's log (activities, samples, shoes,\n"
    "sources, the import log, the diary and the history) from A to B with\n"
    "their ids, so that 'list', 'load' and 'diary' read the same after. A\n"
    "and B: sqlite:FILE (or a path) or postgresql://... The athlete is\n"
    "--athlete NAME, else the one A names; B gets it (and its role) when it\n"
    "lacks it, and must hold none of its log yet. B is written in one\n"
    "transaction: the copy is whole or absent. A is left as it is (an old\n"
    "file is upgraded first, as any command does).\n"
    "\n"
    "examples:\n"
    "  runcare --athlete ann migrate --from sqlite:ann.db \\\n"
    "      --to postgresql:///club\n",
    run_migrate,
};
