/* lib_archive.c - test helpers that write the archives an import reads:
 * zips (in a file or in memory, so that zips can nest) with libarchive,
 * and gzip with zlib. See testlib.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include "base/base.h"
#include "testlib.h"

static void write_members(struct archive *a, const struct test_member *m,
                          size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, m[i].name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)m[i].len);
        if (archive_write_header(a, e) != ARCHIVE_OK)
            fail_msg("zip header %s: %s", m[i].name, archive_error_string(a));
        if (m[i].len &&
            archive_write_data(a, m[i].data, m[i].len) != (la_ssize_t)m[i].len)
            fail_msg("zip data %s: %s", m[i].name, archive_error_string(a));
        archive_entry_free(e);
    }
}

void test_zip_write(const char *path, const struct test_member *m, size_t n)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    if (archive_write_open_filename(a, path) != ARCHIVE_OK)
        fail_msg("zip %s: %s", path, archive_error_string(a));
    write_members(a, m, n);
    archive_write_close(a);
    archive_write_free(a);
}

void test_zip_memory(const struct test_member *m, size_t n, struct rc_buf *out)
{
    size_t cap = 4096, used = 0;
    for (size_t i = 0; i < n; i++)
        cap += m[i].len + 512 + strlen(m[i].name) * 3;
    rc_buf_init(out, cap + 1);
    out->data = malloc(cap + 1);
    assert_non_null(out->data);
    out->cap = cap + 1;
    {
        struct archive *a = archive_write_new();
        archive_write_set_format_zip(a);
        archive_write_set_bytes_in_last_block(a, 1);
        if (archive_write_open_memory(a, out->data, cap, &used) != ARCHIVE_OK)
            fail_msg("zip in memory: %s", archive_error_string(a));
        write_members(a, m, n);
        archive_write_close(a);
        archive_write_free(a);
    }
    out->len = used;
    out->data[used] = 0;
}

void test_gzip(const void *p, size_t n, struct rc_buf *out)
{
    z_stream z;
    size_t cap = compressBound((uLong)n) + 64;
    memset(&z, 0, sizeof(z));
    rc_buf_init(out, cap + 1);
    out->data = malloc(cap + 1);
    assert_non_null(out->data);
    out->cap = cap + 1;
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)p;
    z.avail_in = (uInt)n;
    z.next_out = out->data;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    out->len = cap - z.avail_out;
    deflateEnd(&z);
}
