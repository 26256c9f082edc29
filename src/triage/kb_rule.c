/* kb_rule.c - compiling the kb's rules (the language of triage_int.h)
 * and checking them against report.schema.json: every field named must
 * exist, every value compared with it must be one the schema allows, every
 * operator must suit the field's type, a flag may only name flags defined
 * above it. Also the small helpers every record loader uses. */
#include "base/base.h"
#include "base/alloc.h"
#include "triage/kb_int.h"
#include "json/jalloc.h"

int kb_failf(struct loader *L, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    rc_fail_line(L->err, L->line, 0, "%s", msg);
    rc_err_file(L->err, L->file);
    return -1;
}

int kb_oom(struct loader *L)
{
    return rc_fail(L->err, RC_EENV, "out of memory");
}

void *kb_zalloc(size_t n, size_t size)
{
    void *p;
    if (size && n > SIZE_MAX / size)
        return NULL;
    if ((p = rc_malloc(n * size)))
        memset(p, 0, n * size);
    return p;
}

/* ---- the report schema: what a field is ---- */

static const json_t *deref(const json_t *root, const json_t *s)
{
    const json_t *ref = json_object_get(s, "$ref");
    if (json_is_string(ref) &&
        !strncmp(json_string_value(ref), "#/$defs/", 8))
        return json_object_get(json_object_get(root, "$defs"),
                               json_string_value(ref) + 8);
    return s;
}

bool kb_array_has_string(const json_t *a, const char *s)
{
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        if (json_is_string(e) && !strcmp(json_string_value(e), s))
            return true;
    }
    return false;
}

int kb_field_info(const json_t *schema, const char *ptr, struct finfo *fi)
{
    const json_t *node = schema, *t;
    char tok[64];
    bool required = true;

    memset(fi, 0, sizeof(*fi));
    if (!ptr || *ptr != '/')
        return -1;
    while (*ptr == '/') {
        size_t n = strcspn(ptr + 1, "/");
        const json_t *props = json_object_get(node, "properties");
        if (n == 0 || n >= sizeof(tok) || !props)
            return -1;
        memcpy(tok, ptr + 1, n);
        tok[n] = '\0';
        if (!kb_array_has_string(json_object_get(node, "required"), tok))
            required = false;
        node = deref(schema, json_object_get(props, tok));
        if (!node)
            return -1;
        ptr += 1 + n;
    }
    if (*ptr)
        return -1;
    fi->required = required;
    t = json_object_get(node, "type");
    if (json_object_get(node, "enum")) {
        fi->kind = FK_ENUM;
        fi->values = json_object_get(node, "enum");
    } else if (json_is_string(t) &&
               !strcmp(json_string_value(t), "boolean")) {
        fi->kind = FK_BOOL;
    } else if (json_is_string(t) &&
               (!strcmp(json_string_value(t), "number") ||
                !strcmp(json_string_value(t), "integer"))) {
        fi->kind = FK_NUMBER;
        fi->integer = !strcmp(json_string_value(t), "integer");
        fi->min = json_is_number(json_object_get(node, "minimum"))
                      ? json_number_value(json_object_get(node, "minimum"))
                      : -1e300;
        fi->max = json_is_number(json_object_get(node, "maximum"))
                      ? json_number_value(json_object_get(node, "maximum"))
                      : 1e300;
    } else if (json_is_string(t) &&
               !strcmp(json_string_value(t), "array")) {
        const json_t *items = deref(schema, json_object_get(node, "items"));
        if (!items || !json_object_get(items, "enum"))
            return -1;
        fi->kind = FK_ARRAY_ENUM;
        fi->values = json_object_get(items, "enum");
        fi->min_one = json_integer_value(json_object_get(node, "minItems")) > 0;
    } else if (json_is_string(t) &&
               !strcmp(json_string_value(t), "string")) {
        fi->kind = FK_STRING;
    } else if (json_is_string(t) &&
               !strcmp(json_string_value(t), "object")) {
        fi->kind = FK_OBJECT;
    } else {
        return -1;
    }
    return 0;
}

/* ---- record helpers ---- */

int kb_check_keys(struct loader *L, const json_t *rec,
                      const char *const *allowed)
{
    const char *key;
    json_t *v;
    if (!L->check)
        return 0;
    json_object_foreach((json_t *)rec, key, v) {
        bool ok = false;
        for (size_t i = 0; allowed[i]; i++)
            if (!strcmp(key, allowed[i]))
                ok = true;
        if (!ok)
            return kb_failf(L, "unknown key \"%s\"", key);
    }
    return 0;
}

