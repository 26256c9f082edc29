/* engine.c - the generic triage engine: a validated report in, a result
 * (result.schema.json) out. It knows no clinical facts; it applies the kb:
 *   1. red flags: each rule read literally; a flag that fires sets its level
 *      and can never be lowered; a flag that an unanswered question could
 *      still raise is named in triage_reason and recheck.escalate_if;
 *   2. conditions: those whose applies_if holds are scored (prior plus the
 *      weights of the features that hold), turned into shares that sum to 1
 *      (softmax), ranked (a tie goes to the more serious condition), with
 *      the reasons for and against;
 *   3. the level: the highest of every fired flag, the top condition's own
 *      level (default and grade rules) and the escalation rules of every
 *      listed condition that is not "less likely" (conditions.md section 1);
 *   4. the plan: the level's actions now, the top condition's plan blocks
 *      and the always-blocks, each a window in hours from the end of the
 *      run, clipped to "now" (hours_since_run); return to running with the
 *      load guard's cap; corrections whose rules hold; every source used. */
#include <ctype.h>

#include "base/base.h"
#include "base/time.h"
#include "triage/triage_int.h"

void triage_training_init(struct triage_training *t)
{
    memset(t, 0, sizeof(*t));
    t->max_single_run_km = NAN;
}

int triage_parse_report(const struct kb *kb, const char *text, size_t len,
                        json_t **out, struct jschema_errors *errs,
                        struct rc_err *err)
{
    json_error_t je;
    json_t *rep = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    int n;

    if (!rep)
        return rc_fail_line(err, je.line, je.column, "invalid JSON: %s",
                            je.text);
    n = jschema_validate(kb->report_schema, rep, errs);
    if (n != 0) {
        json_decref(rep);
        if (n < 0)
            return rc_fail(err, RC_EENV, "out of memory");
        return rc_fail(err, RC_EINPUT,
                       "the report has %d problem%s (see above)", n,
                       n == 1 ? "" : "s");
    }
    *out = rep;
    return 0;
}

enum triage_level triage_result_level(const json_t *result)
{
    int lv = triage_level_parse(
        json_string_value(json_object_get(result, "triage")));
    return lv < 0 ? TRIAGE_SELF_CARE : (enum triage_level)lv;
}

bool triage_question_applies(const struct kb *kb, size_t i,
                             const json_t *partial)
{
    struct eval_env env = { partial, NULL, -1, NULL, -1, NULL };
    if (i >= kb->nquestions)
        return false;
    return !kb->questions[i].ask_if ||
           rule_eval(kb->questions[i].ask_if, &env, false) == TRI_TRUE;
}

bool kb_field_question_applies(const struct kb *kb, const char *field,
                               const json_t *report)
{
    for (size_t i = 0; i < kb->nquestions; i++)
        if (!strcmp(kb->questions[i].pub.field, field))
            return triage_question_applies(kb, i, report);
    return true;
}

/* fired[] for every flag, in file order (a flag may read earlier ones) */
static void eval_flags(const struct kb *kb, struct eval_env *env, bool *fired)
{
    env->fired = fired;
    for (size_t i = 0; i < kb->nflags; i++)
        fired[i] = rule_eval(kb->flags[i].when, env, false) == TRI_TRUE;
}

const char *triage_emergency_now(const struct kb *kb, const json_t *partial,
                                 const char **label)
{
    bool fired[64] = { false };
    struct eval_env env = { partial, NULL, -1, NULL, -1, NULL };
    if (kb->nflags > RC_ARRAY_SIZE(fired))
        return NULL;
    eval_flags(kb, &env, fired);
    for (size_t i = 0; i < kb->nflags; i++)
        if (fired[i] && kb->flags[i].level == TRIAGE_EMERGENCY) {
            if (label)
                *label = kb->flags[i].label;
            return kb->flags[i].id;
        }
    return NULL;
}

/* ---- building blocks ---- */

struct scored {
    size_t cond;
    double score, share;
    int level;
    const char *grade_reason;
};

/* Highest score first. Equal scores are equally likely: the more serious
 * condition goes first (conditions.md section 1 takes the top-ranked
 * condition's level, and a tie must not fall to the milder one by file
 * order), then kb order. */
static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->level != y->level)
        return x->level < y->level ? 1 : -1;
    return x->cond < y->cond ? -1 : (x->cond > y->cond);
}

