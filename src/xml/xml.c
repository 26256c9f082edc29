/* xml.c - Expat set up for GPX and TCX: local names, lenient repairs,
 * limits, line/column errors (see xml.h). */
#include <expat.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "xml/xml.h"

/* Prefix declarations in scope (xmlns:p="..."), innermost last. Deeper or
 * longer ones are not tracked: prefixes are then not checked at all (the
 * check only serves the warning; parsing does not depend on it). */
#define NS_MAX 64
#define NS_PREFIX_MAX 32

struct xml_ns {
    char prefix[NS_PREFIX_MAX];
    size_t len; /* of prefix */
    int depth;  /* element depth that declared it */
};

/* Expat's memory, counted so that it can be capped (see mem_malloc). */
struct xml_mem {
    size_t used, cap;
    bool hit; /* an allocation was refused because of the cap */
};

struct xml_reader {
    XML_Parser parser;
    const struct xml_handlers *h;
    void *ud;
    struct activity_file *warn;
    struct rc_err *err;
    long line_shift; /* newlines skipped before the declaration */
    long col_shift;  /* characters skipped on the declaration's line */
    int depth;       /* open elements, the current one included */
    int capture_depth; /* depth of the element whose text is kept; 0 none */
    char *text;        /* kept text, NUL-terminated; small or heap */
    size_t text_len, text_cap;
    XML_Index markup_end; /* byte index just after the last tag */
    bool stopped;
    struct xml_ns ns[NS_MAX];
    int nns;
    int ns_last;       /* the declaration that matched last (a hint) */
    bool ns_untracked; /* a declaration did not fit: stop checking */
    /* where the local name starts in each open element's name: the end
     * tag repeats the start tag's name exactly (well-formedness) */
    unsigned short local_at[RC_XML_MAX_DEPTH + 1];
    char warned[ACTIVITY_FILE_MAX_WARNINGS][NS_PREFIX_MAX];
    int nwarned;
    char small[256];
};

/* ---- Expat's allocator: counted, capped, and failing on demand ---- */

/* Expat's memory suite has no user pointer: the counter of the parser
 * running on this thread is found here (one parser per thread at a time). */
static _Thread_local struct xml_mem *mem_cur;

/* Each block carries its size in a header, so that free and realloc can
 * give it back to the count. */
#define MEM_HDR ((size_t)_Alignof(max_align_t))

static void *mem_malloc(size_t n)
{
    struct xml_mem *m = mem_cur;
    unsigned char *b;

    if (n > m->cap - m->used || n > SIZE_MAX - MEM_HDR) {
        m->hit = true;
        return NULL;
    }
    b = rc_malloc(n + MEM_HDR);
    if (!b)
        return NULL;
    memcpy(b, &n, sizeof(n));
    m->used += n;
    return b + MEM_HDR;
}

static void *mem_realloc(void *q, size_t n)
{
    struct xml_mem *m = mem_cur;
    unsigned char *b;
    size_t old;

    if (!q)
        return mem_malloc(n);
    b = (unsigned char *)q - MEM_HDR;
    memcpy(&old, b, sizeof(old));
    if ((n > old && n - old > m->cap - m->used) || n > SIZE_MAX - MEM_HDR) {
        m->hit = true;
        return NULL;
    }
    b = rc_realloc(b, n + MEM_HDR);
    if (!b)
        return NULL;
    memcpy(b, &n, sizeof(n));
    m->used = m->used - old + n;
    return b + MEM_HDR;
}

static void mem_free(void *q)
{
    unsigned char *b;
    size_t old;

    if (!q)
        return;
    b = (unsigned char *)q - MEM_HDR;
    memcpy(&old, b, sizeof(old));
    mem_cur->used -= old;
    rc_free(b);
}

/* ---- positions and errors ---- */

long xml_line(const struct xml_reader *r)
{
    return (long)XML_GetCurrentLineNumber(r->parser) + r->line_shift;
}

long xml_column(const struct xml_reader *r)
{
    long col = (long)XML_GetCurrentColumnNumber(r->parser) + 1;
    if (XML_GetCurrentLineNumber(r->parser) == 1)
        col += r->col_shift;
    return col;
}

