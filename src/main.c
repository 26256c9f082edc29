/* main.c - runcare's entry point: global options, command lookup, exit code.
 *
 *     runcare [--db PATH] [--athlete NAME] COMMAND [ARGS]
 *
 * The only exit of the program is the return from main(); commands return
 * their status (0 ok, 1 bad input, 2 usage, 3 environment). */
#include <unistd.h>

#include "base/base.h"
#include "cli/cli.h"
#include "cli/diary.h"

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "runcare: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "; see 'runcare --help'\n");
    return RC_EUSAGE;
}

/* `runcare help [COMMAND]` */
static int help(int argc, char **argv)
{
    const struct cli_command *c;
    if (argc < 2) {
        cli_print_usage(stdout);
        return RC_OK;
    }
    /* what `make` builds the man page and the completion from */
    if (!strcmp(argv[1], "--man")) {
        cli_print_man(stdout);
        return RC_OK;
    }
    if (!strcmp(argv[1], "--bash-completion")) {
        cli_print_bash_completion(stdout);
        return RC_OK;
    }
    c = cli_find(argv[1]);
    if (!c) {
        const struct cli_command *near = cli_suggest(argv[1]);
        if (near) {
            fprintf(stderr,
                    "runcare: help: unknown command '%s'; did you mean "
                    "'%s'?\n",
                    argv[1], near->name);
            return RC_EUSAGE;
        }
        return usage_error("help: unknown command '%s'", argv[1]);
    }
    cli_print_help(stdout, c);
    return RC_OK;
}

/* Does the command line ask for this command's help (before any "--")? */
static bool wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            return false;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return true;
    }
    return false;
}

/* The command as the history keeps it: its words, quoted when they have
 * a blank ("shoe add \"Pegasus 40\" --default"), cut at the size. */
static void command_text(int argc, char **argv, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < argc && used + 1 < n; i++) {
        bool quote = strpbrk(argv[i], " \t") != NULL || !argv[i][0];
        int k = snprintf(out + used, n - used, "%s%s%s%s", i ? " " : "",
                         quote ? "\"" : "", argv[i], quote ? "\"" : "");
        if (k < 0)
            break;
        used = (size_t)k < n - used ? used + (size_t)k : n - 1;
    }
}

int main(int argc, char **argv)
{
    char command[256];
    struct cli_ctx ctx;
    const struct cli_command *cmd;
    int i;

    memset(&ctx, 0, sizeof(ctx));
    ctx.stdin_tty = isatty(STDIN_FILENO);
    ctx.stdout_tty = isatty(STDOUT_FILENO);
    ctx.stderr_tty = isatty(STDERR_FILENO);

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            cli_print_usage(stdout);
            return RC_OK;
        }
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("runcare %s\n", RC_VERSION);
            return RC_OK;
        }
        if (!strcmp(a, "--db")) {
            if (i + 1 >= argc || !argv[i + 1][0])
                return usage_error("option '%s' needs a value", a);
            ctx.app.db = argv[++i];
        } else if (!strncmp(a, "--db=", 5)) {
            if (!a[5])
                return usage_error("option '%s' needs a value", "--db");
            ctx.app.db = a + 5;
        } else if (!strcmp(a, "--athlete")) {
            if (i + 1 >= argc || !argv[i + 1][0])
                return usage_error("option '%s' needs a value", a);
            ctx.app.athlete = argv[++i];
        } else if (!strncmp(a, "--athlete=", 10)) {
            if (!a[10])
                return usage_error("option '%s' needs a value", "--athlete");
            ctx.app.athlete = a + 10;
        } else {
            return usage_error("unknown option '%s'", a);
        }
    }
    if (i >= argc) {
        cli_print_usage(stderr);
        cli_check_in_note(&ctx);
        return RC_EUSAGE;
    }
    if (!strcmp(argv[i], "help"))
        return help(argc - i, argv + i);

    cmd = cli_find(argv[i]);
    if (!cmd) {
        const struct cli_command *near = cli_suggest(argv[i]);
        if (near) {
            fprintf(stderr,
                    "runcare: unknown command '%s'; did you mean '%s'?\n",
                    argv[i], near->name);
            return RC_EUSAGE;
        }
        return usage_error("unknown command '%s'", argv[i]);
    }
    if (wants_help(argc - i, argv + i)) {
        cli_print_help(stdout, cmd);
        return RC_OK;
    }
    command_text(argc - i, argv + i, command, sizeof(command));
    ctx.app.command = command;
    return cmd->run(&ctx, argc - i, argv + i);
}
