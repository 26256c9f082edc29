/* xml_decode.c - what the GPX and TCX decoders share around xml_read: the
 * decode from bytes to a handed-over activity_file, with salvage (see
 * xml.h), and recognising a document by its root element. */
#include <ctype.h>

#include "base/base.h"
#include "base/alloc.h"
#include "xml/xml.h"

/* After a damaged read kept what came before the damage (err: where
 * xml_read stopped): mark f salvaged and say so in its warnings. */
static void mark_salvaged(struct activity_file *f, const struct rc_err *err,
                          long kept, const char *what)
{
    f->salvaged = true;
    activity_file_warn(f, "salvaged: line %ld col %ld: %s; kept the %ld "
                          "complete %s before it",
                       err->line, err->column, err->msg, kept, what);
}

int xml_decode(const unsigned char *p, size_t n, unsigned flags,
               const struct xml_decoder *d, struct activity_file *out,
               void *info, struct rc_err *err)
{
    struct rc_err before = *err;
    struct xml_doc *doc;
    struct activity_file *f;
    bool damaged;
    long kept;
    int rc = -1;

    doc = rc_malloc(d->state_size);
    if (!doc) {
        char name[8];
        size_t i;
        for (i = 0; d->format[i] && i + 1 < sizeof(name); i++)
            name[i] = (char)toupper((unsigned char)d->format[i]);
        name[i] = '\0';
        return rc_fail(err, RC_EENV, "out of memory for the %s decoder",
                       name);
    }
    memset(doc, 0, d->state_size);
    doc->err = err;
    f = &doc->f;
    if (xml_read(p, n, &d->handlers, doc, f, &damaged, err) < 0) {
        if (!(flags & ACTIVITY_SALVAGE) || !damaged)
            goto done;
        kept = d->salvage(doc, err);
        if (kept < 0 || !f->nacts)
            goto done;
        mark_salvaged(f, err, kept, d->records);
        *err = before;
    }
    snprintf(f->format, sizeof(f->format), "%s", d->format);
    for (size_t i = 0; i < f->nacts; i++) {
        activity_fill_totals(&f->acts[i]);
        if (f->salvaged)
            f->acts[i].salvaged = true;
    }
    d->finish(doc, info);
    *out = *f;
    activity_file_init(f);
    rc = 0;
done:
    activity_release(&doc->act);
    activity_file_release(f);
    rc_free(doc);
    return rc;
}

/* ---- the root element, for sniffing ---- */

/* The first occurrence of the string s in p[0..end), or NULL. */
static const unsigned char *find(const unsigned char *p,
                                 const unsigned char *end, const char *s)
{
    size_t n = strlen(s);
    for (; end - p >= (ptrdiff_t)n; p++)
        if (*p == (unsigned char)s[0] && !memcmp(p, s, n))
            return p;
    return NULL;
}

/* Skip what may precede the root element of an XML document: a byte-order
 * mark, blanks, the declaration, comments (which may hold '>') and a
 * doctype (whose internal subset may hold '>'). Returns where the root's
 * name starts, or the first byte that is not markup. */
static const unsigned char *skip_prolog(const unsigned char *p,
                                        const unsigned char *end)
{
    if (end - p >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        p += 3;
    for (;;) {
        const unsigned char *q;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        if (end - p < 2 || p[0] != '<')
            return p;
        if (p[1] != '?' && p[1] != '!')
            return p + 1;
        if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
            q = find(p + 4, end, "-->");
            p = q ? q + 3 : end;
            continue;
        }
        q = memchr(p, '>', (size_t)(end - p));
        if (q && p[1] == '!') {
            /* <!DOCTYPE x [ ... ]>: the subset ends at "]" then ">" */
            const unsigned char *open = memchr(p, '[', (size_t)(q - p));
            if (open) {
                const unsigned char *close = find(open, end, "]");
                while (close && close < end) {
                    const unsigned char *r = close + 1;
                    while (r < end && (*r == ' ' || *r == '\t' || *r == '\r' ||
                                       *r == '\n'))
                        r++;
                    if (r < end && *r == '>') {
                        q = r;
                        break;
                    }
                    close = find(close + 1, end, "]");
                }
                if (!close)
                    q = NULL;
            }
        }
        if (!q)
            return end;
        p = q + 1;
    }
}

bool xml_root_is(const unsigned char *p, size_t n, const char *name)
{
    const unsigned char *end = p + n, *colon = NULL;
    size_t len = strlen(name);

    p = skip_prolog(p, end);
    for (const unsigned char *q = p; q < end && q - p < 64; q++) {
        if (*q == ':') {
            colon = q;
            break;
        }
        if (*q == ' ' || *q == '>' || *q == '/' || *q == '\t' ||
            *q == '\r' || *q == '\n')
            break;
    }
    if (colon)
        p = colon + 1;
    return (size_t)(end - p) > len && !memcmp(p, name, len) &&
           (p[len] == ' ' || p[len] == '>' || p[len] == '/' ||
            p[len] == '\t' || p[len] == '\r' || p[len] == '\n');
}

const unsigned char *xml_root_name(const unsigned char *p, size_t n)
{
    const unsigned char *root = skip_prolog(p, p + n);
    return root > p && root < p + n && root[-1] == '<' ? root : NULL;
}
