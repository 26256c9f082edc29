/* ask.c - the questionnaire's logic, shared by the terminal (cli/) and the
 * web form: which question comes next, and what a typed answer means.
 *
 * Next question (conditions.md, the question order of domain/README.md):
 *   1. what the schema requires, in kb order: where, the safety screen
 *      (always, in the brief's order), the pain, what you see; fields the
 *      log knows are not asked;
 *   2. a "priority" question (a `?` safety answer) whose red flag could
 *      fire or fired only because it is unanswered;
 *   3. any other question that applies and whose answer could still change
 *      something: a red flag above the level that it leaves unknown (three-
 *      valued: this catches answers that matter only together, such as a
 *      hard muscle and pain at rest), or one answer that changes the level
 *      or the top condition (a what-if run of the engine's stages);
 *   4. none left: stop.
 *
 * Answers: y/yes/n/no (the same words mean yes and no in every question),
 * "?" or an empty line for "don't know", a choice by its number, by its
 * first letters or a word ("dark", "calf", "left"), lists with commas, and
 * a location in one line ("left calf, both shins"). */
#include <ctype.h>

#include "base/base.h"
#include "triage/triage_int.h"

/* ---- what could change ---- */

/* Is field among the unknown leaves of a flag that could still rise, or
 * among the `?` fields a flag fired through? */
/* Is the question that asks this field still to be asked? */
static bool unasked(const struct kb *kb, const bool *asked, const char *field)
{
    const struct kb_q *q = kb_question_of(kb, field);
    return q && !asked[q - kb->questions];
}

static bool safety_needs(const struct triage_work *w, const bool *asked,
                         const char *field)
{
    const struct kb *kb = w->kb;
    for (size_t i = 0; i < kb->nflags; i++) {
        const struct kb_flag *f = &kb->flags[i];
        if (w->fired[i] >= 0 && w->fired_strict[i] < w->fired[i]) {
            struct ptrset m = { { 0 }, 0 };
            rule_unknown_matches(f->forms[w->form[i]].when, &w->env, &m);
            if (ptrset_has(&m, field))
                return true;
        }
        if (!w->possible[i])
            continue;
        for (size_t k = 0; k < f->nforms; k++) {
            struct leafset unk = { { 0 }, { 0 }, 0 };
            if (f->forms[k].level <= w->fired[i] ||
                f->forms[k].level <= w->level)
                continue;
            bool plain = false;
            rule_unknown_leaves(f->forms[k].when, &w->env, &unk);
            /* a leaf that must be false ("no fall caused it") matters only
             * once the others hold: ask those first */
            for (size_t u = 0; u < unk.n; u++)
                if (!unk.negated[u] && unasked(kb, asked, unk.v[u]->field))
                    plain = true;
            for (size_t u = 0; u < unk.n; u++)
                if (!strcmp(unk.v[u]->field, field) &&
                    !(plain && unk.negated[u]))
                    return true;
        }
    }
    return false;
}

/* The numbers the rules compare field with, for the what-ifs. */
static void thresholds(const struct rule *r, const char *field, double *v,
                       size_t *n, size_t cap)
{
    if (!r)
        return;
    if (r->field && !strcmp(r->field, field) &&
        (r->op == RULE_GTE || r->op == RULE_LTE || r->op == RULE_GT ||
         r->op == RULE_LT || r->op == RULE_RANGE)) {
        double c[4] = { r->lo, r->lo - 1, r->lo + 1, r->hi };
        size_t nc = r->op == RULE_RANGE ? 4 : 3;
        for (size_t k = 0; k < nc && *n < cap; k++)
            v[(*n)++] = c[k];
    }
    if (r->op == RULE_TERM)
        thresholds(r->term, field, v, n, cap);
    for (size_t i = 0; i < r->nkids; i++)
        thresholds(r->kids[i], field, v, n, cap);
}

static size_t number_answers(const struct kb *kb, const struct kb_question *q,
                             double *v, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < kb->nflags; i++)
        for (size_t m = 0; m < kb->flags[i].nforms; m++)
            thresholds(kb->flags[i].forms[m].when, q->field, v, &n, cap);
    for (size_t i = 0; i < kb->nconds; i++) {
        const struct kb_condition *c = &kb->conds[i];
        thresholds(c->applies, q->field, v, &n, cap);
        for (size_t k = 0; k < c->nfeatures; k++)
            thresholds(c->features[k].when, q->field, v, &n, cap);
        for (size_t k = 0; k < c->ngrades; k++)
            thresholds(c->grades[k].when, q->field, v, &n, cap);
    }
    if (n < cap)
        v[n++] = q->min;
    if (n < cap)
        v[n++] = q->max > 1e6 ? q->min + 1000 : q->max;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < q->min)
            v[i] = q->min;
        if (v[i] > q->max)
            v[i] = q->max;
        if (q->kind == KB_Q_INTEGER)
            v[i] = floor(v[i]);
    }
    return n;
}

