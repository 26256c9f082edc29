/* engine_result.c - stage 4 of a check: the result a runner reads, built
 * from the flags, the ranking and the level (struct triage_result).
 *
 * Coherence (conditions.md 1.1): the unanswered safety answers that would
 * change the level come first; every plan action passes the level filter
 * of section 4 (its class must allow the level and no fired flag may bar
 * it), so a loading programme or "run easy again" never sits beside
 * "see a doctor today"; corrections of common advice appear only where
 * they touch the top three conditions or the plan; every source used is
 * listed once. Every sentence is a kb text or a kb template: the engine
 * only fills in names and numbers. */
#include "base/base.h"
#include "base/alloc.h"
#include "triage/triage_int.h"

/* ---- the result's memory: one list of blocks, freed at once ---- */

struct arena_block {
    struct arena_block *next;
    max_align_t align[];
};

struct arena {
    struct arena_block *head;
    json_t *keep; /* JSON values the result points into */
};

static void *arena_alloc(struct triage_result *res, size_t n)
{
    struct arena *a = res->arena;
    struct arena_block *b;
    if (n > SIZE_MAX / 2 || !(b = rc_malloc(sizeof(*b) + (n ? n : 1))))
        return NULL;
    b->next = a->head;
    a->head = b;
    memset(b->align, 0, n);
    return b->align;
}

