/* cmd_list.c - `runcare list`: list the stored activities. */
#include "base/base.h"
#include "cli/cli.h"

static int run_list(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "issue 8: the training log");
}

const struct cli_command cli_cmd_list = {
    "list",
    "[--since D] [--until D] [--sport S] [--json]",
    "list the stored activities",
    "",
    run_list,
};
