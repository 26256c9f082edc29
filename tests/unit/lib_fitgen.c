/* lib_fitgen.c - synthetic activities for the FIT tests (see fitgen.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "testlib.h"
#include "fitgen.h"

void fitgen_run(struct activity *a, size_t n, double start_s)
{
    struct rc_err err = RC_ERR_INIT;
    struct activity_lap *l;

    activity_init(a);
    snprintf(a->sport, sizeof(a->sport), "running");
    snprintf(a->sub_sport, sizeof(a->sub_sport), "trail");
    snprintf(a->device.manufacturer, sizeof(a->device.manufacturer),
             "garmin");
    snprintf(a->device.product_name, sizeof(a->device.product_name),
             "Forerunner 945");
    a->device.product = 2697;
    a->device.serial = 3912345678u;
    a->utc_offset_s = 3600;
    a->has_utc_offset = true;
    for (size_t i = 0; i < n; i++) {
        struct activity_sample *s = activity_add_sample(a, &err);
        assert_non_null(s);
        s->time_s = start_s + (double)i;
        s->lat_deg = 45.0 + 2.0e-5 * (double)i;
        s->lon_deg = 7.0 + 1.5e-5 * (double)i;
        s->alt_m = (float)(300.0 + 20.0 * sin((double)i / 60.0));
        s->dist_m = (float)(3.0 * (double)i);
        s->speed_mps = 3.0f;
        s->hr_bpm = (float)(140 + i % 20);
        s->cadence_rpm = (float)(84 + i % 3);
        s->power_w = (float)(240 + i % 25);
    }
    a->start_s = start_s;
    a->elapsed_s = n ? (double)(n - 1) : 0;
    a->timer_s = a->elapsed_s;
    a->moving_s = a->elapsed_s;
    a->distance_m = n ? 3.0 * (double)(n - 1) : 0;
    a->ascent_m = 41;
    a->descent_m = 39;
    a->avg_hr_bpm = 149;
    a->max_hr_bpm = 159;
    a->avg_cadence_rpm = 85;
    a->max_cadence_rpm = 86;
    a->avg_power_w = 252;
    a->calories_kcal = 321;
    for (int k = 0; k < 2; k++) {
        double half = floor(a->elapsed_s / 2);
        l = activity_add_lap(a, &err);
        assert_non_null(l);
        l->start_s = start_s + (k ? half : 0);
        l->elapsed_s = k ? a->elapsed_s - half : half;
        l->timer_s = l->elapsed_s;
        l->distance_m = 3.0 * l->elapsed_s;
        l->avg_hr_bpm = (float)(145 + k);
        l->max_hr_bpm = (float)(155 + k);
        l->avg_cadence_rpm = 85;
        l->max_cadence_rpm = 86;
        l->ascent_m = 20 + k;
        l->descent_m = 19 + k;
        l->calories_kcal = (float)(160 + k);
    }
}

void fitgen_encode(const struct activity *a, unsigned flags, unsigned parts,
                   struct rc_buf *b)
{
    struct fit_write_opts o = { 0 };
    struct rc_err err = RC_ERR_INIT;
    o.flags = flags;
    o.parts = parts;
    rc_buf_init(b, (size_t)64 << 20);
    if (fit_write_activity(a, &o, b, &err) < 0)
        fail_msg("fit_write_activity: %s", err.msg);
}

void fitgen_decode_ok(const struct rc_buf *b, unsigned flags,
                      struct activity_file *f, struct fit_info *info)
{
    struct rc_err err = RC_ERR_INIT;
    if (fit_decode_info(b->data, b->len, flags, f, info, &err) < 0)
        fail_msg("fit_decode: offset %ld: %s", err.offset, err.msg);
}

static void near(double want, double got, double tol, const char *what)
{
    if (isnan(want) && isnan(got))
        return;
    if (!(fabs(want - got) <= tol))
        fail_msg("%s: want %.9g, got %.9g", what, want, got);
}

void fitgen_assert_same_sample(const struct activity_sample *want,
                               const struct activity_sample *got)
{
    near(want->time_s, got->time_s, 0.5, "time_s");
    near(want->lat_deg, got->lat_deg, 1e-6, "lat_deg");
    near(want->lon_deg, got->lon_deg, 1e-6, "lon_deg");
    near(want->alt_m, got->alt_m, 0.11, "alt_m");
    near(want->dist_m, got->dist_m, 0.006, "dist_m");
    near(want->speed_mps, got->speed_mps, 0.0006, "speed_mps");
    near(want->hr_bpm, got->hr_bpm, 0.5, "hr_bpm");
    near(want->cadence_rpm, got->cadence_rpm, 0.5, "cadence_rpm");
    near(want->power_w, got->power_w, 0.5, "power_w");
}

void fitgen_truncate(struct rc_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

void fitgen_flip_crc(struct rc_buf *b)
{
    if (b->len >= 2)
        b->data[b->len - 2] ^= 1;
}
