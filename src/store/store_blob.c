/* store_blob.c - the sample stream of an activity as one compact blob
 * (layout in store.h), so that a run of 7,000 samples is one row and about
 * 10 bytes a sample rather than 7,000 rows. Backend-neutral: no SQL. */
#include "base/base.h"
#include "store/store.h"

#define BLOB_MAGIC "RCS1"
#define BLOB_HEADER 10

/* How each channel is read from and written to a sample. */
struct channel {
    unsigned bit;
    double scale; /* integer steps per unit */
};

static const struct channel channels[STORE_CH_COUNT] = {
    { STORE_CH_TIME, 1000.0 },  { STORE_CH_LAT, 1e7 },
    { STORE_CH_LON, 1e7 },      { STORE_CH_ALT, 100.0 },
    { STORE_CH_DIST, 100.0 },   { STORE_CH_SPEED, 1000.0 },
    { STORE_CH_HR, 10.0 },      { STORE_CH_CADENCE, 10.0 },
    { STORE_CH_POWER, 10.0 },   { STORE_CH_TEMP, 10.0 },
};

static double sample_get(const struct activity_sample *s, int ch)
{
    switch (ch) {
    case 0: return s->time_s;
    case 1: return s->lat_deg;
    case 2: return s->lon_deg;
    case 3: return s->alt_m;
    case 4: return s->dist_m;
    case 5: return s->speed_mps;
    case 6: return s->hr_bpm;
    case 7: return s->cadence_rpm;
    case 8: return s->power_w;
    default: return s->temp_c;
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

/* Values are kept within this many steps of 0, so that deltas never
 * overflow and every decoded value can be encoded again. */
#define BLOB_MAX_STEPS 4.6e18

/* A value that can be stored: finite and within BLOB_MAX_STEPS. */
static bool storable(double v, double scale)
{
    return isfinite(v) && fabs(v * scale) < BLOB_MAX_STEPS;
}

unsigned store_samples_channels(const struct activity *a)
{
    unsigned mask = 0;
    for (size_t i = 0; i < a->nsamples; i++)
        for (int ch = 0; ch < STORE_CH_COUNT; ch++)
            if (storable(sample_get(&a->samples[i], ch), channels[ch].scale))
                mask |= channels[ch].bit;
    return mask;
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
enum { KIND_BITMAP = 1, KIND_ORDER2 = 2 };

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

static size_t varint_len(uint64_t d)
{
    uint64_t z = (d << 1) ^ (uint64_t)-(int64_t)(d >> 63);
    size_t k = 1;
    while (z >>= 7)
        k++;
    return k;
}

/* Zig-zag (small negative numbers stay small), then LEB128. */
static size_t put_varint(unsigned char *p, uint64_t d)
{
    uint64_t z = (d << 1) ^ (uint64_t)-(int64_t)(d >> 63);
    size_t k = 0;
    do {
        unsigned char byte = z & 0x7F;
        z >>= 7;
        p[k++] = byte | (z ? 0x80 : 0);
    } while (z);
    return k;
}

/* Would second-order deltas make column ch smaller? */
static bool second_order_smaller(const struct activity *a, int ch)
{
    struct delta d1 = { 0, 0 }, d2 = { 0, 0 };
    size_t n1 = 0, n2 = 0;
    double scale = channels[ch].scale;
    for (size_t i = 0; i < a->nsamples; i++) {
        double v = sample_get(&a->samples[i], ch);
        int64_t q;
        if (!storable(v, scale))
            continue;
        q = llround(v * scale);
        n1 += varint_len(next_delta(&d1, q, false));
        n2 += varint_len(next_delta(&d2, q, true));
    }
    return n2 < n1;
}

int store_samples_encode(const struct activity *a, struct rc_buf *out,
                         unsigned *channels_out, struct rc_err *err)
{
    unsigned mask = store_samples_channels(a);
    size_t n = a->nsamples, start = out->len, bitmap_len = (n + 7) / 8;
    unsigned char head[BLOB_HEADER];

    if (n > ACTIVITY_MAX_SAMPLES)
        return rc_fail(err, RC_EINPUT, "%zu samples is more than %d", n,
                       ACTIVITY_MAX_SAMPLES);
    if (!mask)
        n = bitmap_len = 0; /* samples that carry nothing are not kept */
    memcpy(head, BLOB_MAGIC, 4);
    put_u32(head + 4, (uint32_t)n);
    head[8] = (unsigned char)mask;
    head[9] = (unsigned char)(mask >> 8);
    if (rc_buf_append(out, head, sizeof(head), err) < 0)
        return -1;
    for (int ch = 0; ch < STORE_CH_COUNT; ch++) {
        size_t have = 0, len_at, kind_at;
        struct delta dc = { 0, 0 };
        double scale = channels[ch].scale;

        if (!(mask & channels[ch].bit))
            continue;
        for (size_t i = 0; i < n; i++)
            have += storable(sample_get(&a->samples[i], ch), scale);
        /* kind byte, optional bitmap, length: reserved, filled in below */
        if (rc_buf_grow(out, 1 + (have < n ? bitmap_len : 0) + 4 + have * 10,
                        err) < 0)
            goto fail;
        kind_at = out->len;
        out->data[out->len++] = have < n ? KIND_BITMAP : 0;
        if (have < n) {
            unsigned char *bm = out->data + out->len;
            memset(bm, 0, bitmap_len);
            for (size_t i = 0; i < n; i++)
                if (storable(sample_get(&a->samples[i], ch), scale))
                    bm[i / 8] |= (unsigned char)(1u << (i % 8));
            out->len += bitmap_len;
        }
        len_at = out->len;
        out->len += 4;
        if (second_order_smaller(a, ch))
            out->data[kind_at] |= KIND_ORDER2;
        for (size_t i = 0; i < n; i++) {
            double v = sample_get(&a->samples[i], ch);
            if (!storable(v, scale))
                continue;
            out->len += put_varint(out->data + out->len,
                                   next_delta(&dc, llround(v * scale),
                                              out->data[kind_at] &
                                                  KIND_ORDER2));
        }
        if (out->len - len_at - 4 > UINT32_MAX) {
            rc_fail(err, RC_EINPUT, "sample column too large");
            goto fail;
        }
        put_u32(out->data + len_at, (uint32_t)(out->len - len_at - 4));
    }
    out->data[out->len] = 0;
    *channels_out = mask;
    return 0;
fail:
    out->len = start;
    return -1;
}

int store_samples_decode(const unsigned char *p, size_t n, struct activity *a,
                         struct rc_err *err)
{
    size_t count, pos = BLOB_HEADER;
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
    /* Every sample costs at least one byte in the first column, so a count
     * the blob cannot hold is refused before allocating. */
    if (mask && count > n)
        return rc_fail_at(err, 4, "sample blob: %zu samples in %zu bytes",
                          count, n);
    if (!mask && count)
        return rc_fail_at(err, 8, "sample blob: samples without channels");
    for (size_t i = 0; i < count; i++)
        if (!activity_add_sample(a, err))
            goto fail;
    for (int ch = 0; ch < STORE_CH_COUNT; ch++) {
        const unsigned char *bm = NULL;
        size_t len, end, bitmap_len = (count + 7) / 8;
        uint64_t prev = 0, prev_d = 0;
        unsigned kind;

        if (!(mask & channels[ch].bit))
            continue;
        if (pos >= n) {
            rc_fail_at(err, (long)pos, "sample blob: column %d missing", ch);
            goto fail;
        }
        kind = p[pos];
        if (kind > (KIND_BITMAP | KIND_ORDER2)) {
            rc_fail_at(err, (long)pos, "sample blob: column kind %u", kind);
            goto fail;
        }
        pos++;
        if (kind & KIND_BITMAP) {
            if (n - pos < bitmap_len) {
                rc_fail_at(err, (long)pos, "sample blob: bitmap cut off");
                goto fail;
            }
            bm = p + pos;
            pos += bitmap_len;
            /* the encoder sets no bit past the last sample, and writes a
             * column only when some sample has a value */
            if (count % 8 && bm[bitmap_len - 1] >> (count % 8)) {
                rc_fail_at(err, (long)pos - 1, "sample blob: bitmap bits "
                                               "past the last sample");
                goto fail;
            }
            {
                bool any = false;
                for (size_t i = 0; i < bitmap_len && !any; i++)
                    any = bm[i] != 0;
                if (!any) {
                    rc_fail_at(err, (long)(pos - bitmap_len),
                               "sample blob: column %d has no values", ch);
                    goto fail;
                }
            }
        }
        if (n - pos < 4) {
            rc_fail_at(err, (long)pos, "sample blob: column length cut off");
            goto fail;
        }
        len = get_u32(p + pos);
        pos += 4;
        if (len > n - pos) {
            rc_fail_at(err, (long)pos - 4,
                       "sample blob: column of %zu bytes past the end", len);
            goto fail;
        }
        end = pos + len;
        for (size_t i = 0; i < count; i++) {
            uint64_t z = 0, d;
            int shift = 0;
            if (bm && !(bm[i / 8] & (1u << (i % 8))))
                continue;
            for (;;) {
                unsigned char byte;
                if (pos >= end || shift > 63) {
                    rc_fail_at(err, (long)pos, "sample blob: bad varint in "
                                               "column %d", ch);
                    goto fail;
                }
                byte = p[pos++];
                z |= (uint64_t)(byte & 0x7F) << shift;
                shift += 7;
                if (!(byte & 0x80))
                    break;
            }
            d = (z >> 1) ^ (uint64_t)-(int64_t)(z & 1);
            if (kind & KIND_ORDER2)
                d += prev_d;
            prev_d = d;
            prev += d;
            if (fabs((double)(int64_t)prev) >= BLOB_MAX_STEPS) {
                rc_fail_at(err, (long)pos, "sample blob: value out of range "
                                           "in column %d", ch);
                goto fail;
            }
            sample_set(&a->samples[i], ch,
                       (double)(int64_t)prev / channels[ch].scale);
        }
        if (pos != end) {
            rc_fail_at(err, (long)pos, "sample blob: %zu bytes left over in "
                                       "column %d", end - pos, ch);
            goto fail;
        }
    }
    if (pos != n) {
        rc_fail_at(err, (long)pos, "sample blob: %zu trailing bytes", n - pos);
        goto fail;
    }
    return 0;
fail:
    free(a->samples);
    a->samples = NULL;
    a->nsamples = a->samples_cap = 0;
    return -1;
}