static const char *training_why(const struct triage_training *t,
                                const char *field)
{
    if (!t || !field)
        return NULL;
    if (t->has_spike && !strcmp(field, "/training/longest_run_spike_pct"))
        return t->spike_why;
    if (t->has_weekly_change &&
        !strcmp(field, "/training/weekly_volume_change_pct"))
        return t->weekly_change_why;
    if (t->has_weekly_km && !strcmp(field, "/training/weekly_km"))
        return t->weekly_km_why;
    if (t->has_break && !strcmp(field, "/training/break_weeks"))
        return t->break_why;
    return NULL;
}

bool triage_training_knows(const struct triage_training *t,
                           const char *field)
{
    return training_why(t, field) ||
           (t && t->has_new_to_running &&
            !strcmp(field, "/training/new_to_running")) ||
           (t && t->session[0] && !strcmp(field, "/training/session"));
}

/* A reason with {/pointer} replaced by the report's value, and the log's
 * own words appended when the reason rests on a field from the log. */
static json_t *render(const char *tmpl, const json_t *rep,
                      const struct rule *r, const struct triage_training *t)
{
    char out[600];
    size_t o = 0;
    const char *p = tmpl;
    struct ptrset fields = { { 0 }, 0 };

    while (*p && o + 1 < sizeof(out)) {
        if (p[0] == '{' && p[1] == '/') {
            const char *end = strchr(p, '}');
            char ptr[64];
            size_t n = end ? (size_t)(end - p - 1) : 0;
            if (end && n < sizeof(ptr)) {
                const json_t *v;
                memcpy(ptr, p + 1, n);
                ptr[n] = '\0';
                v = triage_get_field(rep, ptr);
                if (json_is_number(v)) {
                    /* for people: one decimal at most, none when whole
                     * ("43.2", "20"), never "43.1818" */
                    double x = round(json_number_value(v) * 10) / 10;
                    o += (size_t)snprintf(out + o, sizeof(out) - o,
                                          x == floor(x) ? "%.0f" : "%.1f", x);
                }
                else if (json_is_string(v))
                    o += (size_t)snprintf(out + o, sizeof(out) - o, "%s",
                                          json_string_value(v));
                else
                    o += (size_t)snprintf(out + o, sizeof(out) - o, "?");
                if (o >= sizeof(out))
                    o = sizeof(out) - 1;
                p = end + 1;
                continue;
            }
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
    if (r && t) {
        struct eval_env env = { rep, NULL, -1, NULL, -1, NULL };
        rule_because(r, &env, &fields);
        for (size_t i = 0; i < fields.n; i++) {
            const char *why = training_why(t, fields.v[i]);
            if (why && why[0] && o + 4 < sizeof(out))
                o += (size_t)snprintf(out + o, sizeof(out) - o,
                                      " (from your log: %s)", why);
            if (o >= sizeof(out))
                o = sizeof(out) - 1;
        }
    }
    return json_string(out);
}

static void add_ids(json_t *dst, const json_t *ids)
{
    size_t i;
    json_t *e;
    json_array_foreach(ids, i, e) {
        size_t k;
        json_t *x;
        bool have = false;
        json_array_foreach(dst, k, x) {
            if (json_equal(x, e))
                have = true;
        }
        if (!have)
            json_array_append(dst, e);
    }
}

/* Copy the log's training context into the report (source log/mixed). */
static void apply_training(json_t *rep, const struct triage_training *t)
{
    json_t *tr;
    bool had_other;
    int filled = 0;

    if (!t)
        return;
    tr = json_object_get(rep, "training");
    had_other = tr && json_object_size(tr) > (json_object_get(tr, "source")
                                                  ? 1u
                                                  : 0u);
#define SETNUM(flag, key, val)                                               \
    if (t->flag) {                                                           \
        triage_set_field(rep, "/training/" key, json_real(val));             \
        filled++;                                                            \
    }
    SETNUM(has_weekly_km, "weekly_km", t->weekly_km)
    SETNUM(has_weekly_change, "weekly_volume_change_pct",
           t->weekly_volume_change_pct)
    SETNUM(has_spike, "longest_run_spike_pct", t->longest_run_spike_pct)
    SETNUM(has_break, "break_weeks", t->break_weeks)
#undef SETNUM
    if (t->has_new_to_running) {
        triage_set_field(rep, "/training/new_to_running",
                         json_boolean(t->new_to_running));
        filled++;
    }
    if (t->session[0]) {
        json_t *s = json_array();
        for (size_t i = 0; i < RC_ARRAY_SIZE(t->session) && t->session[i]; i++)
            json_array_append_new(s, json_string(t->session[i]));
        triage_set_field(rep, "/training/session", s);
        filled++;
    }
    if (filled)
        triage_set_field(rep, "/training/source",
                         json_string(had_other ? "mixed" : "log"));
}

static void set_str_capped(json_t *o, const char *key, const char *s,
                           size_t max_chars)
{
    char buf[1200];
    size_t n = 0, chars = 0;
    while (s[n] && n + 4 < sizeof(buf)) {
        if (((unsigned char)s[n] & 0xC0) != 0x80) {
            if (chars == max_chars)
                break;
            chars++;
        }
        n++;
    }
    while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80 && n + 1 < sizeof(buf))
        n++; /* finish the character */
    memcpy(buf, s, n);
    buf[n] = '\0';
    json_object_set_new(o, key, json_string(buf));
}

/* every "source_ids" entry anywhere in v */
static void collect_sources(const json_t *v, json_t *ids)
{
    const char *key;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, x) {
            if (!strcmp(key, "source_ids"))
                add_ids(ids, x);
            else
                collect_sources(x, ids);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) {
            collect_sources(x, ids);
        }
    }
}

