/* tcx.c - the TCX decoder: Expat events (xml/xml.h) to struct activity.
 *
 * The part of a TCX file that is read (names without their prefixes;
 * Folders, Workouts, Author and everything else are skipped):
 *
 *   TrainingCenterDatabase
 *     Activities/[MultiSportSession/..]/Activity Sport=   one activity
 *       Id                                   -> start (an ISO time)
 *       Lap StartTime=                       -> one lap, kept when closed
 *         TotalTimeSeconds, DistanceMeters, Calories, Cadence,
 *         AverageHeartRateBpm/Value, MaximumHeartRateBpm/Value,
 *         Extensions/LX/AvgRunCadence, MaxRunCadence, MaxBikeCadence
 *         Track/Trackpoint                   -> one sample each
 *           Time, Position/LatitudeDegrees, LongitudeDegrees,
 *           AltitudeMeters, DistanceMeters, HeartRateBpm/Value, Cadence,
 *           Extensions/TPX/Speed, RunCadence, Watts
 *       Creator xsi:type=, Name, UnitId, ProductID  -> device
 *     Courses/Course                         counted: a planned route
 *
 * A trackpoint becomes a sample when it opens and is complete when it
 * closes; a lap is added when it closes. With ACTIVITY_SALVAGE a damaged file
 * keeps every trackpoint and lap that closed before the damage. */
#include "base/base.h"
#include "base/alloc.h"
#include "tcx/tcx.h"
#include "xml/xml.h"

enum tcx_tok {
    X_OTHER,
    X_ROOT,
    X_ACTIVITIES,
    X_ACTIVITY,
    X_ID,
    X_LAP,
    X_TOTALTIME,
    X_DISTANCE,
    X_CALORIES,
    X_AVGHR,
    X_MAXHR,
    X_VALUE,
    X_CADENCE,
    X_TRACK,
    X_TRACKPOINT,
    X_TIME,
    X_POSITION,
    X_LAT,
    X_LON,
    X_ALTITUDE,
    X_HR,
    X_TPX,
    X_LX,
    X_SPEED,
    X_RUNCAD,
    X_WATTS,
    X_AVGRUNCAD,
    X_MAXCAD,
    X_CREATOR,
    X_NAME,
    X_UNITID,
    X_PRODUCTID,
    X_COURSES,
    X_COURSE,
    X_NTOK
};

struct tcx_state {
    struct xml_doc doc; /* doc.act: the activity being read */
    struct tcx_counts c;
    struct activity_lap lap; /* the lap being read */
    bool in_activities;
    /* depth of the open Activity, Lap, Trackpoint and Creator elements (0:
     * none): an element is read only at its place, so that elements nested
     * where they do not belong cannot end what they did not begin */
    int act_depth, lap_depth, tp_depth, creator_depth;
    bool creator_is_device; /* Creator xsi:type="Device_t" */
    double id_s;            /* the activity's Id as a time, NAN if none */
    long untimed;           /* activities without any time, left out */
    int depth;
    unsigned char stack[RC_XML_MAX_DEPTH + 1];
    bool warned[X_NTOK]; /* a bad value of this element was reported */
};

/* The element's token; names are matched without their prefix. Every TCX
 * name we read starts with a capital letter; the switch keeps this to one
 * or two string compares per element (it runs for every element). */
