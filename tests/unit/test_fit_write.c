/* test_fit_write.c - the FIT encoder: what fit_write_activity writes, the
 * decoder reads back the same, whatever options shape the bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "testlib.h"
#include "fitgen.h"
#include "fit/fit.h"
#include "fit/fit_int.h"

#define N 300

/* Encode a 300-sample run with flags, decode it, and check every sample,
 * lap and total came back. */
static void round_trip(unsigned flags, unsigned parts, struct fit_info *info)
{
    struct activity a;
    struct activity_file f;
    const struct activity *g;
    struct rc_buf b;

    fitgen_run(&a, N, FITGEN_START);
    fitgen_encode(&a, flags, parts, &b);
    fitgen_decode_ok(&b, 0, &f, info);
    assert_string_equal(f.format, "fit");
    assert_string_equal(f.file_type, "activity");
    assert_int_equal(f.records, N);
    assert_int_equal(f.nacts, 1);
    g = &f.acts[0];
    assert_int_equal(g->nsamples, N);
    for (size_t i = 0; i < N; i++)
        fitgen_assert_same_sample(&a.samples[i], &g->samples[i]);
    assert_string_equal(g->sport, "running");
    assert_string_equal(g->sub_sport, "trail");
    assert_true(g->start_s == FITGEN_START);
    assert_true(g->has_utc_offset);
    assert_int_equal(g->utc_offset_s, 3600);
    assert_true(fabs(g->elapsed_s - a.elapsed_s) < 1e-9);
    assert_true(fabs(g->timer_s - a.timer_s) < 1e-9);
    assert_true(fabs(g->moving_s - a.moving_s) < 1e-9);
    assert_true(fabs(g->distance_m - a.distance_m) < 1e-9);
    assert_true(g->ascent_m == 41 && g->descent_m == 39);
    assert_true(g->avg_hr_bpm == 149 && g->max_hr_bpm == 159);
    assert_true(g->avg_cadence_rpm == 85 && g->max_cadence_rpm == 86);
    assert_true(g->avg_power_w == 252 && g->calories_kcal == 321);
    assert_int_equal(g->computed, 0);
    assert_false(g->salvaged);
    assert_string_equal(g->device.manufacturer, "garmin");
    assert_int_equal(g->device.product, 2697);
    assert_int_equal(g->device.serial, 3912345678u);
    assert_string_equal(g->device.product_name, "Forerunner 945");
    assert_int_equal(g->nlaps, 2);
    for (size_t k = 0; k < 2; k++) {
        assert_true(g->laps[k].start_s == a.laps[k].start_s);
        assert_true(fabs(g->laps[k].elapsed_s - a.laps[k].elapsed_s) < 1e-9);
        assert_true(fabs(g->laps[k].distance_m - a.laps[k].distance_m) <
                    1e-9);
        assert_true(g->laps[k].avg_hr_bpm == a.laps[k].avg_hr_bpm);
        assert_true(g->laps[k].max_hr_bpm == a.laps[k].max_hr_bpm);
        assert_true(g->laps[k].ascent_m == a.laps[k].ascent_m);
        assert_true(g->laps[k].calories_kcal == a.laps[k].calories_kcal);
    }
    assert_int_equal(f.nwarnings, 0);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit_write__plain_round_trip(void **state)
{
    struct fit_info info;
    (void)state;
    round_trip(0, 0, &info);
    assert_int_equal(info.nparts, 1);
    assert_int_equal(info.parts[0].header_size, 14);
    assert_int_equal(info.parts[0].protocol, 0x20);
    assert_int_equal(info.parts[0].profile, 2132);
    assert_int_equal(info.parts[0].header_crc, FIT_HEADER_CRC_OK);
    assert_true(info.parts[0].crc_ok);
    assert_int_equal(info.big_endian_definitions, 0);
    assert_int_equal(info.compressed_timestamps, 0);
}

static void test_fit_write__header_12_round_trip(void **state)
{
    struct fit_info info;
    (void)state;
    round_trip(FIT_WRITE_HEADER_12, 0, &info);
    assert_int_equal(info.parts[0].header_size, 12);
    assert_int_equal(info.parts[0].protocol, 0x10);
    assert_int_equal(info.parts[0].header_crc, FIT_HEADER_CRC_NONE);
}

static void test_fit_write__header_crc_zero_round_trip(void **state)
{
    struct fit_info info;
    (void)state;
    round_trip(FIT_WRITE_HEADER_CRC_ZERO, 0, &info);
    assert_int_equal(info.parts[0].header_crc, FIT_HEADER_CRC_ZERO);
}

static void test_fit_write__big_endian_mixes_byte_orders(void **state)
{
    struct fit_info info;
    (void)state;
    round_trip(FIT_WRITE_BIG_ENDIAN, 0, &info);
    assert_true(info.big_endian_definitions > 0);
    /* file_id stays little-endian */
    assert_true(info.big_endian_definitions < info.definitions);
}

static void test_fit_write__compressed_timestamps_round_trip(void **state)
{
    struct fit_info info;
    (void)state;
    round_trip(FIT_WRITE_COMPRESSED_TIME, 0, &info);
    /* every record after a full timestamp less than 32 s before it */
    assert_true(info.compressed_timestamps >= N - 3);
}

static void test_fit_write__redefined_local_types_round_trip(void **state)
{
    struct fit_info info;
    (void)state;
    round_trip(FIT_WRITE_REDEFINE, 0, &info);
    /* file_id, device, event, record, lap, record, lap, event, session,
     * activity: one local type redefined at every change */
    assert_true(info.definitions >= 10);
}

static void test_fit_write__summary_first_round_trip(void **state)
{
    struct fit_info info;
    (void)state;
    round_trip(FIT_WRITE_SUMMARY_FIRST | FIT_WRITE_BIG_ENDIAN, 0, &info);
}

static void test_fit_write__chained_parts_round_trip(void **state)
{
    struct fit_info info;
    (void)state;
    round_trip(0, 3, &info);
    assert_int_equal(info.nparts, 3);
    for (unsigned i = 0; i < 3; i++)
        assert_true(info.parts[i].crc_ok);
    assert_true(info.parts[1].offset > 0);
}

static void test_fit_write__every_option_at_once(void **state)
{
    struct fit_info info;
    (void)state;
    round_trip(FIT_WRITE_HEADER_12 | FIT_WRITE_BIG_ENDIAN |
                   FIT_WRITE_COMPRESSED_TIME | FIT_WRITE_DEVELOPER |
                   FIT_WRITE_REDEFINE | FIT_WRITE_ENHANCED,
               4, &info);
    assert_int_equal(info.nparts, 4);
    assert_true(info.compressed_timestamps > 0);
    assert_true(info.dev_field_messages >= N);
}

/* Missing values travel as the invalid sentinel and come back missing. */
static void test_fit_write__missing_values_stay_missing(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 10, FITGEN_START);
    a.samples[3].hr_bpm = NAN;
    a.samples[4].lat_deg = a.samples[4].lon_deg = NAN;
    a.samples[5].alt_m = NAN;
    a.samples[6].power_w = NAN;
    a.avg_power_w = NAN;
    fitgen_encode(&a, 0, 0, &b);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_true(isnan(f.acts[0].samples[3].hr_bpm));
    assert_true(isnan(f.acts[0].samples[4].lat_deg));
    assert_true(isnan(f.acts[0].samples[4].lon_deg));
    assert_true(isnan(f.acts[0].samples[5].alt_m));
    assert_true(isnan(f.acts[0].samples[6].power_w));
    assert_true(f.acts[0].samples[7].power_w == a.samples[7].power_w);
    assert_true(isnan(f.acts[0].avg_power_w));
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit_write__multisport_one_session_per_activity(void **state)
{
    struct activity legs[3];
    struct activity_file f;
    struct fit_write_opts o = { 0 };
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    static const char *const sports[] = { "swimming", "cycling", "running" };
    static const size_t n[] = { 50, 120, 80 };
    double t = FITGEN_START;
    (void)state;

    for (int i = 0; i < 3; i++) {
        fitgen_run(&legs[i], n[i], t);
        snprintf(legs[i].sport, sizeof(legs[i].sport), "%s", sports[i]);
        t += (double)n[i] + 30; /* a transition gap */
    }
    rc_buf_init(&b, (size_t)1 << 24);
    o.flags = FIT_WRITE_SUMMARY_FIRST;
    assert_int_equal(fit_write_activities(legs, 3, &o, &b, &err), 0);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_int_equal(f.nacts, 3);
    assert_int_equal(f.records, 250);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(f.acts[i].sport, sports[i]);
        assert_int_equal(f.acts[i].nsamples, n[i]);
        assert_int_equal(f.acts[i].nlaps, 2);
        assert_true(f.acts[i].start_s == legs[i].start_s);
        assert_true(f.acts[i].samples[0].time_s == legs[i].start_s);
    }
    activity_file_release(&f);
    for (int i = 0; i < 3; i++)
        activity_release(&legs[i]);
    rc_buf_release(&b);
}

