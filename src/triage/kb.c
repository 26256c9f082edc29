/* kb.c - loading and checking the knowledge base (kb/ (JSON Lines) and the two
 * schemas). Every record is checked as it loads; the first problem stops
 * the load with "FILE: line N: what":
 *     kb/conditions.jsonl: line 14: unknown report field "/pain/scor"
 * Checks: JSON syntax, known keys and their types, every report field
 * named exists in report.schema.json and every value compared with it is
 * one the schema allows, every source id is in sources.jsonl, every
 * condition and red-flag id is one of result.schema.json's (and each of
 * those has a record), red flags refer only to flags defined above them,
 * plan blocks named exist, heat and cold actions keep to their limits, every
 * question's choices cover its field's values, and every field a red flag
 * reads can be asked.
 *
 * Two ways in. kb_load_texts (`runcare check --kb DIR`) parses with
 * Jansson and runs every check above. kb_load_embedded (the kb built into
 * runcare) parses with jparse and skips the checks (L->check false): the
 * build ran them all on the very same bytes (kb_check_build, from
 * tools/kbcheck.c, before runcare is linked), so at run time only what the
 * engine needs is done, which keeps the kb load and the engine of a
 * check under 2 ms (bench/RESULTS.md). What the compiled kb needs to be
 * usable at all (strings where strings are read, numbers, lists, one
 * record per level, a meta record) is still required on both ways.
 *
 * File layout (one JSON object per line; blank lines and lines starting
 * with '#' are skipped):
 *   meta.jsonl        {version, disclaimer, bands{likely,possible},
 *                      temperature, max_conditions, unknown_note,
 *                      source_ids}
 *   sources.jsonl     {id, kind, title, url}
 *   sets.jsonl        {id, field, values[]}            e.g. LOWER_LEG
 *   levels.jsonl      {id, rank, semigran, title, headline, recheck_hours,
 *                      actions[]}
 *   red_flags.jsonl   {id, label, triage, when, source_ids}
 *   plans.jsonl       {id, from_hours, to_hours|null, label, actions[],
 *                      always?}; action {kind, text, why?, source_ids,
 *                      unless?, modality? heat|cold, max_temp_c?,
 *                      max_minutes?}
 *   conditions.jsonl  {id, name, triage, prior?, applies_if?, features[
 *                      {when, weight, reason, source_ids?}], triage_rules[
 *                      {when, triage, reason, escalate?}], plan_blocks[],
 *                      recheck{after_hours, expected_course,
 *                      escalate_if[]}, return?{...}, source_ids}
 *   corrections.jsonl {id, common_advice, correction, source_ids, when}
 *   questions.jsonl   {id, field, text, choices?[{value,text}], dont_know?,
 *                      ask_if?, unknown_text}
 *   any other *.jsonl (e.g. load_guard.jsonl): JSON objects whose
 *                      source_ids, wherever they appear, must exist. */
#include "base/base.h"
#include "base/alloc.h"
#include "base/embedded.h"
#include "json/jparse.h"
#include "json/jsonl.h"
#include "triage/triage_int.h"

static const char *const level_names[] = { "self_care", "see_clinician",
                                           "urgent", "emergency" };

int triage_level_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && !strcmp(name, level_names[i]))
            return i;
    return -1;
}

const char *triage_level_name(enum triage_level level)
{
    return (unsigned)level < 4 ? level_names[level] : "self_care";
}

/* calloc through base/alloc.h, whose fault injector the tests use to fail
 * each allocation of a load in turn */
static void *zalloc(size_t n, size_t size)
{
    void *p;
    if (size && n > SIZE_MAX / size)
        return NULL;
    if ((p = rc_malloc(n * size)))
        memset(p, 0, n * size);
    return p;
}

/* ---- where we are, for messages ---- */

struct loader {
    struct kb *kb;
    const char *file; /* "kb/conditions.jsonl" */
    long line;
    struct rc_err *err;
    int stage; /* 1 red flags, 2 conditions, 3 plans/corrections, 0 questions */
    size_t nflags_defined;
    /* false for the kb built into the binary: jparse reads it and only
     * what the engine needs is done, because tools/kbcheck.c ran every
     * check on those very bytes when runcare was built */
    bool check;
};

static int failf(struct loader *L, const char *fmt, ...) RC_PRINTF(2, 3);

static int failf(struct loader *L, const char *fmt, ...)
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

/* ---- the report schema: what a field is ---- */

enum fkind { FK_NONE, FK_BOOL, FK_ENUM, FK_NUMBER, FK_STRING, FK_ARRAY_ENUM };

struct finfo {
    enum fkind kind;
    const json_t *values; /* enum values (FK_ENUM, FK_ARRAY_ENUM) */
    double min, max;
    bool integer, required, min_one;
};

static const json_t *deref(const json_t *root, const json_t *s)
{
    const json_t *ref = json_object_get(s, "$ref");
    if (json_is_string(ref) &&
        !strncmp(json_string_value(ref), "#/$defs/", 8))
        return json_object_get(json_object_get(root, "$defs"),
                               json_string_value(ref) + 8);
    return s;
}

static bool array_has_string(const json_t *a, const char *s)
{
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        if (json_is_string(e) && !strcmp(json_string_value(e), s))
            return true;
    }
    return false;
}

static int field_info(const json_t *schema, const char *ptr, struct finfo *fi)
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
        if (!array_has_string(json_object_get(node, "required"), tok))
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
    } else {
        return -1;
    }
    return 0;
}

/* ---- record helpers ---- */

static int check_keys(struct loader *L, const json_t *rec,
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
            return failf(L, "unknown key \"%s\"", key);
    }
    return 0;
}

static const char *need_str(struct loader *L, const json_t *rec,
                            const char *key)
{
    const json_t *v = json_object_get(rec, key);
    if (!json_is_string(v) || !json_string_length(v)) {
        failf(L, "\"%s\" must be a non-empty string", key);
        return NULL;
    }
    return json_string_value(v);
}

static int need_num(struct loader *L, const json_t *rec, const char *key,
                    double *out)
{
    const json_t *v = json_object_get(rec, key);
    if (!json_is_number(v))
        return failf(L, "\"%s\" must be a number", key);
    *out = json_number_value(v);
    return 0;
}

static int check_sources(struct loader *L, const json_t *ids, bool required)
{
    size_t i;
    json_t *e;
    if (!L->check || (!ids && !required))
        return 0;
    if (!json_is_array(ids) || (required && json_array_size(ids) == 0))
        return failf(L, "\"source_ids\" must be a non-empty list");
    json_array_foreach(ids, i, e) {
        if (!json_is_string(e))
            return failf(L, "source ids must be strings");
        if (!json_object_get(L->kb->sources, json_string_value(e)))
            return failf(L, "unknown source \"%s\"", json_string_value(e));
    }
    return 0;
}

