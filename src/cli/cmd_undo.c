/* cmd_undo.c - `runcare undo`: take back the last change to the log (an
 * edit, an rm, a logged run, a whole import), from the history. */
#include "base/base.h"
#include "cli/cli.h"
#include "cli/out.h"

static int run_undo(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
    struct rc_err err = RC_ERR_INIT;
    struct store_batch b;
    json_t *j;
    int c, rc;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1)
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    rc = app_undo(&ctx->app, &b, &err);
    if (rc < 0)
        return cli_bad(argv[0], &err);
    if (rc == 0) {
        printf("nothing to undo\n");
        return RC_OK;
    }
    j = app_batch_json(&b);
    printf("undid '%s': ", b.command[0] ? b.command : "a change");
    out_batch_summary(stdout, j);
    putchar('\n');
    json_decref(j);
    store_batch_release(&b);
    return RC_OK;
}

const struct cli_command cli_cmd_undo = {
    "undo",
    "",
    "take back the last change to the log",
    "Takes back the newest change that stands: an edit, an rm, a logged\n"
    "run, a shoe added, a whole import. Run it again to take back the one\n"
    "before. The undo itself is kept in the history ('runcare history').\n"
    "\n"
    "examples:\n"
    "  runcare undo\n",
    run_undo,
};
