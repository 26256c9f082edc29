/* test_gpx.c - the GPX decoder and writer on files runcare writes: round
 * trips, tracks, routes and waypoints, extensions, sports, the lenient
 * repairs, damage and salvage, and every allocation failing in turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "decode/decode.h"
#include "gpx/gpx.h"
#include "testlib.h"
#include "runlib.h"

static int decode_str(const char *s, unsigned flags, struct activity_file *f,
                      struct gpx_counts *c, struct rc_err *err)
{
    return gpx_decode_info((const unsigned char *)s, strlen(s), flags, f, c,
                           err);
}

/* Write a as GPX and decode it again into f. */
static void round_trip(const struct activity *a, struct activity_file *f)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    rc_buf_init(&b, (size_t)64 << 20);
    assert_int_equal(gpx_write_activity(a, &b, &err), 0);
    if (gpx_decode(b.data, b.len, 0, f, &err) < 0)
        fail_msg("decoding what gpx_write_activity wrote: line %ld: %s",
                 err.line, err.msg);
    rc_buf_release(&b);
}

static void test_gpx__round_trip_keeps_every_sample(void **state)
{
    struct activity a;
    struct activity_file f;
    const struct activity *r;
    (void)state;
    test_run_make(&a, 1500);
    round_trip(&a, &f);
    assert_string_equal(f.format, "gpx");
    assert_string_equal(f.file_type, "activity");
    assert_int_equal(f.records, 1500);
    assert_int_equal(f.nacts, 1);
    r = &f.acts[0];
    assert_string_equal(r->sport, "running");
    assert_string_equal(r->name, a.name);
    assert_string_equal(r->device.product_name, "Forerunner 945");
    assert_int_equal(r->nsamples, a.nsamples);
    for (size_t i = 0; i < a.nsamples; i++) {
        const struct activity_sample *x = &a.samples[i], *y = &r->samples[i];
        assert_true(fabs(x->time_s - y->time_s) < 1e-6);
        assert_true(fabs(x->lat_deg - y->lat_deg) < 5.1e-8);
        assert_true(fabs(x->lon_deg - y->lon_deg) < 5.1e-8);
        assert_true(fabs(x->alt_m - y->alt_m) < 0.051);
        assert_true(x->hr_bpm == y->hr_bpm);
        assert_true(x->cadence_rpm == y->cadence_rpm);
        assert_true(x->temp_c == y->temp_c);
        assert_true(x->power_w == y->power_w);
        assert_true(isnan(y->speed_mps)); /* GPX 1.1 has no speed */
    }
    activity_file_release(&f);
    activity_release(&a);
}

static void test_gpx__round_trip_totals_match_the_watch(void **state)
{
    struct activity a;
    struct activity_file f;
    const struct activity *r;
    double watch_m;
    (void)state;
    test_run_make(&a, 1500);
    watch_m = a.samples[a.nsamples - 1].dist_m;
    round_trip(&a, &f);
    r = &f.acts[0];
    assert_true(r->start_s == TEST_RUN_START);
    assert_true(fabs(r->elapsed_s - (1499 + TEST_RUN_PAUSE_S)) < 1e-6);
    /* the 46 s step over the pause is left out of the timer */
    assert_true(fabs(r->timer_s - (1499 - 1)) < 1e-6);
    /* the standing fix wanders within 1 m: not counted */
    assert_true(fabs(r->distance_m - watch_m) / watch_m < 0.001);
    assert_true(r->computed & ACTIVITY_C_DISTANCE);
    assert_true(fabs(r->moving_s - (1499 - TEST_RUN_STAND_S)) < 3);
    activity_file_release(&f);
    activity_release(&a);
}

