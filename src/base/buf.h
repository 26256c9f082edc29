/* buf.h - a growable byte buffer with a size cap set at init.
 *
 * Every buffer filled from input gets a cap (curl's dynbuf): growing past it
 * is an input error that names the cap, never an unbounded allocation. The
 * data is always NUL-terminated (one byte beyond len) so text can be read as
 * a C string. A buffer owns its data: rc_buf_release frees it, rc_buf_detach
 * hands it to the caller. */
#ifndef RC_BUF_H
#define RC_BUF_H

#include "base/base.h"
#include "base/err.h"

struct rc_buf {
    unsigned char *data; /* NULL until the first byte is added */
    size_t len;          /* bytes in use, not counting the NUL */
    size_t cap;          /* bytes allocated */
    size_t max;          /* len may never exceed this */
};

#define RC_BUF_MAX_DEFAULT ((size_t)1 << 30)

/* Set up an empty buffer that may hold up to max bytes. Allocates nothing. */
void rc_buf_init(struct rc_buf *b, size_t max);

/* Free the data and leave an empty buffer with the same cap. */
void rc_buf_release(struct rc_buf *b);

/* Make room for extra more bytes. -1 with err set (RC_EINPUT if the cap is
 * hit, RC_EENV if memory runs out); the buffer is unchanged on failure. */
int rc_buf_grow(struct rc_buf *b, size_t extra, struct rc_err *err);

/* Append n bytes. -1 and err set as rc_buf_grow; unchanged on failure. */
int rc_buf_append(struct rc_buf *b, const void *p, size_t n,
                  struct rc_err *err);

/* Append formatted text. -1 and err set as rc_buf_grow. */
int rc_buf_appendf(struct rc_buf *b, struct rc_err *err, const char *fmt, ...)
    RC_PRINTF(3, 4);

/* For fixed arrays of text: snprintf at out + *used, never past n, *used
 * moved on; the text is cut when it fills (never more than n - 1). */
void rc_snappend(char *out, size_t n, size_t *used, const char *fmt, ...)
    RC_PRINTF(4, 5);

/* Replace the contents with the whole file at path ("-" for stdin). A file
 * larger than the cap is an input error naming the cap. On failure the
 * buffer is empty and err names the file. */
int rc_buf_read_file(struct rc_buf *b, const char *path, struct rc_err *err);

/* Append everything readable from the stream, up to the cap. */
int rc_buf_read_stream(struct rc_buf *b, FILE *f, struct rc_err *err);

/* Hand the data to the caller (free() it) and leave the buffer empty. The
 * result is never NULL: an empty buffer gives an allocated "". */
unsigned char *rc_buf_detach(struct rc_buf *b, size_t *len);

#endif
