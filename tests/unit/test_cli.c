/* test_cli.c - the pieces of the command line that are not output: the
 * command table and typo suggestions (the database path is app/'s:
 * test_app.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "cli/cli.h"

static void test_cli__every_command_has_usage_and_summary(void **state)
{
    (void)state;
    for (size_t i = 0; cli_commands[i]; i++) {
        const struct cli_command *c = cli_commands[i];
        assert_non_null(c->run);
        assert_true(strlen(c->summary) > 10);
        assert_ptr_equal(cli_find(c->name), c);
    }
    assert_null(cli_find("lod"));
}

static void test_cli__suggest_prefers_a_missing_letter(void **state)
{
    (void)state;
    assert_string_equal(cli_suggest("lod")->name, "load");
    assert_string_equal(cli_suggest("lsit")->name, "list");
    assert_string_equal(cli_suggest("imprt")->name, "import");
    assert_string_equal(cli_suggest("chek")->name, "check");
    assert_null(cli_suggest("xyzzy"));
    assert_null(cli_suggest("a-very-long-name-that-is-nothing-like-any-of-them"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli__every_command_has_usage_and_summary),
        cmocka_unit_test(test_cli__suggest_prefers_a_missing_letter),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
