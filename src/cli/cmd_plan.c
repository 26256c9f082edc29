/* cmd_plan.c - `runcare plan`: the current recovery plan, at this hour. */
#include "base/base.h"
#include "cli/cli.h"

static int run_plan(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "a later issue: the recovery plan");
}

const struct cli_command cli_cmd_plan = {
    "plan",
    "[--json] [--at TIME]",
    "the current recovery plan, at this hour",
    "",
    run_plan,
};