static void test_gpx__several_tracks_are_several_activities(void **state)
{
    struct activity a[2];
    struct activity_file f;
    struct gpx_counts c;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    test_run_make(&a[0], 300);
    test_run_make(&a[1], 200);
    for (size_t i = 0; i < a[1].nsamples; i++)
        a[1].samples[i].time_s += 86400;
    a[1].start_s += 86400;
    rc_buf_init(&b, (size_t)16 << 20);
    assert_int_equal(gpx_write_activities(a, 2, &b, &err), 0);
    assert_int_equal(gpx_decode_info(b.data, b.len, 0, &f, &c, &err), 0);
    assert_int_equal(f.nacts, 2);
    assert_int_equal(c.trk, 2);
    assert_int_equal(c.trkpt, 500);
    assert_int_equal(f.records, 500);
    assert_int_equal(f.acts[0].nsamples, 300);
    assert_int_equal(f.acts[1].nsamples, 200);
    assert_true(f.acts[1].start_s == TEST_RUN_START + 86400);
    rc_buf_release(&b);
    activity_file_release(&f);
    activity_release(&a[0]);
    activity_release(&a[1]);
}

static void test_gpx__segments_join_into_one_activity(void **state)
{
    static const char doc[] =
        "<gpx version=\"1.1\"><trk><trkseg>"
        "<trkpt lat=\"45\" lon=\"7\"><time>2020-01-01T10:00:00Z</time></trkpt>"
        "</trkseg><trkseg>"
        "<trkpt lat=\"45.001\" lon=\"7\"><time>2020-01-01T10:05:00Z</time>"
        "</trkpt></trkseg></trk></gpx>";
    struct activity_file f;
    struct gpx_counts c;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, &c, &err), 0);
    assert_int_equal(f.nacts, 1);
    assert_int_equal(c.trkseg, 2);
    assert_int_equal(f.acts[0].nsamples, 2);
    assert_true(f.acts[0].elapsed_s == 300);
    activity_file_release(&f);
}

static void test_gpx__track_inside_a_nested_gpx_is_not_a_track(void **state)
{
    /* found by the fuzzer: the inner <trk> began a second track over the
     * first one and leaked its samples */
    static const char doc[] =
        "<gpx><trk><trkseg><trkpt lat=\"45\" lon=\"7\">"
        "<time>2020-01-01T10:00:00Z</time></trkpt><gpx><trk><trkseg>"
        "<trkpt lat=\"45\" lon=\"7\"/></trkseg></trk></gpx>"
        "</trkseg></trk></gpx>";
    struct activity_file f;
    struct gpx_counts c;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, &c, &err), 0);
    assert_int_equal(c.trk, 1);
    assert_int_equal(f.nacts, 1);
    assert_int_equal(f.acts[0].nsamples, 1);
    activity_file_release(&f);
}

static void test_gpx__track_without_times_is_not_an_activity(void **state)
{
    static const char doc[] =
        "<gpx version=\"1.1\"><trk><name>plan</name><trkseg>"
        "<trkpt lat=\"45\" lon=\"7\"><ele>10</ele></trkpt>"
        "<trkpt lat=\"45.001\" lon=\"7\"/><trkpt lat=\"45.002\" lon=\"7\"/>"
        "</trkseg></trk></gpx>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    assert_int_equal(f.nacts, 0);
    assert_int_equal(f.records, 3);
    assert_string_equal(f.file_type, "track");
    assert_string_equal(f.note,
                        "no timestamps, not an activity: 3 track points");
    activity_file_release(&f);
}

static void test_gpx__untimed_track_beside_a_run_is_left_out(void **state)
{
    static const char doc[] =
        "<gpx><trk><trkseg><trkpt lat=\"45\" lon=\"7\"/></trkseg></trk>"
        "<trk><trkseg><trkpt lat=\"45\" lon=\"7\">"
        "<time>2020-01-01T10:00:00Z</time></trkpt></trkseg></trk></gpx>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    assert_int_equal(f.nacts, 1);
    assert_int_equal(f.records, 2);
    assert_int_equal(f.nwarnings, 1);
    assert_string_equal(f.warnings[0], "1 track without timestamps left out "
                                       "(not an activity)");
    activity_file_release(&f);
}