static json_t *action_json(const json_t *rec)
{
    json_t *a = json_object();
    json_object_set(a, "kind", json_object_get(rec, "kind"));
    json_object_set(a, "text", json_object_get(rec, "text"));
    if (json_object_get(rec, "why"))
        json_object_set(a, "why", json_object_get(rec, "why"));
    json_object_set_new(a, "source_ids",
                        json_deep_copy(json_object_get(rec, "source_ids")));
    return a;
}

/* The sources of what set the result's level: the red flags at that
 * level, or else the top condition when the level is its own. Empty when
 * an escalation set it. */
static json_t *level_reason_sources(const json_t *flags, const json_t *conds,
                                    const char *level)
{
    json_t *ids = json_array(), *f, *top = json_array_get(conds, 0);
    size_t i;
    json_array_foreach(flags, i, f) {
        if (!strcmp(json_string_value(json_object_get(f, "triage")), level))
            add_ids(ids, json_object_get(f, "source_ids"));
    }
    if (!json_array_size(ids) && top &&
        !strcmp(json_string_value(json_object_get(top, "triage")), level))
        add_ids(ids, json_object_get(top, "source_ids"));
    return ids;
}

static json_t *step_json(double from_h, double to_h, const char *label,
                         json_t *actions)
{
    json_t *s = json_object();
    json_object_set_new(s, "from_hours", json_real(from_h));
    json_object_set_new(s, "to_hours", isnan(to_h) ? json_null()
                                                   : json_real(to_h));
    json_object_set_new(s, "label", json_string(label));
    json_object_set_new(s, "actions", actions);
    return s;
}

static void add_block(json_t *steps, const struct kb_block *b, double now_h,
                      const struct eval_env *env)
{
    json_t *acts;
    char label[200];
    double from = b->from_h;

    if (!isnan(b->to_h) && b->to_h <= now_h)
        return; /* that window is over */
    acts = json_array();
    for (size_t i = 0; i < b->nactions; i++) {
        if (b->actions[i].unless &&
            rule_eval(b->actions[i].unless, env, false) == TRI_TRUE)
            continue;
        json_array_append_new(acts, action_json(b->actions[i].rec));
    }
    if (!json_array_size(acts)) {
        json_decref(acts);
        return;
    }
    if (from < now_h) {
        /* a window already under way starts now (from_hours says the
         * hour); an open-ended one ("all along") needs no "now" */
        snprintf(label, sizeof(label), isnan(b->to_h) ? "%s" : "%s (now)",
                 b->label);
        from = now_h;
    } else {
        snprintf(label, sizeof(label), "%s", b->label);
    }
    json_array_append_new(steps, step_json(from, b->to_h, label, acts));
}

static int cmp_steps(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    double fx = json_number_value(json_object_get(x, "from_hours"));
    double fy = json_number_value(json_object_get(y, "from_hours"));
    return fx < fy ? -1 : fx > fy;
}