static void stop(struct xml_reader *r)
{
    if (!r->stopped) {
        r->stopped = true;
        XML_StopParser(r->parser, XML_FALSE);
    }
}

int xml_fail(struct xml_reader *r, const char *fmt, ...)
{
    va_list ap;
    char msg[sizeof(r->err->msg)];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    rc_fail_line(r->err, xml_line(r), xml_column(r), "%s", msg);
    stop(r);
    return -1;
}

/* A handler failed: make sure the error says where, and stop. */
static void handler_failed(struct xml_reader *r)
{
    if (r->err->status == RC_OK)
        rc_fail(r->err, RC_EINPUT, "decoding stopped");
    if (r->err->line == 0) {
        r->err->line = xml_line(r);
        r->err->column = xml_column(r);
    }
    stop(r);
}

/* ---- names and namespace prefixes ---- */

/* The length of the prefix of a name ("gpxtpx" of "gpxtpx:hr"), 0 if it
 * has none. Names with several colons take the first as the separator. */
static size_t prefix_len(const char *name)
{
    const char *colon = strchr(name, ':');
    return colon ? (size_t)(colon - name) : 0;
}

static bool prefix_is(const char *name, size_t plen, const char *what)
{
    return strlen(what) == plen && !memcmp(name, what, plen);
}

/* Record xmlns:p declared by the element at the current depth. */
static void declare_prefix(struct xml_reader *r, const char *p)
{
    size_t n = strlen(p);
    if (r->nns == NS_MAX || n >= NS_PREFIX_MAX) {
        r->ns_untracked = true;
        return;
    }
    memcpy(r->ns[r->nns].prefix, p, n + 1);
    r->ns[r->nns].len = n;
    r->ns[r->nns].depth = r->depth;
    r->nns++;
}

/* A name with the prefix name[0..plen): warn once per prefix when it was
 * never declared (Expat in namespace mode would stop with "unbound
 * prefix"; we read the name as it is). */
static void check_prefix(struct xml_reader *r, const char *name, size_t plen)
{
    if (r->ns_untracked || prefix_is(name, plen, "xml") ||
        prefix_is(name, plen, "xmlns"))
        return;
    if (r->ns_last < r->nns && r->ns[r->ns_last].len == plen &&
        !memcmp(name, r->ns[r->ns_last].prefix, plen))
        return; /* as the element before (shadowing aside: same answer) */
    for (int i = r->nns - 1; i >= 0; i--)
        if (r->ns[i].len == plen && !memcmp(name, r->ns[i].prefix, plen)) {
            r->ns_last = i;
            return;
        }
    if (plen >= NS_PREFIX_MAX)
        return;
    for (int i = 0; i < r->nwarned; i++)
        if (prefix_is(name, plen, r->warned[i]))
            return;
    if (r->nwarned < (int)RC_ARRAY_SIZE(r->warned)) {
        memcpy(r->warned[r->nwarned], name, plen);
        r->warned[r->nwarned][plen] = '\0';
        r->nwarned++;
    }
    activity_file_warn(r->warn,
                       "undeclared prefix '%.*s' at line %ld: read without "
                       "namespaces",
                       (int)plen, name, xml_line(r));
}

/* ---- Expat's callbacks ---- */

/* At a tag: the text since the last tag must fit the cap. Text nobody
 * keeps is not even handed to us (no character-data handler outside
 * xml_capture: Expat then skips it at no cost), so its length is the
 * distance between the two tags, from Expat's byte index. -1 when over. */
