/* kb_questions.c - the questionnaire's records (kb/questions.jsonl): one
 * question a line, in the order the brief asks them.
 *
 *   {id, field, text, unknown_text, choices?[{value, text, words?[],
 *    no?}], dont_know?, ask_if?, priority?, kind?, items?[{id, field,
 *    value, text}]}
 *
 * A question's kind follows its field in report.schema.json (yes/no, one
 * choice, a list, a number), or is given: "location" asks the regions and
 * the side in one answer ("left calf, both shins"); "checklist" asks
 * several yes/no items, or list values, at once ("tick any of these").
 * "always": true asks it of everyone, like a required field, but it may be
 * left unanswered. "priority": true marks a field that a red flag reads as "counts when
 * unanswered" (conditions.md `field?`): asked before other follow-ups as
 * soon as its rule could fire. A choice with "no": true is what "n"/"no"
 * means for that question ("none", "no"). A checklist item may also set
 * one value of a choice field ("whole calf swollen"): "defaults" gives the
 * field's value when none of its items is ticked. "group": true makes a
 * checklist of yes/no fields that each have their own question after it:
 * one answer for all of them, or, when the runner is not sure, each asked
 * on its own (the safety screen's yes/no questions). */
#include "base/base.h"
#include "base/alloc.h"
#include "triage/kb_int.h"
#include "triage/kb_records.h"

static int question_choices(struct loader *L, struct kb_q *q,
                            const struct finfo *fi, const json_t *choices)
{
    static const char *const ckeys[] = { "value", "text", "words", "no",
                                         NULL };
    size_t nv = json_array_size(fi->values), i;
    json_t *e;
    if (json_array_size(choices) != nv)
        return kb_failf(L, "%s has %zu values but %zu choices", q->pub.field,
                        nv, json_array_size(choices));
    if (!(q->choices = kb_zalloc(nv, sizeof(*q->choices))))
        return kb_oom(L);
    json_array_foreach(choices, i, e) {
        if (!json_is_object(e) || kb_check_keys(L, e, ckeys) < 0 ||
            !(q->choices[i].value = kb_need_str(L, e, "value")) ||
            !(q->choices[i].text = kb_need_str(L, e, "text")) ||
            kb_value_ok(L, q->pub.field, fi, json_object_get(e, "value")) < 0)
            return L->err->status ? -1
                                  : kb_failf(L, "a choice must be an object");
        if (json_object_get(e, "words") &&
            !json_is_array(json_object_get(e, "words")))
            return kb_failf(L, "\"words\" must be a list");
        for (size_t k = 0; L->check && k < i; k++)
            if (!strcmp(q->choices[k].value, q->choices[i].value))
                return kb_failf(L, "choice \"%s\" appears twice",
                                q->choices[i].value);
    }
    q->pub.choices = q->choices;
    q->pub.nchoices = nv;
    return 0;
}

/* A checklist's items: each sets a yes/no field, or adds a value to a list
 * field, when ticked. */
static int question_items(struct loader *L, struct kb_q *q,
                          const json_t *items)
{
    static const char *const ikeys[] = { "id", "field", "value", "text",
                                         "words", NULL };
    size_t i;
    json_t *e;
    if (!json_is_array(items) || !json_array_size(items))
        return kb_failf(L, "a checklist needs \"items\"");
    q->nitems = json_array_size(items);
    if (!(q->items = kb_zalloc(q->nitems, sizeof(*q->items))) ||
        !(q->choices = kb_zalloc(q->nitems, sizeof(*q->choices))))
        return kb_oom(L);
    json_array_foreach(items, i, e) {
        struct finfo fi;
        struct kb_item *it = &q->items[i];
        if (!json_is_object(e) || kb_check_keys(L, e, ikeys) < 0 ||
            !(q->choices[i].value = kb_need_str(L, e, "id")) ||
            !(it->text = kb_need_str(L, e, "text")) ||
            !(it->field = kb_need_str(L, e, "field")))
            return L->err->status ? -1 : kb_failf(L, "an item must be an "
                                                     "object");
        it->value = json_object_get(e, "value");
        q->choices[i].text = it->text;
        if (kb_field_info(L->kb->report_schema, it->field, &fi) < 0)
            return kb_failf(L, "unknown report field \"%s\"", it->field);
        if (fi.required)
            q->pub.required = true; /* the schema needs its answer */
        it->choice = fi.kind == FK_ENUM;
        if (L->check && (fi.kind == FK_BOOL ? !json_is_true(it->value)
                                            : fi.kind != FK_ARRAY_ENUM &&
                                                  fi.kind != FK_ENUM))
            return kb_failf(L, "item %s: a checklist ticks a yes/no field "
                               "(value true), adds to a list, or sets one "
                               "value of a choice",
                            q->choices[i].value);
        if ((fi.kind == FK_ARRAY_ENUM || fi.kind == FK_ENUM) &&
            kb_value_ok(L, it->field, &fi, it->value) < 0)
            return -1;
        if (L->check && fi.kind == FK_ENUM &&
            !json_is_string(json_object_get(
                json_object_get(q->rec, "defaults"), it->field)))
            return kb_failf(L, "item %s: a choice field needs its value when "
                               "nothing is ticked (\"defaults\")",
                            q->choices[i].value);
    }
    q->pub.choices = q->choices;
    q->pub.nchoices = q->nitems;
    return 0;
}

