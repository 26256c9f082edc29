/* jschema.c - the JSON Schema subset validator (see jschema.h). */
#include <ctype.h>
#include <regex.h>

#include "base/base.h"
#include "base/time.h"
#include "json/jschema.h"
#include "json/jalloc.h"

#define JSCHEMA_MAX_DEFAULT 64

void jschema_errors_init(struct jschema_errors *e)
{
    e->v = NULL;
    e->n = e->cap = 0;
    if (!e->max)
        e->max = JSCHEMA_MAX_DEFAULT;
}

void jschema_errors_release(struct jschema_errors *e)
{
    free(e->v);
    e->v = NULL;
    e->n = e->cap = 0;
}

/* The patterns compiled so far in one jschema_validate. A result holds
 * dozens of strings under the same few patterns, and compiling each time
 * (glibc also rebuilds the DFA it grows inside a regex_t) cost more than
 * all the rest of validating a result. Past PATTERNS_MAX distinct patterns
 * each match compiles its own. */
#define PATTERNS_MAX 8
struct patterns {
    const json_t *key[PATTERNS_MAX]; /* the schema's pattern string */
    regex_t re[PATTERNS_MAX];
    bool ok[PATTERNS_MAX]; /* it compiled */
    size_t n;
};

struct vctx {
    const json_t *root;
    struct jschema_errors *errs;
    const char *why; /* description of the allOf branch being applied */
    int nomem;
    int count;
    struct patterns *patterns;
};

/* Whether str matches the schema pattern k: 1 or 0, -1 when the pattern
 * does not compile (jschema_check refuses such a schema). */
static int pattern_match(struct vctx *c, const json_t *k, const char *str)
{
    struct patterns *p = c->patterns;
    regex_t once;
    size_t i;
    int m;
    for (i = 0; i < p->n && p->key[i] != k; i++)
        ;
    if (i == p->n && i < PATTERNS_MAX) {
        p->ok[i] = regcomp(&p->re[i], json_string_value(k),
                           REG_EXTENDED | REG_NOSUB) == 0;
        p->key[i] = k;
        p->n++;
    }
    if (i < p->n)
        return p->ok[i] ? regexec(&p->re[i], str, 0, NULL, 0) == 0 : -1;
    if (regcomp(&once, json_string_value(k), REG_EXTENDED | REG_NOSUB))
        return -1;
    m = regexec(&once, str, 0, NULL, 0) == 0;
    regfree(&once);
    return m;
}

static void add_error(struct vctx *c, const char *ptr, const char *fmt, ...)
    RC_PRINTF(3, 4);

static void add_error(struct vctx *c, const char *ptr, const char *fmt, ...)
{
    struct jschema_errors *e = c->errs;
    struct jschema_error *x;
    va_list ap;
    size_t len;

    c->count++;
    if (!e || e->n >= e->max)
        return;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 8;
        struct jschema_error *v = realloc(e->v, cap * sizeof(*v));
        if (!v) {
            c->nomem = 1;
            return;
        }
        e->v = v;
        e->cap = cap;
    }
    x = &e->v[e->n++];
    snprintf(x->pointer, sizeof(x->pointer), "%s", ptr);
    va_start(ap, fmt);
    vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
    va_end(ap);
    len = strlen(x->msg);
    if (c->why && len + 4 < sizeof(x->msg))
        snprintf(x->msg + len, sizeof(x->msg) - len, " (%s)", c->why);
}

/* A short rendering of a value for messages: strings quoted, long values
 * cut with "...". */
static void show(const json_t *v, char *out, size_t n)
{
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!s) {
        snprintf(out, n, "(value)");
        return;
    }
    if (strlen(s) > 60)
        snprintf(out, n, "%.57s...", s);
    else
        snprintf(out, n, "%s", s);
    jalloc_release(s);
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

static bool is_integral(const json_t *v)
{
    double d;
    if (json_is_integer(v))
        return true;
    if (!json_is_real(v))
        return false;
    d = json_real_value(v);
    return isfinite(d) && floor(d) == d;
}

static bool type_ok(const char *t, const json_t *v)
{
    if (!strcmp(t, "object")) return json_is_object(v);
    if (!strcmp(t, "array")) return json_is_array(v);
    if (!strcmp(t, "string")) return json_is_string(v);
    if (!strcmp(t, "number")) return json_is_number(v);
    if (!strcmp(t, "integer")) return is_integral(v);
    if (!strcmp(t, "boolean")) return json_is_boolean(v);
    if (!strcmp(t, "null")) return json_is_null(v);
    return false;
}

/* JSON equality as the schema means it: 1 and 1.0 are equal. */
static bool value_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal((json_t *)a, (json_t *)b) == 1;
}