static int text_gap(struct xml_reader *r)
{
    XML_Index at = XML_GetCurrentByteIndex(r->parser);
    if (at - r->markup_end > (XML_Index)RC_XML_TEXT_MAX)
        return xml_fail(r, "text longer than %zu bytes (the limit)",
                        RC_XML_TEXT_MAX);
    at += XML_GetCurrentByteCount(r->parser);
    if (at > r->markup_end)
        r->markup_end = at;
    return 0;
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **attrs)
{
    struct xml_reader *r = ud;
    size_t plen;

    if (r->stopped || text_gap(r) < 0)
        return;
    if (r->depth >= RC_XML_MAX_DEPTH) {
        xml_fail(r, "elements nested deeper than %d", RC_XML_MAX_DEPTH);
        return;
    }
    r->depth++;
    for (const XML_Char **a = attrs; *a; a += 2) {
        const char *an = a[0];
        if (an[0] == 'x' && !strncmp(an, "xmlns:", 6))
            declare_prefix(r, an + 6);
    }
    for (const XML_Char **a = attrs; *a; a += 2) {
        size_t ap = prefix_len(a[0]);
        if (ap)
            check_prefix(r, a[0], ap);
        if (strlen(a[1]) > RC_XML_TEXT_MAX) {
            xml_fail(r, "attribute '%.40s' of <%.40s> is longer than %zu "
                        "bytes (the limit)",
                     a[0], name, RC_XML_TEXT_MAX);
            return;
        }
    }
    plen = prefix_len(name);
    if (plen) {
        if (plen >= USHRT_MAX) {
            xml_fail(r, "element name prefix longer than %d bytes",
                     USHRT_MAX - 1);
            return;
        }
        check_prefix(r, name, plen);
        plen++; /* and the colon */
    }
    r->local_at[r->depth] = (unsigned short)plen;
    if (r->h->start(r, r->ud, name + plen, attrs) < 0)
        handler_failed(r);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct xml_reader *r = ud;
    const char *text = NULL;
    size_t len = 0;
    int rc;

    if (r->stopped || text_gap(r) < 0)
        return;
    if (r->capture_depth == r->depth) {
        text = r->text;
        len = r->text_len;
    }
    rc = r->h->end(r, r->ud, name + r->local_at[r->depth], text, len);
    if (r->capture_depth == r->depth) {
        r->capture_depth = 0;
        r->text_len = 0;
        r->text[0] = '\0';
        XML_SetCharacterDataHandler(r->parser, NULL);
    }
    while (r->nns > 0 && r->ns[r->nns - 1].depth == r->depth)
        r->nns--;
    r->depth--;
    if (rc < 0)
        handler_failed(r);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct xml_reader *r = ud;
    size_t n = (size_t)len;

    if (r->stopped)
        return;
    if (r->text_len + n > RC_XML_TEXT_MAX) {
        xml_fail(r, "text longer than %zu bytes (the limit)",
                 RC_XML_TEXT_MAX);
        return;
    }
    if (r->text_len + n >= r->text_cap) {
        size_t cap = r->text_cap * 2;
        char *t;
        while (cap <= r->text_len + n)
            cap *= 2;
        if (cap > RC_XML_TEXT_MAX + 1)
            cap = RC_XML_TEXT_MAX + 1;
        if (r->text == r->small) {
            t = rc_malloc(cap);
            if (t)
                memcpy(t, r->small, r->text_len);
        } else {
            t = rc_realloc(r->text, cap);
        }
        if (!t) {
            rc_fail(r->err, RC_EENV, "out of memory for %zu bytes of text",
                    cap);
            handler_failed(r);
            return;
        }
        r->text = t;
        r->text_cap = cap;
    }
    memcpy(r->text + r->text_len, s, n);
    r->text_len += n;
    r->text[r->text_len] = '\0';
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name,
                                   int is_parameter_entity,
                                   const XML_Char *value, int value_length,
                                   const XML_Char *base,
                                   const XML_Char *system_id,
                                   const XML_Char *public_id,
                                   const XML_Char *notation_name)
{
    struct xml_reader *r = ud;
    (void)value;
    (void)value_length;
    (void)base;
    (void)public_id;
    (void)notation_name;
    if (r->stopped)
        return;
    xml_fail(r, "%sentity '%.60s' declared: refused (%s)",
             is_parameter_entity ? "parameter " : "", name,
             system_id ? "an external entity could read other files"
                       : "entities can expand without bound");
}