static enum tcx_tok tcx_token(const char *n)
{
#define IS(name, tok)                                                         \
    if (!strcmp(n, name))                                                     \
    return tok
    switch (n[0]) {
    case 'A':
        IS("AltitudeMeters", X_ALTITUDE);
        IS("Activity", X_ACTIVITY);
        IS("Activities", X_ACTIVITIES);
        IS("AverageHeartRateBpm", X_AVGHR);
        IS("AvgRunCadence", X_AVGRUNCAD);
        break;
    case 'C':
        IS("Cadence", X_CADENCE);
        IS("Calories", X_CALORIES);
        IS("Creator", X_CREATOR);
        IS("Course", X_COURSE);
        IS("Courses", X_COURSES);
        break;
    case 'D':
        IS("DistanceMeters", X_DISTANCE);
        break;
    case 'H':
        IS("HeartRateBpm", X_HR);
        break;
    case 'I':
        IS("Id", X_ID);
        break;
    case 'L':
        IS("LatitudeDegrees", X_LAT);
        IS("LongitudeDegrees", X_LON);
        IS("Lap", X_LAP);
        IS("LX", X_LX);
        break;
    case 'M':
        IS("MaximumHeartRateBpm", X_MAXHR);
        IS("MaxRunCadence", X_MAXCAD);
        IS("MaxBikeCadence", X_MAXCAD);
        break;
    case 'N':
        IS("Name", X_NAME);
        break;
    case 'P':
        IS("Position", X_POSITION);
        IS("ProductID", X_PRODUCTID);
        break;
    case 'R':
        IS("RunCadence", X_RUNCAD);
        break;
    case 'S':
        IS("Speed", X_SPEED);
        break;
    case 'T':
        if (n[1] == 'r' && n[2] == 'a' && n[3] == 'c' && n[4] == 'k') {
            IS("Trackpoint", X_TRACKPOINT);
            IS("Track", X_TRACK);
            break;
        }
        IS("Time", X_TIME);
        IS("TPX", X_TPX);
        IS("TotalTimeSeconds", X_TOTALTIME);
        IS("TrainingCenterDatabase", X_ROOT);
        break;
    case 'U':
        IS("UnitId", X_UNITID);
        break;
    case 'V':
        IS("Value", X_VALUE);
        break;
    case 'W':
        IS("Watts", X_WATTS);
        break;
    }
    return X_OTHER;
#undef IS
}

static struct activity_sample *cur_point(struct tcx_state *t)
{
    return &t->doc.act.samples[t->doc.act.nsamples - 1];
}

static void activity_begin(struct tcx_state *t, const char **attrs)
{
    const char *sport = xml_attr(attrs, "Sport");
    activity_init(&t->doc.act);
    if (sport)
        xml_set_sport(&t->doc.act, sport, strlen(sport));
    t->act_depth = t->depth;
    t->id_s = NAN;
    t->c.activity++;
}

static void lap_begin(struct xml_reader *r, struct tcx_state *t,
                      const char **attrs)
{
    const char *st = xml_attr(attrs, "StartTime");
    int off;
    bool has_off;

    activity_lap_init(&t->lap);
    t->lap_depth = t->depth;
    if (st && xml_time(st, &t->lap.start_s, &off, &has_off) < 0)
        xml_bad_value(r, &t->warned[X_LAP], "Lap StartTime=", st,
                      "an ISO 8601 time");
}

static int lap_end(struct tcx_state *t)
{
    struct activity_lap *l;
    t->lap_depth = 0;
    l = activity_add_lap(&t->doc.act, t->doc.err);
    if (!l)
        return -1;
    *l = t->lap;
    return 0;
}

static int point_begin(struct xml_reader *r, struct tcx_state *t)
{
    if (t->c.trackpoint >= ACTIVITY_MAX_SAMPLES)
        return xml_fail(r, "more than %d trackpoints in one file",
                        ACTIVITY_MAX_SAMPLES);
    t->c.trackpoint++;
    /* Activity/Lap/Track/Trackpoint; else a course's point, or stray */
    if (!t->lap_depth || t->depth != t->lap_depth + 2 || t->tp_depth)
        return 0;
    if (!activity_add_sample(&t->doc.act, t->doc.err))
        return -1;
    t->tp_depth = t->depth;
    return 0;
}

/* Activity totals from its laps, each only when every lap gives it: the
 * watch's own figures. Heart rate and cadence averages are weighted by the
 * laps' timer time. */
