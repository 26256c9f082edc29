/* jsonl.c - the kb/ JSON Lines reader (see jsonl.h for the dialect). */
#include "base/base.h"
#include "json/jparse.h"
#include "json/jsonl.h"

bool jsonl_blank(const char *p, size_t n)
{
    size_t k = 0;
    while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
        k++;
    return k == n || p[k] == '#';
}

static json_t *parse_line(const char *p, size_t n, enum jsonl_parser parser,
                          struct jparse_strings *shared, long line,
                          struct rc_err *err)
{
    json_t *rec;
    if (parser == JSONL_JPARSE) {
        struct jparse_error pe;
        if (!(rec = jparse_load_shared(p, n, shared, &pe))) {
            if (pe.oom)
                rc_fail(err, RC_EENV, "out of memory");
            else
                rc_fail_line(err, line, 0, "invalid JSON at column %zu: %s",
                             pe.offset + 1, pe.msg);
            return NULL;
        }
    } else {
        json_error_t je;
        if (!(rec = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je))) {
            /* Jansson says "out of memory", or nothing at all when an
             * allocation fails before it can */
            if (json_error_code(&je) == json_error_out_of_memory ||
                !je.text[0])
                rc_fail(err, RC_EENV, "out of memory");
            else
                rc_fail_line(err, line, 0, "invalid JSON at column %d: %s",
                             je.column, je.text);
            return NULL;
        }
    }
    if (!json_is_object(rec)) {
        json_decref(rec);
        rc_fail_line(err, line, 0, "a record must be a JSON object");
        return NULL;
    }
    return rec;
}

int jsonl_each(const char *name, const char *data, size_t len,
               enum jsonl_parser parser, jsonl_fn fn, void *ctx,
               struct rc_err *err)
{
    return jsonl_each_shared(name, data, len, parser, NULL, fn, ctx, err);
}

int jsonl_each_shared(const char *name, const char *data, size_t len,
                      enum jsonl_parser parser, struct jparse_strings *shared,
                      jsonl_fn fn, void *ctx, struct rc_err *err)
{
    const char *p = data, *end = data + len;
    long line = 0;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        if (!jsonl_blank(p, n)) {
            json_t *rec = parse_line(p, n, parser, shared, line, err);
            if (!rec || fn(ctx, rec, line, err) < 0) {
                if (err && err->status != RC_EENV && !err->line)
                    err->line = line;
                rc_err_file(err, name);
                return -1;
            }
        }
        p += n + (nl ? 1 : 0);
    }
    return 0;
}
