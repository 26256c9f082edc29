/* cli_man.c - the manual page runcare(1) and the bash completion, both
 * made from the command table (commands.c): each command's usage,
 * summary and help are the one source of `runcare help CMD`, the man
 * page's section for it and the options the shell completes. `make`
 * writes them with `runcare help --man` and `runcare help
 * --bash-completion`; `make install` installs them. */
#include <ctype.h>

#include "base/base.h"
#include "cli/cli.h"

/* Text as roff: backslashes doubled, a leading '.' or '\'' escaped, so
 * that no line of help can become a request. */
static void roff_text(FILE *f, const char *text)
{
    bool line_start = true;
    for (const char *p = text; *p; p++) {
        if (line_start && (*p == '.' || *p == '\''))
            fputs("\\&", f);
        if (*p == '\\')
            fputs("\\e", f);
        else if (*p == '-')
            fputs("\\-", f);
        else
            fputc(*p, f);
        line_start = *p == '\n';
    }
}

void cli_print_man(FILE *f)
{
    fprintf(f,
            ".\\\" runcare(1), made by `runcare help --man` from the command "
            "table\n"
            ".TH RUNCARE 1 \"\" \"runcare %s\" \"User Commands\"\n"
            ".SH NAME\n"
            "runcare \\- why do my legs ache after running, and what should "
            "I do\n"
            ".SH SYNOPSIS\n"
            ".B runcare\n"
            "[\\fB\\-\\-db\\fR \\fIPATH\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n"
            ".SH DESCRIPTION\n"
            "runcare reads a runner's own training log (FIT, GPX and TCX "
            "files, Strava and Garmin exports) into one local SQLite file, "
            "finds the jumps in training that cause leg pain, says how far "
            "the runner can safely run next, and runs a leg\\-pain check with "
            "a triage level, likely conditions, red flags and a cited "
            "recovery plan. It informs; it does not replace a clinician.\n"
            ".SH OPTIONS\n"
            ".TP\n\\fB\\-\\-db\\fR \\fIPATH\\fR\n"
            "The database file (see FILES).\n"
            ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nThe list of commands; "
            "after a command, its help.\n"
            ".TP\n\\fB\\-V\\fR, \\fB\\-\\-version\\fR\nThe version.\n"
            ".SH COMMANDS\n",
            RC_VERSION);
    for (size_t i = 0; cli_commands[i]; i++) {
        const struct cli_command *c = cli_commands[i];
        fprintf(f, ".SS \"%s", c->name);
        if (c->args[0]) {
            fputc(' ', f);
            roff_text(f, c->args);
        }
        fprintf(f, "\"\n");
        roff_text(f, c->summary);
        fprintf(f, ".\n");
        if (c->help && c->help[0]) {
            fprintf(f, ".PP\n.nf\n");
            roff_text(f, c->help);
            fprintf(f, ".fi\n");
        }
    }
    fprintf(f,
            ".SH EXIT STATUS\n"
            ".TP\n0\nSuccess.\n"
            ".TP\n1\nBad input: a file, a report or a value, named with "
            "where; nothing already stored is lost.\n"
            ".TP\n2\nUsage: an unknown command or option, a missing "
            "argument.\n"
            ".TP\n3\nEnvironment: the database, permissions, the disk.\n"
            ".SH ENVIRONMENT\n"
            ".TP\n.B RUNCARE_DB\nThe database file (or postgresql:// URL) "
            "when \\fB\\-\\-db\\fR is not given.\n"
            ".TP\n.B RUNCARE_ATHLETE\nThe athlete when \\fB\\-\\-athlete\\fR "
            "is not given.\n"
            ".TP\n.B XDG_DATA_HOME\nThe default database is "
            "\\fI$XDG_DATA_HOME/runcare/runcare.db\\fR (an absolute path).\n"
            ".TP\n.B HOME\nElse \\fI~/.local/share/runcare/runcare.db\\fR.\n"
            ".TP\n.B TMPDIR\nWhere \\fBdemo\\fR makes its folder when none "
            "is given.\n"
            ".SH FILES\n"
            ".TP\n.I ~/.local/share/runcare/runcare.db\n"
            "The training log, the pain diary and the history of every "
            "change: one SQLite file. Only commands that write make it, and "
            "only in a folder that is there (the default one is made).\n"
            ".SH EXAMPLES\n"
            ".nf\n"
            "runcare demo\n"
            "runcare import ~/Downloads/export_12345678.zip\n"
            "runcare log \\-\\-date 2024\\-05\\-01 \\-\\-distance 8km "
            "\\-\\-duration 45:00\n"
            "runcare edit 17 \\-\\-distance 8km; runcare undo\n"
            "runcare load\n"
            "runcare check\n"
            ".fi\n"
            ".SH SEE ALSO\n"
            "\\fBsqlite3\\fR(1)\n");
}

