/* cmd_serve.c - `runcare serve`: the local web page and its JSON API
 * (http/), on 127.0.0.1:8080 unless --listen says otherwise, until Ctrl-C
 * or SIGTERM. */
#include "base/base.h"
#include "cli/cli.h"
#include "http/http.h"

static int run_serve(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "open", no_argument, NULL, 'o' },
        { "kb", required_argument, NULL, 'k' },
        { "max-upload", required_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 },
    };
    struct http_opts o = { .app = ctx->app, .listen = NULL };
    struct rc_err err = RC_ERR_INIT;
    struct app_kb kb = { .triage = NULL };
    const char *kb_dir = NULL;
    char addr[64];
    long mb;
    int c, port, rc;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR: return RC_EUSAGE;
        case 'l': o.listen = optarg; break;
        case 'o': o.open = true; break;
        case 'k': kb_dir = optarg; break;
        case 'm':
            if (cli_parse_long(argv[0], "--max-upload", optarg, 1,
                               HTTP_UPLOAD_MAX >> 20, &mb) < 0)
                return RC_EUSAGE;
            o.upload_max = (long long)mb << 20;
            break;
        default: break;
        }
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (http_parse_listen(o.listen, addr, sizeof(addr), &port, &err) < 0)
        return cli_usage(argv[0], "%s", err.msg);
    if (app_kb_open(kb_dir, &kb, &err) < 0)
        return cli_fail(&err);
    o.kb = kb.triage;
    o.app.rules = &kb.load;
    rc = http_serve(&o, &err);
    app_kb_release(&kb);
    return rc < 0 ? cli_fail(&err) : RC_OK;
}

const struct cli_command cli_cmd_serve = {
    "serve",
    "[--listen ADDR:PORT] [--open] [--max-upload MB] [--kb DIR]",
    "local web page and JSON API (127.0.0.1:8080 by default)",
    "Serves the web page (dashboard with the load chart, activities, import,\n"
    "the leg-pain check) and its JSON API under /api/ until Ctrl-C or\n"
    "SIGTERM; requests in flight finish first. Only this machine can reach\n"
    "it unless --listen names another address (then a warning: the page\n"
    "holds your health data). An upload (a file or an export zip) is\n"
    "streamed to a temporary file and refused past 2048 MB; other request\n"
    "bodies past 1 MB.\n"
    "\n"
    "options:\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080); port 0\n"
    "                      picks a free one and prints it\n"
    "  --open              open the page in your browser (xdg-open)\n"
    "  --max-upload MB     refuse uploads over MB megabytes (default 2048)\n"
    "  --kb DIR            the knowledge base in DIR instead of the built-in\n"
    "\n"
    "exit status: 0 after Ctrl-C or SIGTERM, 2 for a bad --listen, 3 when\n"
    "the address is in use or cannot be bound.\n"
    "\n"
    "examples:\n"
    "  runcare serve --open\n"
    "  runcare serve --listen 127.0.0.1:0\n",
    run_serve,
};
