/* fit_build.c - the FIT decoder's last step: from what the walk collected
 * (samples, sessions, laps, timer spans, device, file type; fit_dec.h) to
 * the activity_file: one activity per session (records and laps go to the
 * session whose time range holds them) or one from the records, the file
 * type and note, the warnings, and inspect's facts about the framing. */
#include "base/base.h"
#include "base/alloc.h"
#include "fit/fit_dec.h"

static int cmp_sess(const void *a, const void *b)
{
    const struct fit_sess *x = a, *y = b;
    bool kx = !isnan(x->key), ky = !isnan(y->key);
    if (kx != ky)
        return kx ? -1 : 1;
    if (kx && x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Index of the last of keys[0..n) that is <= t (keys ascending), 0 if
 * none. */
static size_t find_slot(const double *keys, size_t n, double t)
{
    size_t lo = 0, hi = n;
    if (n == 0 || isnan(t))
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : 0;
}

static void name_sport(char *out, size_t n, double v, bool sub)
{
    const char *name;
    v = whole(v, 255);
    if (isnan(v))
        return;
    name = sub ? fit_sub_sport_name((unsigned)v) : fit_sport_name((unsigned)v);
    if (name)
        snprintf(out, n, "%s", name);
    else
        snprintf(out, n, "%s_%u", sub ? "sub_sport" : "sport", (unsigned)v);
}

/* Seconds of running timer (timer start/stop events) within [from, to]. */
static double timer_within(const struct fit_dec *d, double from, double to)
{
    double sum = 0;
    for (size_t i = 0; i < d->nspans; i++) {
        double a = fmax(from, d->spans[i].from);
        double b = fmin(to, d->spans[i].to);
        if (b > a)
            sum += b - a;
    }
    return sum;
}

static void fill_from_session(struct activity *a, const struct fit_sess *s)
{
    const double *v = s->v;
    name_sport(a->sport, sizeof(a->sport), v[SS_SPORT], false);
    name_sport(a->sub_sport, sizeof(a->sub_sport), v[SS_SUB], true);
    if (!isnan(s->key))
        a->start_s = to_unix(s->key);
    a->elapsed_s = v[SS_ELAPSED] / 1000.0;
    a->timer_s = v[SS_TIMER] / 1000.0;
    a->moving_s = v[SS_MOVING] / 1000.0;
    a->distance_m = v[SS_DIST] / 100.0;
    a->ascent_m = v[SS_ASC];
    a->descent_m = v[SS_DESC];
    a->avg_hr_bpm = (float)(v[SS_AVGHR]);
    a->max_hr_bpm = (float)(v[SS_MAXHR]);
    a->avg_cadence_rpm = (float)(v[SS_AVGCAD]);
    a->max_cadence_rpm = (float)(v[SS_MAXCAD]);
    a->avg_power_w = (float)(v[SS_AVGPOW]);
    a->calories_kcal = (float)(v[SS_CAL]);
}

static void lap_from(struct activity_lap *l, const struct fit_lapx *x)
{
    const double *v = x->v;
    l->start_s = isnan(x->key) ? NAN : to_unix(x->key);
    l->elapsed_s = v[LS_ELAPSED] / 1000.0;
    l->timer_s = v[LS_TIMER] / 1000.0;
    l->distance_m = v[LS_DIST] / 100.0;
    l->ascent_m = v[LS_ASC];
    l->descent_m = v[LS_DESC];
    l->avg_hr_bpm = (float)(v[LS_AVGHR]);
    l->max_hr_bpm = (float)(v[LS_MAXHR]);
    l->avg_cadence_rpm = (float)(v[LS_AVGCAD]);
    l->max_cadence_rpm = (float)(v[LS_MAXCAD]);
    l->calories_kcal = (float)(v[LS_CAL]);
}

/* Give each activity its samples: the whole array when there is one,
 * else a copy of each run of samples assigned to it. owner[i] is the
 * activity of sample i. */
static int hand_out_samples(struct fit_dec *d, struct activity *acts,
                            size_t nacts, const uint32_t *owner,
                            struct rc_err *err)
{
    if (nacts == 1) {
        acts[0].samples = d->samples;
        acts[0].nsamples = d->nsamples;
        acts[0].samples_cap = d->samples_cap;
        d->samples = NULL;
        d->nsamples = d->samples_cap = 0;
        return 0;
    }
    {
        size_t *count = rc_malloc(nacts * sizeof(*count));
        if (!count)
            return rc_fail(err, RC_EENV, "out of memory");
        memset(count, 0, nacts * sizeof(*count));
        for (size_t i = 0; i < d->nsamples; i++)
            count[owner[i]]++;
        for (size_t k = 0; k < nacts; k++) {
            if (!count[k])
                continue;
            acts[k].samples = rc_malloc(count[k] * sizeof(*acts[k].samples));
            if (!acts[k].samples) {
                size_t want = count[k];
                rc_free(count);
                return rc_fail(err, RC_EENV, "out of memory for %zu samples",
                               want);
            }
            acts[k].samples_cap = count[k];
        }
        rc_free(count);
        for (size_t i = 0; i < d->nsamples; i++) {
            struct activity *a = &acts[owner[i]];
            a->samples[a->nsamples++] = d->samples[i];
        }
    }
    return 0;
}

/* Which activity each sample belongs to: the last session that started at
 * or before the sample's time (a sample without a time goes with the
 * samples before it). */
static uint32_t *assign_samples(struct fit_dec *d, const double *keys,
                                size_t nkeys, struct rc_err *err)
{
    uint32_t *owner;
    double carry = NAN;
    if (!d->nsamples)
        return NULL;
    owner = rc_malloc(d->nsamples * sizeof(*owner));
    if (!owner) {
        rc_fail(err, RC_EENV, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < d->nsamples; i++) {
        double t = d->samples[i].time_s;
        if (!isnan(t))
            carry = t - (double)RC_FIT_EPOCH_UNIX;
        owner[i] = (uint32_t)find_slot(keys, nkeys, carry);
    }
    return owner;
}

static void device_merge(struct activity_device *dst,
                         const struct activity_device *creator)
{
    if (!dst->manufacturer[0])
        memcpy(dst->manufacturer, creator->manufacturer,
               sizeof(dst->manufacturer));
    if (!dst->product)
        dst->product = creator->product;
    if (!dst->serial)
        dst->serial = creator->serial;
    if (!dst->product_name[0])
        memcpy(dst->product_name, creator->product_name,
               sizeof(dst->product_name));
}

/* Raw FIT start and end of activity a (from its session or its samples),
 * for the timer events. */
static void span_of(const struct activity *a, double *from, double *to)
{
    double lo = NAN, hi = NAN;
    for (size_t i = 0; i < a->nsamples; i++) {
        double t = a->samples[i].time_s;
        if (isnan(t))
            continue;
        if (isnan(lo) || t < lo)
            lo = t;
        if (isnan(hi) || t > hi)
            hi = t;
    }
    if (!isnan(a->start_s))
        lo = a->start_s;
    if (!isnan(a->start_s) && !isnan(a->elapsed_s))
        hi = a->start_s + a->elapsed_s;
    *from = lo - (double)RC_FIT_EPOCH_UNIX;
    *to = hi - (double)RC_FIT_EPOCH_UNIX;
}

static int build_activities(struct fit_dec *d, struct activity_file *f,
                            struct rc_err *err)
{
    size_t nacts = d->nsess ? d->nsess : 1, nkeys = 0;
    double *keys = NULL;
    uint32_t *owner = NULL;
    struct activity *acts;
    int32_t offset_s = 0;
    bool has_offset = false;
    bool relative = false;

    if (d->nsess > 1)
        qsort(d->sess, d->nsess, sizeof(*d->sess), cmp_sess);
    for (size_t k = 0; k < nacts; k++)
        if (!activity_file_add(f, err))
            return -1;
    acts = f->acts;

    keys = rc_malloc((d->nsess + 1) * sizeof(*keys));
    if (!keys)
        return rc_fail(err, RC_EENV, "out of memory");
    for (size_t k = 0; k < d->nsess && !isnan(d->sess[k].key); k++)
        keys[nkeys++] = d->sess[k].key;
    if (nacts > 1) {
        owner = assign_samples(d, keys, nkeys, err);
        if (!owner && d->nsamples) {
            rc_free(keys);
            return -1;
        }
    }
    if (hand_out_samples(d, acts, nacts, owner, err) < 0) {
        rc_free(keys);
        rc_free(owner);
        return -1;
    }
    rc_free(owner);

    /* laps, in time order, to the session that holds their start */
    for (size_t i = 0; i < d->nlaps; i++) {
        size_t k = nacts > 1 ? find_slot(keys, nkeys, d->laps[i].key) : 0;
        struct activity_lap *l = activity_add_lap(&acts[k], err);
        if (!l) {
            rc_free(keys);
            return -1;
        }
        lap_from(l, &d->laps[i]);
    }
    rc_free(keys);

    if (!isnan(d->act_ts) && !isnan(d->act_local) &&
        d->act_ts >= FIT_TIME_MIN_ABSOLUTE) {
        /* local minus UTC, to the quarter hour (every zone is a multiple
         * of 15 minutes; devices are sometimes a few seconds off) */
        double off = round((d->act_local - d->act_ts) / 900.0) * 900.0;
        if (fabs(off) <= 14 * 3600) {
            offset_s = (int32_t)off;
            has_offset = true;
        } else {
            activity_file_warn(f,
                               "activity local_timestamp is %.0f s from "
                               "UTC, more than 14 h: UTC offset ignored",
                               off);
        }
    }

    for (size_t k = 0; k < nacts; k++) {
        struct activity *a = &acts[k];
        double from, to;
        bool rel;

        if (d->nsess)
            fill_from_session(a, &d->sess[k]);
        if (!d->nsess || isnan(d->sess[k].v[SS_SPORT])) {
            name_sport(a->sport, sizeof(a->sport), d->sport, false);
            name_sport(a->sub_sport, sizeof(a->sub_sport), d->sub_sport, true);
        }
        a->device = d->device;
        if (d->have_creator)
            device_merge(&a->device, &d->creator);
        a->utc_offset_s = offset_s;
        a->has_utc_offset = has_offset;
        a->salvaged = d->damage_off >= 0;
        if (!activity_known(a->timer_s) && d->nspans) {
            span_of(a, &from, &to);
            if (!isnan(from) && !isnan(to) && to >= from) {
                a->timer_s = timer_within(d, from, to);
                a->computed |= ACTIVITY_C_TIMER;
            }
        }
        rel = activity_known(a->start_s)
                  ? a->start_s < to_unix(FIT_TIME_MIN_ABSOLUTE)
                  : d->relative_samples > 0;
        activity_fill_totals(a);
        if (rel) {
            /* seconds since power-on: durations hold, the date does not */
            a->start_s = NAN;
            a->computed &= ~(unsigned)ACTIVITY_C_START;
            relative = true;
        }
    }
    if (relative)
        activity_file_warn(f, "timestamps are seconds since the device was "
                              "switched on (below 0x10000000), not dates: "
                              "start time unknown");
    return 0;
}

void fit_build_info(const struct fit_dec *d, struct fit_info *info)
{
    *info = d->info;
    info->ndev = 0;
    for (unsigned k = 0; k < d->ndescs && info->ndev < FIT_INFO_MAX_DEV_FIELDS;
         k++) {
        struct fit_dev_field_info *x = &info->dev[info->ndev++];
        *x = d->descs[k].info;
        if (!x->values)
            x->min = x->max = NAN;
    }
}

int fit_build(struct fit_dec *d, struct activity_file *f, struct rc_err *err)
{
    const char *tname = NULL;
    bool is_activity;

    snprintf(f->format, sizeof(f->format), "fit");
    f->records = d->info.records;
    if (!isnan(d->file_type))
        tname = fit_file_type_name((unsigned)d->file_type);
    is_activity = isnan(d->file_type) ? (d->nsess > 0 || d->nsamples > 0)
                                      : d->file_type == 4;
    if (tname)
        snprintf(f->file_type, sizeof(f->file_type), "%s", tname);
    else if (!isnan(d->file_type))
        snprintf(f->file_type, sizeof(f->file_type), "type_%u",
                 (unsigned)d->file_type);
    else
        snprintf(f->file_type, sizeof(f->file_type), "%s",
                 is_activity ? "activity" : "unknown");
    if (isnan(d->file_type) && is_activity)
        activity_file_warn(f, "%s: read as an activity (it has %s)",
                           d->have_file_id ? "file_id gives no file type"
                                           : "no file_id message",
                           d->nsess ? "sessions" : "records");
    if (d->damage_off >= 0) {
        f->salvaged = true;
        activity_file_warn(f,
                           "salvaged: offset %ld: %s; kept the %ld "
                           "complete records before it",
                           d->damage_off, d->damage_msg, d->info.records);
    }
    if (d->no_time_msgs)
        activity_file_warn(f,
                           "offset %ld: compressed timestamp before any "
                           "full timestamp: %ld messages without a time",
                           d->first_no_time_off, d->no_time_msgs);
    if (d->trailing_zeros)
        activity_file_warn(f,
                           "%zu zero bytes after the last FIT part: "
                           "ignored",
                           d->trailing_zeros);
    if (d->descs_dropped)
        activity_file_warn(f,
                           "more than %d developer field descriptions: "
                           "%ld not used",
                           MAX_DEV_DESCS, d->descs_dropped);

    if (!is_activity) {
        snprintf(f->note, sizeof(f->note), "a %s file, not an activity",
                 f->file_type);
        return 0;
    }
    if (!d->nsess && !d->nsamples) {
        snprintf(f->note, sizeof(f->note),
                 "an activity file with no sessions and no records");
        return 0;
    }
    return build_activities(d, f, err);
}