const char *kb_need_str(struct loader *L, const json_t *rec,
                            const char *key)
{
    const json_t *v = json_object_get(rec, key);
    if (!json_is_string(v) || !json_string_length(v)) {
        kb_failf(L, "\"%s\" must be a non-empty string", key);
        return NULL;
    }
    return json_string_value(v);
}

int kb_need_num(struct loader *L, const json_t *rec, const char *key,
                    double *out)
{
    const json_t *v = json_object_get(rec, key);
    if (!json_is_number(v))
        return kb_failf(L, "\"%s\" must be a number", key);
    *out = json_number_value(v);
    return 0;
}

int kb_check_sources(struct loader *L, const json_t *ids, bool required)
{
    size_t i;
    json_t *e;
    if (!L->check || (!ids && !required))
        return 0;
    if (!json_is_array(ids) || (required && json_array_size(ids) == 0))
        return kb_failf(L, "\"source_ids\" must be a non-empty list");
    json_array_foreach(ids, i, e) {
        if (!json_is_string(e))
            return kb_failf(L, "source ids must be strings");
        if (!kb_source(L->kb, json_string_value(e)))
            return kb_failf(L, "unknown source \"%s\"", json_string_value(e));
    }
    return 0;
}

const json_t *kb_schema_enum(const json_t *schema, const char *def)
{
    return json_object_get(
        json_object_get(json_object_get(schema, "$defs"), def), "enum");
}

/* ---- rules ---- */


int kb_value_ok(struct loader *L, const char *field,
                    const struct finfo *fi, const json_t *v)
{
    char text[80];
    char *s;
    if (!L->check)
        return 0;
    switch (fi->kind) {
    case FK_BOOL:
        if (json_is_boolean(v))
            return 0;
        break;
    case FK_NUMBER:
        if (json_is_number(v))
            return 0;
        break;
    case FK_ENUM:
    case FK_ARRAY_ENUM:
        if (json_is_string(v) &&
            kb_array_has_string(fi->values, json_string_value(v)))
            return 0;
        break;
    default:
        break;
    }
    s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(text, sizeof(text), "%s", s ? s : "?");
    jalloc_release(s);
    return kb_failf(L, "%s is not a value of %s", text, field);
}


static struct rule *new_rule(enum rule_op op)
{
    struct rule *r = kb_zalloc(1, sizeof(*r));
    if (r)
        r->op = op;
    return r;
}

static struct rule *compile_kids(struct loader *L, enum rule_op op,
                                 const json_t *list)
{
    struct rule *r;
    size_t i;
    json_t *e;
    if (!json_is_array(list)) {
        kb_failf(L, "\"%s\" needs a list of rules",
              op == RULE_ALL ? "all" : "any");
        return NULL;
    }
    r = new_rule(op);
    if (!r || (json_array_size(list) &&
               !(r->kids = kb_zalloc(json_array_size(list), sizeof(*r->kids))))) {
        rc_fail(L->err, RC_EENV, "out of memory");
        rule_free(r);
        return NULL;
    }
    json_array_foreach(list, i, e) {
        if (!(r->kids[r->nkids] = kb_compile(L, e))) {
            rule_free(r);
            return NULL;
        }
        r->nkids++;
    }
    return r;
}

/* Expand "@SET" names in an "in" list (or one value) for field: a new
 * array, or NULL with the error set. */
static json_t *expand_in(struct loader *L, const char *field,
                         const json_t *list)
{
    size_t n = json_is_array(list) ? json_array_size(list) : 1;
    json_t *out;

    if (!json_is_string(list) && (!json_is_array(list) || !n)) {
        kb_failf(L, "\"in\" needs a non-empty list");
        return NULL;
    }
    if (!(out = json_array()))
        goto oom;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_is_array(list) ? json_array_get(list, i)
                                        : (json_t *)list;
        if (json_is_string(e) && json_string_value(e)[0] == '@') {
            const json_t *set =
                json_object_get(L->kb->sets, json_string_value(e) + 1);
            if (!set) {
                json_decref(out);
                kb_failf(L, "unknown set \"%s\"", json_string_value(e));
                return NULL;
            }
            if (strcmp(json_string_value(json_object_get(set, "field")),
                       field)) {
                json_decref(out);
                kb_failf(L, "set \"%s\" is for %s, not %s", json_string_value(e),
                      json_string_value(json_object_get(set, "field")), field);
                return NULL;
            }
            if (json_array_extend(out, json_object_get(set, "values")) < 0)
                goto oom;
        } else if (json_array_append(out, e) < 0) {
            goto oom;
        }
    }
    return out;
