/* test_tcx.c - the TCX decoder and writer on files runcare writes: round
 * trips with laps, several activities, courses, the device, the lenient
 * repairs, damage and salvage, and every allocation failing in turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "decode/decode.h"
#include "tcx/tcx.h"
#include "tcx_write.h"
#include "testlib.h"
#include "runlib.h"

static int decode_str(const char *s, unsigned flags, struct activity_file *f,
                      struct tcx_counts *c, struct rc_err *err)
{
    return tcx_decode_info((const unsigned char *)s, strlen(s), flags, f, c,
                           err);
}

static void write_run(const struct activity *a, size_t n, struct rc_buf *b)
{
    struct rc_err err = RC_ERR_INIT;
    rc_buf_init(b, (size_t)64 << 20);
    if (tcx_write_activities(a, n, b, &err) < 0)
        fail_msg("tcx_write_activities: %s", err.msg);
}

/* Write a as TCX and decode it again into f. */
static void round_trip(const struct activity *a, struct activity_file *f)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    write_run(a, 1, &b);
    if (tcx_decode(b.data, b.len, 0, f, &err) < 0)
        fail_msg("decoding what tcx_write_activity wrote: line %ld: %s",
                 err.line, err.msg);
    rc_buf_release(&b);
}

/* A minimal TCX document around the body of <Activities>. */
#define TCX_HEAD                                                            \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrainingCenterDatabase " \
    "xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" " \
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "              \
    "xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n"
#define TCX_TAIL "</TrainingCenterDatabase>\n"
#define TP(t, extra)                                                        \
    "<Trackpoint><Time>" t "</Time><Position><LatitudeDegrees>45"          \
    "</LatitudeDegrees><LongitudeDegrees>7</LongitudeDegrees></Position>"  \
    extra "</Trackpoint>"

static void test_tcx__round_trip_keeps_every_sample(void **state)
{
    struct activity a;
    struct activity_file f;
    const struct activity *r;
    (void)state;
    test_run_make(&a, 1500);
    round_trip(&a, &f);
    assert_string_equal(f.format, "tcx");
    assert_string_equal(f.file_type, "activity");
    assert_int_equal(f.records, 1500);
    assert_int_equal(f.nacts, 1);
    r = &f.acts[0];
    assert_string_equal(r->sport, "running");
    assert_int_equal(r->nsamples, a.nsamples);
    for (size_t i = 0; i < a.nsamples; i++) {
        const struct activity_sample *x = &a.samples[i], *y = &r->samples[i];
        assert_true(fabs(x->time_s - y->time_s) < 1e-6);
        assert_true(fabs(x->lat_deg - y->lat_deg) < 5.1e-8);
        assert_true(fabs(x->lon_deg - y->lon_deg) < 5.1e-8);
        assert_true(fabs(x->alt_m - y->alt_m) < 0.051);
        assert_true(fabs(x->dist_m - y->dist_m) < 0.0051);
        assert_true(fabs(x->speed_mps - y->speed_mps) < 0.00051);
        assert_true(x->hr_bpm == y->hr_bpm);
        assert_true(x->cadence_rpm == y->cadence_rpm);
        assert_true(x->power_w == y->power_w);
    }
    activity_file_release(&f);
    activity_release(&a);
}

