/* cmd_check.c - `runcare check`: the leg-pain check.
 *
 *     runcare check [--json] [--no-save] [--kb DIR] [FILE|-]
 *
 * On a terminal with no FILE it asks the questionnaire (kb/questions.jsonl,
 * in README.md's order: location, the safety screen, pain, signs, the
 * conditional questions that apply, the training items the log cannot
 * fill); any answer that raises an emergency red flag stops it at once with
 * the emergency advice. Otherwise it reads a report (JSON) from FILE or
 * stdin and validates it against report.schema.json, printing every
 * violation as "runcare: FILE: /pointer: what". Then triage_run gives the
 * result, printed as text or (--json) as JSON valid against
 * result.schema.json, and the report and result go to the diary unless
 * --no-save.
 *
 * The log, the training context it gives (source "log") and the diary are
 * app/'s (app_check_begin, app_check_run): a check that saves makes the
 * log if there is none yet; --no-save reads it only. */
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "cli/cli.h"
#include "triage/triage.h"

#define CHECK_REPORT_MAX ((size_t)1 << 20) /* a report is a few kB */
#define CHECK_KB_FILE_MAX ((size_t)8 << 20)

/* ---- the knowledge base: built in, or --kb DIR ---- */

struct kb_dir {
    struct kb_text files[32];
    char names[32][512];
    struct rc_buf bufs[32];
    size_t n;
};

static void kb_dir_release(struct kb_dir *d)
{
    for (size_t i = 0; i < d->n; i++)
        rc_buf_release(&d->bufs[i]);
    d->n = 0;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

static struct kb *load_kb(const char *dir, struct rc_err *err)
{
    struct kb_dir d = { .n = 0 };
    struct dirent *e;
    struct kb *kb;
    DIR *dp;

    if (!dir)
        return kb_load_embedded(err);
    if (!(dp = opendir(dir))) {
        rc_fail(err, RC_EINPUT, "cannot open the knowledge base folder: %s",
                strerror(errno));
        rc_err_file(err, dir);
        return NULL;
    }
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.' ||
            !(ends_with(e->d_name, ".jsonl") || ends_with(e->d_name, ".json")))
            continue;
        if (d.n == RC_ARRAY_SIZE(d.files)) {
            rc_fail(err, RC_EINPUT, "too many files in the knowledge base");
            rc_err_file(err, dir);
            break;
        }
        snprintf(d.names[d.n], sizeof(d.names[d.n]), "%s/%s", dir, e->d_name);
        rc_buf_init(&d.bufs[d.n], CHECK_KB_FILE_MAX);
        if (rc_buf_read_file(&d.bufs[d.n], d.names[d.n], err) < 0)
            break;
        d.files[d.n].name = d.names[d.n];
        d.files[d.n].data = (const char *)d.bufs[d.n].data;
        d.files[d.n].len = d.bufs[d.n].len;
        d.n++;
    }
    closedir(dp);
    kb = err->status == RC_OK ? kb_load_texts(d.files, d.n, err) : NULL;
    kb_dir_release(&d);
    return kb;
}

/* ---- the log and the diary (app/) ---- */

/* A log that cannot be read must not stop a safety check: say so on
 * stderr, and go on without it. */
static void check_log_warning(const struct app_check *chk)
{
    char text[512];
    if (chk->log_err.status == RC_OK)
        return;
    fprintf(stderr,
            "runcare: warning: the training log cannot be read (%s); "
            "the check goes on without it\n",
            rc_err_format(&chk->log_err, text, sizeof(text)));
}

/* ---- text output ---- */

/* text after a first-line prefix, wrapped at 78 columns, continuation
 * lines indented to the prefix's width */
