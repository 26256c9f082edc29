/* app_show.c - one run's page (see app.h): its totals, splits per km or
 * mile, heart-rate zones, elevation, and an SVG of pace, heart rate and
 * elevation over distance, all from the stored samples.
 *
 * Data flow: store/ (store_get_activity with samples) -> splits and zones
 * here -> struct app_show -> cli/ (text, JSON) and http/ (the page); the
 * SVG into a buffer for both. */
#include <math.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/units.h"
#include "app/app_int.h"

/* Heart-rate zones as shares of the runner's maximum (the five zones of
 * the common 50-60-70-80-90% scheme, as Garmin and Strava show them). */
static const double zone_low[APP_HR_ZONES] = { 0.50, 0.60, 0.70, 0.80, 0.90 };

/* The highest heart rate of the log (its activities' maxima), at least
 * the activity's own: the runner's maximum as far as runcare can know. */
static double log_max_hr(struct store *s, const struct activity *a)
{
    struct store_filter f;
    struct store_activity *v;
    size_t n;
    double m = activity_known(a->max_hr_bpm) ? a->max_hr_bpm : NAN;
    store_filter_init(&f);
    if (store_list_activities(s, &f, &v, &n, NULL) < 0)
        return m;
    for (size_t i = 0; i < n; i++)
        if (activity_known(v[i].act.max_hr_bpm) &&
            v[i].act.max_hr_bpm <= 250 &&
            (!activity_known(m) || v[i].act.max_hr_bpm > m))
            m = v[i].act.max_hr_bpm;
    free(v);
    return m;
}

/* Close split k at sample i (distance d, time t) and start the next. */
static int add_split(struct app_show *o, double d0, double t0, double d,
                     double t, double hr_sum_s, double hr_s, double up,
                     double down, struct rc_err *err)
{
    struct app_split *sp;
    if (o->nsplits == APP_SPLITS_MAX)
        return 0;
    if (!o->splits) {
        o->splits = calloc(APP_SPLITS_MAX, sizeof(*o->splits));
        if (!o->splits)
            return rc_fail(err, RC_EENV, "out of memory");
    }
    sp = &o->splits[o->nsplits++];
    sp->distance_m = d - d0;
    sp->time_s = t - t0;
    sp->avg_hr_bpm = hr_s > 0 ? hr_sum_s / hr_s : NAN;
    sp->ascent_m = up;
    sp->descent_m = down;
    return 0;
}

/* Splits, zones and the elevation range from the samples. */
static int from_samples(struct app_show *o, const struct activity *a,
                        double split_m, struct rc_err *err)
{
    double d0 = NAN, t0 = NAN, hr_sum = 0, hr_s = 0, up = 0, down = 0;
    double prev_t = NAN, prev_d = NAN, prev_alt = NAN;
    o->min_alt_m = o->max_alt_m = NAN;
    for (size_t i = 0; i < a->nsamples; i++) {
        const struct activity_sample *s = &a->samples[i];
        double t = s->time_s, d = s->dist_m;
        if (activity_known(s->alt_m)) {
            if (!activity_known(o->min_alt_m) || s->alt_m < o->min_alt_m)
                o->min_alt_m = s->alt_m;
            if (!activity_known(o->max_alt_m) || s->alt_m > o->max_alt_m)
                o->max_alt_m = s->alt_m;
            /* climbs counted past the noise, as the totals are
             * (ACTIVITY_ELEVATION_NOISE_M from the last turning point) */
            if (!activity_known(prev_alt)) {
                prev_alt = s->alt_m;
            } else if (s->alt_m - prev_alt >= ACTIVITY_ELEVATION_NOISE_M) {
                up += s->alt_m - prev_alt;
                prev_alt = s->alt_m;
            } else if (prev_alt - s->alt_m >= ACTIVITY_ELEVATION_NOISE_M) {
                down += prev_alt - s->alt_m;
                prev_alt = s->alt_m;
            }
        }
        if (!activity_known(t) || !activity_known(d))
            continue;
        if (!activity_known(d0)) {
            d0 = d;
            t0 = t;
        }
        if (activity_known(prev_t) && t > prev_t &&
            t - prev_t <= ACTIVITY_PAUSE_S && activity_known(s->hr_bpm)) {
            hr_sum += s->hr_bpm * (t - prev_t);
            hr_s += t - prev_t;
            if (activity_known(o->max_hr_bpm)) {
                double share = s->hr_bpm / o->max_hr_bpm;
                for (int z = APP_HR_ZONES - 1; z >= 0; z--)
                    if (share >= zone_low[z]) {
                        o->zone_s[z] += t - prev_t;
                        break;
                    }
            }
        }
        if (d - d0 >= split_m) {
            /* the split ends where the distance crosses it: its time is
             * interpolated between the two samples around the mark */
            double mark = d0 + split_m, te = t;
            if (activity_known(prev_d) && d > prev_d && prev_d < mark)
                te = prev_t + (t - prev_t) * (mark - prev_d) / (d - prev_d);
            if (add_split(o, d0, t0, mark, te, hr_sum, hr_s, up, down,
                          err) < 0)
                return -1;
            d0 = mark;
            t0 = te;
            hr_sum = hr_s = up = down = 0;
        }
        prev_t = t;
        prev_d = d;
    }
    /* the rest, when it is more than a tenth of a split */
    if (activity_known(prev_d) && prev_d - d0 > split_m / 10)
        return add_split(o, d0, t0, prev_d, prev_t, hr_sum, hr_s, up, down,
                         err);
    return 0;
}

