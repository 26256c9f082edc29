/* test_triage_kb.c - loading the knowledge base built into runcare when
 * memory runs out: any allocation that fails gives a clean error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/alloc.h"
#include "triage/triage.h"

static void *counted_malloc(size_t n) { return rc_malloc(n); }
static void counted_free(void *p) { rc_free(p); }

/* Jansson's, jparse's and the loader's allocations go through the fault
 * injector; failing any of them must give NULL, RC_EENV "out of memory"
 * and nothing leaked (ASan's leak check in `make check`). A load makes
 * about 18,000 allocations: the first 2,000 fail one by one, then one in
 * every 37 (a prime, so that the choice does not follow the kb's
 * structure), which keeps the test to a few seconds under ASan;
 * RUNCARE_TORTURE_ALL=1 fails every one (a minute or so). */
static void test_triage_kb__built_in_load_fails_each_allocation_cleanly(
    void **state)
{
    struct rc_err err = RC_ERR_INIT;
    struct kb *kb;
    long count, tried = 0;
    long stride = getenv("RUNCARE_TORTURE_ALL") ? 1 : 37;
    (void)state;
    json_set_alloc_funcs(counted_malloc, counted_free);
    rc_alloc_fail_after(-1);
    kb = kb_load_embedded(&err);
    count = rc_alloc_count();
    assert_non_null(kb);
    kb_free(kb);
    assert_true(count > 2000);
    for (long k = 0; k < count; k += k < 2000 ? 1 : stride) {
        struct rc_err e = RC_ERR_INIT;
        rc_alloc_fail_after(k);
        kb = kb_load_embedded(&e);
        rc_alloc_fail_after(-1);
        if (kb)
            fail_msg("allocation %ld of %ld failed but the load succeeded",
                     k, count);
        if (e.status != RC_EENV)
            fail_msg("allocation %ld: %s: line %ld: %s", k, e.file, e.line, e.msg);
        assert_int_equal(e.status, RC_EENV);
        assert_string_equal(e.msg, "out of memory");
        tried++;
    }
    json_set_alloc_funcs(malloc, free);
    print_message("# %ld of %ld allocations failed in turn\n", tried, count);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_triage_kb__built_in_load_fails_each_allocation_cleanly),
    };
    return cmocka_run_group_tests_name("triage_kb", tests, NULL, NULL);
}
