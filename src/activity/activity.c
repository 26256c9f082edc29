/* activity.c - the activity model: set-up, growth, totals from samples. */
#include "base/base.h"
#include "base/alloc.h"
#include "activity/activity.h"

void activity_sample_init(struct activity_sample *s)
{
    s->time_s = s->lat_deg = s->lon_deg = NAN;
    s->alt_m = s->dist_m = s->speed_mps = s->hr_bpm = NAN;
    s->cadence_rpm = s->power_w = s->temp_c = NAN;
}

void activity_lap_init(struct activity_lap *l)
{
    l->start_s = l->elapsed_s = l->timer_s = l->distance_m = NAN;
    l->ascent_m = l->descent_m = NAN;
    l->avg_hr_bpm = l->max_hr_bpm = l->avg_cadence_rpm = NAN;
    l->max_cadence_rpm = l->calories_kcal = NAN;
}

void activity_init(struct activity *a)
{
    memset(a, 0, sizeof(*a));
    snprintf(a->sport, sizeof(a->sport), "generic");
    snprintf(a->sub_sport, sizeof(a->sub_sport), "generic");
    a->start_s = a->elapsed_s = a->timer_s = a->moving_s = NAN;
    a->distance_m = a->ascent_m = a->descent_m = NAN;
    a->avg_hr_bpm = a->max_hr_bpm = a->avg_cadence_rpm = NAN;
    a->max_cadence_rpm = a->avg_power_w = a->calories_kcal = NAN;
}

void activity_release(struct activity *a)
{
    rc_free(a->laps);
    rc_free(a->samples);
    activity_init(a);
}

/* Grow an array of n elements of size sz to hold one more, up to max. */
static int grow(void **v, size_t *cap, size_t n, size_t sz, size_t max,
                const char *what, struct rc_err *err)
{
    size_t want;
    void *p;

    if (n < *cap)
        return 0;
    if (n >= max)
        return rc_fail(err, RC_EINPUT, "more than %zu %s",
                       max, what);
    want = *cap ? *cap * 2 : 64;
    if (want > max)
        want = max;
    p = rc_realloc(*v, want * sz);
    if (!p)
        return rc_fail(err, RC_EENV, "out of memory for %zu %s", want, what);
    *v = p;
    *cap = want;
    return 0;
}

struct activity_sample *activity_add_sample(struct activity *a,
                                            struct rc_err *err)
{
    struct activity_sample *s;
    if (grow((void **)&a->samples, &a->samples_cap, a->nsamples,
             sizeof(*a->samples), ACTIVITY_MAX_SAMPLES, "samples", err) < 0)
        return NULL;
    s = &a->samples[a->nsamples++];
    activity_sample_init(s);
    return s;
}

struct activity_lap *activity_add_lap(struct activity *a, struct rc_err *err)
{
    struct activity_lap *l;
    if (grow((void **)&a->laps, &a->laps_cap, a->nlaps, sizeof(*a->laps),
             ACTIVITY_MAX_LAPS, "laps", err) < 0)
        return NULL;
    l = &a->laps[a->nlaps++];
    activity_lap_init(l);
    return l;
}

double activity_geo_distance_m(double lat1, double lon1, double lat2,
                               double lon2)
{
    const double r = 6371008.8, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
    double h = s1 * s1 + cos(lat1 * rad) * cos(lat2 * rad) * s2 * s2;
    if (h > 1)
        h = 1;
    return 2 * r * asin(sqrt(h));
}

static bool has_position(const struct activity_sample *s)
{
    return activity_known(s->lat_deg) && activity_known(s->lon_deg);
}

/* Fill dist_m from positions when no sample carries a distance. Steps are
 * measured from the last counted position (the anchor), which moves only
 * when a fix is ACTIVITY_POSITION_NOISE_M or more away from it. */
static void fill_sample_distance(struct activity *a)
{
    const struct activity_sample *anchor = NULL;
    double d = 0;

    for (size_t i = 0; i < a->nsamples; i++)
        if (activity_known(a->samples[i].dist_m))
            return;
    for (size_t i = 0; i < a->nsamples; i++) {
        struct activity_sample *s = &a->samples[i];
        if (!has_position(s))
            continue;
        if (!anchor) {
            anchor = s;
        } else {
            double step = activity_geo_distance_m(
                anchor->lat_deg, anchor->lon_deg, s->lat_deg, s->lon_deg);
            if (step >= ACTIVITY_POSITION_NOISE_M) {
                d += step;
                anchor = s;
            }
        }
        s->dist_m = (float)d;
    }
}

/* Time totals from the samples. Samples that share a timestamp are one
 * moment: some devices write speed and distance in separate records with
 * the same time, so a moment's speed or distance may come from any of
 * them. A step between two moments is moving when the speed at its end
 * is at least ACTIVITY_MOVING_MPS; steps that end with no speed wait for
 * the next moment whose distance has grown (or for ACTIVITY_STOP_S
 * without), and are moving when the distance covered since the last one,
 * over that time, is: Strava's and GoldenCheetah's moving time, a speed
 * threshold over the distance and time between points. A step longer than
 * ACTIVITY_PAUSE_S is a pause: it counts in neither timer nor moving
 * time, and distance from before it does not decide steps after it. */
