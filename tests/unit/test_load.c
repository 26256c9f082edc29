/* test_load.c - the load guard's computation: local days, weekly totals,
 * fitness/fatigue against a direct sum, monotony and strain by hand, each
 * warning on both sides of its threshold, the next-run cap and its rules,
 * the training context for the leg-pain check, and allocation failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/time.h"
#include "load/load.h"
#include "load/load_int.h"
#include "testlib.h"
#include "load_fixture.h"

/* A Monday, so that day D0 + 7k is a Monday too. */
#define D0 fix_day(2024, 1, 1)

/* Four steady weeks of 30 km (10 km on Monday, Wednesday and Saturday)
 * from D0, then a fifth week of three runs of km each. */
static struct fix_log *steady_then(double km)
{
    struct fix_log *log = fix_log_new();
    for (long w = 0; w < 4; w++) {
        fix_run(log, D0 + 7 * w, 10);
        fix_run(log, D0 + 7 * w + 2, 10);
        fix_run(log, D0 + 7 * w + 5, 10);
    }
    fix_run(log, D0 + 28, km);
    fix_run(log, D0 + 30, km);
    fix_run(log, D0 + 33, km);
    return log;
}

/* ---- days, weeks, series ---- */

static void test_load__run_late_evening_counts_on_its_local_day(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    long sunday = fix_day(2024, 3, 10); /* the next day is a Monday */
    struct load_run *run;
    (void)state;
    fix_run(log, sunday - 7, 5);
    /* 23:30 at UTC-5 on Sunday is 04:30 UTC on Monday */
    run = fix_run(log, sunday, 8);
    run->start_s = (double)(sunday + 1) * 86400.0 + 4.5 * 3600.0;
    run->utc_offset_s = -5 * 3600;
    fix_report(log, sunday + 1, 2, &r);
    assert_int_equal(r.ndays, 9);
    assert_true(r.days[sunday - r.first_day].km == 8.0);
    assert_true(r.days[sunday + 1 - r.first_day].km == 0.0);
    /* and in the calendar week that ends on that Sunday */
    assert_int_equal(r.weeks[0].start_day, sunday - 6);
    assert_true(r.weeks[0].km == 8.0);
    assert_true(r.weeks[1].km == 0.0);
    assert_true(r.weeks[1].partial);
    load_report_release(&r);
    free(log);
}

static void test_load__weeks_start_on_monday(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    fix_run(log, D0 + 6, 4);  /* Sunday */
    fix_run(log, D0 + 7, 6);  /* Monday */
    fix_report(log, D0 + 13, 2, &r);
    assert_int_equal(rc_weekday(r.weeks[0].start_day), 0);
    assert_int_equal(r.weeks[0].start_day, D0);
    assert_true(r.weeks[0].km == 4.0);
    assert_true(r.weeks[1].km == 6.0);
    assert_true(fabs(r.weeks[1].change_pct - 50.0) < 1e-9);
    assert_false(r.weeks[1].partial);
    load_report_release(&r);
    free(log);
}

static void test_load__missing_week_is_zero_and_next_week_a_jump(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    const struct load_warning *w;
    (void)state;
    for (long wk = 0; wk < 5; wk++) {
        if (wk == 3)
            continue; /* the missing week */
        fix_run(log, D0 + 7 * wk, 10);
        fix_run(log, D0 + 7 * wk + 2, 10);
        fix_run(log, D0 + 7 * wk + 5, 10);
    }
    fix_report(log, D0 + 34, 5, &r);
    assert_true(r.weeks[3].km == 0.0);
    assert_int_equal(r.weeks[3].runs, 0);
    assert_true(fabs(r.weeks[3].change_pct - -100.0) < 1e-9);
    assert_true(isnan(r.weeks[4].change_pct)); /* nothing to compare with */
    /* back to 30 km against the mean week of the two before (15 km) */
    assert_true(r.weeks[4].jump);
    assert_int_equal(fix_count(&r, LOAD_W_WEEKLY_VOLUME_JUMP), 1);
    w = fix_find(&r, LOAD_W_WEEKLY_VOLUME_JUMP);
    assert_true(fabs(w->value_pct - 100.0) < 1e-9);
    assert_non_null(strstr(w->text, "average week of the 14 days before"));
    assert_int_equal(fix_count(&r, LOAD_W_RETURN_AFTER_BREAK), 0);
    load_report_release(&r);
    free(log);
}

static void test_load__session_rpe_and_trimp_only_where_known(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    struct load_opts o;
    struct rc_err err = RC_ERR_INIT;
    struct load_run *a, *b;
    double x = 90.0 / 130.0;
    (void)state;
    a = fix_run(log, D0, 10); /* 60 min */
    a->rpe = 5;
    b = fix_run(log, D0 + 1, 10);
    b->avg_hr_bpm = 150;
    fix_run(log, D0 + 2, 10); /* neither: still counts in km and time */
    load_opts_init(&o, D0 + 2, 1);
    o.hr_rest_bpm = 60;
    o.hr_max_bpm = 190;
    assert_int_equal(load_report_build(log->runs, log->n, NULL, 0,
                                       fix_rules(), &o, &r, &err),
                     0);
    assert_true(r.days[0].srpe == 300.0);
    assert_true(isnan(r.days[0].trimp));
    assert_true(isnan(r.days[1].srpe));
    /* Banister: minutes x HRr x 0.64 e^(1.92 HRr), HRr = (150-60)/(190-60) */
    assert_true(fabs(r.days[1].trimp - 60 * x * 0.64 * exp(1.92 * x)) < 1e-9);
    assert_true(r.days[2].km == 10.0 && r.days[2].time_s == 3600.0);
    assert_true(isnan(r.days[2].srpe) && isnan(r.days[2].trimp));
    assert_true(r.weeks[0].km == 30.0);
    assert_true(r.weeks[0].srpe == 300.0);
    load_report_release(&r);
    free(log);
}

