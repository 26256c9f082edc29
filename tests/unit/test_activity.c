/* test_activity.c - the activity model: missing values, caps, totals
 * computed from samples, great-circle distance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "activity/activity.h"

static void test_activity__init_marks_everything_missing(void **state)
{
    struct activity a;
    struct activity_sample *s;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    activity_init(&a);
    assert_true(isnan(a.distance_m));
    assert_true(isnan(a.avg_hr_bpm));
    assert_string_equal(a.sport, "generic");
    s = activity_add_sample(&a, &err);
    assert_non_null(s);
    assert_true(isnan(s->hr_bpm));
    assert_true(isnan(s->lat_deg));
    activity_release(&a);
    assert_int_equal(a.nsamples, 0);
    assert_null(a.samples);
}

static void test_activity__geo_distance_one_degree_of_latitude(void **state)
{
    double d;
    (void)state;
    /* one degree of a great circle on the 6371.0088 km sphere */
    d = activity_geo_distance_m(0, 0, 1, 0);
    assert_true(fabs(d - 111195.08) < 0.5);
    d = activity_geo_distance_m(51.5, -0.12, 51.5, -0.12);
    assert_true(d == 0);
}

/* A 10-minute run at 1 Hz and 3 m/s heading north, climbing 0.1 m/s for
 * 5 minutes then descending, with a 60-second pause in the middle. */
static void make_run(struct activity *a, bool with_speed)
{
    struct rc_err err = RC_ERR_INIT;
    double t0 = 1550384804.0, lat = 45.0;
    activity_init(a);
    for (int i = 0; i <= 600; i++) {
        struct activity_sample *s = activity_add_sample(a, &err);
        double t = t0 + i + (i > 300 ? 60 : 0);
        assert_non_null(s);
        s->time_s = t;
        s->lat_deg = lat + (3.0 * i) / 111195.08;
        s->lon_deg = 7.0;
        s->alt_m = (float)(i <= 300 ? 100 + 0.1 * i : 130 - 0.1 * (i - 300));
        s->hr_bpm = (float)(i % 2 ? 150 : 160);
        if (with_speed)
            s->speed_mps = 3.0f;
    }
}

static void test_activity__totals_from_samples(void **state)
{
    struct activity a;
    (void)state;
    make_run(&a, true);
    activity_fill_totals(&a);
    assert_true(fabs(a.start_s - 1550384804.0) < 1e-6);
    assert_true(fabs(a.elapsed_s - 660) < 1e-6);
    /* 600 steps, one of them the 61 s pause: 599 s of timer and moving */
    assert_true(fabs(a.timer_s - 599) < 1e-6);
    assert_true(fabs(a.moving_s - 599) < 1e-6);
    assert_true(fabs(a.distance_m - 1800) < 2.0);
    assert_true(fabs(a.ascent_m - 30) < 1.0);
    assert_true(fabs(a.descent_m - 30) < 1.0);
    assert_true(fabs(a.avg_hr_bpm - 155) < 0.1);
    assert_true(fabs(a.max_hr_bpm - 160) < 1e-6);
    assert_true(a.computed & ACTIVITY_C_DISTANCE);
    assert_true(a.computed & ACTIVITY_C_MOVING);
    assert_true(a.computed & ACTIVITY_C_HR);
    assert_true(fabs(a.samples[600].dist_m - 1800) < 2.0);
    activity_release(&a);
}

static void test_activity__moving_from_distance_without_speed(void **state)
{
    struct activity a;
    (void)state;
    make_run(&a, false);
    activity_fill_totals(&a);
    assert_true(fabs(a.moving_s - 599) < 1e-6);
    activity_release(&a);
}

/* Samples each second whose distance moves only every step_s seconds (a
 * GPS that repeats its fix), at 3 m/s, with a standstill of stop_s in the
 * middle. */
