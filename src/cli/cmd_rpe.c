/* cmd_rpe.c - `runcare rpe`: rate a run afterwards (CR-10 effort, 0-10). */
#include "base/base.h"
#include "cli/cli.h"

static int run_rpe(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "issue 8: the training log");
}

const struct cli_command cli_cmd_rpe = {
    "rpe",
    "ACTIVITY N",
    "rate a run afterwards (CR-10 effort, 0-10)",
    "",
    run_rpe,
};
