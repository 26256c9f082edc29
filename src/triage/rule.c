/* rule.c - evaluating kb rules over a report (see triage_int.h for the
 * rule language). Three readings: literal (absent -> the leaf is false,
 * as conditions.md states the rules, except a `?` leaf, which an
 * unanswered field meets), strict (a `?` leaf needs a real answer) and
 * three-valued (absent or "don't know" -> unknown), used to tell the
 * runner which unanswered question could still raise a red flag. */
#include "base/base.h"
#include "triage/triage_int.h"

void ptrset_add(struct ptrset *s, const char *p)
{
    if (ptrset_has(s, p))
        return;
    if (s->n < RC_ARRAY_SIZE(s->v))
        s->v[s->n++] = p;
}

bool ptrset_has(const struct ptrset *s, const char *p)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], p))
            return true;
    return false;
}

static bool same_value(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal((json_t *)a, (json_t *)b) == 1;
}

static bool member(const json_t *list, const json_t *v)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (same_value(e, v))
            return true;
    }
    return false;
}

static bool string_in(const json_t *list, const char *s)
{
    size_t i;
    json_t *e;
    if (!s)
        return false;
    json_array_foreach(list, i, e) {
        if (json_is_string(e) && !strcmp(json_string_value(e), s))
            return true;
    }
    return false;
}

bool kb_is_unknown_value(const struct kb *kb, const json_t *v)
{
    size_t i;
    json_t *e;
    if (json_is_string(v))
        return string_in(kb->unknown_values, json_string_value(v));
    if (json_is_array(v))
        json_array_foreach(v, i, e) {
            if (json_is_string(e) &&
                string_in(kb->unknown_values, json_string_value(e)))
                return true;
        }
    return false;
}

/* The side of one region: its own in side_by_region, else location.side. */
static const char *side_of(const json_t *rep, const char *region)
{
    const json_t *own = json_object_get(
        triage_get_field(rep, "/location/side_by_region"), region);
    if (json_is_string(own))
        return json_string_value(own);
    return json_string_value(triage_get_field(rep, "/location/side"));
}

static enum tri one_side(const struct rule *r, const json_t *rep)
{
    const json_t *regions = triage_get_field(rep, "/location/regions");
    size_t i;
    json_t *e;
    json_array_foreach(regions, i, e) {
        const char *side;
        if (!member(r->values, e))
            continue;
        side = side_of(rep, json_string_value(e));
        if (side && strcmp(side, "both"))
            return TRI_TRUE;
    }
    return TRI_FALSE;
}

static enum tri both_legs(const json_t *rep)
{
    const char *side = json_string_value(
        triage_get_field(rep, "/location/side"));
    const char *key;
    json_t *v;
    if (side && !strcmp(side, "both"))
        return TRI_TRUE;
    json_object_foreach(
        (json_t *)triage_get_field(rep, "/location/side_by_region"), key, v) {
        if (json_is_string(v) && !strcmp(json_string_value(v), "both"))
            return TRI_TRUE;
    }
    return TRI_FALSE;
}

/* The operator itself, on a value that is there and known. */
static enum tri compare(const struct rule *r, const json_t *v)
{
    size_t i;
    json_t *e;
    switch (r->op) {
    case RULE_EQ:
        if (json_is_array(v))
            return member(v, r->values) ? TRI_TRUE : TRI_FALSE;
        return same_value(v, r->values) ? TRI_TRUE : TRI_FALSE;
    case RULE_IN:
        if (json_is_array(v)) {
            json_array_foreach(v, i, e) {
                if (member(r->values, e))
                    return TRI_TRUE;
            }
            return TRI_FALSE;
        }
        return member(r->values, v) ? TRI_TRUE : TRI_FALSE;
    case RULE_GTE:
        return json_is_number(v) && json_number_value(v) >= r->lo;
    case RULE_LTE:
        return json_is_number(v) && json_number_value(v) <= r->lo;
    case RULE_GT:
        return json_is_number(v) && json_number_value(v) > r->lo;
    case RULE_LT:
        return json_is_number(v) && json_number_value(v) < r->lo;
    case RULE_RANGE:
        return json_is_number(v) && json_number_value(v) >= r->lo &&
               json_number_value(v) <= r->hi;
    case RULE_NONEMPTY:
        return json_is_array(v) && json_array_size(v) > 0;
    case RULE_COUNT_GTE:
        return json_is_array(v) && (double)json_array_size(v) >= r->lo;
    default:
        return TRI_FALSE;
    }
}

