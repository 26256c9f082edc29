/* cmd_check.c - `runcare check`: leg-pain check: a questionnaire on a terminal, else a report JSON from FILE or stdin. */
#include "base/base.h"
#include "cli/cli.h"

static int run_check(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "issue 7: the leg-pain check");
}

const struct cli_command cli_cmd_check = {
    "check",
    "[--json] [--no-save] [FILE|-]",
    "leg-pain check: a questionnaire on a terminal, else a report JSON from FILE or stdin",
    "",
    run_check,
};
