/* check_text.c - a check's result as a runner reads it on a terminal, from
 * the typed result (struct triage_result), never from its JSON.
 *
 * Short by default (about a screen for a self-care result): the level and
 * the one thing to do now, the unanswered answers that would change it,
 * the red flags, the top conditions in words (likely, possible, less
 * likely: never a percentage, the score is a ranking weight), what to do
 * now and next, what to watch for, when to check again; sources as short
 * ids. --full adds every condition and reason, the whole plan and the
 * corrections; --sources the full list of sources. An emergency prints only
 * what to do now. */
#include "base/base.h"
#include "cli/check_text.h"

void check_wrap(FILE *f, const char *prefix, const char *text)
{
    int col = 0, pad = (int)strlen(prefix), width = CHECK_TEXT_WIDTH - pad;
    fputs(prefix, f);
    while (*text) {
        int w = (int)strcspn(text, " ");
        if (col > 0 && col + 1 + w > width) {
            fprintf(f, "\n%*s", pad, "");
            col = 0;
        } else if (col > 0) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%.*s", w, text);
        col += w;
        text += w;
        while (*text == ' ')
            text++;
    }
    fputc('\n', f);
}

const char *check_level_words(enum triage_level level)
{
    static const char *const words[] = { "self-care", "see a clinician",
                                         "urgent", "emergency" };
    return (unsigned)level < RC_ARRAY_SIZE(words) ? words[level] : "?";
}

static const char *const banners[] = { "SELF-CARE", "SEE A CLINICIAN",
                                       "URGENT - TODAY", "EMERGENCY" };

/* " [a, b]" for the ids of one piece of advice; "" when none. */
static void ids(const json_t *list, char *out, size_t n)
{
    size_t i, o = 0;
    json_t *e;
    out[0] = '\0';
    json_array_foreach(list, i, e) {
        if (o < n)
            o += (size_t)snprintf(out + o, n - o, "%s%s", i ? ", " : " [",
                                  json_string_value(e));
    }
    if (o && o < n)
        snprintf(out + o, n - o, "]");
}

/* A time after the end of the run: "36 hours", "3 days". */
static void hours_words(double h, char *out, size_t n)
{
    if (h < 72)
        snprintf(out, n, "%g hours", round(h * 10) / 10);
    else
        snprintf(out, n, "%g days", round(h / 24 * 10) / 10);
}

static void action_line(FILE *f, const char *prefix,
                        const struct triage_action *a, bool full)
{
    char buf[1400], src[300];
    ids(a->source_ids, src, sizeof(src));
    /* an "avoid" action names what to avoid ("Running, massaging the
     * calf, and heat"): without the word it reads as an instruction */
    snprintf(buf, sizeof(buf), "%s%s%s%s%s%s",
             !strcmp(a->kind, "avoid") ? "Avoid: " : "", a->text,
             full && a->why ? " (" : "", full && a->why ? a->why : "",
             full && a->why ? ")" : "", src);
    check_wrap(f, prefix, buf);
}

static void print_conditions(FILE *f, const struct kb *kb,
                             const struct triage_result *r, bool full)
{
    char buf[900];
    size_t o = 0;
    fprintf(f, "\nMost likely:\n");
    for (size_t i = 0; i < r->nconds; i++) {
        const struct triage_cond_hit *c = &r->conds[i];
        size_t nf = full ? c->nfor : 2, na = full ? c->nagainst : 0;
        if (!full && i > 0)
            break;
        snprintf(buf, sizeof(buf), "%zu. %s: %s", i + 1, c->name,
                 triage_band_words(kb, c->band));
        check_wrap(f, "  ", buf);
        for (size_t k = 0; k < c->nfor && k < nf; k++) {
            snprintf(buf, sizeof(buf), "+ %s", c->reasons_for[k]);
            check_wrap(f, "     ", buf);
        }
        for (size_t k = 0; k < c->nagainst && k < na; k++) {
            snprintf(buf, sizeof(buf), "- %s", c->reasons_against[k]);
            check_wrap(f, "     ", buf);
        }
    }
    if (full || r->nconds < 2)
        return;
    o = (size_t)snprintf(buf, sizeof(buf), "Also: ");
    for (size_t i = 1; i < r->nconds && i < 4 && o < sizeof(buf); i++)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s (%s)",
                              i > 1 ? "; " : "", r->conds[i].name,
                              triage_band_words(kb, r->conds[i].band));
    check_wrap(f, "  ", buf);
}

