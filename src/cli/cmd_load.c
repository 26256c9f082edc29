/* cmd_load.c - `runcare load`: load report: weekly volume, warnings and how far is safe next. */
#include "base/base.h"
#include "cli/cli.h"

static int run_load(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "issue 6: the load guard");
}

const struct cli_command cli_cmd_load = {
    "load",
    "[--as-of D] [--weeks N] [--json] [--svg FILE]",
    "load report: weekly volume, warnings and how far is safe next",
    "",
    run_load,
};