static void print_wrapped(const char *prefix, const char *text)
{
    int col = 0, pad = (int)strlen(prefix), width = 78 - pad;
    fputs(prefix, stdout);
    while (*text) {
        int w = (int)strcspn(text, " ");
        if (col > 0 && col + 1 + w > width) {
            printf("\n%*s", pad, "");
            col = 0;
        } else if (col > 0) {
            putchar(' ');
            col++;
        }
        printf("%.*s", w, text);
        col += w;
        text += w;
        while (*text == ' ')
            text++;
    }
    putchar('\n');
}

static const char *sv(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Ids of the result said in words for people: one table per kind of id,
 * each ended by { NULL, NULL }; an id not in the table is said as it is. */
struct id_words {
    const char *id, *words;
};

static const struct id_words banner_words[] = {
    { "emergency", "EMERGENCY" },         { "urgent", "URGENT - TODAY" },
    { "see_clinician", "SEE A CLINICIAN" }, { "self_care", "SELF-CARE" },
    { NULL, NULL },
};
static const struct id_words level_words[] = {
    { "emergency", "emergency" },         { "urgent", "urgent" },
    { "see_clinician", "see a clinician" }, { "self_care", "self-care" },
    { NULL, NULL },
};
static const struct id_words kind_words[] = {
    { "seek_care", "get care:" }, { "do", "do:" },
    { "avoid", "avoid:" },        { "monitor", "watch:" },
    { NULL, NULL },
};

static const char *words(const struct id_words *table, const char *id)
{
    for (; table->id; table++)
        if (!strcmp(id, table->id))
            return table->words;
    return id;
}

static void print_level_banner(const char *level)
{
    printf("== %s ==\n", words(banner_words, level));
}

/* A time after the end of the run, for people: "60 hours", "3 days". */
static void print_hours(double h, char *out, size_t n)
{
    if (h < 72)
        snprintf(out, n, "%g hours", round(h * 10) / 10);
    else
        snprintf(out, n, "%g days", round(h / 24 * 10) / 10);
}

/* " [a, b]": the source ids of one piece of advice, which the Sources
 * list at the end resolves; "" when there are none. */
static void print_ids(const json_t *ids, char *out, size_t n)
{
    size_t i, o = 0;
    json_t *e;
    out[0] = '\0';
    json_array_foreach(ids, i, e) {
        if (o < n)
            o += (size_t)snprintf(out + o, n - o, "%s%s", i ? ", " : " [",
                                  json_string_value(e));
    }
    if (o && o < n)
        snprintf(out + o, n - o, "]");
}

static void print_result_text(const json_t *r)
{
    const json_t *a, *e, *plan = json_object_get(r, "plan");
    const json_t *rc = json_object_get(r, "recheck");
    size_t i, k;
    char buf[1200];

    print_level_banner(sv(r, "triage"));
    print_wrapped("", sv(r, "headline"));
    putchar('\n');
    print_wrapped("Why: ", sv(r, "triage_reason"));
    if (json_array_size(json_object_get(r, "red_flags"))) {
        printf("\nRed flags:\n");
        json_array_foreach(json_object_get(r, "red_flags"), i, e) {
            size_t o = (size_t)snprintf(buf, sizeof(buf), "! %s (%s), from",
                                        sv(e, "label"),
                                        words(level_words, sv(e, "triage")));
            json_array_foreach(json_object_get(e, "because"), k, a) {
                if (o < sizeof(buf))
                    o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %s",
                                          json_string_value(a));
            }
            if (o < sizeof(buf))
                print_ids(json_object_get(e, "source_ids"), buf + o,
                          sizeof(buf) - o);
            print_wrapped("  ", buf);
        }
    }
    printf("\nLikely conditions:\n");
    json_array_foreach(json_object_get(r, "conditions"), i, e) {
        char band[32];
        snprintf(band, sizeof(band), "%s", sv(e, "band"));
        for (char *u = band; (u = strchr(u, '_')) != NULL;)
            *u = ' ';
        snprintf(buf, sizeof(buf), "%lld. %s: %s (%.0f%%; its level: %s)",
                 (long long)json_integer_value(json_object_get(e, "rank")),
                 sv(e, "name"), band,
                 100 * json_number_value(json_object_get(e, "score")),
                 words(level_words, sv(e, "triage")));
        print_wrapped("  ", buf);
        json_array_foreach(json_object_get(e, "reasons_for"), k, a) {
            snprintf(buf, sizeof(buf), "+ %s", json_string_value(a));
            print_wrapped("     ", buf);
        }
        json_array_foreach(json_object_get(e, "reasons_against"), k, a) {
            snprintf(buf, sizeof(buf), "- %s", json_string_value(a));
            print_wrapped("     ", buf);
        }
    }
    printf("\nPlan (hours count from the end of your run):\n");
    print_wrapped("  ", sv(plan, "summary"));
    json_array_foreach(json_object_get(plan, "steps"), i, e) {
        char from[32], to[32];
        const json_t *th = json_object_get(e, "to_hours");
        print_hours(json_number_value(json_object_get(e, "from_hours")), from,
                    sizeof(from));
        if (json_is_number(th))
            print_hours(json_number_value(th), to, sizeof(to));
        if (json_is_number(th))
            snprintf(buf, sizeof(buf), "%s [%s to %s after the run]:",
                     sv(e, "label"), from, to);
        else
            snprintf(buf, sizeof(buf), "%s [from %s after the run]:",
                     sv(e, "label"), from);
        print_wrapped("  ", buf);
        json_array_foreach(json_object_get(e, "actions"), k, a) {
            char ids[300];
            print_ids(json_object_get(a, "source_ids"), ids, sizeof(ids));
            snprintf(buf, sizeof(buf), "%s %s%s%s%s%s",
                     words(kind_words, sv(a, "kind")), sv(a, "text"),
                     json_object_get(a, "why") ? " (" : "", sv(a, "why"),
                     json_object_get(a, "why") ? ")" : "", ids);
            print_wrapped("    ", buf);
        }
    }
    if ((a = json_object_get(plan, "return_to_running"))) {
        const json_t *cap = json_object_get(a, "max_single_run_km");
        char ids[300];
        print_ids(json_object_get(a, "source_ids"), ids, sizeof(ids));
        snprintf(buf, sizeof(buf), "Back to running: %s; %s%s%s",
                 sv(a, "first_session"), sv(a, "progression_rule"),
                 json_is_number(cap) ? "" : ".", ids);
        print_wrapped("  ", buf);
        if (json_is_number(cap)) {
            snprintf(buf, sizeof(buf), "keep your next run under %.1f km.",
                     json_number_value(cap));
            print_wrapped("  ", buf);
        }
    }
    if (!strcmp(sv(r, "triage"), "emergency")) {
        printf("\nDo not wait to check again: get help now.\n");
    } else {
        double after = json_number_value(json_object_get(rc, "after_hours"));
        char when[32];
        print_hours(after, when, sizeof(when));
        if (after > 0)
            printf("\nCheck again in %s. Get help sooner if:\n", when);
        else
            printf("\nWatch closely until you are seen. Get help at once "
                   "if:\n");
        json_array_foreach(json_object_get(rc, "escalate_if"), i, e)
            print_wrapped("  - ", json_string_value(e));
    }
    if (json_array_size(json_object_get(r, "load_warnings"))) {
        printf("\nTraining load:\n");
        json_array_foreach(json_object_get(r, "load_warnings"), i, e)
            print_wrapped("  - ", sv(e, "text"));
    }
    if (json_array_size(json_object_get(r, "corrections"))) {
        printf("\nCommon advice, corrected:\n");
        json_array_foreach(json_object_get(r, "corrections"), i, e) {
            char ids[300];
            print_ids(json_object_get(e, "source_ids"), ids, sizeof(ids));
            snprintf(buf, sizeof(buf), "\"%s\" %s%s", sv(e, "common_advice"),
                     sv(e, "correction"), ids);
            print_wrapped("  - ", buf);
        }
    }
    printf("\nSources:\n");
    json_array_foreach(json_object_get(r, "advice_sources"), i, e) {
        snprintf(buf, sizeof(buf), "[%s] %s %s", sv(e, "id"), sv(e, "title"),
                 sv(e, "url"));
        print_wrapped("  ", buf);
    }
    putchar('\n');
    print_wrapped("", sv(r, "disclaimer"));
}

