/* test_alloc.c - the fault injector of base/alloc.h that the torture tests
 * of the decoders rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/alloc.h"

static void test_alloc__fails_after_n_and_counts(void **state)
{
    void *a, *b, *c;
    (void)state;
    rc_alloc_fail_after(2);
    a = rc_malloc(16);
    b = rc_realloc(NULL, 16);
    c = rc_malloc(16);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_null(rc_realloc(a, 32)); /* a is still valid */
    assert_int_equal(rc_alloc_count(), 4);
    rc_alloc_fail_after(-1);
    a = rc_realloc(a, 32);
    assert_non_null(a);
    assert_int_equal(rc_alloc_count(), 1);
    rc_free(a);
    rc_free(b);
    rc_free(NULL);
}

static void test_alloc__zero_fails_the_first(void **state)
{
    (void)state;
    rc_alloc_fail_after(0);
    assert_null(rc_malloc(1));
    rc_alloc_fail_after(-1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc__fails_after_n_and_counts),
        cmocka_unit_test(test_alloc__zero_fails_the_first),
    };
    return cmocka_run_group_tests_name("alloc", tests, NULL, NULL);
}
