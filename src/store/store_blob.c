/* store_blob.c - the sample stream of an activity as one compact blob
 * (layout in store.h), so that a run of 7,000 samples is one row and about
 * 10 bytes a sample rather than 7,000 rows. Backend-neutral: no SQL. */
#include "base/base.h"
#include "base/alloc.h"
#include "store/store.h"

#define BLOB_MAGIC "RCS1"
#define BLOB_HEADER 10

/* Values are kept within this many steps of 0, so that deltas never
 * overflow and every decoded value can be encoded again. */
#define BLOB_MAX_STEPS 4.6e18

/* How each channel is read from and written to a sample: where the field
 * is, whether it is a double (else a float), and its steps per unit. */
struct channel {
    unsigned bit;
    size_t offset;
    bool is_double;
    double scale;
};

#define CH(bit, field, dbl, scale) \
    { bit, offsetof(struct activity_sample, field), dbl, scale }
static const struct channel channels[STORE_CH_COUNT] = {
    CH(STORE_CH_TIME, time_s, true, 1000.0),
    CH(STORE_CH_LAT, lat_deg, true, 1e7),
    CH(STORE_CH_LON, lon_deg, true, 1e7),
    CH(STORE_CH_ALT, alt_m, false, 100.0),
    CH(STORE_CH_DIST, dist_m, false, 100.0),
    CH(STORE_CH_SPEED, speed_mps, false, 1000.0),
    CH(STORE_CH_HR, hr_bpm, false, 10.0),
    CH(STORE_CH_CADENCE, cadence_rpm, false, 10.0),
    CH(STORE_CH_POWER, power_w, false, 10.0),
    CH(STORE_CH_TEMP, temp_c, false, 10.0),
};
#undef CH

static double sample_get(const struct activity_sample *s, int ch)
{
    const char *p = (const char *)s + channels[ch].offset;
    if (channels[ch].is_double) {
        double d;
        memcpy(&d, p, sizeof(d));
        return d;
    } else {
        float f;
        memcpy(&f, p, sizeof(f));
        return f;
    }
}

static void sample_set(struct activity_sample *s, int ch, double v)
{
    switch (ch) {
    case 0: s->time_s = v; break;
    case 1: s->lat_deg = v; break;
    case 2: s->lon_deg = v; break;
    case 3: s->alt_m = (float)v; break;
    case 4: s->dist_m = (float)v; break;
    case 5: s->speed_mps = (float)v; break;
    case 6: s->hr_bpm = (float)v; break;
    case 7: s->cadence_rpm = (float)v; break;
    case 8: s->power_w = (float)v; break;
    default: s->temp_c = (float)v; break;
    }
}

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Column kinds (the byte before each column). */
enum { KIND_BITMAP = 1, KIND_ORDER2 = 2, KIND_ZRUN = 4 };
#define KIND_ALL (KIND_BITMAP | KIND_ORDER2 | KIND_ZRUN)

/* Deltas: first order stores v[i] - v[i-1]; second order stores the change
 * of that difference, which is 0 for a steady clock or a steady pace. */
struct delta {
    uint64_t prev, prev_d; /* unsigned: wraps instead of overflowing */
};

static uint64_t next_delta(struct delta *dc, int64_t q, bool order2)
{
    uint64_t d = (uint64_t)q - dc->prev, out = order2 ? d - dc->prev_d : d;
    dc->prev = (uint64_t)q;
    dc->prev_d = d;
    return out;
}

/* Zig-zag: small negative numbers stay small. */
static inline uint64_t zigzag(uint64_t d)
{
    return (d << 1) ^ (uint64_t)-(int64_t)(d >> 63);
}

/* LEB128, as it is: a count (the length of a run of zeros). */
static unsigned char *put_count(unsigned char *p, uint64_t v)
{
    do {
        unsigned char byte = v & 0x7F;
        v >>= 7;
        *p++ = byte | (v ? 0x80 : 0);
    } while (v);
    return p;
}

/* Zig-zag, then LEB128. */
static size_t put_varint(unsigned char *p, uint64_t d)
{
    return (size_t)(put_count(p, zigzag(d)) - p);
}

/* put_varint for the deltas of one column, with the one- and two-byte
 * cases (nearly every delta of a recording) taken without the loop */
static inline unsigned char *put_delta(unsigned char *p, uint64_t d)
{
    uint64_t z = zigzag(d);
    if (z < 0x80) {
        *p = (unsigned char)z;
        return p + 1;
    }
    if (z < 0x4000) {
        p[0] = (unsigned char)(z | 0x80);
        p[1] = (unsigned char)(z >> 7);
        return p + 2;
    }
    return p + put_varint(p, d);
}

