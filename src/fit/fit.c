/* fit.c - the FIT decoder: bytes in, struct activity_file out. This file
 * walks the records and reads the data messages; fit_define.c compiles the
 * definition messages, fit_build.c turns what the walk collected into
 * activities, fit_dec.h holds the state they share.
 *
 * Data flow: decode_buffer (decode/) hands over bytes with the ".FIT"
 * signature; import/ and inspect get the activities. The file layout and the
 * numbers are in fit_int.h; the policies (CRC, salvage, chained files, file
 * types) in fit.h.
 *
 * How it is fast: one pass over the bytes. A definition message is compiled
 * once into a short list of read operations (offset, reader, slot) for the
 * fields runcare wants; a data message runs its list into an array of
 * doubles (NAN = invalid sentinel) and one handler per message kind turns
 * the slots into a sample, lap or session. Messages runcare does not read
 * cost a timestamp check and a pointer increment. Nothing is allocated per
 * message: samples go into one growing array that becomes the activity's
 * (or is split over the sessions of a multisport file) at the end. The file
 * CRC is a separate pass, 8 bytes per step (fit_profile.c).
 *
 * Damage (a bad CRC, a cut, garbage): the walk goes on past a bad header
 * CRC or a short file (reading what is there) and stops at the first
 * structural error; the first damage found is what the runner is told, and
 * what --salvage keeps is every complete message walked before the stop. */
#include "base/base.h"
#include "base/alloc.h"
#include "fit/fit_dec.h"

/* ---- Helpers of the decoder ---- */

int fit_grow(void **v, size_t *cap, size_t n, size_t sz, size_t max,
             const char *what, long off, struct rc_err *err)
{
    size_t want;
    void *q;

    if (n < *cap)
        return 0;
    if (n >= max)
        return rc_fail_at(err, off, "more than %zu %s in one file", max,
                          what);
    want = *cap ? *cap * 2 : 256;
    if (want > max)
        want = max;
    q = rc_realloc(*v, want * sz);
    if (!q)
        return rc_fail(err, RC_EENV, "out of memory for %zu %s", want, what);
    *v = q;
    *cap = want;
    return 0;
}

int fit_damage(struct fit_dec *d, long off, const char *fmt, ...)
{
    va_list ap;
    if (d->damage_off >= 0)
        return -1;
    d->damage_off = off;
    va_start(ap, fmt);
    vsnprintf(d->damage_msg, sizeof(d->damage_msg), fmt, ap);
    va_end(ap);
    return -1;
}

void fit_copy_text(char *out, size_t outn, const unsigned char *s,
                   size_t n)
{
    size_t o = 0, i = 0;
    while (i < n && s[i] && o + 1 < outn) {
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2
                                  : (c & 0xF0) == 0xE0 ? 3
                                  : (c & 0xF8) == 0xF0 ? 4 : 0;
        bool ok = len > 0 && i + len <= n && o + len < outn;
        for (size_t k = 1; ok && k < len; k++)
            ok = (s[i + k] & 0xC0) == 0x80;
        if (ok && len == 1 && (c < 0x20 || c == 0x7F))
            ok = false;
        if (ok && len == 2 && c < 0xC2)
            ok = false; /* overlong */
        if (!ok) {
            out[o++] = '?';
            i++;
            continue;
        }
        memcpy(out + o, s + i, len);
        o += len;
        i += len;
    }
    out[o] = '\0';
}

/* ---- Data messages ---- */

struct fit_str {
    const unsigned char *p;
    size_t n;
};

/* Every slot missing: copied over a message's slots before its fields. */
static const double nan_slots[MAX_SLOTS] = {
    NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
    NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
};

static ALWAYS_INLINE int on_record(struct fit_dec *d, const double *v,
                                   const double *dv, double t, long off,
                                   struct rc_err *err)
{
    struct activity_sample *s;
    double x;

