/* test_load_log.c - the bridge from the log to the leg-pain check: the
 * training context with its `why` sentences, the cap and the warnings in
 * the form triage takes (cli/load_log.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "cli/load_log.h"
#include "testlib.h"
#include "load_fixture.h"

#define D0 fix_day(2024, 1, 1) /* a Monday */

static void test_load_log__training_context_with_reasons(void **state)
{
    struct fix_log *fx = fix_log_new();
    struct cli_load_log log = { true, NULL, 0, NULL, 0 };
    struct cli_load_training tr;
    struct rc_err err = RC_ERR_INIT;
    struct load_run *last;
    (void)state;
    for (long w = 0; w < 4; w++) {
        fix_run(fx, D0 + 7 * w, 10);
        fix_run(fx, D0 + 7 * w + 2, 10);
        fix_run(fx, D0 + 7 * w + 5, 10);
    }
    last = fix_run(fx, D0 + 34, 16); /* 60% over 10 km, a hilly race */
    last->ascent_m = 400;
    last->is_race = true;
    log.runs = fx->runs;
    log.nruns = fx->n;
    assert_int_equal(cli_load_training_fill(&log, fix_rules(), D0 + 36, &tr,
                                            &err),
                     0);
    assert_true(tr.t.has_weekly_km && tr.t.weekly_km == 16.0);
    assert_string_equal(tr.t.weekly_km_why,
                        "your log: 16.0 km in the 7 days to 2024-02-06");
    assert_true(tr.t.has_spike);
    assert_true(fabs(tr.t.longest_run_spike_pct - 60.0) < 1e-9);
    assert_string_equal(tr.t.spike_why,
                        "your run on 2024-02-04 (16.0 km) was 60% longer "
                        "than your longest in the 30 days before (10.0 km "
                        "on 2024-01-27)");
    assert_true(tr.t.has_break && tr.t.break_weeks == 1.0);
    assert_string_equal(tr.t.break_why, "your log: 7 days without running "
                                        "before your run on 2024-02-04");
    assert_string_equal(tr.t.session[0], "long_run");
    assert_string_equal(tr.t.session[1], "downhill_or_trail");
    assert_string_equal(tr.t.session[2], "race");
    assert_null(tr.t.session[3]);
    assert_true(isfinite(tr.t.max_single_run_km));
    assert_true(json_is_array(tr.t.load_warnings));
    assert_ptr_equal(tr.t.load_warnings, tr.warnings);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(tr.warnings, 0),
                                          "id")),
        "single_run_spike");
    cli_load_training_release(&tr);
    free(fx);
}

static void test_load_log__no_runs_leaves_training_unknown(void **state)
{
    struct cli_load_log log = { false, NULL, 0, NULL, 0 };
    struct cli_load_training tr;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(cli_load_training_fill(&log, fix_rules(), D0, &tr, &err),
                     0);
    assert_false(tr.t.has_weekly_km || tr.t.has_spike || tr.t.has_break ||
                 tr.t.has_weekly_change);
    assert_true(isnan(tr.t.max_single_run_km));
    assert_null(tr.t.load_warnings);
    cli_load_training_release(&tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_log__training_context_with_reasons),
        cmocka_unit_test(test_load_log__no_runs_leaves_training_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