static void test_tcx__round_trip_keeps_laps_and_device(void **state)
{
    struct activity a;
    struct activity_file f;
    const struct activity *r;
    double timer = 0, dist = 0, kcal = 0;
    (void)state;
    test_run_make(&a, 1500);
    round_trip(&a, &f);
    r = &f.acts[0];
    assert_int_equal(r->nlaps, 3);
    for (size_t k = 0; k < 3; k++) {
        const struct activity_lap *x = &a.laps[k], *y = &r->laps[k];
        assert_true(x->start_s == y->start_s);
        assert_true(fabs(x->timer_s - y->timer_s) < 0.0006);
        assert_true(fabs(x->distance_m - y->distance_m) < 0.0051);
        assert_true(x->avg_hr_bpm == y->avg_hr_bpm);
        assert_true(x->max_hr_bpm == y->max_hr_bpm);
        assert_true(x->avg_cadence_rpm == y->avg_cadence_rpm);
        assert_true(x->max_cadence_rpm == y->max_cadence_rpm);
        assert_true(x->calories_kcal == y->calories_kcal);
        timer += x->timer_s;
        dist += x->distance_m;
        kcal += x->calories_kcal;
    }
    /* the activity's totals are its laps' */
    assert_true(fabs(r->timer_s - timer) < 0.002);
    assert_true(fabs(r->distance_m - dist) < 0.02);
    assert_true(r->calories_kcal == (float)kcal);
    assert_false(r->computed & (ACTIVITY_C_TIMER | ACTIVITY_C_DISTANCE));
    assert_true(r->start_s == TEST_RUN_START);
    assert_string_equal(r->device.product_name, "Forerunner 945");
    assert_string_equal(r->device.manufacturer, "garmin");
    assert_int_equal(r->device.product, 3113);
    assert_int_equal(r->device.serial, 3996264072u);
    activity_file_release(&f);
    activity_release(&a);
}

static void test_tcx__activity_without_laps_is_written_as_one(void **state)
{
    struct activity a;
    struct activity_file f;
    (void)state;
    test_run_make(&a, 300);
    free(a.laps);
    a.laps = NULL;
    a.nlaps = a.laps_cap = 0;
    a.distance_m = 900;
    round_trip(&a, &f);
    assert_int_equal(f.acts[0].nlaps, 1);
    assert_int_equal(f.acts[0].nsamples, 300);
    assert_true(f.acts[0].distance_m == 900);
    activity_file_release(&f);
    activity_release(&a);
}

static void test_tcx__cycling_cadence_goes_in_the_trackpoint(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_buf b;
    (void)state;
    test_run_make(&a, 60);
    snprintf(a.sport, sizeof(a.sport), "cycling");
    write_run(&a, 1, &b);
    assert_non_null(strstr((char *)b.data, "Sport=\"Biking\""));
    assert_null(strstr((char *)b.data, "RunCadence"));
    rc_buf_release(&b);
    round_trip(&a, &f);
    assert_string_equal(f.acts[0].sport, "cycling");
    assert_true(f.acts[0].samples[5].cadence_rpm == a.samples[5].cadence_rpm);
    assert_true(f.acts[0].laps[0].avg_cadence_rpm == a.laps[0].avg_cadence_rpm);
    activity_file_release(&f);
    activity_release(&a);
}

static void test_tcx__several_activities_and_multisport(void **state)
{
    static const char doc[] =
        TCX_HEAD
        "<Activities><Activity Sport=\"Running\"><Id>2020-01-01T10:00:00Z</Id>"
        "<Lap StartTime=\"2020-01-01T10:00:00Z\"><Track>"
        TP("2020-01-01T10:00:00Z", "") "</Track></Lap></Activity>"
        "<MultiSportSession><Id>2020-01-02T10:00:00Z</Id><FirstSport>"
        "<Activity Sport=\"Biking\"><Id>2020-01-02T10:00:00Z</Id>"
        "<Lap StartTime=\"2020-01-02T10:00:00Z\"><Track>"
        TP("2020-01-02T10:00:00Z", "") TP("2020-01-02T10:00:01Z", "")
        "</Track></Lap></Activity></FirstSport><NextSport><Activity "
        "Sport=\"Running\"><Id>2020-01-02T11:00:00Z</Id><Lap StartTime="
        "\"2020-01-02T11:00:00Z\"/></Activity></NextSport></MultiSportSession>"
        "</Activities>" TCX_TAIL;
    struct activity_file f;
    struct tcx_counts c;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, &c, &err), 0);
    assert_int_equal(f.nacts, 3);
    assert_int_equal(c.activity, 3);
    assert_int_equal(c.lap, 3);
    assert_int_equal(c.trackpoint, 3);
    assert_string_equal(f.acts[0].sport, "running");
    assert_string_equal(f.acts[1].sport, "cycling");
    assert_int_equal(f.acts[1].nsamples, 2);
    assert_int_equal(f.acts[2].nsamples, 0);
    assert_true(f.acts[2].start_s == 1577962800.0);
    activity_file_release(&f);
}