    if (d->nsamples == d->samples_cap &&
        fit_grow((void **)&d->samples, &d->samples_cap, d->nsamples,
                 sizeof(*d->samples), ACTIVITY_MAX_SAMPLES, "record messages",
                 off, err) < 0)
        return -1;
    s = &d->samples[d->nsamples++];
    s->time_s = isnan(t) ? NAN : to_unix(t);
    if (!isnan(t) && t < FIT_TIME_MIN_ABSOLUTE)
        d->relative_samples++;
    s->lat_deg = v[RS_LAT] * FIT_DEG_PER_SEMICIRCLE;
    s->lon_deg = v[RS_LON] * FIT_DEG_PER_SEMICIRCLE;
    if (!(fabs(s->lat_deg) <= 90.0) || !(fabs(s->lon_deg) <= 180.0))
        s->lat_deg = s->lon_deg = NAN;
    x = !isnan(v[RS_EALT]) ? v[RS_EALT] : v[RS_ALT];
    s->alt_m = (float)(x / 5.0 - 500.0);
    x = !isnan(v[RS_ESPEED]) ? v[RS_ESPEED] : v[RS_SPEED];
    s->speed_mps = (float)(x / 1000.0);
    s->dist_m = (float)(v[RS_DIST] / 100.0);
    s->hr_bpm = (float)(v[RS_HR]);
    x = v[RS_CAD];
    if (!isnan(x) && !isnan(v[RS_FCAD]))
        x += v[RS_FCAD] / 128.0;
    s->cadence_rpm = (float)(x);
    s->power_w = (float)(v[RS_POWER]);
    s->temp_c = (float)(v[RS_TEMP]);
    if (!isnan(v[RS_CSD])) {
        /* compressed_speed_distance: speed in the low 12 bits (scale 100,
         * m/s), then a 12-bit rolling distance (scale 16, m) */
        uint32_t raw = (uint32_t)v[RS_CSD];
        uint32_t dist = raw >> 12;
        if (isnan(s->speed_mps))
            s->speed_mps = (float)((raw & 0xFFF) / 100.0);
        d->csd_dist_m += ((dist - d->csd_raw) & 0xFFF) / 16.0;
        d->csd_raw = dist;
        d->csd_seen = true;
        if (isnan(s->dist_m))
            s->dist_m = (float)(d->csd_dist_m);
    }
    if (dv) {
        /* developer fields that mirror a native one, when it is missing */
        if (isnan(s->alt_m) && !isnan(dv[RS_EALT]))
            s->alt_m = (float)(dv[RS_EALT]);
        if (isnan(s->speed_mps) && !isnan(dv[RS_ESPEED]))
            s->speed_mps = (float)(dv[RS_ESPEED]);
        if (isnan(s->dist_m) && !isnan(dv[RS_DIST]))
            s->dist_m = (float)(dv[RS_DIST]);
        if (isnan(s->hr_bpm) && !isnan(dv[RS_HR]))
            s->hr_bpm = (float)(dv[RS_HR]);
        if (isnan(s->cadence_rpm) && !isnan(dv[RS_CAD]))
            s->cadence_rpm = (float)(dv[RS_CAD]);
        if (isnan(s->power_w) && !isnan(dv[RS_POWER]))
            s->power_w = (float)(dv[RS_POWER]);
        if (isnan(s->temp_c) && !isnan(dv[RS_TEMP]))
            s->temp_c = (float)(dv[RS_TEMP]);
    }
    return 0;
}

static int on_session(struct fit_dec *d, const double *v, double t, long off,
                      struct rc_err *err)
{
    struct fit_sess *s;
    if (fit_grow((void **)&d->sess, &d->sess_cap, d->nsess, sizeof(*d->sess),
                 ACTIVITY_FILE_MAX_ACTIVITIES, "session messages", off,
                 err) < 0)
        return -1;
    s = &d->sess[d->nsess];
    memcpy(s->v, v, sizeof(s->v));
    s->ts = t;
    s->key = whole(v[SS_START], UINT32_MAX);
    if (isnan(s->key) && !isnan(t) && !isnan(v[SS_ELAPSED]))
        s->key = t - floor(v[SS_ELAPSED] / 1000.0);
    s->order = (long)d->nsess++;
    return 0;
}

