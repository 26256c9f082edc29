/* lib_tcx_write.c - struct activity to a TCX file, as Garmin Connect
 * exports one (see tcx_write.h). Used by tests (round trips, the same run
 * as FIT, GPX and TCX) and by the TCX fuzz target.
 *
 *   <TrainingCenterDatabase xmlns=".../TrainingCenterDatabase/v2"
 *                           xmlns:ns3=".../ActivityExtension/v2" ...>
 *    <Activities><Activity Sport="Running"><Id>START</Id>
 *     <Lap StartTime="...">
 *      <TotalTimeSeconds/> <DistanceMeters/> <Calories/>
 *      <AverageHeartRateBpm><Value/></..> <MaximumHeartRateBpm>..</..>
 *      <Intensity>Active</Intensity> [<Cadence/> cycling]
 *      <TriggerMethod>Manual</TriggerMethod>
 *      <Track><Trackpoint><Time/><Position><LatitudeDegrees/>
 *        <LongitudeDegrees/></Position><AltitudeMeters/><DistanceMeters/>
 *        <HeartRateBpm><Value/></HeartRateBpm> [<Cadence/> cycling]
 *        <Extensions><ns3:TPX><ns3:Speed/> [<ns3:RunCadence/> running]
 *        <ns3:Watts/></ns3:TPX></Extensions></Trackpoint> ...</Track>
 *      [<Extensions><ns3:LX><ns3:AvgRunCadence/><ns3:MaxRunCadence/>
 *       </ns3:LX></Extensions> running]
 *     </Lap> ...
 *     <Creator xsi:type="Device_t"><Name/><UnitId/><ProductID/><Version>
 *      ..</Version></Creator>
 *    </Activity></Activities>
 *    <Author xsi:type="Application_t">runcare ...</Author>
 *   </TrainingCenterDatabase>
 *
 * The schema (TrainingCenterDatabasev2.xsd) makes TotalTimeSeconds,
 * DistanceMeters, Calories, Intensity and TriggerMethod compulsory in a
 * lap: unknown ones are written as 0 (the decoder reads a 0 Calories as
 * not recorded). */
#include <inttypes.h>

#include "base/base.h"
#include "xml/xml.h"
#include "tcx_write.h"

/* One lap as written: its totals and the samples [from, to) it holds. */
struct tcx_lap_out {
    struct activity_lap totals;
    size_t from, to;
};

static const char *tcx_sport(const char *sport)
{
    if (!strcmp(sport, "running"))
        return "Running";
    if (!strcmp(sport, "cycling"))
        return "Biking";
    return "Other";
}

static int put_tag_num(struct rc_buf *b, const char *indent, const char *tag,
                       const char *fmt, double v, struct rc_err *err)
{
    char num[48];
    snprintf(num, sizeof(num), fmt, v);
    return rc_buf_appendf(b, err, "%s<%s>%s</%s>\n", indent, tag, num, tag);
}

static int put_point(struct rc_buf *b, const struct activity_sample *s,
                     bool running, struct rc_err *err)
{
    const char *in = "            ";
    bool cad_tpx = running && activity_known(s->cadence_rpm);
    bool tpx = activity_known(s->speed_mps) || activity_known(s->power_w) ||
               cad_tpx;

    if (rc_buf_appendf(b, err, "          <Trackpoint>\n%s<Time>", in) < 0 ||
        xml_put_time(b, s->time_s, err) < 0 ||
        rc_buf_appendf(b, err, "</Time>\n") < 0)
        return -1;
    if (activity_known(s->lat_deg) && activity_known(s->lon_deg) &&
        rc_buf_appendf(b, err,
                       "%s<Position>\n"
                       "%s  <LatitudeDegrees>%.7f</LatitudeDegrees>\n"
                       "%s  <LongitudeDegrees>%.7f</LongitudeDegrees>\n"
                       "%s</Position>\n",
                       in, in, s->lat_deg, in, s->lon_deg, in) < 0)
        return -1;
    if (activity_known(s->alt_m) &&
        put_tag_num(b, in, "AltitudeMeters", "%.1f", s->alt_m, err) < 0)
        return -1;
    if (activity_known(s->dist_m) &&
        put_tag_num(b, in, "DistanceMeters", "%.2f", s->dist_m, err) < 0)
        return -1;
    if (activity_known(s->hr_bpm) && s->hr_bpm >= 0.5f &&
        rc_buf_appendf(b, err,
                       "%s<HeartRateBpm>\n%s  <Value>%.0f</Value>\n"
                       "%s</HeartRateBpm>\n",
                       in, in, s->hr_bpm, in) < 0)
        return -1;
    if (!running && activity_known(s->cadence_rpm) &&
        put_tag_num(b, in, "Cadence", "%.0f", s->cadence_rpm, err) < 0)
        return -1;
    if (tpx) {
        if (rc_buf_appendf(b, err, "%s<Extensions>\n%s  <ns3:TPX>\n", in,
                           in) < 0)
            return -1;
        if (activity_known(s->speed_mps) &&
            put_tag_num(b, "                ", "ns3:Speed", "%.3f",
                        s->speed_mps, err) < 0)
            return -1;
        if (cad_tpx && put_tag_num(b, "                ", "ns3:RunCadence",
                                   "%.0f", s->cadence_rpm, err) < 0)
            return -1;
        if (activity_known(s->power_w) &&
            put_tag_num(b, "                ", "ns3:Watts", "%.0f",
                        s->power_w, err) < 0)
            return -1;
        if (rc_buf_appendf(b, err, "%s  </ns3:TPX>\n%s</Extensions>\n", in,
                           in) < 0)
            return -1;
    }
    return rc_buf_appendf(b, err, "          </Trackpoint>\n");
}