static void test_tcx__misplaced_elements_end_nothing(void **state)
{
    /* found by the fuzzer: an Activity and a Lap inside a trackpoint
     * ended the real activity while its trackpoint was open, and salvage
     * then took a point off an empty activity */
    static const char doc[] =
        TCX_HEAD
        "<Activities><Activity Sport=\"Running\"><Id>2020-01-01T10:00:00Z</Id>"
        "<Lap StartTime=\"2020-01-01T10:00:00Z\"><Track>"
        TP("2020-01-01T10:00:00Z", "") "<Trackpoint><Activity><Lap/>"
        "</Activity><Time>2020-01-01T10:00:01Z</Time>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), -1);
    rc_err_clear(&err);
    assert_int_equal(decode_str(doc, ACTIVITY_SALVAGE, &f, NULL, &err), 0);
    assert_int_equal(f.nacts, 1);
    assert_int_equal(f.acts[0].nsamples, 1);
    assert_int_equal(f.acts[0].nlaps, 0);
    assert_int_equal(f.records, 1);
    activity_file_release(&f);
}

static void test_tcx__course_is_not_an_activity(void **state)
{
    static const char doc[] =
        TCX_HEAD
        "<Folders><Courses><CourseFolder Name=\"Courses\"><CourseNameRef>"
        "<Id>Loop</Id></CourseNameRef></CourseFolder></Courses></Folders>"
        "<Courses><Course><Name>Loop</Name><Lap><TotalTimeSeconds>60"
        "</TotalTimeSeconds><DistanceMeters>200</DistanceMeters></Lap><Track>"
        TP("2012-01-04T00:00:00Z", "") TP("2012-01-04T00:00:04Z", "")
        "</Track><CoursePoint><Name>Turn</Name></CoursePoint></Course>"
        "</Courses>" TCX_TAIL;
    struct activity_file f;
    struct tcx_counts c;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, &c, &err), 0);
    assert_int_equal(f.nacts, 0);
    assert_int_equal(c.course, 1);
    assert_int_equal(c.lap, 1);
    assert_int_equal(f.records, 2);
    assert_string_equal(f.file_type, "course");
    assert_string_equal(f.note, "a course (a planned route), not an "
                                "activity: 2 trackpoints");
    activity_file_release(&f);
}

static void test_tcx__activity_without_any_time_is_not_an_activity(
    void **state)
{
    static const char doc[] =
        TCX_HEAD "<Activities><Activity Sport=\"Running\"><Id>morning</Id>"
        "<Lap><Track><Trackpoint><DistanceMeters>5</DistanceMeters>"
        "</Trackpoint></Track></Lap></Activity></Activities>" TCX_TAIL;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    assert_int_equal(f.nacts, 0);
    assert_string_equal(f.note, "no timestamps, not an activity: 1 "
                                "trackpoint");
    activity_file_release(&f);
}