static void sort_steps(json_t *steps)
{
    size_t n = json_array_size(steps);
    json_t *tmp[64];
    if (n < 2 || n > RC_ARRAY_SIZE(tmp))
        return;
    for (size_t i = 0; i < n; i++)
        tmp[i] = json_incref(json_array_get(steps, i));
    /* insertion sort: stable, so blocks keep their kb order within a time */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp_steps(&tmp[j - 1], &tmp[j]) > 0; j--) {
            json_t *t = tmp[j];
            tmp[j] = tmp[j - 1];
            tmp[j - 1] = t;
        }
    json_array_clear(steps);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(steps, tmp[i]);
}

static const struct kb_q *question_of(const struct kb *kb, const char *field)
{
    for (size_t i = 0; i < kb->nquestions; i++)
        if (!strcmp(kb->questions[i].pub.field, field))
            return &kb->questions[i];
    return NULL;
}

/* A level in words for people: its kb title with a lower-case first
 * letter ("see a clinician"), not its id. */
static const char *level_words(const struct kb *kb, int level, char *out,
                               size_t n)
{
    snprintf(out, n, "%s", kb->levels[level].title);
    out[0] = (char)tolower((unsigned char)out[0]);
    return out;
}

/* Keep only the unanswered leaves whose question applies to this report:
 * the kb's ask_if says when a question matters. */
static void asked_only(const struct kb *kb, const json_t *rep,
                       struct leafset *unk)
{
    size_t k = 0;
    for (size_t i = 0; i < unk->n; i++) {
        const struct kb_q *q = question_of(kb, unk->v[i]->field);
        if (q && triage_question_applies(kb, (size_t)(q - kb->questions),
                                         rep)) {
            unk->v[k] = unk->v[i];
            unk->negated[k] = unk->negated[i];
            k++;
        }
    }
    unk->n = k;
}

/* Does the leaf hold for this one answer? (eq: the value; in: any) */
static bool leaf_takes(const struct rule *r, const json_t *answer)
{
    size_t i;
    json_t *e;
    if (r->op == RULE_EQ)
        return json_equal(r->values, answer);
    if (r->op == RULE_IN)
        json_array_foreach(r->values, i, e) {
            if (json_equal(e, answer))
                return true;
        }
    return false;
}

/* One unanswered question as the runner reads it, with the answers that
 * would raise the flag: "whether it hurts at rest (if not)", "the colour
 * of your urine (if brown ... or hardly any ...)". Leaves i.. of unk on the
 * same field are taken together; returns the characters written. */
static size_t unknown_phrase(const struct kb_q *q, const struct leafset *unk,
                             size_t i, char *out, size_t n)
{
    const struct kb_question *pq = &q->pub;
    const char *field = unk->v[i]->field;
    size_t o = (size_t)snprintf(out, n, "%s", pq->unknown_text);
    bool all_negated = true;

    for (size_t k = i; k < unk->n; k++)
        if (!strcmp(unk->v[k]->field, field) && !unk->negated[k])
            all_negated = false;
    if (pq->kind == KB_Q_BOOL && all_negated && o < n) {
        o += (size_t)snprintf(out + o, n - o, " (if not)");
    } else if (pq->kind == KB_Q_CHOICE || pq->kind == KB_Q_MULTI) {
        const char *fire[16];
        size_t nf = 0, nc = 0;
        for (size_t c = 0; c < pq->nchoices; c++) {
            json_t *v = json_string(pq->choices[c].value);
            bool takes = false;
            if (pq->dont_know && !strcmp(pq->dont_know, pq->choices[c].value)) {
                json_decref(v);
                continue;
            }
            nc++;
            for (size_t k = i; k < unk->n; k++)
                if (!strcmp(unk->v[k]->field, field) &&
                    leaf_takes(unk->v[k], v) != unk->negated[k])
                    takes = true;
            json_decref(v);
            if (takes && nf < RC_ARRAY_SIZE(fire))
                fire[nf++] = pq->choices[c].text;
        }
        if (nf && nf < nc)
            for (size_t k = 0; k < nf && o < n; k++)
                o += (size_t)snprintf(out + o, n - o, "%s%s%s",
                                      k == 0            ? " (if "
                                      : k + 1 < nf      ? ", "
                                                        : " or ",
                                      fire[k], k + 1 == nf ? ")" : "");
    }
    return o < n ? o : n - 1;
}

/* "Not answered: A or B. If so: urgent. <flag label>." from meta's
 * unknown_note; the level is said in words (its title). */