/* every "source_ids" list anywhere inside v */
static int check_sources_deep(struct loader *L, const json_t *v)
{
    const char *key;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, x) {
            if (!strcmp(key, "source_ids")) {
                if (check_sources(L, x, false) < 0)
                    return -1;
            } else if (check_sources_deep(L, x) < 0) {
                return -1;
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) {
            if (check_sources_deep(L, x) < 0)
                return -1;
        }
    }
    return 0;
}

static const json_t *schema_enum(const json_t *schema, const char *def)
{
    return json_object_get(
        json_object_get(json_object_get(schema, "$defs"), def), "enum");
}

/* ---- rules ---- */

static const char *dont_know_of(struct kb *kb, const char *field);

static int value_ok(struct loader *L, const char *field,
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
            array_has_string(fi->values, json_string_value(v)))
            return 0;
        break;
    default:
        break;
    }
    s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(text, sizeof(text), "%s", s ? s : "?");
    free(s);
    return failf(L, "%s is not a value of %s", text, field);
}

static struct rule *compile(struct loader *L, const json_t *j);

static struct rule *new_rule(enum rule_op op)
{
    struct rule *r = zalloc(1, sizeof(*r));
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
        failf(L, "\"%s\" needs a list of rules",
              op == RULE_ALL ? "all" : "any");
        return NULL;
    }
    r = new_rule(op);
    if (!r || (json_array_size(list) &&
               !(r->kids = zalloc(json_array_size(list), sizeof(*r->kids))))) {
        rc_fail(L->err, RC_EENV, "out of memory");
        rule_free(r);
        return NULL;
    }
    json_array_foreach(list, i, e) {
        if (!(r->kids[r->nkids] = compile(L, e))) {
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
        failf(L, "\"in\" needs a non-empty list");
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
                failf(L, "unknown set \"%s\"", json_string_value(e));
                return NULL;
            }
            if (strcmp(json_string_value(json_object_get(set, "field")),
                       field)) {
                json_decref(out);
                failf(L, "set \"%s\" is for %s, not %s", json_string_value(e),
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
        return failf(L, "\"field\" must be a string"), NULL;
    if (L->check && field_info(L->kb->report_schema, field, &fi) < 0)
        return failf(L, "unknown report field \"%s\"", field), NULL;
    json_object_foreach((json_t *)j, key, v) {
        if (!strcmp(key, "field"))
            continue;
        if (opname)
            return failf(L, "a rule has one operator, not \"%s\" and \"%s\"",
                         opname, key),
                   NULL;
        opname = key;
        arg = v;
    }
    if (!opname)
        return failf(L, "rule on %s has no operator", field), NULL;
    for (i = 0; i < RC_ARRAY_SIZE(leaf_ops); i++)
        if (!strcmp(opname, leaf_ops[i].name))
            break;
    if (i == RC_ARRAY_SIZE(leaf_ops))
        return failf(L, "unknown operator \"%s\"", opname), NULL;
    if (!(r = new_rule(leaf_ops[i].op))) {
        rc_fail(L->err, RC_EENV, "out of memory");
        return NULL;
    }
    r->field = field;
    r->dont_know = dont_know_of(L->kb, field);
    switch (r->op) {
    case RULE_EQ:
        if (value_ok(L, field, &fi, arg) < 0)
            goto fail;
        r->values = json_incref(arg);
        break;
    case RULE_IN:
        if (L->check && fi.kind != FK_ENUM && fi.kind != FK_ARRAY_ENUM) {
            failf(L, "\"in\" needs a field with listed values, not %s", field);
            goto fail;
        }
        if (!(r->values = expand_in(L, field, arg)))
            goto fail;
        json_array_foreach(r->values, i, v) {
            if (value_ok(L, field, &fi, v) < 0)
                goto fail;
        }
        break;
    case RULE_GTE:
    case RULE_LTE:
    case RULE_GT:
    case RULE_LT:
        if ((L->check && fi.kind != FK_NUMBER) || !json_is_number(arg)) {
            failf(L, "\"%s\" needs a number field and a number (%s)", opname,
                  field);
            goto fail;
        }
        r->lo = json_number_value(arg);
        break;
    case RULE_RANGE:
        if ((L->check && fi.kind != FK_NUMBER) || json_array_size(arg) != 2 ||
            !json_is_number(json_array_get(arg, 0)) ||
            !json_is_number(json_array_get(arg, 1))) {
            failf(L, "\"range\" needs a number field and [low, high] (%s)",
                  field);
            goto fail;
        }
        r->lo = json_number_value(json_array_get(arg, 0));
        r->hi = json_number_value(json_array_get(arg, 1));
        break;
    case RULE_PRESENT:
    case RULE_NONEMPTY:
        if (!json_is_true(arg) ||
            (L->check && r->op == RULE_NONEMPTY &&
             fi.kind != FK_ARRAY_ENUM)) {
            failf(L, "\"%s\" takes true%s (%s)", opname,
                  r->op == RULE_NONEMPTY ? " on a list field" : "", field);
            goto fail;
        }
        break;
    case RULE_COUNT_GTE:
        if ((L->check && fi.kind != FK_ARRAY_ENUM) || !json_is_integer(arg)) {
            failf(L, "\"count_gte\" needs a list field and a whole number");
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

static int flag_index(struct kb *kb, size_t limit, const char *id)
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
    const json_t *all, *any, *not_, *flag, *top, *triage, *field;
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
    }
}

static struct rule *compile(struct loader *L, const json_t *j)
{
    struct rule_keys k;
    const json_t *v;
    struct rule *r;

    if (!json_is_object(j) || json_object_size(j) == 0)
        return failf(L, "a rule must be a non-empty object"), NULL;
    rule_keys(j, &k);
    if ((v = k.all) || (v = k.any)) {
        if (json_object_size(j) != 1)
            return failf(L, "\"all\"/\"any\" must stand alone"), NULL;
        return compile_kids(L, k.all ? RULE_ALL : RULE_ANY, v);
    }
    if ((v = k.not_)) {
        struct rule *kid;
        if (json_object_size(j) != 1)
            return failf(L, "\"not\" must stand alone"), NULL;
        if (!(kid = compile(L, v)))
            return NULL;
        if (!(r = new_rule(RULE_NOT)) ||
            !(r->kids = zalloc(1, sizeof(*r->kids)))) {
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
        int idx;
        const char *id = json_string_value(v);
        if (!id || json_object_size(j) != 1)
            return failf(L, "\"flag\" needs a red flag id"), NULL;
        idx = flag_index(L->kb, L->nflags_defined, id);
        if (idx < 0) {
            if (L->stage == 1 && flag_index(L->kb, L->kb->nflags, id) < 0 &&
                array_has_string(schema_enum(L->kb->result_schema,
                                             "red_flag_id"), id))
                return failf(L, "red flag \"%s\" is used before it is defined",
                             id),
                       NULL;
            return failf(L, "unknown red flag \"%s\"", id), NULL;
        }
        if (!(r = new_rule(RULE_FLAG))) {
            rc_fail(L->err, RC_EENV, "out of memory");
            return NULL;
        }
        r->index = idx;
        return r;
    }
    if ((v = k.top) || (v = k.triage)) {
        bool top = k.top != NULL;
        size_t i;
        json_t *e;
        if (L->stage != 3)
            return failf(L, "\"%s\" can only be used in plans and corrections",
                         top ? "top" : "triage"),
                   NULL;
        if (!json_is_array(v) || !json_array_size(v) || json_object_size(j) != 1)
            return failf(L, "\"%s\" needs a non-empty list", top ? "top" :
                                                                   "triage"),
                   NULL;
        json_array_foreach(v, i, e) {
            const char *s = json_string_value(e);
            if (top && (!s || (L->check &&
                               !array_has_string(
                                   schema_enum(L->kb->result_schema,
                                               "condition_id"),
                                   s))))
                return failf(L, "unknown condition \"%s\"", s ? s : "?"), NULL;
            if (!top && triage_level_parse(s) < 0)
                return failf(L, "unknown triage level \"%s\"", s ? s : "?"),
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
        return failf(L, "unknown rule \"%s\"", key), NULL;
    }
}

static struct rule *compile_key(struct loader *L, const json_t *rec,
                                const char *key)
{
    const json_t *v = json_object_get(rec, key);
    if (!v)
        return failf(L, "missing \"%s\"", key), NULL;
    return compile(L, v);
}

static int need_level(struct loader *L, const json_t *rec, const char *key,
                      int *out)
{
    const char *s = json_string_value(json_object_get(rec, key));
    int lv = triage_level_parse(s);
    if (lv < 0)
        return failf(L, "\"%s\" must be a triage level, not \"%s\"", key,
                     s ? s : "(missing)");
    *out = lv;
    return 0;
}

/* ---- the files ---- */

typedef int (*record_fn)(struct loader *L, json_t *rec);

struct each_ctx {
    struct loader *L;
    record_fn fn;
};

static int each_one(void *ctx, json_t *rec, long line, struct rc_err *err)
{
    struct each_ctx *c = ctx;
    (void)err; /* the loader's own, c->L->err */
    c->L->line = line;
    /* on failure Jansson has already released rec */
    if (json_array_append_new(c->L->kb->keep, rec) < 0)
        return rc_fail(c->L->err, RC_EENV, "out of memory");
    return c->fn(c->L, rec);
}

static int each_record(struct loader *L, const struct kb_text *f,
                       record_fn fn)
{
    struct each_ctx c = { L, fn };
    L->file = f->name;
    L->line = 0;
    return jsonl_each(f->name, f->data, f->len,
                      L->check ? JSONL_JANSSON : JSONL_JPARSE, each_one, &c,
                      L->err);
}

static int grow(void **v, size_t *n, size_t size, struct rc_err *err)
{
    void *p = rc_realloc(*v, (*n + 1) * size);
    if (!p)
        return rc_fail(err, RC_EENV, "out of memory");
    memset((char *)p + *n * size, 0, size);
    *v = p;
    (*n)++;
    return 0;
}

static int rec_meta(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "version", "disclaimer", "bands",
                                        "max_conditions", "unknown_note",
                                        "temperature", "source_ids", NULL };
    const json_t *bands = json_object_get(rec, "bands");
    const char *v;
    if (L->kb->meta)
        return failf(L, "meta.jsonl holds one record");
    if (check_keys(L, rec, keys) < 0 || !(v = need_str(L, rec, "version")) ||
        !need_str(L, rec, "disclaimer") || !need_str(L, rec, "unknown_note") ||
        check_sources(L, json_object_get(rec, "source_ids"), true) < 0)
        return -1;
    if (strlen(json_string_value(json_object_get(rec, "disclaimer"))) < 20)
        return failf(L, "the disclaimer is too short");
    if (need_num(L, rec, "temperature", &L->kb->temperature) < 0)
        return -1;
    if (L->kb->temperature <= 0)
        return failf(L, "\"temperature\" must be above 0");
    if (need_num(L, bands, "likely", &L->kb->band_likely) < 0 ||
        need_num(L, bands, "possible", &L->kb->band_possible) < 0)
        return -1;
    if (!json_is_integer(json_object_get(rec, "max_conditions")) ||
        json_integer_value(json_object_get(rec, "max_conditions")) < 1 ||
        json_integer_value(json_object_get(rec, "max_conditions")) > 8)
        return failf(L, "\"max_conditions\" must be 1-8");
    L->kb->max_conditions =
        (size_t)json_integer_value(json_object_get(rec, "max_conditions"));
    snprintf(L->kb->version, sizeof(L->kb->version), "%s", v);
    L->kb->meta = rec;
    return 0;
}

static int rec_source(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "kind", "title", "url", NULL };
    const char *id;
    const json_t *ids;
    if (check_keys(L, rec, keys) < 0 || !(id = need_str(L, rec, "id")) ||
        !need_str(L, rec, "title") || !need_str(L, rec, "url") ||
        !need_str(L, rec, "kind"))
        return -1;
    if (!L->check)
        return json_object_set(L->kb->sources, id, rec) < 0
                   ? rc_fail(L->err, RC_EENV, "out of memory")
                   : 0;
    for (const char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '_'))
            return failf(L, "source id \"%s\" may only use a-z, 0-9 and _",
                         id);
    ids = json_object_get(json_object_get(json_object_get(json_object_get(
                              json_object_get(L->kb->result_schema,
                                              "properties"),
                              "advice_sources"),
                          "items"),
                          "properties"),
                          "kind");
    if (!array_has_string(json_object_get(ids, "enum"),
                          json_string_value(json_object_get(rec, "kind"))))
        return failf(L, "source kind \"%s\" is not one of the result schema's",
                     json_string_value(json_object_get(rec, "kind")));
    if (json_object_get(L->kb->sources, id))
        return failf(L, "duplicate source \"%s\"", id);
    if (json_object_set(L->kb->sources, id, rec) < 0)
        return rc_fail(L->err, RC_EENV, "out of memory");
    return 0;
}

static int rec_set(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "field", "values", NULL };
    const char *id, *field;
    struct finfo fi;
    size_t i;
    json_t *e;
    if (check_keys(L, rec, keys) < 0 || !(id = need_str(L, rec, "id")) ||
        !(field = need_str(L, rec, "field")))
        return -1;
    if (!json_is_array(json_object_get(rec, "values")) ||
        !json_array_size(json_object_get(rec, "values")))
        return failf(L, "\"values\" must be a non-empty list");
    if (L->check) {
        if (field_info(L->kb->report_schema, field, &fi) < 0)
            return failf(L, "unknown report field \"%s\"", field);
        json_array_foreach(json_object_get(rec, "values"), i, e) {
            if (value_ok(L, field, &fi, e) < 0)
                return -1;
        }
        if (json_object_get(L->kb->sets, id))
            return failf(L, "duplicate set \"%s\"", id);
    }
    if (json_object_set(L->kb->sets, id, rec) < 0)
        return rc_fail(L->err, RC_EENV, "out of memory");
    return 0;
}

static int check_actions(struct loader *L, const json_t *acts)
{
    size_t i;
    json_t *a;
    static const char *const keys[] = { "kind", "text", "why", "source_ids",
                                        "unless", "modality", "max_temp_c",
                                        "max_minutes", NULL };
    const json_t *kinds;
    if (!L->check)
        return 0;
    kinds = json_object_get(
        json_object_get(json_object_get(json_object_get(
            json_object_get(json_object_get(json_object_get(json_object_get(
                json_object_get(json_object_get(
                    json_object_get(L->kb->result_schema, "properties"),
                    "plan"), "properties"), "steps"), "items"), "properties"),
                "actions"), "items"), "properties"), "kind"), "enum");
    if (!json_is_array(acts))
        return failf(L, "\"actions\" must be a list");
    json_array_foreach(acts, i, a) {
        const char *mod;
        if (!json_is_object(a))
            return failf(L, "an action must be an object");
        if (check_keys(L, a, keys) < 0 || !need_str(L, a, "text") ||
            check_sources(L, json_object_get(a, "source_ids"), true) < 0)
            return -1;
        if (!array_has_string(kinds,
                              json_string_value(json_object_get(a, "kind"))
                                  ? json_string_value(json_object_get(a, "kind"))
                                  : ""))
            return failf(L, "action kind must be one of seek_care, do, avoid, "
                            "monitor");
        if (json_object_get(a, "why") && !need_str(L, a, "why"))
            return -1;
        mod = json_string_value(json_object_get(a, "modality"));
        if (json_object_get(a, "modality") && !mod)
            return failf(L, "\"modality\" must be heat or cold");
        if (mod && !strcmp(mod, "heat")) {
            double t = 0, m = 0;
            char want[32];
            if (need_num(L, a, "max_temp_c", &t) < 0 ||
                need_num(L, a, "max_minutes", &m) < 0)
                return -1;
            if (t > 40)
                return failf(L, "heat above 40 °C (%g °C) can burn", t);
            if (m > 20)
                return failf(L, "heat for more than 20 minutes (%g)", m);
            snprintf(want, sizeof(want), "%g °C", t);
            if (!strstr(json_string_value(json_object_get(a, "text")), want))
                return failf(L, "a heat action must state its limit \"%s\" in "
                                "its text", want);
        } else if (mod && !strcmp(mod, "cold")) {
            double m = 0;
            char want[32];
            if (need_num(L, a, "max_minutes", &m) < 0)
                return -1;
            if (m > 20 || m < 10)
                return failf(L, "cold for %g minutes: keep to 10-15, never "
                                "over 20", m);
            snprintf(want, sizeof(want), "%g minutes", m);
            if (!strstr(json_string_value(json_object_get(a, "text")), want))
                return failf(L, "a cold action must state its limit \"%s\" in "
                                "its text", want);
        } else if (mod) {
            return failf(L, "\"modality\" must be heat or cold, not \"%s\"",
                         mod);
        }
    }
    return 0;
}

static int rec_level(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "rank", "semigran", "title",
                                        "headline", "recheck_hours",
                                        "actions", NULL };
    int lv;
    struct kb_level *l;
    const json_t *sg = json_object_get(json_object_get(json_object_get(
                                           L->kb->result_schema, "properties"),
                                                       "semigran_level"),
                                       "enum");
    if (check_keys(L, rec, keys) < 0 || need_level(L, rec, "id", &lv) < 0)
        return -1;
    l = &L->kb->levels[lv];
    if (l->id)
        return failf(L, "duplicate level \"%s\"", level_names[lv]);
    if (json_integer_value(json_object_get(rec, "rank")) != lv ||
        !json_is_integer(json_object_get(rec, "rank")))
        return failf(L, "\"rank\" of %s must be %d", level_names[lv], lv);
    if (!(l->semigran = need_str(L, rec, "semigran")) ||
        !(l->title = need_str(L, rec, "title")) ||
        !(l->headline = need_str(L, rec, "headline")) ||
        need_num(L, rec, "recheck_hours", &l->recheck_h) < 0 ||
        check_actions(L, json_object_get(rec, "actions")) < 0)
        return -1;
    if (!array_has_string(sg, l->semigran))
        return failf(L, "\"%s\" is not a Semigran level", l->semigran);
    l->id = level_names[lv];
    l->actions = json_object_get(rec, "actions");
    return 0;
}