static void test_tcx__lap_totals_and_extensions(void **state)
{
    static const char doc[] =
        TCX_HEAD
        "<Activities><Activity Sport=\"Running\"><Id>2019-06-15T09:42:00Z</Id>"
        "<Lap StartTime=\"2019-06-15T09:42:23Z\"><TotalTimeSeconds>100.5"
        "</TotalTimeSeconds><DistanceMeters>300</DistanceMeters><MaximumSpeed>"
        "4</MaximumSpeed><Calories>20</Calories><AverageHeartRateBpm><Value>"
        "140</Value></AverageHeartRateBpm><MaximumHeartRateBpm><Value>150"
        "</Value></MaximumHeartRateBpm><Intensity>Active</Intensity>"
        "<TriggerMethod>Manual</TriggerMethod><Track>"
        TP("2019-06-15T09:42:23Z",
           "<AltitudeMeters>10</AltitudeMeters><DistanceMeters>1.5"
           "</DistanceMeters><HeartRateBpm><Value>130</Value></HeartRateBpm>"
           "<SensorState>Present</SensorState><Extensions><ns3:TPX>"
           "<ns3:Speed>3.5</ns3:Speed><ns3:RunCadence>85</ns3:RunCadence>"
           "<ns3:Watts>250</ns3:Watts></ns3:TPX></Extensions>")
        "</Track><Extensions><ns3:LX><ns3:AvgSpeed>3</ns3:AvgSpeed>"
        "<ns3:AvgRunCadence>80</ns3:AvgRunCadence><ns3:MaxRunCadence>90"
        "</ns3:MaxRunCadence></ns3:LX></Extensions></Lap>"
        "<Lap StartTime=\"2019-06-15T09:44:03.5Z\"><TotalTimeSeconds>300"
        "</TotalTimeSeconds><DistanceMeters>1000</DistanceMeters><Calories>60"
        "</Calories><AverageHeartRateBpm><Value>160</Value>"
        "</AverageHeartRateBpm><MaximumHeartRateBpm><Value>170</Value>"
        "</MaximumHeartRateBpm><Cadence>82</Cadence></Lap>"
        "</Activity></Activities>" TCX_TAIL;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    const struct activity *a;
    const struct activity_sample *s;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    a = &f.acts[0];
    s = &a->samples[0];
    assert_true(s->alt_m == 10 && s->dist_m == 1.5f && s->hr_bpm == 130);
    assert_true(s->speed_mps == 3.5f && s->cadence_rpm == 85);
    assert_true(s->power_w == 250);
    assert_int_equal(a->nlaps, 2);
    assert_true(a->laps[0].timer_s == 100.5);
    assert_true(a->laps[0].avg_cadence_rpm == 80);
    assert_true(a->laps[0].max_cadence_rpm == 90);
    assert_true(a->laps[1].avg_cadence_rpm == 82);
    assert_true(isnan(a->laps[1].max_cadence_rpm));
    /* the first lap's start, not the Id (rounded to the minute) */
    assert_true(a->start_s == 1560591743.0);
    assert_true(a->timer_s == 400.5);
    assert_true(a->distance_m == 1300);
    assert_true(a->calories_kcal == 80);
    assert_true(fabs(a->avg_hr_bpm - (140 * 100.5 + 160 * 300) / 400.5) <
                1e-3);
    assert_true(a->max_hr_bpm == 170);
    assert_true(isnan(a->max_cadence_rpm) ||
                a->computed & ACTIVITY_C_CADENCE); /* lap 2 has none */
    activity_file_release(&f);
}

static void test_tcx__no_signal_values_are_not_recorded(void **state)
{
    /* Forerunner 110 without a strap: 255 everywhere; Calories 0 */
    static const char doc[] =
        TCX_HEAD
        "<Activities><Activity Sport=\"Running\"><Id>2013-09-06T14:27:00Z</Id>"
        "<Lap StartTime=\"2013-09-06T14:27:00Z\"><TotalTimeSeconds>10"
        "</TotalTimeSeconds><DistanceMeters>30</DistanceMeters><Calories>0"
        "</Calories><AverageHeartRateBpm><Value>255</Value>"
        "</AverageHeartRateBpm><MaximumHeartRateBpm><Value>255</Value>"
        "</MaximumHeartRateBpm><Track>"
        TP("2013-09-06T14:27:00Z",
           "<HeartRateBpm><Value>255</Value></HeartRateBpm>")
        TP("2013-09-06T14:27:01Z",
           "<HeartRateBpm><Value>0</Value></HeartRateBpm>")
        "</Track></Lap></Activity></Activities>" TCX_TAIL;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    assert_true(isnan(f.acts[0].samples[0].hr_bpm));
    assert_true(isnan(f.acts[0].samples[1].hr_bpm));
    assert_true(isnan(f.acts[0].laps[0].avg_hr_bpm));
    assert_true(isnan(f.acts[0].avg_hr_bpm));
    assert_true(isnan(f.acts[0].max_hr_bpm));
    assert_true(isnan(f.acts[0].calories_kcal));
    activity_file_release(&f);
}

