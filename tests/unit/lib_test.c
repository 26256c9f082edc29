/* lib_test.c - helpers shared by the unit tests (see testlib.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <jansson.h>
#include <unistd.h>

#include "base/base.h"
#include "base/alloc.h"
#include "testlib.h"

const char *test_shared_data(void)
{
    const char *p = getenv("RUNCARE_SHARED_DATA");
    if (p && *p && access(p, R_OK) == 0)
        return p;
    if (access("../shared/data", R_OK) == 0)
        return "../shared/data";
    return NULL;
}

void test_tmpdir(char *out, size_t n)
{
    const char *base = getenv("TMPDIR");
    snprintf(out, n, "%s/runcare-unit.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(out))
        fail_msg("mkdtemp %s: %s", out, strerror(errno));
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void test_tmpdir_remove(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void test_read_file(struct rc_buf *b, const char *path)
{
    struct rc_err err = RC_ERR_INIT;
    rc_buf_init(b, (size_t)256 << 20);
    if (rc_buf_read_file(b, path, &err) < 0)
        fail_msg("%s: %s", path, err.msg);
}

void test_write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("%s: %s", path, strerror(errno));
    if (n && fwrite(p, 1, n, f) != n)
        fail_msg("%s: short write", path);
    if (fclose(f) != 0)
        fail_msg("%s: %s", path, strerror(errno));
}

static json_malloc_t jansson_malloc;
static json_free_t jansson_free;

static void *counted_malloc(size_t n)
{
    return rc_alloc_allowed() ? jansson_malloc(n) : NULL;
}

void test_counted_jansson(bool on)
{
    if (on) {
        json_get_alloc_funcs(&jansson_malloc, &jansson_free);
        json_set_alloc_funcs(counted_malloc, jansson_free);
    } else {
        json_set_alloc_funcs(jansson_malloc, jansson_free);
    }
}