static bool asks_field(const struct kb_q *q, const char *field)
{
    if (!strcmp(q->pub.field, field))
        return true;
    if (q->pub.kind == KB_Q_LOCATION && !strncmp(field, "/location/", 10))
        return true; /* the side, and each region's own side, too */
    for (size_t i = 0; i < q->nitems; i++)
        if (!strcmp(q->items[i].field, field))
            return true;
    return false;
}

/* A group's items are yes/no fields, and it asks its own first field. */
static bool group_ok(struct loader *L, const struct kb_q *q)
{
    if (q->pub.kind != KB_Q_CHECKLIST)
        return kb_failf(L, "\"group\" is for a checklist"), false;
    for (size_t i = 0; i < q->nitems; i++)
        if (q->items[i].choice || !json_is_true(q->items[i].value))
            return kb_failf(L, "a group ticks yes/no fields only (item %s)",
                            q->choices[i].value),
                   false;
    if (strcmp(q->pub.field, q->items[0].field))
        return kb_failf(L, "a group's field is its first item's"), false;
    return true;
}

int kb_check_groups(struct loader *L)
{
    const struct kb *kb = L->kb;
    for (size_t i = 0; i < kb->nquestions; i++) {
        const struct kb_q *g = &kb->questions[i];
        for (size_t k = 0; g->group && k < g->nitems; k++) {
            const char *f = g->items[k].field;
            size_t own = 0;
            for (size_t j = 0; j < kb->nquestions; j++)
                if (!kb->questions[j].group &&
                    asks_field(&kb->questions[j], f)) {
                    if (j < i)
                        return kb_failf(L, "group %s: %s is asked before "
                                           "it", g->pub.id, f);
                    own++;
                }
            if (own != 1)
                return kb_failf(L, "group %s: %s needs one question of its "
                                   "own after it (it has %zu)",
                                g->pub.id, f, own);
        }
    }
    return 0;
}

static void question_release(struct kb_q *q)
{
    free(q->choices);
    free(q->items);
    rule_free(q->ask_if);
}

static int question_kind(struct loader *L, struct kb_q *q,
                         const struct finfo *fi, const char *kind)
{
    if (kind && !strcmp(kind, "location")) {
        if (strcmp(q->pub.field, "/location/regions"))
            return kb_failf(L, "a location question asks /location/regions");
        q->pub.kind = KB_Q_LOCATION;
        return 0;
    }
    if (kind && !strcmp(kind, "checklist")) {
        q->pub.kind = KB_Q_CHECKLIST;
        return 0;
    }
    if (kind)
        return kb_failf(L, "\"kind\" is location or checklist, not \"%s\"",
                        kind);
    switch (fi->kind) {
    case FK_BOOL: q->pub.kind = KB_Q_BOOL; break;
    case FK_ENUM: q->pub.kind = KB_Q_CHOICE; break;
    case FK_ARRAY_ENUM: q->pub.kind = KB_Q_MULTI; break;
    case FK_NUMBER:
        q->pub.kind = fi->integer ? KB_Q_INTEGER : KB_Q_NUMBER;
        break;
    default:
        return kb_failf(L, "%s cannot be asked (free text)", q->pub.field);
    }
    return 0;
}

