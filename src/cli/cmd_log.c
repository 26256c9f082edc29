/* cmd_log.c - `runcare log`: log a run without a file. */
#include "base/base.h"
#include "cli/cli.h"

static int run_log(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "issue 8: the training log");
}

const struct cli_command cli_cmd_log = {
    "log",
    "--date D --distance 8km --duration 45:00 [--rpe N] [--shoe NAME] [--sport S]",
    "log a run without a file",
    "",
    run_log,
};