/* ---- the questionnaire ---- */

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

enum ask { ASK_OK, ASK_SKIP, ASK_QUIT };

/* One line from stdin without its newline; false at EOF or Ctrl-C. */
static bool read_answer(char *line, size_t n)
{
    fflush(stdout);
    if (interrupted || !fgets(line, (int)n, stdin) || interrupted)
        return false;
    line[strcspn(line, "\r\n")] = '\0';
    return true;
}

static bool parse_index(const char *s, size_t max, size_t *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (errno || end == s || *end || v < 1 || (size_t)v > max)
        return false;
    *out = (size_t)v;
    return true;
}

static enum ask ask_one(const struct kb_question *q, size_t number,
                        json_t **value)
{
    char line[256];
    bool may_skip = !q->required;

    printf("\n%zu. %s\n", number, q->text);
    switch (q->kind) {
    case KB_Q_BOOL:
        printf("   1) yes   2) no\n");
        break;
    case KB_Q_CHOICE:
    case KB_Q_MULTI:
        for (size_t i = 0; i < q->nchoices; i++)
            printf("   %zu) %s\n", i + 1, q->choices[i].text);
        if (q->kind == KB_Q_MULTI)
            printf("   (numbers separated by spaces%s)\n",
                   q->min_one ? "" : "; 0 = none of these");
        break;
    case KB_Q_NUMBER:
    case KB_Q_INTEGER:
        printf("   (%s from %g to %g)\n",
               q->kind == KB_Q_INTEGER ? "a whole number" : "a number", q->min,
               q->max);
        break;
    }
    if (may_skip)
        printf("   (Enter = don't know)\n");
    for (;;) {
        printf("> ");
        if (!read_answer(line, sizeof(line)))
            return ASK_QUIT;
        if (!line[0] && may_skip)
            return ASK_SKIP;
        if (q->kind == KB_Q_BOOL) {
            size_t k;
            if (parse_index(line, 2, &k)) {
                *value = json_boolean(k == 1);
                return ASK_OK;
            }
        } else if (q->kind == KB_Q_CHOICE) {
            size_t k;
            if (parse_index(line, q->nchoices, &k)) {
                *value = json_string(q->choices[k - 1].value);
                return ASK_OK;
            }
        } else if (q->kind == KB_Q_MULTI) {
            json_t *arr = json_array();
            char *p = line, *end;
            bool ok = true, none = false;
            while (*p) {
                long v;
                while (*p == ' ' || *p == ',')
                    p++;
                if (!*p)
                    break;
                v = strtol(p, &end, 10);
                if (end == p || v < 0 || (size_t)v > q->nchoices) {
                    ok = false;
                    break;
                }
                p = end;
                if (v == 0) {
                    none = true;
                    continue;
                }
                json_t *s = json_string(q->choices[v - 1].value);
                size_t i;
                json_t *x;
                bool dup = false;
                json_array_foreach(arr, i, x) {
                    if (json_equal(x, s))
                        dup = true;
                }
                if (dup)
                    json_decref(s);
                else
                    json_array_append_new(arr, s);
            }
            if (ok && (none ? json_array_size(arr) == 0 && !q->min_one
                            : json_array_size(arr) > 0)) {
                *value = arr;
                return ASK_OK;
            }
            json_decref(arr);
        } else {
            char *end;
            double v = strtod(line, &end);
            while (*end == ' ')
                end++;
            if (end != line && !*end && isfinite(v) && v >= q->min &&
                v <= q->max && (q->kind == KB_Q_NUMBER || v == floor(v))) {
                *value = q->kind == KB_Q_INTEGER ? json_integer((json_int_t)v)
                                                 : json_real(v);
                return ASK_OK;
            }
        }
        printf("   Please answer with %s.\n",
               q->kind == KB_Q_NUMBER || q->kind == KB_Q_INTEGER
                   ? "a number in the range shown"
                   : "the number of a choice");
    }
}