static void test_gpx__route_is_not_an_activity(void **state)
{
    static const char doc[] =
        "<gpx version=\"1.0\"><rte><name>r</name>"
        "<rtept lat=\"45\" lon=\"7\"><time>2020-01-01T10:00:00Z</time></rtept>"
        "<rtept lat=\"45.1\" lon=\"7\"/></rte>"
        "<wpt lat=\"45\" lon=\"7\"><name>start</name></wpt></gpx>";
    struct activity_file f;
    struct gpx_counts c;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, &c, &err), 0);
    assert_int_equal(f.nacts, 0);
    assert_int_equal(f.records, 0);
    assert_int_equal(c.rtept, 2);
    assert_int_equal(c.wpt, 1);
    assert_string_equal(f.file_type, "route");
    assert_string_equal(f.note,
                        "a planned route, not an activity: 2 route points");
    activity_file_release(&f);
}

static void test_gpx__waypoints_alone_are_not_an_activity(void **state)
{
    static const char doc[] = "<gpx><wpt lat=\"45\" lon=\"7\"/></gpx>";
    static const char empty[] = "<gpx version=\"1.1\"/>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    assert_string_equal(f.file_type, "waypoints");
    assert_string_equal(f.note, "waypoints only, not an activity: 1 waypoint");
    activity_file_release(&f);
    assert_int_equal(decode_str(empty, 0, &f, NULL, &err), 0);
    assert_string_equal(f.file_type, "empty");
    assert_string_equal(f.note, "no track points, not an activity");
    activity_file_release(&f);
}

/* One point with the given extensions; the sample decoded. */
static void one_point(const char *ext, struct activity_sample *out,
                      struct activity_file *f)
{
    char doc[2048];
    struct rc_err err = RC_ERR_INIT;
    snprintf(doc, sizeof(doc),
             "<gpx xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/"
             "TrackPointExtension/v1\" xmlns:tp2=\"http://www.garmin.com/"
             "xmlschemas/TrackPointExtension/v2\" xmlns:gpxdata=\"http://"
             "www.cluetrust.com/XML/GPXDATA/1/0\" xmlns:pwr=\"http://www."
             "garmin.com/xmlschemas/PowerExtension/v1\" xmlns:gpxx=\"http://"
             "www.garmin.com/xmlschemas/GpxExtensions/v3\"><trk><trkseg>"
             "<trkpt lat=\"45.5\" lon=\"-7.25\"><ele>12.5</ele>"
             "<time>2020-01-01T10:00:00Z</time>%s</trkpt>"
             "</trkseg></trk></gpx>",
             ext);
    if (decode_str(doc, 0, f, NULL, &err) < 0)
        fail_msg("line %ld col %ld: %s", err.line, err.column, err.msg);
    assert_int_equal(f->nacts, 1);
    *out = f->acts[0].samples[0];
}

static void test_gpx__garmin_extension_v1(void **state)
{
    struct activity_sample s;
    struct activity_file f;
    (void)state;
    one_point("<extensions><gpxtpx:TrackPointExtension>"
              "<gpxtpx:atemp>21.5</gpxtpx:atemp><gpxtpx:hr>151</gpxtpx:hr>"
              "<gpxtpx:cad>88</gpxtpx:cad></gpxtpx:TrackPointExtension>"
              "</extensions>",
              &s, &f);
    assert_true(s.lat_deg == 45.5 && s.lon_deg == -7.25);
    assert_true(s.alt_m == 12.5f);
    assert_true(s.temp_c == 21.5f);
    assert_true(s.hr_bpm == 151);
    assert_true(s.cadence_rpm == 88);
    assert_true(isnan(s.power_w));
    activity_file_release(&f);
}

static void test_gpx__garmin_extension_v2_speed(void **state)
{
    struct activity_sample s;
    struct activity_file f;
    (void)state;
    one_point("<extensions><tp2:TrackPointExtension><tp2:hr>140</tp2:hr>"
              "<tp2:cad>90</tp2:cad><tp2:speed>3.25</tp2:speed>"
              "<tp2:course>270</tp2:course></tp2:TrackPointExtension>"
              "</extensions>",
              &s, &f);
    assert_true(s.hr_bpm == 140);
    assert_true(s.cadence_rpm == 90);
    assert_true(s.speed_mps == 3.25f);
    activity_file_release(&f);
}

