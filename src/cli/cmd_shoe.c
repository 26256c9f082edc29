/* cmd_shoe.c - `runcare shoe`: shoes, their km and their limit. */
#include "base/base.h"
#include "cli/cli.h"

static int run_shoe(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "issue 8: the training log");
}

const struct cli_command cli_cmd_shoe = {
    "shoe",
    "add|list|retire|default",
    "shoes, their km and their limit",
    "",
    run_shoe,
};