static void print_emergency(const struct kb *kb, const char *label)
{
    printf("\n== EMERGENCY ==\n");
    print_wrapped("", kb_level_headline(kb, TRIAGE_EMERGENCY));
    print_wrapped("Why: ", label);
    printf("\nThe questions stop here: get help first. Nothing was saved.\n");
    print_wrapped("", "runcare gives information, not a diagnosis. In an "
                      "emergency call your local emergency number.");
}

/* Ask the questions; *out is the report when all were answered. Returns
 * 0 (report made), 1 (stopped for an emergency: advice shown), -1 (EOF or
 * Ctrl-C: nothing made). */
static int questionnaire(const struct kb *kb,
                         const struct triage_training *t, double now_s,
                         json_t **out)
{
    json_t *rep = json_object();
    size_t number = 0;
    struct sigaction sa, old;
    int status = 0;
    char when[32];

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint; /* no SA_RESTART: fgets returns at Ctrl-C */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    interrupted = 0;
    printf("runcare leg-pain check: about two minutes. Answer with the "
           "number of a choice.\nCtrl-C or Ctrl-D stops at any time; nothing "
           "is saved until the end.\n");
    for (size_t i = 0; i < kb_count_questions(kb); i++) {
        const struct kb_question *q = kb_question_at(kb, i);
        json_t *v = NULL;
        const char *label = NULL;
        enum ask a;

        if (!triage_question_applies(kb, i, rep) || triage_training_knows(t, q->field))
            continue;
        a = ask_one(q, ++number, &v);
        if (a == ASK_QUIT) {
            status = -1;
            break;
        }
        if (a == ASK_OK)
            triage_set_field(rep, q->field, v);
        if (triage_emergency_now(kb, rep, &label)) {
            print_emergency(kb, label);
            status = 1;
            break;
        }
    }
    sigaction(SIGINT, &old, NULL);
    if (status != 0) {
        json_decref(rep);
        return status;
    }
    json_object_set_new(rep, "schema_version", json_string("1.0"));
    json_object_set_new(rep, "created_at",
                        json_string(rc_time_format(now_s, when)));
    printf("\n");
    *out = rep;
    return 0;
}