oom:
    json_decref(out);
    rc_fail(L->err, RC_EENV, "out of memory");
    return NULL;
}

static const struct {
    const char *name;
    enum rule_op op;
} leaf_ops[] = {
    { "eq", RULE_EQ },         { "in", RULE_IN },
    { "gte", RULE_GTE },       { "lte", RULE_LTE },
    { "gt", RULE_GT },         { "lt", RULE_LT },
    { "range", RULE_RANGE },   { "present", RULE_PRESENT },
    { "nonempty", RULE_NONEMPTY }, { "count_gte", RULE_COUNT_GTE },
    { "unanswered", RULE_UNANSWERED },
};

static struct rule *compile_field(struct loader *L, const json_t *j,
                                  const json_t *field_value)
{
    const char *field = json_string_value(field_value);
    struct finfo fi = { .kind = FK_NONE };
    struct rule *r = NULL;
    const char *key, *opname = NULL;
    json_t *arg = NULL, *v;
    size_t i;

    if (!field)
        return kb_failf(L, "\"field\" must be a string"), NULL;
    if (L->check && kb_field_info(L->fields ? L->fields
                                            : L->kb->report_schema,
                                  field, &fi) < 0)
        return kb_failf(L, "unknown %s field \"%s\"",
                        L->fields ? "course" : "report", field),
               NULL;
    json_object_foreach((json_t *)j, key, v) {
        if (!strcmp(key, "field"))
            continue;
        if (!strcmp(key, "or_unknown")) {
            if (!json_is_true(v))
                return kb_failf(L, "\"or_unknown\" takes true"), NULL;
            continue;
        }
        if (opname)
            return kb_failf(L, "a rule has one operator, not \"%s\" and \"%s\"",
                         opname, key),
                   NULL;
        opname = key;
        arg = v;
    }
    if (!opname)
        return kb_failf(L, "rule on %s has no operator", field), NULL;
    for (i = 0; i < RC_ARRAY_SIZE(leaf_ops); i++)
        if (!strcmp(opname, leaf_ops[i].name))
            break;
    if (i == RC_ARRAY_SIZE(leaf_ops))
        return kb_failf(L, "unknown operator \"%s\"", opname), NULL;
    if (!(r = new_rule(leaf_ops[i].op))) {
        rc_fail(L->err, RC_EENV, "out of memory");
        return NULL;
    }
    if (L->check && fi.kind == FK_OBJECT && r->op != RULE_PRESENT &&
        r->op != RULE_UNANSWERED) {
        kb_failf(L, "%s is an object: only \"present\" or \"unanswered\"",
                 field);
        goto fail;
    }
    r->field = field;
    r->or_unknown = json_is_true(json_object_get(j, "or_unknown"));
    if (r->or_unknown && (r->op == RULE_PRESENT || r->op == RULE_UNANSWERED)) {
        kb_failf(L, "\"or_unknown\" with \"%s\" says nothing", opname);
        goto fail;
    }
    switch (r->op) {
    case RULE_EQ:
        if (kb_value_ok(L, field, &fi, arg) < 0)
            goto fail;
        r->values = json_incref(arg);
        break;
    case RULE_IN:
        if (L->check && fi.kind != FK_ENUM && fi.kind != FK_ARRAY_ENUM) {
            kb_failf(L, "\"in\" needs a field with listed values, not %s", field);
            goto fail;
        }
        if (!(r->values = expand_in(L, field, arg)))
            goto fail;
        json_array_foreach(r->values, i, v) {
            if (kb_value_ok(L, field, &fi, v) < 0)
                goto fail;
        }
        break;
    case RULE_GTE:
    case RULE_LTE:
    case RULE_GT:
    case RULE_LT:
        if ((L->check && fi.kind != FK_NUMBER) || !json_is_number(arg)) {
            kb_failf(L, "\"%s\" needs a number field and a number (%s)", opname,
                  field);
            goto fail;
        }
        r->lo = json_number_value(arg);
        break;
    case RULE_RANGE:
        if ((L->check && fi.kind != FK_NUMBER) || json_array_size(arg) != 2 ||
            !json_is_number(json_array_get(arg, 0)) ||
            !json_is_number(json_array_get(arg, 1))) {
            kb_failf(L, "\"range\" needs a number field and [low, high] (%s)",
                  field);
            goto fail;
        }
        r->lo = json_number_value(json_array_get(arg, 0));
        r->hi = json_number_value(json_array_get(arg, 1));
        break;
    case RULE_PRESENT:
    case RULE_UNANSWERED:
    case RULE_NONEMPTY:
        if (!json_is_true(arg) ||
            (L->check && r->op == RULE_NONEMPTY &&
             fi.kind != FK_ARRAY_ENUM)) {
            kb_failf(L, "\"%s\" takes true%s (%s)", opname,
                  r->op == RULE_NONEMPTY ? " on a list field" : "", field);
            goto fail;
        }
        break;
    case RULE_COUNT_GTE:
        if ((L->check && fi.kind != FK_ARRAY_ENUM) || !json_is_integer(arg)) {
            kb_failf(L, "\"count_gte\" needs a list field and a whole number");
            goto fail;
        }
        r->lo = (double)json_integer_value(arg);
        break;
    default:
        break;
    }
    return r;
fail:
    rule_free(r);
    return NULL;
}