static int rec_flag(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "label", "triage", "when",
                                        "source_ids", NULL };
    struct kb_flag f = { 0 };
    if (check_keys(L, rec, keys) < 0 || !(f.id = need_str(L, rec, "id")) ||
        !(f.label = need_str(L, rec, "label")) ||
        need_level(L, rec, "triage", &f.level) < 0 ||
        check_sources(L, json_object_get(rec, "source_ids"), true) < 0)
        return -1;
    if (L->check &&
        !array_has_string(schema_enum(L->kb->result_schema, "red_flag_id"),
                          f.id))
        return failf(L, "red flag id \"%s\" is not one of result.schema.json's",
                     f.id);
    if (L->check && flag_index(L->kb, L->kb->nflags, f.id) >= 0)
        return failf(L, "duplicate red flag \"%s\"", f.id);
    if (!(f.when = compile_key(L, rec, "when")))
        return -1;
    f.source_ids = json_object_get(rec, "source_ids");
    if (grow((void **)&L->kb->flags, &L->kb->nflags, sizeof(f), L->err) < 0) {
        rule_free(f.when);
        return -1;
    }
    L->kb->flags[L->kb->nflags - 1] = f;
    L->nflags_defined = L->kb->nflags;
    return 0;
}

static int rec_block(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "from_hours", "to_hours",
                                        "label", "actions", "always", NULL };
    struct kb_block b = { 0 };
    const json_t *acts = json_object_get(rec, "actions"), *to, *a;
    size_t i;
    if (check_keys(L, rec, keys) < 0 || !(b.id = need_str(L, rec, "id")) ||
        !(b.label = need_str(L, rec, "label")) ||
        need_num(L, rec, "from_hours", &b.from_h) < 0 ||
        check_actions(L, acts) < 0)
        return -1;
    if (!json_array_size(acts))
        return failf(L, "a plan block needs at least one action");
    to = json_object_get(rec, "to_hours");
    if (json_is_null(to))
        b.to_h = NAN;
    else if (need_num(L, rec, "to_hours", &b.to_h) < 0)
        return -1;
    if (b.from_h < 0 || (!isnan(b.to_h) && b.to_h <= b.from_h))
        return failf(L, "the window %g-%g hours is empty", b.from_h, b.to_h);
    for (i = 0; L->check && i < L->kb->nblocks; i++)
        if (!strcmp(L->kb->blocks[i].id, b.id))
            return failf(L, "duplicate plan block \"%s\"", b.id);
    b.always = json_is_true(json_object_get(rec, "always"));
    if (!(b.actions = zalloc(json_array_size(acts), sizeof(*b.actions))))
        return rc_fail(L->err, RC_EENV, "out of memory");
    json_array_foreach(acts, i, a) {
        b.actions[i].rec = a;
        if (json_object_get(a, "unless") &&
            !(b.actions[i].unless = compile(L, json_object_get(a, "unless")))) {
            for (size_t k = 0; k < i; k++)
                rule_free(b.actions[k].unless);
            free(b.actions);
            return -1;
        }
        b.nactions = i + 1;
    }
    if (grow((void **)&L->kb->blocks, &L->kb->nblocks, sizeof(b), L->err) <
        0) {
        for (size_t k = 0; k < b.nactions; k++)
            rule_free(b.actions[k].unless);
        free(b.actions);
        return -1;
    }
    L->kb->blocks[L->kb->nblocks - 1] = b;
    return 0;
}

