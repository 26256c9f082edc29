/* kb_course.c - the kb's records of a recovery's course: kb/courses.jsonl
 * (each condition's usual window and expected band; the fields a
 * follow-up asks) and kb/escalations.jsonl (rules over the course object
 * of kb/course.schema.json). Loaded after the conditions and questions
 * (kb.c); the checks:
 *   courses.jsonl      {condition, usual_days, band[[day, low %, high %]],
 *                       text, source_ids, note?}: a known condition, once;
 *                       days rising from 0, 0 <= low <= high;
 *                       or {follow_up[fields], source_ids}: each a report
 *                       field that a question asks, no field twice
 *   escalations.jsonl  {id, level | "new_flag" | "earlier_flag", when,
 *                       reason, source_ids,
 *                       note?}: the rule reads only course fields (field
 *                       leaves, all/any/not), reason names only {names}
 *                       triage_course fills, ids unique. */
#include "base/base.h"
#include "base/alloc.h"
#include "triage/kb_int.h"
#include "triage/kb_records.h"

/* The {names} a reason may use: the course object's fields and four the
 * diary adds (course.c fills them). */
static const char *const reason_names[] = {
    "condition", "flag", "run", "cap_km", "days_since_run",
    "days_since_first", "score_first", "score_now", "score_change",
    "usual_days", "days_past_usual", "runs_over_cap", "km_over_cap",
    "recurrence_days", "reports",
};

static int check_band(struct loader *L, const json_t *band)
{
    double last = -1;
    size_t i;
    json_t *p;
    if (!json_is_array(band) || json_array_size(band) < 2)
        return kb_failf(L, "\"band\" must list at least two [day, low %%, "
                           "high %%] points");
    json_array_foreach(band, i, p) {
        const json_t *d = json_array_get(p, 0), *lo = json_array_get(p, 1),
                     *hi = json_array_get(p, 2);
        if (json_array_size(p) != 3 || !json_is_number(d) ||
            !json_is_number(lo) || !json_is_number(hi))
            return kb_failf(L, "band point %zu must be [day, low %%, high %%]",
                            i + 1);
        if (json_number_value(d) <= last ||
            (i == 0 && json_number_value(d) != 0))
            return kb_failf(L, "band point %zu: days must start at 0 and "
                               "rise",
                            i + 1);
        if (json_number_value(lo) < 0 ||
            json_number_value(hi) < json_number_value(lo))
            return kb_failf(L, "band point %zu: need 0 <= low <= high", i + 1);
        last = json_number_value(d);
    }
    return 0;
}

static int rec_follow_up(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "follow_up", "source_ids", NULL };
    const json_t *f = json_object_get(rec, "follow_up");
    if (kb_check_keys(L, rec, keys) < 0 ||
        kb_check_sources(L, json_object_get(rec, "source_ids"), true) < 0)
        return -1;
    if (L->kb->follow_up)
        return kb_failf(L, "a second follow_up record");
    if (!json_is_array(f) || !json_array_size(f))
        return kb_failf(L, "\"follow_up\" must list report fields");
    L->kb->follow_up = f;
    return 0;
}

int kb_rec_course(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "condition", "usual_days", "band",
                                        "text", "source_ids", "note", NULL };
    struct kb_course c = { .cond = -1 };
    if (json_object_get(rec, "follow_up"))
        return rec_follow_up(L, rec);
    if (kb_check_keys(L, rec, keys) < 0 ||
        !(c.cond_id = kb_need_str(L, rec, "condition")) ||
        !(c.text = kb_need_str(L, rec, "text")) ||
        kb_need_num(L, rec, "usual_days", &c.usual_days) < 0 ||
        kb_check_sources(L, json_object_get(rec, "source_ids"), true) < 0)
        return -1;
    c.cond = kb_condition_index(L->kb, c.cond_id);
    if (c.cond < 0)
        return kb_failf(L, "unknown condition \"%s\"", c.cond_id);
    if (!(c.usual_days > 0))
        return kb_failf(L, "\"usual_days\" must be above 0");
    for (size_t i = 0; i < L->kb->ncourses; i++)
        if (L->kb->courses[i].cond == c.cond)
            return kb_failf(L, "a second course for \"%s\"", c.cond_id);
    c.band = json_object_get(rec, "band");
    if (L->check && check_band(L, c.band) < 0)
        return -1;
    c.source_ids = json_object_get(rec, "source_ids");
    if (kb_grow(L, (void **)&L->kb->courses, &L->kb->ncourses, sizeof(c)) < 0)
        return -1;
    L->kb->courses[L->kb->ncourses - 1] = c;
    return 0;
}