static void test_gpx__vendor_extensions(void **state)
{
    struct activity_sample s;
    struct activity_file f;
    (void)state;
    /* Strava (power, heartrate), cluetrust gpxdata, Garmin power,
     * Garmin GpxExtensions temperature */
    one_point("<extensions><power>250</power><heartrate>130</heartrate>"
              "<gpxdata:cadence>84</gpxdata:cadence>"
              "<gpxdata:distance>1234.5</gpxdata:distance>"
              "<gpxx:Temperature>8</gpxx:Temperature></extensions>",
              &s, &f);
    assert_true(s.power_w == 250);
    assert_true(s.hr_bpm == 130);
    assert_true(s.cadence_rpm == 84);
    assert_true(s.dist_m == 1234.5f);
    assert_true(s.temp_c == 8);
    activity_file_release(&f);
    one_point("<extensions><pwr:PowerInWatts>301</pwr:PowerInWatts>"
              "</extensions>",
              &s, &f);
    assert_true(s.power_w == 301);
    activity_file_release(&f);
}

static void test_gpx__first_value_of_a_point_wins(void **state)
{
    struct activity_sample s;
    struct activity_file f;
    (void)state;
    one_point("<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>98"
              "</gpxtpx:hr></gpxtpx:TrackPointExtension><heartrate>99"
              "</heartrate><gpxdata:hr>100</gpxdata:hr></extensions>",
              &s, &f);
    assert_true(s.hr_bpm == 98);
    activity_file_release(&f);
}

static void test_gpx__gpx10_speed(void **state)
{
    struct activity_sample s;
    struct activity_file f;
    (void)state;
    one_point("<course>12.5</course><speed>2.5</speed>", &s, &f);
    assert_true(s.speed_mps == 2.5f);
    activity_file_release(&f);
}

static void test_gpx__no_heart_rate_signal_is_not_recorded(void **state)
{
    struct activity_sample s;
    struct activity_file f;
    (void)state;
    one_point("<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>0"
              "</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>",
              &s, &f);
    assert_true(isnan(s.hr_bpm));
    assert_true(isnan(f.acts[0].avg_hr_bpm));
    activity_file_release(&f);
}

static void test_gpx__bad_value_is_not_recorded_with_one_warning(void **state)
{
    static const char doc[] =
        "<gpx xmlns:gpxx=\"urn:x\"><trk><trkseg>\n"
        "<trkpt lat=\"45\" lon=\"7\"><time>2020-01-01T10:00:00Z</time>"
        "<extensions><gpxx:Temperature>null</gpxx:Temperature>"
        "</extensions></trkpt>\n"
        "<trkpt lat=\"45\" lon=\"7\"><time>2020-01-01T10:00:01Z</time>"
        "<extensions><gpxx:Temperature>null</gpxx:Temperature>"
        "</extensions></trkpt>\n"
        "<trkpt lat=\"abc\" lon=\"7\"><time>yesterday</time></trkpt>\n"
        "</trkseg></trk></gpx>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    assert_int_equal(f.acts[0].nsamples, 3);
    assert_true(isnan(f.acts[0].samples[0].temp_c));
    assert_true(isnan(f.acts[0].samples[2].lat_deg));
    assert_true(isnan(f.acts[0].samples[2].lon_deg));
    assert_true(isnan(f.acts[0].samples[2].time_s));
    assert_int_equal(f.nwarnings, 3);
    assert_string_equal(f.warnings[0], "<Temperature> \"null\" at line 2 is "
                                       "not a number: read as not recorded");
    assert_string_equal(f.warnings[1], "trkpt lat= \"abc\" at line 4 is not a "
                                       "number: read as not recorded");
    assert_string_equal(f.warnings[2], "<time> \"yesterday\" at line 4 is not "
                                       "an ISO 8601 time: read as not "
                                       "recorded");
    activity_file_release(&f);
}