int app_show(const struct app *app, int64_t id, bool miles,
             struct app_show *out, struct rc_err *err)
{
    struct app_show o;
    struct app_log log;
    int rc = -1;

    memset(&o, 0, sizeof(o));
    activity_init(&o.full);
    o.split_m = miles ? RC_M_PER_MILE : 1000;
    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    if (!log.store) {
        rc_fail(err, RC_EINPUT, "no activity %lld: the log is empty",
                (long long)id);
        goto done;
    }
    if (!id && app_last_activity(log.store, &id, err) < 0)
        goto done;
    if (!id) {
        rc_fail(err, RC_EINPUT, "the log has no activity yet");
        goto done;
    }
    if (store_get_activity(log.store, id, &o.sa, &o.full, err) < 0)
        goto done;
    if (o.sa.deleted) {
        rc_fail(err, RC_EINPUT, "activity %lld was removed ('runcare undo' "
                                "brings it back)",
                (long long)id);
        goto done;
    }
    o.max_hr_bpm = log_max_hr(log.store, &o.full);
    if (from_samples(&o, &o.full, o.split_m, err) < 0)
        goto done;
    rc = 0;
done:
    app_close(&log);
    if (rc < 0) {
        app_show_release(&o);
        return -1;
    }
    *out = o;
    return 0;
}

void app_show_release(struct app_show *s)
{
    if (!s)
        return;
    activity_release(&s->full);
    free(s->splits);
    s->splits = NULL;
    s->nsplits = 0;
}

/* ---- the chart: pace, heart rate and elevation over distance ---- */

#define SVG_W 720.0
#define SVG_PANEL_H 140.0
#define SVG_LEFT 60.0
#define SVG_TOP 30.0
#define SVG_GAP 36.0

struct series {
    const char *title, *unit, *colour;
    bool invert; /* pace: faster is up */
};