/* The long options a command's usage and help name ("--json"), each once,
 * space-separated, into out. */
static void command_options(const struct cli_command *c, char *out, size_t n)
{
    const char *texts[2] = { c->args, c->help ? c->help : "" };
    size_t used = 0;
    out[0] = '\0';
    for (int t = 0; t < 2; t++)
        for (const char *p = texts[t]; (p = strstr(p, "--")) != NULL;) {
            const char *q = p + 2;
            char opt[48];
            size_t len;
            while (isalnum((unsigned char)*q) || *q == '-')
                q++;
            len = (size_t)(q - p);
            if (len > 2 && len < sizeof(opt) && isalpha((unsigned char)p[2]) &&
                (p == texts[t] || !isalnum((unsigned char)p[-1]))) {
                snprintf(opt, sizeof(opt), "%.*s", (int)len, p);
                /* each once, as a whole word */
                bool seen = false;
                for (const char *s = out; (s = strstr(s, opt)) != NULL;
                     s += len)
                    if ((s == out || s[-1] == ' ') &&
                        (s[len] == ' ' || !s[len]))
                        seen = true;
                if (!seen && used + len + 2 < n) {
                    used += (size_t)snprintf(out + used, n - used, "%s%s",
                                             used ? " " : "", opt);
                }
            }
            p = q;
        }
}

void cli_print_bash_completion(FILE *f)
{
    fprintf(f,
            "# bash completion for runcare, made by `runcare help "
            "--bash-completion`\n"
            "# from the command table: commands, and each command's "
            "options.\n"
            "_runcare()\n{\n"
            "    local cur prev cmd i\n"
            "    cur=${COMP_WORDS[COMP_CWORD]}\n"
            "    prev=${COMP_WORDS[COMP_CWORD-1]}\n"
            "    cmd=\n"
            "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
            "        case ${COMP_WORDS[i]} in\n"
            "        --db|--athlete) ((i++)) ;;\n"
            "        -*) ;;\n"
            "        *) cmd=${COMP_WORDS[i]}; break ;;\n"
            "        esac\n"
            "    done\n"
            "    if [ \"$prev\" = --db ]; then\n"
            "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
            "        return\n"
            "    fi\n"
            "    if [ -z \"$cmd\" ]; then\n"
            "        COMPREPLY=($(compgen -W \"");
    for (size_t i = 0; cli_commands[i]; i++)
        fprintf(f, "%s ", cli_commands[i]->name);
    fprintf(f, "help --db --help --version\" -- \"$cur\"))\n"
               "        return\n"
               "    fi\n"
               "    case $cmd in\n");
    for (size_t i = 0; cli_commands[i]; i++) {
        char opts[1024];
        command_options(cli_commands[i], opts, sizeof(opts));
        fprintf(f, "    %s) opts=\"%s --help\" ;;\n", cli_commands[i]->name,
                opts);
    }
    fprintf(f,
            "    help) COMPREPLY=($(compgen -W \"");
    for (size_t i = 0; cli_commands[i]; i++)
        fprintf(f, "%s%s", i ? " " : "", cli_commands[i]->name);
    fprintf(f,
            "\" -- \"$cur\")); return ;;\n"
            "    *) opts= ;;\n"
            "    esac\n"
            "    if [[ $cur == -* ]]; then\n"
            "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
            "    else\n"
            "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
            "    fi\n"
            "}\n"
            "complete -F _runcare runcare\n");
}