static void test_fit_write__time_outside_fit_range_fails(void **state)
{
    struct activity a;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    fitgen_run(&a, 5, 0.0); /* 1970: before the FIT epoch */
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(fit_write_activity(&a, NULL, &b, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_non_null(strstr(err.msg, "outside the FIT range"));
    assert_int_equal(b.len, 0);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit_write__appends_after_existing_bytes(void **state)
{
    struct activity a;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    struct activity_file f;
    (void)state;
    fitgen_run(&a, 5, FITGEN_START);
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(fit_write_activity(&a, NULL, &b, &err), 0);
    assert_int_equal(fit_write_activity(&a, NULL, &b, &err), 0);
    /* two complete files back to back: a chained file */
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_int_equal(f.records, 10);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit_write__crc_matches_check_value(void **state)
{
    (void)state;
    /* CRC-16/ARC check value over ASCII "123456789" */
    assert_int_equal(fit_crc16(0, "123456789", 9), 0xBB3D);
    /* the same continued in pieces, across the 8-byte steps */
    assert_int_equal(fit_crc16(fit_crc16(0, "12345", 5), "6789", 4), 0xBB3D);
    assert_int_equal(fit_crc16(0, "", 0), 0);
}

static uint16_t crc_bitwise(uint16_t c, const unsigned char *p, size_t n)
{
    while (n--) {
        c ^= *p++;
        for (int i = 0; i < 8; i++)
            c = (uint16_t)(c & 1 ? (c >> 1) ^ 0xA001 : c >> 1);
    }
    return c;
}

/* The fast CRC (carry-less multiply where the CPU has it) and the portable
 * one agree with the bit-by-bit definition at every length, alignment and
 * starting value, including the 16- and 32-byte edges of the fast path. */
static void test_fit_write__crc_fast_paths_match_bitwise(void **state)
{
    unsigned char buf[1100];
    uint32_t r = 12345;
    (void)state;
    for (size_t i = 0; i < sizeof(buf); i++) {
        r = r * 1103515245u + 12345u;
        buf[i] = (unsigned char)(r >> 16);
    }
    for (size_t n = 0; n < 1090; n += n < 80 ? 1 : 13)
        for (size_t off = 0; off < 8; off += 3) {
            uint16_t c0 = (uint16_t)(n * 7919u + off);
            uint16_t want = crc_bitwise(c0, buf + off, n);
            assert_int_equal(fit_crc16(c0, buf + off, n), want);
            assert_int_equal(fit_crc16_portable(c0, buf + off, n), want);
        }
}

static void test_fit_write__damage_helpers(void **state)
{
    struct activity a;
    struct rc_buf b;
    size_t len;
    unsigned char last;
    (void)state;
    fitgen_run(&a, 5, FITGEN_START);
    fitgen_encode(&a, 0, 0, &b);
    len = b.len;
    last = b.data[len - 2];
    fitgen_flip_crc(&b);
    assert_int_equal(b.data[len - 2], last ^ 1);
    fitgen_truncate(&b, 20);
    assert_int_equal(b.len, 20);
    fitgen_truncate(&b, 100);
    assert_int_equal(b.len, 20);
    activity_release(&a);
    rc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_write__plain_round_trip),
        cmocka_unit_test(test_fit_write__header_12_round_trip),
        cmocka_unit_test(test_fit_write__header_crc_zero_round_trip),
        cmocka_unit_test(test_fit_write__big_endian_mixes_byte_orders),
        cmocka_unit_test(test_fit_write__compressed_timestamps_round_trip),
        cmocka_unit_test(test_fit_write__redefined_local_types_round_trip),
        cmocka_unit_test(test_fit_write__summary_first_round_trip),
        cmocka_unit_test(test_fit_write__chained_parts_round_trip),
        cmocka_unit_test(test_fit_write__every_option_at_once),
        cmocka_unit_test(test_fit_write__missing_values_stay_missing),
        cmocka_unit_test(test_fit_write__multisport_one_session_per_activity),
        cmocka_unit_test(test_fit_write__time_outside_fit_range_fails),
        cmocka_unit_test(test_fit_write__appends_after_existing_bytes),
        cmocka_unit_test(test_fit_write__crc_matches_check_value),
        cmocka_unit_test(test_fit_write__crc_fast_paths_match_bitwise),
        cmocka_unit_test(test_fit_write__damage_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