/* One panel: the values v[i] (NAN: a gap) at distances x[i] (km). */
static int panel(struct rc_buf *b, const struct series *se, const double *x,
                 const double *v, size_t n, double xmax, int k,
                 struct rc_err *err)
{
    double lo = INFINITY, hi = -INFINITY, top = SVG_TOP + k * (SVG_PANEL_H +
                                                              SVG_GAP);
    bool pen = false;
    for (size_t i = 0; i < n; i++)
        if (activity_known(v[i])) {
            lo = fmin(lo, v[i]);
            hi = fmax(hi, v[i]);
        }
    if (rc_buf_appendf(b, err,
                       "<text x=\"%.0f\" y=\"%.0f\" font-size=\"13\">%s "
                       "(%s)</text>\n",
                       SVG_LEFT, top - 8, se->title, se->unit) < 0)
        return -1;
    if (!(hi >= lo))
        return rc_buf_appendf(b, err,
                              "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" "
                              "fill=\"#666\">not recorded</text>\n",
                              SVG_LEFT + 10, top + SVG_PANEL_H / 2);
    if (hi - lo < 1e-9)
        hi = lo + 1;
    if (rc_buf_appendf(b, err,
                       "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" "
                       "height=\"%.0f\" fill=\"none\" stroke=\"#ccc\"/>\n"
                       "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" "
                       "text-anchor=\"end\">%.0f</text>\n"
                       "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" "
                       "text-anchor=\"end\">%.0f</text>\n"
                       "<path fill=\"none\" stroke=\"%s\" "
                       "stroke-width=\"1.5\" d=\"",
                       SVG_LEFT, top, SVG_W - SVG_LEFT - 20, SVG_PANEL_H,
                       SVG_LEFT - 4, top + 10, se->invert ? lo : hi,
                       SVG_LEFT - 4, top + SVG_PANEL_H,
                       se->invert ? hi : lo, se->colour) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        double px, py, f;
        if (!activity_known(v[i])) {
            pen = false;
            continue;
        }
        f = (v[i] - lo) / (hi - lo);
        if (se->invert)
            f = 1 - f;
        px = SVG_LEFT + (SVG_W - SVG_LEFT - 20) * (xmax > 0 ? x[i] / xmax : 0);
        py = top + SVG_PANEL_H * (1 - f);
        if (rc_buf_appendf(b, err, "%c%.1f %.1f ", pen ? 'L' : 'M', px, py) <
            0)
            return -1;
        pen = true;
    }
    return rc_buf_appendf(b, err, "\"/>\n");
}

/* The pace (min/km) over the last PACE_WINDOW_M, so that GPS noise of one
 * second does not make the line a comb. */
#define PACE_WINDOW_M 100.0

int app_show_svg(const struct app_show *s, struct rc_buf *out,
                 struct rc_err *err)
{
    static const struct series se[3] = {
        { "pace", "min/km", "#1f6fb2", true },
        { "heart rate", "bpm", "#c0392b", false },
        { "elevation", "m", "#2e7d32", false },
    };
    const struct activity *a = &s->full;
    size_t n = a->nsamples, w = 0;
    double *x = calloc(n ? n : 1, sizeof(double));
    double *v[3] = { calloc(n ? n : 1, sizeof(double)),
                     calloc(n ? n : 1, sizeof(double)),
                     calloc(n ? n : 1, sizeof(double)) };
    double xmax = 0;
    int rc = -1;

    if (!x || !v[0] || !v[1] || !v[2]) {
        rc_fail(err, RC_EENV, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const struct activity_sample *p = &a->samples[i];
        x[i] = activity_known(p->dist_m) ? p->dist_m / 1000 : NAN;
        v[0][i] = v[1][i] = v[2][i] = NAN;
        if (!activity_known(x[i]))
            continue;
        xmax = fmax(xmax, x[i]);
        /* the window's start: the first sample within PACE_WINDOW_M */
        while (w < i && (!activity_known(a->samples[w].dist_m) ||
                         p->dist_m - a->samples[w].dist_m > PACE_WINDOW_M))
            w++;
        if (w < i && p->dist_m - a->samples[w].dist_m > PACE_WINDOW_M / 2 &&
            p->time_s > a->samples[w].time_s)
            v[0][i] = (p->time_s - a->samples[w].time_s) / 60 /
                      ((p->dist_m - a->samples[w].dist_m) / 1000);
        if (v[0][i] > 30)
            v[0][i] = NAN; /* standing: off the chart */
        v[1][i] = activity_known(p->hr_bpm) ? p->hr_bpm : NAN;
        v[2][i] = activity_known(p->alt_m) ? p->alt_m : NAN;
    }
    if (rc_buf_appendf(out, err,
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                       "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">"
                       "\n<title>activity %lld: pace, heart rate and "
                       "elevation over %.2f km</title>\n",
                       SVG_W, SVG_TOP + 3 * (SVG_PANEL_H + SVG_GAP) + 10,
                       (long long)s->sa.id, xmax) < 0)
        goto done;
    for (int k = 0; k < 3; k++)
        if (panel(out, &se[k], x, v[k], n, xmax, k, err) < 0)
            goto done;
    if (rc_buf_appendf(out, err,
                       "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\">"
                       "distance: 0 to %.2f km</text>\n</svg>\n",
                       SVG_LEFT, SVG_TOP + 3 * (SVG_PANEL_H + SVG_GAP) - 6,
                       xmax) < 0)
        goto done;
    rc = 0;
done:
    free(x);
    for (int k = 0; k < 3; k++)
        free(v[k]);
    return rc;
}