static const char *arena_str(struct triage_result *res, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(res, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Keep v (stolen) alive as long as the result; v, or NULL. */
static json_t *arena_keep(struct triage_result *res, json_t *v)
{
    struct arena *a = res->arena;
    if (!v || json_array_append_new(a->keep, v) < 0)
        return NULL;
    return v;
}

void triage_result_release(struct triage_result *res)
{
    struct arena *a = res->arena;
    if (a) {
        for (struct arena_block *b = a->head, *n; b; b = n) {
            n = b->next;
            rc_free(b);
        }
        json_decref(a->keep);
        rc_free(a);
    }
    memset(res, 0, sizeof(*res));
}

/* ---- templates ---- */

/* Copy len bytes of s into out[0..n) at *o; when they do not fit, cut at a
 * whole UTF-8 character. Always NUL-terminated. */
static void put_n(char *out, size_t n, size_t *o, const char *s, size_t len)
{
    if (*o + len >= n) {
        len = n - 1 - *o;
        /* do not leave half a character: back off over continuation
         * bytes to the start of the last character, and drop it */
        if (len && ((unsigned char)s[len] & 0xC0) == 0x80)
            while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
                len--;
    }
    memcpy(out + *o, s, len);
    *o += len;
    out[*o] = '\0';
}

static void put(char *out, size_t n, size_t *o, const char *s)
{
    put_n(out, n, o, s, strlen(s));
}

/* A kb template with {name} replaced by vals[k] for names[k]. */
static void fill(char *out, size_t n, size_t *o, const char *tmpl,
                 const char *const *names, const char *const *vals,
                 size_t nv)
{
    const char *p = tmpl;
    while (*p && *o + 1 < n) {
        bool done = false;
        if (*p == '{')
            for (size_t k = 0; k < nv; k++) {
                size_t len = strlen(names[k]);
                if (!strncmp(p + 1, names[k], len) && p[1 + len] == '}') {
                    put(out, n, o, vals[k] ? vals[k] : "");
                    p += len + 2;
                    done = true;
                    break;
                }
            }
        if (!done) {
            size_t run = strcspn(p + 1, "{") + 1; /* up to the next brace */
            put_n(out, n, o, p, run);
            p += run;
        }
    }
}

/* A level in words for people: its kb title with a lower-case first
 * letter ("see a clinician"), not its id. */
static const char *level_words(const struct kb *kb, int level, char *out,
                               size_t n)
{
    snprintf(out, n, "%s", kb->levels[level].title);
    if (out[0] >= 'A' && out[0] <= 'Z')
        out[0] = (char)(out[0] - 'A' + 'a');
    return out;
}

/* A reason with {/pointer} replaced by the report's value (one decimal at
 * most, none when whole: "43.2", "20"), and the log's own words appended
 * when the reason rests on a field from the log. */
static const char *render(struct triage_work *w, struct triage_result *res,
                          const char *tmpl, const struct rule *r)
{
    char out[600];
    size_t o = 0;
    const char *p = tmpl;
    out[0] = '\0';
    while (*p && o + 1 < sizeof(out)) {
        const char *end = p[0] == '{' && p[1] == '/' ? strchr(p, '}') : NULL;
        char ptr[64], val[64] = "?";
        size_t n = end ? (size_t)(end - p - 1) : 0;
        if (end && n < sizeof(ptr)) {
            const json_t *v;
            memcpy(ptr, p + 1, n);
            ptr[n] = '\0';
            v = triage_get_field(w->report, ptr);
            if (json_is_number(v)) {
                double x = round(json_number_value(v) * 10) / 10;
                snprintf(val, sizeof(val), x == floor(x) ? "%.0f" : "%.1f",
                         x);
            } else if (json_is_string(v)) {
                snprintf(val, sizeof(val), "%s", json_string_value(v));
            }
            put(out, sizeof(out), &o, val);
            p = end + 1;
            continue;
        }
        {
            size_t run = strcspn(p + 1, "{") + 1;
            put_n(out, sizeof(out), &o, p, run);
            p += run;
        }
    }
    engine_log_note(w->kb, w->training, r, &w->env, out, sizeof(out), &o);
    return arena_str(res, out);
}

/* ---- ids ---- */

static int add_ids(json_t *dst, const json_t *ids)
{
    size_t i, k;
    json_t *e, *x;
    json_array_foreach(ids, i, e) {
        bool have = false;
        json_array_foreach(dst, k, x) {
            if (json_equal(x, e))
                have = true;
        }
        if (!have && json_array_append(dst, e) < 0)
            return -1;
    }
    return 0;
}

/* ---- red flags and conditions ---- */

static int result_flags(struct triage_work *w, struct triage_result *res)
{
    const struct kb *kb = w->kb;
    size_t n = 0;
    for (size_t i = 0; i < kb->nflags; i++)
        n += w->fired[i] >= 0;
    if (!n)
        return 0;
    if (!(res->flags = arena_alloc(res, n * sizeof(*res->flags))))
        return -1;
    for (size_t i = 0; i < kb->nflags; i++) {
        const struct kb_flag *f = &kb->flags[i];
        const struct kb_form *form;
        struct triage_flag_hit *h;
        struct ptrset because = { { 0 }, 0 };
        if (w->fired[i] < 0)
            continue;
        form = &f->forms[w->form[i]];
        h = &res->flags[res->nflags++];
        h->id = f->id;
        h->level = (enum triage_level)w->fired[i];
        h->via_unknown = w->fired_strict[i] < w->fired[i];
        h->source_ids = f->source_ids;
        h->label = form->label;
        if (h->via_unknown) {
            char buf[600];
            snprintf(buf, sizeof(buf), "%s %s", form->label,
                     kb_text(kb, "fired_unknown_suffix"));
            if (!(h->label = arena_str(res, buf)))
                return -1;
        }
        rule_because(form->when, &w->env, &because);
        for (size_t k = 0; k < because.n && k < RC_ARRAY_SIZE(h->because);
             k++)
            h->because[h->nbecause++] = because.v[k];
        if (!h->nbecause) /* raised only through another flag */
            h->because[h->nbecause++] = "/screen";
    }
    return 0;
}

static enum triage_band band_of(const struct kb *kb, const struct scored *s)
{
    enum triage_band b = s->share >= kb->band_likely     ? TRIAGE_LIKELY
                         : s->share >= kb->band_possible ? TRIAGE_POSSIBLE
                                                         : TRIAGE_LESS_LIKELY;
    if (s->pointed && b < TRIAGE_POSSIBLE)
        b = TRIAGE_POSSIBLE;
    if (s->pointed_real)
        b = TRIAGE_LIKELY;
    return b;
}

static int result_condition(struct triage_work *w, struct triage_result *res,
                            const struct scored *s,
                            struct triage_cond_hit *h)
{
    const struct kb_condition *c = &w->kb->conds[s->cond];
    size_t nf = c->nfeatures;
    h->id = c->id;
    h->name = c->name;
    h->score = round(s->share * 1000) / 1000;
    h->band = band_of(w->kb, s);
    h->level = (enum triage_level)s->level;
    h->led_by_flag = s->pointed;
    if (!(h->reasons_for = arena_alloc(res, nf * sizeof(char *))) ||
        !(h->reasons_against = arena_alloc(res, nf * sizeof(char *))) ||
        !(h->source_ids = arena_keep(res, json_deep_copy(c->source_ids))))
        return -1;
    for (size_t k = 0; k < nf; k++) {
        const struct kb_feature *f = &c->features[k];
        const char *text;
        if (rule_eval(f->when, &w->env, EVAL_LITERAL) != TRI_TRUE)
            continue;
        if (!(text = render(w, res, f->reason, f->when)))
            return -1;
        if (f->weight >= 0)
            h->reasons_for[h->nfor++] = text;
        else
            h->reasons_against[h->nagainst++] = text;
        if (add_ids(h->source_ids, f->source_ids) < 0)
            return -1;
    }
    return 0;
}

static int result_conditions(struct triage_work *w, struct triage_result *res)
{
    size_t max = w->kb->max_conditions;
    if (!(res->conds = arena_alloc(res, max * sizeof(*res->conds))))
        return -1;
    for (size_t i = 0; i < w->nsc && res->nconds < max; i++)
        if (w->sc[i].shown &&
            result_condition(w, res, &w->sc[i], &res->conds[res->nconds++]) <
                0)
            return -1;
    return 0;
}

/* ---- the unanswered answers that would change the level ---- */

/* Keep only the unanswered leaves whose question applies to this report:
 * the kb's ask_if says when a question matters. */
static void asked_only(const struct kb *kb, const json_t *rep,
                       struct leafset *unk)
{
    size_t k = 0;
    for (size_t i = 0; i < unk->n; i++) {
        const struct kb_q *q = kb_question_of(kb, unk->v[i]->field);
        if (q && triage_question_applies(kb, (size_t)(q - kb->questions),
                                         rep)) {
            unk->v[k] = unk->v[i];
            unk->negated[k] = unk->negated[i];
            k++;
        }
    }
    unk->n = k;
}

static bool is_unknown_word(const struct kb *kb, const char *v)
{
    size_t i;
    json_t *e;
    json_array_foreach(kb->unknown_values, i, e) {
        if (!strcmp(json_string_value(e), v))
            return true;
    }
    return false;
}

/* Does the leaf hold for this one answer? (eq: the value; in: any) */
static bool leaf_takes(const struct rule *r, const char *answer)
{
    size_t i;
    json_t *e;
    if (r->op == RULE_EQ)
        return json_is_string(r->values) &&
               !strcmp(json_string_value(r->values), answer);
    if (r->op == RULE_IN)
        json_array_foreach(r->values, i, e) {
            if (json_is_string(e) && !strcmp(json_string_value(e), answer))
                return true;
        }
    return false;
}

/* One unanswered question as the runner reads it, with the answers that
 * would raise the flag: "whether it hurts at rest (if not)", "the colour
 * of your urine (if brown ... or hardly any ...)". Leaves i.. of unk on
 * the same field are taken together. */
static void unknown_phrase(const struct kb *kb, const struct kb_q *q,
                           const struct leafset *unk, size_t i, char *out,
                           size_t n, size_t *o)
{
    const struct kb_question *pq = &q->pub;
    bool all_negated = true;
    const char *fire[16];
    size_t nf = 0, nc = 0;

    put(out, n, o, pq->unknown_text);
    for (size_t k = i; k < unk->n; k++)
        if (!unk->negated[k])
            all_negated = false;
    if (pq->kind == KB_Q_BOOL && all_negated) {
        put(out, n, o, kb_text(kb, "if_not"));
        return;
    }
    if (pq->kind != KB_Q_CHOICE && pq->kind != KB_Q_MULTI &&
        pq->kind != KB_Q_CHECKLIST)
        return;
    for (size_t c = 0; c < pq->nchoices; c++) {
        /* a choice, or a checklist item (its own field and value) */
        const char *field = q->nitems ? q->items[c].field : pq->field;
        const char *value = q->nitems
                                ? json_string_value(q->items[c].value)
                                : pq->choices[c].value;
        bool takes = false;
        if (value && is_unknown_word(kb, value))
            continue;
        nc++;
        for (size_t k = i; k < unk->n; k++) {
            const struct rule *r = unk->v[k];
            bool holds = value ? leaf_takes(r, value)
                               : r->op == RULE_EQ && json_is_true(r->values);
            if (!strcmp(r->field, field) && holds != unk->negated[k])
                takes = true;
        }
        if (takes && nf < RC_ARRAY_SIZE(fire))
            fire[nf++] = pq->choices[c].text;
    }
    if (nf && nf < nc)
        for (size_t k = 0; k < nf; k++) {
            put(out, n, o, k == 0 ? " (if " : k + 1 < nf ? ", " : " or ");
            put(out, n, o, fire[k]);
            if (k + 1 == nf)
                put(out, n, o, ")");
        }
}

static int add_unknown(struct triage_result *res, size_t cap,
                       const char *note, const char *question, int level,
                       const char *flag, bool fired)
{
    struct triage_unknown *u;
    if (res->nunknowns >= cap)
        return 0;
    u = &res->unknowns[res->nunknowns];
    if (!(u->note = arena_str(res, note)) ||
        !(u->question = arena_str(res, question)))
        return -1;
    u->flag_label = flag;
    u->level = (enum triage_level)level;
    u->fired = fired;
    res->nunknowns++;
    return 0;
}

/* One unanswered question, the highest level it could raise, the form
 * that would fire and that form's leaves on it. */
struct unknown_field {
    const struct kb_q *q; /* the question that asks it */
    int level;
    const struct kb_form *form;
    struct leafset leaves;
};

/* Collect the unanswered questions that could raise a flag above the
 * level, each once with the highest level it could lead to. A leaf that
 * would have to be false ("no fall caused it") is named only when its form
 * has nothing else unanswered. */
static size_t collect_unknowns(struct triage_work *w, struct unknown_field *u,
                               size_t cap)
{
    const struct kb *kb = w->kb;
    size_t n = 0;
    for (size_t i = 0; i < kb->nflags; i++) {
        const struct kb_flag *f = &kb->flags[i];
        if (!w->possible[i])
            continue;
        for (size_t m = 0; m < f->nforms; m++) {
            struct leafset unk = { { 0 }, { 0 }, 0 };
            bool plain = false;
            if (f->forms[m].level <= w->level ||
                rule_eval(f->forms[m].when, &w->env, EVAL_THREE) !=
                    TRI_UNKNOWN)
                continue;
            rule_unknown_leaves(f->forms[m].when, &w->env, &unk);
            asked_only(kb, w->report, &unk);
            for (size_t k = 0; k < unk.n; k++)
                plain |= !unk.negated[k];
            for (size_t k = 0; k < unk.n; k++) {
                const struct kb_q *q = kb_question_of(kb, unk.v[k]->field);
                size_t at;
                if ((plain && unk.negated[k]) || !q)
                    continue;
                for (at = 0; at < n; at++)
                    if (u[at].q == q)
                        break;
                if (at == n) {
                    if (n == cap)
                        continue;
                    memset(&u[n], 0, sizeof(u[n]));
                    u[n].q = q;
                    u[n].level = -1;
                    n++;
                }
                if (f->forms[m].level > u[at].level) {
                    u[at].level = f->forms[m].level;
                    u[at].form = &f->forms[m];
                    u[at].leaves.n = 0;
                }
                if (u[at].form == &f->forms[m] &&
                    u[at].leaves.n < RC_ARRAY_SIZE(u[at].leaves.v)) {
                    u[at].leaves.v[u[at].leaves.n] = unk.v[k];
                    u[at].leaves.negated[u[at].leaves.n++] = unk.negated[k];
                }
            }
            break; /* its highest unknown form says enough */
        }
    }
    return n;
}

/* "Not answered: Q. If so: LEVEL (FLAG).", one a question, the highest
 * level first. */
static int possible_notes(struct triage_work *w, struct triage_result *res,
                          size_t cap)
{
    static const char *const names[] = { "question", "level", "flag" };
    const struct kb *kb = w->kb;
    struct unknown_field u[16];
    size_t n = collect_unknowns(w, u, RC_ARRAY_SIZE(u));
    for (int lv = TRIAGE_EMERGENCY; lv > w->level; lv--)
        for (size_t i = 0; i < n; i++) {
            const struct kb_q *q = u[i].q;
            char qs[700], note[1000], level[64];
            const char *vals[3];
            size_t o = 0, qo = 0;
            if (u[i].level != lv || !q)
                continue;
            qs[0] = '\0';
            unknown_phrase(kb, q, &u[i].leaves, 0, qs, sizeof(qs), &qo);
            vals[0] = qs;
            vals[1] = level_words(kb, lv, level, sizeof(level));
            vals[2] = u[i].form->label;
            fill(note, sizeof(note), &o, kb_text(kb, "unknown_note"), names,
                 vals, 3);
            if (add_unknown(res, cap, note, q->pub.unknown_text, lv,
                            u[i].form->label, false) < 0)
                return -1;
        }
    return 0;
}

static int result_unknowns(struct triage_work *w, struct triage_result *res)
{
    const struct kb *kb = w->kb;
    size_t cap = kb->nflags + 16;
    static const char *const names[] = { "question", "level", "flag" };
    if (!(res->unknowns = arena_alloc(res, cap * sizeof(*res->unknowns))))
        return -1;
    /* flags that fired only because a safety answer is missing */
    for (size_t i = 0; i < kb->nflags; i++) {
        struct ptrset fields = { { 0 }, 0 };
        char qs[600], note[1000], level[64];
        const char *vals[3];
        size_t o = 0;
        if (w->fired[i] < 0 || w->fired_strict[i] >= w->fired[i])
            continue;
        rule_unknown_matches(kb->flags[i].forms[w->form[i]].when, &w->env,
                             &fields);
        qs[0] = '\0';
        for (size_t k = 0, qo = 0; k < fields.n; k++) {
            const struct kb_q *q = kb_question_of(kb, fields.v[k]);
            if (!q)
                continue;
            if (qo)
                put(qs, sizeof(qs), &qo, " or ");
            put(qs, sizeof(qs), &qo, q->pub.unknown_text);
        }
        vals[0] = qs;
        vals[1] = level_words(kb, w->fired[i], level, sizeof(level));
        vals[2] = kb->flags[i].forms[w->form[i]].label;
        fill(note, sizeof(note), &o, kb_text(kb, "unknown_fired"), names,
             vals, 3);
        if (add_unknown(res, cap, note, qs, w->fired[i], vals[2], true) < 0)
            return -1;
    }
    return possible_notes(w, res, cap);
}

/* ---- headline and reason ---- */

static int result_words(struct triage_work *w, struct triage_result *res)
{
    const struct kb *kb = w->kb;
    const struct kb_level *lv = &kb->levels[w->level];
    const struct kb_condition *top =
        w->nsc ? &kb->conds[w->sc[0].cond] : NULL;
    static const char *const names[] = { "level_headline", "condition",
                                         "flag", "level", "grade", "flags",
                                         "reason" };
    const char *vals[7] = { lv->headline, top ? top->name : "", NULL, NULL,
                            NULL, NULL, NULL };
    char buf[1200], flags[900], words[64], grade[320];
    size_t o = 0, fo = 0;

    /* the headline: the one thing to do now */
    if (w->level <= TRIAGE_SEE_CLINICIAN && top)
        fill(buf, 301, &o, kb_text(kb, "headline_benign"), names, vals, 2);
    else if (res->nflags) {
        const struct triage_flag_hit *h = &res->flags[0];
        for (size_t i = 0; i < res->nflags; i++)
            if ((int)res->flags[i].level == w->level) {
                h = &res->flags[i];
                break;
            }
        vals[2] = h->label;
        fill(buf, 301, &o, kb_text(kb, "headline_flag"), names, vals, 3);
    } else {
        fill(buf, 301, &o, kb_text(kb, "headline_plain"), names, vals, 2);
    }
    if (!(res->headline = arena_str(res, buf)))
        return -1;

    /* the reason: the unanswered answers first, then what set the level */
    o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < res->nunknowns; i++) {
        put(buf, 1001, &o, res->unknowns[i].note);
        put(buf, 1001, &o, " ");
    }
    flags[0] = '\0';
    for (size_t i = 0; i < res->nflags; i++) {
        char lw[64];
        if (i)
            put(flags, sizeof(flags), &fo, "; ");
        put(flags, sizeof(flags), &fo, res->flags[i].label);
        put(flags, sizeof(flags), &fo, " (");
        put(flags, sizeof(flags), &fo,
            level_words(kb, (int)res->flags[i].level, lw, sizeof(lw)));
        put(flags, sizeof(flags), &fo, ")");
    }
    vals[5] = flags;
    fill(buf, 1001, &o,
         kb_text(kb, res->nflags ? "reason_flags" : "reason_no_flag"), names,
         vals, 7);
    if (top && w->sc[0].grade_reason &&
        !(res->grade_reason = arena_str(res, w->sc[0].grade_reason)))
        return -1;
    if (top) {
        snprintf(grade, sizeof(grade), "%s%s",
                 w->sc[0].grade_reason ? ", " : "",
                 w->sc[0].grade_reason ? w->sc[0].grade_reason : "");
        vals[3] = level_words(kb, w->sc[0].level, words, sizeof(words));
        vals[4] = grade;
        put(buf, 1001, &o, " ");
        fill(buf, 1001, &o, kb_text(kb, "reason_top"), names, vals, 5);
    }
    if (w->escalation) {
        vals[6] = w->escalation;
        put(buf, 1001, &o, " ");
        fill(buf, 1001, &o, kb_text(kb, "reason_escalated"), names, vals, 7);
    }
    while (o && buf[o - 1] == ' ')
        buf[--o] = '\0';
    res->reason = arena_str(res, buf);
    return res->reason ? 0 : -1;
}

/* ---- the plan ---- */

static long class_id(const struct kb *kb, const char *id)
{
    for (size_t i = 0; i < kb->nclasses; i++)
        if (!strcmp(kb->classes[i].id, id))
            return (long)i;
    return -1;
}

/* The level filter: may advice of this class appear in this result? */
static bool class_allowed(const struct triage_work *w, size_t cls)
{
    const struct kb_class *c = &w->kb->classes[cls];
    return (c->levels & (1u << w->level)) &&
           !(c->never_if &&
             rule_eval(c->never_if, &w->env, EVAL_LITERAL) == TRI_TRUE);
}

/* The sources of what set the level: the red flags at that level, or else
 * the top condition when the level is its own. */
static json_t *level_sources(struct triage_work *w, struct triage_result *res)
{
    json_t *ids = arena_keep(res, json_array());
    if (!ids)
        return NULL;
    for (size_t i = 0; i < res->nflags; i++)
        if ((int)res->flags[i].level == w->level &&
            add_ids(ids, res->flags[i].source_ids) < 0)
            return NULL;
    if (!json_array_size(ids) && res->nconds &&
        (int)res->conds[0].level == w->level &&
        add_ids(ids, res->conds[0].source_ids) < 0)
        return NULL;
    return ids;
}

struct plan {
    struct triage_step *steps;
    size_t n, cap;
    const struct kb_block **added; /* each block once */
    size_t nadded;
};

static int action_from(struct triage_result *res, struct triage_action *a,
                       const json_t *rec, const char *cls)
{
    a->kind = json_string_value(json_object_get(rec, "kind"));
    a->text = json_string_value(json_object_get(rec, "text"));
    a->why = json_string_value(json_object_get(rec, "why"));
    a->cls = cls;
    a->source_ids = json_object_get(rec, "source_ids");
    (void)res;
    return 0;
}

static int add_block(struct triage_work *w, struct triage_result *res,
                     struct plan *p, const struct kb_block *b)
{
    struct triage_step *s;
    double now = isfinite(w->hours) ? w->hours : 0;
    for (size_t i = 0; i < p->nadded; i++)
        if (p->added[i] == b)
            return 0;
    p->added[p->nadded++] = b;
    if ((!isnan(b->to_h) && b->to_h <= now) || p->n == p->cap)
        return 0; /* that window is over */
    s = &p->steps[p->n];
    if (!(s->actions = arena_alloc(res, b->nactions * sizeof(*s->actions))))
        return -1;
    for (size_t i = 0; i < b->nactions; i++) {
        const struct kb_action *a = &b->actions[i];
        if (!class_allowed(w, a->cls) ||
            (a->unless &&
             rule_eval(a->unless, &w->env, EVAL_LITERAL) == TRI_TRUE))
            continue;
        action_from(res, &s->actions[s->nactions++], a->rec,
                    w->kb->classes[a->cls].id);
    }
    if (!s->nactions)
        return 0;
    s->from_h = b->from_h < now ? now : b->from_h;
    s->to_h = b->to_h;
    s->now = b->from_h <= now;
    if (b->from_h < now && !isnan(b->to_h)) {
        char label[200];
        snprintf(label, sizeof(label), "%s%s", b->label,
                 kb_text(w->kb, "now_suffix"));
        if (!(s->label = arena_str(res, label)))
            return -1;
    } else {
        s->label = b->label;
    }
    p->n++;
    return 0;
}

static int add_level_step(struct triage_work *w, struct triage_result *res,
                          struct plan *p)
{
    const json_t *acts = w->kb->levels[w->level].actions, *a;
    struct triage_step *s = &p->steps[p->n];
    json_t *why;
    size_t i;
    if (!json_array_size(acts))
        return 0;
    if (!(why = level_sources(w, res)) ||
        !(s->actions = arena_alloc(res, json_array_size(acts) *
                                            sizeof(*s->actions))))
        return -1;
    json_array_foreach(acts, i, a) {
        struct triage_action *t = &s->actions[s->nactions++];
        action_from(res, t, a, "seek_care");
        if (json_array_size(why))
            t->source_ids = why;
    }
    s->from_h = isfinite(w->hours) ? w->hours : 0;
    s->to_h = NAN;
    s->now = true;
    s->label = kb_text(w->kb, "plan_now");
    p->n++;
    return 0;
}

static int cmp_steps(const void *a, const void *b)
{
    const struct triage_step *x = a, *y = b;
    return x->from_h < y->from_h ? -1 : x->from_h > y->from_h;
}

/* Insertion sort: stable, so blocks keep their order within an hour. */
static void sort_steps(struct triage_step *s, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp_steps(&s[j - 1], &s[j]) > 0; j--) {
            struct triage_step t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
}

static int result_plan(struct triage_work *w, struct triage_result *res)
{
    const struct kb *kb = w->kb;
    const struct kb_condition *top =
        w->nsc ? &kb->conds[w->sc[0].cond] : NULL;
    struct plan p = { NULL, 0, kb->nblocks + 1, NULL, 0 };
    static const char *const names[] = { "level_headline", "course" };
    const char *vals[2] = { kb->levels[w->level].headline, NULL };
    char summary[600];
    size_t o = 0;
    long ret;

    if (!(p.steps = arena_alloc(res, p.cap * sizeof(*p.steps))) ||
        !(p.added = arena_alloc(res, p.cap * sizeof(*p.added))) ||
        add_level_step(w, res, &p) < 0)
        return -1;
    for (size_t i = 0; i < kb->nflags; i++)
        for (size_t k = 0; w->fired[i] >= 0 && k < kb->flags[i].nblocks; k++)
            if (add_block(w, res, &p, &kb->blocks[kb->flags[i].blocks[k]]) <
                0)
                return -1;
    for (size_t k = 0; top && k < top->nblocks; k++)
        if (add_block(w, res, &p, &kb->blocks[top->blocks[k]]) < 0)
            return -1;
    for (size_t i = 0; i < kb->nblocks; i++)
        if (kb->blocks[i].always && add_block(w, res, &p, &kb->blocks[i]) < 0)
            return -1;
    sort_steps(p.steps, p.n);
    res->steps = p.steps;
    res->nsteps = p.n;

    vals[1] = top ? json_string_value(
                        json_object_get(top->recheck, "expected_course"))
                  : NULL;
    fill(summary, sizeof(summary), &o,
         kb_text(kb, vals[1] ? "plan_summary" : "plan_summary_plain"), names,
         vals, 2);
    if (!(res->summary = arena_str(res, summary)))
        return -1;

    /* back to running: only where the level filter allows it */
    ret = class_id(kb, "return");
    res->return_not_before_days = NAN;
    res->return_max_km = NAN;
    if (top && top->ret && ret >= 0 && class_allowed(w, (size_t)ret)) {
        const json_t *nb = json_object_get(top->ret, "not_before_days");
        res->has_return = true;
        if (json_is_number(nb))
            res->return_not_before_days = json_number_value(nb);
        if (w->training && isfinite(w->training->max_single_run_km))
            res->return_max_km =
                round(w->training->max_single_run_km * 10) / 10;
        res->return_first_session =
            json_string_value(json_object_get(top->ret, "first_session"));
        res->return_rule =
            json_string_value(json_object_get(top->ret, "progression_rule"));
        res->return_source_ids = json_object_get(top->ret, "source_ids");
    }
    return 0;
}

/* ---- recheck, corrections, sources ---- */

static int result_recheck(struct triage_work *w, struct triage_result *res)
{
    const struct kb *kb = w->kb;
    const struct kb_condition *top =
        w->nsc ? &kb->conds[w->sc[0].cond] : NULL;
    const json_t *esc = top ? json_object_get(top->recheck, "escalate_if")
                            : NULL;
    size_t n = res->nunknowns + json_array_size(esc) + 1, i;
    json_t *e;
    double after = top ? json_number_value(
                             json_object_get(top->recheck, "after_hours"))
                       : kb->levels[w->level].recheck_h;
    if (w->level > TRIAGE_SELF_CARE && kb->levels[w->level].recheck_h < after)
        after = kb->levels[w->level].recheck_h;
    res->recheck_h = after;
    if (!(res->escalate_if = arena_alloc(res, n * sizeof(char *))))
        return -1;
    for (i = 0; i < res->nunknowns; i++)
        res->escalate_if[res->nescalate_if++] = res->unknowns[i].note;
    json_array_foreach(esc, i, e)
        res->escalate_if[res->nescalate_if++] = json_string_value(e);
    if (!res->nescalate_if)
        res->escalate_if[res->nescalate_if++] =
            kb_text(kb, "escalate_default");
    res->expected_course =
        top ? json_string_value(json_object_get(top->recheck,
                                                "expected_course"))
            : NULL;
    return 0;
}

static bool json_has_string(const json_t *a, const char *s)
{
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        if (s && json_is_string(e) && !strcmp(json_string_value(e), s))
            return true;
    }
    return false;
}

