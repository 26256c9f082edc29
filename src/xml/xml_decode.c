/* xml_decode.c - what the GPX and TCX decoders share around xml_read: the
 * decode from bytes to a handed-over activity_file, with salvage (see
 * xml.h). */
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