int kb_flag_index(const struct kb *kb, size_t limit, const char *id)
{
    for (size_t i = 0; i < limit; i++)
        if (!strcmp(kb->flags[i].id, id))
            return (int)i;
    return -1;
}

/* The members of a rule object that say what kind of rule it is, found in
 * one pass over them (a json_object_get for each would hash every name
 * for every rule of the kb). */
struct rule_keys {
    const json_t *all, *any, *not_, *flag, *top, *triage, *field, *term,
        *one_side, *both_legs;
};

static void rule_keys(const json_t *j, struct rule_keys *k)
{
    const char *key;
    json_t *v;
    memset(k, 0, sizeof(*k));
    json_object_foreach((json_t *)j, key, v) {
        if (!strcmp(key, "field"))
            k->field = v;
        else if (!strcmp(key, "all"))
            k->all = v;
        else if (!strcmp(key, "any"))
            k->any = v;
        else if (!strcmp(key, "not"))
            k->not_ = v;
        else if (!strcmp(key, "flag"))
            k->flag = v;
        else if (!strcmp(key, "top"))
            k->top = v;
        else if (!strcmp(key, "triage"))
            k->triage = v;
        else if (!strcmp(key, "term"))
            k->term = v;
        else if (!strcmp(key, "one_side"))
            k->one_side = v;
        else if (!strcmp(key, "both_legs"))
            k->both_legs = v;
    }
}

struct rule *kb_compile(struct loader *L, const json_t *j)
{
    struct rule_keys k;
    const json_t *v;
    struct rule *r;

