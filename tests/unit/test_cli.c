/* test_cli.c - the pieces of the command line that are not output: the
 * command table, typo suggestions and format sniffing by content (the
 * database path is app/'s: test_app.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "cli/cli.h"
#include "decode/decode.h"

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

static void test_decode__sniffs_by_content(void **state)
{
    static const unsigned char fit[14] = { 14, 0x20, 0, 0, 0, 0, 0, 0,
                                           '.', 'F', 'I', 'T', 0, 0 };
    static const char gpx[] = "\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n"
                              "<!-- a comment -->\n<gpx version=\"1.1\">";
    static const char tcx[] = "          <?xml version=\"1.0\"?>"
                              "<TrainingCenterDatabase xmlns=\"x\">";
    static const char ns_gpx[] = "<g:gpx xmlns:g=\"x\"/>";
    static const char other[] = "<gpxdata/>";
    (void)state;
    assert_int_equal(decode_sniff(fit, sizeof(fit)), DECODE_FIT);
    assert_int_equal(decode_sniff((const unsigned char *)gpx, strlen(gpx)),
                     DECODE_GPX);
    assert_int_equal(decode_sniff((const unsigned char *)tcx, strlen(tcx)),
                     DECODE_TCX);
    assert_int_equal(decode_sniff((const unsigned char *)ns_gpx,
                                  strlen(ns_gpx)), DECODE_GPX);
    assert_int_equal(decode_sniff((const unsigned char *)other, strlen(other)),
                     DECODE_UNKNOWN);
    assert_int_equal(decode_sniff(fit, 5), DECODE_UNKNOWN);
    assert_string_equal(decode_format_name(DECODE_TCX), "tcx");
}

static void test_decode__empty_input_is_offset_0(void **state)
{
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_buffer((const unsigned char *)"", 0, 0, &f, &err),
                     -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(err.offset, 0);
    assert_string_equal(err.msg, "empty file");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli__every_command_has_usage_and_summary),
        cmocka_unit_test(test_cli__suggest_prefers_a_missing_letter),
        cmocka_unit_test(test_decode__sniffs_by_content),
        cmocka_unit_test(test_decode__empty_input_is_offset_0),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