static void totals_from_laps(struct activity *a)
{
    double timer = 0, dist = 0, kcal = 0, hr_sum = 0, cad_sum = 0;
    float hr_max = -INFINITY, cad_max = -INFINITY;
    bool all_timer = true, all_dist = true, all_kcal = true, all_hr = true,
         all_cad = true, all_hr_max = true, all_cad_max = true;

    if (!a->nlaps)
        return;
    for (size_t i = 0; i < a->nlaps; i++) {
        const struct activity_lap *l = &a->laps[i];
        all_timer &= activity_known(l->timer_s);
        all_dist &= activity_known(l->distance_m);
        all_kcal &= activity_known(l->calories_kcal);
        all_hr &= activity_known(l->avg_hr_bpm);
        all_cad &= activity_known(l->avg_cadence_rpm);
        all_hr_max &= activity_known(l->max_hr_bpm);
        all_cad_max &= activity_known(l->max_cadence_rpm);
        timer += l->timer_s;
        dist += l->distance_m;
        kcal += l->calories_kcal;
        hr_sum += l->avg_hr_bpm * l->timer_s;
        cad_sum += l->avg_cadence_rpm * l->timer_s;
        if (l->max_hr_bpm > hr_max)
            hr_max = l->max_hr_bpm;
        if (l->max_cadence_rpm > cad_max)
            cad_max = l->max_cadence_rpm;
    }
    if (all_timer)
        a->timer_s = timer;
    if (all_dist)
        a->distance_m = dist;
    if (all_kcal)
        a->calories_kcal = (float)kcal;
    if (all_timer && timer > 0 && all_hr)
        a->avg_hr_bpm = (float)(hr_sum / timer);
    if (all_timer && timer > 0 && all_cad)
        a->avg_cadence_rpm = (float)(cad_sum / timer);
    if (all_hr_max)
        a->max_hr_bpm = hr_max;
    if (all_cad_max)
        a->max_cadence_rpm = cad_max;
}

/* The maker, from the Creator's name; TCX is Garmin's format, so a device
 * with a product number and no other maker's name is Garmin's. */
static void guess_maker(struct activity_device *d, bool is_device)
{
    static const struct {
        const char *prefix, *maker;
    } makers[] = {
        { "Polar", "polar" },   { "Suunto", "suunto" }, { "Wahoo", "wahoo" },
        { "Coros", "coros" },   { "Bryton", "bryton" }, { "Garmin", "garmin" },
        { "Amazfit", "huami" },
    };
    for (size_t i = 0; i < RC_ARRAY_SIZE(makers); i++)
        if (!strncasecmp(d->product_name, makers[i].prefix,
                         strlen(makers[i].prefix))) {
            snprintf(d->manufacturer, sizeof(d->manufacturer), "%s",
                     makers[i].maker);
            return;
        }
    if (is_device && d->product)
        snprintf(d->manufacturer, sizeof(d->manufacturer), "garmin");
}

/* The activity closed (or the file broke off inside it, salvaged): keep it
 * if it has a time, else leave it out. */
static int activity_end(struct tcx_state *t, bool salvaged,
                        struct rc_err *err)
{
    struct activity *act = &t->doc.act, *a;
    bool timed = activity_known(t->id_s);

    t->act_depth = t->lap_depth = t->tp_depth = t->creator_depth = 0;
    for (size_t i = 0; !timed && i < act->nlaps; i++)
        timed = activity_known(act->laps[i].start_s);
    for (size_t i = 0; !timed && i < act->nsamples; i++)
        timed = activity_known(act->samples[i].time_s);
    if (!timed) {
        t->untimed++;
        activity_release(act);
        return 0;
    }
    /* the first lap's start, as the watch timed it; Garmin Connect's Id
     * is often that time rounded down to the minute */
    if (act->nlaps && activity_known(act->laps[0].start_s))
        act->start_s = act->laps[0].start_s;
    else if (activity_known(t->id_s))
        act->start_s = t->id_s;
    if (!salvaged)
        totals_from_laps(act);
    guess_maker(&act->device, t->creator_is_device);
    a = activity_file_add(&t->doc.f, err);
    if (!a)
        return -1;
    *a = *act;
    activity_init(act);
    return 0;
}