static int on_lap(struct fit_dec *d, const double *v, double t, long off,
                  struct rc_err *err)
{
    struct fit_lapx *l;
    if (fit_grow((void **)&d->laps, &d->laps_cap, d->nlaps, sizeof(*d->laps),
                 ACTIVITY_MAX_LAPS, "lap messages", off, err) < 0)
        return -1;
    l = &d->laps[d->nlaps];
    memcpy(l->v, v, sizeof(l->v));
    l->ts = t;
    l->key = whole(v[LS_START], UINT32_MAX);
    if (isnan(l->key) && !isnan(t) && !isnan(v[LS_ELAPSED]))
        l->key = t - floor(v[LS_ELAPSED] / 1000.0);
    if (isnan(l->key))
        l->key = t;
    l->order = (long)d->nlaps++;
    return 0;
}

/* Timer start and stop events become spans of running timer. */
static int on_event(struct fit_dec *d, const double *v, double t, long off,
                    struct rc_err *err)
{
    if (v[ES_EVENT] != FIT_EVENT_TIMER || isnan(t) ||
        isnan(whole(v[ES_TYPE], 255)))
        return 0;
    switch ((unsigned)v[ES_TYPE]) {
    case FIT_EVENT_TYPE_START:
        if (!d->timer_running) {
            d->timer_running = true;
            d->timer_from = t;
        }
        return 0;
    case FIT_EVENT_TYPE_STOP:
    case FIT_EVENT_TYPE_STOP_ALL:
    case FIT_EVENT_TYPE_STOP_DISABLE:
    case FIT_EVENT_TYPE_STOP_DISABLE_ALL:
        if (!d->timer_running)
            return 0;
        d->timer_running = false;
        if (t < d->timer_from)
            return 0;
        if (fit_grow((void **)&d->spans, &d->spans_cap, d->nspans,
                     sizeof(*d->spans), ACTIVITY_MAX_SAMPLES, "timer events",
                     off, err) < 0)
            return -1;
        d->spans[d->nspans].from = d->timer_from;
        d->spans[d->nspans].to = t;
        d->nspans++;
        return 0;
    default:
        return 0;
    }
}

static void set_manufacturer(struct activity_device *dev, double m)
{
    const char *name;
    m = whole(m, 65535);
    if (isnan(m))
        return;
    name = fit_manufacturer_name((unsigned)m);
    if (name)
        snprintf(dev->manufacturer, sizeof(dev->manufacturer), "%s", name);
    else
        snprintf(dev->manufacturer, sizeof(dev->manufacturer),
                 "manufacturer_%u", (unsigned)m);
}

static void on_file_id(struct fit_dec *d, const double *v,
                       const struct fit_str *s)
{
    if (d->have_file_id)
        return; /* the first part's file_id describes the file */
    d->have_file_id = true;
    d->file_type = whole(v[FS_TYPE], 255);
    set_manufacturer(&d->device, v[FS_MANUF]);
    if (!isnan(whole(v[FS_PRODUCT], UINT32_MAX)))
        d->device.product = (uint32_t)v[FS_PRODUCT];
    if (!isnan(whole(v[FS_SERIAL], UINT32_MAX)))
        d->device.serial = (uint32_t)v[FS_SERIAL];
    if (s[FS_PNAME & ~STR].p)
        fit_copy_text(d->device.product_name, sizeof(d->device.product_name),
                      s[FS_PNAME & ~STR].p, s[FS_PNAME & ~STR].n);
}

static void on_device_info(struct fit_dec *d, const double *v,
                           const struct fit_str *s)
{
    if (d->have_creator || v[DS_INDEX] != 0)
        return;
    d->have_creator = true;
    set_manufacturer(&d->creator, v[DS_MANUF]);
    if (!isnan(whole(v[DS_PRODUCT], UINT32_MAX)))
        d->creator.product = (uint32_t)v[DS_PRODUCT];
    if (!isnan(whole(v[DS_SERIAL], UINT32_MAX)))
        d->creator.serial = (uint32_t)v[DS_SERIAL];
    if (s[DS_PNAME & ~STR].p)
        fit_copy_text(d->creator.product_name, sizeof(d->creator.product_name),
                      s[DS_PNAME & ~STR].p, s[DS_PNAME & ~STR].n);
}