static void condition_release(struct kb_condition *c)
{
    rule_free(c->applies);
    for (size_t i = 0; i < c->nfeatures; i++)
        rule_free(c->features[i].when);
    for (size_t i = 0; i < c->ntrules; i++)
        rule_free(c->trules[i].when);
    free(c->features);
    free(c->trules);
    free(c->blocks);
}

static int cond_parts(struct loader *L, const json_t *rec,
                      struct kb_condition *c)
{
    static const char *const fkeys[] = { "when", "weight", "reason",
                                         "source_ids", NULL };
    static const char *const tkeys[] = { "when", "triage", "reason",
                                         "escalate", NULL };
    static const char *const rkeys[] = { "after_hours", "expected_course",
                                         "escalate_if", NULL };
    static const char *const retkeys[] = { "not_before_days", "first_session",
                                           "progression_rule", "source_ids",
                                           NULL };
    const json_t *feats = json_object_get(rec, "features");
    const json_t *trs = json_object_get(rec, "triage_rules");
    const json_t *blocks = json_object_get(rec, "plan_blocks"), *e;
    size_t i;
    double h = 0;

    if (!json_is_array(feats) || !json_array_size(feats))
        return failf(L, "\"features\" must be a non-empty list");
    if (!json_is_array(trs))
        return failf(L, "\"triage_rules\" must be a list");
    c->features = zalloc(json_array_size(feats), sizeof(*c->features));
    c->trules = zalloc(json_array_size(trs) + 1, sizeof(*c->trules));
    c->blocks = zalloc(json_array_size(blocks) + 1, sizeof(*c->blocks));
    if (!c->features || !c->trules || !c->blocks)
        return rc_fail(L->err, RC_EENV, "out of memory");
    json_array_foreach(feats, i, e) {
        struct kb_feature *f = &c->features[i];
        if (!json_is_object(e) || check_keys(L, e, fkeys) < 0 ||
            !(f->reason = need_str(L, e, "reason")) ||
            need_num(L, e, "weight", &f->weight) < 0 ||
            check_sources(L, json_object_get(e, "source_ids"), false) < 0 ||
            !(f->when = compile_key(L, e, "when")))
            return json_is_object(e) ? -1
                                     : failf(L, "a feature must be an object");
        f->source_ids = json_object_get(e, "source_ids");
        c->nfeatures = i + 1;
    }
    json_array_foreach(trs, i, e) {
        struct kb_trule *t = &c->trules[i];
        if (!json_is_object(e) || check_keys(L, e, tkeys) < 0 ||
            !(t->reason = need_str(L, e, "reason")) ||
            need_level(L, e, "triage", &t->level) < 0 ||
            !(t->when = compile_key(L, e, "when")))
            return json_is_object(e) ? -1
                                     : failf(L, "a triage rule must be an "
                                                "object");
        t->escalate = json_is_true(json_object_get(e, "escalate"));
        c->ntrules = i + 1;
    }
    if (!json_is_array(blocks))
        return failf(L, "\"plan_blocks\" must be a list of plan block ids");
    json_array_foreach(blocks, i, e) {
        size_t k;
        const char *id = json_string_value(e);
        for (k = 0; k < L->kb->nblocks; k++)
            if (id && !strcmp(L->kb->blocks[k].id, id))
                break;
        if (k == L->kb->nblocks)
            return failf(L, "unknown plan block \"%s\"", id ? id : "?");
        c->blocks[c->nblocks++] = k;
    }
    c->recheck = json_object_get(rec, "recheck");
    if (!json_is_object(c->recheck) || check_keys(L, c->recheck, rkeys) < 0 ||
        need_num(L, c->recheck, "after_hours", &h) < 0 || h < 0 ||
        !need_str(L, c->recheck, "expected_course") ||
        !json_is_array(json_object_get(c->recheck, "escalate_if")) ||
        !json_array_size(json_object_get(c->recheck, "escalate_if")))
        return L->err->status ? -1
                              : failf(L, "\"recheck\" needs after_hours, "
                                         "expected_course and escalate_if");
    c->ret = json_object_get(rec, "return");
    if (c->ret && (!json_is_object(c->ret) || check_keys(L, c->ret, retkeys) <
                                                  0 ||
                   check_sources(L, json_object_get(c->ret, "source_ids"),
                                 true) < 0))
        return L->err->status ? -1 : failf(L, "\"return\" must be an object");
    return 0;
}

