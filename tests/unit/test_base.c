/* test_base.c - the error value, the capped buffer, UTC calendar arithmetic
 * and the units runners type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/time.h"
#include "base/units.h"
#include "testlib.h"

static void test_err__formats_file_offset_message(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    char text[512];
    (void)state;
    assert_int_equal(rc_fail_at(&err, 1234, "bad record header 0x%02x", 0x50),
                     -1);
    rc_err_file(&err, "run.fit");
    assert_int_equal(err.status, RC_EINPUT);
    assert_string_equal(rc_err_format(&err, text, sizeof(text)),
                        "run.fit: offset 1234: bad record header 0x50");
}

static void test_err__formats_line_and_field(void **state)
{
    struct rc_err a = RC_ERR_INIT, b = RC_ERR_INIT, c = RC_ERR_INIT;
    char text[512];
    (void)state;
    rc_fail_line(&a, 14, 0, "unknown report field \"/pain/scor\"");
    rc_err_file(&a, "kb/conditions.jsonl");
    assert_string_equal(rc_err_format(&a, text, sizeof(text)),
                        "kb/conditions.jsonl: line 14: unknown report field "
                        "\"/pain/scor\"");
    rc_fail_field(&b, "pain.score", "12 is outside 0-10");
    assert_string_equal(rc_err_format(&b, text, sizeof(text)),
                        "field pain.score: 12 is outside 0-10");
    rc_fail_field(&c, "/screen/urine", "\"brown\" is not one of normal");
    rc_err_file(&c, "report.json");
    assert_string_equal(rc_err_format(&c, text, sizeof(text)),
                        "report.json: /screen/urine: \"brown\" is not one of "
                        "normal");
}

static void test_err__first_failure_wins(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    rc_fail_at(&err, 8, "missing \".FIT\" signature");
    rc_fail(&err, RC_EENV, "later failure");
    rc_err_file(&err, "a.fit");
    rc_err_file(&err, "b.fit");
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(err.offset, 8);
    assert_string_equal(err.msg, "missing \".FIT\" signature");
    assert_string_equal(err.file, "a.fit");
}

static void test_err__null_err_is_allowed(void **state)
{
    (void)state;
    assert_int_equal(rc_fail(NULL, RC_EINPUT, "x"), -1);
    assert_int_equal(rc_fail_at(NULL, 3, "x"), -1);
}

static void test_buf__cap_is_an_input_error(void **state)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    rc_buf_init(&b, 10);
    assert_int_equal(rc_buf_append(&b, "0123456789", 10, &err), 0);
    assert_int_equal(b.len, 10);
    assert_string_equal((char *)b.data, "0123456789");
    assert_int_equal(rc_buf_append(&b, "x", 1, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(b.len, 10); /* unchanged on failure */
    rc_buf_release(&b);
}

static void test_buf__appendf_grows_past_the_small_buffer(void **state)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    char big[1000];
    (void)state;
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    rc_buf_init(&b, 4096);
    assert_int_equal(rc_buf_appendf(&b, &err, "%s-%d", big, 42), 0);
    assert_int_equal(b.len, 1002);
    assert_string_equal((char *)b.data + 999, "-42");
    rc_buf_release(&b);
}