static enum tri field_leaf(const struct rule *r, const struct eval_env *env,
                           enum eval_mode mode)
{
    const json_t *v = triage_get_field(env->report, r->field);
    bool unknown = !v || kb_is_unknown_value(env->kb, v);

    if (r->op == RULE_PRESENT)
        return unknown ? TRI_FALSE : TRI_TRUE;
    if (r->op == RULE_UNANSWERED)
        /* on real answers only, nothing holds because it is missing */
        return unknown && mode != EVAL_STRICT ? TRI_TRUE : TRI_FALSE;
    if (r->or_unknown && unknown && mode != EVAL_STRICT)
        return TRI_TRUE; /* `field?`: counts as possibly present */
    if (!v) {
        if (mode != EVAL_THREE ||
            (env->relevance && r->q &&
             !triage_question_applies(env->kb,
                                      (size_t)(r->q - env->kb->questions),
                                      env->report)))
            return TRI_FALSE;
        return TRI_UNKNOWN;
    }
    if (mode == EVAL_THREE && unknown)
        /* ["navicular", "not_checked"]: true already, else unknown */
        return compare(r, v) == TRI_TRUE ? TRI_TRUE : TRI_UNKNOWN;
    return compare(r, v);
}

static enum tri leaf(const struct rule *r, const struct eval_env *env,
                     enum eval_mode mode)
{
    switch (r->op) {
    case RULE_FLAG:
        if (!env->fired || env->fired[r->index] < 0)
            return TRI_FALSE;
        return r->at < 0 || env->fired[r->index] == r->at ? TRI_TRUE
                                                          : TRI_FALSE;
    case RULE_TOP:
        return string_in(r->values, env->top_id) ? TRI_TRUE : TRI_FALSE;
    case RULE_TRIAGE:
        return env->level >= 0 &&
                       string_in(r->values, triage_level_name(
                                                (enum triage_level)env->level))
                   ? TRI_TRUE
                   : TRI_FALSE;
    case RULE_TERM:
        return rule_eval(r->term, env, mode);
    case RULE_ONE_SIDE:
        return one_side(r, env->report);
    case RULE_BOTH_LEGS:
        return both_legs(env->report);
    default:
        return field_leaf(r, env, mode);
    }
}

enum tri rule_eval(const struct rule *r, const struct eval_env *env,
                   enum eval_mode mode)
{
    enum tri acc;
    switch (r->op) {
    case RULE_ALL:
        acc = TRI_TRUE;
        for (size_t i = 0; i < r->nkids; i++) {
            enum tri t = rule_eval(r->kids[i], env, mode);
            if (t == TRI_FALSE)
                return TRI_FALSE;
            if (t == TRI_UNKNOWN)
                acc = TRI_UNKNOWN;
        }
        return acc;
    case RULE_ANY:
        acc = TRI_FALSE;
        for (size_t i = 0; i < r->nkids; i++) {
            enum tri t = rule_eval(r->kids[i], env, mode);
            if (t == TRI_TRUE)
                return TRI_TRUE;
            if (t == TRI_UNKNOWN)
                acc = TRI_UNKNOWN;
        }
        return acc;
    case RULE_NOT: {
        enum tri t = rule_eval(r->kids[0], env, mode);
        return t == TRI_UNKNOWN ? TRI_UNKNOWN
                                : (t == TRI_TRUE ? TRI_FALSE : TRI_TRUE);
    }
    default:
        return leaf(r, env, mode);
    }
}

void rule_because(const struct rule *r, const struct eval_env *env,
                  struct ptrset *out)
{
    switch (r->op) {
    case RULE_ALL:
    case RULE_ANY:
        for (size_t i = 0; i < r->nkids; i++)
            if (rule_eval(r->kids[i], env, EVAL_LITERAL) == TRI_TRUE)
                rule_because(r->kids[i], env, out);
        return;
    case RULE_TERM:
        rule_because(r->term, env, out);
        return;
    case RULE_ONE_SIDE:
    case RULE_BOTH_LEGS:
        ptrset_add(out, "/location/side");
        return;
    case RULE_NOT:
    case RULE_FLAG:
    case RULE_TOP:
    case RULE_TRIAGE:
        return; /* an absence or another flag is not a report field */
    default:
        if (r->field && leaf(r, env, EVAL_LITERAL) == TRI_TRUE)
            ptrset_add(out, r->field);
        return;
    }
}