static void test_load__only_runs_up_to_as_of_count(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    fix_run(log, D0, 5);
    fix_run(log, D0 + 1, 50)->is_run = false; /* a bike ride */
    fix_run(log, D0 + 3, 7);                  /* after as_of */
    fix_run(log, D0 + 2, 6)->start_s = NAN;   /* cannot be placed */
    fix_report(log, D0 + 2, 1, &r);
    assert_int_equal(r.nruns, 1);
    assert_true(r.last7_km == 5.0);
    load_report_release(&r);
    free(log);
}

static void test_load__order_of_input_does_not_matter(void **state)
{
    struct fix_log *a = steady_then(14), *b = fix_log_new();
    struct load_report ra, rb;
    (void)state;
    for (size_t i = a->n; i-- > 0;)
        b->runs[b->n++] = a->runs[i];
    fix_report(a, D0 + 34, 5, &ra);
    fix_report(b, D0 + 34, 5, &rb);
    assert_int_equal(ra.nwarnings, rb.nwarnings);
    for (size_t i = 0; i < ra.nwarnings; i++) {
        assert_int_equal(ra.warnings[i].id, rb.warnings[i].id);
        assert_int_equal(ra.warnings[i].run_id, rb.warnings[i].run_id);
    }
    assert_true(ra.cap.km == rb.cap.km);
    load_report_release(&ra);
    load_report_release(&rb);
    free(a);
    free(b);
}

/* Fitness and fatigue recomputed as the direct sum of the weights,
 * F(d) = sum over runs k on or before d of a (1-a)^(d - day_k) km_k,
 * not with the recursion the module uses. */
static double direct_ewma(const struct fix_log *log, long d, double tau)
{
    double a = 1.0 - exp(-1.0 / tau), sum = 0;
    for (size_t i = 0; i < log->n; i++) {
        long k = rc_day_of(log->runs[i].start_s);
        if (k <= d)
            sum += a * pow(1.0 - a, (double)(d - k)) *
                   log->runs[i].distance_m / 1000.0;
    }
    return sum;
}

static void test_load__fitness_fatigue_match_direct_sum(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    long as_of = D0 + 150;
    uint32_t seed = 12345;
    (void)state;
    for (long d = D0; d <= as_of; d++) {
        seed = seed * 1103515245u + 12345u;
        if ((seed >> 16) % 3 == 0)
            continue; /* a rest day */
        fix_run(log, d, 3.0 + (double)((seed >> 8) % 180) / 10.0);
    }
    fix_report(log, as_of, 4, &r);
    for (long d = D0; d <= as_of; d++) {
        assert_true(fabs(r.fitness[d - r.first_day] -
                         direct_ewma(log, d, 42.0)) < 1e-9);
        assert_true(fabs(r.fatigue[d - r.first_day] -
                         direct_ewma(log, d, 7.0)) < 1e-9);
    }
    assert_true(fabs(r.fitness_km - direct_ewma(log, as_of, 42)) < 1e-9);
    assert_true(fabs(r.fatigue_km - direct_ewma(log, as_of, 7)) < 1e-9);
    /* form: yesterday's fitness minus yesterday's fatigue */
    assert_true(fabs(r.form_km - (direct_ewma(log, as_of - 1, 42) -
                                  direct_ewma(log, as_of - 1, 7))) < 1e-9);
    assert_true(fabs(r.ramp_km - (direct_ewma(log, as_of, 42) -
                                  direct_ewma(log, as_of - 7, 42))) < 1e-9);
    load_report_release(&r);
    free(log);
}

static void test_load__monotony_and_strain_by_hand(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    /* last 7 days: 10, 0, 5, 0, 10, 0, 15 km */
    fix_run(log, D0, 10);
    fix_run(log, D0 + 2, 5);
    fix_run(log, D0 + 4, 10);
    fix_run(log, D0 + 6, 15);
    fix_report(log, D0 + 6, 1, &r);
    /* by hand: mean 40/7, population variance 450/7 - (40/7)^2 = 1550/49,
     * so SD sqrt(1550)/7 and monotony 40/sqrt(1550) = 1.016001; strain
     * = 40 km x monotony = 40.640041 */
    assert_true(fabs(r.monotony - 1.016001016) < 1e-8);
    assert_true(fabs(r.strain - 40.64004064) < 1e-7);
    load_report_release(&r);
    free(log);
}

static void test_load__monotony_of_identical_days_is_capped(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    for (long d = 0; d < 7; d++)
        fix_run(log, D0 + d, 5);
    fix_report(log, D0 + 6, 1, &r);
    assert_true(r.monotony == 10.0);
    assert_true(r.strain == 350.0);
    load_report_release(&r);
    /* and a week without running has no monotony */
    fix_report(log, D0 + 20, 1, &r);
    assert_true(isnan(r.monotony));
    assert_true(r.strain == 0.0);
    load_report_release(&r);
    free(log);
}