static void XMLCALL on_skipped_entity(void *ud, const XML_Char *name,
                                      int is_parameter_entity)
{
    struct xml_reader *r = ud;
    (void)is_parameter_entity;
    if (r->stopped)
        return;
    xml_fail(r, "reference to the undeclared entity '%.60s': refused", name);
}

/* ---- the lenient repair before the declaration ---- */

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Bytes to skip so that "<?xml" comes first: blanks and byte-order marks
 * before it (Expat allows only one mark, at byte 0). Returns 0 when there
 * is nothing to repair. Fills the position shifts of r and warns. */
static size_t skip_before_decl(struct xml_reader *r, const unsigned char *p,
                               size_t n)
{
    size_t i = 0, blanks = 0, boms = 0;
    long lines = 0, col = 0;

    while (i < n) {
        if (n - i >= 3 && p[i] == 0xEF && p[i + 1] == 0xBB &&
            p[i + 2] == 0xBF) {
            boms++;
            i += 3;
        } else if (is_blank(p[i])) {
            blanks++;
            if (p[i] == '\n') {
                lines++;
                col = 0;
            } else {
                col++;
            }
            i++;
        } else {
            break;
        }
    }
    if (n - i < 5 || memcmp(p + i, "<?xml", 5) != 0)
        return 0; /* no declaration: blanks before the root are fine */
    if (blanks == 0 && boms <= 1 && (boms == 0 || p[0] == 0xEF))
        return 0; /* at most a byte-order mark at byte 0: valid XML */
    r->line_shift = lines;
    r->col_shift = col;
    if (boms)
        activity_file_warn(r->warn,
                           "%zu blank%s and %zu byte-order mark%s before the "
                           "XML declaration at line %ld: skipped",
                           blanks, blanks == 1 ? "" : "s", boms,
                           boms == 1 ? "" : "s", lines + 1);
    else
        activity_file_warn(r->warn,
                           "%zu blank%s before the XML declaration at line "
                           "%ld: skipped",
                           blanks, blanks == 1 ? "" : "s", lines + 1);
    return i;
}

/* ---- the parse ---- */

static int parse_failed(struct xml_reader *r, bool *damaged,
                        struct xml_mem *mem)
{
    enum XML_Error code = XML_GetErrorCode(r->parser);
    long line, col;
    bool cut;

    if (r->err->status != RC_OK)
        return -1; /* a handler or a limit stopped it and said why */
    line = (long)XML_GetErrorLineNumber(r->parser);
    col = (long)XML_GetErrorColumnNumber(r->parser) + 1;
    if (line == 1)
        col += r->col_shift;
    line += r->line_shift;
    if (code == XML_ERROR_NO_MEMORY) {
        if (mem->hit)
            return rc_fail_line(r->err, line, col,
                                "the XML parser needs more than %zu MiB "
                                "here (a tag, name or attribute beyond the "
                                "limits)",
                                mem->cap >> 20);
        return rc_fail(r->err, RC_EENV, "out of memory parsing XML");
    }
    *damaged = true;
    /* these come only at the end of the input: the file was cut off */
    cut = code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
          code == XML_ERROR_PARTIAL_CHAR ||
          code == XML_ERROR_UNCLOSED_CDATA_SECTION;
    return rc_fail_line(r->err, line, col, "not well-formed XML: %s%s",
                        XML_ErrorString(code),
                        cut ? " (the file ends early: cut off?)" : "");
}

int xml_read(const unsigned char *p, size_t n, const struct xml_handlers *h,
             void *ud, struct activity_file *warn, bool *damaged,
             struct rc_err *err)
{
    static const XML_Memory_Handling_Suite suite = { mem_malloc, mem_realloc,
                                                     mem_free };
    struct xml_reader *r;
    struct xml_mem mem = { 0, 0, false }, *saved = mem_cur;
    size_t skip, left;
    const char *s;
    enum XML_Status st = XML_STATUS_OK;
    int rc = 0;

