/* test_import_formats.c - import with the real decoders, on FIT, GPX and
 * TCX files that runcare's own encoders write: every format and the .gz of
 * each, the same run as FIT, GPX and TCX (the FIT stands), --salvage on a
 * cut-off FIT, and both export layouts built from real files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "base/base.h"
#include "base/buf.h"
#include "fit/fit.h"
#include "gpx/gpx.h"
#include "import/import.h"
#include "store/store.h"
#include "tcx/tcx.h"
#include "tcx_write.h"
#include "testlib.h"
#include "fitgen.h"

/* A 20-minute run at 1 s with position, altitude, heart rate, cadence. */
static void make_run(struct activity *a, double start_s, const char *sport)
{
    struct rc_err err = RC_ERR_INIT;
    double dist = 0;
    activity_init(a);
    snprintf(a->sport, sizeof(a->sport), "%s", sport);
    snprintf(a->sub_sport, sizeof(a->sub_sport), "generic");
    a->start_s = start_s;
    for (int i = 0; i <= 1200; i++) {
        struct activity_sample *s = activity_add_sample(a, &err);
        assert_non_null(s);
        dist += 3;
        s->time_s = start_s + i;
        s->lat_deg = 46.2 + 2.7e-5 * i;
        s->lon_deg = 6.1 + 1e-6 * i;
        s->alt_m = (float)(400 + (i % 100) * 0.1);
        s->dist_m = (float)dist;
        s->speed_mps = 3;
        s->hr_bpm = (float)(140 + i % 15);
        s->cadence_rpm = 86;
    }
    /* the totals a device writes (a TCX lap carries its distance) */
    a->elapsed_s = a->timer_s = 1200;
    a->distance_m = dist;
}

enum fmt { FIT, GPX, TCX };

static void write_run(struct test_db_fixture *f, const char *rel,
                      const struct activity *a, enum fmt fmt, bool gz)
{
    struct rc_buf b, z;
    struct rc_err err = RC_ERR_INIT;
    char path[1024];
    int rc;
    rc_buf_init(&b, (size_t)64 << 20);
    rc = fmt == FIT   ? fit_write_activity(a, NULL, &b, &err)
         : fmt == GPX ? gpx_write_activity(a, &b, &err)
                      : tcx_write_activity(a, &b, &err);
    if (rc < 0)
        fail_msg("write %s: %s", rel, err.msg);
    snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
    if (gz) {
        test_gzip(b.data, b.len, &z);
        test_write_file(path, z.data, z.len);
        rc_buf_release(&z);
    } else {
        test_write_file(path, b.data, b.len);
    }
    rc_buf_release(&b);
}

static void import(struct test_db_fixture *f, const char *rel, unsigned flags,
                   struct import_summary *sum)
{
    struct import_opts o = { .flags = flags };
    struct rc_err err = RC_ERR_INIT;
    char path[1024];
    char *paths[1] = { path };
    snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
    if (import_paths(f->s, paths, 1, &o, sum, &err) < 0)
        fail_msg("import: %s", err.msg);
    assert_int_equal(store_check(f->s, &err), 0);
}

