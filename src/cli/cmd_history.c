/* cmd_history.c - `runcare history`: every change to the log, newest
 * first: when, the command, what it changed (before -> after), and
 * whether it was undone. */
#include "base/base.h"
#include "cli/cli.h"
#include "cli/out.h"

static int run_history(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "limit", required_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    struct rc_err err = RC_ERR_INIT;
    struct store_batch *v;
    size_t n;
    long limit = 20;
    bool json = false;
    json_t *arr;
    int c;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        if (c == 'n' &&
            cli_parse_long(argv[0], "--limit", optarg, 0, 1000000, &limit) < 0)
            return RC_EINPUT;
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (app_history(&ctx->app, (size_t)limit, &v, &n, &err) < 0)
        return cli_bad(argv[0], &err);
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, app_batch_json(&v[i]));
    store_history_free(v, n);
    if (json) {
        out_json_line(stdout, arr);
    } else if (n == 0) {
        printf("no changes yet\n");
    } else {
        size_t i;
        json_t *b;
        json_array_foreach(arr, i, b) {
            printf("%4lld  %.16s  %s\n      ",
                   (long long)json_integer_value(json_object_get(b, "id")),
                   json_string_value(json_object_get(b, "at")),
                   json_string_value(json_object_get(b, "command"))[0]
                       ? json_string_value(json_object_get(b, "command"))
                       : "(a change)");
            out_batch_summary(stdout, b);
            if (json_is_integer(json_object_get(b, "undone_by")))
                printf(" [undone by %lld]",
                       (long long)json_integer_value(
                           json_object_get(b, "undone_by")));
            putchar('\n');
        }
    }
    json_decref(arr);
    return RC_OK;
}

const struct cli_command cli_cmd_history = {
    "history",
    "[--limit N] [--json]",
    "every change to the log, newest first",
    "Lists the changes to the log, newest first: when (UTC), the command,\n"
    "what it changed, and whether it was undone. Nothing is ever lost: a\n"
    "removed activity and every old value are here.\n"
    "\n"
    "options:\n"
    "  --limit N    the newest N changes (default 20; 0: all)\n"
    "  --json       a JSON array, one object per change, with each field's\n"
    "               [before, after]\n"
    "\n"
    "examples:\n"
    "  runcare history\n"
    "  runcare history --limit 0 --json\n",
    run_history,
};
