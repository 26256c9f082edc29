/* jparse.c - a small, strict JSON parser that builds Jansson values (see
 * jparse.h for what it accepts and why it exists). One recursive descent
 * over the bytes in place: white space and ASCII string bytes are skipped
 * in tight loops, a string without escapes goes to Jansson straight from
 * the text, one with escapes is decoded once into a scratch buffer. The
 * first problem stops the parse; whatever was built is released. */
#include "base/base.h"
#include "base/alloc.h"
#include "json/jparse.h"
#include "json/jalloc.h"

struct parser {
    const unsigned char *start, *p, *end;
    int depth;
    struct jparse_error *e;
    struct jparse_strings *shared; /* NULL: every string its own value */
};

static int fail(struct parser *P, const unsigned char *at, const char *fmt,
                ...) RC_PRINTF(3, 4);

/* Always -1, so that a failure is one `return fail(...)`. */
static int fail(struct parser *P, const unsigned char *at, const char *fmt,
                ...)
{
    va_list ap;
    P->e->offset = (size_t)(at - P->start);
    va_start(ap, fmt);
    vsnprintf(P->e->msg, sizeof(P->e->msg), fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_oom(struct parser *P)
{
    P->e->oom = true;
    return fail(P, P->p, "out of memory");
}

static void skip_ws(struct parser *P)
{
    while (P->p < P->end &&
           (*P->p == ' ' || *P->p == '\n' || *P->p == '\r' || *P->p == '\t'))
        P->p++;
}

/* What the next byte is, for messages: 'x', or 0xNN when not printable. */
static const char *shown(const unsigned char *q, const unsigned char *end,
                         char *buf, size_t n)
{
    if (q >= end)
        snprintf(buf, n, "end of input");
    else if (*q >= 0x20 && *q < 0x7f)
        snprintf(buf, n, "'%c'", *q);
    else
        snprintf(buf, n, "byte 0x%02x", *q);
    return buf;
}

/* The length of the valid UTF-8 sequence (2-4 bytes) at q, 0 when it is
 * not one: overlong forms, surrogates (U+D800-DFFF) and anything above
 * U+10FFFF are refused, as Jansson refuses them. */
static size_t utf8_len(const unsigned char *q, const unsigned char *end)
{
    size_t avail = (size_t)(end - q), n;
    unsigned c = q[0];
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4;
    else
        return 0;
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((q[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && q[1] < 0xa0) || (c == 0xed && q[1] > 0x9f) ||
        (c == 0xf0 && q[1] < 0x90) || (c == 0xf4 && q[1] > 0x8f))
        return 0;
    return n;
}

/* The four hex digits at q as a number, -1 when they are not four. */
static long hex4(const unsigned char *q, const unsigned char *end)
{
    long v = 0;
    if (end - q < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int c = q[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* One string, decoded: s/n point into the text when it had no escape,
 * else into stack or heap. */
struct text {
    const char *s;
    size_t n;
    char *heap;
    char stack[256];
};

static void text_release(struct text *t)
{
    rc_free(t->heap);
    t->heap = NULL;
}

/* Decode the escapes of raw[0..n), already checked by scan_string, into
 * out (at least n bytes: no escape grows when decoded). */
static size_t decode(const unsigned char *raw, size_t n, char *out)
{
    const unsigned char *end = raw + n;
    size_t o = 0;
    for (const unsigned char *q = raw; q < end;) {
        unsigned long v;
        if (*q != '\\') {
            out[o++] = (char)*q++;
            continue;
        }
        switch (q[1]) {
        case 'b': out[o++] = '\b'; q += 2; continue;
        case 'f': out[o++] = '\f'; q += 2; continue;
        case 'n': out[o++] = '\n'; q += 2; continue;
        case 'r': out[o++] = '\r'; q += 2; continue;
        case 't': out[o++] = '\t'; q += 2; continue;
        case 'u': break;
        default: out[o++] = (char)q[1]; q += 2; continue;
        }
        v = (unsigned long)hex4(q + 2, end);
        q += 6;
        if (v >= 0xd800 && v <= 0xdbff) {
            v = 0x10000 + ((v - 0xd800) << 10) +
                ((unsigned long)hex4(q + 2, end) - 0xdc00);
            q += 6;
        }
        if (v < 0x80) {
            out[o++] = (char)v;
        } else if (v < 0x800) {
            out[o++] = (char)(0xc0 | (v >> 6));
            out[o++] = (char)(0x80 | (v & 0x3f));
        } else if (v < 0x10000) {
            out[o++] = (char)(0xe0 | (v >> 12));
            out[o++] = (char)(0x80 | ((v >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (v & 0x3f));
        } else {
            out[o++] = (char)(0xf0 | (v >> 18));
            out[o++] = (char)(0x80 | ((v >> 12) & 0x3f));
            out[o++] = (char)(0x80 | ((v >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (v & 0x3f));
        }
    }
    return o;
}

/* Whether the 8 bytes at q are all plain string bytes: ASCII, not a
 * control character, not '"' or '\\' (the "has a zero byte" test of
 * Hacker's Delight 6-1 on w ^ '"', w ^ '\\' and w - 0x20; a hit may be
 * false after a real one, and the byte loop then decides). */
static bool plain8(const unsigned char *q)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t w, quote, bslash;
    memcpy(&w, q, 8);
    quote = w ^ (ones * '"');
    bslash = w ^ (ones * '\\');
    return !((((quote - ones) & ~quote) | ((bslash - ones) & ~bslash) |
              ((w - ones * 0x20) & ~w) | w) &
             highs);
}

/* The string at P->p (its opening quote), checked and decoded into t;
 * P->p ends past the closing quote. */
static int scan_string(struct parser *P, struct text *t)
{
    const unsigned char *q = P->p + 1, *end = P->end, *raw = q;
    bool esc = false;
    for (;;) {
        long v, lo;
        size_t k;
        while (end - q >= 8 && plain8(q))
            q += 8;
        while (q < end && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
            q++;
        if (q >= end)
            return fail(P, q, "premature end of input in a string");
        if (*q == '"')
            break;
        if (*q >= 0x80) {
            if (!(k = utf8_len(q, end)))
                return fail(P, q, "invalid UTF-8 byte 0x%02x", *q);
            q += k;
            continue;
        }
        if (*q < 0x20)
            return fail(P, q, "control character 0x%02x in a string", *q);
        esc = true;
        if (end - q < 2)
            return fail(P, q, "premature end of input in a string");
        if (q[1] && strchr("\"\\/bfnrt", q[1])) {
            q += 2;
            continue;
        }
        if (q[1] != 'u')
            return fail(P, q, "invalid escape");
        if ((v = hex4(q + 2, end)) < 0)
            return fail(P, q, "invalid \\u escape");
        if (v == 0)
            return fail(P, q, "\\u0000 is not allowed");
        if (v >= 0xdc00 && v <= 0xdfff)
            return fail(P, q, "lone low surrogate \\u%04lX", v);
        if (v >= 0xd800 && v <= 0xdbff) {
            if (end - q < 12 || q[6] != '\\' || q[7] != 'u' ||
                (lo = hex4(q + 8, end)) < 0xdc00 || lo > 0xdfff)
                return fail(P, q, "high surrogate \\u%04lX without its pair",
                            v);
            q += 6;
        }
        q += 6;
    }
    P->p = q + 1;
    t->heap = NULL;
    t->n = (size_t)(q - raw);
    if (!esc) {
        t->s = (const char *)raw;
        return 0;
    }
    if (t->n > sizeof(t->stack) && !(t->heap = rc_malloc(t->n)))
        return fail_oom(P);
    t->n = decode(raw, t->n, t->heap ? t->heap : t->stack);
    t->s = t->heap ? t->heap : t->stack;
    return 0;
}

static json_t *parse_value(struct parser *P);

/* FNV-1a: a short string's slot in the table of shared strings. */
static size_t str_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The shared value for a short string already seen, a new reference, or
 * NULL (then it is made, and remembered when its slot is free). */
static json_t *shared_string(struct parser *P, const char *s, size_t n,
                             size_t *slot)
{
    struct jparse_strings *t = P->shared;
    json_t *v;
    if (!t || n > JPARSE_SHARED_MAX)
        return NULL;
    *slot = str_hash(s, n) % RC_ARRAY_SIZE(t->v);
    v = t->v[*slot];
    if (v && json_string_length(v) == n &&
        !memcmp(json_string_value(v), s, n))
        return json_incref(v);
    return NULL;
}

static json_t *parse_string(struct parser *P)
{
    struct text t;
    json_t *v;
    size_t slot = SIZE_MAX;
    if (scan_string(P, &t) < 0)
        return NULL;
    if (!(v = shared_string(P, t.s, t.n, &slot))) {
        v = json_stringn_nocheck(t.s, t.n);
        if (v && slot != SIZE_MAX && !P->shared->v[slot])
            P->shared->v[slot] = json_incref(v);
    }
    text_release(&t);
    if (!v)
        fail_oom(P);
    return v;
}

static bool is_digit(const unsigned char *q, const unsigned char *end)
{
    return q < end && *q >= '0' && *q <= '9';
}

static json_t *parse_number(struct parser *P)
{
    const unsigned char *q = P->p, *end = P->end;
    char buf[JPARSE_NUMBER_MAX + 1];
    bool real = false;
    size_t n;
    json_t *v;

    if (q < end && *q == '-')
        q++;
    if (!is_digit(q, end))
        return fail(P, P->p, "invalid number"), NULL;
    if (*q == '0')
        q++;
    else
        while (is_digit(q, end))
            q++;
    if (q < end && *q == '.') {
        real = true;
        if (!is_digit(++q, end))
            return fail(P, P->p, "invalid number"), NULL;
        while (is_digit(q, end))
            q++;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        real = true;
        if (++q < end && (*q == '+' || *q == '-'))
            q++;
        if (!is_digit(q, end))
            return fail(P, P->p, "invalid number"), NULL;
        while (is_digit(q, end))
            q++;
    }
    n = (size_t)(q - P->p);
    if (n > JPARSE_NUMBER_MAX)
        return fail(P, P->p, "number longer than %d characters",
                    JPARSE_NUMBER_MAX),
               NULL;
    memcpy(buf, P->p, n);
    buf[n] = '\0';
    errno = 0;
    if (real) {
        double d = strtod(buf, NULL);
        if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
            return fail(P, P->p, "real number overflow"), NULL;
        v = json_real(d);
    } else {
        long long i = strtoll(buf, NULL, 10);
        if (errno == ERANGE)
            return fail(P, P->p, "integer out of range"), NULL;
        v = json_integer((json_int_t)i);
    }
    if (!v)
        return fail_oom(P), NULL;
    P->p = q;
    return v;
}

static json_t *parse_object(struct parser *P)
{
    json_t *obj = json_object();
    char what[16];
    if (!obj)
        return fail_oom(P), NULL;
    P->p++;
    skip_ws(P);
    if (P->p < P->end && *P->p == '}') {
        P->p++;
        return obj;
    }
    for (;;) {
        struct text key;
        const unsigned char *at;
        json_t *v;
        size_t before = json_object_size(obj);
        skip_ws(P);
        at = P->p;
        if (P->p >= P->end || *P->p != '"') {
            fail(P, P->p, "string or '}' expected, not %s",
                 shown(P->p, P->end, what, sizeof(what)));
            goto fail;
        }
        if (scan_string(P, &key) < 0)
            goto fail;
        skip_ws(P);
        if (P->p >= P->end || *P->p != ':') {
            text_release(&key);
            fail(P, P->p, "':' expected, not %s",
                 shown(P->p, P->end, what, sizeof(what)));
            goto fail;
        }
        P->p++;
        if (!(v = parse_value(P))) {
            text_release(&key);
            goto fail;
        }
        if (json_object_setn_new_nocheck(obj, key.s, key.n, v) < 0) {
            text_release(&key);
            fail_oom(P);
            goto fail;
        }
        if (json_object_size(obj) == before) {
            fail(P, at, "duplicate object key \"%.*s\"",
                 key.n < 40 ? (int)key.n : 40, key.s);
            text_release(&key);
            goto fail;
        }
        text_release(&key);
        skip_ws(P);
        if (P->p < P->end && *P->p == ',') {
            P->p++;
            continue;
        }
        if (P->p < P->end && *P->p == '}') {
            P->p++;
            return obj;
        }
        fail(P, P->p, "',' or '}' expected, not %s",
             shown(P->p, P->end, what, sizeof(what)));
        goto fail;
    }
fail:
    json_decref(obj);
    return NULL;
}

static json_t *parse_array(struct parser *P)
{
    json_t *arr = json_array();
    char what[16];
    if (!arr)
        return fail_oom(P), NULL;
    P->p++;
    skip_ws(P);
    if (P->p < P->end && *P->p == ']') {
        P->p++;
        return arr;
    }
    for (;;) {
        json_t *v = parse_value(P);
        if (!v)
            break;
        if (json_array_append_new(arr, v) < 0) {
            fail_oom(P);
            break;
        }
        skip_ws(P);
        if (P->p < P->end && *P->p == ',') {
            P->p++;
            continue;
        }
        if (P->p < P->end && *P->p == ']') {
            P->p++;
            return arr;
        }
        fail(P, P->p, "',' or ']' expected, not %s",
             shown(P->p, P->end, what, sizeof(what)));
        break;
    }
    json_decref(arr);
    return NULL;
}

static bool word(struct parser *P, const char *w, size_t n)
{
    if ((size_t)(P->end - P->p) < n || memcmp(P->p, w, n))
        return false;
    P->p += n;
    return true;
}

/* One value after optional white space. */
static json_t *parse_value(struct parser *P)
{
    char what[16];
    json_t *v;
    skip_ws(P);
    if (P->p >= P->end)
        return fail(P, P->p, "premature end of input"), NULL;
    switch (*P->p) {
    case '{':
    case '[':
        if (P->depth == JPARSE_DEPTH_MAX)
            return fail(P, P->p, "nesting deeper than %d", JPARSE_DEPTH_MAX),
                   NULL;
        P->depth++;
        v = *P->p == '{' ? parse_object(P) : parse_array(P);
        P->depth--;
        return v;
    case '"':
        return parse_string(P);
    case 't':
        if (word(P, "true", 4))
            return json_true();
        break;
    case 'f':
        if (word(P, "false", 5))
            return json_false();
        break;
    case 'n':
        if (word(P, "null", 4))
            return json_null();
        break;
    default:
        if (*P->p == '-' || (*P->p >= '0' && *P->p <= '9'))
            return parse_number(P);
        break;
    }
    return fail(P, P->p, "invalid token at %s",
                shown(P->p, P->end, what, sizeof(what))),
           NULL;
}

bool jparse_same(const json_t *a, const json_t *b)
{
    const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER;
    char *x = json_dumps(a, flags), *y = json_dumps(b, flags);
    bool same = x && y && !strcmp(x, y) && json_equal(a, b);
    jalloc_release(x);
    jalloc_release(y);
    return same;
}

json_t *jparse_load(const char *text, size_t len, struct jparse_error *e)
{
    return jparse_load_shared(text, len, NULL, e);
}

void jparse_strings_release(struct jparse_strings *t)
{
    for (size_t i = 0; i < RC_ARRAY_SIZE(t->v); i++) {
        json_decref(t->v[i]);
        t->v[i] = NULL;
    }
}

json_t *jparse_load_shared(const char *text, size_t len,
                           struct jparse_strings *shared,
                           struct jparse_error *e)
{
    static const char empty[] = "";
    struct parser P;
    json_t *v;
    char what[16];

    if (!text)
        text = empty, len = 0;
    P.start = P.p = (const unsigned char *)text;
    P.end = P.start + len;
    P.depth = 0;
    P.e = e;
    P.shared = shared;
    memset(e, 0, sizeof(*e));
    skip_ws(&P);
    if (P.p >= P.end || (*P.p != '{' && *P.p != '[')) {
        fail(&P, P.p, "'[' or '{' expected, not %s",
             shown(P.p, P.end, what, sizeof(what)));
        return NULL;
    }
    if (!(v = parse_value(&P)))
        return NULL;
    skip_ws(&P);
    if (P.p < P.end) {
        fail(&P, P.p, "end of input expected, not %s",
             shown(P.p, P.end, what, sizeof(what)));
        json_decref(v);
        return NULL;
    }
    return v;
}
