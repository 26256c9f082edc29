/* lib_manifest.c - reading the shared data's MANIFEST.tsv (manifest.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "decode/decode.h"
#include "testlib.h"
#include "manifest.h"

/* Copy s into out (size n); fail the test if it does not fit. */
static void copy_or_fail(char *out, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (len >= n)
        fail_msg("MANIFEST.tsv: a field of %zu bytes: more than %zu", len,
                 n - 1);
    memcpy(out, s, len + 1);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

int test_manifest_each(const char *data, const char *prefix,
                       const char *suffix,
                       void (*fn)(const struct manifest_row *row, void *ud),
                       void *ud)
{
    char path[1024], line[8192];
    FILE *f;
    int matched = 0;

    snprintf(path, sizeof(path), "%s/activities/MANIFEST.tsv", data);
    f = fopen(path, "r");
    if (!f)
        fail_msg("%s: %s", path, strerror(errno));
    while (fgets(line, sizeof(line), f)) {
        struct manifest_row row;
        char *tab = strchr(line, '\t'), *notes;
        size_t n;
        if (!tab)
            continue;
        *tab = '\0';
        if (strncmp(line, prefix, strlen(prefix)) || !ends_with(line, suffix))
            continue;
        notes = strrchr(tab + 1, '\t'); /* the last column */
        if (!notes)
            continue;
        notes++;
        n = strlen(notes);
        while (n && (notes[n - 1] == '\n' || notes[n - 1] == '\r'))
            notes[--n] = '\0';
        copy_or_fail(row.file, sizeof(row.file), line);
        copy_or_fail(row.path, sizeof(row.path), path);
        n = strlen(row.path) - strlen("MANIFEST.tsv");
        copy_or_fail(row.path + n, sizeof(row.path) - n, line);
        copy_or_fail(row.notes, sizeof(row.notes), notes);
        fn(&row, ud);
        matched++;
    }
    fclose(f);
    return matched;
}

long test_note_count(const char *notes, const char *what)
{
    const char *p = strstr(notes, what);
    const char *q;
    if (!p || p == notes || p[-1] < '0' || p[-1] > '9')
        return -1;
    for (q = p; q > notes && q[-1] >= '0' && q[-1] <= '9'; q--)
        ;
    return strtol(q, NULL, 10);
}

int test_note_pair(const char *notes, const char *what, long *a, long *b)
{
    const char *p = strstr(notes, what);
    char *end;
    if (!p)
        return -1;
    p += strlen(what);
    *a = strtol(p, &end, 10);
    if (end == p)
        return -1;
    p = end;
    while (*p && (*p < '0' || *p > '9'))
        p++;
    *b = strtol(p, &end, 10);
    return end == p ? -1 : 0;
}

void test_complain(struct manifest_tally *t, const char *file,
                   const char *fmt, ...)
{
    va_list ap;
    size_t n = strlen(t->why);
    t->failed++;
    n += (size_t)snprintf(t->why + n, sizeof(t->why) - n, "\n  %s: ", file);
    if (n >= sizeof(t->why))
        return;
    va_start(ap, fmt);
    vsnprintf(t->why + n, sizeof(t->why) - n, fmt, ap);
    va_end(ap);
}

/* decode_buffer on a whole file. */
static int decode_path(const char *path, unsigned flags,
                       struct activity_file *f, struct rc_err *err)
{
    struct rc_buf b;
    int rc;
    test_read_file(&b, path);
    rc = decode_buffer(b.data, b.len, flags, f, err);
    rc_buf_release(&b);
    return rc;
}

void test_check_cut_off(const struct manifest_row *row,
                        struct manifest_tally *t, const char *complete_what)
{
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    long line, col, complete = test_note_count(row->notes, complete_what);

    if (test_note_pair(row->notes, "expat: line ", &line, &col) < 0)
        return;
    t->files++;
    if (decode_path(row->path, 0, &f, &err) == 0) {
        test_complain(t, row->file, "decoded although cut off");
        activity_file_release(&f);
        return;
    }
    /* Expat counts columns from 0, runcare from 1 */
    if (err.line != line || err.column != col + 1 ||
        !strstr(err.msg, "cut off"))
        test_complain(t, row->file,
                      "line %ld col %ld: %s; the note says line %ld col %ld "
                      "(from 0)",
                      err.line, err.column, err.msg, line, col);
    rc_err_clear(&err);
    if (decode_path(row->path, ACTIVITY_SALVAGE, &f, &err) < 0) {
        test_complain(t, row->file, "salvage failed: %s", err.msg);
        return;
    }
    if (!f.salvaged || f.nacts != 1 || f.records != complete ||
        (long)f.acts[0].nsamples != complete || !f.acts[0].salvaged)
        test_complain(t, row->file, "salvaged %ld points; the note says %ld",
                      f.records, complete);
    activity_file_release(&f);
}