/* The plan: what applies now and what comes next. Short: at most three
 * actions now (what to watch for is said with the recheck), the first of
 * the next window; full: every window. */
static void print_plan(FILE *f, const struct triage_result *r, bool full)
{
    char when[64], buf[300];
    size_t said = 0;
    bool next_said = false;

    fprintf(f, "\nNow:\n");
    for (size_t i = 0; i < r->nsteps; i++) {
        const struct triage_step *s = &r->steps[i];
        if (!s->now)
            continue;
        for (size_t k = 0; k < s->nactions; k++) {
            if (!full && (!strcmp(s->actions[k].kind, "monitor") || said >= 3))
                continue;
            action_line(f, "  - ", &s->actions[k], full);
            said++;
        }
    }
    for (size_t i = 0; i < r->nsteps; i++) {
        const struct triage_step *s = &r->steps[i];
        if (s->now || (next_said && !full))
            continue;
        hours_words(s->from_h, when, sizeof(when));
        snprintf(buf, sizeof(buf), "Next, %s (%s after the run):",
                 s->label, when);
        check_wrap(f, "", buf);
        for (size_t k = 0; k < s->nactions && (full || k < 1); k++)
            action_line(f, "  - ", &s->actions[k], full);
        next_said = true;
    }
}

static void print_return(FILE *f, const struct triage_result *r)
{
    char buf[700], src[200];
    if (!r->has_return)
        return;
    ids(r->return_source_ids, src, sizeof(src));
    snprintf(buf, sizeof(buf), "Back to running: %s; %s%s",
             r->return_first_session ? r->return_first_session : "",
             r->return_rule ? r->return_rule : "", src);
    fputc('\n', f);
    check_wrap(f, "", buf);
    if (isfinite(r->return_max_km)) {
        snprintf(buf, sizeof(buf),
                 "From your log: keep your next run under %.1f km.",
                 r->return_max_km);
        check_wrap(f, "", buf);
    }
}

/* When to check again, and what should bring the runner back sooner: the
 * plan's "watch" actions under way, then the course's own signs. Short:
 * three of them. */
static void print_recheck(FILE *f, const struct triage_result *r, bool full)
{
    char when[64], buf[1400];
    size_t o = 0, said = 0, max = full ? 99 : 2;
    hours_words(r->recheck_h, when, sizeof(when));
    fputc('\n', f);
    if (r->level == TRIAGE_EMERGENCY)
        o = (size_t)snprintf(buf, sizeof(buf), "Meanwhile, watch for: ");
    else if (r->recheck_h > 0)
        o = (size_t)snprintf(buf, sizeof(buf),
                             "Check again in %s (runcare diary add). Sooner "
                             "if: ",
                             when);
    else
        o = (size_t)snprintf(buf, sizeof(buf),
                             "Until you are seen, get help at once if: ");
    for (size_t i = 0; i < r->nsteps && said < max; i++)
        for (size_t k = 0; k < r->steps[i].nactions && said < max; k++) {
            const struct triage_action *a = &r->steps[i].actions[k];
            if (!r->steps[i].now || strcmp(a->kind, "monitor") ||
                o >= sizeof(buf))
                continue;
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
                                  said++ ? " " : "", a->text);
        }
    for (size_t i = r->nunknowns; i < r->nescalate_if && said < max &&
                                  o < sizeof(buf);
         i++)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s.",
                              said++ ? " " : "", r->escalate_if[i]);
    check_wrap(f, "", buf);
    if (full && r->expected_course) {
        snprintf(buf, sizeof(buf), "Expected course: %s.",
                 r->expected_course);
        check_wrap(f, "", buf);
    }
}

