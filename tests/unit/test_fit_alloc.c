/* test_fit_alloc.c - the FIT decoder when memory runs out: every
 * allocation it makes (its state, samples, sessions, laps, timer spans,
 * the activities it builds) fails in turn, through the activity model's
 * rc_realloc fault injector (base/alloc.h). Each failure must give -1 with RC_EENV and leave
 * nothing allocated (the sanitized run checks for leaks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/alloc.h"
#include "testlib.h"
#include "fitgen.h"
#include "fit/fit.h"

/* Decode p with allocation k failing, for k = 0, 1, ... until a decode
 * makes fewer allocations than k: that one must succeed. Returns how
 * many allocations a full decode made. */
static long fail_each(const unsigned char *p, size_t n, unsigned flags)
{
    for (long fail_at = 0;; fail_at++) {
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        long calls;
        int rc;
        rc_alloc_fail_after(fail_at);
        rc = fit_decode(p, n, flags, &f, &err);
        calls = rc_alloc_count();
        rc_alloc_fail_after(-1);
        if (calls <= fail_at) {
            if (rc != 0)
                fail_msg("no allocation failed, yet: %s", err.msg);
            activity_file_release(&f);
            return calls;
        }
        if (rc != -1 || err.status != RC_EENV)
            fail_msg("allocation %ld failed: rc %d, status %d (%s)", fail_at,
                     rc, err.status, err.msg);
        assert_non_null(strstr(err.msg, "out of memory"));
    }
}

static void test_fit_alloc__multisport_file(void **state)
{
    struct activity legs[3];
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    for (int i = 0; i < 3; i++)
        fitgen_run(&legs[i], 300, FITGEN_START + 1000.0 * i);
    rc_buf_init(&b, 1 << 22);
    assert_int_equal(fit_write_activities(legs, 3, NULL, &b, &err), 0);
    /* state, samples (grown twice), sessions, laps, spans, activities,
     * keys, owners, counts, three sample arrays, laps per activity */
    assert_true(fail_each(b.data, b.len, 0) >= 12);
    for (int i = 0; i < 3; i++)
        activity_release(&legs[i]);
    rc_buf_release(&b);
}

static void test_fit_alloc__salvaged_file_without_summary(void **state)
{
    struct activity a;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 700, FITGEN_START);
    fitgen_encode(&a, FIT_WRITE_NO_SUMMARY | FIT_WRITE_DEVELOPER |
                      FIT_WRITE_COMPRESSED_TIME, 0, &b);
    fitgen_truncate(&b, b.len - 20);
    assert_true(fail_each(b.data, b.len, ACTIVITY_SALVAGE) >= 4);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit_alloc__real_triathlon(void **state)
{
    char path[1024];
    struct rc_buf b;
    (void)state;
    TEST_SHARED_DATA_OR_SKIP(data);
    snprintf(path, sizeof(path), "%s/activities/fit/"
             "fit-parser__examples-triathlon_summary_last.fit", data);
    test_read_file(&b, path);
    assert_true(fail_each(b.data, b.len, 0) >= 10);
    rc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_alloc__multisport_file),
        cmocka_unit_test(test_fit_alloc__salvaged_file_without_summary),
        cmocka_unit_test(test_fit_alloc__real_triathlon),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
