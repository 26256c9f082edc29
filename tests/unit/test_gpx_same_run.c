/* test_gpx_same_run.c - one run, three formats: what the FIT, GPX and TCX
 * decoders make of the same run must agree (distance within 1%, duration
 * and start within 2 s), for a run runcare writes with its own writers
 * (fit_write_activity, gpx_write_activity, tcx_write_activity) and for a
 * real Forerunner 945 run: the watch's FIT file and Garmin Connect's GPX
 * and TCX exports of it (shared/data, run 6782987395). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "decode/decode.h"
#include "fit/fit.h"
#include "gpx/gpx.h"
#include "tcx/tcx.h"
#include "tcx_write.h"
#include "testlib.h"
#include "runlib.h"

#define SAME_DISTANCE_FRACTION 0.01
#define SAME_DURATION_S 2.0

/* Decode bytes through decode_buffer (format by content): one activity. */
static void decode_one(const unsigned char *p, size_t n, const char *format,
                       struct activity_file *f)
{
    struct rc_err err = RC_ERR_INIT;
    if (decode_buffer(p, n, 0, f, &err) < 0)
        fail_msg("%s: line %ld: %s", format, err.line, err.msg);
    assert_string_equal(f->format, format);
    assert_int_equal(f->nacts, 1);
}

static void decode_path(const char *data, const char *file, const char *format,
                        struct activity_file *f)
{
    char path[1024];
    struct rc_buf b;
    snprintf(path, sizeof(path), "%s/activities/%s", data, file);
    test_read_file(&b, path);
    decode_one(b.data, b.len, format, f);
    rc_buf_release(&b);
}

/* The two must be the same run. */
static void assert_same_run(const struct activity *x, const struct activity *y)
{
    double d = fabs(x->distance_m - y->distance_m) /
               fmax(x->distance_m, y->distance_m);
    print_message("distance %.1f m and %.1f m (%.2f%%), elapsed %.1f s and "
                  "%.1f s, timer %.1f s and %.1f s\n",
                  x->distance_m, y->distance_m, 100 * d, x->elapsed_s,
                  y->elapsed_s, x->timer_s, y->timer_s);
    assert_true(activity_known(x->distance_m) && x->distance_m > 0);
    assert_true(d <= SAME_DISTANCE_FRACTION);
    assert_true(fabs(x->start_s - y->start_s) <= SAME_DURATION_S);
    assert_true(fabs(x->elapsed_s - y->elapsed_s) <= SAME_DURATION_S);
    assert_true(fabs(x->timer_s - y->timer_s) <= SAME_DURATION_S);
}

static void test_gpx_same_run__written_as_fit_gpx_and_tcx_agrees(
    void **state)
{
    struct activity a;
    struct activity_file g, t, f;
    struct rc_buf bg, bt, bf;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    test_run_make(&a, 1500);
    /* the watch's own totals (the FIT session carries them) */
    activity_fill_totals(&a);
    rc_buf_init(&bg, (size_t)64 << 20);
    rc_buf_init(&bt, (size_t)64 << 20);
    rc_buf_init(&bf, (size_t)64 << 20);
    assert_int_equal(gpx_write_activity(&a, &bg, &err), 0);
    assert_int_equal(tcx_write_activity(&a, &bt, &err), 0);
    assert_int_equal(fit_write_activity(&a, NULL, &bf, &err), 0);
    decode_one(bg.data, bg.len, "gpx", &g);
    decode_one(bt.data, bt.len, "tcx", &t);
    decode_one(bf.data, bf.len, "fit", &f);
    assert_same_run(&g.acts[0], &t.acts[0]);
    assert_same_run(&f.acts[0], &g.acts[0]);
    assert_same_run(&f.acts[0], &t.acts[0]);
    /* and each is the run as the watch recorded it */
    assert_true(fabs(t.acts[0].distance_m - a.samples[a.nsamples - 1].dist_m) <
                0.05);
    activity_file_release(&g);
    activity_file_release(&t);
    activity_file_release(&f);
    rc_buf_release(&bg);
    rc_buf_release(&bt);
    rc_buf_release(&bf);
    activity_release(&a);
}

static void test_gpx_same_run__watch_file_and_exports_agree(void **state)
{
    struct activity_file g, t, f;
    TEST_SHARED_DATA_OR_SKIP(data);
    (void)state;
    decode_path(data, "gpx/sportslib__runs-gpx-6782987395.gpx", "gpx", &g);
    decode_path(data, "tcx/sportslib__runs-tcx-6782987395.tcx", "tcx", &t);
    decode_path(data, "fit/sportslib__runs-fit-6782987395.fit", "fit", &f);
    assert_same_run(&g.acts[0], &t.acts[0]);
    assert_same_run(&f.acts[0], &g.acts[0]);
    assert_same_run(&f.acts[0], &t.acts[0]);
    activity_file_release(&g);
    activity_file_release(&t);
    activity_file_release(&f);
}

/* The GPX export has positions and times only: its moving time, from the
 * distance and time between points (a speed threshold, a stop after
 * ACTIVITY_STOP_S without distance), must match the watch's, which the
 * FIT file's speed samples give (4,779 s of 4,989 s). Judged point by
 * point, the GPS repeating its fix for a second or two made it 4,057 s. */
#define SAME_MOVING_FRACTION 0.01
static void test_gpx_same_run__gpx_moving_time_matches_the_watch(void **state)
{
    struct activity_file g, f;
    double d;
    TEST_SHARED_DATA_OR_SKIP(data);
    (void)state;
    decode_path(data, "gpx/sportslib__runs-gpx-6782987395.gpx", "gpx", &g);
    decode_path(data, "fit/sportslib__runs-fit-6782987395.fit", "fit", &f);
    d = fabs(g.acts[0].moving_s - f.acts[0].moving_s) / f.acts[0].moving_s;
    print_message("moving %.0f s (GPX) and %.0f s (FIT), %.2f%%\n",
                  g.acts[0].moving_s, f.acts[0].moving_s, 100 * d);
    assert_true(d <= SAME_MOVING_FRACTION);
    assert_true(g.acts[0].moving_s < g.acts[0].elapsed_s);
    activity_file_release(&g);
    activity_file_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_gpx_same_run__written_as_fit_gpx_and_tcx_agrees),
        cmocka_unit_test(test_gpx_same_run__watch_file_and_exports_agree),
        cmocka_unit_test(
            test_gpx_same_run__gpx_moving_time_matches_the_watch),
    };
    return cmocka_run_group_tests_name("gpx_same_run", tests, NULL, NULL);
}