static void test_gpx__coordinate_limits(void **state)
{
    static const char doc[] =
        "<gpx><trk><trkseg>"
        "<trkpt lat=\"90\" lon=\"-180\"><time>2020-01-01T10:00:00Z</time>"
        "</trkpt><trkpt lat=\"90.0001\" lon=\"0\">"
        "<time>2020-01-01T10:00:01Z</time></trkpt>"
        "</trkseg></trk></gpx>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    assert_true(f.acts[0].samples[0].lat_deg == 90);
    assert_true(f.acts[0].samples[0].lon_deg == -180);
    assert_true(isnan(f.acts[0].samples[1].lat_deg));
    assert_true(isnan(f.acts[0].samples[1].lon_deg));
    assert_string_equal(f.warnings[0], "trkpt lat=\"90.0001\" at line 1 is "
                                       "outside -90..90: position read as "
                                       "not recorded");
    activity_file_release(&f);
}

static void test_gpx__sport_from_type(void **state)
{
    static const struct {
        const char *type, *sport;
    } cases[] = {
        { "running", "running" }, { "9", "running" }, { "16", "swimming" },
        { "Biking", "cycling" },  { "hiking", "hiking" }, { "WM R Paved", "generic" },
    };
    (void)state;
    for (size_t i = 0; i < RC_ARRAY_SIZE(cases); i++) {
        char doc[512];
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        snprintf(doc, sizeof(doc),
                 "<gpx><trk><type>%s</type><trkseg><trkpt lat=\"1\" lon=\"1\">"
                 "<time>2020-01-01T10:00:00Z</time></trkpt></trkseg></trk>"
                 "</gpx>",
                 cases[i].type);
        assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
        assert_string_equal(f.acts[0].sport, cases[i].sport);
        activity_file_release(&f);
    }
}

static void test_gpx__names_and_offset(void **state)
{
    static const char doc[] =
        "<gpx creator=\"NikePlus GPX Bridge\"><metadata><name>From metadata"
        "</name><time>2015-12-11T14:43:13Z</time></metadata><trk><trkseg>"
        "<trkpt lat=\"57\" lon=\"9.9\"><link href=\"x\"><type>ignored</type>"
        "</link><time>2015-12-11T15:43:13.000+01:00</time></trkpt>"
        "</trkseg></trk></gpx>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    assert_string_equal(f.acts[0].name, "From metadata");
    assert_string_equal(f.acts[0].sport, "generic");
    assert_string_equal(f.acts[0].device.product_name, "NikePlus GPX Bridge");
    assert_true(f.acts[0].start_s == 1449844993.0);
    assert_true(f.acts[0].has_utc_offset);
    assert_int_equal(f.acts[0].utc_offset_s, 3600);
    activity_file_release(&f);
}

static void test_gpx__strava_undeclared_prefix_imports_with_warning(
    void **state)
{
    static const char doc[] =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<gpx creator=\"StravaGPX\" version=\"1.1\" xmlns=\"http://www."
        "topografix.com/GPX/1/1\">\n<trk><type>9</type><trkseg>\n"
        "<trkpt lat=\"45.0288\" lon=\"5.4725\"><ele>1299</ele><time>"
        "2020-12-25T20:40:26Z</time><extensions><gpxdata:cadence>43"
        "</gpxdata:cadence></extensions></trkpt>\n</trkseg></trk></gpx>\n";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), 0);
    assert_int_equal(f.nacts, 1);
    assert_true(f.acts[0].samples[0].cadence_rpm == 43);
    assert_int_equal(f.nwarnings, 1);
    assert_string_equal(f.warnings[0], "undeclared prefix 'gpxdata' at line 4: "
                                       "read without namespaces");
    activity_file_release(&f);
}