int kb_rec_question(struct loader *L, json_t *rec)
{
    static const char *const keys[] = {
        "id", "field", "text", "choices", "dont_know", "ask_if",
        "unknown_text", "priority", "always", "kind", "items", "defaults",
        "note", "group", NULL
    };
    struct kb_q q = { 0 };
    struct finfo fi;
    const json_t *choices = json_object_get(rec, "choices");
    const char *kind = json_string_value(json_object_get(rec, "kind"));

    if (kb_check_keys(L, rec, keys) < 0 ||
        !(q.pub.id = kb_need_str(L, rec, "id")) ||
        !(q.pub.field = kb_need_str(L, rec, "field")) ||
        !(q.pub.text = kb_need_str(L, rec, "text")) ||
        !(q.pub.unknown_text = kb_need_str(L, rec, "unknown_text")))
        return -1;
    if (kb_field_info(L->kb->report_schema, q.pub.field, &fi) < 0)
        return kb_failf(L, "unknown report field \"%s\"", q.pub.field);
    q.rec = rec;
    q.pub.required = fi.required;
    q.pub.min_one = fi.min_one;
    q.pub.min = fi.min;
    q.pub.max = fi.max;
    q.priority = json_is_true(json_object_get(rec, "priority")) ? 1 : 0;
    q.always = json_is_true(json_object_get(rec, "always"));
    q.group = q.pub.group = json_is_true(json_object_get(rec, "group"));
    q.rec = rec;
    if (question_kind(L, &q, &fi, kind) < 0)
        goto fail;
    if (q.pub.kind == KB_Q_CHECKLIST) {
        q.pub.required = false;
        if (question_items(L, &q, json_object_get(rec, "items")) < 0)
            goto fail;
    } else if (fi.values) {
        if (question_choices(L, &q, &fi, choices) < 0)
            goto fail;
    } else if (choices) {
        kb_failf(L, "%s takes no choices", q.pub.field);
        goto fail;
    }
    if (q.group) {
        if (!group_ok(L, &q))
            goto fail;
        /* asked of everyone, but "not sure" is an answer: each field is
         * then asked on its own */
        q.pub.required = false;
        q.always = true;
    }
    for (size_t i = 0; L->check && i < L->kb->nquestions; i++) {
        if (L->kb->questions[i].group || q.group)
            continue; /* checked once all are loaded: kb_check_groups */
        if (asks_field(&L->kb->questions[i], q.pub.field) ||
            (q.nitems && asks_field(&L->kb->questions[i], q.items[0].field))) {
            kb_failf(L, "%s is asked twice", q.pub.field);
            goto fail;
        }
    }
    if (json_object_get(rec, "dont_know")) {
        q.pub.dont_know = json_string_value(json_object_get(rec, "dont_know"));
        if (!q.pub.dont_know || !fi.values || fi.kind != FK_ENUM ||
            !kb_array_has_string(fi.values, q.pub.dont_know)) {
            kb_failf(L, "\"dont_know\" must be one of the values of %s",
                     q.pub.field);
            goto fail;
        }
    }
    if (json_object_get(rec, "ask_if") &&
        !(q.ask_if = kb_compile_key(L, rec, "ask_if")))
        goto fail;
    {
        void *p = rc_realloc(L->kb->questions,
                          (L->kb->nquestions + 1) * sizeof(q));
        if (!p) {
            kb_oom(L);
            goto fail;
        }
        L->kb->questions = p;
    }
    L->kb->questions[L->kb->nquestions++] = q;
    return 0;
fail:
    question_release(&q);
    return -1;
}

void kb_questions_free(struct kb *kb)
{
    rc_free(kb->asked);
    for (size_t i = 0; i < kb->nquestions; i++)
        question_release(&kb->questions[i]);
    free(kb->questions);
}

static int cmp_asked(const void *a, const void *b)
{
    return strcmp(((const struct kb_asked *)a)->field,
                  ((const struct kb_asked *)b)->field);
}

int kb_index_questions(struct kb *kb)
{
    static const char *const location[] = { "/location/regions",
                                            "/location/side",
                                            "/location/side_by_region" };
    size_t n = 0;
    for (size_t i = 0; i < kb->nquestions; i++)
        n += 1 + kb->questions[i].nitems +
             (kb->questions[i].pub.kind == KB_Q_LOCATION ? 3 : 0);
    if (!(kb->asked = rc_malloc((n ? n : 1) * sizeof(*kb->asked))))
        return -1;
    for (size_t i = 0; i < kb->nquestions; i++) {
        const struct kb_q *q = &kb->questions[i];
        if (q->group)
            continue; /* its fields' own questions own them */
        /* the first question to ask a field is the one that asks it */
        kb->asked[kb->nasked++] = (struct kb_asked){ q->pub.field, q };
        for (size_t k = 0; k < q->nitems; k++)
            kb->asked[kb->nasked++] = (struct kb_asked){ q->items[k].field, q };
        for (size_t k = 0; q->pub.kind == KB_Q_LOCATION && k < 3; k++)
            kb->asked[kb->nasked++] = (struct kb_asked){ location[k], q };
    }
    /* mergesort keeps the first of equal fields first: stable */
    for (size_t i = 1; i < kb->nasked; i++)
        for (size_t j = i; j > 0 && cmp_asked(&kb->asked[j - 1],
                                              &kb->asked[j]) > 0;
             j--) {
            struct kb_asked t = kb->asked[j];
            kb->asked[j] = kb->asked[j - 1];
            kb->asked[j - 1] = t;
        }
    return 0;
}

const struct kb_q *kb_question_of(const struct kb *kb, const char *field)
{
    size_t lo = 0, hi = kb->nasked;
    if (!kb->asked) { /* while loading: the questions in order */
        for (size_t i = 0; i < kb->nquestions; i++)
            if (!kb->questions[i].group &&
                asks_field(&kb->questions[i], field))
                return &kb->questions[i];
        return NULL;
    }
    while (field && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(kb->asked[mid].field, field);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < kb->nasked && !strcmp(kb->asked[lo].field, field)
               ? kb->asked[lo].q
               : NULL;
}

size_t kb_count_questions(const struct kb *kb) { return kb->nquestions; }

const struct kb_question *kb_question_at(const struct kb *kb, size_t i)
{
    return i < kb->nquestions ? &kb->questions[i].pub : NULL;
}