static void fill_times(struct activity *a)
{
    double first = NAN, last = NAN, timer = 0, moving = 0, prev_t = NAN;
    double last_d = NAN, last_d_t = NAN, pending = 0;
    bool any_speed = false, any_dist = false;
    size_t i = 0;

    while (i < a->nsamples) {
        double t = a->samples[i].time_s, d = NAN, speed = NAN;
        if (!activity_known(t)) {
            i++;
            continue;
        }
        /* one moment: every following sample with the same time */
        for (; i < a->nsamples && (a->samples[i].time_s == t ||
                                   !activity_known(a->samples[i].time_s));
             i++) {
            const struct activity_sample *s = &a->samples[i];
            if (!activity_known(s->time_s))
                continue;
            if (activity_known(s->speed_mps))
                speed = s->speed_mps;
            if (activity_known(s->dist_m))
                d = s->dist_m;
        }
        if (!activity_known(first) || t < first)
            first = t;
        if (!activity_known(last) || t > last)
            last = t;
        if (activity_known(prev_t) && t > prev_t) {
            double dt = t - prev_t;
            if (dt > ACTIVITY_PAUSE_S) {
                pending = 0;
                last_d = NAN;
            } else {
                timer += dt;
                if (activity_known(speed)) {
                    any_speed = true;
                    if (speed >= ACTIVITY_MOVING_MPS)
                        moving += dt;
                } else {
                    pending += dt;
                }
            }
        }
        if (activity_known(d)) {
            bool decide = !activity_known(last_d) || pending <= 0 ||
                          d > last_d || t - last_d_t >= ACTIVITY_STOP_S;
            if (pending > 0 && activity_known(last_d) && t > last_d_t &&
                decide) {
                any_dist = true;
                if ((d - last_d) / (t - last_d_t) >= ACTIVITY_MOVING_MPS)
                    moving += pending;
            }
            /* the same place again, within the stop window: a watch that
             * writes every second but fixes every few, or the distance's
             * 2 m hysteresis; wait for the distance to move */
            if (decide) {
                pending = 0;
                last_d = d;
                last_d_t = t;
            }
        }
        prev_t = t;
    }
    if (!activity_known(first))
        return;
    if (!activity_known(a->start_s)) {
        a->start_s = first;
        a->computed |= ACTIVITY_C_START;
    }
    if (!activity_known(a->elapsed_s)) {
        a->elapsed_s = last - first;
        a->computed |= ACTIVITY_C_ELAPSED;
    }
    if (!activity_known(a->timer_s)) {
        a->timer_s = timer;
        a->computed |= ACTIVITY_C_TIMER;
    }
    if (!activity_known(a->moving_s) && (any_speed || any_dist)) {
        /* samples beyond the file's own totals (a multisport leg's records
         * after its end) must not make moving longer than the activity */
        if (activity_known(a->timer_s) && moving > a->timer_s)
            moving = a->timer_s;
        if (activity_known(a->elapsed_s) && moving > a->elapsed_s)
            moving = a->elapsed_s;
        a->moving_s = moving;
        a->computed |= ACTIVITY_C_MOVING;
    }
}

static void fill_distance(struct activity *a)
{
    float last = NAN;
    if (activity_known(a->distance_m))
        return;
    for (size_t i = a->nsamples; i-- > 0;)
        if (activity_known(a->samples[i].dist_m)) {
            last = a->samples[i].dist_m;
            break;
        }
    if (activity_known(last)) {
        a->distance_m = last;
        a->computed |= ACTIVITY_C_DISTANCE;
    }
}

static void fill_elevation(struct activity *a)
{
    double up = 0, down = 0, ref = NAN;
    bool any = false;

    if (activity_known(a->ascent_m) && activity_known(a->descent_m))
        return;
    for (size_t i = 0; i < a->nsamples; i++) {
        float alt = a->samples[i].alt_m;
        if (!activity_known(alt))
            continue;
        any = true;
        if (!activity_known(ref)) {
            ref = alt;
        } else if (alt - ref >= ACTIVITY_ELEVATION_NOISE_M) {
            up += alt - ref;
            ref = alt;
        } else if (ref - alt >= ACTIVITY_ELEVATION_NOISE_M) {
            down += ref - alt;
            ref = alt;
        }
    }
    if (!any)
        return;
    if (!activity_known(a->ascent_m)) {
        a->ascent_m = up;
        a->computed |= ACTIVITY_C_ASCENT;
    }
    if (!activity_known(a->descent_m)) {
        a->descent_m = down;
        a->computed |= ACTIVITY_C_DESCENT;
    }
}

/* Mean and maximum of one float channel, read at byte offset off. */
static bool channel_stats(const struct activity *a, size_t off, float *avg,
                          float *max)
{
    double sum = 0, hi = -INFINITY;
    size_t n = 0;
    for (size_t i = 0; i < a->nsamples; i++) {
        float v;
        memcpy(&v, (const char *)&a->samples[i] + off, sizeof(v));
        if (!activity_known(v))
            continue;
        sum += v;
        if (v > hi)
            hi = v;
        n++;
    }
    if (!n)
        return false;
    *avg = (float)(sum / (double)n);
    *max = (float)hi;
    return true;
}