/* Append "/key" (escaped per RFC 6901) to the pointer in buf. */
static void ptr_push(char *buf, size_t n, size_t at, const char *key)
{
    size_t i = at;
    if (i + 1 >= n)
        return;
    buf[i++] = '/';
    for (const char *k = key; *k && i + 2 < n; k++) {
        if (*k == '~' || *k == '/') {
            buf[i++] = '~';
            buf[i++] = *k == '~' ? '0' : '1';
        } else {
            buf[i++] = *k;
        }
    }
    buf[i] = '\0';
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool format_ok(const char *fmt, const char *s)
{
    if (!strcmp(fmt, "date-time")) {
        double t;
        /* RFC 3339 needs the T (or space), seconds and a zone */
        size_t len = strlen(s);
        if (len < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
            return false;
        if (s[len - 1] != 'Z' && s[len - 1] != 'z' && s[len - 6] != '+' &&
            s[len - 6] != '-')
            return false;
        return rc_time_parse(s, &t, NULL, NULL) == 0 && s[0] != ' ' &&
               s[len - 1] != ' ';
    }
    if (!strcmp(fmt, "date")) {
        long day;
        return strlen(s) == 10 && rc_date_parse(s, &day) == 0;
    }
    if (!strcmp(fmt, "uri")) {
        const char *colon = strchr(s, ':');
        if (!colon || colon == s || !((*s >= 'a' && *s <= 'z') ||
                                      (*s >= 'A' && *s <= 'Z')))
            return false;
        for (const char *p = s; p < colon; p++)
            if (!(isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
                  *p == '.'))
                return false;
        for (const char *p = s; *p; p++)
            if ((unsigned char)*p <= ' ')
                return false;
        return colon[1] != '\0';
    }
    return true;
}

static const json_t *resolve_ref(const json_t *root, const char *ref)
{
    static const char prefix[] = "#/$defs/";
    if (strncmp(ref, prefix, sizeof(prefix) - 1))
        return NULL;
    return json_object_get(json_object_get(root, "$defs"),
                           ref + sizeof(prefix) - 1);
}

static void validate(struct vctx *c, const json_t *s, const json_t *v,
                     char *ptr, size_t plen);

static void validate_object(struct vctx *c, const json_t *s, const json_t *v,
                            char *ptr, size_t plen)
{
    const json_t *props = json_object_get(s, "properties");
    const json_t *addl = json_object_get(s, "additionalProperties");
    const json_t *req = json_object_get(s, "required");
    const json_t *names = json_object_get(s, "propertyNames");
    size_t at = strlen(ptr), i;
    const char *key;
    json_t *val, *r;

    json_array_foreach(req, i, r) {
        if (json_is_string(r) && !json_object_get(v, json_string_value(r))) {
            ptr_push(ptr, plen, at, json_string_value(r));
            add_error(c, ptr, "missing (required)");
            ptr[at] = '\0';
        }
    }
    json_object_foreach((json_t *)v, key, val) {
        const json_t *ps = props ? json_object_get(props, key) : NULL;
        ptr_push(ptr, plen, at, key);
        if (names) {
            /* the key itself, as a string, against propertyNames */
            json_t *k = json_string(key);
            if (!k)
                c->nomem = 1;
            else
                validate(c, names, k, ptr, plen);
            json_decref(k);
        }
        if (ps)
            validate(c, ps, val, ptr, plen);
        else if (json_is_false(addl))
            add_error(c, ptr, "unknown field (not in the schema)");
        else if (json_is_object(addl))
            validate(c, addl, val, ptr, plen);
        ptr[at] = '\0';
    }
}

static void validate_array(struct vctx *c, const json_t *s, const json_t *v,
                           char *ptr, size_t plen)
{
    const json_t *items = json_object_get(s, "items");
    const json_t *k;
    size_t n = json_array_size(v), at = strlen(ptr), i, j;
    char text[80];

    if ((k = json_object_get(s, "minItems")) && json_is_integer(k) &&
        (json_int_t)n < json_integer_value(k))
        add_error(c, ptr, "has %zu item%s, at least %lld needed", n,
                  n == 1 ? "" : "s", (long long)json_integer_value(k));
    if ((k = json_object_get(s, "maxItems")) && json_is_integer(k) &&
        (json_int_t)n > json_integer_value(k))
        add_error(c, ptr, "has %zu items, at most %lld allowed", n,
                  (long long)json_integer_value(k));
    if (json_is_true(json_object_get(s, "uniqueItems"))) {
        for (i = 1; i < n; i++) {
            for (j = 0; j < i; j++) {
                if (value_equal(json_array_get(v, i), json_array_get(v, j))) {
                    show(json_array_get(v, i), text, sizeof(text));
                    add_error(c, ptr, "%s appears more than once", text);
                    j = i;
                    i = n; /* one message per array is enough */
                }
            }
        }
    }
    if (json_is_object(items)) {
        for (i = 0; i < n; i++) {
            char idx[24];
            snprintf(idx, sizeof(idx), "%zu", i);
            ptr_push(ptr, plen, at, idx);
            validate(c, items, json_array_get(v, i), ptr, plen);
            ptr[at] = '\0';
        }
    }
}

static void validate_scalar(struct vctx *c, const json_t *s, const json_t *v,
                            const char *ptr)
{
    const json_t *k;
    char text[80];

    if (json_is_number(v)) {
        double d = json_number_value(v);
        if ((k = json_object_get(s, "minimum")) && json_is_number(k) &&
            d < json_number_value(k)) {
            show(v, text, sizeof(text));
            add_error(c, ptr, "%s is below the minimum %g", text,
                      json_number_value(k));
        }
        if ((k = json_object_get(s, "maximum")) && json_is_number(k) &&
            d > json_number_value(k)) {
            show(v, text, sizeof(text));
            add_error(c, ptr, "%s is above the maximum %g", text,
                      json_number_value(k));
        }
    }
    if (json_is_string(v)) {
        const char *str = json_string_value(v);
        size_t len = utf8_chars(str);
        if ((k = json_object_get(s, "minLength")) && json_is_integer(k) &&
            (json_int_t)len < json_integer_value(k))
            add_error(c, ptr, "is %zu characters long, at least %lld needed",
                      len, (long long)json_integer_value(k));
        if ((k = json_object_get(s, "maxLength")) && json_is_integer(k) &&
            (json_int_t)len > json_integer_value(k))
            add_error(c, ptr, "is %zu characters long, at most %lld allowed",
                      len, (long long)json_integer_value(k));
        if ((k = json_object_get(s, "format")) && json_is_string(k) &&
            !format_ok(json_string_value(k), str)) {
            show(v, text, sizeof(text));
            add_error(c, ptr, "%s is not a valid %s", text,
                      json_string_value(k));
        }
        if ((k = json_object_get(s, "pattern")) && json_is_string(k) &&
            pattern_match(c, k, str) == 0) {
            show(v, text, sizeof(text));
            add_error(c, ptr, "%s does not match %s", text,
                      json_string_value(k));
        }
    }
}

static void validate(struct vctx *c, const json_t *s, const json_t *v,
                     char *ptr, size_t plen)
{
    const json_t *k, *e;
    char text[80];
    size_t i;

    if (!json_is_object(s))
        return;
    if ((k = json_object_get(s, "$ref")) && json_is_string(k)) {
        const json_t *target = resolve_ref(c->root, json_string_value(k));
        if (target)
            validate(c, target, v, ptr, plen);
    }
    if ((k = json_object_get(s, "type"))) {
        bool ok = false;
        char want[80] = "";
        if (json_is_string(k)) {
            ok = type_ok(json_string_value(k), v);
            snprintf(want, sizeof(want), "%s", json_string_value(k));
        } else {
            json_array_foreach(k, i, e) {
                if (json_is_string(e) && type_ok(json_string_value(e), v))
                    ok = true;
                size_t l = strlen(want);
                snprintf(want + l, sizeof(want) - l, "%s%s", i ? " or " : "",
                         json_string_value(e) ? json_string_value(e) : "?");
            }
        }
        if (!ok) {
            show(v, text, sizeof(text));
            add_error(c, ptr, "expected %s, got %s %s", want, type_name(v),
                      text);
            return; /* the other keywords would only repeat this */
        }
    }
    if ((k = json_object_get(s, "const")) && !value_equal(k, v)) {
        char want[80];
        show(v, text, sizeof(text));
        show(k, want, sizeof(want));
        add_error(c, ptr, "%s is not %s", text, want);
    }
    if ((k = json_object_get(s, "enum")) && json_is_array(k)) {
        bool found = false;
        json_array_foreach(k, i, e) {
            if (value_equal(e, v))
                found = true;
        }
        if (!found) {
            char list[400] = "";
            size_t l = 0;
            json_array_foreach(k, i, e) {
                char one[80];
                if (json_is_string(e))
                    snprintf(one, sizeof(one), "%s", json_string_value(e));
                else
                    show(e, one, sizeof(one));
                if (l < sizeof(list))
                    l += (size_t)snprintf(list + l, sizeof(list) - l, "%s%s",
                                          i ? ", " : "", one);
            }
            show(v, text, sizeof(text));
            add_error(c, ptr, "%s is not one of %s", text, list);
        }
    }
    if (json_is_object(v))
        validate_object(c, s, v, ptr, plen);
    else if (json_is_array(v))
        validate_array(c, s, v, ptr, plen);
    else
        validate_scalar(c, s, v, ptr);

    if ((k = json_object_get(s, "allOf"))) {
        json_array_foreach(k, i, e) {
            const char *saved = c->why;
            const json_t *d = json_object_get(e, "description");
            if (json_is_string(d))
                c->why = json_string_value(d);
            validate(c, e, v, ptr, plen);
            c->why = saved;
        }
    }
    if ((k = json_object_get(s, "if"))) {
        struct vctx probe = { c->root, NULL, NULL, 0, 0, c->patterns };
        char scratch[256];
        snprintf(scratch, sizeof(scratch), "%s", ptr);
        validate(&probe, k, v, scratch, sizeof(scratch));
        e = json_object_get(s, probe.count == 0 ? "then" : "else");
        if (e)
            validate(c, e, v, ptr, plen);
    }
}

int jschema_validate(const json_t *schema, const json_t *inst,
                     struct jschema_errors *errs)
{
    struct patterns patterns = { .n = 0 };
    struct vctx c = { schema, errs, NULL, 0, 0, &patterns };
    char ptr[256] = "";
    size_t before = errs ? errs->n : 0;

    if (errs && !errs->max)
        errs->max = JSCHEMA_MAX_DEFAULT;
    validate(&c, schema, inst, ptr, sizeof(ptr));
    for (size_t i = 0; i < patterns.n; i++)
        if (patterns.ok[i])
            regfree(&patterns.re[i]);
    if (c.nomem)
        return -1;
    return errs ? (int)(errs->n - before) : c.count;
}

/* ---- checking a schema before use ---- */

static const char *const known_keywords[] = {
    "$schema", "$id", "title", "description", "$defs", "$ref", "type",
    "enum", "const", "required", "properties", "additionalProperties",
    "items", "minItems", "maxItems", "uniqueItems", "minimum", "maximum",
    "minLength", "maxLength", "pattern", "format", "allOf", "if", "then",
    "else", "propertyNames",
};

static int check_node(const json_t *root, const json_t *s, char *path,
                      size_t plen, struct rc_err *err)
{
    const char *key;
    json_t *val;
    size_t at = strlen(path);

    if (!json_is_object(s) && !json_is_boolean(s))
        return rc_fail_field(err, path, "schema is not an object");
    if (!json_is_object(s))
        return 0;
    json_object_foreach((json_t *)s, key, val) {
        bool known = false;
        for (size_t i = 0; i < RC_ARRAY_SIZE(known_keywords); i++)
            if (!strcmp(key, known_keywords[i]))
                known = true;
        if (!known)
            return rc_fail_field(err, path, "unsupported schema keyword \"%s\"",
                                 key);
        if (!strcmp(key, "$ref") &&
            (!json_is_string(val) ||
             !resolve_ref(root, json_string_value(val))))
            return rc_fail_field(err, path, "$ref does not resolve");
        if (!strcmp(key, "format") && json_is_string(val) &&
            strcmp(json_string_value(val), "date-time") &&
            strcmp(json_string_value(val), "date") &&
            strcmp(json_string_value(val), "uri"))
            return rc_fail_field(err, path, "unsupported format \"%s\"",
                                 json_string_value(val));
        if (!strcmp(key, "pattern")) {
            regex_t re;
            if (!json_is_string(val) ||
                regcomp(&re, json_string_value(val), REG_EXTENDED | REG_NOSUB))
                return rc_fail_field(err, path, "bad pattern");
            regfree(&re);
        }
        if (!strcmp(key, "properties") || !strcmp(key, "$defs")) {
            const char *k2;
            json_t *v2;
            json_object_foreach(val, k2, v2) {
                ptr_push(path, plen, at, k2);
                if (check_node(root, v2, path, plen, err) < 0)
                    return -1;
                path[at] = '\0';
            }
        } else if (!strcmp(key, "allOf")) {
            size_t i;
            json_t *v2;
            json_array_foreach(val, i, v2) {
                if (check_node(root, v2, path, plen, err) < 0)
                    return -1;
            }
        } else if (!strcmp(key, "items") || !strcmp(key, "if") ||
                   !strcmp(key, "propertyNames") ||
                   !strcmp(key, "then") || !strcmp(key, "else") ||
                   (!strcmp(key, "additionalProperties") &&
                    json_is_object(val))) {
            if (check_node(root, val, path, plen, err) < 0)
                return -1;
        }
    }
    return 0;
}

int jschema_check(const json_t *schema, struct rc_err *err)
{
    char path[256] = "";
    return check_node(schema, schema, path, sizeof(path), err);
}