/* The record slot a developer field mirrors (field_description native
 * field), 0 if none runcare reads. */
static uint8_t mirror_slot(double mesg, double field)
{
    field = whole(field, 255);
    if (mesg != FIT_MESG_RECORD || isnan(field))
        return 0;
    switch ((unsigned)field) {
    case FIT_RECORD_ALTITUDE:
    case FIT_RECORD_ENHANCED_ALTITUDE:
        return RS_EALT;
    case FIT_RECORD_HR:
        return RS_HR;
    case FIT_RECORD_CADENCE:
        return RS_CAD;
    case FIT_RECORD_DISTANCE:
        return RS_DIST;
    case FIT_RECORD_SPEED:
    case FIT_RECORD_ENHANCED_SPEED:
        return RS_ESPEED;
    case FIT_RECORD_POWER:
        return RS_POWER;
    case FIT_RECORD_TEMPERATURE:
        return RS_TEMP;
    default:
        return 0;
    }
}

static int on_field_desc(struct fit_dec *d, const double *v,
                         const struct fit_str *s, struct rc_err *err)
{
    struct fit_desc *x = NULL;
    unsigned idx, num;

    if (isnan(whole(v[XS_DEVIDX], 255)) || isnan(whole(v[XS_FNUM], 255)) ||
        isnan(whole(v[XS_BASE], 255)))
        return 0;
    idx = (unsigned)v[XS_DEVIDX];
    num = (unsigned)v[XS_FNUM];
    for (unsigned k = 0; k < d->ndescs; k++)
        if (d->descs[k].dev_index == idx && d->descs[k].field_num == num) {
            x = &d->descs[k];
            break;
        }
    if (!x) {
        if (d->ndescs == MAX_DEV_DESCS) {
            d->descs_dropped++;
            return 0;
        }
        if (d->ndescs == d->descs_cap) {
            size_t want = d->descs_cap ? d->descs_cap * 2 : 16;
            struct fit_desc *y = rc_realloc(d->descs, want * sizeof(*y));
            if (!y)
                return rc_fail(err, RC_EENV, "out of memory for developer "
                                             "field descriptions");
            d->descs = y;
            d->descs_cap = want;
        }
        x = &d->descs[d->ndescs++];
        memset(x, 0, sizeof(*x));
        x->info.min = INFINITY;
        x->info.max = -INFINITY;
    }
    x->dev_index = (uint8_t)idx;
    x->field_num = (uint8_t)num;
    x->base = (uint8_t)v[XS_BASE];
    x->scale = !isnan(v[XS_SCALE]) && v[XS_SCALE] > 0 ? v[XS_SCALE] : 1;
    x->offset = !isnan(v[XS_OFFSET]) ? v[XS_OFFSET] : 0;
    x->mirror = mirror_slot(v[XS_NMESG], v[XS_NFIELD]);
    x->info.dev_index = x->dev_index;
    x->info.field_num = x->field_num;
    x->info.base_type = x->base;
    x->info.native_mesg =
        isnan(whole(v[XS_NMESG], 65535)) ? -1 : (int)v[XS_NMESG];
    x->info.native_field =
        isnan(whole(v[XS_NFIELD], 255)) ? -1 : (int)v[XS_NFIELD];
    x->info.name[0] = x->info.units[0] = '\0';
    if (s[XS_NAME & ~STR].p)
        fit_copy_text(x->info.name, sizeof(x->info.name), s[XS_NAME & ~STR].p,
                      s[XS_NAME & ~STR].n);
    if (s[XS_UNITS & ~STR].p)
        fit_copy_text(x->info.units, sizeof(x->info.units),
                      s[XS_UNITS & ~STR].p, s[XS_UNITS & ~STR].n);
    d->dev_gen++;
    return 0;
}