/* ---- the command ---- */

static int print_violations(const char *name, const struct jschema_errors *e)
{
    fflush(stdout);
    for (size_t i = 0; i < e->n; i++)
        fprintf(stderr, "runcare: %s: %s%s%s\n", name,
                e->v[i].pointer[0] ? e->v[i].pointer : "/",
                ": ", e->v[i].msg);
    return RC_EINPUT;
}

static int run_check(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "no-save", no_argument, NULL, 'n' },
        { "kb", required_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    bool json = false, no_save = false;
    const char *kb_dir = NULL, *path = NULL, *name;
    struct rc_err err = RC_ERR_INIT;
    struct app_check chk;
    struct app_check_result res = { .result = NULL };
    struct jschema_errors verrs = { .max = 0 };
    struct kb *kb = NULL;
    json_t *report = NULL;
    double now_s = rc_now();
    int c, status = RC_OK;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        else if (c == 'n')
            no_save = true;
        else if (c == 'k')
            kb_dir = optarg;
    }
    if (argc - optind > 1)
        return cli_usage(argv[0], "one report at a time");
    if (optind < argc)
        path = argv[optind];
    if (!(kb = load_kb(kb_dir, &err)))
        return cli_fail(&err);
    jschema_errors_init(&verrs);
    app_check_begin(&ctx->app, no_save ? APP_CHECK_NO_SAVE : 0, now_s, &chk);
    check_log_warning(&chk);

    if (!path && ctx->stdin_tty) {
        int q = questionnaire(kb, &chk.training.t, now_s, &report);
        if (q != 0) {
            if (q < 0)
                fprintf(stderr, "\nruncare: check: stopped; nothing saved\n");
            status = q < 0 ? RC_EINPUT : RC_OK;
            goto done;
        }
        name = "questionnaire";
        if (jschema_validate(kb_report_schema(kb), report, &verrs) != 0) {
            status = print_violations(name, &verrs);
            goto done;
        }
    } else {
        struct rc_buf b;
        name = !path || !strcmp(path, "-") ? "stdin" : path;
        rc_buf_init(&b, CHECK_REPORT_MAX);
        if (rc_buf_read_file(&b, path ? path : "-", &err) < 0 ||
            triage_parse_report(kb, (const char *)b.data, b.len, &report,
                                &verrs, &err) < 0) {
            rc_buf_release(&b);
            rc_err_file(&err, name);
            if (verrs.n)
                status = print_violations(name, &verrs);
            else
                status = cli_fail(&err);
            goto done;
        }
        rc_buf_release(&b);
    }

    if (app_check_run(&chk, kb, report, &res, &verrs, &err) < 0) {
        if (verrs.n) {
            fprintf(stderr, "runcare: check: %s\n", err.msg);
            print_violations("result", &verrs);
            status = RC_EENV;
        } else {
            status = cli_fail(&err);
        }
        goto done;
    }
    if (json) {
        if (json_dumpf(res.result, stdout,
                       JSON_INDENT(2) | JSON_PRESERVE_ORDER) <
            0 ||
            putchar('\n') == EOF) {
            rc_fail(&err, RC_EENV, "cannot write the output");
            status = cli_fail(&err);
            goto done;
        }
    } else {
        print_result_text(res.result);
    }
    if (res.save_err.status != RC_OK) {
        /* the advice is out; the diary failed: say so, exit 3 */
        status = cli_fail(&res.save_err);
        goto done;
    }
    if (!json && res.report_id)
        printf("\nSaved in your diary as report %lld.\n",
               (long long)res.report_id);
    if (fflush(stdout) != 0) {
        rc_fail(&err, RC_EENV, "cannot write the output: %s",
                strerror(errno));
        status = cli_fail(&err);
    }
