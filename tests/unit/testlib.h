/* testlib.h - helpers shared by the cmocka unit tests (tests/unit/lib_*.c).
 *
 * Include after <setjmp.h>, <stdarg.h>, <stddef.h>, <stdint.h> and <cmocka.h>
 * (the order cmocka requires). */
#ifndef RC_TESTLIB_H
#define RC_TESTLIB_H

#include "base/base.h"
#include "base/buf.h"

/* The folder ../shared/data, or NULL when it is not there (the test should
 * then print "skipped: ../shared/data not found" and call skip()). */
const char *test_shared_data(void);

/* Skip the current test when ../shared/data is missing; else the path. */
#define TEST_SHARED_DATA_OR_SKIP(var)                                   \
    const char *var = test_shared_data();                               \
    if (!var) {                                                         \
        print_message("skipped: ../shared/data not found\n");          \
        skip();                                                         \
    }

/* A new empty folder under $TMPDIR, removed by test_tmpdir_remove. The path
 * is written into out (size n). Fails the test on error. */
void test_tmpdir(char *out, size_t n);
void test_tmpdir_remove(const char *path);

/* With on, Jansson's allocations go through the fault injector
 * (base/alloc.h: rc_alloc_fail_after counts and fails them), on top of
 * the allocator the program has (json/jalloc.c's arena); off restores
 * it. Test builds only. */
void test_counted_jansson(bool on);

/* Read a whole file into b (cap 256 MiB); fails the test on error. */
void test_read_file(struct rc_buf *b, const char *path);

/* Write n bytes to path; fails the test on error. */
void test_write_file(const char *path, const void *p, size_t n);

/* Archives for import tests (lib_archive.c). */
struct test_member {
    const char *name; /* path inside the zip */
    const void *data;
    size_t len;
};

/* Write a zip of the members to path; fails the test on error. */
void test_zip_write(const char *path, const struct test_member *m, size_t n);

/* The same zip in memory (out is initialised here; release it). */
void test_zip_memory(const struct test_member *m, size_t n, struct rc_buf *out);

/* gzip p[0..n) into out (initialised here; release it). */
void test_gzip(const void *p, size_t n, struct rc_buf *out);

/* A stand-in decoder for import tests (lib_import.c), with the contract of
 * decode_buffer. It reads text files "RCTEST key=value ...": sport, start
 * (Unix s), dur (s), n (samples), ch (hr,pos,cad,alt), format (fit, gpx,
 * tcx); each run has one lap. "RCTEST-NOTACT" is a settings file; anything
 * else fails at offset 0. */
struct activity_file;
struct rc_err;
int test_fake_decode(const unsigned char *p, size_t n, unsigned flags,
                     struct activity_file *out, struct rc_err *err);

/* A cmocka fixture for the import tests: a new folder with an empty
 * database runcare.db in it, open in s; all removed by the teardown. */
struct store;
struct test_db_fixture {
    char dir[512];
    char db[600];
    struct store *s;
};
int test_db_setup(void **state);
int test_db_teardown(void **state);

#endif