static void test_tcx__device_makers(void **state)
{
    static const struct {
        const char *creator, *maker;
    } cases[] = {
        { "<Creator xsi:type=\"Device_t\"><Name>Polar V800</Name><UnitId>0"
          "</UnitId><ProductID>13</ProductID></Creator>",
          "polar" },
        { "<Creator xsi:type=\"Device_t\"><Name>Suunto Spartan Ultra</Name>"
          "<UnitId>0</UnitId><ProductID>0</ProductID></Creator>",
          "suunto" },
        { "<Creator xsi:type=\"Device_t\"><Name>EDGE305</Name><UnitId>"
          "3305241660</UnitId><ProductID>450</ProductID></Creator>",
          "garmin" },
        { "<Creator xsi:type=\"Application_t\"><Name>Some App</Name>"
          "</Creator>",
          "" },
    };
    (void)state;
    for (size_t i = 0; i < RC_ARRAY_SIZE(cases); i++) {
        char doc[2048];
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        snprintf(doc, sizeof(doc),
                 TCX_HEAD "<Activities><Activity Sport=\"Other\"><Id>"
                          "2020-01-01T10:00:00Z</Id>%s</Activity>"
                          "</Activities>" TCX_TAIL,
                 cases[i].creator);
        assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
        assert_string_equal(f.acts[0].device.manufacturer, cases[i].maker);
        activity_file_release(&f);
    }
}

static void test_tcx__polar_blanks_before_declaration(void **state)
{
    static const char doc[] =
        "          " TCX_HEAD
        "<Activities><Activity Sport=\"Running\"><Id>2016-09-12T11:19:55.000Z"
        "</Id><Lap StartTime=\"2016-09-12T11:19:55.000Z\"><Track>"
        TP("2016-09-12T11:19:56.000Z", "") "</Track></Lap></Activity>"
        "</Activities>" TCX_TAIL;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_buffer((const unsigned char *)doc, strlen(doc), 0,
                                   &f, &err),
                     0);
    assert_string_equal(f.format, "tcx");
    assert_int_equal(f.nacts, 1);
    assert_int_equal(f.nwarnings, 1);
    assert_string_equal(f.warnings[0], "10 blanks before the XML declaration "
                                       "at line 1: skipped");
    activity_file_release(&f);
}

/* The run as TCX, cut after `fraction` of its bytes. */
static void cut_run(struct rc_buf *b, double fraction)
{
    struct activity a;
    test_run_make(&a, 1500);
    write_run(&a, 1, b);
    b->len = (size_t)((double)b->len * fraction);
    activity_release(&a);
}

static long count_str(const unsigned char *p, size_t n, const char *s)
{
    long k = 0;
    size_t m = strlen(s);
    for (size_t i = 0; i + m <= n; i++)
        k += !memcmp(p + i, s, m);
    return k;
}