static int rec_condition(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "name", "triage", "prior",
                                        "applies_if", "features",
                                        "triage_rules", "plan_blocks",
                                        "recheck", "return", "source_ids",
                                        NULL };
    struct kb_condition c = { 0 };
    const json_t *prior = json_object_get(rec, "prior");
    if (check_keys(L, rec, keys) < 0 || !(c.id = need_str(L, rec, "id")) ||
        !(c.name = need_str(L, rec, "name")) ||
        need_level(L, rec, "triage", &c.level) < 0 ||
        check_sources(L, json_object_get(rec, "source_ids"), true) < 0)
        return -1;
    if (L->check &&
        !array_has_string(schema_enum(L->kb->result_schema, "condition_id"),
                          c.id))
        return failf(L, "condition id \"%s\" is not one of result.schema.json's",
                     c.id);
    for (size_t i = 0; L->check && i < L->kb->nconds; i++)
        if (!strcmp(L->kb->conds[i].id, c.id))
            return failf(L, "duplicate condition \"%s\"", c.id);
    if (prior && !json_is_number(prior))
        return failf(L, "\"prior\" must be a number");
    c.prior = prior ? json_number_value(prior) : 0;
    c.source_ids = json_object_get(rec, "source_ids");
    if ((json_object_get(rec, "applies_if") &&
         !(c.applies = compile_key(L, rec, "applies_if"))) ||
        cond_parts(L, rec, &c) < 0 ||
        grow((void **)&L->kb->conds, &L->kb->nconds, sizeof(c), L->err) < 0) {
        condition_release(&c);
        return -1;
    }
    L->kb->conds[L->kb->nconds - 1] = c;
    return 0;
}