static int tcx_start(struct xml_reader *r, void *ud, const char *name,
                     const char **attrs)
{
    struct tcx_state *t = ud;
    enum tcx_tok tok = tcx_token(name);
    enum tcx_tok parent = t->depth ? t->stack[t->depth - 1] : X_OTHER;
    enum tcx_tok gp = t->depth > 1 ? t->stack[t->depth - 2] : X_OTHER;

    t->stack[t->depth++] = (unsigned char)tok;
    switch (tok) {
    case X_ACTIVITIES:
        if (parent == X_ROOT && t->depth == 2)
            t->in_activities = true;
        break;
    case X_ACTIVITY:
        if (t->in_activities && !t->act_depth)
            activity_begin(t, attrs);
        break;
    case X_COURSE:
        if (parent == X_COURSES && gp == X_ROOT)
            t->c.course++;
        break;
    case X_LAP:
        if (parent == X_ACTIVITY || parent == X_COURSE)
            t->c.lap++;
        if (parent == X_ACTIVITY && t->act_depth &&
            t->depth == t->act_depth + 1 && !t->lap_depth)
            lap_begin(r, t, attrs);
        break;
    case X_TRACKPOINT:
        if (parent == X_TRACK)
            return point_begin(r, t);
        break;
    case X_CREATOR:
        if (t->act_depth && t->depth == t->act_depth + 1) {
            const char *type = xml_attr(attrs, "type");
            t->creator_depth = t->depth;
            t->creator_is_device = type && strstr(type, "Device_t");
        }
        break;
    case X_ID:
        if (t->act_depth && t->depth == t->act_depth + 1)
            xml_capture(r);
        break;
    case X_NAME:
    case X_UNITID:
    case X_PRODUCTID:
        if (t->creator_depth && t->depth == t->creator_depth + 1)
            xml_capture(r);
        break;
    case X_TOTALTIME:
    case X_CALORIES:
        if (t->lap_depth && t->depth == t->lap_depth + 1)
            xml_capture(r);
        break;
    case X_DISTANCE:
    case X_CADENCE:
        if ((t->lap_depth && t->depth == t->lap_depth + 1) ||
            (t->tp_depth && t->depth == t->tp_depth + 1))
            xml_capture(r);
        break;
    case X_VALUE:
        if ((parent == X_HR && t->tp_depth &&
             t->depth == t->tp_depth + 2) ||
            ((parent == X_AVGHR || parent == X_MAXHR) && t->lap_depth &&
             t->depth == t->lap_depth + 2))
            xml_capture(r);
        break;
    case X_TIME:
    case X_ALTITUDE:
        if (t->tp_depth && t->depth == t->tp_depth + 1)
            xml_capture(r);
        break;
    case X_LAT:
    case X_LON:
        if (parent == X_POSITION && t->tp_depth &&
            t->depth == t->tp_depth + 2)
            xml_capture(r);
        break;
    case X_SPEED:
    case X_RUNCAD:
    case X_WATTS:
        if (parent == X_TPX && t->tp_depth)
            xml_capture(r);
        break;
    case X_AVGRUNCAD:
    case X_MAXCAD:
        if (parent == X_LX && t->lap_depth && !t->tp_depth)
            xml_capture(r);
        break;
    default:
        break;
    }
    return 0;
}

/* An unsigned 32-bit identifier (UnitId, ProductID); 0 when unknown. */
static uint32_t read_id(const char *text)
{
    double v;
    if (xml_number(text, &v) == 1 && v >= 0 && v <= UINT32_MAX &&
        v == floor(v))
        return (uint32_t)v;
    return 0;
}

/* The text of an element inside a trackpoint, into its sample. */
static void point_value(struct xml_reader *r, struct tcx_state *t,
                        enum tcx_tok tok, const char *name, const char *text)
{
    struct activity *act = &t->doc.act;
    struct activity_sample *s = cur_point(t);
    bool *warned = &t->warned[tok];
    int off;
    bool has_off;
    double v;