static int put_lap(struct rc_buf *b, const struct activity *a,
                   const struct tcx_lap_out *lap, struct rc_err *err)
{
    const struct activity_lap *l = &lap->totals;
    const char *in = "        ";
    bool running = !strcmp(a->sport, "running");

    if (rc_buf_appendf(b, err, "      <Lap StartTime=\"") < 0 ||
        xml_put_time(b, l->start_s, err) < 0 ||
        rc_buf_appendf(b, err, "\">\n") < 0 ||
        put_tag_num(b, in, "TotalTimeSeconds", "%.3f",
                    activity_known(l->timer_s) ? l->timer_s : 0, err) < 0 ||
        put_tag_num(b, in, "DistanceMeters", "%.2f",
                    activity_known(l->distance_m) ? l->distance_m : 0,
                    err) < 0 ||
        put_tag_num(b, in, "Calories", "%.0f",
                    activity_known(l->calories_kcal) ? l->calories_kcal : 0,
                    err) < 0)
        return -1;
    if (activity_known(l->avg_hr_bpm) && l->avg_hr_bpm >= 0.5f &&
        rc_buf_appendf(b, err,
                       "%s<AverageHeartRateBpm>\n%s  <Value>%.0f</Value>\n"
                       "%s</AverageHeartRateBpm>\n",
                       in, in, l->avg_hr_bpm, in) < 0)
        return -1;
    if (activity_known(l->max_hr_bpm) && l->max_hr_bpm >= 0.5f &&
        rc_buf_appendf(b, err,
                       "%s<MaximumHeartRateBpm>\n%s  <Value>%.0f</Value>\n"
                       "%s</MaximumHeartRateBpm>\n",
                       in, in, l->max_hr_bpm, in) < 0)
        return -1;
    if (rc_buf_appendf(b, err, "%s<Intensity>Active</Intensity>\n", in) < 0)
        return -1;
    if (!running && activity_known(l->avg_cadence_rpm) &&
        put_tag_num(b, in, "Cadence", "%.0f", l->avg_cadence_rpm, err) < 0)
        return -1;
    if (rc_buf_appendf(b, err,
                       "%s<TriggerMethod>Manual</TriggerMethod>\n%s<Track>\n",
                       in, in) < 0)
        return -1;
    for (size_t i = lap->from; i < lap->to; i++)
        if (activity_known(a->samples[i].time_s) &&
            put_point(b, &a->samples[i], running, err) < 0)
            return -1;
    if (rc_buf_appendf(b, err, "%s</Track>\n", in) < 0)
        return -1;
    if (running && (activity_known(l->avg_cadence_rpm) ||
                    activity_known(l->max_cadence_rpm))) {
        if (rc_buf_appendf(b, err, "%s<Extensions>\n%s  <ns3:LX>\n", in,
                           in) < 0)
            return -1;
        if (activity_known(l->avg_cadence_rpm) &&
            put_tag_num(b, "            ", "ns3:AvgRunCadence", "%.0f",
                        l->avg_cadence_rpm, err) < 0)
            return -1;
        if (activity_known(l->max_cadence_rpm) &&
            put_tag_num(b, "            ", "ns3:MaxRunCadence", "%.0f",
                        l->max_cadence_rpm, err) < 0)
            return -1;
        if (rc_buf_appendf(b, err, "%s  </ns3:LX>\n%s</Extensions>\n", in,
                           in) < 0)
            return -1;
    }
    return rc_buf_appendf(b, err, "      </Lap>\n");
}

/* The first and last timed samples in [from, to): their times, or NAN. */
static void time_span(const struct activity *a, size_t from, size_t to,
                      double *first, double *last)
{
    *first = *last = NAN;
    for (size_t i = from; i < to; i++) {
        double t = a->samples[i].time_s;
        if (!activity_known(t))
            continue;
        if (!activity_known(*first))
            *first = t;
        *last = t;
    }
}