/* The deltas of have values (of the order asked) at p, a zero delta
 * followed by the count of the zeros after it (a steady clock's column is
 * a few bytes); returns the bytes written. */
static size_t put_column_zrun(unsigned char *p, const int64_t *q, size_t have,
                              bool order2)
{
    unsigned char *wp = p;
    uint64_t prev = 0, prev_d = 0;
    size_t i = 0;

    while (i < have) {
        uint64_t d = (uint64_t)q[i] - prev, out = order2 ? d - prev_d : d;
        prev = (uint64_t)q[i];
        prev_d = d;
        wp = put_delta(wp, out);
        i++;
        if (out == 0) {
            size_t zeros = 0;
            for (; i < have; i++, zeros++) {
                d = (uint64_t)q[i] - prev;
                if ((order2 ? d - prev_d : d) != 0)
                    break;
                prev = (uint64_t)q[i];
                prev_d = d;
            }
            wp = put_count(wp, zeros);
        }
    }
    return (size_t)(wp - p);
}

/* The deltas of have values (of the order asked) at p; returns the bytes
 * written. One loop per order, and a local cursor: writes through
 * out->data would make the compiler reload out->len at every byte. */
static size_t put_column(unsigned char *p, const int64_t *q, size_t have,
                         unsigned kind)
{
    unsigned char *wp = p;
    uint64_t prev = 0, prev_d = 0;
    if (kind & KIND_ZRUN)
        return put_column_zrun(p, q, have, kind & KIND_ORDER2);
    if (kind & KIND_ORDER2) {
        for (size_t i = 0; i < have; i++) {
            uint64_t d = (uint64_t)q[i] - prev;
            wp = put_delta(wp, d - prev_d);
            prev = (uint64_t)q[i];
            prev_d = d;
        }
    } else {
        for (size_t i = 0; i < have; i++) {
            wp = put_delta(wp, (uint64_t)q[i] - prev);
            prev = (uint64_t)q[i];
        }
    }
    return (size_t)(wp - p);
}

/* The steps of column ch of every sample that has a value, into q (have
 * of them); when some sample has none, the presence bitmap into bm.
 * Values that cannot be stored (NAN, infinite, out of range) are absent:
 * one comparison catches all, since NAN compares false. */
static inline int64_t steps(double x)
{
    /* round half away from zero, as llround, without the call or a
     * branch (copysign is a bit operation) */
    return (int64_t)(x + copysign(0.5, x));
}

#define GATHER_LOOP(type)                                                  \
    for (size_t i = 0; i < n; i++) {                                       \
        type v;                                                            \
        double x;                                                          \
        memcpy(&v, base + i * sizeof(struct activity_sample), sizeof(v)); \
        x = (double)v * scale;                                             \
        if (x > -BLOB_MAX_STEPS && x < BLOB_MAX_STEPS)                     \
            q[have++] = steps(x);                                          \
    }

static size_t gather(const struct activity *a, int ch, int64_t *q,
                     unsigned char *bm)
{
    const struct channel *c = &channels[ch];
    const char *base = (const char *)a->samples + c->offset;
    size_t n = a->nsamples, have = 0;
    double scale = c->scale;
    if (c->is_double)
        GATHER_LOOP(double)
    else
        GATHER_LOOP(float)
    if (have > 0 && have < n) {
        memset(bm, 0, (n + 7) / 8);
        for (size_t i = 0; i < n; i++) {
            double x = sample_get(&a->samples[i], ch) * scale;
            if (x > -BLOB_MAX_STEPS && x < BLOB_MAX_STEPS)
                bm[i / 8] |= (unsigned char)(1u << (i % 8));
        }
    }
    return have;
}
#undef GATHER_LOOP

static size_t zz_len(uint64_t d)
{
    uint64_t z = zigzag(d);
    return (size_t)(64 - __builtin_clzll(z | 1) + 6) / 7;
}

/* The bytes one order of deltas would take, plain, and how many of them
 * are zeros in how many runs: with zero runs each run costs its zero and
 * (nearly always) one byte of count instead of its zeros. No branch: the
 * probe runs on every column of every activity. */
struct column_size {
    struct delta dc;
    size_t plain, zeros, runs;
    bool last_zero;
};

static void size_delta(struct column_size *c, int64_t q, bool order2)
{
    uint64_t d = next_delta(&c->dc, q, order2);
    bool zero = d == 0;
    c->plain += zz_len(d);
    c->zeros += zero;
    c->runs += zero & !c->last_zero;
    c->last_zero = zero;
}

