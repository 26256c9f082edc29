/* cmd_import.c - `runcare import`: import files, folders, .gz and .zip (Strava and Garmin exports) into the log. */
#include "base/base.h"
#include "cli/cli.h"

static int run_import(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "issue 8: the training log");
}

const struct cli_command cli_cmd_import = {
    "import",
    "[--salvage] PATH...",
    "import files, folders, .gz and .zip (Strava and Garmin exports) into the log",
    "",
    run_import,
};