/* The whole activity as one lap, for activities without laps. */
static void whole_lap(const struct activity *a, struct tcx_lap_out *lap)
{
    struct activity_lap *l = &lap->totals;
    double first, last;

    time_span(a, 0, a->nsamples, &first, &last);
    activity_lap_init(l);
    l->start_s = activity_known(a->start_s) ? a->start_s : first;
    l->timer_s = activity_known(a->timer_s)     ? a->timer_s
                 : activity_known(a->elapsed_s) ? a->elapsed_s
                                                : last - first;
    l->distance_m = a->distance_m;
    l->calories_kcal = a->calories_kcal;
    l->avg_hr_bpm = a->avg_hr_bpm;
    l->max_hr_bpm = a->max_hr_bpm;
    l->avg_cadence_rpm = a->avg_cadence_rpm;
    l->max_cadence_rpm = a->max_cadence_rpm;
    lap->from = 0;
    lap->to = a->nsamples;
}

/* Do the laps have start times in order, so that samples can be split? */
static bool laps_usable(const struct activity *a)
{
    for (size_t i = 0; i < a->nlaps; i++)
        if (!activity_known(a->laps[i].start_s) ||
            (i && a->laps[i].start_s < a->laps[i - 1].start_s))
            return false;
    return a->nlaps > 0;
}

static int put_creator(struct rc_buf *b, const struct activity_device *d,
                       struct rc_err *err)
{
    if (!d->product_name[0] && !d->product)
        return 0;
    if (rc_buf_appendf(b, err,
                       "      <Creator xsi:type=\"Device_t\">\n"
                       "        <Name>") < 0 ||
        xml_put_text(b, d->product_name, err) < 0)
        return -1;
    return rc_buf_appendf(b, err,
                          "</Name>\n"
                          "        <UnitId>%" PRIu32 "</UnitId>\n"
                          "        <ProductID>%" PRIu32 "</ProductID>\n"
                          "        <Version>\n"
                          "          <VersionMajor>0</VersionMajor>\n"
                          "          <VersionMinor>0</VersionMinor>\n"
                          "        </Version>\n"
                          "      </Creator>\n",
                          d->serial, d->product);
}

static int put_activity(struct rc_buf *b, const struct activity *a,
                        struct rc_err *err)
{
    struct tcx_lap_out lap;
    double first, last;

    time_span(a, 0, a->nsamples, &first, &last);
    if (!activity_known(a->start_s) && !activity_known(first))
        return rc_fail(err, RC_EINPUT,
                       "a TCX activity needs a start time: this one has none");
    if (rc_buf_appendf(b, err, "    <Activity Sport=\"%s\">\n      <Id>",
                       tcx_sport(a->sport)) < 0 ||
        xml_put_time(b, activity_known(a->start_s) ? a->start_s : first,
                     err) < 0 ||
        rc_buf_appendf(b, err, "</Id>\n") < 0)
        return -1;
    if (!laps_usable(a)) {
        whole_lap(a, &lap);
        if (put_lap(b, a, &lap, err) < 0)
            return -1;
    } else {
        size_t i = 0;
        for (size_t k = 0; k < a->nlaps; k++) {
            lap.totals = a->laps[k];
            lap.from = i;
            /* a lap holds the samples until the next lap starts */
            while (i < a->nsamples &&
                   (k + 1 == a->nlaps ||
                    !activity_known(a->samples[i].time_s) ||
                    a->samples[i].time_s < a->laps[k + 1].start_s))
                i++;
            lap.to = i;
            if (put_lap(b, a, &lap, err) < 0)
                return -1;
        }
    }
    if (put_creator(b, &a->device, err) < 0)
        return -1;
    return rc_buf_appendf(b, err, "    </Activity>\n");
}

int tcx_write_activities(const struct activity *acts, size_t n,
                         struct rc_buf *out, struct rc_err *err)
{
    if (rc_buf_appendf(
            out, err,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<TrainingCenterDatabase "
            "xsi:schemaLocation=\"http://www.garmin.com/xmlschemas/"
            "TrainingCenterDatabase/v2 http://www.garmin.com/xmlschemas/"
            "TrainingCenterDatabasev2.xsd\" "
            "xmlns:ns3=\"http://www.garmin.com/xmlschemas/"
            "ActivityExtension/v2\" "
            "xmlns=\"http://www.garmin.com/xmlschemas/"
            "TrainingCenterDatabase/v2\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
            "  <Activities>\n") < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (put_activity(out, &acts[i], err) < 0)
            return -1;
    return rc_buf_appendf(out, err,
                          "  </Activities>\n"
                          "  <Author xsi:type=\"Application_t\">\n"
                          "    <Name>runcare</Name>\n"
                          "    <Build>\n"
                          "      <Version>\n"
                          "        <VersionMajor>0</VersionMajor>\n"
                          "        <VersionMinor>1</VersionMinor>\n"
                          "      </Version>\n"
                          "    </Build>\n"
                          "    <LangID>en</LangID>\n"
                          "    <PartNumber>000-00000-00</PartNumber>\n"
                          "  </Author>\n"
                          "</TrainingCenterDatabase>\n");
}

int tcx_write_activity(const struct activity *a, struct rc_buf *out,
                       struct rc_err *err)
{
    return tcx_write_activities(a, 1, out, err);
}