/* The channels of a record: one inlined read per channel, specialised for
 * the base type devices use for it (the call with a constant reader folds
 * into straight code); other types take the general switch. */
static ALWAYS_INLINE void read_record(const struct fit_def *def,
                                      const unsigned char *p, double *v)
{
#define CHAN(c, expect)                                                    \
    do {                                                                   \
        unsigned rd_ = def->rrd[c];                                        \
        const unsigned char *q_ = p + def->roff[c];                        \
        v[c] = rd_ == (expect)   ? rd_value(q_, (expect))                  \
               : rd_ == RD_NONE ? NO_VALUE                                \
                                : rd_value(q_, rd_);                       \
    } while (0)
    CHAN(RS_LAT, RD_S32L);
    CHAN(RS_LON, RD_S32L);
    CHAN(RS_ALT, RD_U16L);
    CHAN(RS_HR, RD_U8);
    CHAN(RS_CAD, RD_U8);
    CHAN(RS_DIST, RD_U32L);
    CHAN(RS_SPEED, RD_U16L);
    CHAN(RS_POWER, RD_U16L);
    CHAN(RS_CSD, RD_CSD);
    CHAN(RS_TEMP, RD_S8);
    CHAN(RS_FCAD, RD_U8);
    CHAN(RS_ESPEED, RD_U32L);
    CHAN(RS_EALT, RD_U32L);
#undef CHAN
    _Static_assert(RS_N == 14, "one CHAN per record slot");
}

/* The string fields of a message into s (NULL where absent or empty). */
static void read_strings(const struct fit_def *def, const unsigned char *p,
                         struct fit_str *s)
{
    memset(s, 0, MAX_STRS * sizeof(*s));
    for (unsigned i = 0; i < def->nsops; i++) {
        const struct fit_op *op = &def->sops[i];
        const unsigned char *q = p + op->off;
        size_t n = 0;
        while (n < op->len && q[n])
            n++;
        if (n) {
            s[op->slot].p = q;
            s[op->slot].n = n;
        }
    }
}

/* The developer fields of a message: counted for inspect and, in a record,
 * the values that stand in for a native field put in dv. True when dv
 * holds such values (the definition has a mirroring field). */
static ALWAYS_INLINE bool read_dev(struct fit_dec *d, struct fit_def *def,
                                    const unsigned char *p, double *dv)
{
    d->info.dev_field_messages++;
    if (def->dev_gen != d->dev_gen)
        fit_compile_dev(d, def);
    if (def->has_mirror)
        for (unsigned i = 1; i < RS_N; i++)
            dv[i] = NAN;
    for (unsigned i = 0; i < def->ndevops; i++) {
        const struct fit_devop *op = &def->dev->ops[i];
        struct fit_desc *x = &d->descs[op->desc];
        double y = rd_value(p + op->off, op->rd);
        if (isnan(y) || def->kind != K_RECORD)
            continue;
        y = y / x->scale - x->offset;
        x->info.values++;
        x->info.sum += y;
        if (y < x->info.min)
            x->info.min = y;
        if (y > x->info.max)
            x->info.max = y;
        if (x->mirror)
            dv[x->mirror] = y;
    }
    return def->has_mirror;
}

/* Decode the data message whose content starts at m, of definition def,
 * with time t (NAN if none yet) from a compressed header. */