done:
    json_decref(report);
    app_check_result_release(&res);
    app_check_end(&chk);
    jschema_errors_release(&verrs);
    kb_free(kb);
    return status;
}

const struct cli_command cli_cmd_check = {
    "check",
    "[--json] [--no-save] [--kb DIR] [FILE|-]",
    "leg-pain check: a questionnaire on a terminal, else a report JSON from "
    "FILE or stdin",
    "On a terminal with no FILE, asks about two minutes of questions: where\n"
    "it hurts, the safety screen (any emergency answer stops at once with\n"
    "the emergency advice), the pain, what you see, then only the questions\n"
    "that apply. Otherwise reads a symptom report (JSON, see\n"
    "report.schema.json) from FILE or stdin ('-'), and reports every problem\n"
    "in it as 'runcare: FILE: /field: what'.\n"
    "\n"
    "The answer: a triage level (emergency, urgent, see_clinician,\n"
    "self_care), why, the red flags and the report fields that raised them,\n"
    "the likely conditions with reasons for and against, a plan counted in\n"
    "hours from the end of your run, when to check again, corrections of\n"
    "common advice, and the sources. runcare informs; it does not replace a\n"
    "clinician.\n"
    "\n"
    "options:\n"
    "  --json      the result as JSON (result.schema.json)\n"
    "  --no-save   do not store the report and result in the diary\n"
    "  --kb DIR    use the knowledge base in DIR instead of the built-in one\n"
    "\n"
    "examples:\n"
    "  runcare check\n"
    "  runcare check --json --no-save report.json\n",
    run_check,
};
