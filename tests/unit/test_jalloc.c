/* test_jalloc.c - Jansson's arena (json/jalloc.h): values made inside an
 * arena outlive it and are freed one by one, from any thread, until every
 * chunk is back; what json_dumps returns is freed either way; large blocks
 * and blocks made outside an arena are malloc's; loading and freeing the
 * kb returns every chunk it took. Under AddressSanitizer there is no arena
 * (jalloc.h): the same calls must then work with no chunk at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include "base/base.h"
#include "json/jalloc.h"
#include "triage/triage.h"

#if defined(__SANITIZE_ADDRESS__)
#define ARENA 0 /* jalloc.h: no arena under AddressSanitizer */
#else
#define ARENA 1
#endif

static void test_jalloc__values_outlive_the_arena(void **state)
{
    long before = jalloc_chunks_live();
    json_t *o;
    char *s;
    (void)state;
    jalloc_arena_begin();
    o = json_pack("{s:[i,i,s],s:{s:f}}", "a", 1, 2, "three", "b", "c", 1.5);
    s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    jalloc_arena_end();
    assert_non_null(o);
    /* the values sit in a chunk, which they keep */
    assert_int_equal(jalloc_chunks_live(), before + ARENA);
    assert_string_equal(s, "{\"a\":[1,2,\"three\"],\"b\":{\"c\":1.5}}");
    jalloc_release(s);
    /* changed after the arena: the new values are malloc's */
    assert_int_equal(json_object_set_new(o, "d", json_string("four")), 0);
    assert_string_equal(json_string_value(json_object_get(o, "d")), "four");
    json_decref(o);
    assert_int_equal(jalloc_chunks_live(), before);
}

static void test_jalloc__outside_an_arena_dumps_free_with_free(void **state)
{
    json_t *o = json_pack("[i,s]", 7, "x");
    char *s = json_dumps(o, JSON_COMPACT);
    (void)state;
    assert_string_equal(s, "[7,\"x\"]");
    free(s); /* what Jansson's documentation says to do */
    json_decref(o);
}

static void test_jalloc__large_and_many_blocks(void **state)
{
    long before = jalloc_chunks_live();
    size_t big_n = 100000;
    char *big = malloc(big_n + 1);
    json_t *a;
    (void)state;
    assert_non_null(big);
    memset(big, 'x', big_n);
    big[big_n] = '\0';
    jalloc_arena_begin();
    a = json_array();
    for (int i = 0; i < 20000; i++) /* several chunks */
        assert_int_equal(json_array_append_new(a, json_integer(i)), 0);
    assert_int_equal(json_array_append_new(a, json_string(big)), 0);
    jalloc_arena_end();
    assert_int_equal(json_array_size(a), 20001);
    assert_int_equal(json_integer_value(json_array_get(a, 19999)), 19999);
    assert_int_equal(json_string_length(json_array_get(a, 20000)), big_n);
    json_decref(a);
    assert_int_equal(jalloc_chunks_live(), before);
    free(big);
}

static void *drop(void *v)
{
    json_decref(v);
    return NULL;
}

static void test_jalloc__freed_from_another_thread(void **state)
{
    long before = jalloc_chunks_live();
    json_t *vals[4];
    pthread_t t[4];
    (void)state;
    jalloc_arena_begin();
    for (int i = 0; i < 4; i++) {
        vals[i] = json_array();
        for (int k = 0; k < 3000; k++)
            json_array_append_new(vals[i], json_sprintf("v%d", k));
    }
    jalloc_arena_end();
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, drop, vals[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(jalloc_chunks_live(), before);
}

static void test_jalloc__the_kb_gives_back_every_chunk(void **state)
{
    long before = jalloc_chunks_live();
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    for (int i = 0; i < 3; i++) { /* the second load reuses the chunks */
        struct kb *kb = kb_load_embedded(&err);
        assert_non_null(kb);
        assert_true(kb_count_questions(kb) > 10);
        kb_free(kb);
        assert_int_equal(jalloc_chunks_live(), before);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jalloc__values_outlive_the_arena),
        cmocka_unit_test(test_jalloc__outside_an_arena_dumps_free_with_free),
        cmocka_unit_test(test_jalloc__large_and_many_blocks),
        cmocka_unit_test(test_jalloc__freed_from_another_thread),
        cmocka_unit_test(test_jalloc__the_kb_gives_back_every_chunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
