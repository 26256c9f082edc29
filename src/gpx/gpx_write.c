/* gpx_write.c - struct activity to a GPX 1.1 file, as Garmin Connect and
 * Strava export one (see gpx.h). Used by tests (round trips, the same run
 * as FIT, GPX and TCX) and by `runcare demo` (a phone's recording of a run
 * the watch also recorded).
 *
 *   <gpx creator="Forerunner 945" version="1.1" xmlns=... xmlns:gpxtpx=...>
 *    <metadata><time>START</time></metadata>
 *    <trk><name>NAME</name><type>running</type><trkseg>
 *     <trkpt lat="41.1630396" lon="-74.1796192"><ele>147.2</ele>
 *      <time>2019-06-15T09:42:23Z</time>
 *      <extensions><power>210</power><gpxtpx:TrackPointExtension>
 *       <gpxtpx:atemp>30.0</gpxtpx:atemp><gpxtpx:hr>71</gpxtpx:hr>
 *       <gpxtpx:cad>49</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>
 *     </trkpt> ...
 *    </trkseg></trk>
 *   </gpx> */
#include "base/base.h"
#include "gpx/gpx.h"
#include "xml/xml.h"

static int put_point(struct rc_buf *b, const struct activity_sample *s,
                     struct rc_err *err)
{
    bool tpx = activity_known(s->temp_c) || activity_known(s->hr_bpm) ||
               activity_known(s->cadence_rpm);

    if (rc_buf_appendf(b, err, "   <trkpt lat=\"%.7f\" lon=\"%.7f\">\n",
                       s->lat_deg, s->lon_deg) < 0)
        return -1;
    if (activity_known(s->alt_m) &&
        rc_buf_appendf(b, err, "    <ele>%.1f</ele>\n", s->alt_m) < 0)
        return -1;
    if (activity_known(s->time_s) &&
        (rc_buf_appendf(b, err, "    <time>") < 0 ||
         xml_put_time(b, s->time_s, err) < 0 ||
         rc_buf_appendf(b, err, "</time>\n") < 0))
        return -1;
    if (tpx || activity_known(s->power_w)) {
        if (rc_buf_appendf(b, err, "    <extensions>\n") < 0)
            return -1;
        if (activity_known(s->power_w) &&
            rc_buf_appendf(b, err, "     <power>%.0f</power>\n", s->power_w) <
                0)
            return -1;
        if (tpx) {
            if (rc_buf_appendf(b, err, "     <gpxtpx:TrackPointExtension>\n") <
                0)
                return -1;
            if (activity_known(s->temp_c) &&
                rc_buf_appendf(b, err,
                               "      <gpxtpx:atemp>%.1f</gpxtpx:atemp>\n",
                               s->temp_c) < 0)
                return -1;
            if (activity_known(s->hr_bpm) &&
                rc_buf_appendf(b, err, "      <gpxtpx:hr>%.0f</gpxtpx:hr>\n",
                               s->hr_bpm) < 0)
                return -1;
            if (activity_known(s->cadence_rpm) &&
                rc_buf_appendf(b, err, "      <gpxtpx:cad>%.0f</gpxtpx:cad>\n",
                               s->cadence_rpm) < 0)
                return -1;
            if (rc_buf_appendf(b, err,
                               "     </gpxtpx:TrackPointExtension>\n") < 0)
                return -1;
        }
        if (rc_buf_appendf(b, err, "    </extensions>\n") < 0)
            return -1;
    }
    return rc_buf_appendf(b, err, "   </trkpt>\n");
}

static int put_track(struct rc_buf *b, const struct activity *a,
                     struct rc_err *err)
{
    if (rc_buf_appendf(b, err, " <trk>\n") < 0)
        return -1;
    if (a->name[0] &&
        (rc_buf_appendf(b, err, "  <name>") < 0 ||
         xml_put_text(b, a->name, err) < 0 ||
         rc_buf_appendf(b, err, "</name>\n") < 0))
        return -1;
    if (strcmp(a->sport, "generic") && a->sport[0] &&
        (rc_buf_appendf(b, err, "  <type>") < 0 ||
         xml_put_text(b, a->sport, err) < 0 ||
         rc_buf_appendf(b, err, "</type>\n") < 0))
        return -1;
    if (rc_buf_appendf(b, err, "  <trkseg>\n") < 0)
        return -1;
    for (size_t i = 0; i < a->nsamples; i++) {
        const struct activity_sample *s = &a->samples[i];
        if (!activity_known(s->lat_deg) || !activity_known(s->lon_deg))
            continue; /* GPX points need a position */
        if (put_point(b, s, err) < 0)
            return -1;
    }
    return rc_buf_appendf(b, err, "  </trkseg>\n </trk>\n");
}

/* When the activity started: its start, else its first timed sample. */
static double first_time(const struct activity *a)
{
    if (activity_known(a->start_s))
        return a->start_s;
    for (size_t i = 0; i < a->nsamples; i++)
        if (activity_known(a->samples[i].time_s))
            return a->samples[i].time_s;
    return NAN;
}

int gpx_write_activities(const struct activity *acts, size_t n,
                         struct rc_buf *out, struct rc_err *err)
{
    const char *creator =
        n && acts[0].device.product_name[0] ? acts[0].device.product_name
                                            : "runcare";
    double start = n ? first_time(&acts[0]) : NAN;

    if (rc_buf_appendf(out, err,
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<gpx creator=\"") < 0 ||
        xml_put_text(out, creator, err) < 0 ||
        rc_buf_appendf(
            out, err,
            "\" version=\"1.1\" "
            "xmlns=\"http://www.topografix.com/GPX/1/1\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/"
            "TrackPointExtension/v1\" "
            "xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 "
            "http://www.topografix.com/GPX/1/1/gpx.xsd "
            "http://www.garmin.com/xmlschemas/TrackPointExtension/v1 "
            "http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd\">\n") <
            0)
        return -1;
    if (activity_known(start) &&
        (rc_buf_appendf(out, err, " <metadata>\n  <time>") < 0 ||
         xml_put_time(out, start, err) < 0 ||
         rc_buf_appendf(out, err, "</time>\n </metadata>\n") < 0))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (put_track(out, &acts[i], err) < 0)
            return -1;
    return rc_buf_appendf(out, err, "</gpx>\n");
}

int gpx_write_activity(const struct activity *a, struct rc_buf *out,
                       struct rc_err *err)
{
    return gpx_write_activities(a, 1, out, err);
}