static void print_extras(FILE *f, const struct triage_result *r, bool full)
{
    size_t i;
    json_t *e;
    if (json_array_size(r->load_warnings)) {
        fprintf(f, "\nTraining load:\n");
        json_array_foreach(r->load_warnings, i, e) {
            if (full || i < 2)
                check_wrap(f, "  - ",
                     json_string_value(json_object_get(e, "text")));
        }
    }
    if (r->ncorrections && !full)
        fprintf(f, "\nCommon advice that evidence corrects for this: %zu "
                   "(runcare check --full).\n",
                r->ncorrections);
    else if (r->ncorrections)
        fprintf(f, "\nCommon advice, corrected:\n");
    for (i = 0; full && i < r->ncorrections; i++) {
        const json_t *c = r->corrections[i];
        char buf[1200], src[300];
        ids(json_object_get(c, "source_ids"), src, sizeof(src));
        snprintf(buf, sizeof(buf), "\"%s\" %s%s",
                 json_string_value(json_object_get(c, "common_advice")),
                 json_string_value(json_object_get(c, "correction")), src);
        check_wrap(f, "  - ", buf);
    }
}

static void print_sources(FILE *f, const struct kb *kb,
                          const struct triage_result *r, bool all)
{
    size_t i;
    json_t *e;
    if (!all) {
        fprintf(f, "\nSources: %zu, cited in [brackets]; `runcare check "
                   "--sources` lists them.\n",
                json_array_size(r->source_ids));
        return;
    }
    fprintf(f, "\nSources:\n");
    json_array_foreach(r->source_ids, i, e) {
        const json_t *s = kb_source(kb, json_string_value(e));
        char buf[800];
        snprintf(buf, sizeof(buf), "[%s] %s %s", json_string_value(e),
                 json_string_value(json_object_get(s, "title")),
                 json_string_value(json_object_get(s, "url")));
        check_wrap(f, "  ", buf);
    }
}

static void print_flags(FILE *f, const struct triage_result *r)
{
    if (!r->nflags)
        return;
    fprintf(f, "\nRed flags:\n");
    for (size_t i = 0; i < r->nflags; i++) {
        char buf[900], src[300];
        ids(r->flags[i].source_ids, src, sizeof(src));
        snprintf(buf, sizeof(buf), "! %s (%s)%s", r->flags[i].label,
                 check_level_words(r->flags[i].level), src);
        check_wrap(f, "  ", buf);
    }
}

void check_print_text(FILE *f, const struct kb *kb,
                      const struct triage_result *r, bool full,
                      bool sources)
{
    fprintf(f, "== %s ==\n", banners[r->level]);
    check_wrap(f, "", r->headline);
    if (r->nunknowns) {
        size_t shown = full ? r->nunknowns : 3;
        fprintf(f, "\nNot answered yet, and it could change this:\n");
        for (size_t i = 0; i < r->nunknowns && i < shown; i++) {
            char buf[900];
            if (full)
                snprintf(buf, sizeof(buf), "%s", r->unknowns[i].note);
            else
                snprintf(buf, sizeof(buf), "%s: %s %s", r->unknowns[i].question,
                         check_level_words(r->unknowns[i].level),
                         r->unknowns[i].fired ? "until checked" : "if so");
            check_wrap(f, "  - ", buf);
        }
        if (r->nunknowns > shown)
            fprintf(f, "  (and %zu more: runcare check --full)\n",
                    r->nunknowns - shown);
    }
    if (r->level == TRIAGE_EMERGENCY && !full) {
        print_flags(f, r);
        print_plan(f, r, false);
        print_recheck(f, r, false);
        fputc('\n', f);
        check_wrap(f, "", r->disclaimer);
        return;
    }
    print_flags(f, r);
    if (!r->nflags && r->grade_reason) {
        char buf[700];
        snprintf(buf, sizeof(buf), "Why this level: %s.", r->grade_reason);
        fputc('\n', f);
        check_wrap(f, "", buf);
    }
    print_conditions(f, kb, r, full);
    print_plan(f, r, full);
    print_return(f, r);
    print_recheck(f, r, full);
    print_extras(f, r, full);
    print_sources(f, kb, r, sources || full);
    fputc('\n', f);
    check_wrap(f, "", r->disclaimer);
}
