/* fuzz_xml.h - the body shared by the GPX and TCX fuzz targets
 * (fuzz_gpx.c, fuzz_tcx.c); included, not compiled alone.
 *
 * Any bytes go through the decoder, plain and with ACTIVITY_SALVAGE: each
 * call returns 0 with a file to release, or -1 with err set and a message;
 * never a crash, a leak, a hang or unbounded memory. What decodes plainly
 * is written again with the format's writer and must decode again, with
 * the activities the format can carry (writable): the writer never
 * produces a file its own decoder refuses. */
#ifndef RC_FUZZ_XML_H
#define RC_FUZZ_XML_H

#include "base/base.h"
#include "base/buf.h"
#include "activity/activity.h"

struct fuzz_xml_format {
    int (*decode)(const unsigned char *p, size_t n, unsigned flags,
                  struct activity_file *out, struct rc_err *err);
    int (*write)(const struct activity *acts, size_t n, struct rc_buf *out,
                 struct rc_err *err);
    size_t (*writable)(const struct activity_file *f);
};

static void fuzz_xml_rewrite(const struct fuzz_xml_format *fmt,
                             const struct activity_file *f)
{
    struct rc_buf b;
    struct activity_file again;
    struct rc_err err = RC_ERR_INIT;

    if (!f->nacts)
        return;
    rc_buf_init(&b, (size_t)256 << 20);
    if (fmt->write(f->acts, f->nacts, &b, &err) < 0)
        abort(); /* only memory can fail here */
    if (fmt->decode(b.data, b.len, 0, &again, &err) < 0) {
        fprintf(stderr, "rewritten file refused: line %ld col %ld: %s\n",
                err.line, err.column, err.msg);
        abort();
    }
    if (again.nacts != fmt->writable(f))
        abort();
    activity_file_release(&again);
    rc_buf_release(&b);
}

static int fuzz_xml_one(const struct fuzz_xml_format *fmt,
                        const uint8_t *data, size_t size)
{
    static const unsigned modes[] = { 0, ACTIVITY_SALVAGE };
    for (size_t i = 0; i < RC_ARRAY_SIZE(modes); i++) {
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        if (fmt->decode(data, size, modes[i], &f, &err) < 0) {
            if (err.status == RC_OK || !err.msg[0])
                abort(); /* a failure must say why */
            continue;
        }
        if (modes[i] == 0)
            fuzz_xml_rewrite(fmt, &f);
        activity_file_release(&f);
    }
    return 0;
}

#endif