static size_t zrun_size(const struct column_size *c)
{
    return c->plain - c->zeros + 2 * c->runs;
}

/* The kind that makes the column smallest (second order or not, zero runs
 * or not), judged on BLOB_PROBE_WINDOWS windows of BLOB_PROBE_WINDOW values
 * spread over the column: a recording keeps its character (a steady clock,
 * a noisy heart rate), a start or an end alone can mislead (standing at
 * the start line), and sizing every value four ways cost as much as
 * writing them. A tie keeps the simpler. */
#define BLOB_PROBE_WINDOWS 4
#define BLOB_PROBE_WINDOW 64

/* The sizes of values [start, end) of q both ways, added into c[0] (first
 * order) and c[1] (second order); the deltas into start come from the two
 * values before it. */
static void size_window(const int64_t *q, size_t start, size_t end,
                        struct column_size c[2])
{
    struct column_size w[2];
    memset(w, 0, sizeof(w));
    for (size_t i = start >= 2 ? start - 2 : 0; i < start; i++) {
        next_delta(&w[0].dc, q[i], false);
        next_delta(&w[1].dc, q[i], true);
    }
    for (size_t i = start; i < end; i++) {
        size_delta(&w[0], q[i], false);
        size_delta(&w[1], q[i], true);
    }
    for (int k = 0; k < 2; k++) {
        c[k].plain += w[k].plain;
        c[k].zeros += w[k].zeros;
        c[k].runs += w[k].runs;
    }
}

static unsigned best_kind(const int64_t *q, size_t have)
{
    struct column_size c[2];
    size_t best;
    unsigned kind = 0;

    memset(c, 0, sizeof(c));
    if (have <= BLOB_PROBE_WINDOWS * BLOB_PROBE_WINDOW) {
        size_window(q, 0, have, c);
    } else {
        for (size_t w = 0; w < BLOB_PROBE_WINDOWS; w++) {
            size_t start = have / BLOB_PROBE_WINDOWS * w;
            size_window(q, start, start + BLOB_PROBE_WINDOW, c);
        }
    }
    best = c[0].plain;
    if (zrun_size(&c[0]) < best) {
        best = zrun_size(&c[0]);
        kind = KIND_ZRUN;
    }
    if (c[1].plain < best) {
        best = c[1].plain;
        kind = KIND_ORDER2;
    }
    if (zrun_size(&c[1]) < best)
        kind = KIND_ORDER2 | KIND_ZRUN;
    return kind;
}

unsigned store_samples_channels(const struct activity *a)
{
    unsigned mask = 0;
    for (size_t i = 0; i < a->nsamples; i++)
        for (int ch = 0; ch < STORE_CH_COUNT; ch++) {
            double x = sample_get(&a->samples[i], ch) * channels[ch].scale;
            if (x > -BLOB_MAX_STEPS && x < BLOB_MAX_STEPS)
                mask |= channels[ch].bit;
        }
    return mask;
}

int store_samples_encode(const struct activity *a, struct rc_buf *out,
                         unsigned *channels_out, struct rc_err *err)
{
    size_t n = a->nsamples, start = out->len, bitmap_len = (n + 7) / 8;
    unsigned mask = 0;
    int64_t *q = NULL;
    unsigned char *bm = NULL;

    if (n > ACTIVITY_MAX_SAMPLES)
        return rc_fail(err, RC_EINPUT, "%zu samples is more than %d", n,
                       ACTIVITY_MAX_SAMPLES);
    if (n) {
        q = rc_malloc(n * sizeof(*q));
        bm = rc_malloc(bitmap_len);
        if (!q || !bm) {
            rc_free(q);
            rc_free(bm);
            return rc_fail(err, RC_EENV, "out of memory");
        }
    }
    if (rc_buf_grow(out, BLOB_HEADER, err) < 0)
        goto fail;
    memcpy(out->data + out->len, BLOB_MAGIC, 4);
    out->len += BLOB_HEADER; /* count and mask are written at the end */
    for (int ch = 0; ch < STORE_CH_COUNT && n; ch++) {
        size_t have = gather(a, ch, q, bm), len_at;
        unsigned kind = 0;
        if (!have)
            continue;
        mask |= channels[ch].bit;
        if (have < n)
            kind |= KIND_BITMAP;
        kind |= best_kind(q, have);
        if (rc_buf_grow(out, 1 + bitmap_len + 4 + have * 10, err) < 0)
            goto fail;
        out->data[out->len++] = (unsigned char)kind;
        if (kind & KIND_BITMAP) {
            memcpy(out->data + out->len, bm, bitmap_len);
            out->len += bitmap_len;
        }
        len_at = out->len;
        out->len += 4;
        out->len += put_column(out->data + out->len, q, have, kind);
        if (out->len - len_at - 4 > UINT32_MAX) {
            rc_fail(err, RC_EINPUT, "sample column too large");
            goto fail;
        }
        put_u32(out->data + len_at, (uint32_t)(out->len - len_at - 4));
    }
    /* samples that carry nothing are not kept */
    put_u32(out->data + start + 4, mask ? (uint32_t)n : 0);
    out->data[start + 8] = (unsigned char)mask;
    out->data[start + 9] = (unsigned char)(mask >> 8);
    out->data[out->len] = 0;
    rc_free(q);
    rc_free(bm);
    *channels_out = mask;
    return 0;
fail:
    rc_free(q);
    rc_free(bm);
    out->len = start;
    return -1;
}