/* Escalations read plain fields only: no flags, terms or sides. */
static bool plain_rule(const struct rule *r)
{
    switch (r->op) {
    case RULE_ALL:
    case RULE_ANY:
    case RULE_NOT:
        for (size_t i = 0; i < r->nkids; i++)
            if (!plain_rule(r->kids[i]))
                return false;
        return true;
    case RULE_FLAG:
    case RULE_TOP:
    case RULE_TRIAGE:
    case RULE_TERM:
    case RULE_ONE_SIDE:
    case RULE_BOTH_LEGS:
        return false;
    default:
        return true;
    }
}

static int check_reason(struct loader *L, const char *reason)
{
    for (const char *p = strchr(reason, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        bool known = false;
        size_t n;
        if (!end)
            return kb_failf(L, "\"reason\" has a '{' without '}'");
        n = (size_t)(end - p - 1);
        for (size_t i = 0; i < RC_ARRAY_SIZE(reason_names); i++)
            if (strlen(reason_names[i]) == n &&
                !strncmp(reason_names[i], p + 1, n))
                known = true;
        if (!known)
            return kb_failf(L, "\"reason\" names {%.*s}, which the course "
                               "does not fill",
                            (int)n, p + 1);
    }
    return 0;
}

int kb_rec_escalation(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "level", "when", "reason",
                                        "source_ids", "note", NULL };
    struct kb_escalation e = { .level = -1 };
    const char *lv;
    if (kb_check_keys(L, rec, keys) < 0 || !(e.id = kb_need_str(L, rec, "id")) ||
        !(e.reason = kb_need_str(L, rec, "reason")) ||
        !(lv = kb_need_str(L, rec, "level")))
        return -1;
    if (!strcmp(lv, "new_flag"))
        e.level = KB_ESC_NEW_FLAG;
    else if (!strcmp(lv, "earlier_flag"))
        e.level = KB_ESC_EARLIER_FLAG;
    else if (kb_need_level(L, rec, "level", &e.level) < 0)
        return -1;
    /* a flag's escalation takes the flag's own sources; others need some */
    if (kb_check_sources(L, json_object_get(rec, "source_ids"),
                         e.level >= 0) < 0)
        return -1;
    if (L->check && check_reason(L, e.reason) < 0)
        return -1;
    for (size_t i = 0; i < L->kb->nescs; i++)
        if (!strcmp(L->kb->escs[i].id, e.id))
            return kb_failf(L, "a second escalation \"%s\"", e.id);
    L->fields = L->kb->course_schema;
    e.when = kb_compile_key(L, rec, "when");
    L->fields = NULL;
    if (!e.when)
        return -1;
    if (!plain_rule(e.when)) {
        rule_free(e.when);
        return kb_failf(L, "an escalation reads only course fields (no "
                           "flag, term, top, triage or side)");
    }
    e.source_ids = json_object_get(rec, "source_ids");
    if (kb_grow(L, (void **)&L->kb->escs, &L->kb->nescs, sizeof(e)) < 0) {
        rule_free(e.when);
        return -1;
    }
    L->kb->escs[L->kb->nescs - 1] = e;
    return 0;
}

int kb_course_final(struct loader *L)
{
    const json_t *f = L->kb->follow_up, *e;
    size_t i, k;
    if (!f)
        return kb_failf(L, "no follow_up record");
    if (!L->check)
        return 0;
    json_array_foreach(f, i, e) {
        const char *field = json_string_value(e);
        if (!field || !kb_question_of(L->kb, field))
            return kb_failf(L, "follow_up field %s is not asked by any "
                               "question",
                            field ? field : "(not a string)");
        for (k = 0; k < i; k++)
            if (json_equal(json_array_get(f, k), e))
                return kb_failf(L, "follow_up asks %s twice", field);
    }
    return 0;
}

void kb_courses_free(struct kb *kb)
{
    for (size_t i = 0; i < kb->nescs; i++)
        rule_free(kb->escs[i].when);
    rc_free(kb->escs);
    rc_free(kb->courses);
    json_decref(kb->course_schema);
}