/* Does the plan hold this topic: an action class, a block, load warnings? */
static bool plan_has(const struct triage_result *res, const char *topic)
{
    if (!strcmp(topic, "load_warnings"))
        return json_array_size(res->load_warnings) || res->has_return;
    if (!strcmp(topic, "return") && res->has_return)
        return true;
    for (size_t i = 0; i < res->nsteps; i++)
        for (size_t k = 0; k < res->steps[i].nactions; k++)
            if (!strcmp(res->steps[i].actions[k].cls, topic))
                return true;
    return false;
}

static int result_corrections(struct triage_work *w,
                              struct triage_result *res)
{
    const struct kb *kb = w->kb;
    if (!kb->ncorrs)
        return 0;
    if (!(res->corrections = arena_alloc(res, kb->ncorrs * sizeof(void *))))
        return -1;
    for (size_t i = 0; i < kb->ncorrs; i++) {
        const struct kb_correction *c = &kb->corrs[i];
        bool touches = false;
        size_t k;
        json_t *e;
        if (w->level >= TRIAGE_URGENT && !c->supports_urgent)
            continue;
        for (k = 0; k < res->nconds && k < 3; k++)
            if (json_has_string(c->shown_with, res->conds[k].id))
                touches = true;
        json_array_foreach(c->topics, k, e) {
            if (plan_has(res, json_string_value(e)))
                touches = true;
        }
        if (touches &&
            (!c->when || rule_eval(c->when, &w->env, EVAL_LITERAL) == TRI_TRUE))
            res->corrections[res->ncorrections++] = c->rec;
    }
    return 0;
}

