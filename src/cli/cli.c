/* cli.c - command lookup, messages and option parsing shared by every
 * subcommand (see cli.h). */
#include <unistd.h>

#include "base/base.h"
#include "base/time.h"
#include "cli/cli.h"
#include "cli/out.h"

const struct cli_command *cli_find(const char *name)
{
    for (size_t i = 0; cli_commands[i]; i++)
        if (!strcmp(cli_commands[i]->name, name))
            return cli_commands[i];
    return NULL;
}

/* Edit distance from what was typed (a) to a command name (b), weighted
 * for typing mistakes: a missing letter costs 1, a wrong letter 2, an extra
 * letter 3, two swapped letters 0. So "lod" is nearer "load" (a missing
 * letter) than "log" (a wrong one). Names are short: a fixed table is
 * enough. */
static int typo_distance(const char *a, const char *b)
{
    enum { MAXLEN = 32, SWAP = 0, SUBST = 2, INSERT = 1, DELETE = 3 };
    int d[MAXLEN + 1][MAXLEN + 1];
    size_t la = strlen(a), lb = strlen(b);

    if (la > MAXLEN || lb > MAXLEN)
        return INT_MAX;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i * DELETE;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j * INSERT;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : SUBST);
            if (d[i - 1][j] + DELETE < best)
                best = d[i - 1][j] + DELETE;
            if (d[i][j - 1] + INSERT < best)
                best = d[i][j - 1] + INSERT;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + SWAP < best)
                best = d[i - 2][j - 2] + SWAP;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const struct cli_command *cli_suggest(const char *name)
{
    const struct cli_command *best = NULL;
    int best_d = 4; /* suggest only within 3: two slips at most */

    for (size_t i = 0; cli_commands[i]; i++) {
        int dist = typo_distance(name, cli_commands[i]->name);
        if (dist < best_d) {
            best_d = dist;
            best = cli_commands[i];
        }
    }
    return best;
}

int cli_fail(const struct rc_err *err)
{
    char text[1024];
    fflush(stdout);
    fprintf(stderr, "runcare: %s\n", rc_err_format(err, text, sizeof(text)));
    return err->status == RC_OK ? RC_EINPUT : (int)err->status;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "runcare: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; see 'runcare help %s'\n", cmd);
    return RC_EUSAGE;
}

int cli_bad(const char *cmd, const struct rc_err *err)
{
    char text[1024];
    if (err->status != RC_EINPUT)
        return cli_fail(err);
    fflush(stdout);
    fprintf(stderr, "runcare: %s: %s; see 'runcare help %s'\n", cmd,
            rc_err_format(err, text, sizeof(text)), cmd);
    return RC_EINPUT;
}

int cli_badf(const char *cmd, const char *fmt, ...)
{
    struct rc_err err = RC_ERR_INIT;
    va_list ap;
    err.status = RC_EINPUT;
    va_start(ap, fmt);
    vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
    va_end(ap);
    return cli_bad(cmd, &err);
}

void cli_err_option(struct rc_err *err, const char *field, const char *opt)
{
    char msg[2 * sizeof(err->msg)];
    size_t n;
    if (strcmp(err->field, field))
        return;
    snprintf(msg, sizeof(msg), "%s %s", opt, err->msg);
    n = strlen(msg);
    if (n >= sizeof(err->msg))
        n = sizeof(err->msg) - 1;
    memcpy(err->msg, msg, n);
    err->msg[n] = '\0';
    err->field[0] = '\0';
}

int cli_refused(const char *cmd, const struct rc_err *err)
{
    static const struct {
        const char *field, *before, *after;
    } words[] = {
        { "date", "--date ", "" },
        { "sport", "--sport ", "" },
        { "shoe", "--shoe: ", "" },
        { "pace", "", "; check --distance and --duration, give --sport, or add "
                      "--force to keep it" },
        { "force", "", "; check --distance and --duration, or add --force "
                       "to keep it" },
    };
    struct rc_err e = *err;
    for (size_t i = 0; i < RC_ARRAY_SIZE(words); i++)
        if (!strcmp(err->field, words[i].field)) {
            e.field[0] = '\0';
            snprintf(e.msg, sizeof(e.msg), "%s%s%s", words[i].before,
                     err->msg, words[i].after);
        }
    return cli_bad(cmd, &e);
}

