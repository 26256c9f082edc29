/* cli.h - the command line: the command table, the global context and the
 * helpers every subcommand uses to parse options and report errors.
 *
 * Data flow: argv -> a cmd_<name>.c parses it -> app/ (app.h) does the
 * work -> the command prints the result as text or JSON. Commands never
 * open the database or read its environment: app/ does. Only cli/ and
 * http/ print. A command's run function returns the process exit status
 * (enum rc_status: 0 ok, 1 bad input, 2 usage, 3 environment); main() is
 * the only place that exits. */
#ifndef RC_CLI_H
#define RC_CLI_H

#include <getopt.h>

#include "base/base.h"
#include "base/err.h"
#include "base/buf.h"
#include "app/app.h"

#define RC_VERSION "0.1.0"

struct cli_ctx {
    struct app app; /* where the log is: --db PATH, NULL if not given */
    bool stdin_tty, stdout_tty, stderr_tty;
};

struct cli_command {
    const char *name;
    const char *args;    /* "[--json] [--salvage] FILE..." */
    const char *summary; /* one line, lower case, no full stop */
    const char *help;    /* options and examples, shown by 'runcare help X' */
    int (*run)(struct cli_ctx *ctx, int argc, char **argv); /* argv[0]=name */
};

/* Every command, in the order of the help; ends with NULL. */
extern const struct cli_command *const cli_commands[];

/* The command called name, or NULL. */
const struct cli_command *cli_find(const char *name);

/* The command closest to a mistyped name, or NULL if none is close. */
const struct cli_command *cli_suggest(const char *name);

/* Print "runcare: FILE: offset N: message" on stderr; returns the exit code
 * (err->status). */
int cli_fail(const struct rc_err *err);

/* Print "runcare: CMD: message; see 'runcare help CMD'" on stderr; returns
 * RC_EUSAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) RC_PRINTF(2, 3);

/* A bad value from the runner, the same shape in every command: "runcare:
 * CMD: message; see 'runcare help CMD'" on stderr and RC_EINPUT (1). An
 * err that is not RC_EINPUT (the database, memory) is printed as
 * cli_fail does, with its own status. */
int cli_bad(const char *cmd, const struct rc_err *err);
int cli_badf(const char *cmd, const char *fmt, ...) RC_PRINTF(2, 3);

/* When err is about field ("date"), say it as option opt ("--since"):
 * the message starts with it and the field is cleared. */
void cli_err_option(struct rc_err *err, const char *field, const char *opt);

/* An activity the app refused (app_log_run, app_edit), in the words of
 * the options: err->field "date" is --date's, "force" says to add --force
 * ... then as cli_bad. */
int cli_refused(const char *cmd, const struct rc_err *err);

/* An effort 0-10 (CR-10) for option opt ("--rpe ", or "effort "), as
 * cli_parse_date. */
int cli_parse_rpe(const char *cmd, const char *opt, const char *text,
                  double *rpe);

/* An activity: its number from 'runcare list', or "last" (*id 0), as
 * cli_parse_date. */
int cli_parse_activity(const char *cmd, const char *text, int64_t *id);

/* A date option: YYYY-MM-DD into *day; -1 with the bad value printed
 * (cli_bad: the caller returns RC_EINPUT). */
int cli_parse_date(const char *cmd, const char *opt, const char *text,
                   long *day);

/* getopt_long for subcommands, with runcare's messages: returns the option
 * character, -1 at the end of the options, or CLI_OPT_ERROR after printing
 * a usage error (the caller returns RC_EUSAGE). Options may follow
 * operands; "--" ends them. Call with a fresh argv each time (it resets
 * getopt's state on the first call for a new argv). */
#define CLI_OPT_ERROR (-2)
int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts);

/* Forget the last argv, so that the next cli_getopt starts afresh even on
 * an argv at the same address (the demo runs commands one after another
 * with argv arrays on the stack). */
void cli_getopt_reset(void);

/* Write b to path through a temporary file renamed into place, so that a
 * failed write leaves what was there; "-" writes to stdout. what names it
 * in messages ("the chart"). RC_EENV naming path on failure. */
int cli_write_file(const char *path, const struct rc_buf *b, const char *what,
                   struct rc_err *err);

/* The diary's escalations (reason, level, sources) and the next check-in,
 * as plan and diary print them (cmd_plan.c). */
void cli_print_escalations(const struct triage_course *c);
void cli_print_check_in(const struct app_diary *d);

/* Print j (stolen) on one line on stdout: RC_OK, or the exit status of
 * "cannot write the output" (NULL j: memory ran out). */
int cli_json_out(json_t *j);

/* How a command that shows one result x ends (plan, diary): the file it
 * was asked for (FILE, or "-": stdout instead of the text), drawn by draw
 * into a buffer of at most max_bytes; then to_json's JSON, or the text.
 * Returns the exit status. */
struct cli_show {
    const char *file; /* --svg / --ics FILE; NULL: none */
    const char *what; /* "the chart", for messages */
    bool json;
    int (*draw)(const void *x, struct rc_buf *out, struct rc_err *err);
    json_t *(*to_json)(const void *x);
    void (*text)(const void *x);
};
int cli_show(const struct cli_show *s, const void *x, size_t max_bytes);

/* Print every schema violation of e as "runcare: NAME: /pointer: what"
 * on stderr; returns RC_EINPUT. */
int cli_print_violations(const char *name, const struct jschema_errors *e);

/* Print the full help of one command. */
void cli_print_help(FILE *f, const struct cli_command *c);

/* The manual page runcare(1) in roff, and the bash completion script,
 * both from the command table (cli_man.c). */
void cli_print_man(FILE *f);
void cli_print_bash_completion(FILE *f);

/* Print the list of commands (the main --help). */
void cli_print_usage(FILE *f);

/* Parse a whole number in [min, max] for option opt; -1 with the bad
 * value printed (cli_bad: the caller returns RC_EINPUT). */
int cli_parse_long(const char *cmd, const char *opt, const char *text,
                   long min, long max, long *out);

#endif
