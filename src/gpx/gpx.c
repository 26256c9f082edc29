/* gpx.c - the GPX decoder: Expat events (xml/xml.h) to struct activity.
 *
 * The part of a GPX file that is read (GPX 1.0 and 1.1; names without their
 * prefixes; everything else is skipped):
 *
 *   gpx creator="..."                     -> device.product_name
 *     metadata/name                       -> name, when the track has none
 *     wpt                                 counted (waypoints: no activity)
 *     rte/rtept                           counted (a planned route)
 *     trk                                 one activity if a point is timed
 *       name, type                        -> name, sport (xml_set_sport)
 *       trkseg/trkpt lat= lon=            -> one sample each
 *         ele, time                       -> alt_m, time_s (UTC offset)
 *         speed (GPX 1.0), extensions/..  -> hr, cad, temp, power, speed,
 *                                            distance (see gpx.h)
 *
 * A point becomes a sample when it opens and is complete when it closes:
 * with ACTIVITY_SALVAGE a file damaged inside a point keeps every point that
 * closed before the damage. */
#include "base/base.h"
#include "base/alloc.h"
#include "gpx/gpx.h"
#include "xml/xml.h"

enum gpx_tok {
    G_OTHER,
    G_GPX,
    G_METADATA,
    G_WPT,
    G_RTE,
    G_RTEPT,
    G_TRK,
    G_TRKSEG,
    G_TRKPT,
    G_NAME,
    G_TYPE,
    G_TIME,
    G_ELE,
    /* sensor values inside a point (any depth) */
    G_HR,
    G_CAD,
    G_TEMP,
    G_POWER,
    G_SPEED,
    G_DIST,
};

struct gpx_state {
    struct xml_doc doc; /* doc.act: the track being read */
    struct gpx_counts c;
    bool in_trk, in_pt;
    bool trk_timed; /* a point of the track has a time */
    long untimed_tracks;
    int depth;
    unsigned char stack[RC_XML_MAX_DEPTH + 1];
    char creator[64];
    char meta_name[128];
    bool warned[G_DIST + 1]; /* a bad value of this element was reported */
};

/* The element's token; names are matched without their prefix. */
static enum gpx_tok gpx_token(const char *n)
{
    switch (n[0]) {
    case 't':
        if (n[1] == 'r' && n[2] == 'k') {
            if (!n[3])
                return G_TRK;
            if (!strcmp(n + 3, "pt"))
                return G_TRKPT;
            if (!strcmp(n + 3, "seg"))
                return G_TRKSEG;
            return G_OTHER;
        }
        if (!strcmp(n, "time"))
            return G_TIME;
        if (!strcmp(n, "type"))
            return G_TYPE;
        if (!strcmp(n, "temp"))
            return G_TEMP;
        break;
    case 'e':
        if (!strcmp(n, "ele"))
            return G_ELE;
        break;
    case 'h':
        if (!strcmp(n, "hr") || !strcmp(n, "heartrate"))
            return G_HR;
        break;
    case 'c':
        if (!strcmp(n, "cad") || !strcmp(n, "cadence"))
            return G_CAD;
        break;
    case 'a':
        if (!strcmp(n, "atemp"))
            return G_TEMP;
        break;
    case 'T':
        if (!strcmp(n, "Temperature"))
            return G_TEMP;
        break;
    case 'p':
        if (!strcmp(n, "power"))
            return G_POWER;
        break;
    case 'P':
        if (!strcmp(n, "PowerInWatts"))
            return G_POWER;
        break;
    case 's':
        if (!strcmp(n, "speed"))
            return G_SPEED;
        break;
    case 'd':
        if (!strcmp(n, "distance"))
            return G_DIST;
        break;
    case 'n':
        if (!strcmp(n, "name"))
            return G_NAME;
        break;
    case 'g':
        if (!strcmp(n, "gpx"))
            return G_GPX;
        break;
    case 'm':
        if (!strcmp(n, "metadata"))
            return G_METADATA;
        break;
    case 'w':
        if (!strcmp(n, "wpt"))
            return G_WPT;
        break;
    case 'r':
        if (!strcmp(n, "rtept"))
            return G_RTEPT;
        if (!strcmp(n, "rte"))
            return G_RTE;
        break;
    }
    return G_OTHER;
}