static int on_data(struct fit_dec *d, struct fit_def *def, size_t m,
                   double t, struct rc_err *err)
{
    const unsigned char *p = d->p + m;
    double v[MAX_SLOTS], dv[RS_N];
    struct fit_str s[MAX_STRS];
    bool use_dv = false;

    d->info.messages++;
    if (def->ts_off >= 0) {
        const unsigned char *q = p + def->ts_off;
        uint32_t ts = def->big ? be32(q) : le32(q);
        if (ts != 0xFFFFFFFFu) {
            d->last_ts = ts;
            d->have_ts = true;
            t = ts;
        }
    }
    if (!isnan(t) && t > d->last_time)
        d->last_time = t;
    if (def->kind == K_OTHER && !def->ndev)
        return 0;

    if (def->kind == K_RECORD) {
        read_record(def, p, v);
    } else {
        memcpy(v, nan_slots, sizeof(v));
        for (unsigned i = 0; i < def->nops; i++) {
            const struct fit_op *op = &def->ops[i];
            v[op->slot] = rd_value(p + op->off, op->rd);
        }
    }
    if (def->kind == K_FILE_ID || def->kind == K_DEVICE_INFO ||
        def->kind == K_FIELD_DESC) /* the only kinds with strings */
        read_strings(def, p, s);
    if (def->ndev)
        use_dv = read_dev(d, def, p, dv);

    switch (def->kind) {
    case K_RECORD:
        d->info.records++;
        return on_record(d, v, use_dv ? dv : NULL, t, (long)m, err);
    case K_SESSION:
        return on_session(d, v, t, (long)m, err);
    case K_LAP:
        return on_lap(d, v, t, (long)m, err);
    case K_EVENT:
        return on_event(d, v, t, (long)m, err);
    case K_FILE_ID:
        on_file_id(d, v, s);
        return 0;
    case K_DEVICE_INFO:
        on_device_info(d, v, s);
        return 0;
    case K_ACTIVITY:
        if (!isnan(t)) {
            d->act_ts = t;
            d->act_local = whole(v[AS_LOCAL], UINT32_MAX);
        }
        return 0;
    case K_SPORT:
        if (isnan(d->sport)) {
            d->sport = v[PS_SPORT];
            d->sub_sport = v[PS_SUB];
        }
        return 0;
    case K_FIELD_DESC:
        return on_field_desc(d, v, s, err);
    default:
        return 0;
    }
}

/* ---- The walk ---- */

/* Walk the records in [q, end) of one part. -1 on damage (noted) or on a
 * hard failure (err set, d->hard_fail). */
static int walk_records(struct fit_dec *d, size_t q, size_t end,
                        struct rc_err *err)
{
    const unsigned char *p = d->p;

    while (q < end) {
        unsigned h = p[q];
        struct fit_def *def;
        double t = NAN;

        if (h & 0x80) {
            unsigned local = (h >> 5) & 3, off5 = h & 0x1F;
            def = &d->defs[local];
            if (!def->defined)
                return fit_damage(d, (long)q,
                                  "compressed-timestamp data message for "
                                  "undefined local type %u",
                                  local);
            d->info.compressed_timestamps++;
            if (d->have_ts) {
                uint64_t ts = (d->last_ts & ~(uint64_t)0x1F) + off5;
                if (off5 < (d->last_ts & 0x1F))
                    ts += 0x20;
                d->last_ts = ts;
                t = (double)ts;
            } else {
                if (!d->no_time_msgs)
                    d->first_no_time_off = (long)q;
                d->no_time_msgs++;
            }
        } else if (h & 0x40) {
            size_t next = end;
            if (fit_define(d, q + 1, end, h & 0x0F, (h & 0x20) != 0, &next,
                           err) < 0)
                return -1;
            q = next;
            continue;
        } else {
            def = &d->defs[h & 0x0F];
            if (!def->defined)
                return fit_damage(d, (long)q,
                                  "data message for undefined local type %u",
                                  h & 0x0F);
        }
        q++;
        if (end - q < def->size)
            return fit_damage(d, (long)q,
                              "data message (%s, global %u) needs %u bytes, "
                              "only %zu remain before the end of the data",
                              fit_kind_name(def->kind), def->global, def->size,
                              end - q);
        if (on_data(d, def, q, t, err) < 0) {
            d->hard_fail = true;
            return -1;
        }
        q += def->size;
    }
    return 0;
}

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Walk every part. Returns 0 when the walk reached the end, -1 when it
 * stopped at damage (noted in d) or failed hard (err set). */