/* Every source id used anywhere in the result, in order of first use. */
static int result_sources(struct triage_work *w, struct triage_result *res)
{
    json_t *ids = arena_keep(res, json_array());
    size_t i;
    json_t *e;
    if (!ids)
        return -1;
    for (i = 0; i < res->nflags; i++)
        if (add_ids(ids, res->flags[i].source_ids) < 0)
            return -1;
    for (i = 0; i < res->nconds; i++)
        if (add_ids(ids, res->conds[i].source_ids) < 0)
            return -1;
    for (i = 0; i < res->nsteps; i++)
        for (size_t k = 0; k < res->steps[i].nactions; k++)
            if (add_ids(ids, res->steps[i].actions[k].source_ids) < 0)
                return -1;
    if (res->has_return && add_ids(ids, res->return_source_ids) < 0)
        return -1;
    for (i = 0; i < res->ncorrections; i++)
        if (add_ids(ids, json_object_get(res->corrections[i], "source_ids")) <
            0)
            return -1;
    json_array_foreach(res->load_warnings, i, e) {
        if (add_ids(ids, json_object_get(e, "source_ids")) < 0)
            return -1;
    }
    if (!json_array_size(ids) &&
        add_ids(ids, json_object_get(w->kb->meta, "source_ids")) < 0)
        return -1;
    res->source_ids = ids;
    return 0;
}