void rule_unknown_matches(const struct rule *r, const struct eval_env *env,
                          struct ptrset *out)
{
    switch (r->op) {
    case RULE_ALL:
    case RULE_ANY:
        for (size_t i = 0; i < r->nkids; i++)
            if (rule_eval(r->kids[i], env, EVAL_LITERAL) == TRI_TRUE)
                rule_unknown_matches(r->kids[i], env, out);
        return;
    case RULE_TERM:
        rule_unknown_matches(r->term, env, out);
        return;
    default:
        if (r->field && r->or_unknown &&
            field_leaf(r, env, EVAL_LITERAL) == TRI_TRUE &&
            field_leaf(r, env, EVAL_STRICT) != TRI_TRUE)
            ptrset_add(out, r->field);
        return;
    }
}

static void unknown_leaves(const struct rule *r, const struct eval_env *env,
                           bool negated, struct leafset *out)
{
    if (rule_eval(r, env, EVAL_THREE) != TRI_UNKNOWN)
        return;
    if (r->op == RULE_ALL || r->op == RULE_ANY || r->op == RULE_NOT) {
        for (size_t i = 0; i < r->nkids; i++)
            unknown_leaves(r->kids[i], env,
                           r->op == RULE_NOT ? !negated : negated, out);
        return;
    }
    if (r->op == RULE_TERM) {
        unknown_leaves(r->term, env, negated, out);
        return;
    }
    if (r->field && out->n < RC_ARRAY_SIZE(out->v)) {
        out->v[out->n] = r;
        out->negated[out->n] = negated;
        out->n++;
    }
}

void rule_unknown_leaves(const struct rule *r, const struct eval_env *env,
                         struct leafset *out)
{
    unknown_leaves(r, env, false, out);
}

void rule_fields(const struct rule *r, struct ptrset *out)
{
    if (!r)
        return;
    if (r->field)
        ptrset_add(out, r->field);
    if (r->op == RULE_TERM)
        rule_fields(r->term, out);
    if (r->op == RULE_ONE_SIDE || r->op == RULE_BOTH_LEGS) {
        ptrset_add(out, "/location/regions");
        ptrset_add(out, "/location/side");
    }
    for (size_t i = 0; i < r->nkids; i++)
        rule_fields(r->kids[i], out);
}

void rule_link_questions(const struct kb *kb, struct rule *r)
{
    if (!r)
        return;
    if (r->field)
        r->q = kb_question_of(kb, r->field);
    for (size_t i = 0; i < r->nkids; i++)
        rule_link_questions(kb, r->kids[i]);
}

void rule_free(struct rule *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nkids; i++)
        rule_free(r->kids[i]);
    free(r->kids);
    json_decref(r->values);
    free(r);
}

const json_t *triage_get_field(const json_t *obj, const char *ptr)
{
    char tok[64];
    const json_t *cur = obj;

    if (!ptr || *ptr != '/')
        return NULL;
    while (cur && *ptr == '/') {
        size_t n = strcspn(ptr + 1, "/");
        if (n >= sizeof(tok) || !json_is_object(cur))
            return NULL;
        memcpy(tok, ptr + 1, n);
        tok[n] = '\0';
        cur = json_object_get(cur, tok);
        ptr += 1 + n;
    }
    return cur;
}

int triage_set_field(json_t *obj, const char *ptr, json_t *value)
{
    char tok[64];
    json_t *cur = obj;

    if (!value)
        return -1;
    while (ptr && *ptr == '/') {
        size_t n = strcspn(ptr + 1, "/");
        if (n >= sizeof(tok) || !json_is_object(cur))
            break;
        memcpy(tok, ptr + 1, n);
        tok[n] = '\0';
        ptr += 1 + n;
        if (!*ptr)
            return json_object_set_new(cur, tok, value);
        if (!json_object_get(cur, tok) &&
            json_object_set_new(cur, tok, json_object()) < 0)
            break;
        cur = json_object_get(cur, tok);
    }
    json_decref(value);
    return -1;
}

int triage_set_fields(json_t *obj, const json_t *set)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)set, key, v) {
        if (triage_set_field(obj, key, json_incref(v)) < 0)
            return -1;
    }
    return 0;
}