static void fill_channels(struct activity *a)
{
    float avg, max;
    if ((!activity_known(a->avg_hr_bpm) || !activity_known(a->max_hr_bpm)) &&
        channel_stats(a, offsetof(struct activity_sample, hr_bpm), &avg,
                      &max)) {
        if (!activity_known(a->avg_hr_bpm))
            a->avg_hr_bpm = avg;
        if (!activity_known(a->max_hr_bpm))
            a->max_hr_bpm = max;
        a->computed |= ACTIVITY_C_HR;
    }
    if ((!activity_known(a->avg_cadence_rpm) ||
         !activity_known(a->max_cadence_rpm)) &&
        channel_stats(a, offsetof(struct activity_sample, cadence_rpm), &avg,
                      &max)) {
        if (!activity_known(a->avg_cadence_rpm))
            a->avg_cadence_rpm = avg;
        if (!activity_known(a->max_cadence_rpm))
            a->max_cadence_rpm = max;
        a->computed |= ACTIVITY_C_CADENCE;
    }
}

void activity_fill_totals(struct activity *a)
{
    fill_sample_distance(a);
    fill_times(a);
    fill_distance(a);
    fill_elevation(a);
    fill_channels(a);
}

const char *activity_sport_label(const char *sport)
{
    static const struct {
        const char *id, *label;
    } names[] = {
        { "running", "Run" },       { "walking", "Walk" },
        { "hiking", "Hike" },       { "cycling", "Ride" },
        { "swimming", "Swim" },     { "multisport", "Multisport" },
        { "transition", "Transition" }, { "training", "Training" },
        { "fitness_equipment", "Gym" },
    };
    for (size_t i = 0; i < RC_ARRAY_SIZE(names); i++)
        if (!strcmp(sport, names[i].id))
            return names[i].label;
    return sport[0] ? sport : "Other";
}

/* What runners type for a sport, and the sport runcare stores. */
static const struct {
    const char *word, *sport;
} sport_words[] = {
    { "run", "running" },      { "running", "running" },
    { "jog", "running" },      { "jogging", "running" },
    { "trail run", "running" }, { "treadmill", "running" },
    { "ride", "cycling" },     { "bike", "cycling" },
    { "biking", "cycling" },   { "cycling", "cycling" },
    { "cycle", "cycling" },    { "walk", "walking" },
    { "walking", "walking" },  { "hike", "hiking" },
    { "hiking", "hiking" },    { "swim", "swimming" },
    { "swimming", "swimming" }, { "gym", "fitness_equipment" },
    { "fitness_equipment", "fitness_equipment" },
    { "training", "training" }, { "multisport", "multisport" },
    { "transition", "transition" },
};

const char *activity_sport_parse(const char *text)
{
    char t[32];
    size_t n = 0;
    while (*text == ' ')
        text++;
    for (; text[n] && n < sizeof(t) - 1; n++)
        t[n] = text[n] == '-' || text[n] == '_' ? ' ' : text[n];
    while (n && t[n - 1] == ' ')
        n--;
    t[n] = '\0';
    if (!strcasecmp(t, "fitness equipment"))
        return "fitness_equipment";
    for (size_t i = 0; i < RC_ARRAY_SIZE(sport_words); i++)
        if (!strcasecmp(t, sport_words[i].word))
            return sport_words[i].sport;
    return NULL;
}

const char *activity_sport_words(void)
{
    return "running (run, jog), cycling (ride, bike), walking (walk), "
           "hiking (hike), swimming (swim), fitness_equipment (gym), "
           "training, multisport";
}

void activity_file_init(struct activity_file *f)
{
    memset(f, 0, sizeof(*f));
}

void activity_file_release(struct activity_file *f)
{
    for (size_t i = 0; i < f->nacts; i++)
        activity_release(&f->acts[i]);
    rc_free(f->acts);
    activity_file_init(f);
}

struct activity *activity_file_add(struct activity_file *f,
                                   struct rc_err *err)
{
    struct activity *a;
    if (grow((void **)&f->acts, &f->acts_cap, f->nacts, sizeof(*f->acts),
             ACTIVITY_FILE_MAX_ACTIVITIES, "activities", err) < 0)
        return NULL;
    a = &f->acts[f->nacts++];
    activity_init(a);
    return a;
}

void activity_file_warn(struct activity_file *f, const char *fmt, ...)
{
    va_list ap;
    if (f->nwarnings >= ACTIVITY_FILE_MAX_WARNINGS) {
        snprintf(f->warnings[ACTIVITY_FILE_MAX_WARNINGS - 1],
                 sizeof(f->warnings[0]), "more repairs than shown");
        return;
    }
    va_start(ap, fmt);
    vsnprintf(f->warnings[f->nwarnings], sizeof(f->warnings[0]), fmt, ap);
    va_end(ap);
    f->nwarnings++;
}