/* Would this answer (fields set in a copy of partial) change the level or
 * the top condition? -1 when memory runs out. */
static int changes(const struct kb *kb, const json_t *partial,
                   const struct triage_work *now, const char *field,
                   json_t *value)
{
    json_t *copy = json_deep_copy(partial);
    struct triage_work w;
    struct rc_err err = RC_ERR_INIT;
    int rc;
    if (!copy || triage_set_field(copy, field, value) < 0) {
        json_decref(copy);
        return -1;
    }
    if (engine_assess(kb, copy, &w, &err) < 0)
        rc = -1;
    else
        rc = w.level != now->level || w.env.top != now->env.top;
    engine_work_release(&w);
    json_decref(copy);
    return rc;
}

static int any_answer_changes(const struct kb *kb, const struct kb_q *kq,
                              const json_t *partial,
                              const struct triage_work *now)
{
    const struct kb_question *q = &kq->pub;
    int rc = 0;
    switch (q->kind) {
    case KB_Q_BOOL:
        rc = changes(kb, partial, now, q->field, json_true());
        if (rc == 0)
            rc = changes(kb, partial, now, q->field, json_false());
        return rc;
    case KB_Q_CHOICE:
    case KB_Q_MULTI:
        for (size_t c = 0; c < q->nchoices && rc == 0; c++) {
            json_t *v = json_string(q->choices[c].value);
            if (q->kind == KB_Q_MULTI) {
                json_t *a = json_array();
                if (a && v && json_array_append_new(a, v) == 0)
                    v = a;
                else {
                    json_decref(a);
                    json_decref(v);
                    v = NULL;
                }
            }
            rc = v ? changes(kb, partial, now, q->field, v) : -1;
        }
        return rc;
    case KB_Q_NUMBER:
    case KB_Q_INTEGER: {
        double v[64];
        size_t n = number_answers(kb, q, v, RC_ARRAY_SIZE(v));
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = changes(kb, partial, now, q->field,
                         q->kind == KB_Q_INTEGER
                             ? json_integer((json_int_t)v[i])
                             : json_real(v[i]));
        return rc;
    }
    case KB_Q_CHECKLIST:
        for (size_t i = 0; i < kq->nitems && rc == 0; i++) {
            const struct kb_item *it = &kq->items[i];
            json_t *v = json_is_true(it->value) ? json_true()
                        : it->choice ? json_deep_copy(it->value)
                                     : json_array();
            if (v && json_is_array(v) &&
                json_array_append(v, (json_t *)it->value) < 0) {
                json_decref(v);
                v = NULL;
            }
            rc = v ? changes(kb, partial, now, it->field, v) : -1;
        }
        return rc;
    case KB_Q_LOCATION:
        return 1; /* required: always asked */
    }
    return 0;
}

static bool known(const struct kb *kb, const struct kb_q *q,
                  const json_t *partial, const struct triage_training *t)
{
    if (triage_get_field(partial, q->pub.field) ||
        triage_training_knows(kb, t, q->pub.field))
        return true;
    for (size_t i = 0; i < q->nitems; i++)
        if (!triage_get_field(partial, q->items[i].field))
            return false;
    return q->nitems > 0;
}

long triage_next_question(const struct kb *kb, const json_t *partial,
                          const struct triage_training *t, const bool *asked,
                          struct rc_err *err)
{
    struct triage_work w;
    long next = -1;

    /* 1. what the schema requires, in kb order */
    for (size_t i = 0; i < kb->nquestions; i++) {
        const struct kb_q *q = &kb->questions[i];
        if (!asked[i] && (q->pub.required || q->always) &&
            !known(kb, q, partial, t) &&
            triage_question_applies(kb, i, partial))
            return (long)i;
    }
    if (engine_assess(kb, partial, &w, err) < 0) {
        engine_work_release(&w);
        return -2;
    }
    /* 2. a `?` safety answer a red flag is waiting on, then 3. the rest */
    for (int pass = 0; pass < 2 && next < 0; pass++)
        for (size_t i = 0; i < kb->nquestions && next < 0; i++) {
            const struct kb_q *q = &kb->questions[i];
            int c;
            if (asked[i] || (pass == 0 && !q->priority) ||
                known(kb, q, partial, t) ||
                !triage_question_applies(kb, i, partial))
                continue;
            if (safety_needs(&w, asked, q->pub.field)) {
                next = (long)i;
                break;
            }
            for (size_t k = 0; k < q->nitems; k++)
                if (safety_needs(&w, asked, q->items[k].field))
                    next = (long)i;
            if (next >= 0 || pass == 0)
                continue;
            c = any_answer_changes(kb, q, partial, &w);
            if (c < 0) {
                rc_fail(err, RC_EENV, "out of memory");
                next = -2;
            } else if (c > 0) {
                next = (long)i;
            }
        }
    engine_work_release(&w);
    return next;
}