int engine_result(struct triage_work *w, double now_s,
                  struct triage_result *res, struct rc_err *err)
{
    const struct kb *kb = w->kb;
    struct arena *a = rc_malloc(sizeof(*a));
    const json_t *warn = w->training ? w->training->load_warnings : NULL;

    memset(res, 0, sizeof(*res));
    if (!a)
        return rc_fail(err, RC_EENV, "out of memory");
    a->head = NULL;
    if (!(a->keep = json_array())) {
        rc_free(a);
        return rc_fail(err, RC_EENV, "out of memory");
    }
    res->arena = a;
    res->level = (enum triage_level)w->level;
    res->semigran = kb->levels[w->level].semigran;
    res->disclaimer =
        json_string_value(json_object_get(kb->meta, "disclaimer"));
    res->kb_version = kb->version;
    res->generated_at = now_s;
    res->report_id =
        json_string_value(json_object_get(w->report, "report_id"));
    if ((res->report_id && !(res->report_id = arena_str(res, res->report_id))) ||
        !(res->load_warnings = arena_keep(res, json_is_array(warn)
                                                   ? json_deep_copy(warn)
                                                   : json_array())) ||
        result_flags(w, res) < 0 || result_conditions(w, res) < 0 ||
        result_unknowns(w, res) < 0 || result_words(w, res) < 0 ||
        result_plan(w, res) < 0 || result_recheck(w, res) < 0 ||
        result_corrections(w, res) < 0 || result_sources(w, res) < 0)
        return rc_fail(err, RC_EENV, "out of memory");
    return 0;
}