static int rec_correction(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "common_advice", "correction",
                                        "source_ids", "when", NULL };
    struct kb_correction c = { rec, NULL };
    if (check_keys(L, rec, keys) < 0 || !need_str(L, rec, "id") ||
        !need_str(L, rec, "common_advice") || !need_str(L, rec, "correction") ||
        check_sources(L, json_object_get(rec, "source_ids"), true) < 0 ||
        !(c.when = compile_key(L, rec, "when")))
        return -1;
    if (grow((void **)&L->kb->corrs, &L->kb->ncorrs, sizeof(c), L->err) < 0) {
        rule_free(c.when);
        return -1;
    }
    L->kb->corrs[L->kb->ncorrs - 1] = c;
    return 0;
}

/* The "don't know" value of the question that asks field, or NULL. Each
 * field is asked once (a checked kb says so), so only the few questions
 * that have one need comparing. */
static const char *dont_know_of(struct kb *kb, const char *field)
{
    for (size_t i = 0; i < kb->nquestions; i++)
        if (kb->questions[i].pub.dont_know &&
            !strcmp(kb->questions[i].pub.field, field))
            return kb->questions[i].pub.dont_know;
    return NULL;
}

static int rec_question(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "field", "text", "choices",
                                        "dont_know", "ask_if", "unknown_text",
                                        NULL };
    static const char *const ckeys[] = { "value", "text", NULL };
    struct kb_q q = { 0 };
    struct finfo fi;
    const json_t *choices = json_object_get(rec, "choices"), *e;
    size_t i;

    if (check_keys(L, rec, keys) < 0 || !(q.pub.id = need_str(L, rec, "id")) ||
        !(q.pub.field = need_str(L, rec, "field")) ||
        !(q.pub.text = need_str(L, rec, "text")) ||
        !(q.pub.unknown_text = need_str(L, rec, "unknown_text")))
        return -1;
    if (field_info(L->kb->report_schema, q.pub.field, &fi) < 0)
        return failf(L, "unknown report field \"%s\"", q.pub.field);
    for (i = 0; L->check && i < L->kb->nquestions; i++)
        if (!strcmp(L->kb->questions[i].pub.field, q.pub.field))
            return failf(L, "%s is asked twice", q.pub.field);
    q.pub.required = fi.required;
    q.pub.min_one = fi.min_one;
    q.pub.min = fi.min;
    q.pub.max = fi.max;
    switch (fi.kind) {
    case FK_BOOL: q.pub.kind = KB_Q_BOOL; break;
    case FK_ENUM: q.pub.kind = KB_Q_CHOICE; break;
    case FK_ARRAY_ENUM: q.pub.kind = KB_Q_MULTI; break;
    case FK_NUMBER: q.pub.kind = fi.integer ? KB_Q_INTEGER : KB_Q_NUMBER; break;
    default: return failf(L, "%s cannot be asked (free text)", q.pub.field);
    }
    if (fi.values) {
        size_t nv = json_array_size(fi.values);
        if (json_array_size(choices) != nv)
            return failf(L, "%s has %zu values but %zu choices", q.pub.field,
                         nv, json_array_size(choices));
        if (!(q.choices = zalloc(nv, sizeof(*q.choices))))
            return rc_fail(L->err, RC_EENV, "out of memory");
        json_array_foreach(choices, i, e) {
            if (!json_is_object(e) || check_keys(L, e, ckeys) < 0 ||
                !(q.choices[i].value = need_str(L, e, "value")) ||
                !(q.choices[i].text = need_str(L, e, "text")) ||
                value_ok(L, q.pub.field, &fi,
                         json_object_get(e, "value")) < 0) {
                free(q.choices);
                return L->err->status ? -1
                                      : failf(L, "a choice must be an object");
            }
            for (size_t k = 0; L->check && k < i; k++)
                if (!strcmp(q.choices[k].value, q.choices[i].value)) {
                    failf(L, "choice \"%s\" appears twice",
                          q.choices[i].value);
                    free(q.choices);
                    return -1;
                }
        }
        q.pub.choices = q.choices;
        q.pub.nchoices = nv;
    } else if (choices) {
        return failf(L, "%s takes no choices", q.pub.field);
    }
    if (json_object_get(rec, "dont_know")) {
        q.pub.dont_know = json_string_value(json_object_get(rec, "dont_know"));
        if (!q.pub.dont_know || !fi.values || fi.kind != FK_ENUM ||
            !array_has_string(fi.values, q.pub.dont_know)) {
            free(q.choices);
            return failf(L, "\"dont_know\" must be one of the values of %s",
                         q.pub.field);
        }
    }
    if (json_object_get(rec, "ask_if") &&
        !(q.ask_if = compile_key(L, rec, "ask_if"))) {
        free(q.choices);
        return -1;
    }
    if (grow((void **)&L->kb->questions, &L->kb->nquestions, sizeof(q),
             L->err) < 0) {
        free(q.choices);
        rule_free(q.ask_if);
        return -1;
    }
    L->kb->questions[L->kb->nquestions - 1] = q;
    return 0;
}

