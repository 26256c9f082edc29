/* decode.c - recognise an activity file by content and decode it. */
#include "base/base.h"
#include "decode/decode.h"
#include "fit/fit.h"
#include "gpx/gpx.h"
#include "tcx/tcx.h"

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
 * doctype (whose internal subset may hold '>'). */
static const unsigned char *xml_root(const unsigned char *p,
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

/* Does the element name at p (optionally with a prefix) equal name? */
static bool root_is(const unsigned char *p, const unsigned char *end,
                    const char *name)
{
    size_t n = strlen(name);
    const unsigned char *colon = NULL;
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
    return (size_t)(end - p) > n && !memcmp(p, name, n) &&
           (p[n] == ' ' || p[n] == '>' || p[n] == '/' || p[n] == '\t' ||
            p[n] == '\r' || p[n] == '\n');
}

enum decode_format decode_sniff(const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n, *root;

    if (n >= 12 && !memcmp(p + 8, ".FIT", 4))
        return DECODE_FIT;
    root = xml_root(p, end);
    if (root_is(root, end, "gpx"))
        return DECODE_GPX;
    if (root_is(root, end, "TrainingCenterDatabase"))
        return DECODE_TCX;
    return DECODE_UNKNOWN;
}

const char *decode_format_name(enum decode_format fmt)
{
    switch (fmt) {
    case DECODE_FIT:
        return "fit";
    case DECODE_GPX:
        return "gpx";
    case DECODE_TCX:
        return "tcx";
    case DECODE_UNKNOWN:
        break;
    }
    return "unknown";
}

int decode_buffer(const unsigned char *p, size_t n, unsigned flags,
                  struct activity_file *out, struct rc_err *err)
{
    if (n == 0)
        return rc_fail_at(err, 0, "empty file");
    switch (decode_sniff(p, n)) {
    case DECODE_FIT:
        return fit_decode(p, n, flags, out, err);
    case DECODE_GPX:
        return gpx_decode(p, n, flags, out, err);
    case DECODE_TCX:
        return tcx_decode(p, n, flags, out, err);
    case DECODE_UNKNOWN:
        break;
    }
    {
        /* XML of another kind (KML, an HTML error page): name its root
         * rather than call it a broken FIT file ('<' is byte 60) */
        const unsigned char *root = xml_root(p, p + n), *end = p + n;
        if (root > p && root < end && root[-1] == '<') {
            int k = 0;
            while (root + k < end && k < 40 && root[k] != '>' &&
                   root[k] != '/' && root[k] != ' ' && root[k] != '\t' &&
                   root[k] != '\r' && root[k] != '\n')
                k++;
            return rc_fail_at(err, root - 1 - p,
                              "XML, but neither GPX nor TCX: the root "
                              "element is <%.*s>",
                              k, (const char *)root);
        }
    }
    if (n >= 12 && p[0] >= 12 && p[0] < 64)
        return rc_fail_at(err, 8, "not a FIT file: no \".FIT\" signature at "
                                  "byte 8");
    return rc_fail_at(err, 0, "not an activity file: neither FIT (no \".FIT\" "
                              "at byte 8) nor GPX or TCX XML");
}