/* The first n bytes of the run written as GPX. */
static void cut_run(struct rc_buf *b, double fraction)
{
    struct activity a;
    struct rc_err err = RC_ERR_INIT;
    test_run_make(&a, 200);
    rc_buf_init(b, (size_t)16 << 20);
    assert_int_equal(gpx_write_activity(&a, b, &err), 0);
    b->len = (size_t)((double)b->len * fraction);
    activity_release(&a);
}

/* Complete <trkpt> elements in p[0..n). */
static long closed_points(const unsigned char *p, size_t n)
{
    long k = 0;
    for (size_t i = 0; i + 8 <= n; i++)
        k += !memcmp(p + i, "</trkpt>", 8);
    return k;
}

static void test_gpx__cut_off_file_fails_with_line_and_column(void **state)
{
    struct rc_buf b;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    long lines = 1;
    (void)state;
    cut_run(&b, 0.5);
    for (size_t i = 0; i < b.len; i++)
        lines += b.data[i] == '\n';
    activity_file_init(&f);
    f.records = 12345; /* must stay untouched */
    assert_int_equal(gpx_decode(b.data, b.len, 0, &f, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(err.line, lines);
    assert_true(err.column > 0);
    assert_non_null(strstr(err.msg, "cut off"));
    assert_int_equal(f.records, 12345);
    assert_null(f.acts);
    rc_buf_release(&b);
}

static void test_gpx__salvage_keeps_complete_points(void **state)
{
    struct rc_buf b;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    long closed;
    (void)state;
    cut_run(&b, 0.5);
    closed = closed_points(b.data, b.len);
    assert_true(closed > 10);
    assert_int_equal(gpx_decode(b.data, b.len, ACTIVITY_SALVAGE, &f, &err), 0);
    assert_int_equal(err.status, RC_OK);
    assert_true(f.salvaged);
    assert_int_equal(f.nacts, 1);
    assert_true(f.acts[0].salvaged);
    assert_int_equal(f.records, closed);
    assert_int_equal((long)f.acts[0].nsamples, closed);
    assert_int_equal(f.nwarnings, 1);
    assert_non_null(strstr(f.warnings[0], "salvaged: line "));
    assert_true(activity_known(f.acts[0].distance_m));
    activity_file_release(&f);
    rc_buf_release(&b);
}

static void test_gpx__salvage_needs_a_complete_point(void **state)
{
    static const char doc[] = "<gpx><trk><trkseg><trkpt lat=\"45\" lon=\"7\">"
                              "<time>2020-01-01T10:00:00Z</time>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, ACTIVITY_SALVAGE, &f, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "no element found"));
}

static void test_gpx__malformed_xml_fails_and_salvage_keeps_closed_points(void **state)
{
    static const char doc[] = "<gpx><trk><trkseg>\n<trkpt lat=\"45\" lon=\"7\">"
                              "<time>2020-01-01T10:00:00Z</time></trkpt>\n"
                              "<trkpt lat=\"45\" lon=\"7\"></trkseg></trk>"
                              "</gpx>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_str(doc, 0, &f, NULL, &err), -1);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.msg, "not well-formed XML: mismatched tag");
    rc_err_clear(&err);
    /* salvage keeps the point that closed before the damage */
    assert_int_equal(decode_str(doc, ACTIVITY_SALVAGE, &f, NULL, &err), 0);
    assert_int_equal(f.acts[0].nsamples, 1);
    activity_file_release(&f);
}

static void test_gpx__decode_buffer_recognises_gpx(void **state)
{
    static const char doc[] =
        "\n  <?xml version=\"1.0\"?>\n<!-- exported > by hand -->\n"
        "<!DOCTYPE gpx [ <!ATTLIST gpx version CDATA \"1.1\"> ]>\n<gpx><trk><trkseg>"
        "<trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T10:00:00Z</time></trkpt>"
        "</trkseg></trk></gpx>";
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_ptr_equal(decode_sniff((const unsigned char *)doc, strlen(doc)),
                     decode_find("gpx"));
    assert_int_equal(decode_buffer((const unsigned char *)doc, strlen(doc), 0,
                                   &f, &err),
                     0);
    assert_string_equal(f.format, "gpx");
    assert_int_equal(f.nwarnings, 1);
    assert_string_equal(f.warnings[0], "3 blanks before the XML declaration "
                                       "at line 2: skipped");
    activity_file_release(&f);
}

static void test_gpx__each_failed_allocation_fails_cleanly(void **state)
{
    struct activity a;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    test_run_make(&a, 120);
    rc_buf_init(&b, (size_t)16 << 20);
    assert_int_equal(gpx_write_activities(&a, 1, &b, &err), 0);
    test_decode_torture(gpx_decode, b.data, b.len, 0);
    b.len = b.len * 2 / 3; /* and the salvage path */
    test_decode_torture(gpx_decode, b.data, b.len, ACTIVITY_SALVAGE);
    rc_buf_release(&b);
    activity_release(&a);
}

static void test_gpx__writer_fails_when_the_buffer_is_full(void **state)
{
    struct activity a;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    test_run_make(&a, 60);
    rc_buf_init(&b, 4096);
    assert_int_equal(gpx_write_activity(&a, &b, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    rc_buf_release(&b);
    activity_release(&a);
}

static void test_gpx__writer_leaves_out_points_without_position(void **state)
{
    struct activity a;
    struct activity_file f;
    (void)state;
    test_run_make(&a, 60);
    a.samples[10].lat_deg = NAN;
    a.samples[11].lon_deg = NAN;
    round_trip(&a, &f);
    assert_int_equal(f.acts[0].nsamples, 58);
    activity_file_release(&f);
    activity_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gpx__round_trip_keeps_every_sample),
        cmocka_unit_test(test_gpx__round_trip_totals_match_the_watch),
        cmocka_unit_test(test_gpx__several_tracks_are_several_activities),
        cmocka_unit_test(test_gpx__segments_join_into_one_activity),
        cmocka_unit_test(test_gpx__track_inside_a_nested_gpx_is_not_a_track),
        cmocka_unit_test(test_gpx__track_without_times_is_not_an_activity),
        cmocka_unit_test(test_gpx__untimed_track_beside_a_run_is_left_out),
        cmocka_unit_test(test_gpx__route_is_not_an_activity),
        cmocka_unit_test(test_gpx__waypoints_alone_are_not_an_activity),
        cmocka_unit_test(test_gpx__garmin_extension_v1),
        cmocka_unit_test(test_gpx__garmin_extension_v2_speed),
        cmocka_unit_test(test_gpx__vendor_extensions),
        cmocka_unit_test(test_gpx__first_value_of_a_point_wins),
        cmocka_unit_test(test_gpx__gpx10_speed),
        cmocka_unit_test(test_gpx__no_heart_rate_signal_is_not_recorded),
        cmocka_unit_test(test_gpx__bad_value_is_not_recorded_with_one_warning),
        cmocka_unit_test(test_gpx__coordinate_limits),
        cmocka_unit_test(test_gpx__sport_from_type),
        cmocka_unit_test(test_gpx__names_and_offset),
        cmocka_unit_test(
            test_gpx__strava_undeclared_prefix_imports_with_warning),
        cmocka_unit_test(test_gpx__cut_off_file_fails_with_line_and_column),
        cmocka_unit_test(test_gpx__salvage_keeps_complete_points),
        cmocka_unit_test(test_gpx__salvage_needs_a_complete_point),
        cmocka_unit_test(test_gpx__malformed_xml_fails_and_salvage_keeps_closed_points),
        cmocka_unit_test(test_gpx__decode_buffer_recognises_gpx),
        cmocka_unit_test(test_gpx__each_failed_allocation_fails_cleanly),
        cmocka_unit_test(test_gpx__writer_fails_when_the_buffer_is_full),
        cmocka_unit_test(test_gpx__writer_leaves_out_points_without_position),
    };
    return cmocka_run_group_tests_name("gpx", tests, NULL, NULL);
}
