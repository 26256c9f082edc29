/* cmd_diary_add.c - `runcare diary add`, `diary edit` and `diary rm`. */
#include "base/base.h"
#include "cli/diary.h"

int cli_diary_add(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented("diary add", "the next commit of issue 14");
    (void)argv;
}

int cli_diary_change(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "a later commit of issue 14");
}