static void test_load__ratios_uncoupled_and_coupled(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    /* 21 days of 5 km, then 7 days of 10 km */
    for (long d = 0; d < 28; d++)
        fix_run(log, D0 + d, d < 21 ? 5 : 10);
    fix_report(log, D0 + 27, 4, &r);
    /* uncoupled: 70 / (105 / 3) = 2; coupled: 70 / (175 / 4) = 1.6 */
    assert_true(fabs(r.acwr_uncoupled - 2.0) < 1e-12);
    assert_true(fabs(r.acwr_coupled - 1.6) < 1e-12);
    assert_true(r.last7_km == 70.0 && r.prev7_km == 35.0);
    assert_true(fabs(r.weekly_change_pct - 100.0) < 1e-9);
    load_report_release(&r);
    /* a log shorter than 28 days has no ratio */
    fix_report(log, D0 + 26, 4, &r);
    assert_true(isnan(r.acwr_uncoupled) && isnan(r.acwr_coupled));
    load_report_release(&r);
    free(log);
}

/* ---- each warning on both sides of its threshold ---- */

static void spike_case(double km, size_t expected, double hr)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    const struct load_warning *w;
    for (long d = 0; d < 28; d += 2)
        fix_run(log, D0 + d, d == 0 ? 10 : 8); /* longest: 10 km, 30 days */
    fix_run(log, D0 + 30, km);
    fix_report(log, D0 + 30, 5, &r);
    assert_int_equal(fix_count(&r, LOAD_W_SINGLE_RUN_SPIKE), expected);
    if (expected) {
        w = fix_find(&r, LOAD_W_SINGLE_RUN_SPIKE);
        assert_int_equal(w->day, D0 + 30);
        assert_int_equal(w->run_id, (int64_t)log->n);
        assert_true(fabs(w->value_pct - (km / 10.0 - 1) * 100.0) < 1e-9);
        assert_true(w->threshold_pct == 10.0);
        assert_true(w->hazard_ratio == hr);
        assert_string_equal(w->src.ids[0], "frandsen2025");
        assert_non_null(strstr(w->text, "2024-01-31"));
        assert_non_null(strstr(w->text, "2024-01-01")); /* the 10 km run */
    }
    load_report_release(&r);
    free(log);
}

static void test_load__spike_of_9_9_pct_is_no_warning(void **state)
{
    (void)state;
    spike_case(10.99, 0, 0);
}

static void test_load__spike_of_exactly_10_pct_is_no_warning(void **state)
{
    (void)state;
    spike_case(11.0, 0, 0);
}

static void test_load__spike_of_10_1_pct_warns_hr_1_64(void **state)
{
    (void)state;
    spike_case(11.01, 1, 1.64);
}

static void test_load__spike_bands_give_their_hazard_ratios(void **state)
{
    (void)state;
    spike_case(13.0, 1, 1.64);  /* 30%: still the first band */
    spike_case(13.01, 1, 1.52); /* 30.1% */
    spike_case(20.0, 1, 1.52);  /* 100% */
    spike_case(20.01, 1, 2.28); /* 100.1% */
}

static void test_load__spike_reference_is_the_previous_30_days(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    fix_run(log, D0, 20);          /* 31 days before: out of the window */
    for (long d = 2; d < 31; d += 3)
        fix_run(log, D0 + d, 10);
    fix_run(log, D0 + 31, 12);     /* 20% over the 10 km runs */
    fix_report(log, D0 + 31, 5, &r);
    assert_int_equal(fix_count(&r, LOAD_W_SINGLE_RUN_SPIKE), 1);
    assert_true(fabs(r.runs[r.nruns - 1].spike_pct - 20.0) < 1e-9);
    load_report_release(&r);
    free(log);
}

static void weekly_case(double km, size_t expected)
{
    struct fix_log *log = steady_then(km);
    struct load_report r;
    fix_report(log, D0 + 34, 5, &r);
    assert_int_equal(fix_count(&r, LOAD_W_WEEKLY_VOLUME_JUMP), expected);
    assert_int_equal(r.weeks[4].jump, expected == 1);
    if (expected) {
        const struct load_warning *w =
            fix_find(&r, LOAD_W_WEEKLY_VOLUME_JUMP);
        assert_true(fabs(w->value_pct - (3 * km / 30.0 - 1) * 100) < 1e-9);
        assert_true(w->threshold_pct == 30.0);
        assert_int_equal(w->day, D0 + 33);
        assert_string_equal(w->src.ids[0], "nielsen2014");
        assert_non_null(strstr(w->text, "the 7 days before (30.0 km)"));
        assert_non_null(strstr(w->text, "1.59"));
    }
    load_report_release(&r);
    free(log);
}

static void test_load__week_up_29_pct_is_no_jump(void **state)
{
    (void)state;
    weekly_case(12.9, 0);
}

static void test_load__week_up_31_pct_is_a_jump(void **state)
{
    (void)state;
    weekly_case(13.1, 1);
}

static void break_case(long days_off, double km, size_t expected)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    long last = D0 + 20, back = last + days_off + 1;
    for (long d = 0; d <= 20; d += 4)
        fix_run(log, D0 + d, d == 12 ? 16 : 10);
    fix_run(log, back, km);
    fix_report(log, back, 8, &r);
    assert_int_equal(fix_count(&r, LOAD_W_RETURN_AFTER_BREAK), expected);
    if (expected) {
        const struct load_warning *w =
            fix_find(&r, LOAD_W_RETURN_AFTER_BREAK);
        assert_int_equal(w->day, back);
        assert_true(fabs(w->value_pct - km / 16.0 * 100.0) < 1e-9);
        assert_true(w->threshold_pct == 50.0);
        assert_non_null(strstr(w->text, "After 14 days without running"));
    }
    load_report_release(&r);
    free(log);
}

