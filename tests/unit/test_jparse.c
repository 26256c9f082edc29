/* test_jparse.c - jparse, the parser of the built-in knowledge base, against
 * Jansson: the same values for every embedded record, the same verdict on
 * a table of valid and broken texts, its two limits on both sides, no read
 * past the bytes given, and a clean failure at every allocation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "testlib.h"
#include "base/alloc.h"
#include "base/embedded.h"
#include "json/jparse.h"

/* jparse and Jansson on text[0..n): 1 both accept the same value, 0 both
 * refuse, -1 they disagree. */
static int verdict(const char *text, size_t n)
{
    struct jparse_error pe;
    json_error_t je;
    json_t *mine = jparse_load(text, n, &pe);
    json_t *theirs = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    int v = mine && theirs ? (jparse_same(mine, theirs) ? 1 : -1)
                           : (!mine && !theirs ? 0 : -1);
    if (v < 0)
        fprintf(stderr, "# disagree on %.*s: jparse %s, jansson %s\n",
                (int)n, text, mine ? "accepts" : pe.msg,
                theirs ? "accepts" : je.text);
    json_decref(mine);
    json_decref(theirs);
    return v;
}

static void test_jparse__agrees_with_jansson(void **state)
{
    static const char *const good[] = {
        "[]", "{}", " \t\r\n[ ]\n ", "[true,false,null]",
        "[0,-0,1,-1,0.5,-1.5e3,1E+2,2e-2,1e-400]",
        "[9223372036854775807,-9223372036854775808]",
        "[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"]",
        "[\"\\u00e9\\u20AC\\ud83d\\ude00\\u0041\"]",
        "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"]",
        "{\"a\":{\"b\":[1,{\"c\":\"d\"}]},\"e\":\"\"}",
        "{\"z\":1,\"a\":2,\"m\":3}",
        "{\"\\u0061\":1,\"b\":2}",
    };
    static const char *const bad[] = {
        "", " ", "1", "\"a\"", "true", "{", "[", "[1", "[1,]", "{\"a\":1,}",
        "{\"a\" 1}", "{\"a\":}", "{a:1}", "[01]", "[1.]", "[.5]", "[-]",
        "[1e]", "[1e+]", "[+1]", "[0x10]", "[Infinity]", "[NaN]", "['a']",
        "[tru]", "[nul]", "[falsey]", "[1]x", "[1] [2]", "{\"a\":1,\"a\":2}",
        "{\"a\":{\"b\":1,\"b\":1}}", "[\"\\x\"]", "[\"\\u12\"]",
        "[\"\\u12G4\"]", "[\"\\u0000\"]", "[\"\\ud800\"]", "[\"\\ud800x\"]",
        "[\"\\ud800\\u0041\"]", "[\"\\udc00\"]", "[\"a\nb\"]", "[\"a\tb\"]",
        "[\"\x7f\x80\"]", "[\"\xc0\x80\"]", "[\"\xc1\xbf\"]",
        "[\"\xe0\x80\x80\"]", "[\"\xed\xa0\x80\"]", "[\"\xf0\x80\x80\x80\"]",
        "[\"\xf4\x90\x80\x80\"]", "[\"\xf5\x80\x80\x80\"]", "[\"\xe2\x82\"]",
        "[\"\xe2\x82", "[\"abc", "[\"\\", "[\"\\u00", "[\xc3\xa9]",
        "[9223372036854775808]", "[-9223372036854775809]", "[1e400]",
        "[-1e400]", "/* */[]", "[1,,2]", "{,}", "{\"a\":1 \"b\":2}",
    };
    (void)state;
    for (size_t i = 0; i < RC_ARRAY_SIZE(good); i++)
        assert_int_equal(verdict(good[i], strlen(good[i])), 1);
    for (size_t i = 0; i < RC_ARRAY_SIZE(bad); i++)
        assert_int_equal(verdict(bad[i], strlen(bad[i])), 0);
    /* a NUL byte inside the bytes given, in a string and outside */
    assert_int_equal(verdict("[\"a\0b\"]", 7), 0);
    assert_int_equal(verdict("[1,\0]", 5), 0);
}

