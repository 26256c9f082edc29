/* test_jschema.c - the "pattern" keyword of the schema validator: every
 * string that does not match is named with its pointer, whether the
 * pattern is one of the few kept compiled for a validation or one past
 * them, and across validations that share nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "json/jschema.h"

static json_t *load(const char *text)
{
    json_error_t je;
    json_t *v = json_loads(text, 0, &je);
    if (!v)
        fail_msg("bad test JSON: %s", je.text);
    return v;
}

static void test_jschema__pattern_names_each_string_that_does_not_match(
    void **state)
{
    json_t *schema = load("{\"type\":\"array\",\"items\":{\"type\":\"string\","
                          "\"pattern\":\"^[a-z_]+$\"}}");
    json_t *inst = load("[\"ok\",\"Bad\",\"fine_too\",\"x1\",\"\"]");
    struct jschema_errors errs = { .max = 0 };
    (void)state;
    jschema_errors_init(&errs);
    for (int round = 0; round < 2; round++) {
        errs.n = 0;
        assert_int_equal(jschema_validate(schema, inst, &errs), 3);
        assert_string_equal(errs.v[0].pointer, "/1");
        assert_string_equal(errs.v[0].msg, "\"Bad\" does not match ^[a-z_]+$");
        assert_string_equal(errs.v[1].pointer, "/3");
        assert_string_equal(errs.v[2].pointer, "/4");
    }
    jschema_errors_release(&errs);
    json_decref(schema);
    json_decref(inst);
}

/* Twelve properties, each with its own pattern "^a{N}$": more than a
 * validation keeps compiled, so the last ones are compiled per match. */
static void test_jschema__more_patterns_than_kept_compiled(void **state)
{
    json_t *schema = load("{\"type\":\"object\",\"properties\":{}}");
    json_t *props = json_object_get(schema, "properties");
    json_t *inst = json_object();
    struct jschema_errors errs = { .max = 0 };
    char name[24], pattern[32], value[16];
    (void)state;
    for (int i = 1; i <= 12; i++) {
        snprintf(name, sizeof(name), "p%02d", i);
        snprintf(pattern, sizeof(pattern), "^a{%d}$", i);
        json_object_set_new(props, name,
                            json_pack("{s:s,s:s}", "type", "string", "pattern",
                                      pattern));
        /* odd properties match, even ones have one "a" too many */
        memset(value, 'a', sizeof(value));
        value[i + (i % 2 == 0)] = '\0';
        json_object_set_new(inst, name, json_string(value));
    }
    jschema_errors_init(&errs);
    assert_int_equal(jschema_validate(schema, inst, &errs), 6);
    for (size_t k = 0; k < errs.n; k++) {
        snprintf(name, sizeof(name), "/p%02zu", 2 * (k + 1));
        assert_string_equal(errs.v[k].pointer, name);
    }
    assert_string_equal(errs.v[5].msg,
                        "\"aaaaaaaaaaaaa\" does not match ^a{12}$");
    jschema_errors_release(&errs);
    json_decref(schema);
    json_decref(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_jschema__pattern_names_each_string_that_does_not_match),
        cmocka_unit_test(test_jschema__more_patterns_than_kept_compiled),
    };
    return cmocka_run_group_tests_name("jschema", tests, NULL, NULL);
}