static void test_load__13_days_off_is_no_break(void **state)
{
    (void)state;
    break_case(13, 12, 0);
}

static void test_load__14_days_off_then_more_than_half_warns(void **state)
{
    (void)state;
    break_case(14, 12, 1);
}

static void test_load__14_days_off_then_half_is_fine(void **state)
{
    (void)state;
    break_case(14, 8, 0);
}

static void test_load__break_resets_the_spike_reference(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    fix_run(log, D0, 16);
    fix_run(log, D0 + 15, 4); /* 14 days off: back with a quarter */
    fix_run(log, D0 + 17, 6); /* 50% over the only run since the break */
    fix_report(log, D0 + 17, 4, &r);
    assert_int_equal(fix_count(&r, LOAD_W_RETURN_AFTER_BREAK), 0);
    assert_int_equal(fix_count(&r, LOAD_W_SINGLE_RUN_SPIKE), 1);
    assert_true(isnan(r.runs[1].spike_pct)); /* the return itself */
    assert_true(fabs(r.runs[2].spike_pct - 50.0) < 1e-9);
    load_report_release(&r);
    free(log);
}

static void acwr_case(double ratio, size_t expected)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    /* 35 km a week for five weeks, then 7 days that total ratio x 35 */
    for (long d = 0; d < 35; d++)
        fix_run(log, D0 + d, 5);
    for (long d = 35; d < 42; d++)
        fix_run(log, D0 + d, 35.0 * ratio / 7.0);
    fix_report(log, D0 + 41, 6, &r);
    assert_int_equal(fix_count(&r, LOAD_W_ACWR_HIGH), expected);
    if (expected) {
        const struct load_warning *w = fix_find(&r, LOAD_W_ACWR_HIGH);
        assert_int_equal(w->day, D0 + 41);
        assert_true(fabs(w->value_pct - ratio * 100) < 1e-6);
        assert_true(w->threshold_pct == 150.0);
        assert_int_equal(w->src.n, 4);
        assert_non_null(strstr(w->text, "Context only"));
        assert_non_null(strstr(w->text, "disputed"));
    }
    load_report_release(&r);
    free(log);
}

static void test_load__acwr_1_49_is_no_warning(void **state)
{
    (void)state;
    acwr_case(1.49, 0);
}

static void test_load__acwr_1_51_warns_as_context(void **state)
{
    (void)state;
    acwr_case(1.51, 1);
}

static void novice_case(double second_km, enum load_novice novice,
                        size_t expected)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    struct load_opts o;
    struct rc_err err = RC_ERR_INIT;
    fix_run(log, D0, 3);
    fix_run(log, D0 + 3, second_km);
    fix_run(log, D0 + 8, 3); /* the second week */
    load_opts_init(&o, D0 + 8, 2);
    o.new_to_running = novice;
    assert_int_equal(load_report_build(log->runs, log->n, NULL, 0,
                                       fix_rules(), &o, &r, &err),
                     0);
    assert_int_equal(fix_count(&r, LOAD_W_NOVICE_FAST_START), expected);
    if (expected) {
        const struct load_warning *w =
            fix_find(&r, LOAD_W_NOVICE_FAST_START);
        assert_int_equal(w->day, D0 + 3);
        assert_true(fabs(w->value_pct - (3 + second_km) / 6 * 100) < 1e-9);
        assert_string_equal(w->src.ids[0], "nielsen_obese");
    }
    load_report_release(&r);
    free(log);
}

static void test_load__novice_first_week_5_9_km_is_fine(void **state)
{
    (void)state;
    novice_case(2.9, LOAD_NOVICE_YES, 0);
}

static void test_load__novice_first_week_6_1_km_warns(void **state)
{
    (void)state;
    novice_case(3.1, LOAD_NOVICE_YES, 1);
}

static void test_load__novice_not_checked_unless_new(void **state)
{
    (void)state;
    novice_case(3.1, LOAD_NOVICE_UNKNOWN, 0);
    novice_case(3.1, LOAD_NOVICE_NO, 0);
}

static void test_load__warnings_before_the_window_are_left_out(void **state)
{
    struct fix_log *log = steady_then(14);
    struct load_report r;
    (void)state;
    fix_report(log, D0 + 34, 5, &r);
    assert_true(r.nwarnings > 0);
    load_report_release(&r);
    fix_report(log, D0 + 34 + 70, 5, &r); /* ten weeks later */
    assert_int_equal(r.nwarnings, 0);
    load_report_release(&r);
    free(log);
}

/* ---- the next-run cap ---- */