/* Jansson skips a NUL byte after a number or a literal ("[5\0]" is [5]
 * to it, found by fuzz_jparse); jparse refuses it, at the NUL. */
static void test_jparse__refuses_a_nul_byte_jansson_skips(void **state)
{
    struct jparse_error pe;
    json_error_t je;
    json_t *v = json_loadb("[\"\",5\0]", 7, 0, &je);
    (void)state;
    assert_non_null(v); /* if Jansson stops skipping it, this test goes */
    json_decref(v);
    assert_null(jparse_load("[\"\",5\0]", 7, &pe));
    assert_int_equal(pe.offset, 5);
    assert_null(jparse_load("[true\0]", 7, &pe));
    assert_int_equal(pe.offset, 5);
}

/* Every embedded kb record (a line of a .jsonl, a whole .json) gives the
 * value Jansson gives: the kb built into runcare is read by jparse, the
 * kb of `--kb DIR` by Jansson, and both must mean the same. */
static void test_jparse__builds_what_jansson_builds_for_every_kb_record(
    void **state)
{
    size_t records = 0;
    (void)state;
    for (const struct rc_embedded *e = rc_embedded_files; e->path; e++) {
        const char *p = (const char *)e->data, *end = p + e->size;
        size_t len = strlen(e->path);
        if (strncmp(e->path, "kb/", 3))
            continue;
        if (len > 5 && !strcmp(e->path + len - 5, ".json")) {
            assert_int_equal(verdict(p, e->size), 1);
            records++;
            continue;
        }
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (n && p[0] != '#') {
                assert_int_equal(verdict(p, n), 1);
                records++;
            }
            p += n + 1;
        }
    }
    assert_true(records > 200);
}

static void test_jparse__names_the_offset_of_a_duplicate_key(void **state)
{
    struct jparse_error pe;
    (void)state;
    assert_null(jparse_load("{\"id\":1, \"id\":2}", 16, &pe));
    assert_int_equal(pe.offset, 9);
    assert_string_equal(pe.msg, "duplicate object key \"id\"");
    assert_false(pe.oom);
    assert_null(jparse_load("[1, 2 3]", 8, &pe));
    assert_int_equal(pe.offset, 6);
    assert_string_equal(pe.msg, "',' or ']' expected, not '3'");
}

/* n arrays in each other: "[[...]]" */
static char *nested(int n)
{
    char *s = malloc((size_t)n * 2 + 1);
    assert_non_null(s);
    memset(s, '[', (size_t)n);
    memset(s + n, ']', (size_t)n);
    s[2 * n] = '\0';
    return s;
}

static void test_jparse__nesting_limit_on_both_sides(void **state)
{
    struct jparse_error pe;
    char *s = nested(JPARSE_DEPTH_MAX);
    json_t *v = jparse_load(s, strlen(s), &pe);
    (void)state;
    assert_non_null(v);
    json_decref(v);
    free(s);
    s = nested(JPARSE_DEPTH_MAX + 1);
    assert_null(jparse_load(s, strlen(s), &pe));
    assert_int_equal(pe.offset, JPARSE_DEPTH_MAX);
    assert_non_null(strstr(pe.msg, "nesting deeper than"));
    free(s);
}

static void test_jparse__number_length_limit_on_both_sides(void **state)
{
    struct jparse_error pe;
    char s[JPARSE_NUMBER_MAX + 8];
    json_t *v;
    (void)state;
    s[0] = '[';
    memset(s + 1, '1', JPARSE_NUMBER_MAX - 2);
    memcpy(s + JPARSE_NUMBER_MAX - 1, ".5]", 4); /* 64 characters */
    v = jparse_load(s, strlen(s), &pe);
    assert_non_null(v);
    assert_true(json_is_real(json_array_get(v, 0)));
    json_decref(v);
    memcpy(s + JPARSE_NUMBER_MAX - 1, "1.5]", 5); /* 65 */
    assert_null(jparse_load(s, strlen(s), &pe));
    assert_int_equal(pe.offset, 1);
    assert_non_null(strstr(pe.msg, "number longer than"));
}