    if (!json_is_object(j) || json_object_size(j) == 0)
        return kb_failf(L, "a rule must be a non-empty object"), NULL;
    rule_keys(j, &k);
    if ((v = k.all) || (v = k.any)) {
        if (json_object_size(j) != 1)
            return kb_failf(L, "\"all\"/\"any\" must stand alone"), NULL;
        return compile_kids(L, k.all ? RULE_ALL : RULE_ANY, v);
    }
    if ((v = k.not_)) {
        struct rule *kid;
        if (json_object_size(j) != 1)
            return kb_failf(L, "\"not\" must stand alone"), NULL;
        if (!(kid = kb_compile(L, v)))
            return NULL;
        if (!(r = new_rule(RULE_NOT)) ||
            !(r->kids = kb_zalloc(1, sizeof(*r->kids)))) {
            rule_free(kid);
            rule_free(r);
            rc_fail(L->err, RC_EENV, "out of memory");
            return NULL;
        }
        r->kids[0] = kid;
        r->nkids = 1;
        return r;
    }
    if ((v = k.flag)) {
        int idx, at = -1;
        const char *id = json_string_value(v);
        const json_t *atv = json_object_get(j, "at");
        if (!id || json_object_size(j) != (atv ? 2u : 1u))
            return kb_failf(L, "\"flag\" needs a red flag id (and \"at\": a "
                               "level)"),
                   NULL;
        if (atv && (at = triage_level_parse(json_string_value(atv))) < 0)
            return kb_failf(L, "\"at\" must be a triage level"), NULL;
        idx = kb_flag_index(L->kb, L->nflags_defined, id);
        if (idx < 0) {
            if (L->stage == KB_STAGE_FLAGS &&
                kb_flag_index(L->kb, L->kb->nflags, id) < 0 &&
                kb_array_has_string(kb_schema_enum(L->kb->result_schema,
                                                   "red_flag_id"),
                                    id))
                return kb_failf(L, "red flag \"%s\" is used before it is "
                                   "defined",
                                id),
                       NULL;
            return kb_failf(L, "unknown red flag \"%s\"", id), NULL;
        }
        if (L->check && at >= 0) {
            bool has = false;
            for (size_t f = 0; f < L->kb->flags[idx].nforms; f++)
                if (L->kb->flags[idx].forms[f].level == at)
                    has = true;
            if (!has)
                return kb_failf(L, "red flag \"%s\" has no %s form", id,
                                triage_level_name((enum triage_level)at)),
                       NULL;
        }
        if (!(r = new_rule(RULE_FLAG)))
            return kb_oom(L), NULL;
        r->index = idx;
        r->at = at;
        return r;
    }
    if ((v = k.term)) {
        const char *id = json_string_value(v);
        size_t t;
        if (!id || json_object_size(j) != 1)
            return kb_failf(L, "\"term\" needs a term id"), NULL;
        for (t = 0; t < L->kb->nterms; t++)
            if (!strcmp(L->kb->terms[t].id, id))
                break;
        if (t == L->kb->nterms)
            return kb_failf(L, "unknown term \"%s\" (terms are defined "
                               "before they are used)",
                            id),
                   NULL;
        if (!(r = new_rule(RULE_TERM)))
            return kb_oom(L), NULL;
        r->term = L->kb->terms[t].when;
        return r;
    }
    if ((v = k.one_side)) {
        if (json_object_size(j) != 1)
            return kb_failf(L, "\"one_side\" must stand alone"), NULL;
        if (!(r = new_rule(RULE_ONE_SIDE)))
            return kb_oom(L), NULL;
        if (!(r->values = expand_in(L, "/location/regions", v))) {
            rule_free(r);
            return NULL;
        }
        return r;
    }
    if ((v = k.both_legs)) {
        if (json_object_size(j) != 1 || !json_is_true(v))
            return kb_failf(L, "\"both_legs\" takes true and stands alone"),
                   NULL;
        if (!(r = new_rule(RULE_BOTH_LEGS)))
            return kb_oom(L), NULL;
        return r;
    }
    if ((v = k.top) || (v = k.triage)) {
        bool top = k.top != NULL;
        size_t i;
        json_t *e;
        if (L->stage != KB_STAGE_PLANS)
            return kb_failf(L, "\"%s\" can only be used in plans and corrections",
                         top ? "top" : "triage"),
                   NULL;
        if (!json_is_array(v) || !json_array_size(v) || json_object_size(j) != 1)
            return kb_failf(L, "\"%s\" needs a non-empty list", top ? "top" :
                                                                   "triage"),
                   NULL;
        json_array_foreach(v, i, e) {
            const char *s = json_string_value(e);
            if (top && (!s || (L->check &&
                               !kb_array_has_string(
                                   kb_schema_enum(L->kb->result_schema,
                                               "condition_id"),
                                   s))))
                return kb_failf(L, "unknown condition \"%s\"", s ? s : "?"), NULL;
            if (!top && triage_level_parse(s) < 0)
                return kb_failf(L, "unknown triage level \"%s\"", s ? s : "?"),
                       NULL;
        }
        if (!(r = new_rule(top ? RULE_TOP : RULE_TRIAGE))) {
            rc_fail(L->err, RC_EENV, "out of memory");
            return NULL;
        }
        r->values = json_incref((json_t *)v);
        return r;
    }
    if (k.field)
        return compile_field(L, j, k.field);
    {
        const char *key = json_object_iter_key(json_object_iter((json_t *)j));
        return kb_failf(L, "unknown rule \"%s\"", key), NULL;
    }
}

struct rule *kb_compile_key(struct loader *L, const json_t *rec,
                                const char *key)
{
    const json_t *v = json_object_get(rec, key);
    if (!v)
        return kb_failf(L, "missing \"%s\"", key), NULL;
    return kb_compile(L, v);
}

int kb_need_level(struct loader *L, const json_t *rec, const char *key,
                      int *out)
{
    const char *s = json_string_value(json_object_get(rec, key));
    int lv = triage_level_parse(s);
    if (lv < 0)
        return kb_failf(L, "\"%s\" must be a triage level, not \"%s\"", key,
                     s ? s : "(missing)");
    *out = lv;
    return 0;
}