    switch (tok) {
    case X_TIME:
        if (xml_time(text, &s->time_s, &off, &has_off) < 0)
            xml_bad_value(r, warned, "<Time>", text, "an ISO 8601 time");
        else if (has_off && !act->has_utc_offset) {
            act->utc_offset_s = off;
            act->has_utc_offset = true;
        }
        return;
    case X_LAT:
    case X_LON: {
        double limit = tok == X_LAT ? 90 : 180;
        int rc = xml_number(text, &v);
        if (rc < 0 || (rc > 0 && fabs(v) > limit)) {
            xml_bad_value(r, warned, tok == X_LAT ? "<LatitudeDegrees>"
                                                  : "<LongitudeDegrees>",
                          text, rc < 0 ? "a number" : "a coordinate");
            v = NAN;
        }
        if (tok == X_LAT)
            s->lat_deg = v;
        else
            s->lon_deg = v;
        return;
    }
    case X_ALTITUDE:
        xml_read_float(r, warned, name, text, &s->alt_m);
        return;
    case X_DISTANCE:
        xml_read_float(r, warned, name, text, &s->dist_m);
        return;
    case X_VALUE:
        xml_read_float(r, warned, "HeartRateBpm", text, &s->hr_bpm);
        s->hr_bpm = xml_hr_bpm(s->hr_bpm);
        return;
    case X_CADENCE:
    case X_RUNCAD:
        xml_read_float(r, warned, name, text, &s->cadence_rpm);
        return;
    case X_SPEED:
        xml_read_float(r, warned, name, text, &s->speed_mps);
        return;
    case X_WATTS:
        xml_read_float(r, warned, name, text, &s->power_w);
        return;
    default:
        return;
    }
}

/* The text of a lap's total, into the lap being read. */
static void lap_value(struct xml_reader *r, struct tcx_state *t,
                      enum tcx_tok tok, enum tcx_tok parent, const char *name,
                      const char *text)
{
    struct activity_lap *l = &t->lap;
    float v = NAN;

    xml_read_float(r, &t->warned[tok],
                   parent == X_AVGHR   ? "AverageHeartRateBpm"
                   : parent == X_MAXHR ? "MaximumHeartRateBpm"
                                       : name,
                   text, &v);
    switch (tok) {
    case X_TOTALTIME:
        l->timer_s = v;
        return;
    case X_DISTANCE:
        l->distance_m = v;
        return;
    case X_CALORIES:
        l->calories_kcal = v > 0 ? v : NAN; /* 0: not measured */
        return;
    case X_VALUE:
        if (parent == X_AVGHR)
            l->avg_hr_bpm = xml_hr_bpm(v);
        else
            l->max_hr_bpm = xml_hr_bpm(v);
        return;
    case X_CADENCE:
    case X_AVGRUNCAD:
        if (isnan(l->avg_cadence_rpm))
            l->avg_cadence_rpm = v;
        return;
    case X_MAXCAD:
        if (isnan(l->max_cadence_rpm))
            l->max_cadence_rpm = v;
        return;
    default:
        return;
    }
}

/* The end of an element whose text was kept: a trackpoint's, a lap's, or
 * the activity's Id and Creator. */
static void tcx_value(struct xml_reader *r, struct tcx_state *t,
                      enum tcx_tok tok, enum tcx_tok parent, const char *name,
                      const char *text, size_t len)
{
    struct activity *act = &t->doc.act;
    int off;
    bool has_off;

    if (t->tp_depth) {
        point_value(r, t, tok, name, text);
        return;
    }
    if (t->lap_depth) {
        lap_value(r, t, tok, parent, name, text);
        return;
    }
    switch (tok) {
    case X_ID:
        /* usually the start time; some apps put a name here */
        if (xml_time(text, &t->id_s, &off, &has_off) < 0) {
            t->id_s = NAN;
            xml_copy_text(act->name, sizeof(act->name), text, len);
        }
        return;
    case X_NAME:
        xml_copy_text(act->device.product_name,
                      sizeof(act->device.product_name), text, len);
        return;
    case X_UNITID:
        act->device.serial = read_id(text);
        return;
    case X_PRODUCTID:
        act->device.product = read_id(text);
        return;
    default:
        return;
    }
}