static int rec_other(struct loader *L, json_t *rec)
{
    return check_sources_deep(L, rec);
}

/* Every field a red flag reads must be one the questionnaire asks. */
static void rule_fields(const struct rule *r, struct ptrset *out)
{
    if (r->field)
        ptrset_add(out, r->field);
    for (size_t i = 0; i < r->nkids; i++)
        rule_fields(r->kids[i], out);
}

/* Fill dont_know into every compiled rule (questions load last). */
static void set_dont_know(struct kb *kb, struct rule *r)
{
    if (!r)
        return;
    if (r->field)
        r->dont_know = dont_know_of(kb, r->field);
    for (size_t i = 0; i < r->nkids; i++)
        set_dont_know(kb, r->kids[i]);
}

static const struct kb_text *find_text(const struct kb_text *files, size_t n,
                                       const char *base);

/* What only the whole kb can tell: every red flag and condition of
 * result.schema.json has its record, every field a red flag reads is
 * asked. */
static int whole_kb_checks(struct loader *L, const struct kb_text *files,
                           size_t nfiles)
{
#define NAME_OF(base) (find_text(files, nfiles, base)->name)
    struct kb *kb = L->kb;
    const json_t *ids;
    size_t i;
    json_t *e;

    ids = schema_enum(kb->result_schema, "red_flag_id");
    json_array_foreach(ids, i, e) {
        if (flag_index(kb, kb->nflags, json_string_value(e)) < 0) {
            L->file = NAME_OF("red_flags.jsonl");
            return failf(L, "red flag \"%s\" of result.schema.json has no "
                            "record", json_string_value(e));
        }
    }
    ids = schema_enum(kb->result_schema, "condition_id");
    json_array_foreach(ids, i, e) {
        size_t k;
        for (k = 0; k < kb->nconds; k++)
            if (!strcmp(kb->conds[k].id, json_string_value(e)))
                break;
        if (k == kb->nconds) {
            L->file = NAME_OF("conditions.jsonl");
            return failf(L, "condition \"%s\" of result.schema.json has no "
                            "record", json_string_value(e));
        }
    }
    for (i = 0; i < kb->nflags; i++) {
        struct ptrset fields = { { 0 }, 0 };
        rule_fields(kb->flags[i].when, &fields);
        for (size_t k = 0; k < fields.n; k++) {
            size_t q;
            for (q = 0; q < kb->nquestions; q++)
                if (!strcmp(kb->questions[q].pub.field, fields.v[k]))
                    break;
            if (q == kb->nquestions) {
                L->file = NAME_OF("questions.jsonl");
                return failf(L, "red flag \"%s\" reads %s, which no question "
                                "asks", kb->flags[i].id, fields.v[k]);
            }
        }
    }
#undef NAME_OF
    return 0;
}

/* Once every file is read: each level has its record (the engine indexes
 * them), the whole-kb checks when checking, then the "don't know" values
 * of the questions go into the compiled rules. */
static int final_checks(struct loader *L, const struct kb_text *files,
                        size_t nfiles)
{
    struct kb *kb = L->kb;
    size_t i;

    L->line = 0;
    for (i = 0; i < 4; i++)
        if (!kb->levels[i].id) {
            L->file = find_text(files, nfiles, "levels.jsonl")->name;
            return failf(L, "no record for level \"%s\"", level_names[i]);
        }
    if (L->check && whole_kb_checks(L, files, nfiles) < 0)
        return -1;
    for (i = 0; i < kb->nflags; i++)
        set_dont_know(kb, kb->flags[i].when);
    for (i = 0; i < kb->nconds; i++) {
        set_dont_know(kb, kb->conds[i].applies);
        for (size_t k = 0; k < kb->conds[i].nfeatures; k++)
            set_dont_know(kb, kb->conds[i].features[k].when);
        for (size_t k = 0; k < kb->conds[i].ntrules; k++)
            set_dont_know(kb, kb->conds[i].trules[k].when);
    }
    return 0;
}

void kb_free(struct kb *kb)
{
    if (!kb)
        return;
    for (size_t i = 0; i < kb->nflags; i++)
        rule_free(kb->flags[i].when);
    for (size_t i = 0; i < kb->nconds; i++)
        condition_release(&kb->conds[i]);
    for (size_t i = 0; i < kb->nblocks; i++) {
        for (size_t k = 0; k < kb->blocks[i].nactions; k++)
            rule_free(kb->blocks[i].actions[k].unless);
        free(kb->blocks[i].actions);
    }
    for (size_t i = 0; i < kb->ncorrs; i++)
        rule_free(kb->corrs[i].when);
    for (size_t i = 0; i < kb->nquestions; i++) {
        free(kb->questions[i].choices);
        rule_free(kb->questions[i].ask_if);
    }
    free(kb->flags);
    free(kb->conds);
    free(kb->blocks);
    free(kb->corrs);
    free(kb->questions);
    json_decref(kb->keep);
    json_decref(kb->sources);
    json_decref(kb->sets);
    json_decref(kb->report_schema);
    json_decref(kb->result_schema);
    free(kb);
}

static const struct {
    const char *name;
    record_fn fn;
    int stage;
} kb_files[] = {
    { "sources.jsonl", rec_source, 0 },
    { "meta.jsonl", rec_meta, 0 },
    { "sets.jsonl", rec_set, 0 },
    { "levels.jsonl", rec_level, 0 },
    { "red_flags.jsonl", rec_flag, 1 },
    { "plans.jsonl", rec_block, 3 },
    { "conditions.jsonl", rec_condition, 2 },
    { "corrections.jsonl", rec_correction, 3 },
    { "questions.jsonl", rec_question, 0 },
};

static const struct kb_text *find_text(const struct kb_text *files, size_t n,
                                       const char *base)
{
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(files[i].name, '/');
        const char *b = slash ? slash + 1 : files[i].name;
        if (!strcmp(b, base))
            return &files[i];
    }
    return NULL;
}