int cli_parse_rpe(const char *cmd, const char *opt, const char *text,
                  double *rpe)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || !(v >= 0 && v <= 10)) {
        cli_badf(cmd, "%s'%s' is not an effort from 0 to 10 (CR-10)", opt,
                 text);
        return -1;
    }
    *rpe = v;
    return 0;
}

int cli_parse_activity(const char *cmd, const char *text, int64_t *id)
{
    char *end;
    long long v;
    if (!strcmp(text, "last")) {
        *id = 0;
        return 0;
    }
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v <= 0) {
        cli_badf(cmd, "activity '%s' is not a number from 'runcare list' "
                      "nor 'last'", text);
        return -1;
    }
    *id = v;
    return 0;
}

int cli_parse_date(const char *cmd, const char *opt, const char *text,
                   long *day)
{
    if (rc_date_parse(text, day) < 0) {
        cli_badf(cmd, "%s '%s' is not a date (YYYY-MM-DD)", opt, text);
        return -1;
    }
    return 0;
}

static char **last_argv;

void cli_getopt_reset(void)
{
    last_argv = NULL;
}

int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts)
{
    char opts[64];
    int c;

    if (argv != last_argv) {
        last_argv = argv;
        optind = 0; /* glibc: full reset of getopt's state */
    }
    /* ':' first: report a missing value as ':' rather than '?' */
    snprintf(opts, sizeof(opts), ":%s", shortopts);
    opterr = 0;
    c = getopt_long(argc, argv, opts, longopts, NULL);
    if (c == '?' || c == ':') {
        /* glibc leaves optind past a bad long option, and optopt 0 */
        const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
        bool is_long = !optopt || !strncmp(arg, "--", 2);
        int len = (int)strcspn(arg, "=");
        if (c == '?' && is_long)
            cli_usage(argv[0], "unknown option '%.*s'", len, arg);
        else if (c == '?')
            cli_usage(argv[0], "unknown option '-%c'", optopt);
        else if (is_long)
            cli_usage(argv[0], "option '%.*s' needs a value", len, arg);
        else
            cli_usage(argv[0], "option '-%c' needs a value", optopt);
        return CLI_OPT_ERROR;
    }
    return c;
}

int cli_parse_long(const char *cmd, const char *opt, const char *text,
                   long min, long max, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max) {
        cli_badf(cmd, "%s '%s' is not a whole number in %ld-%ld", opt, text,
                 min, max);
        return -1;
    }
    *out = v;
    return 0;
}

void cli_print_help(FILE *f, const struct cli_command *c)
{
    fprintf(f, "usage: runcare [--db PATH] %s%s%s\n\n%s.\n", c->name,
            c->args[0] ? " " : "", c->args, c->summary);
    if (c->help && c->help[0])
        fprintf(f, "\n%s", c->help);
}

/* Print text from column `col` (the cursor is already there), wrapped
 * at 79 columns, continuing lines indented to col. */
static void print_wrapped(FILE *f, const char *text, int col)
{
    int x = col;
    while (*text) {
        int w = (int)strcspn(text, " ");
        if (x > col && x + 1 + w > 79) {
            fprintf(f, "\n%*s", col, "");
            x = col;
        } else if (x > col) {
            fputc(' ', f);
            x++;
        }
        fprintf(f, "%.*s", w, text);
        x += w;
        text += w;
        while (*text == ' ')
            text++;
    }
    fputc('\n', f);
}

