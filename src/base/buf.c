/* buf.c - growable byte buffer with a cap (see buf.h). */
#include <sys/stat.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/buf.h"

void rc_buf_init(struct rc_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void rc_buf_release(struct rc_buf *b)
{
    rc_free(b->data);
    rc_buf_init(b, b->max);
}

int rc_buf_grow(struct rc_buf *b, size_t extra, struct rc_err *err)
{
    size_t want, cap;
    unsigned char *p;

    if (extra > b->max || b->len > b->max - extra)
        return rc_fail(err, RC_EINPUT, "more than %zu bytes (the limit)",
                       b->max);
    want = b->len + extra + 1; /* + NUL */
    if (want <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    p = rc_realloc(b->data, cap);
    if (!p)
        return rc_fail(err, RC_EENV, "out of memory (%zu bytes)", cap);
    b->data = p;
    b->cap = cap;
    return 0;
}

int rc_buf_append(struct rc_buf *b, const void *p, size_t n,
                  struct rc_err *err)
{
    if (rc_buf_grow(b, n, err) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int rc_buf_appendf(struct rc_buf *b, struct rc_err *err, const char *fmt, ...)
{
    va_list ap;
    int k;
    char small[256];

    va_start(ap, fmt);
    k = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (k < 0)
        return rc_fail(err, RC_EENV, "cannot format text");
    if ((size_t)k < sizeof(small))
        return rc_buf_append(b, small, (size_t)k, err);
    if (rc_buf_grow(b, (size_t)k, err) < 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)k;
    return 0;
}

void rc_snappend(char *out, size_t n, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int k;
    if (*used + 1 >= n)
        return;
    va_start(ap, fmt);
    k = vsnprintf(out + *used, n - *used, fmt, ap);
    va_end(ap);
    if (k > 0)
        *used = *used + (size_t)k < n ? *used + (size_t)k : n - 1;
}

int rc_buf_read_stream(struct rc_buf *b, FILE *f, struct rc_err *err)
{
    for (;;) {
        size_t room, got;
        if (b->len == b->max) {
            /* full to the cap: one more byte means too big */
            if (getc(f) == EOF)
                break;
            return rc_fail(err, RC_EINPUT,
                           "larger than %zu bytes (the limit)", b->max);
        }
        if (rc_buf_grow(b, 1, err) < 0)
            return -1;
        room = b->cap - b->len - 1;
        if (room > b->max - b->len)
            room = b->max - b->len;
        got = fread(b->data + b->len, 1, room, f);
        b->len += got;
        b->data[b->len] = '\0';
        if (got < room)
            break;
    }
    if (ferror(f))
        return rc_fail(err, RC_EENV, "read error: %s", strerror(errno));
    return 0;
}

int rc_buf_read_file(struct rc_buf *b, const char *path, struct rc_err *err)
{
    FILE *f;
    int rc;

    b->len = 0;
    if (strcmp(path, "-") == 0) {
        f = stdin;
    } else {
        f = fopen(path, "rb");
        if (!f) {
            int e = errno;
            rc_fail(err, e == ENOENT || e == EISDIR ? RC_EINPUT : RC_EENV,
                    "cannot open: %s", strerror(e));
            rc_err_file(err, path);
            return -1;
        }
        {
            struct stat st;
            if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
                fclose(f);
                rc_fail(err, RC_EINPUT, "is a directory, not a file");
                rc_err_file(err, path);
                return -1;
            }
            /* A file's size is known: room for all of it and the byte
             * that shows its end, so that it is read in one call, not in
             * ten as the buffer doubles (each a copy of what came before).
             * One larger than the cap is left to the loop, which names it. */
            if (S_ISREG(st.st_mode) && st.st_size > 0 &&
                (uint64_t)st.st_size < b->max &&
                rc_buf_grow(b, (size_t)st.st_size + 1, err) < 0) {
                fclose(f);
                rc_err_file(err, path);
                return -1;
            }
        }
    }
    rc = rc_buf_read_stream(b, f, err);
    if (f != stdin)
        fclose(f);
    if (rc < 0) {
        rc_err_file(err, path);
        rc_buf_release(b);
    }
    return rc;
}

unsigned char *rc_buf_detach(struct rc_buf *b, size_t *len)
{
    unsigned char *p = b->data;
    if (!p) {
        p = rc_calloc(1, 1);
        if (!p)
            abort(); /* one byte: nothing sensible is left to do */
    }
    if (len)
        *len = b->len;
    rc_buf_init(b, b->max);
    return p;
}