static void test_load__cap_is_1_1_of_longest_run_of_30_days(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    fix_run(log, D0, 20); /* 30 days before the day after as_of: out */
    for (long w = 0; w < 5; w++) {
        fix_run(log, D0 + 1 + 7 * w, 8);
        fix_run(log, D0 + 3 + 7 * w, w == 2 ? 12 : 8);
        fix_run(log, D0 + 5 + 7 * w, 8);
    }
    fix_report(log, D0 + 30, 5, &r);
    assert_int_equal(r.cap.rule, LOAD_CAP_SPIKE);
    assert_true(fabs(r.cap.km - 13.2) < 1e-9);
    assert_true(r.longest_run_30d_km == 12.0);
    assert_non_null(strstr(r.cap.reason, "1.1 x your longest run"));
    assert_non_null(strstr(r.cap.reason, "12.0 km on 2024-01-18"));
    assert_non_null(strstr(r.cap.reason, "[frandsen2025]"));
    /* never the 10% rule as evidence; the caveat says why */
    assert_null(strstr(r.cap.reason, "10%"));
    assert_non_null(strstr(r.caveat, "\"10% per week\" rule"));
    assert_string_equal(r.caveat_src.ids[0], "buist2008");
    assert_string_equal(r.caveat_src.ids[1], "fredette2022");
    load_report_release(&r);
    free(log);
}

static void test_load__cap_keeps_the_week_under_the_jump(void **state)
{
    struct fix_log *log = steady_then(10);
    struct load_report r;
    (void)state;
    /* as of the fifth Tuesday, for a run on Wednesday D0+30: 20 km in
     * D0+24..D0+29, 30 km in the 7 days before: 39 - 20 = 19 km allowed,
     * more than 1.1 x 10 km */
    fix_report(log, D0 + 29, 5, &r);
    assert_int_equal(r.cap.rule, LOAD_CAP_SPIKE);
    assert_true(fabs(r.cap.weekly_km - 19.0) < 1e-9);
    assert_true(fabs(r.cap.spike_km - 11.0) < 1e-9);
    assert_true(fabs(r.cap.km - 11.0) < 1e-9);
    load_report_release(&r);
    /* as of the fifth Saturday, for Sunday: 30 km in D0+28..D0+33 */
    fix_report(log, D0 + 33, 5, &r);
    assert_int_equal(r.cap.rule, LOAD_CAP_WEEKLY);
    assert_true(fabs(r.cap.km - 9.0) < 1e-9);
    assert_non_null(strstr(r.cap.reason, "within 30% of"));
    assert_non_null(strstr(r.cap.reason, "[nielsen2014]"));
    load_report_release(&r);
    free(log);
}

static void test_load__cap_never_below_20_minutes_walk_run(void **state)
{
    struct fix_log *log = steady_then(10);
    struct load_report r;
    (void)state;
    fix_run(log, D0 + 31, 8.5); /* leaves 0.5 km of the weekly allowance */
    fix_report(log, D0 + 33, 5, &r);
    assert_int_equal(r.cap.rule, LOAD_CAP_FLOOR);
    /* 20 min of 1 min run / 1 min walk: the runs are 10 km/h, walking
     * 5 km/h, so (10 + 5) / 2 x 20/60 = 2.5 km */
    assert_true(fabs(r.cap.floor_km - 2.5) < 1e-9);
    assert_true(fabs(r.cap.km - 2.5) < 1e-9);
    assert_non_null(strstr(r.cap.reason, "never less than 20 minutes"));
    assert_non_null(strstr(r.cap.reason, "1 min run / 1 min walk"));
    assert_non_null(strstr(r.cap.reason, "0.5 km")); /* and the rule */
    load_report_release(&r);
    free(log);
}

static void test_load__cap_after_a_break_is_half_the_longest(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    fix_run(log, D0, 10);
    fix_run(log, D0 + 5, 16);
    fix_run(log, D0 + 10, 10);
    /* 13 days without: not yet a break; 1.1 x 16 = 17.6 km, but the 7
     * days must stay within 30% of the mean week of D0+4..D0+17 (13 km) */
    fix_report(log, D0 + 10 + 13, 5, &r);
    assert_int_equal(r.cap.rule, LOAD_CAP_WEEKLY);
    assert_true(fabs(r.cap.spike_km - 17.6) < 1e-9);
    assert_true(fabs(r.cap.km - 16.9) < 1e-9);
    load_report_release(&r);
    fix_report(log, D0 + 10 + 14, 5, &r); /* 14 days: a break */
    assert_int_equal(r.cap.rule, LOAD_CAP_BREAK);
    assert_true(fabs(r.cap.km - 8.0) < 1e-9);
    assert_non_null(strstr(r.cap.reason, "14 days without running"));
    load_report_release(&r);
    /* back after 19 days with 4 km: the 16 km run is still within 30 days,
     * but the reference is the runs since the break */
    fix_run(log, D0 + 30, 4);
    fix_report(log, D0 + 30, 5, &r);
    assert_int_equal(r.cap.rule, LOAD_CAP_SPIKE);
    assert_true(r.cap.ref_km == 4.0);
    assert_true(fabs(r.cap.km - 4.4) < 1e-9);
    load_report_release(&r);
    free(log);
}