static void make_repeated_fix(struct activity *a, int step_s, int stop_s)
{
    struct rc_err err = RC_ERR_INIT;
    double d = 0;
    activity_init(a);
    for (int i = 0; i <= 600 + stop_s; i++) {
        struct activity_sample *p = activity_add_sample(a, &err);
        bool stopped = i >= 300 && i < 300 + stop_s;
        assert_non_null(p);
        p->time_s = 1.7e9 + i;
        if (!stopped && i % step_s == 0 && i > 0)
            d += 3.0 * step_s;
        p->dist_m = (float)d;
    }
}

static void test_activity__a_repeated_fix_is_still_moving(void **state)
{
    struct activity a;
    (void)state;
    make_repeated_fix(&a, 3, 0);
    activity_fill_totals(&a);
    /* every second moving, not one in three */
    assert_true(fabs(a.moving_s - 600) < 1e-6);
    activity_release(&a);
}

static void test_activity__no_distance_for_the_stop_window_is_a_stop(
    void **state)
{
    struct activity a;
    (void)state;
    make_repeated_fix(&a, 3, 60);
    activity_fill_totals(&a);
    assert_true(fabs(a.elapsed_s - 660) < 1e-6);
    /* the 60 s standstill is not moving (give or take the seconds of the
     * window before the stop is seen) */
    assert_true(a.moving_s >= 600 - ACTIVITY_STOP_S &&
                a.moving_s <= 600 + ACTIVITY_STOP_S);
    activity_release(&a);
}

static void test_activity__file_totals_are_never_changed(void **state)
{
    struct activity a;
    (void)state;
    make_run(&a, true);
    a.distance_m = 2000;
    a.avg_hr_bpm = 140;
    activity_fill_totals(&a);
    assert_true(a.distance_m == 2000);
    assert_true(a.avg_hr_bpm == 140);
    assert_false(a.computed & ACTIVITY_C_DISTANCE);
    activity_release(&a);
}

static void test_activity__speed_and_distance_in_separate_samples(void **state)
{
    struct activity a;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    /* an app that writes distance and speed as two records of one second,
     * 10 minutes at 3 m/s */
    activity_init(&a);
    for (int i = 0; i <= 600; i++) {
        struct activity_sample *d = activity_add_sample(&a, &err);
        struct activity_sample *v;
        d->time_s = 1e9 + i;
        d->dist_m = (float)(3.0 * i);
        v = activity_add_sample(&a, &err);
        v->time_s = 1e9 + i;
        v->speed_mps = 3.0f;
    }
    activity_fill_totals(&a);
    assert_true(fabs(a.moving_s - 600) < 1e-6);
    assert_true(fabs(a.timer_s - 600) < 1e-6);
    activity_release(&a);
    /* the same with distance only, on every other second's record */
    activity_init(&a);
    for (int i = 0; i <= 600; i++) {
        struct activity_sample *s = activity_add_sample(&a, &err);
        s->time_s = 1e9 + i;
        if (i % 2 == 0)
            s->dist_m = (float)(3.0 * i);
    }
    activity_fill_totals(&a);
    assert_true(fabs(a.moving_s - 600) < 1e-6);
    activity_release(&a);
}

static void test_activity__moving_never_exceeds_the_files_totals(void **state)
{
    struct activity a;
    (void)state;
    make_run(&a, true);
    a.elapsed_s = 200; /* the file says the leg ended early */
    a.timer_s = 180;
    activity_fill_totals(&a);
    assert_true(a.moving_s <= 180);
    assert_true(a.computed & ACTIVITY_C_MOVING);
    activity_release(&a);
}

static void test_activity__elevation_noise_is_not_climbing(void **state)
{
    struct activity a;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    activity_init(&a);
    for (int i = 0; i < 1000; i++) {
        struct activity_sample *s = activity_add_sample(&a, &err);
        s->time_s = 1e9 + i;
        /* +-2 m of jitter around 200 m: under the 3 m threshold */
        s->alt_m = (float)(200 + (i % 2 ? 1.9 : -0.9));
    }
    activity_fill_totals(&a);
    assert_true(a.ascent_m == 0);
    assert_true(a.descent_m == 0);
    assert_true(isnan(a.moving_s)); /* no speed or position: unknown */
    activity_release(&a);
}