static int walk(struct fit_dec *d, struct rc_err *err)
{
    const unsigned char *p = d->p;
    size_t n = d->n, pos = 0;

    if (n == 0)
        return fit_damage(d, 0, "empty file");
    while (pos < n) {
        size_t rest = n - pos, hs, data_end, avail_end;
        uint32_t dsize;
        struct fit_part_info pi;
        bool truncated = false;

        if (pos > 0) {
            /* after a complete part: another part, padding or garbage */
            if (all_zero(p + pos, rest)) {
                d->trailing_zeros = rest;
                return 0;
            }
            if (rest < FIT_HEADER_MIN ||
                ((p[pos] != 12 && p[pos] != 14) &&
                 memcmp(p + pos + 8, FIT_SIGNATURE, 4) != 0))
                return fit_damage(d, (long)pos,
                                  "%zu bytes of garbage after the FIT data",
                                  rest);
        }
        if (rest < FIT_HEADER_MIN)
            return fit_damage(
                d, (long)pos,
                "file of %zu bytes is too short for a FIT header (12 bytes)",
                rest);
        hs = p[pos];
        if (hs < FIT_HEADER_MIN)
            return fit_damage(d, (long)pos, "header size %zu is less than 12",
                              hs);
        if (memcmp(p + pos + 8, FIT_SIGNATURE, 4) != 0) {
            char sig[8];
            fit_copy_text(sig, 5, p + pos + 8, 4);
            return fit_damage(d, (long)pos + 8,
                              "signature \"%s\" is not \".FIT\"", sig);
        }
        if (rest < hs)
            return fit_damage(d, (long)pos,
                              "truncated header: %zu of %zu bytes", rest, hs);
        memset(&pi, 0, sizeof(pi));
        pi.offset = (long)pos;
        pi.header_size = (unsigned)hs;
        pi.protocol = p[pos + 1];
        pi.profile = le16(p + pos + 2);
        dsize = le32(p + pos + 4);
        pi.data_size = dsize;
        pi.header_crc = FIT_HEADER_CRC_NONE;
        if (hs >= 14) {
            uint16_t want = le16(p + pos + 12);
            uint16_t got = fit_crc16(0, p + pos, 12);
            pi.header_crc = want == 0      ? FIT_HEADER_CRC_ZERO
                            : want == got ? FIT_HEADER_CRC_OK
                                          : FIT_HEADER_CRC_BAD;
            if (pi.header_crc == FIT_HEADER_CRC_BAD)
                fit_damage(d, (long)pos + 12,
                           "header CRC 0x%04x, computed 0x%04x", want, got);
        }
        if (dsize == 0)
            return fit_damage(d, (long)(pos + hs),
                              "header gives a data size of 0 (no records), yet "
                              "%zu bytes follow the header",
                              rest - hs);
        data_end = pos + hs + dsize; /* no overflow: dsize < 2^32 */
        avail_end = data_end;
        if ((uint64_t)hs + dsize + 2 > rest) {
            fit_damage(d, (long)pos + 4,
                       "header says %u data bytes + CRC, only %zu bytes "
                       "remain: the file is cut off",
                       dsize, rest - hs);
            truncated = true;
            if (avail_end > n) /* else only (part of) the CRC is missing */
                avail_end = n;
        }
        if (d->info.nparts < FIT_INFO_MAX_PARTS)
            d->info.parts[d->info.nparts] = pi;
        d->info.nparts++;

        /* each part starts with no definitions and no time reference */
        for (unsigned i = 0; i < FIT_LOCAL_TYPES; i++)
            d->defs[i].defined = false;
        d->have_ts = false;
        d->csd_raw = 0;
        d->csd_dist_m = 0;

        if (walk_records(d, pos + hs, avail_end, err) < 0)
            return -1;
        if (truncated)
            return -1;
        {
            uint16_t want = le16(p + data_end);
            uint16_t got = fit_crc16(0, p + pos, data_end - pos);
            bool ok = want == got;
            if (d->info.nparts <= FIT_INFO_MAX_PARTS)
                d->info.parts[d->info.nparts - 1].crc_ok = ok;
            if (!ok)
                return fit_damage(d, (long)data_end,
                                  "file CRC 0x%04x, computed 0x%04x", want,
                                  got);
        }
        if (d->damage_off >= 0)
            return -1; /* a bad header CRC: no further parts */
        pos = data_end + 2;
    }
    return 0;
}

