/* decode.c - the registry of formats (see decode.h) and decoding by
 * content. */
#include "base/base.h"
#include "decode/decode.h"
#include "fit/fit.h"
#include "gpx/gpx.h"
#include "tcx/tcx.h"
#include "xml/xml.h"

/* Adding a format: its folder (decoder, sniff, tests, fuzz target) and one
 * line here. Sniffing goes down the table, so a format whose sniff could
 * also match another's bytes comes after it. */
const struct decode_format decode_formats[] = {
    { "fit", { ".fit" }, 3, fit_sniff, fit_decode_info,
      sizeof(struct fit_info) },
    { "gpx", { ".gpx" }, 1, gpx_sniff, gpx_decode_info,
      sizeof(struct gpx_counts) },
    { "tcx", { ".tcx" }, 2, tcx_sniff, tcx_decode_info,
      sizeof(struct tcx_counts) },
    { NULL, { NULL }, 0, NULL, NULL, 0 },
};

const struct decode_format *decode_sniff(const unsigned char *p, size_t n)
{
    if (n == 0)
        return NULL;
    for (const struct decode_format *f = decode_formats; f->name; f++)
        if (f->sniff(p, n))
            return f;
    return NULL;
}

const struct decode_format *decode_find(const char *name)
{
    for (const struct decode_format *f = decode_formats; f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

bool decode_name_matches(const char *name)
{
    size_t n = strlen(name);
    for (const struct decode_format *f = decode_formats; f->name; f++)
        for (size_t i = 0; i < DECODE_MAX_EXTENSIONS && f->extensions[i];
             i++) {
            size_t k = strlen(f->extensions[i]);
            if (n >= k && !strcasecmp(name + n - k, f->extensions[i]))
                return true;
        }
    return false;
}

/* Bytes no format claims: say what they look like. NEEDSWORK: the
 * messages name the formats of today; another XML format should join
 * "neither GPX nor TCX". */
static int unknown(const unsigned char *p, size_t n, struct rc_err *err)
{
    const unsigned char *root = xml_root_name(p, n), *end = p + n;
    if (root) {
        /* XML of another kind (KML, an HTML error page): name its root
         * rather than call it a broken FIT file ('<' is byte 60) */
        int k = 0;
        while (root + k < end && k < 40 && root[k] != '>' &&
               root[k] != '/' && root[k] != ' ' && root[k] != '\t' &&
               root[k] != '\r' && root[k] != '\n')
            k++;
        return rc_fail_at(err, root - 1 - p,
                          "XML, but neither GPX nor TCX: the root element "
                          "is <%.*s>",
                          k, (const char *)root);
    }
    if (n >= 12 && p[0] >= 12 && p[0] < 64)
        return rc_fail_at(err, 8, "not a FIT file: no \".FIT\" signature at "
                                  "byte 8");
    return rc_fail_at(err, 0, "not an activity file: neither FIT (no \".FIT\" "
                              "at byte 8) nor GPX or TCX XML");
}

int decode_as(const struct decode_format *fmt, const unsigned char *p,
              size_t n, unsigned flags, struct activity_file *out,
              void *info, struct rc_err *err)
{
    if (n == 0)
        return rc_fail_at(err, 0, "empty file");
    if (!fmt)
        return unknown(p, n, err);
    return fmt->decode(p, n, flags, out, info, err);
}

int decode_buffer(const unsigned char *p, size_t n, unsigned flags,
                  struct activity_file *out, struct rc_err *err)
{
    return decode_as(decode_sniff(p, n), p, n, flags, out, NULL, err);
}