/* The 7 days ahead (issue 13: the cap looks ahead). */
static void test_load__week_ahead_steady_log(void **state)
{
    struct fix_log *log = steady_then(10);
    struct load_report r;
    json_t *j, *w;
    (void)state;
    /* 30 km a week for 5 weeks: the next 7 days within 30% of the last
     * 7 (30 km), any one run within 1.1 x 10 km */
    fix_report(log, D0 + 34, 5, &r);
    assert_int_equal(r.cap.week_from, D0 + 35);
    assert_int_equal(r.cap.week_to, D0 + 41);
    assert_true(fabs(r.cap.week_km - 39.0) < 1e-9);
    assert_true(fabs(r.cap.longest_km - 11.0) < 1e-9);
    assert_non_null(strstr(r.cap.week_text, "From 2024-02-05 to 2024-02-11"));
    assert_non_null(strstr(r.cap.week_text, "at most 39.0 km (30% over"));
    assert_non_null(strstr(r.cap.week_text, "[frandsen2025, nielsen2014]"));
    assert_null(strstr(r.cap.week_text, "jump"));
    j = load_report_json(&r);
    w = json_object_get(j, "next_7_days");
    assert_string_equal(json_string_value(json_object_get(w, "from")),
                        "2024-02-05");
    assert_true(json_real_value(json_object_get(w, "week_km")) == 39.0);
    assert_true(json_real_value(json_object_get(w, "longest_run_km")) == 11.0);
    assert_true(json_real_value(json_object_get(w, "today_km")) == r.cap.km);
    json_decref(j);
    load_report_release(&r);
    free(log);
}

static void test_load__week_ahead_does_not_build_on_a_jump(void **state)
{
    struct fix_log *log = steady_then(14);
    struct load_report r;
    (void)state;
    /* 42 km after 30 km weeks: 30% over 42 would allow 54.6 km; the
     * next 7 days stay within what the last 7 were allowed, 39 km */
    fix_report(log, D0 + 34, 5, &r);
    assert_true(fabs(r.cap.week_km - 39.0) < 1e-9);
    assert_non_null(strstr(r.cap.week_text, "already a jump"));
    /* three 14 km runs: the last one was no spike, 1.1 x 14 is allowed */
    assert_true(fabs(r.cap.longest_km - 15.4) < 1e-9);
    assert_null(strstr(r.cap.week_text, "single-run spike"));
    load_report_release(&r);
    free(log);
}

static void test_load__week_ahead_does_not_build_on_a_spike(void **state)
{
    struct fix_log *log = steady_then(10);
    struct load_report r;
    (void)state;
    fix_run(log, D0 + 34, 16); /* 60% over the longest of 30 days */
    fix_report(log, D0 + 34, 5, &r);
    /* 1.1 x 16 would be 17.6: held at 1.1 x the 10 km before the spike */
    assert_true(fabs(r.cap.longest_km - 11.0) < 1e-9);
    assert_non_null(strstr(r.cap.week_text, "16.0 km run was itself a "
                                            "single-run spike"));
    load_report_release(&r);
    free(log);
}

static void test_load__week_ahead_without_a_base(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    (void)state;
    fix_run(log, D0, 5);
    fix_report(log, D0 + 1, 2, &r);
    assert_true(isnan(r.cap.week_km));
    assert_true(fabs(r.cap.longest_km - 5.5) < 1e-9);
    assert_non_null(strstr(r.cap.week_text, "too short for a weekly limit"));
    load_report_release(&r);
    free(log);
}

static void test_load__no_runs_no_cap(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    json_t *j;
    (void)state;
    fix_report(log, D0, 12, &r);
    assert_int_equal(r.nruns, 0);
    assert_int_equal(r.cap.rule, LOAD_CAP_NONE);
    assert_true(isnan(r.cap.km));
    assert_int_equal(r.nweeks, 12);
    j = load_report_json(&r);
    assert_true(json_is_null(json_object_get(j, "next_run_cap_km")));
    assert_string_equal(json_string_value(json_object_get(j, "as_of")),
                        "2024-01-01");
    json_decref(j);
    load_report_release(&r);
    free(log);
}

/* ---- shoes, JSON ---- */

static void test_load__shoes_past_their_limit(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_shoe shoes[3] = {
        { 1, "Pegasus", 812, 800, false },
        { 2, "Trail", 120, 700, false },
        { 3, "Old", 900, 700, true },
    };
    struct load_report r;
    struct load_opts o;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    fix_run(log, D0, 5);
    load_opts_init(&o, D0, 1);
    assert_int_equal(load_report_build(log->runs, log->n, shoes, 3,
                                       fix_rules(), &o, &r, &err),
                     0);
    assert_int_equal(r.nshoes, 2); /* retired shoes are not listed */
    assert_true(r.shoes[0].past_limit);
    assert_false(r.shoes[1].past_limit);
    load_report_release(&r);
    free(log);
}

static void test_load__json_has_exactly_the_issue_keys(void **state)
{
    static const char *const keys[] = {
        "as_of", "next_run_cap_km", "next_run_cap_reason",
        "longest_run_30d_km", "last7_km", "prev7_km", "weekly_change_pct",
        "acwr_uncoupled", "acwr_coupled", "fitness", "fatigue", "form",
        "monotony", "strain", "weeks", "warnings", "shoes", "next_7_days",
    };
    struct fix_log *log = steady_then(14);
    struct load_report r;
    json_t *j, *w;
    (void)state;
    fix_report(log, D0 + 34, 5, &r);
    j = load_report_json(&r);
    assert_int_equal(json_object_size(j), RC_ARRAY_SIZE(keys));
    for (size_t i = 0; i < RC_ARRAY_SIZE(keys); i++)
        assert_non_null(json_object_get(j, keys[i]));
    assert_int_equal(json_array_size(json_object_get(j, "weeks")), 5);
    w = json_array_get(json_object_get(j, "warnings"), 0);
    assert_int_equal(json_object_size(w), 6);
    assert_string_equal(json_string_value(json_object_get(w, "id")),
                        "single_run_spike");
    assert_string_equal(json_string_value(json_object_get(w, "run_date")),
                        "2024-01-29");
    assert_true(json_real_value(json_object_get(w, "value_pct")) == 40.0);
    assert_true(json_real_value(json_object_get(w, "threshold_pct")) == 10.0);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(w, "source_ids"), 0)),
        "frandsen2025");
    json_decref(j);
    load_report_release(&r);
    free(log);
}