static void unknown_note(const struct kb *kb, const struct kb_flag *f,
                         const struct leafset *unk, char *out, size_t n)
{
    const char *tmpl = json_string_value(
        json_object_get(kb->meta, "unknown_note"));
    char qs[700] = "", level[64];
    size_t o = 0, q = 0, said = 0;

    level_words(kb, f->level, level, sizeof(level));
    for (size_t i = 0; i < unk->n && q + 1 < sizeof(qs); i++) {
        const struct kb_q *kq = question_of(kb, unk->v[i]->field);
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(unk->v[k]->field, unk->v[i]->field))
                seen = true;
        if (seen || !kq)
            continue;
        if (said++)
            q += (size_t)snprintf(qs + q, sizeof(qs) - q, " or ");
        if (q + 1 < sizeof(qs))
            q += unknown_phrase(kq, unk, i, qs + q, sizeof(qs) - q);
    }
    for (const char *p = tmpl; *p && o + 1 < n;) {
        const char *sub = NULL;
        size_t skip = 0;
        if (!strncmp(p, "{question}", 10))
            sub = qs, skip = 10;
        else if (!strncmp(p, "{flag}", 6))
            sub = f->label, skip = 6;
        else if (!strncmp(p, "{level}", 7))
            sub = level, skip = 7;
        if (sub) {
            o += (size_t)snprintf(out + o, n - o, "%s", sub);
            if (o >= n)
                o = n - 1;
            p += skip;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

json_t *triage_run(const struct kb *kb, const json_t *report,
                   const struct triage_context *ctx, struct rc_err *err)
{
    const struct triage_training *tr = ctx ? ctx->training : NULL;
    json_t *rep = json_deep_copy(report), *res = NULL, *flags, *conds, *steps;
    json_t *plan, *recheck, *esc, *ids, *corr, *srcs, *eng;
    bool fired[64] = { false }, possible[64] = { false };
    struct scored sc[64];
    struct eval_env env = { NULL, NULL, -1, NULL, -1, NULL };
    size_t nsc = 0, nlist, i, nunknown = 0;
    int level = TRIAGE_SELF_CARE;
    double hours, maxs = -1e300, sum = 0;
    char reason[1000], headline[400], when[32];
    size_t ro = 0;
    const struct kb_condition *top;

    if (!rep || kb->nflags > RC_ARRAY_SIZE(fired) ||
        kb->nconds > RC_ARRAY_SIZE(sc)) {
        json_decref(rep);
        rc_fail(err, RC_EENV, "out of memory");
        return NULL;
    }
    apply_training(rep, tr);
    env.report = rep;
    env.relevance = kb; /* unanswered but irrelevant is not unknown */
    hours = json_number_value(triage_get_field(rep, "/pain/hours_since_run"));

    /* 1. red flags */
    eval_flags(kb, &env, fired);
    flags = json_array();
    for (i = 0; i < kb->nflags; i++) {
        const struct kb_flag *f = &kb->flags[i];
        if (fired[i]) {
            struct ptrset because = { { 0 }, 0 };
            json_t *o = json_object(), *b = json_array();
            rule_because(f->when, &env, &because);
            for (size_t k = 0; k < because.n; k++)
                json_array_append_new(b, json_string(because.v[k]));
            if (!because.n) /* a flag raised only through another flag */
                json_array_append_new(b, json_string("/screen"));
            json_object_set_new(o, "id", json_string(f->id));
            json_object_set_new(o, "label", json_string(f->label));
            json_object_set_new(o, "triage",
                                json_string(triage_level_name(f->level)));
            json_object_set_new(o, "because", b);
            json_object_set_new(o, "source_ids",
                                json_deep_copy(f->source_ids));
            json_array_append_new(flags, o);
            if (f->level > level)
                level = f->level;
        } else {
            possible[i] = rule_eval(f->when, &env, true) == TRI_UNKNOWN;
        }
    }

    /* 2. conditions */
    for (i = 0; i < kb->nconds; i++) {
        const struct kb_condition *c = &kb->conds[i];
        double s = c->prior;
        if (c->applies && rule_eval(c->applies, &env, false) != TRI_TRUE)
            continue;
        for (size_t k = 0; k < c->nfeatures; k++)
            if (rule_eval(c->features[k].when, &env, false) == TRI_TRUE)
                s += c->features[k].weight;
        sc[nsc].cond = i;
        sc[nsc].score = s;
        sc[nsc].level = c->level;
        sc[nsc].grade_reason = NULL;
        for (size_t k = 0; k < c->ntrules; k++)
            if (!c->trules[k].escalate && c->trules[k].level > sc[nsc].level &&
                rule_eval(c->trules[k].when, &env, false) == TRI_TRUE) {
                sc[nsc].level = c->trules[k].level;
                sc[nsc].grade_reason = c->trules[k].reason;
            }
        if (s > maxs)
            maxs = s;
        nsc++;
    }
    for (i = 0; i < nsc; i++)
        sum += exp((sc[i].score - maxs) / kb->temperature);
    for (i = 0; i < nsc; i++)
        sc[i].share = exp((sc[i].score - maxs) / kb->temperature) / sum;
    qsort(sc, nsc, sizeof(sc[0]), cmp_scored);
    nlist = nsc < kb->max_conditions ? nsc : kb->max_conditions;
    top = nsc ? &kb->conds[sc[0].cond] : NULL;

    conds = json_array();
    for (i = 0; i < nlist; i++) {
        const struct kb_condition *c = &kb->conds[sc[i].cond];
        json_t *o = json_object(), *rf = json_array(), *ra = json_array();
        json_t *cs = json_deep_copy(c->source_ids);
        const char *band = sc[i].share >= kb->band_likely     ? "likely"
                           : sc[i].share >= kb->band_possible ? "possible"
                                                              : "less_likely";
        for (size_t k = 0; k < c->nfeatures; k++) {
            const struct kb_feature *f = &c->features[k];
            if (rule_eval(f->when, &env, false) != TRI_TRUE)
                continue;
            json_array_append_new(f->weight >= 0 ? rf : ra,
                                  render(f->reason, rep, f->when, tr));
            add_ids(cs, f->source_ids);
        }
        json_object_set_new(o, "id", json_string(c->id));
        json_object_set_new(o, "name", json_string(c->name));
        json_object_set_new(o, "rank", json_integer((json_int_t)i + 1));
        json_object_set_new(o, "score",
                            json_real(round(sc[i].share * 1000) / 1000));
        json_object_set_new(o, "band", json_string(band));
        json_object_set_new(o, "triage",
                            json_string(triage_level_name(sc[i].level)));
        json_object_set_new(o, "reasons_for", rf);
        json_object_set_new(o, "reasons_against", ra);
        json_object_set_new(o, "source_ids", cs);
        json_array_append_new(conds, o);
        /* 3. escalations of every condition still in play */
        if (strcmp(band, "less_likely") || i == 0)
            for (size_t k = 0; k < c->ntrules; k++)
                if (c->trules[k].escalate &&
                    c->trules[k].level > level &&
                    rule_eval(c->trules[k].when, &env, false) == TRI_TRUE) {
                    level = c->trules[k].level;
                    ro += (size_t)snprintf(reason + ro, sizeof(reason) - ro,
                                           "Escalated: %s (%s). ",
                                           c->trules[k].reason, c->name);
                    if (ro >= sizeof(reason))
                        ro = sizeof(reason) - 1;
                }
    }
    {
        /* the reason, most decisive first */
        char tmp[1000];
        size_t t = 0;
        size_t nf = json_array_size(flags);
        tmp[0] = '\0';
        if (nf) {
            t += (size_t)snprintf(tmp + t, sizeof(tmp) - t, "Red flag%s: ",
                                  nf > 1 ? "s" : "");
            for (i = 0; i < nf && t < sizeof(tmp); i++) {
                json_t *f = json_array_get(flags, i);
                char words[64];
                t += (size_t)snprintf(
                    tmp + t, sizeof(tmp) - t, "%s (%s)%s",
                    json_string_value(json_object_get(f, "label")),
                    level_words(kb, triage_level_parse(json_string_value(
                                        json_object_get(f, "triage"))),
                                words, sizeof(words)),
                    i + 1 < nf ? "; " : ". ");
            }
        } else {
            t += (size_t)snprintf(tmp + t, sizeof(tmp) - t, "No red flag. ");
        }
        if (top && sc[0].level > level)
            level = sc[0].level;
        if (top && t < sizeof(tmp)) {
            char words[64];
            t += (size_t)snprintf(tmp + t, sizeof(tmp) - t,
                                  "Most likely: %s (its level: %s%s%s). ",
                                  top->name,
                                  level_words(kb, sc[0].level, words,
                                              sizeof(words)),
                                  sc[0].grade_reason ? ", " : "",
                                  sc[0].grade_reason ? sc[0].grade_reason
                                                     : "");
        }
        if (t >= sizeof(tmp))
            t = sizeof(tmp) - 1;
        if (ro)
            snprintf(tmp + t, sizeof(tmp) - t, "%s", reason);
        snprintf(reason, sizeof(reason), "%s", tmp);
        ro = strlen(reason);
    }
    env.level = level;
    env.top = nsc ? (int)sc[0].cond : -1;
    env.top_id = top ? top->id : NULL;

    res = json_object();
    json_object_set_new(res, "schema_version", json_string("1.0"));
    if (json_is_string(json_object_get(rep, "report_id")))
        json_object_set(res, "report_id", json_object_get(rep, "report_id"));
    json_object_set_new(res, "triage",
                        json_string(triage_level_name(level)));
    json_object_set_new(res, "semigran_level",
                        json_string(kb->levels[level].semigran));
    if (level <= TRIAGE_SEE_CLINICIAN && top)
        snprintf(headline, sizeof(headline), "This looks most like %s. %s",
                 top->name, kb->levels[level].headline);
    else if (json_array_size(flags))
        snprintf(headline, sizeof(headline), "%s %s.",
                 kb->levels[level].headline,
                 json_string_value(
                     json_object_get(json_array_get(flags, 0), "label")));
    else
        snprintf(headline, sizeof(headline), "%s Most likely: %s.",
                 kb->levels[level].headline, top ? top->name : "problem");
    set_str_capped(res, "headline", headline, 300);

    /* unanswered questions that could raise a flag above this level: one
     * note per flag; the reason counts the questions, each once */
    esc = json_array();
    {
        struct ptrset asked = { { 0 }, 0 };
        for (i = 0; i < kb->nflags; i++) {
            struct leafset unk = { { 0 }, { 0 }, 0 };
            char note[1000];
            if (!possible[i] || kb->flags[i].level <= level)
                continue;
            rule_unknown_leaves(kb->flags[i].when, &env, &unk);
            asked_only(kb, rep, &unk);
            if (!unk.n)
                continue;
            unknown_note(kb, &kb->flags[i], &unk, note, sizeof(note));
            json_array_append_new(esc, json_string(note));
            for (size_t k = 0; k < unk.n; k++)
                ptrset_add(&asked, unk.v[k]->field);
        }
        nunknown = asked.n;
    }
    if (nunknown && ro + 2 < sizeof(reason))
        snprintf(reason + ro, sizeof(reason) - ro,
                 "%zu unanswered question%s could raise this level: "
                 "see when to get help sooner.",
                 nunknown, nunknown == 1 ? "" : "s");
    ro = strlen(reason);
    while (ro && reason[ro - 1] == ' ')
        reason[--ro] = '\0';
    set_str_capped(res, "triage_reason", reason, 1000);
    json_object_set_new(res, "red_flags", flags);
    json_object_set_new(res, "conditions", conds);

    /* 4. plan */
    plan = json_object();
    steps = json_array();
    if (json_array_size(kb->levels[level].actions)) {
        /* the level's own actions (see someone, stop running) are as
         * general as the level: they cite what set it, a calf clot's
         * sources for a calf clot, and their own ids only when an
         * escalation did */
        json_t *acts = json_array(), *a,
               *why = level_reason_sources(flags, conds,
                                           triage_level_name(level));
        json_array_foreach(kb->levels[level].actions, i, a) {
            json_t *act = action_json(a);
            if (json_array_size(why))
                json_object_set(act, "source_ids", why);
            json_array_append_new(acts, act);
        }
        json_decref(why);
        json_array_append_new(steps, step_json(hours, NAN, "now", acts));
    }
    if (top && (sc[0].level >= level || level <= TRIAGE_SEE_CLINICIAN))
        for (i = 0; i < top->nblocks; i++)
            add_block(steps, &kb->blocks[top->blocks[i]], hours, &env);
    for (i = 0; i < kb->nblocks; i++)
        if (kb->blocks[i].always)
            add_block(steps, &kb->blocks[i], hours, &env);
    sort_steps(steps);
    {
        char summary[600];
        const char *course = top ? json_string_value(json_object_get(
                                       top->recheck, "expected_course"))
                                 : NULL;
        snprintf(summary, sizeof(summary), "%s%s%s%s",
                 kb->levels[level].headline, course ? " Expected course ("
                                                    : "",
                 course ? course : "", course ? ")." : "");
        json_object_set_new(plan, "summary", json_string(summary));
    }
    json_object_set_new(plan, "steps", steps);
    if (top && top->ret && level <= TRIAGE_SEE_CLINICIAN) {
        json_t *r = json_object();
        const json_t *nb = json_object_get(top->ret, "not_before_days");
        json_object_set_new(r, "not_before_days",
                            json_is_number(nb) ? json_real(json_number_value(nb))
                                               : json_null());
        if (json_object_get(top->ret, "first_session"))
            json_object_set(r, "first_session",
                            json_object_get(top->ret, "first_session"));
        json_object_set_new(r, "max_single_run_km",
                            tr && isfinite(tr->max_single_run_km)
                                ? json_real(round(tr->max_single_run_km * 10) /
                                            10)
                                : json_null());
        if (json_object_get(top->ret, "progression_rule"))
            json_object_set(r, "progression_rule",
                            json_object_get(top->ret, "progression_rule"));
        json_object_set_new(r, "source_ids", json_deep_copy(json_object_get(
                                                 top->ret, "source_ids")));
        json_object_set_new(plan, "return_to_running", r);
    }
    json_object_set_new(res, "plan", plan);

    /* recheck */
    recheck = json_object();
    {
        double after = top ? json_number_value(json_object_get(
                                 top->recheck, "after_hours"))
                           : kb->levels[level].recheck_h;
        if (level > TRIAGE_SELF_CARE && kb->levels[level].recheck_h < after)
            after = kb->levels[level].recheck_h;
        json_object_set_new(recheck, "after_hours", json_real(after));
        ids = json_array();
        if (top)
            json_array_extend(ids, json_object_get(top->recheck, "escalate_if"));
        json_array_extend(ids, esc);
        json_decref(esc);
        if (!json_array_size(ids))
            json_array_append_new(ids, json_string("any new danger sign"));
        json_object_set_new(recheck, "escalate_if", ids);
        if (top)
            json_object_set(recheck, "expected_course",
                            json_object_get(top->recheck, "expected_course"));
    }
    json_object_set_new(res, "recheck", recheck);

    json_object_set_new(res, "load_warnings",
                        tr && json_is_array(tr->load_warnings)
                            ? json_deep_copy(tr->load_warnings)
                            : json_array());

    corr = json_array();
    for (i = 0; i < kb->ncorrs; i++) {
        if (rule_eval(kb->corrs[i].when, &env, false) != TRI_TRUE)
            continue;
        json_t *o = json_object();
        const json_t *c = kb->corrs[i].rec;
        json_object_set(o, "id", json_object_get(c, "id"));
        json_object_set(o, "common_advice", json_object_get(c, "common_advice"));
        json_object_set(o, "correction", json_object_get(c, "correction"));
        json_object_set_new(o, "source_ids",
                            json_deep_copy(json_object_get(c, "source_ids")));
        json_array_append_new(corr, o);
    }
    json_object_set_new(res, "corrections", corr);

    /* every source used anywhere, exactly */
    ids = json_array();
    collect_sources(res, ids);
    if (!json_array_size(ids))
        add_ids(ids, json_object_get(kb->meta, "source_ids"));
    srcs = json_array();
    {
        json_t *e;
        json_array_foreach(ids, i, e) {
            const json_t *s = json_object_get(kb->sources, json_string_value(e));
            json_t *o = json_object();
            json_object_set(o, "id", json_object_get(s, "id"));
            json_object_set(o, "title", json_object_get(s, "title"));
            json_object_set(o, "url", json_object_get(s, "url"));
            json_object_set(o, "kind", json_object_get(s, "kind"));
            json_array_append_new(srcs, o);
        }
    }
    json_decref(ids);
    json_object_set_new(res, "advice_sources", srcs);
    json_object_set(res, "disclaimer", json_object_get(kb->meta, "disclaimer"));
    eng = json_object();
    json_object_set_new(eng, "kb_version", json_string(kb->version));
    json_object_set_new(eng, "generated_at",
                        json_string(rc_time_format(ctx ? ctx->now_s : 0, when)));
    json_object_set_new(res, "engine", eng);
    json_decref(rep);
    return res;
}