static void test_activity__file_warnings_are_capped(void **state)
{
    struct activity_file f;
    (void)state;
    activity_file_init(&f);
    for (int i = 0; i < 20; i++)
        activity_file_warn(&f, "repair %d", i);
    assert_int_equal(f.nwarnings, ACTIVITY_FILE_MAX_WARNINGS);
    assert_string_equal(f.warnings[0], "repair 0");
    assert_string_equal(f.warnings[ACTIVITY_FILE_MAX_WARNINGS - 1],
                        "more repairs than shown");
    activity_file_release(&f);
}

static void test_activity__file_release_frees_activities(void **state)
{
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    activity_file_init(&f);
    for (int i = 0; i < 3; i++) {
        struct activity *a = activity_file_add(&f, &err);
        assert_non_null(a);
        assert_non_null(activity_add_sample(a, &err));
        assert_non_null(activity_add_lap(a, &err));
    }
    assert_int_equal(f.nacts, 3);
    activity_file_release(&f);
    assert_int_equal(f.nacts, 0);
}

/* Points along a meridian at these offsets (metres north of 45 N). */
static void make_track(struct activity *a, const double *north_m, size_t n)
{
    struct rc_err err = RC_ERR_INIT;
    activity_init(a);
    for (size_t i = 0; i < n; i++) {
        struct activity_sample *s = activity_add_sample(a, &err);
        assert_non_null(s);
        s->time_s = 1550384804.0 + (double)i;
        s->lat_deg = 45.0 + north_m[i] / 111195.08;
        s->lon_deg = 7.0;
    }
}

static void test_activity__position_noise_under_threshold_is_held_back(
    void **state)
{
    /* a fix wandering within 1.9 m of where the watch stands */
    static const double wander[] = { 0, 1.9, 0.5, -1.0, 1.9, 0 };
    struct activity a;
    (void)state;
    make_track(&a, wander, RC_ARRAY_SIZE(wander));
    activity_fill_totals(&a);
    assert_true(a.distance_m == 0);
    assert_true(a.computed & ACTIVITY_C_DISTANCE);
    activity_release(&a);
}

static void test_activity__position_step_at_threshold_counts(void **state)
{
    /* 2.01 m steps: each is counted; the last, 1.5 m, is held back */
    static const double steps[] = { 0, 2.01, 4.02, 6.03, 7.53 };
    struct activity a;
    (void)state;
    make_track(&a, steps, RC_ARRAY_SIZE(steps));
    activity_fill_totals(&a);
    assert_true(fabs(a.distance_m - 6.03) < 0.01);
    assert_true(fabs(a.samples[2].dist_m - 4.02) < 0.01);
    assert_true(fabs(a.samples[4].dist_m - 6.03) < 0.01);
    activity_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_activity__init_marks_everything_missing),
        cmocka_unit_test(test_activity__geo_distance_one_degree_of_latitude),
        cmocka_unit_test(test_activity__totals_from_samples),
        cmocka_unit_test(test_activity__moving_from_distance_without_speed),
        cmocka_unit_test(test_activity__a_repeated_fix_is_still_moving),
        cmocka_unit_test(
            test_activity__no_distance_for_the_stop_window_is_a_stop),
        cmocka_unit_test(test_activity__file_totals_are_never_changed),
        cmocka_unit_test(test_activity__speed_and_distance_in_separate_samples),
        cmocka_unit_test(test_activity__moving_never_exceeds_the_files_totals),
        cmocka_unit_test(test_activity__elevation_noise_is_not_climbing),
        cmocka_unit_test(test_activity__file_warnings_are_capped),
        cmocka_unit_test(test_activity__file_release_frees_activities),
        cmocka_unit_test(
            test_activity__position_noise_under_threshold_is_held_back),
        cmocka_unit_test(test_activity__position_step_at_threshold_counts),
    };
    return cmocka_run_group_tests_name("activity", tests, NULL, NULL);
}