/* ---- the training context ---- */

static void test_load__facts_for_a_leg_pain_check(void **state)
{
    const struct load_rules *R = fix_rules();
    struct fix_log *log = steady_then(10);
    struct load_report r;
    struct load_run *last;
    char why[200];
    double v;
    json_t *j;
    (void)state;
    last = fix_run(log, D0 + 34, 16); /* a long hilly race, 60% spike */
    last->ascent_m = 400;
    last->is_race = true;
    fix_report(log, D0 + 36, load_context_weeks(R), &r);
    assert_true(load_fact(&r, R, LOAD_FACT_WEEKLY_KM, &v, why, sizeof(why)));
    assert_true(v == 36.0); /* D0+30..D0+36 */
    assert_string_equal(why, "your runs in the 7 days to 2024-02-06");
    assert_true(load_fact(&r, R, LOAD_FACT_WEEKLY_CHANGE, &v, why,
                          sizeof(why)));
    assert_true(fabs(v - 20.0) < 1e-9);
    assert_string_equal(why, "36.0 km in the 7 days to 2024-02-06 against "
                             "30.0 km in the 7 days before");
    assert_true(load_fact(&r, R, LOAD_FACT_SPIKE, &v, why, sizeof(why)));
    assert_true(fabs(v - 60.0) < 1e-9);
    assert_string_equal(why, "16.0 km on 2024-02-04 against 10.0 km on "
                             "2024-02-03");
    assert_true(load_fact(&r, R, LOAD_FACT_BREAK_WEEKS, &v, why, sizeof(why)));
    assert_true(v == 0.0);
    assert_string_equal(why, "your run on 2024-02-04, the first since "
                             "2024-02-03");
    assert_int_equal(load_last_session(&r, log->runs, R),
                     LOAD_SESSION_LONG_RUN | LOAD_SESSION_HILLS |
                         LOAD_SESSION_RACE);
    /* 1.1 x 16 = 17.6, but D0+31..D0+36 hold 26 km of the 39 allowed */
    assert_true(fabs(r.cap.km - 13.0) < 1e-9);
    /* the spike, the weekly jump (46 km against 30) and the ratio
     * (46 km against a mean week of 30: 1.53) */
    j = load_recent_warnings_json(&r, R);
    assert_int_equal(json_array_size(j), 3);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(j, 0), "id")),
        "single_run_spike");
    json_decref(j);
    load_report_release(&r);
    free(log);
}

/* A run shorter than the reference and one day off: the sentences name
 * the runs, whatever the direction or the length of the break. */
static void test_load__facts_of_a_shorter_run_after_one_day_off(void **state)
{
    const struct load_rules *R = fix_rules();
    struct fix_log *log = fix_log_new();
    struct load_report r;
    char why[200];
    double v;
    (void)state;
    fix_run(log, D0, 10);
    fix_run(log, D0 + 2, 6);
    fix_report(log, D0 + 2, load_context_weeks(R), &r);
    assert_true(load_fact(&r, R, LOAD_FACT_SPIKE, &v, why, sizeof(why)));
    assert_true(fabs(v + 40.0) < 1e-9);
    assert_string_equal(why, "6.0 km on 2024-01-03 against 10.0 km on "
                             "2024-01-01");
    assert_true(load_fact(&r, R, LOAD_FACT_BREAK_WEEKS, &v, why, sizeof(why)));
    assert_string_equal(why, "your run on 2024-01-03, the first since "
                             "2024-01-01");
    load_report_release(&r);
    free(log);
}

static void test_load__facts_after_a_break_and_without_runs(void **state)
{
    const struct load_rules *R = fix_rules();
    struct fix_log *log = fix_log_new();
    struct load_report r;
    char why[200] = "x";
    double v = 7;
    (void)state;
    fix_report(log, D0, load_context_weeks(R), &r);
    for (int f = 0; f < LOAD_FACT_COUNT; f++)
        assert_false(load_fact(&r, R, (enum load_fact)f, &v, why,
                               sizeof(why)));
    assert_string_equal(why, "");
    assert_true(v == 7); /* untouched */
    assert_int_equal(load_last_session(&r, log->runs, R), 0);
    load_report_release(&r);
    fix_run(log, D0, 10);
    fix_run(log, D0 + 22, 3); /* 21 days off */
    fix_report(log, D0 + 22, load_context_weeks(R), &r);
    assert_true(load_fact(&r, R, LOAD_FACT_BREAK_WEEKS, &v, why, sizeof(why)));
    assert_true(v == 3.0);
    /* the reference reset */
    assert_false(load_fact(&r, R, LOAD_FACT_SPIKE, &v, why, sizeof(why)));
    assert_int_equal(load_last_session(&r, log->runs, R), 0);
    load_report_release(&r);
    free(log);
}