void cli_print_usage(FILE *f)
{
    fprintf(f,
            "usage: runcare [--db PATH] [--athlete NAME] COMMAND [ARGS]\n\n"
            "runcare answers \"why do my legs ache after running, and what "
            "should I do?\"\nwith your own training log. It informs; it does "
            "not replace a clinician.\n\ncommands:\n");
    for (size_t i = 0; cli_commands[i]; i++) {
        const struct cli_command *c = cli_commands[i];
        int w = fprintf(f, "  %s %s", c->name, c->args);
        if (w > 30)
            fprintf(f, "\n%32s", "");
        else
            fprintf(f, "%*s", 32 - w, "");
        print_wrapped(f, c->summary, 32);
    }
    fprintf(f,
            "  help COMMAND                  the full help of one command\n"
            "\nglobal options:\n"
            "  --db PATH       the database file (default: $RUNCARE_DB, else\n"
            "                  $XDG_DATA_HOME/runcare/runcare.db, else\n"
            "                  ~/.local/share/runcare/runcare.db), or a club's\n"
            "                  PostgreSQL database: postgresql://...\n"
            "  --athlete NAME  whose log (default: $RUNCARE_ATHLETE, else the\n"
            "                  log's own athlete)\n"
            "  -h, --help      this help\n"
            "  -V, --version   the version\n"
            "\nexit status: 0 ok, 1 bad input, 2 usage error, 3 environment "
            "(database,\npermissions, disk)\n");
}

int cli_write_file(const char *path, const struct rc_buf *b, const char *what,
                   struct rc_err *err)
{
    char tmp[4096];
    FILE *f;
    bool ok;
    int k;

    if (!strcmp(path, "-")) {
        if (fwrite(b->data, 1, b->len, stdout) != b->len)
            return rc_fail(err, RC_EENV, "cannot write %s: %s", what,
                           strerror(errno));
        return 0;
    }
    k = snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
    if (k < 0 || (size_t)k >= sizeof(tmp))
        return rc_fail(err, RC_EINPUT, "path too long: %s", path);
    f = fopen(tmp, "wb");
    if (!f) {
        rc_fail(err, RC_EENV, "cannot write %s: %s", what, strerror(errno));
        rc_err_file(err, path);
        return -1;
    }
    ok = fwrite(b->data, 1, b->len, f) == b->len;
    if (fclose(f) != 0)
        ok = false;
    if (!ok) {
        rc_fail(err, RC_EENV, "cannot write %s: %s", what, strerror(errno));
        rc_err_file(err, path);
        remove(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        rc_fail(err, RC_EENV, "cannot write %s: %s", what, strerror(errno));
        rc_err_file(err, path);
        remove(tmp);
        return -1;
    }
    return 0;
}

int cli_print_violations(const char *name, const struct jschema_errors *e)
{
    fflush(stdout);
    for (size_t i = 0; i < e->n; i++)
        fprintf(stderr, "runcare: %s: %s%s%s\n", name,
                e->v[i].pointer[0] ? e->v[i].pointer : "/",
                ": ", e->v[i].msg);
    return RC_EINPUT;
}

int cli_json_out(json_t *j)
{
    struct rc_err err = RC_ERR_INIT;
    int rc = j && out_json_line(stdout, j) == 0 ? RC_OK : -1;
    json_decref(j);
    if (rc == RC_OK)
        return RC_OK;
    rc_fail(&err, RC_EENV, "cannot write the output");
    return cli_fail(&err);
}

int cli_show(const struct cli_show *s, const void *x, size_t max_bytes)
{
    struct rc_err err = RC_ERR_INIT;
    if (s->file) {
        struct rc_buf b;
        int rc;
        rc_buf_init(&b, max_bytes);
        rc = s->draw(x, &b, &err) < 0 ||
                     cli_write_file(s->file, &b, s->what, &err) < 0
                 ? cli_fail(&err)
                 : RC_OK;
        rc_buf_release(&b);
        if (rc != RC_OK)
            return rc;
    }
    if (s->json)
        return cli_json_out(s->to_json(x));
    if (!s->file || strcmp(s->file, "-"))
        s->text(x);
    return RC_OK;
}