static struct activity_sample *cur_point(struct gpx_state *g)
{
    return &g->doc.act.samples[g->doc.act.nsamples - 1];
}

/* A coordinate attribute: NAN when absent, empty, not a number or outside
 * -limit..limit (the last two with a warning). */
static void read_coord(struct xml_reader *r, struct gpx_state *g,
                       const char **attrs, const char *name, double limit,
                       double *out)
{
    const char *v = xml_attr(attrs, name);
    char what[16];

    if (!v)
        return;
    switch (xml_number(v, out)) {
    case 1:
        if (*out >= -limit && *out <= limit)
            return;
        *out = NAN;
        if (!g->warned[G_TRKPT]) {
            g->warned[G_TRKPT] = true;
            activity_file_warn(&g->doc.f,
                               "trkpt %s=\"%.40s\" at line %ld is outside "
                               "-%g..%g: position read as not recorded",
                               name, v, xml_line(r), limit, limit);
        }
        return;
    case 0:
        return;
    default:
        snprintf(what, sizeof(what), "trkpt %s=", name);
        xml_bad_value(r, &g->warned[G_TRKPT], what, v, "a number");
        return;
    }
}

static int point_begin(struct xml_reader *r, struct gpx_state *g,
                       const char **attrs)
{
    struct activity_sample *s;

    if (g->c.trkpt >= ACTIVITY_MAX_SAMPLES)
        return xml_fail(r, "more than %d track points in one file",
                        ACTIVITY_MAX_SAMPLES);
    g->c.trkpt++;
    s = activity_add_sample(&g->doc.act, g->doc.err);
    if (!s)
        return -1;
    g->in_pt = true;
    read_coord(r, g, attrs, "lat", 90, &s->lat_deg);
    read_coord(r, g, attrs, "lon", 180, &s->lon_deg);
    if (isnan(s->lat_deg) || isnan(s->lon_deg))
        s->lat_deg = s->lon_deg = NAN;
    return 0;
}

static int track_begin(struct gpx_state *g)
{
    struct activity *trk = &g->doc.act;

    activity_init(trk);
    snprintf(trk->device.product_name, sizeof(trk->device.product_name),
             "%s", g->creator);
    g->in_trk = true;
    g->trk_timed = false;
    g->c.trk++;
    return 0;
}

/* The track closed (or the file broke off inside it): it becomes an
 * activity if one of its points has a time, else it is left out. */
static int track_end(struct gpx_state *g, struct rc_err *err)
{
    struct activity *trk = &g->doc.act, *a;

    g->in_trk = false;
    if (!g->trk_timed) {
        if (trk->nsamples)
            g->untimed_tracks++;
        activity_release(trk);
        return 0;
    }
    if (!trk->name[0])
        snprintf(trk->name, sizeof(trk->name), "%s", g->meta_name);
    a = activity_file_add(&g->doc.f, err);
    if (!a)
        return -1;
    *a = *trk;
    activity_init(trk);
    return 0;
}