    *damaged = false;
    r = rc_malloc(sizeof(*r));
    if (!r)
        return rc_fail(err, RC_EENV, "out of memory for the XML reader");
    memset(r, 0, offsetof(struct xml_reader, small));
    r->h = h;
    r->ud = ud;
    r->warn = warn;
    r->err = err;
    r->text = r->small;
    r->text_cap = sizeof(r->small);
    r->small[0] = '\0';

    skip = skip_before_decl(r, p, n);
    left = n - skip;
    mem.cap = (left > (SIZE_MAX - RC_XML_EXPAT_SLACK) / 2)
                  ? SIZE_MAX
                  : 2 * left + RC_XML_EXPAT_SLACK;
    mem_cur = &mem;
    r->parser = XML_ParserCreate_MM(NULL, &suite, NULL);
    if (!r->parser) {
        rc = rc_fail(err, RC_EENV, "out of memory creating the XML parser");
        goto done;
    }
    XML_SetUserData(r->parser, r);
    XML_SetElementHandler(r->parser, on_start, on_end);
    XML_SetEntityDeclHandler(r->parser, on_entity_decl);
    XML_SetSkippedEntityHandler(r->parser, on_skipped_entity);
    XML_SetParamEntityParsing(r->parser, XML_PARAM_ENTITY_PARSING_NEVER);

    /* The whole input in one call when it fits in an int: Expat then does
     * not recount lines and columns after every piece (20% of its time). */
    s = (const char *)p + skip;
    do {
        int chunk = left > (size_t)1 << 30 ? 1 << 30 : (int)left;
        left -= (size_t)chunk;
        st = XML_Parse(r->parser, s, chunk, left == 0);
        s += chunk;
    } while (st == XML_STATUS_OK && left > 0);
    if (st != XML_STATUS_OK || r->err->status != RC_OK)
        rc = parse_failed(r, damaged, &mem);

done:
    if (r->parser)
        XML_ParserFree(r->parser);
    mem_cur = saved;
    if (r->text != r->small)
        rc_free(r->text);
    rc_free(r);
    return rc;
}

/* ---- small helpers for the decoders ---- */

void xml_capture(struct xml_reader *r)
{
    r->capture_depth = r->depth;
    r->text_len = 0;
    r->text[0] = '\0';
    XML_SetCharacterDataHandler(r->parser, on_text);
}

const char *xml_attr(const char **attrs, const char *name)
{
    for (; *attrs; attrs += 2) {
        const char *a = attrs[0], *colon = strchr(a, ':');
        if (!strcmp(colon ? colon + 1 : a, name))
            return attrs[1];
    }
    return NULL;
}

static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

int xml_number(const char *s, double *v)
{
    uint64_t mant = 0;
    int ndig = 0, exp10 = 0; /* digits in mant; value = mant * 10^exp10 */
    bool neg = false, any;
    const char *start;
    double x;

    *v = NAN;
    while (is_blank((unsigned char)*s))
        s++;
    if (!*s)
        return 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    start = s;
    while (*s == '0') /* leading zeros add nothing */
        s++;
    for (; (unsigned)(*s - '0') < 10; s++) {
        if (ndig < 19) {
            mant = mant * 10 + (unsigned)(*s - '0');
            ndig++;
        } else {
            exp10++; /* a digit beyond the 19 kept */
        }
    }
    if (*s == '.') {
        s++;
        if (!ndig) { /* 0.000123: zeros only move the point */
            const char *z = s;
            while (*s == '0')
                s++;
            exp10 -= (int)(s - z);
        }
        for (; (unsigned)(*s - '0') < 10; s++) {
            if (ndig < 19) {
                mant = mant * 10 + (unsigned)(*s - '0');
                ndig++;
                exp10--;
            }
        }
        any = s - start > 1; /* a digit besides the point */
    } else {
        any = s > start;
    }
    if (!any)
        return -1;
    if (*s == 'e' || *s == 'E') {
        int e = 0, esign = 1;
        s++;
        if (*s == '-' || *s == '+')
            esign = *s++ == '-' ? -1 : 1;
        if (*s < '0' || *s > '9')
            return -1;
        for (; *s >= '0' && *s <= '9'; s++)
            if (e < 100000)
                e = e * 10 + (*s - '0');
        exp10 += esign * e;
    }
    while (is_blank((unsigned char)*s))
        s++;
    if (*s)
        return -1;
    x = (double)mant;
    if (mant == 0)
        x = 0;
    else if (exp10 >= 0 && exp10 <= 22)
        x *= pow10_exact[exp10];
    else if (exp10 < 0 && exp10 >= -22)
        x /= pow10_exact[-exp10];
    else
        x *= pow(10, exp10);
    if (!isfinite(x))
        return -1;
    *v = neg ? -x : x;
    return 1;
}