/* Each prefix of a text is copied into a buffer of exactly its size (no
 * NUL after it), so ASan stops any read past the end. */
static void test_jparse__every_prefix_fails_without_reading_past_it(
    void **state)
{
    static const char text[] =
        "{\"a\":[1,-2.5e3,true,false,null],\"b\":\"x\\u00e9\\ud83d\\ude00"
        "\\n\xc3\xa9\",\"c\":{\"d\":{}}}";
    size_t n = sizeof(text) - 1;
    (void)state;
    for (size_t k = 0; k <= n; k++) {
        struct jparse_error pe;
        char *copy = malloc(k ? k : 1);
        json_t *v;
        assert_non_null(copy);
        memcpy(copy, text, k);
        v = jparse_load(copy, k, &pe);
        if (k < n) {
            assert_null(v);
            assert_true(pe.offset <= k);
        } else {
            assert_non_null(v);
        }
        json_decref(v);
        free(copy);
    }
}

/* Jansson's allocations and jparse's own go through the fault injector;
 * every one of them fails in turn: NULL, "out of memory", nothing leaked
 * (ASan's leak check in `make check`). */
static void test_jparse__fails_each_allocation_cleanly(void **state)
{
    char text[1024];
    struct jparse_error pe;
    const struct rc_embedded *kb = rc_embedded_find("kb/red_flags.jsonl");
    const char *nl;
    json_t *v;
    long count;
    int n;
    (void)state;
    const char *rec;
    assert_non_null(kb);
    /* the first record: the file opens with '#' comment lines */
    rec = (const char *)kb->data;
    while (*rec == '#')
        rec = (const char *)memchr(rec, '\n', kb->size) + 1;
    nl = memchr(rec, '\n', kb->size - (size_t)(rec - (const char *)kb->data));
    assert_non_null(nl);
    /* a kb record, then a string with an escape longer than the stack
     * buffer, so that its heap copy can fail too */
    n = snprintf(text, sizeof(text), "[%.*s,\"%0300d\\n\"]",
                 (int)(nl - rec), rec, 0);
    assert_true(n > 0 && (size_t)n < sizeof(text));
    test_counted_jansson(true);
    rc_alloc_fail_after(-1);
    v = jparse_load(text, (size_t)n, &pe);
    count = rc_alloc_count();
    assert_non_null(v);
    json_decref(v);
    assert_true(count > 20);
    for (long k = 0; k < count; k++) {
        rc_alloc_fail_after(k);
        v = jparse_load(text, (size_t)n, &pe);
        rc_alloc_fail_after(-1);
        assert_null(v);
        assert_true(pe.oom);
        assert_string_equal(pe.msg, "out of memory");
    }
    test_counted_jansson(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jparse__agrees_with_jansson),
        cmocka_unit_test(test_jparse__refuses_a_nul_byte_jansson_skips),
        cmocka_unit_test(
            test_jparse__builds_what_jansson_builds_for_every_kb_record),
        cmocka_unit_test(test_jparse__names_the_offset_of_a_duplicate_key),
        cmocka_unit_test(test_jparse__nesting_limit_on_both_sides),
        cmocka_unit_test(test_jparse__number_length_limit_on_both_sides),
        cmocka_unit_test(
            test_jparse__every_prefix_fails_without_reading_past_it),
        cmocka_unit_test(test_jparse__fails_each_allocation_cleanly),
    };
    return cmocka_run_group_tests_name("jparse", tests, NULL, NULL);
}