static int gpx_start(struct xml_reader *r, void *ud, const char *name,
                     const char **attrs)
{
    struct gpx_state *g = ud;
    enum gpx_tok tok = gpx_token(name);
    enum gpx_tok parent = g->depth ? g->stack[g->depth - 1] : G_OTHER;

    g->stack[g->depth++] = (unsigned char)tok;
    switch (tok) {
    case G_GPX:
        if (g->depth == 1) {
            const char *c = xml_attr(attrs, "creator");
            if (c)
                xml_copy_text(g->creator, sizeof(g->creator), c, strlen(c));
        }
        break;
    case G_TRK:
        /* a track of the root (not of a <gpx> nested somewhere) */
        if (parent == G_GPX && g->depth == 2 && !g->in_trk)
            return track_begin(g);
        break;
    case G_TRKSEG:
        if (parent == G_TRK && g->depth == 3)
            g->c.trkseg++;
        break;
    case G_TRKPT:
        /* gpx/trk/trkseg/trkpt: points elsewhere are not the track's */
        if (parent == G_TRKSEG && g->in_trk && g->depth == 4 && !g->in_pt)
            return point_begin(r, g, attrs);
        break;
    case G_RTE:
        if (parent == G_GPX && g->depth == 2)
            g->c.rte++;
        break;
    case G_RTEPT:
        if (parent == G_RTE && g->depth == 3)
            g->c.rtept++;
        break;
    case G_WPT:
        if (parent == G_GPX && g->depth == 2)
            g->c.wpt++;
        break;
    case G_NAME: /* gpx/trk/name or gpx/metadata/name */
        if (g->depth == 3 &&
            ((parent == G_TRK && g->in_trk) || parent == G_METADATA))
            xml_capture(r);
        break;
    case G_TYPE: /* gpx/trk/type */
        if (g->depth == 3 && parent == G_TRK && g->in_trk)
            xml_capture(r);
        break;
    case G_TIME: /* gpx/trk/trkseg/trkpt/time, and ele */
    case G_ELE:
        if (g->depth == 5 && g->in_pt)
            xml_capture(r);
        break;
    case G_HR:
    case G_CAD:
    case G_TEMP:
    case G_POWER:
    case G_SPEED:
    case G_DIST:
        if (g->in_pt)
            xml_capture(r);
        break;
    case G_METADATA:
    case G_OTHER:
        break;
    }
    return 0;
}

static int gpx_end(struct xml_reader *r, void *ud, const char *name,
                   const char *text, size_t len)
{
    struct gpx_state *g = ud;
    struct activity *trk = &g->doc.act;
    enum gpx_tok tok = g->stack[--g->depth];
    enum gpx_tok parent = g->depth ? g->stack[g->depth - 1] : G_OTHER;
    struct activity_sample *s;

    if (!text) {
        if (tok == G_TRKPT && g->in_pt && g->depth == 3) {
            g->in_pt = false;
            if (activity_known(cur_point(g)->time_s))
                g->trk_timed = true;
        } else if (tok == G_TRK && g->in_trk && g->depth == 1) {
            return track_end(g, g->doc.err);
        }
        return 0;
    }
    switch (tok) {
    case G_NAME:
        if (parent == G_TRK)
            xml_copy_text(trk->name, sizeof(trk->name), text, len);
        else
            xml_copy_text(g->meta_name, sizeof(g->meta_name), text, len);
        return 0;
    case G_TYPE:
        xml_set_sport(trk, text, len);
        return 0;
    default:
        break;
    }
    s = cur_point(g);
    switch (tok) {
    case G_TIME: {
        int off;
        bool has_off;
        if (xml_time(text, &s->time_s, &off, &has_off) < 0)
            xml_bad_value(r, &g->warned[tok], "<time>", text,
                          "an ISO 8601 time");
        else if (has_off && !trk->has_utc_offset) {
            trk->utc_offset_s = off;
            trk->has_utc_offset = true;
        }
        break;
    }
    case G_ELE:
        xml_read_float(r, &g->warned[tok], name, text, &s->alt_m);
        break;
    case G_HR:
        xml_read_float(r, &g->warned[tok], name, text, &s->hr_bpm);
        s->hr_bpm = xml_hr_bpm(s->hr_bpm);
        break;
    case G_CAD:
        xml_read_float(r, &g->warned[tok], name, text, &s->cadence_rpm);
        break;
    case G_TEMP:
        xml_read_float(r, &g->warned[tok], name, text, &s->temp_c);
        break;
    case G_POWER:
        xml_read_float(r, &g->warned[tok], name, text, &s->power_w);
        break;
    case G_SPEED:
        xml_read_float(r, &g->warned[tok], name, text, &s->speed_mps);
        break;
    case G_DIST:
        xml_read_float(r, &g->warned[tok], name, text, &s->dist_m);
        break;
    default:
        break;
    }
    return 0;
}