static json_t *load_schema(const struct kb_text *t, bool check,
                           struct rc_err *err)
{
    json_error_t je;
    struct jparse_error pe;
    json_t *s;
    if (!check) {
        if (!(s = jparse_load(t->data, t->len, &pe))) {
            if (pe.oom)
                rc_fail(err, RC_EENV, "out of memory");
            else
                rc_fail_at(err, (long)pe.offset, "invalid JSON: %s", pe.msg);
            rc_err_file(err, t->name);
            return NULL;
        }
    } else if (!(s = json_loadb(t->data, t->len, JSON_REJECT_DUPLICATES,
                                &je))) {
        rc_fail_line(err, je.line, je.column, "invalid JSON: %s", je.text);
        rc_err_file(err, t->name);
        return NULL;
    }
    if (check && jschema_check(s, err) < 0) {
        rc_err_file(err, t->name);
        json_decref(s);
        return NULL;
    }
    return s;
}

static struct kb *kb_load(const struct kb_text *files, size_t n,
                          bool check, struct rc_err *err)
{
    struct kb *kb = zalloc(1, sizeof(*kb));
    struct loader L = { kb, "", 0, err, 0, 0, check };
    const struct kb_text *t;

    if (!kb || !(kb->keep = json_array()) || !(kb->sources = json_object()) ||
        !(kb->sets = json_object())) {
        kb_free(kb);
        rc_fail(err, RC_EENV, "out of memory");
        return NULL;
    }
    if (!(t = find_text(files, n, "report.schema.json")) ||
        !(kb->report_schema = load_schema(t, check, err)) ||
        !(t = find_text(files, n, "result.schema.json")) ||
        !(kb->result_schema = load_schema(t, check, err))) {
        if (err->status == RC_OK)
            rc_fail(err, RC_EINPUT, "the knowledge base has no %s",
                    kb->report_schema ? "result.schema.json"
                                      : "report.schema.json");
        kb_free(kb);
        return NULL;
    }
    for (size_t i = 0; i < RC_ARRAY_SIZE(kb_files); i++) {
        if (!(t = find_text(files, n, kb_files[i].name))) {
            rc_fail(err, RC_EINPUT, "the knowledge base has no %s",
                    kb_files[i].name);
            kb_free(kb);
            return NULL;
        }
        L.stage = kb_files[i].stage;
        L.nflags_defined = L.stage == 1 ? 0 : kb->nflags;
        if (each_record(&L, t, kb_files[i].fn) < 0) {
            kb_free(kb);
            return NULL;
        }
        if (!strcmp(kb_files[i].name, "meta.jsonl") && !kb->meta) {
            L.line = 0;
            failf(&L, "no record");
            kb_free(kb);
            return NULL;
        }
    }
    /* the other files (load_guard.jsonl) are only checked: their source ids */
    for (size_t i = 0; check && i < n; i++) {
        const char *slash = strrchr(files[i].name, '/');
        const char *b = slash ? slash + 1 : files[i].name;
        size_t len = strlen(b);
        bool known = false;
        for (size_t k = 0; k < RC_ARRAY_SIZE(kb_files); k++)
            if (!strcmp(b, kb_files[k].name))
                known = true;
        if (known || len < 6 || strcmp(b + len - 6, ".jsonl"))
            continue;
        if (each_record(&L, &files[i], rec_other) < 0) {
            kb_free(kb);
            return NULL;
        }
    }
    if (final_checks(&L, files, n) < 0) {
        kb_free(kb);
        return NULL;
    }
    return kb;
}

size_t kb_embedded_texts(struct kb_text *files, size_t cap)
{
    size_t n = 0;
    for (const struct rc_embedded *e = rc_embedded_files; e->path; e++) {
        if (strncmp(e->path, "kb/", 3))
            continue;
        if (n < cap) {
            files[n].name = e->path;
            files[n].data = (const char *)e->data;
            files[n].len = e->size;
        }
        n++;
    }
    return n;
}

struct kb *kb_load_embedded(struct rc_err *err)
{
    struct kb_text files[KB_FILES_MAX];
    size_t n = kb_embedded_texts(files, RC_ARRAY_SIZE(files));
    if (n > RC_ARRAY_SIZE(files)) {
        rc_fail(err, RC_EENV, "the built-in kb has %zu files, more than %zu",
                n, RC_ARRAY_SIZE(files));
        return NULL;
    }
    return kb_load(files, n, false, err);
}

/* Jansson and jparse read the same value from text[0..n): 0, or -1 with
 * err saying what differs. */
static int same_both_ways(const char *name, long line, const char *text,
                          size_t n, struct rc_err *err)
{
    struct jparse_error pe;
    json_error_t je;
    json_t *a = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    json_t *b = jparse_load(text, n, &pe);
    int rc = 0;
    if (!b)
        rc = rc_fail_line(err, line, 0, "jparse cannot read what Jansson "
                          "reads (at byte %zu: %s)", pe.offset, pe.msg);
    else if (!a || !jparse_same(a, b))
        rc = rc_fail_line(err, line, 0, "jparse and Jansson read different "
                          "values");
    if (rc < 0)
        rc_err_file(err, name);
    json_decref(a);
    json_decref(b);
    return rc;
}

int kb_check_build(const struct kb_text *files, size_t n, struct rc_err *err)
{
    struct kb *kb = kb_load_texts(files, n, err);
    if (!kb)
        return -1;
    kb_free(kb);
    for (size_t i = 0; i < n; i++) {
        const char *p = files[i].data, *end = p + files[i].len;
        size_t len = strlen(files[i].name);
        long line = 0;
        if (len > 5 && !strcmp(files[i].name + len - 5, ".json")) {
            if (same_both_ways(files[i].name, 0, p, files[i].len, err) < 0)
                return -1;
            continue;
        }
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
            line++;
            if (!jsonl_blank(p, k) &&
                same_both_ways(files[i].name, line, p, k, err) < 0)
                return -1;
            p += k + (nl ? 1 : 0);
        }
    }
    if (!(kb = kb_load(files, n, false, err)))
        return -1;
    kb_free(kb);
    return 0;
}

struct kb *kb_load_texts(const struct kb_text *files, size_t n,
                         struct rc_err *err)
{
    return kb_load(files, n, true, err);
}

const char *kb_version(const struct kb *kb) { return kb->version; }
const json_t *kb_report_schema(const struct kb *kb)
{
    return kb->report_schema;
}
const json_t *kb_result_schema(const struct kb *kb)
{
    return kb->result_schema;
}
size_t kb_count_red_flags(const struct kb *kb) { return kb->nflags; }
size_t kb_count_conditions(const struct kb *kb) { return kb->nconds; }
size_t kb_count_questions(const struct kb *kb) { return kb->nquestions; }
const struct kb_question *kb_question_at(const struct kb *kb, size_t i)
{
    return i < kb->nquestions ? &kb->questions[i].pub : NULL;
}
const char *kb_level_headline(const struct kb *kb, enum triage_level level)
{
    return kb->levels[(unsigned)level < 4 ? level : 0].headline;
}