int xml_time(const char *s, double *t, int *offset_s, bool *has_offset)
{
    const char *e;

    *t = NAN;
    *offset_s = 0;
    *has_offset = false;
    while (is_blank((unsigned char)*s))
        s++;
    if (!*s)
        return 0;
    if (rc_time_parse(s, t, offset_s, has_offset) < 0) {
        *t = NAN;
        *has_offset = false;
        *offset_s = 0;
        return -1;
    }
    e = s + strlen(s);
    while (e > s && is_blank((unsigned char)e[-1]))
        e--;
    if (e > s && (e[-1] == 'Z' || e[-1] == 'z'))
        *has_offset = false; /* UTC, not a local offset */
    return 1;
}

void xml_copy_text(char *out, size_t n, const char *text, size_t len)
{
    while (len && is_blank((unsigned char)*text)) {
        text++;
        len--;
    }
    while (len && is_blank((unsigned char)text[len - 1]))
        len--;
    if (len >= n) {
        len = n - 1;
        while (len && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* text[len] continues a character: cut before it */
    }
    memcpy(out, text, len);
    out[len] = '\0';
}

void xml_bad_value(struct xml_reader *r, bool *warned, const char *what,
                   const char *text, const char *kind)
{
    if (*warned)
        return;
    *warned = true;
    activity_file_warn(r->warn,
                       "%s \"%.40s\" at line %ld is not %s: read as not "
                       "recorded",
                       what, text, xml_line(r), kind);
}

void xml_read_float(struct xml_reader *r, bool *warned, const char *element,
                    const char *text, float *field)
{
    double v;
    int rc = xml_number(text, &v);
    if (rc > 0 && isnan(*field)) {
        *field = (float)v;
    } else if (rc < 0) {
        char what[48];
        snprintf(what, sizeof(what), "<%s>", element);
        xml_bad_value(r, warned, what, text, "a number");
    }
}

void xml_set_sport(struct activity *a, const char *text, size_t len)
{
    static const struct {
        const char *name, *sport, *sub;
    } map[] = {
        { "running", "running", NULL },
        { "run", "running", NULL },
        { "9", "running", NULL },
        { "trail_running", "running", "trail" },
        { "treadmill_running", "running", "treadmill" },
        { "street_running", "running", "street" },
        { "track_running", "running", "track" },
        { "cycling", "cycling", NULL },
        { "biking", "cycling", NULL },
        { "ride", "cycling", NULL },
        { "1", "cycling", NULL },
        { "road_biking", "cycling", "road" },
        { "mountain_biking", "cycling", "mountain" },
        { "walking", "walking", NULL },
        { "walk", "walking", NULL },
        { "10", "walking", NULL },
        { "hiking", "hiking", NULL },
        { "hike", "hiking", NULL },
        { "4", "hiking", NULL },
        { "swimming", "swimming", NULL },
        { "swim", "swimming", NULL },
        { "16", "swimming", NULL },
        { "lap_swimming", "swimming", "lap_swimming" },
        { "open_water_swimming", "swimming", "open_water" },
    };
    char name[32];

    xml_copy_text(name, sizeof(name), text, len);
    for (size_t i = 0; i < RC_ARRAY_SIZE(map); i++) {
        if (strcasecmp(name, map[i].name))
            continue;
        snprintf(a->sport, sizeof(a->sport), "%s", map[i].sport);
        snprintf(a->sub_sport, sizeof(a->sub_sport), "%s",
                 map[i].sub ? map[i].sub : "generic");
        return;
    }
}