/* Type and note of a file without activities: say what it holds. */
static void describe_empty(struct gpx_state *g)
{
    struct activity_file *f = &g->doc.f;
    if (g->c.trkpt > 0) {
        snprintf(f->file_type, sizeof(f->file_type), "track");
        snprintf(f->note, sizeof(f->note),
                 "no timestamps, not an activity: %ld track point%s",
                 g->c.trkpt, g->c.trkpt == 1 ? "" : "s");
    } else if (g->c.rtept > 0 || g->c.rte > 0) {
        snprintf(f->file_type, sizeof(f->file_type), "route");
        snprintf(f->note, sizeof(f->note),
                 "a planned route, not an activity: %ld route point%s",
                 g->c.rtept, g->c.rtept == 1 ? "" : "s");
    } else if (g->c.wpt > 0) {
        snprintf(f->file_type, sizeof(f->file_type), "waypoints");
        snprintf(f->note, sizeof(f->note),
                 "waypoints only, not an activity: %ld waypoint%s",
                 g->c.wpt, g->c.wpt == 1 ? "" : "s");
    } else {
        snprintf(f->file_type, sizeof(f->file_type), "empty");
        snprintf(f->note, sizeof(f->note),
                 "no track points, not an activity");
    }
}

/* The end (xml_decoder.finish): the file type, and what was left out. */
static void gpx_finish(void *state, void *counts)
{
    struct gpx_state *g = state;
    struct activity_file *f = &g->doc.f;

    f->records = g->c.trkpt;
    if (f->nacts) {
        snprintf(f->file_type, sizeof(f->file_type), "activity");
        if (g->untimed_tracks)
            activity_file_warn(f,
                               "%ld track%s without timestamps left out "
                               "(not an activity)",
                               g->untimed_tracks,
                               g->untimed_tracks == 1 ? "" : "s");
    } else {
        describe_empty(g);
    }
    if (counts)
        *(struct gpx_counts *)counts = g->c;
}

/* The file broke off or is malformed: keep the points that closed before
 * the damage (xml_decoder.salvage). */
static long gpx_salvage(void *state, struct rc_err *err)
{
    struct gpx_state *g = state;
    struct rc_err mem = RC_ERR_INIT;

    if (g->in_pt) { /* the point the damage is in */
        g->doc.act.nsamples--;
        g->c.trkpt--;
        g->in_pt = false;
    }
    if (g->in_trk) {
        for (size_t i = 0; i < g->doc.act.nsamples; i++)
            if (activity_known(g->doc.act.samples[i].time_s))
                g->trk_timed = true;
        if (track_end(g, &mem) < 0) {
            *err = mem;
            return -1;
        }
    }
    return g->c.trkpt;
}

int gpx_decode_info(const unsigned char *p, size_t n, unsigned flags,
                    struct activity_file *out, void *counts,
                    struct rc_err *err)
{
    static const struct xml_decoder gpx = {
        "gpx", "track points", sizeof(struct gpx_state),
        { gpx_start, gpx_end }, gpx_salvage, gpx_finish,
    };
    return xml_decode(p, n, flags, &gpx, out, counts, err);
}

bool gpx_sniff(const unsigned char *p, size_t n)
{
    return xml_root_is(p, n, "gpx");
}

int gpx_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err)
{
    return gpx_decode_info(p, n, flags, out, NULL, err);
}