static void test_tcx__cut_off_file_fails_with_its_line(void **state)
{
    struct rc_buf b;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    cut_run(&b, 0.7);
    activity_file_init(&f);
    assert_int_equal(tcx_decode(b.data, b.len, 0, &f, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(err.line, count_str(b.data, b.len, "\n") + 1);
    assert_non_null(strstr(err.msg, "cut off"));
    assert_null(f.acts);
    rc_buf_release(&b);
}

static void test_tcx__salvage_keeps_closed_points_and_laps(void **state)
{
    struct rc_buf b;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    long closed, laps;
    const struct activity *a;
    (void)state;
    cut_run(&b, 0.9); /* inside the third lap */
    closed = count_str(b.data, b.len, "</Trackpoint>");
    laps = count_str(b.data, b.len, "</Lap>");
    assert_int_equal(laps, 2);
    assert_int_equal(tcx_decode(b.data, b.len, ACTIVITY_SALVAGE, &f, &err), 0);
    assert_true(f.salvaged);
    assert_int_equal(f.records, closed);
    a = &f.acts[0];
    assert_true(a->salvaged);
    assert_int_equal((long)a->nsamples, closed);
    assert_int_equal((long)a->nlaps, laps);
    /* totals from the points kept, not from the laps */
    assert_true(a->computed & ACTIVITY_C_TIMER);
    assert_true(fabs(a->distance_m - a->samples[a->nsamples - 1].dist_m) <
                0.01);
    activity_file_release(&f);
    rc_buf_release(&b);
}

static void test_tcx__each_failed_allocation_fails_cleanly(void **state)
{
    struct activity a;
    struct rc_buf b;
    (void)state;
    test_run_make(&a, 1300);
    /* a short run with all three laps: keep every 20th sample */
    for (size_t i = 0, j = 0; i < a.nsamples; i += 20)
        a.samples[j++] = a.samples[i];
    a.nsamples = (a.nsamples + 19) / 20;
    write_run(&a, 1, &b);
    test_decode_torture(tcx_decode, b.data, b.len, 0);
    b.len = b.len * 4 / 5;
    test_decode_torture(tcx_decode, b.data, b.len, ACTIVITY_SALVAGE);
    rc_buf_release(&b);
    activity_release(&a);
}

static void test_tcx__writer_needs_a_time(void **state)
{
    struct activity a;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    test_run_make(&a, 10);
    a.start_s = NAN;
    for (size_t i = 0; i < a.nsamples; i++)
        a.samples[i].time_s = NAN;
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(tcx_write_activity(&a, &b, &err), -1);
    assert_string_equal(err.msg, "a TCX activity needs a start time: this "
                                 "one has none");
    rc_buf_release(&b);
    activity_release(&a);
}

static void test_tcx__writer_leaves_out_points_without_time(void **state)
{
    struct activity a;
    struct activity_file f;
    (void)state;
    test_run_make(&a, 60);
    a.samples[30].time_s = NAN;
    round_trip(&a, &f);
    assert_int_equal(f.acts[0].nsamples, 59);
    activity_file_release(&f);
    activity_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcx__round_trip_keeps_every_sample),
        cmocka_unit_test(test_tcx__round_trip_keeps_laps_and_device),
        cmocka_unit_test(test_tcx__activity_without_laps_is_written_as_one),
        cmocka_unit_test(test_tcx__cycling_cadence_goes_in_the_trackpoint),
        cmocka_unit_test(test_tcx__several_activities_and_multisport),
        cmocka_unit_test(test_tcx__misplaced_elements_end_nothing),
        cmocka_unit_test(test_tcx__course_is_not_an_activity),
        cmocka_unit_test(
            test_tcx__activity_without_any_time_is_not_an_activity),
        cmocka_unit_test(test_tcx__lap_totals_and_extensions),
        cmocka_unit_test(test_tcx__no_signal_values_are_not_recorded),
        cmocka_unit_test(test_tcx__device_makers),
        cmocka_unit_test(test_tcx__polar_blanks_before_declaration),
        cmocka_unit_test(test_tcx__cut_off_file_fails_with_its_line),
        cmocka_unit_test(test_tcx__salvage_keeps_closed_points_and_laps),
        cmocka_unit_test(test_tcx__each_failed_allocation_fails_cleanly),
        cmocka_unit_test(test_tcx__writer_needs_a_time),
        cmocka_unit_test(test_tcx__writer_leaves_out_points_without_time),
    };
    return cmocka_run_group_tests_name("tcx", tests, NULL, NULL);
}