/* The head of a column at *pos: its kind, its bitmap (NULL: every sample
 * has a value) and where its varints end. -1 with err at the damage. */
static int column_head(const unsigned char *p, size_t n, size_t *pos,
                       size_t count, int ch, unsigned *kind,
                       const unsigned char **bm, size_t *end,
                       struct rc_err *err)
{
    size_t len, bitmap_len = (count + 7) / 8;

    *bm = NULL;
    if (*pos >= n)
        return rc_fail_at(err, (long)*pos, "sample blob: column %d missing",
                          ch);
    *kind = p[*pos];
    if (*kind > KIND_ALL)
        return rc_fail_at(err, (long)*pos, "sample blob: column kind %u",
                          *kind);
    (*pos)++;
    if (*kind & KIND_BITMAP) {
        bool any = false;
        if (n - *pos < bitmap_len)
            return rc_fail_at(err, (long)*pos, "sample blob: bitmap cut off");
        *bm = p + *pos;
        *pos += bitmap_len;
        /* the encoder sets no bit past the last sample, and writes a
         * column only when some sample has a value */
        if (count % 8 && (*bm)[bitmap_len - 1] >> (count % 8))
            return rc_fail_at(err, (long)*pos - 1, "sample blob: bitmap bits "
                                                   "past the last sample");
        for (size_t i = 0; i < bitmap_len && !any; i++)
            any = (*bm)[i] != 0;
        if (!any)
            return rc_fail_at(err, (long)(*pos - bitmap_len),
                              "sample blob: column %d has no values", ch);
    }
    if (n - *pos < 4)
        return rc_fail_at(err, (long)*pos, "sample blob: column length cut "
                                           "off");
    len = get_u32(p + *pos);
    *pos += 4;
    if (len > n - *pos)
        return rc_fail_at(err, (long)*pos - 4,
                          "sample blob: column of %zu bytes past the end",
                          len);
    *end = *pos + len;
    return 0;
}

/* A LEB128 varint at p[*pos..end) into *v; false when cut off or longer
 * than 64 bits. */
static bool get_varint(const unsigned char *p, size_t *pos, size_t end,
                       uint64_t *v)
{
    uint64_t z = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
        unsigned char byte;
        if (*pos >= end)
            return false;
        byte = p[(*pos)++];
        z |= (uint64_t)(byte & 0x7F) << shift;
        if (!(byte & 0x80)) {
            *v = z;
            return true;
        }
    }
    return false;
}

/* The values of channel ch from the varints in p[*pos..end) into the
 * samples the bitmap bm marks (all when NULL). -1 with err at the damage. */
static int column_values(const unsigned char *p, size_t *pos, size_t end,
                         size_t count, int ch, unsigned kind,
                         const unsigned char *bm, struct activity *a,
                         struct rc_err *err)
{
    uint64_t prev = 0, prev_d = 0, zeros = 0;
    size_t run_at = 0; /* where the count of the pending zeros was */

    for (size_t i = 0; i < count; i++) {
        uint64_t z, d;
        if (bm && !(bm[i / 8] & (1u << (i % 8))))
            continue;
        if (zeros) {
            zeros--;
            z = 0;
        } else {
            if (!get_varint(p, pos, end, &z))
                return rc_fail_at(err, (long)*pos, "sample blob: bad varint "
                                                   "in column %d", ch);
            if (kind & KIND_ZRUN && z == 0) {
                run_at = *pos;
                if (!get_varint(p, pos, end, &zeros) || zeros >= count - i)
                    return rc_fail_at(err, (long)run_at, "sample blob: bad "
                                      "run of zeros in column %d", ch);
            }
        }
        d = (z >> 1) ^ (uint64_t)-(int64_t)(z & 1);
        if (kind & KIND_ORDER2)
            d += prev_d;
        prev_d = d;
        prev += d;
        if (fabs((double)(int64_t)prev) >= BLOB_MAX_STEPS)
            return rc_fail_at(err, (long)*pos, "sample blob: value out of "
                                               "range in column %d", ch);
        sample_set(&a->samples[i], ch,
                   (double)(int64_t)prev / channels[ch].scale);
    }
    if (zeros)
        return rc_fail_at(err, (long)run_at, "sample blob: run of zeros past "
                                             "the last value in column %d",
                          ch);
    if (*pos != end)
        return rc_fail_at(err, (long)*pos, "sample blob: %zu bytes left over "
                                           "in column %d", end - *pos, ch);
    return 0;
}

