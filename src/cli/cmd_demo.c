/* cmd_demo.c - `runcare demo`: the main job on a demo athlete, end to end,
 * on data runcare makes itself. Each capability adds its step here, so the
 * demo always shows the whole product working. */
#include "base/base.h"
#include "cli/cli.h"

static int run_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc > 2)
        return cli_usage(argv[0], "too many arguments");
    printf("runcare %s demo\n\n", RC_VERSION);
    printf("What runcare can do today:\n\n");
    cli_print_usage(stdout);
    return RC_OK;
}

const struct cli_command cli_cmd_demo = {
    "demo",
    "[DIR]",
    "build a demo athlete (12+ weeks with a volume spike and a pain report) "
    "and show what runcare does",
    "Writes the demo athlete's files into DIR (default: a new folder under\n"
    "/tmp) and runs the main job on them, step by step.\n",
    run_demo,
};