static int tcx_end(struct xml_reader *r, void *ud, const char *name,
                   const char *text, size_t len)
{
    struct tcx_state *t = ud;
    enum tcx_tok tok = t->stack[--t->depth];
    enum tcx_tok parent = t->depth ? t->stack[t->depth - 1] : X_OTHER;

    if (text) {
        tcx_value(r, t, tok, parent, name, text, len);
        return 0;
    }
    switch (tok) {
    case X_TRACKPOINT:
        if (t->tp_depth == t->depth + 1)
            t->tp_depth = 0;
        return 0;
    case X_LAP:
        if (t->lap_depth == t->depth + 1)
            return lap_end(t);
        return 0;
    case X_CREATOR:
        if (t->creator_depth == t->depth + 1)
            t->creator_depth = 0;
        return 0;
    case X_ACTIVITY:
        if (t->act_depth == t->depth + 1)
            return activity_end(t, false, t->doc.err);
        return 0;
    case X_ACTIVITIES:
        if (t->depth == 1)
            t->in_activities = false;
        return 0;
    default:
        return 0;
    }
}

/* The end (xml_decoder.finish): the file type, and what was left out. */
static void tcx_finish(void *state, void *counts)
{
    struct tcx_state *t = state;
    struct activity_file *f = &t->doc.f;

    f->records = t->c.trackpoint;
    if (f->nacts) {
        snprintf(f->file_type, sizeof(f->file_type), "activity");
        if (t->untimed)
            activity_file_warn(f,
                               "%ld activit%s without any time left out",
                               t->untimed, t->untimed == 1 ? "y" : "ies");
    } else if (t->untimed) {
        snprintf(f->file_type, sizeof(f->file_type), "activity");
        snprintf(f->note, sizeof(f->note),
                 "no timestamps, not an activity: %ld trackpoint%s",
                 t->c.trackpoint, t->c.trackpoint == 1 ? "" : "s");
    } else if (t->c.course) {
        snprintf(f->file_type, sizeof(f->file_type), "course");
        snprintf(f->note, sizeof(f->note),
                 "a course (a planned route), not an activity: %ld "
                 "trackpoint%s",
                 t->c.trackpoint, t->c.trackpoint == 1 ? "" : "s");
    } else {
        snprintf(f->file_type, sizeof(f->file_type), "empty");
        snprintf(f->note, sizeof(f->note), "no activities");
    }
    if (counts)
        *(struct tcx_counts *)counts = t->c;
}

/* The file broke off or is malformed: keep the trackpoints and laps that
 * closed before the damage (xml_decoder.salvage). */
static long tcx_salvage(void *state, struct rc_err *err)
{
    struct tcx_state *t = state;
    struct rc_err mem = RC_ERR_INIT;

    if (t->tp_depth) { /* the trackpoint the damage is in */
        t->doc.act.nsamples--;
        t->c.trackpoint--;
        t->tp_depth = 0;
    }
    t->lap_depth = 0; /* its totals may cover points that are lost */
    if (t->act_depth && activity_end(t, true, &mem) < 0) {
        *err = mem;
        return -1;
    }
    return t->c.trackpoint;
}

int tcx_decode_info(const unsigned char *p, size_t n, unsigned flags,
                    struct activity_file *out, void *counts,
                    struct rc_err *err)
{
    static const struct xml_decoder tcx = {
        "tcx", "trackpoints", sizeof(struct tcx_state),
        { tcx_start, tcx_end }, tcx_salvage, tcx_finish,
    };
    return xml_decode(p, n, flags, &tcx, out, counts, err);
}

bool tcx_sniff(const unsigned char *p, size_t n)
{
    return xml_root_is(p, n, "TrainingCenterDatabase");
}

int tcx_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err)
{
    return tcx_decode_info(p, n, flags, out, NULL, err);
}