static void test_load__facts_keep_30_days_of_warnings(void **state)
{
    const struct load_rules *R = fix_rules();
    struct fix_log *log = steady_then(14);
    struct load_report r;
    json_t *j, *w;
    size_t i;
    (void)state;
    fix_report(log, D0 + 33 + 29, load_context_weeks(R), &r);
    j = load_recent_warnings_json(&r, R);
    assert_true(json_array_size(j) > 0);
    json_array_foreach(j, i, w) {
        long day;
        assert_int_equal(rc_date_parse(json_string_value(json_object_get(
                                           w, "run_date")),
                                       &day),
                         0);
        assert_true(day >= D0 + 33);
    }
    json_decref(j);
    load_report_release(&r);
    fix_report(log, D0 + 33 + 60, load_context_weeks(R), &r);
    j = load_recent_warnings_json(&r, R);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    load_report_release(&r);
    free(log);
}

/* ---- failures ---- */

static void test_load__bad_options_are_input_errors(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    struct load_opts o;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    load_opts_init(&o, D0, 0);
    assert_int_equal(load_report_build(log->runs, 0, NULL, 0, fix_rules(),
                                       &o, &r, &err),
                     -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_string_equal(err.msg, "0 weeks is outside 1-520");
    free(log);
}

static void test_load__each_allocation_failure_is_clean(void **state)
{
    struct fix_log *log = steady_then(14);
    struct load_shoe shoe = { 1, "Pegasus", 812, 800, false };
    struct load_opts o;
    long n;
    (void)state;
    load_opts_init(&o, D0 + 34, 5);
    for (n = 1; n < 100; n++) {
        struct load_report r;
        struct rc_err err = RC_ERR_INIT;
        int rc;
        load_alloc_fail_at(n);
        rc = load_report_build(log->runs, log->n, &shoe, 1, fix_rules(), &o,
                               &r, &err);
        load_alloc_fail_at(0);
        if (rc == 0) {
            assert_true(r.nwarnings > 0);
            load_report_release(&r);
            break;
        }
        assert_int_equal(err.status, RC_EENV);
        assert_non_null(strstr(err.msg, "out of memory"));
    }
    assert_true(n > 5 && n < 100); /* every allocation was failed once */
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load__run_late_evening_counts_on_its_local_day),
        cmocka_unit_test(test_load__weeks_start_on_monday),
        cmocka_unit_test(test_load__missing_week_is_zero_and_next_week_a_jump),
        cmocka_unit_test(test_load__session_rpe_and_trimp_only_where_known),
        cmocka_unit_test(test_load__only_runs_up_to_as_of_count),
        cmocka_unit_test(test_load__order_of_input_does_not_matter),
        cmocka_unit_test(test_load__fitness_fatigue_match_direct_sum),
        cmocka_unit_test(test_load__monotony_and_strain_by_hand),
        cmocka_unit_test(test_load__monotony_of_identical_days_is_capped),
        cmocka_unit_test(test_load__ratios_uncoupled_and_coupled),
        cmocka_unit_test(test_load__spike_of_9_9_pct_is_no_warning),
        cmocka_unit_test(test_load__spike_of_exactly_10_pct_is_no_warning),
        cmocka_unit_test(test_load__spike_of_10_1_pct_warns_hr_1_64),
        cmocka_unit_test(test_load__spike_bands_give_their_hazard_ratios),
        cmocka_unit_test(test_load__spike_reference_is_the_previous_30_days),
        cmocka_unit_test(test_load__week_up_29_pct_is_no_jump),
        cmocka_unit_test(test_load__week_up_31_pct_is_a_jump),
        cmocka_unit_test(test_load__13_days_off_is_no_break),
        cmocka_unit_test(test_load__14_days_off_then_more_than_half_warns),
        cmocka_unit_test(test_load__14_days_off_then_half_is_fine),
        cmocka_unit_test(test_load__break_resets_the_spike_reference),
        cmocka_unit_test(test_load__acwr_1_49_is_no_warning),
        cmocka_unit_test(test_load__acwr_1_51_warns_as_context),
        cmocka_unit_test(test_load__novice_first_week_5_9_km_is_fine),
        cmocka_unit_test(test_load__novice_first_week_6_1_km_warns),
        cmocka_unit_test(test_load__novice_not_checked_unless_new),
        cmocka_unit_test(test_load__warnings_before_the_window_are_left_out),
        cmocka_unit_test(test_load__cap_is_1_1_of_longest_run_of_30_days),
        cmocka_unit_test(test_load__cap_keeps_the_week_under_the_jump),
        cmocka_unit_test(test_load__cap_never_below_20_minutes_walk_run),
        cmocka_unit_test(test_load__cap_after_a_break_is_half_the_longest),
        cmocka_unit_test(test_load__week_ahead_steady_log),
        cmocka_unit_test(test_load__week_ahead_does_not_build_on_a_jump),
        cmocka_unit_test(test_load__week_ahead_does_not_build_on_a_spike),
        cmocka_unit_test(test_load__week_ahead_without_a_base),
        cmocka_unit_test(test_load__no_runs_no_cap),
        cmocka_unit_test(test_load__shoes_past_their_limit),
        cmocka_unit_test(test_load__json_has_exactly_the_issue_keys),
        cmocka_unit_test(test_load__facts_for_a_leg_pain_check),
        cmocka_unit_test(test_load__facts_of_a_shorter_run_after_one_day_off),
        cmocka_unit_test(test_load__facts_after_a_break_and_without_runs),
        cmocka_unit_test(test_load__facts_keep_30_days_of_warnings),
        cmocka_unit_test(test_load__bad_options_are_input_errors),
        cmocka_unit_test(test_load__each_allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