static void test_buf__read_file_over_cap_names_the_file(void **state)
{
    char dir[256], path[300];
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    test_tmpdir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/f.bin", dir);
    test_write_file(path, "0123456789abcdef", 16);
    rc_buf_init(&b, 15);
    assert_int_equal(rc_buf_read_file(&b, path, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_string_equal(err.file, path);
    assert_null(b.data);
    rc_buf_init(&b, 16);
    rc_err_clear(&err);
    assert_int_equal(rc_buf_read_file(&b, path, &err), 0);
    assert_int_equal(b.len, 16);
    rc_buf_release(&b);
    rc_err_clear(&err);
    assert_int_equal(rc_buf_read_file(&b, dir, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    test_tmpdir_remove(dir);
}

static void test_buf__missing_file_is_an_input_error(void **state)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    rc_buf_init(&b, 100);
    assert_int_equal(rc_buf_read_file(&b, "/nonexistent/x.fit", &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_non_null(strstr(err.msg, "cannot open"));
}

static void test_time__civil_round_trip(void **state)
{
    (void)state;
    assert_int_equal(rc_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(rc_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(rc_days_from_civil(1969, 12, 31), -1);
    for (long d = -800000; d < 800000; d += 997) {
        int y, m, dd;
        rc_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(rc_days_from_civil(y, m, dd), d);
    }
}

static void test_time__weekday_monday_is_zero(void **state)
{
    (void)state;
    assert_int_equal(rc_weekday(rc_days_from_civil(1970, 1, 1)), 3);
    assert_int_equal(rc_weekday(rc_days_from_civil(2026, 11, 23)), 0);
    assert_int_equal(rc_weekday(rc_days_from_civil(1969, 12, 28)), 6);
}

static void test_time__format_and_parse(void **state)
{
    char out[32];
    double t;
    int off;
    bool has;
    (void)state;
    /* FIT epoch is 1989-12-31T00:00:00Z */
    assert_string_equal(rc_time_format(RC_FIT_EPOCH_UNIX, out),
                        "1989-12-31T00:00:00Z");
    assert_int_equal(rc_time_parse("2019-02-17T06:26:44Z", &t, &off, &has), 0);
    assert_string_equal(rc_time_format(t, out), "2019-02-17T06:26:44Z");
    assert_true(has);
    assert_int_equal(off, 0);
    assert_int_equal(rc_time_parse("2019-02-17T07:26:44.250+01:00", &t, &off,
                                   &has), 0);
    assert_int_equal(off, 3600);
    assert_true(fabs(t - (1550384804.0 + 0.25)) < 1e-6);
    assert_int_equal(rc_time_parse("2019-02-17 06:26:44", &t, NULL, &has), 0);
    assert_false(has);
    assert_int_equal(rc_time_parse("  2019-02-17T06:26:44Z\n", &t, NULL, NULL),
                     0);
    assert_int_equal(rc_time_parse("2019-02-30T00:00:00Z", &t, NULL, NULL), -1);
    assert_int_equal(rc_time_parse("2019-02-17T24:00:00Z", &t, NULL, NULL), -1);
    assert_int_equal(rc_time_parse("2019-02-17T06:26:44Zjunk", &t, NULL, NULL),
                     -1);
    assert_int_equal(rc_time_parse("yesterday", &t, NULL, NULL), -1);
}

static void test_time__date_parse_rejects_bad_days(void **state)
{
    long d;
    (void)state;
    assert_int_equal(rc_date_parse("2024-02-29", &d), 0);
    assert_int_equal(rc_date_parse("2023-02-29", &d), -1);
    assert_int_equal(rc_date_parse("2024-13-01", &d), -1);
    assert_int_equal(rc_date_parse("2024-1-01", &d), -1);
}

static void test_time__day_of_negative_times(void **state)
{
    (void)state;
    assert_int_equal(rc_day_of(-1), -1);
    assert_int_equal(rc_day_of(0), 0);
    assert_int_equal(rc_day_of(86399.9), 0);
}

static void test_units__distances(void **state)
{
    double m;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(rc_parse_distance("8km", &m, &err), 0);
    assert_true(fabs(m - 8000) < 1e-9);
    assert_int_equal(rc_parse_distance("8.5 km", &m, &err), 0);
    assert_true(fabs(m - 8500) < 1e-9);
    assert_int_equal(rc_parse_distance("5mi", &m, &err), 0);
    assert_true(fabs(m - 5 * 1609.344) < 1e-9);
    assert_int_equal(rc_parse_distance("800m", &m, &err), 0);
    assert_true(fabs(m - 800) < 1e-9);
    assert_int_equal(rc_parse_distance("10", &m, &err), 0);
    assert_true(fabs(m - 10000) < 1e-9);
    assert_int_equal(rc_parse_distance("8 furlongs", &m, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    rc_err_clear(&err);
    assert_int_equal(rc_parse_distance("0km", &m, &err), -1);
    rc_err_clear(&err);
    assert_int_equal(rc_parse_distance("-3km", &m, &err), -1);
    rc_err_clear(&err);
    assert_int_equal(rc_parse_distance("1001km", &m, &err), -1);
}

static void test_units__durations(void **state)
{
    double s;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(rc_parse_duration("45:00", &s, &err), 0);
    assert_true(fabs(s - 2700) < 1e-9);
    assert_int_equal(rc_parse_duration("1:02:03", &s, &err), 0);
    assert_true(fabs(s - 3723) < 1e-9);
    assert_int_equal(rc_parse_duration("1h30m", &s, &err), 0);
    assert_true(fabs(s - 5400) < 1e-9);
    assert_int_equal(rc_parse_duration("90min", &s, &err), 0);
    assert_true(fabs(s - 5400) < 1e-9);
    assert_int_equal(rc_parse_duration("40", &s, &err), 0);
    assert_true(fabs(s - 2400) < 1e-9);
    assert_int_equal(rc_parse_duration("45:75", &s, &err), -1);
    rc_err_clear(&err);
    assert_int_equal(rc_parse_duration("soon", &s, &err), -1);
    rc_err_clear(&err);
    assert_int_equal(rc_parse_duration("1:2:3:4", &s, &err), -1);
}

static void test_units__formats(void **state)
{
    char d[24], p[16];
    (void)state;
    assert_string_equal(rc_format_duration(3723, d), "1:02:03");
    assert_string_equal(rc_format_duration(2700, d), "45:00");
    assert_string_equal(rc_format_pace(2700, 8000, p), "5:38");
    assert_string_equal(rc_format_pace(100, 0, p), "-");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err__formats_file_offset_message),
        cmocka_unit_test(test_err__formats_line_and_field),
        cmocka_unit_test(test_err__first_failure_wins),
        cmocka_unit_test(test_err__null_err_is_allowed),
        cmocka_unit_test(test_buf__cap_is_an_input_error),
        cmocka_unit_test(test_buf__appendf_grows_past_the_small_buffer),
        cmocka_unit_test(test_buf__read_file_over_cap_names_the_file),
        cmocka_unit_test(test_buf__missing_file_is_an_input_error),
        cmocka_unit_test(test_time__civil_round_trip),
        cmocka_unit_test(test_time__weekday_monday_is_zero),
        cmocka_unit_test(test_time__format_and_parse),
        cmocka_unit_test(test_time__date_parse_rejects_bad_days),
        cmocka_unit_test(test_time__day_of_negative_times),
        cmocka_unit_test(test_units__distances),
        cmocka_unit_test(test_units__durations),
        cmocka_unit_test(test_units__formats),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
