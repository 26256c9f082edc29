/* cmd_diary.c - `runcare diary`: pain reports over time and their course; 'diary add' for a follow-up. */
#include "base/base.h"
#include "cli/cli.h"

static int run_diary(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "a later issue: the pain diary");
}

const struct cli_command cli_cmd_diary = {
    "diary",
    "[--json] [--svg FILE]",
    "pain reports over time and their course; 'diary add' for a follow-up",
    "",
    run_diary,
};