/* ---- The decode ---- */

static void dec_release(struct fit_dec *d)
{
    for (unsigned i = 0; i < FIT_LOCAL_TYPES; i++)
        rc_free(d->defs[i].dev);
    rc_free(d->descs);
    rc_free(d->samples);
    rc_free(d->sess);
    rc_free(d->laps);
    rc_free(d->spans);
    rc_free(d);
}

int fit_decode_info(const unsigned char *p, size_t n, unsigned flags,
                    struct activity_file *out, void *info,
                    struct rc_err *err)
{
    struct fit_dec *d;
    struct activity_file f;
    int rc;

    d = rc_malloc(sizeof(*d));
    if (!d)
        return rc_fail(err, RC_EENV, "out of memory for the FIT decoder");
    memset(d, 0, sizeof(*d));
    d->p = p;
    d->n = n;
    d->flags = flags;
    d->damage_off = -1;
    d->file_type = d->sport = d->sub_sport = NAN;
    d->act_ts = d->act_local = NAN;
    d->last_time = -INFINITY;

    /* Records are ~25 bytes or more in real files: reserve for one per
     * 24 bytes, so the sample array rarely moves while growing (at most
     * 56/24 of the file size; fit_grow() takes over beyond it). */
    {
        size_t want = n / 24 + 16;
        if (want > ACTIVITY_MAX_SAMPLES)
            want = ACTIVITY_MAX_SAMPLES;
        d->samples = rc_malloc(want * sizeof(*d->samples));
        if (!d->samples) {
            dec_release(d);
            return rc_fail(err, RC_EENV, "out of memory for %zu samples",
                           want);
        }
        d->samples_cap = want;
    }
    rc = walk(d, err);
    if (rc < 0 && d->hard_fail) {
        dec_release(d);
        return -1;
    }
    if (d->timer_running && d->last_time >= d->timer_from) {
        /* a timer still running at the end (a file cut off) */
        if (fit_grow((void **)&d->spans, &d->spans_cap, d->nspans,
                     sizeof(*d->spans), ACTIVITY_MAX_SAMPLES, "timer events",
                     (long)n, err) < 0) {
            dec_release(d);
            return -1;
        }
        d->spans[d->nspans].from = d->timer_from;
        d->spans[d->nspans].to = d->last_time;
        d->nspans++;
    }
    if (d->damage_off >= 0) {
        /* salvage needs something to keep: records or sessions of an
         * activity, or any message of another file type */
        bool other = !isnan(d->file_type) && d->file_type != 4;
        bool kept = d->nsamples > 0 || d->nsess > 0 ||
                    (other && d->info.messages > 0);
        if (!(flags & ACTIVITY_SALVAGE) || !kept) {
            if (kept && d->info.records > 0)
                rc_fail_at(err, d->damage_off,
                           "%s; --salvage keeps the %ld complete records "
                           "before the damage",
                           d->damage_msg, d->info.records);
            else
                rc_fail_at(err, d->damage_off, "%s", d->damage_msg);
            dec_release(d);
            return -1;
        }
    }

    activity_file_init(&f);
    if (fit_build(d, &f, err) < 0) {
        activity_file_release(&f);
        dec_release(d);
        return -1;
    }
    if (info)
        fit_build_info(d, info);
    dec_release(d);
    *out = f;
    return 0;
}

bool fit_sniff(const unsigned char *p, size_t n)
{
    return n >= 12 && !memcmp(p + 8, FIT_SIGNATURE, 4);
}

int fit_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err)
{
    return fit_decode_info(p, n, flags, out, NULL, err);
}
