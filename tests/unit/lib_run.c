/* lib_run.c - a synthetic run for the decoder and writer tests (see
 * runlib.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/alloc.h"
#include "testlib.h"
#include "runlib.h"

#define RUN_LAT0 45.0
#define RUN_LON0 7.0
#define RUN_RADIUS_M 400.0

/* Position on the circle after `along` metres. */
static void circle(double along, double *lat, double *lon)
{
    const double m_per_deg = 111195.08; /* as activity_geo_distance_m */
    double ang = along / RUN_RADIUS_M;
    *lat = RUN_LAT0 + RUN_RADIUS_M * sin(ang) / m_per_deg;
    *lon = RUN_LON0 + RUN_RADIUS_M * (1 - cos(ang)) /
                          (m_per_deg * cos(RUN_LAT0 * M_PI / 180));
}

static void lap_totals(struct activity *a, size_t from, size_t to,
                       struct activity_lap *l)
{
    double hr = 0, cad = 0;
    float hr_max = 0, cad_max = 0;
    activity_lap_init(l);
    l->start_s = a->samples[from].time_s;
    l->elapsed_s = a->samples[to - 1].time_s - l->start_s;
    l->timer_s = l->elapsed_s;
    l->distance_m = a->samples[to - 1].dist_m -
                    (from ? a->samples[from - 1].dist_m : 0);
    for (size_t i = from; i < to; i++) {
        const struct activity_sample *s = &a->samples[i];
        hr += s->hr_bpm;
        cad += s->cadence_rpm;
        hr_max = s->hr_bpm > hr_max ? s->hr_bpm : hr_max;
        cad_max = s->cadence_rpm > cad_max ? s->cadence_rpm : cad_max;
    }
    l->avg_hr_bpm = (float)round(hr / (double)(to - from));
    l->max_hr_bpm = hr_max;
    l->avg_cadence_rpm = (float)round(cad / (double)(to - from));
    l->max_cadence_rpm = cad_max;
    l->calories_kcal = (float)round(l->timer_s / 6);
}

void test_run_make(struct activity *a, int seconds)
{
    struct rc_err err = RC_ERR_INIT;
    double along = 0, prev_lat = NAN, prev_lon = NAN, dist = 0;
    size_t lap_from[3] = { 0, 0, 0 };
    int nlap = 1;

    activity_init(a);
    snprintf(a->sport, sizeof(a->sport), "running");
    snprintf(a->name, sizeof(a->name), "Morning run <loop> & \"hills\"");
    snprintf(a->device.manufacturer, sizeof(a->device.manufacturer),
             "garmin");
    snprintf(a->device.product_name, sizeof(a->device.product_name),
             "Forerunner 945");
    a->device.product = 3113;
    a->device.serial = 3996264072u;
    a->start_s = TEST_RUN_START;
    for (int i = 0; i < seconds; i++) {
        struct activity_sample *s = activity_add_sample(a, &err);
        double clock = i + (i >= 1200 ? TEST_RUN_PAUSE_S : 0);
        bool standing = i >= 600 && i < 600 + TEST_RUN_STAND_S;
        double v = standing ? 0 : 3.1 + 0.3 * sin(i / 37.0);
        double lat, lon;

        assert_non_null(s);
        if (nlap < 3 && clock >= 600.0 * nlap) {
            lap_from[nlap++] = a->nsamples - 1;
        }
        along += v;
        circle(along, &lat, &lon);
        if (standing) { /* the fix wanders within 1 m of where it stopped */
            lat += (i % 3 - 1) * 0.6 / 111195.08;
            lon += (i % 2) * 0.6 / 78626.0;
        }
        if (!isnan(prev_lat) && !standing)
            dist += activity_geo_distance_m(prev_lat, prev_lon, lat, lon);
        if (!standing) {
            prev_lat = lat;
            prev_lon = lon;
        }
        s->time_s = TEST_RUN_START + clock + (i % 4 == 1 ? 0.25 : 0);
        s->lat_deg = lat;
        s->lon_deg = lon;
        s->alt_m = (float)(200 + 15 * sin(along / 600.0));
        s->dist_m = (float)dist;
        s->speed_mps = (float)v;
        s->hr_bpm = (float)(120 + (45 * i) / seconds);
        s->cadence_rpm = standing ? 0 : (float)(80 + i % 11);
        s->temp_c = (float)(18 + i / 700);
        s->power_w = standing ? 0 : (float)(220 + (i * 7) % 41);
    }
    for (int k = 0; k < nlap; k++) {
        struct activity_lap *l = activity_add_lap(a, &err);
        assert_non_null(l);
        lap_totals(a, lap_from[k],
                   k + 1 < nlap ? lap_from[k + 1] : a->nsamples, l);
    }
}

void test_decode_torture(int (*decode)(const unsigned char *p, size_t n,
                                       unsigned flags,
                                       struct activity_file *out,
                                       struct rc_err *err),
                         const unsigned char *p, size_t n, unsigned flags)
{
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    long count, records, failed = 0;

    rc_alloc_fail_after(-1);
    assert_int_equal(decode(p, n, flags, &f, &err), 0);
    count = rc_alloc_count();
    records = f.records;
    activity_file_release(&f);
    for (long k = 0; k < count; k++) {
        int rc;
        rc_err_clear(&err);
        rc_alloc_fail_after(k);
        rc = decode(p, n, flags, &f, &err);
        rc_alloc_fail_after(-1);
        if (rc < 0) {
            assert_int_equal(err.status, RC_EENV);
            failed++;
        } else {
            assert_int_equal(f.records, records);
            activity_file_release(&f);
        }
    }
    assert_true(failed > 0);
}