static void test_import_formats__each_format_and_gz(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct store_filter flt;
    struct store_activity *v;
    struct rc_err err = RC_ERR_INIT;
    struct activity a;
    size_t n;
    const char *names[] = { "in/a.fit", "in/b.gpx", "in/c.tcx",
                            "in/d.fit.gz", "in/e.gpx.gz", "in/f.tcx.gz" };
    mkdir(f->dir, 0755);
    {
        char in[700];
        snprintf(in, sizeof(in), "%s/in", f->dir);
        mkdir(in, 0755);
    }
    for (int i = 0; i < 6; i++) {
        make_run(&a, 1.6e9 + 86400.0 * i, "running");
        write_run(f, names[i], &a, (enum fmt)(i % 3), i >= 3);
        activity_release(&a);
    }
    import(f, "in", 0, &sum);
    assert_int_equal(sum.imported, 6);
    assert_int_equal(sum.failed, 0);
    assert_int_equal(sum.activities, 6);
    if (fabs(sum.totals.running_km - 6 * 3.6) >= 0.2)
        fail_msg("running km %.3f", sum.totals.running_km);
    import_summary_release(&sum);
    store_filter_init(&flt);
    assert_int_equal(store_list_activities(f->s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 6);
    assert_string_equal(v[0].format, "fit");
    assert_string_equal(v[1].format, "gpx");
    assert_string_equal(v[2].format, "tcx");
    assert_string_equal(v[3].format, "fit");
    assert_true(v[0].channels & STORE_CH_HR);
    assert_int_equal(v[0].nsamples, 1201);
    free(v);
    import(f, "in", 0, &sum);
    assert_int_equal(sum.duplicates, 6);
    assert_int_equal(sum.activities, 0);
    import_summary_release(&sum);
}

static void test_import_formats__same_run_three_ways_fit_stands(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct store_filter flt;
    struct store_activity *v;
    struct rc_err err = RC_ERR_INIT;
    struct activity a;
    size_t n;
    char in[700];
    snprintf(in, sizeof(in), "%s/in", f->dir);
    mkdir(in, 0755);
    make_run(&a, 1.6e9, "running");
    write_run(f, "in/phone.gpx", &a, GPX, false);
    a.start_s += 30; /* the watch started 30 s later */
    for (size_t i = 0; i < a.nsamples; i++)
        a.samples[i].time_s += 30;
    write_run(f, "in/watch.fit", &a, FIT, false);
    write_run(f, "in/export.tcx", &a, TCX, false);
    activity_release(&a);
    import(f, "in", 0, &sum);
    assert_int_equal(sum.imported + sum.duplicates >= 3, true);
    assert_int_equal(sum.totals.activities, 1);
    import_summary_release(&sum);
    store_filter_init(&flt);
    assert_int_equal(store_list_activities(f->s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].format, "fit");
    free(v);
}

static void test_import_formats__salvage_cut_off_fit(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct activity a;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    char path[1024];
    make_run(&a, 1.6e9, "running");
    rc_buf_init(&b, (size_t)64 << 20);
    assert_int_equal(fit_write_activity(&a, NULL, &b, &err), 0);
    activity_release(&a);
    fitgen_truncate(&b, b.len / 2);
    snprintf(path, sizeof(path), "%s/cut.fit", f->dir);
    test_write_file(path, b.data, b.len);
    rc_buf_release(&b);
    import(f, "cut.fit", 0, &sum);
    assert_int_equal(sum.failed, 1);
    assert_int_equal(sum.imported, 0);
    import_summary_release(&sum);
    import(f, "cut.fit", IMPORT_SALVAGE, &sum);
    assert_int_equal(sum.failed, 0);
    assert_int_equal(sum.salvaged, 1);
    assert_int_equal(sum.totals.activities, 1);
    import_summary_release(&sum);
}

static void test_import_formats__strava_and_garmin_exports(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct activity a, b;
    struct rc_buf fa, fb, gza, inner;
    struct rc_err err = RC_ERR_INIT;
    char path[1024];
    const char *csv = "Activity ID,Activity Name,Activity Type,"
                      "Activity Gear,Filename\n"
                      "1,Lunch Run,Run,Kinvara 14,activities/1.fit.gz\n";
    make_run(&a, 1.6e9, "running");
    make_run(&b, 1.6e9 + 86400, "running");
    rc_buf_init(&fa, (size_t)64 << 20);
    rc_buf_init(&fb, (size_t)64 << 20);
    assert_int_equal(fit_write_activity(&a, NULL, &fa, &err), 0);
    assert_int_equal(fit_write_activity(&b, NULL, &fb, &err), 0);
    activity_release(&a);
    activity_release(&b);
    test_gzip(fa.data, fa.len, &gza);
    {
        struct test_member m[] = { { "activities.csv", csv, strlen(csv) },
                                   { "activities/1.fit.gz", gza.data,
                                     gza.len } };
        snprintf(path, sizeof(path), "%s/strava.zip", f->dir);
        test_zip_write(path, m, 2);
    }
    {
        struct test_member in[] = { { "a.fit", fa.data, fa.len },
                                    { "b.fit", fb.data, fb.len } };
        test_zip_memory(in, 2, &inner);
    }
    {
        struct test_member m[] = {
            { "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
              inner.data, inner.len } };
        snprintf(path, sizeof(path), "%s/garmin.zip", f->dir);
        test_zip_write(path, m, 1);
    }
    import(f, "strava.zip", 0, &sum);
    assert_int_equal(sum.imported, 1);
    assert_int_equal(sum.strava_rows, 1);
    import_summary_release(&sum);
    import(f, "garmin.zip", 0, &sum);
    assert_int_equal(sum.imported, 1);    /* b.fit */
    assert_int_equal(sum.duplicates, 1);  /* a.fit: same bytes as 1.fit.gz */
    assert_int_equal(sum.totals.activities, 2);
    import_summary_release(&sum);
    {
        struct store_shoe sh;
        assert_int_equal(store_shoe_get(f->s, "Kinvara 14", &sh, &err), 0);
        assert_int_equal(sh.runs, 1);
    }
    rc_buf_release(&fa);
    rc_buf_release(&fb);
    rc_buf_release(&gza);
    rc_buf_release(&inner);
}

int main(void)
{
#define T(name) \
    cmocka_unit_test_setup_teardown(name, test_db_setup, test_db_teardown)
    const struct CMUnitTest tests[] = {
        T(test_import_formats__each_format_and_gz),
        T(test_import_formats__same_run_three_ways_fit_stands),
        T(test_import_formats__salvage_cut_off_fit),
        T(test_import_formats__strava_and_garmin_exports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
