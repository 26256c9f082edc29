/* err.c - filling and formatting struct rc_err (see err.h). */
#include "base/base.h"
#include "base/err.h"

void rc_err_clear(struct rc_err *err)
{
    static const struct rc_err init = RC_ERR_INIT;
    if (err)
        *err = init;
}

static int fail_v(struct rc_err *err, enum rc_status st, const char *fmt,
                  va_list ap)
{
    if (!err || err->status != RC_OK)
        return -1;
    err->status = st == RC_OK ? RC_EINPUT : st;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    return -1;
}

int rc_fail(struct rc_err *err, enum rc_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(err, st, fmt, ap);
    va_end(ap);
    return -1;
}

int rc_fail_at(struct rc_err *err, long offset, const char *fmt, ...)
{
    va_list ap;
    if (err && err->status == RC_OK)
        err->offset = offset;
    va_start(ap, fmt);
    fail_v(err, RC_EINPUT, fmt, ap);
    va_end(ap);
    return -1;
}

int rc_fail_line(struct rc_err *err, long line, long column, const char *fmt,
                 ...)
{
    va_list ap;
    if (err && err->status == RC_OK) {
        err->line = line;
        err->column = column;
    }
    va_start(ap, fmt);
    fail_v(err, RC_EINPUT, fmt, ap);
    va_end(ap);
    return -1;
}

int rc_fail_field(struct rc_err *err, const char *field, const char *fmt, ...)
{
    va_list ap;
    if (err && err->status == RC_OK)
        snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    va_start(ap, fmt);
    fail_v(err, RC_EINPUT, fmt, ap);
    va_end(ap);
    return -1;
}

void rc_err_file(struct rc_err *err, const char *file)
{
    if (err && !err->file[0] && file)
        snprintf(err->file, sizeof(err->file), "%s", file);
}

char *rc_err_format(const struct rc_err *err, char *out, size_t n)
{
    size_t used = 0;
    int k;

#define ADD(...)                                                      \
    do {                                                              \
        k = snprintf(out + used, n - used, __VA_ARGS__);              \
        if (k > 0)                                                    \
            used = (size_t)k < n - used ? used + (size_t)k : n - 1;   \
    } while (0)

    if (!n)
        return out;
    out[0] = '\0';
    if (err->file[0])
        ADD("%s: ", err->file);
    if (err->offset >= 0)
        ADD("offset %ld: ", err->offset);
    if (err->line > 0 && err->column > 0)
        ADD("line %ld col %ld: ", err->line, err->column);
    else if (err->line > 0)
        ADD("line %ld: ", err->line);
    if (err->field[0])
        ADD(err->field[0] == '/' ? "%s: " : "field %s: ", err->field);
    ADD("%s", err->msg[0] ? err->msg : "unknown error");
#undef ADD
    return out;
}
