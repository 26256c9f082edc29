/* cmd_serve.c - `runcare serve`: local web page and JSON API (127.0.0.1:8080 by default). */
#include "base/base.h"
#include "cli/cli.h"

static int run_serve(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    return cli_not_implemented(argv[0], "a later issue: the web page");
}

const struct cli_command cli_cmd_serve = {
    "serve",
    "[--listen ADDR:PORT]",
    "local web page and JSON API (127.0.0.1:8080 by default)",
    "",
    run_serve,
};