/* Walk the column at p[*pos..end) without storing anything: its varints
 * and runs of zeros must describe exactly one value for each sample the
 * bitmap bm marks (all count when NULL). -1 with err at the damage. */
static int column_scan(const unsigned char *p, size_t *pos, size_t end,
                       size_t count, int ch, unsigned kind,
                       const unsigned char *bm, struct rc_err *err)
{
    size_t want = count, got = 0;

    if (bm) {
        want = 0;
        for (size_t i = 0; i < (count + 7) / 8; i++)
            want += (size_t)__builtin_popcount(bm[i]);
    }
    while (*pos < end) {
        uint64_t z, zeros = 0;
        size_t at = *pos;
        if (!get_varint(p, pos, end, &z))
            return rc_fail_at(err, (long)at, "sample blob: bad varint in "
                                             "column %d", ch);
        if (kind & KIND_ZRUN && z == 0 &&
            (!get_varint(p, pos, end, &zeros) || zeros >= want - got))
            return rc_fail_at(err, (long)at, "sample blob: bad run of zeros "
                                             "in column %d", ch);
        if (got == want)
            return rc_fail_at(err, (long)at, "sample blob: %zu bytes left "
                                             "over in column %d",
                              end - at, ch);
        got += 1 + (size_t)zeros;
    }
    if (got != want)
        return rc_fail_at(err, (long)*pos, "sample blob: %zu of %zu values "
                                           "in column %d", got, want, ch);
    return 0;
}

/* Every column of the blob in turn: walked only (a NULL: column_scan, and
 * nothing may follow the last) or its values stored into a's samples. */
static int each_column(const unsigned char *p, size_t n, size_t count,
                       unsigned mask, struct activity *a, struct rc_err *err)
{
    size_t pos = BLOB_HEADER;

    for (int ch = 0; ch < STORE_CH_COUNT; ch++) {
        const unsigned char *bm = NULL;
        size_t end = 0;
        unsigned kind = 0;

        if (!(mask & channels[ch].bit))
            continue;
        if (column_head(p, n, &pos, count, ch, &kind, &bm, &end, err) < 0 ||
            (a ? column_values(p, &pos, end, count, ch, kind, bm, a, err)
               : column_scan(p, &pos, end, count, ch, kind, bm, err)) < 0)
            return -1;
    }
    if (!a && pos != n)
        return rc_fail_at(err, (long)pos, "sample blob: %zu trailing bytes",
                          n - pos);
    return 0;
}

int store_samples_decode(const unsigned char *p, size_t n, struct activity *a,
                         struct rc_err *err)
{
    size_t count;
    unsigned mask;

    if (n < BLOB_HEADER || memcmp(p, BLOB_MAGIC, 4))
        return rc_fail_at(err, 0, "sample blob: no \"RCS1\" header");
    count = get_u32(p + 4);
    mask = p[8] | (unsigned)p[9] << 8;
    if (count > ACTIVITY_MAX_SAMPLES)
        return rc_fail_at(err, 4, "sample blob: %zu samples is more than %d",
                          count, ACTIVITY_MAX_SAMPLES);
    if (mask >> STORE_CH_COUNT)
        return rc_fail_at(err, 8, "sample blob: unknown channel bits 0x%x",
                          mask);
    if (a->nsamples)
        return rc_fail(err, RC_EINPUT, "sample blob: activity has samples");
    if (!mask && count)
        return rc_fail_at(err, 8, "sample blob: samples without channels");
    /* Every column is walked before the samples are allocated: a count is
     * believed only when the columns hold that many values (a run of
     * zeros holds many in a few bytes, so the blob's size says little). */
    if (each_column(p, n, count, mask, NULL, err) < 0)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (!activity_add_sample(a, err))
            goto fail;
    if (each_column(p, n, count, mask, a, err) < 0)
        goto fail;
    return 0;
fail:
    rc_free(a->samples);
    a->samples = NULL;
    a->nsamples = a->samples_cap = 0;
    return -1;
}
