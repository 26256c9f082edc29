/* fit_write.c - the FIT encoder: struct activity in, FIT bytes out.
 *
 * Data flow: tests, fuzz seeds, the import benchmark and `runcare demo`
 * write the watch files they need with it; fit_decode reads them back. The
 * options (fit.h) write the same content in the ways real devices do
 * (header kinds, byte orders, compressed timestamps, developer fields,
 * redefined local types, chained parts), so that every path of the decoder
 * has a file that exercises it.
 *
 * Layout of an activity file as written here:
 *   file_id, device_info (creator), event timer start,
 *   [developer_data_id, field_description]   (FIT_WRITE_DEVELOPER)
 *   record ... with each lap after the records it covers,
 *   session per activity, event timer stop_all, activity
 * With FIT_WRITE_SUMMARY_FIRST the laps, sessions and the activity message
 * come right after the start event; chained parts repeat file_id. */
#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "fit/fit.h"
#include "fit/fit_int.h"

/* ---- Low-level writer (fit_int.h) ---- */

void fit_w_init(struct fit_w *w, struct rc_buf *out, struct rc_err *err)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
    w->err = err;
}

void fit_w_raw(struct fit_w *w, const void *p, size_t n)
{
    if (w->failed)
        return;
    if (rc_buf_append(w->out, p, n, w->err) < 0)
        w->failed = true;
}

void fit_w_u8(struct fit_w *w, uint8_t v)
{
    fit_w_raw(w, &v, 1);
}

static void put_bytes(struct fit_w *w, uint64_t v, unsigned n, bool big)
{
    unsigned char b[8];
    for (unsigned i = 0; i < n; i++)
        b[big ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
    fit_w_raw(w, b, n);
}

void fit_w_u16(struct fit_w *w, uint16_t v)
{
    put_bytes(w, v, 2, w->cur_big);
}

void fit_w_u32(struct fit_w *w, uint32_t v)
{
    put_bytes(w, v, 4, w->cur_big);
}

void fit_w_u64(struct fit_w *w, uint64_t v)
{
    put_bytes(w, v, 8, w->cur_big);
}

void fit_w_str(struct fit_w *w, const char *s, size_t size)
{
    size_t n = strlen(s);
    if (n > size)
        n = size;
    fit_w_raw(w, s, n);
    for (; n < size; n++)
        fit_w_u8(w, 0);
}

void fit_w_begin(struct fit_w *w, unsigned header_size, uint8_t protocol,
                 uint16_t profile, bool header_crc_zero)
{
    unsigned char h[FIT_HEADER_SIZE] = { 0 };
    w->part_start = w->out->len;
    w->header_size = header_size == 12 ? 12 : 14;
    w->header_crc_zero = header_crc_zero;
    h[0] = (unsigned char)w->header_size;
    h[1] = protocol;
    h[2] = (unsigned char)profile;
    h[3] = (unsigned char)(profile >> 8);
    memcpy(h + 8, FIT_SIGNATURE, 4);
    fit_w_raw(w, h, w->header_size);
}

void fit_w_def(struct fit_w *w, unsigned local, uint16_t global, bool big,
               const struct fit_w_field *fields, unsigned nfields,
               const struct fit_w_field *dev, unsigned ndev)
{
    local &= 0x0F;
    fit_w_u8(w, (uint8_t)(0x40 | (ndev ? 0x20 : 0) | local));
    fit_w_u8(w, 0);
    fit_w_u8(w, big ? 1 : 0);
    put_bytes(w, global, 2, big);
    fit_w_u8(w, (uint8_t)nfields);
    for (unsigned i = 0; i < nfields; i++)
        fit_w_raw(w, &fields[i], 3);
    if (ndev) {
        fit_w_u8(w, (uint8_t)ndev);
        for (unsigned i = 0; i < ndev; i++)
            fit_w_raw(w, &dev[i], 3);
    }
    w->big[local] = big;
}

void fit_w_data(struct fit_w *w, unsigned local)
{
    local &= 0x0F;
    fit_w_u8(w, (uint8_t)local);
    w->cur_big = w->big[local];
}

void fit_w_data_compressed(struct fit_w *w, unsigned local,
                           unsigned offset_s)
{
    local &= 3;
    fit_w_u8(w, (uint8_t)(0x80 | local << 5 | (offset_s & 0x1F)));
    w->cur_big = w->big[local];
}

int fit_w_end(struct fit_w *w)
{
    unsigned char *h;
    size_t dsize;
    uint16_t crc;

    if (w->failed)
        return -1;
    h = w->out->data + w->part_start;
    dsize = w->out->len - w->part_start - w->header_size;
    if (dsize > UINT32_MAX)
        return rc_fail(w->err, RC_EINPUT, "FIT data of %zu bytes is more "
                                          "than a FIT file can hold",
                       dsize);
    for (int i = 0; i < 4; i++)
        h[4 + i] = (unsigned char)(dsize >> (8 * i));
    if (w->header_size == 14) {
        crc = w->header_crc_zero ? 0 : fit_crc16(0, h, 12);
        h[12] = (unsigned char)crc;
        h[13] = (unsigned char)(crc >> 8);
    }
    crc = fit_crc16(0, h, w->out->len - w->part_start);
    w->cur_big = false;
    put_bytes(w, crc, 2, false);
    return w->failed ? -1 : 0;
}

/* ---- Message layouts ---- */

#define F(num, size, base) { num, size, FIT_BASE_BYTE(base) }

enum layout {
    L_RECORD_CTS, /* record without a timestamp (compressed header) */
    L_RECORD,
    L_LAP,
    L_SESSION,
    L_EVENT,
    L_FILE_ID,
    L_DEVICE,
    L_ACTIVITY,
    L_DEV_ID,
    L_FIELD_DESC,
    L_COUNT
};

#define PRODUCT_NAME_SIZE 20

static const struct fit_w_field file_id_fields[] = {
    F(FIT_FILE_ID_TYPE, 1, FIT_ENUM),
    F(FIT_FILE_ID_MANUFACTURER, 2, FIT_UINT16),
    F(FIT_FILE_ID_PRODUCT, 2, FIT_UINT16),
    F(FIT_FILE_ID_SERIAL, 4, FIT_UINT32Z),
    F(FIT_FILE_ID_TIME_CREATED, 4, FIT_UINT32),
    F(FIT_FILE_ID_PRODUCT_NAME, PRODUCT_NAME_SIZE, FIT_STRING),
};

static const struct fit_w_field device_fields[] = {
    F(FIT_FIELD_TIMESTAMP, 4, FIT_UINT32),
    F(FIT_DEVICE_INFO_INDEX, 1, FIT_UINT8),
    F(FIT_DEVICE_INFO_MANUFACTURER, 2, FIT_UINT16),
    F(FIT_DEVICE_INFO_SERIAL, 4, FIT_UINT32Z),
    F(FIT_DEVICE_INFO_PRODUCT, 2, FIT_UINT16),
    F(FIT_DEVICE_INFO_PRODUCT_NAME, PRODUCT_NAME_SIZE, FIT_STRING),
};

static const struct fit_w_field event_fields[] = {
    F(FIT_FIELD_TIMESTAMP, 4, FIT_UINT32),
    F(FIT_EVENT_EVENT, 1, FIT_ENUM),
    F(FIT_EVENT_TYPE, 1, FIT_ENUM),
};

/* record: timestamp first (left out for compressed headers) */
static const struct fit_w_field record_fields[] = {
    F(FIT_FIELD_TIMESTAMP, 4, FIT_UINT32),
    F(FIT_RECORD_LAT, 4, FIT_SINT32),
    F(FIT_RECORD_LON, 4, FIT_SINT32),
    F(FIT_RECORD_ALTITUDE, 2, FIT_UINT16),
    F(FIT_RECORD_HR, 1, FIT_UINT8),
    F(FIT_RECORD_CADENCE, 1, FIT_UINT8),
    F(FIT_RECORD_DISTANCE, 4, FIT_UINT32),
    F(FIT_RECORD_SPEED, 2, FIT_UINT16),
    F(FIT_RECORD_POWER, 2, FIT_UINT16), /* left out with _DEVELOPER */
};

static const struct fit_w_field record_enhanced_fields[] = {
    F(FIT_RECORD_ENHANCED_SPEED, 4, FIT_UINT32),
    F(FIT_RECORD_ENHANCED_ALTITUDE, 4, FIT_UINT32),
};

/* developer fields of a record: power (described, mirrors record power)
 * and 3 bytes of an application that never describes them */
#define DEV_POWER_FIELD 0
#define DEV_SECRET_FIELD 1
static const struct fit_w_field record_dev_fields[] = {
    { DEV_POWER_FIELD, 2, 0 },
    { DEV_SECRET_FIELD, 3, 1 },
};

static const struct fit_w_field lap_fields[] = {
    F(FIT_FIELD_TIMESTAMP, 4, FIT_UINT32),
    F(FIT_LAP_START_TIME, 4, FIT_UINT32),
    F(FIT_LAP_ELAPSED, 4, FIT_UINT32),
    F(FIT_LAP_TIMER, 4, FIT_UINT32),
    F(FIT_LAP_DISTANCE, 4, FIT_UINT32),
    F(FIT_LAP_CALORIES, 2, FIT_UINT16),
    F(FIT_LAP_AVG_HR, 1, FIT_UINT8),
    F(FIT_LAP_MAX_HR, 1, FIT_UINT8),
    F(FIT_LAP_AVG_CADENCE, 1, FIT_UINT8),
    F(FIT_LAP_MAX_CADENCE, 1, FIT_UINT8),
    F(FIT_LAP_ASCENT, 2, FIT_UINT16),
    F(FIT_LAP_DESCENT, 2, FIT_UINT16),
    F(FIT_FIELD_MESSAGE_INDEX, 2, FIT_UINT16),
};

static const struct fit_w_field session_fields[] = {
    F(FIT_FIELD_TIMESTAMP, 4, FIT_UINT32),
    F(FIT_SESSION_START_TIME, 4, FIT_UINT32),
    F(FIT_SESSION_SPORT, 1, FIT_ENUM),
    F(FIT_SESSION_SUB_SPORT, 1, FIT_ENUM),
    F(FIT_SESSION_ELAPSED, 4, FIT_UINT32),
    F(FIT_SESSION_TIMER, 4, FIT_UINT32),
    F(FIT_SESSION_DISTANCE, 4, FIT_UINT32),
    F(FIT_SESSION_CALORIES, 2, FIT_UINT16),
    F(FIT_SESSION_AVG_HR, 1, FIT_UINT8),
    F(FIT_SESSION_MAX_HR, 1, FIT_UINT8),
    F(FIT_SESSION_AVG_CADENCE, 1, FIT_UINT8),
    F(FIT_SESSION_MAX_CADENCE, 1, FIT_UINT8),
    F(FIT_SESSION_AVG_POWER, 2, FIT_UINT16),
    F(FIT_SESSION_ASCENT, 2, FIT_UINT16),
    F(FIT_SESSION_DESCENT, 2, FIT_UINT16),
    F(FIT_SESSION_FIRST_LAP, 2, FIT_UINT16),
    F(FIT_SESSION_NUM_LAPS, 2, FIT_UINT16),
    F(FIT_SESSION_MOVING, 4, FIT_UINT32),
    F(FIT_FIELD_MESSAGE_INDEX, 2, FIT_UINT16),
};

static const struct fit_w_field activity_fields[] = {
    F(FIT_FIELD_TIMESTAMP, 4, FIT_UINT32),
    F(FIT_ACTIVITY_TIMER, 4, FIT_UINT32),
    F(FIT_ACTIVITY_NUM_SESSIONS, 2, FIT_UINT16),
    F(FIT_ACTIVITY_TYPE, 1, FIT_ENUM),
    F(FIT_ACTIVITY_EVENT, 1, FIT_ENUM),
    F(FIT_ACTIVITY_EVENT_TYPE, 1, FIT_ENUM),
    F(FIT_ACTIVITY_LOCAL_TIMESTAMP, 4, FIT_UINT32),
};

static const struct fit_w_field dev_id_fields[] = {
    F(FIT_DEV_DATA_ID_APPLICATION_ID, 16, FIT_BYTE),
    F(FIT_DEV_DATA_ID_DEV_INDEX, 1, FIT_UINT8),
};

#define DESC_NAME_SIZE 8
#define DESC_UNITS_SIZE 6
static const struct fit_w_field field_desc_fields[] = {
    F(FIT_FIELD_DESC_DEV_INDEX, 1, FIT_UINT8),
    F(FIT_FIELD_DESC_FIELD_NUM, 1, FIT_UINT8),
    F(FIT_FIELD_DESC_BASE_TYPE, 1, FIT_UINT8),
    F(FIT_FIELD_DESC_NAME, DESC_NAME_SIZE, FIT_STRING),
    F(FIT_FIELD_DESC_UNITS, DESC_UNITS_SIZE, FIT_STRING),
    F(FIT_FIELD_DESC_NATIVE_MESG, 2, FIT_UINT16),
    F(FIT_FIELD_DESC_NATIVE_FIELD, 1, FIT_UINT8),
};

/* ---- Encoding values: NAN and out-of-range become the invalid value or
 * the nearest valid one ---- */

static uint8_t enc_u8(double v)
{
    if (isnan(v))
        return 0xFF;
    v = round(v);
    return (uint8_t)(v < 0 ? 0 : v > 254 ? 254 : v);
}

static uint16_t enc_u16(double v)
{
    if (isnan(v))
        return 0xFFFF;
    v = round(v);
    return (uint16_t)(v < 0 ? 0 : v > 65534 ? 65534 : v);
}

static uint32_t enc_u32(double v)
{
    if (isnan(v))
        return 0xFFFFFFFFu;
    v = round(v);
    return (uint32_t)(v < 0 ? 0 : v > 4294967294.0 ? 4294967294.0 : v);
}

static uint32_t enc_s32(double v)
{
    if (isnan(v))
        return 0x7FFFFFFFu;
    v = round(v);
    if (v < -2147483647.0)
        v = -2147483647.0;
    if (v > 2147483646.0)
        v = 2147483646.0;
    return (uint32_t)(int32_t)v;
}

/* ---- The encoder ---- */

struct enc {
    struct fit_w w;
    unsigned flags;
    bool big;
    int current[FIT_LOCAL_TYPES]; /* layout defined in each local type */
    uint64_t ref;                 /* compressed timestamp reference */
    bool have_ref;
    bool dev_described;
    const struct activity *acts;
    size_t nacts;
    unsigned parts, part, records_per_part;
    size_t records_done;
    uint8_t file_type;
    uint16_t profile;
    uint32_t created;
};

static unsigned local_of(const struct enc *e, enum layout l)
{
    return e->flags & FIT_WRITE_REDEFINE ? 0 : (unsigned)l;
}

/* Make local type of layout l hold its definition, writing it if needed. */
static unsigned use(struct enc *e, enum layout l)
{
    unsigned local = local_of(e, l);
    struct fit_w_field f[RC_ARRAY_SIZE(record_fields) +
                         RC_ARRAY_SIZE(record_enhanced_fields)];
    const struct fit_w_field *fields = NULL, *dev = NULL;
    unsigned nf = 0, nd = 0;
    uint16_t global = 0;
    bool big = e->big;

    if (e->current[local] == (int)l)
        return local;
    switch (l) {
    case L_RECORD_CTS:
    case L_RECORD: {
        size_t skip = l == L_RECORD_CTS ? 1 : 0;
        size_t keep = RC_ARRAY_SIZE(record_fields) -
                      (e->flags & FIT_WRITE_DEVELOPER ? 1 : 0);
        for (size_t i = skip; i < keep; i++)
            f[nf++] = record_fields[i];
        if (e->flags & FIT_WRITE_ENHANCED)
            for (size_t i = 0; i < RC_ARRAY_SIZE(record_enhanced_fields); i++)
                f[nf++] = record_enhanced_fields[i];
        fields = f;
        global = FIT_MESG_RECORD;
        if (e->flags & FIT_WRITE_DEVELOPER) {
            dev = record_dev_fields;
            nd = RC_ARRAY_SIZE(record_dev_fields);
        }
        break;
    }
    case L_LAP:
        fields = lap_fields;
        nf = RC_ARRAY_SIZE(lap_fields);
        global = FIT_MESG_LAP;
        break;
    case L_SESSION:
        fields = session_fields;
        nf = RC_ARRAY_SIZE(session_fields);
        global = FIT_MESG_SESSION;
        break;
    case L_EVENT:
        fields = event_fields;
        nf = RC_ARRAY_SIZE(event_fields);
        global = FIT_MESG_EVENT;
        break;
    case L_FILE_ID:
        fields = file_id_fields;
        nf = RC_ARRAY_SIZE(file_id_fields);
        global = FIT_MESG_FILE_ID;
        big = false; /* so that big-endian files mix byte orders */
        break;
    case L_DEVICE:
        fields = device_fields;
        nf = RC_ARRAY_SIZE(device_fields);
        global = FIT_MESG_DEVICE_INFO;
        break;
    case L_ACTIVITY:
        fields = activity_fields;
        nf = RC_ARRAY_SIZE(activity_fields);
        global = FIT_MESG_ACTIVITY;
        break;
    case L_DEV_ID:
        fields = dev_id_fields;
        nf = RC_ARRAY_SIZE(dev_id_fields);
        global = FIT_MESG_DEVELOPER_DATA_ID;
        break;
    case L_FIELD_DESC:
        fields = field_desc_fields;
        nf = RC_ARRAY_SIZE(field_desc_fields);
        global = FIT_MESG_FIELD_DESCRIPTION;
        break;
    case L_COUNT:
        break;
    }
    fit_w_def(&e->w, local, global, big, fields, nf, dev, nd);
    e->current[local] = (int)l;
    return local;
}

static void put_ts(struct enc *e, uint32_t ts)
{
    fit_w_u32(&e->w, ts);
    if (ts != 0xFFFFFFFFu) {
        e->ref = ts;
        e->have_ref = true;
    }
}

/* Unix seconds -> FIT seconds; -1 if outside what a FIT time can hold. */
static int fit_time(double unix_s, uint32_t *out)
{
    double t = round(unix_s - (double)RC_FIT_EPOCH_UNIX);
    if (!(t >= FIT_TIME_MIN_ABSOLUTE && t <= 4294967294.0))
        return -1;
    *out = (uint32_t)t;
    return 0;
}

static int time_or_fail(struct enc *e, double unix_s, const char *what,
                        uint32_t *out)
{
    char when[32];
    if (fit_time(unix_s, out) == 0)
        return 0;
    e->w.failed = true;
    if (isnan(unix_s))
        return rc_fail(e->w.err, RC_EINPUT, "%s has no time", what);
    return rc_fail(e->w.err, RC_EINPUT, "%s time %s is outside the FIT "
                                        "range (1998-2126)",
                   what, rc_time_format(unix_s, when));
}

/* The FIT number of a manufacturer name ("garmin", or "manufacturer_1052"
 * as the decoder names numbers it does not know); 255 (development) for
 * other names. */
static int manufacturer_number(const char *name)
{
    int m = fit_manufacturer_number(name);
    if (m < 0 && !strncmp(name, "manufacturer_", 13)) {
        char *end;
        unsigned long v = strtoul(name + 13, &end, 10);
        if (end != name + 13 && !*end && v < 0xFFFF)
            m = (int)v;
    }
    return m < 0 ? 255 : m;
}

static void begin_part(struct enc *e)
{
    unsigned hs = e->flags & FIT_WRITE_HEADER_12 ? 12 : 14;
    const struct activity_device *dev = &e->acts[0].device;
    int m = manufacturer_number(dev->manufacturer);
    unsigned local;

    fit_w_begin(&e->w, hs, hs == 12 ? 0x10 : 0x20, e->profile,
                (e->flags & FIT_WRITE_HEADER_CRC_ZERO) != 0);
    for (unsigned i = 0; i < FIT_LOCAL_TYPES; i++)
        e->current[i] = -1;
    e->have_ref = false;
    local = use(e, L_FILE_ID);
    fit_w_data(&e->w, local);
    fit_w_u8(&e->w, e->file_type);
    fit_w_u16(&e->w, dev->manufacturer[0] ? (uint16_t)m
                                          : 0xFFFF);
    fit_w_u16(&e->w, dev->product ? enc_u16(dev->product) : 0xFFFF);
    fit_w_u32(&e->w, dev->serial);
    fit_w_u32(&e->w, e->created);
    fit_w_str(&e->w, dev->product_name, PRODUCT_NAME_SIZE);
}

static void write_event(struct enc *e, uint32_t ts, uint8_t type)
{
    unsigned local = use(e, L_EVENT);
    fit_w_data(&e->w, local);
    put_ts(e, ts);
    fit_w_u8(&e->w, FIT_EVENT_TIMER);
    fit_w_u8(&e->w, type);
}

static void write_device(struct enc *e, uint32_t ts)
{
    const struct activity_device *dev = &e->acts[0].device;
    int m = manufacturer_number(dev->manufacturer);
    unsigned local = use(e, L_DEVICE);
    fit_w_data(&e->w, local);
    put_ts(e, ts);
    fit_w_u8(&e->w, 0); /* the creator */
    fit_w_u16(&e->w, dev->manufacturer[0] ? (uint16_t)m
                                          : 0xFFFF);
    fit_w_u32(&e->w, dev->serial);
    fit_w_u16(&e->w, dev->product ? enc_u16(dev->product) : 0xFFFF);
    fit_w_str(&e->w, dev->product_name, PRODUCT_NAME_SIZE);
}

static void write_dev_description(struct enc *e)
{
    static const unsigned char app_id[16] = { 'r', 'u', 'n', 'c', 'a', 'r',
                                              'e', 0 };
    unsigned local = use(e, L_DEV_ID);
    fit_w_data(&e->w, local);
    fit_w_raw(&e->w, app_id, sizeof(app_id));
    fit_w_u8(&e->w, 0);
    local = use(e, L_FIELD_DESC);
    fit_w_data(&e->w, local);
    fit_w_u8(&e->w, 0);
    fit_w_u8(&e->w, DEV_POWER_FIELD);
    fit_w_u8(&e->w, FIT_BASE_BYTE(FIT_UINT16));
    fit_w_str(&e->w, "Power", DESC_NAME_SIZE);
    fit_w_str(&e->w, "W", DESC_UNITS_SIZE);
    fit_w_u16(&e->w, FIT_MESG_RECORD);
    fit_w_u8(&e->w, FIT_RECORD_POWER);
    e->dev_described = true;
}

static void write_record(struct enc *e, const struct activity_sample *s)
{
    uint32_t ts = 0xFFFFFFFFu;
    bool timed = fit_time(s->time_s, &ts) == 0;
    unsigned local;

    if (timed && (e->flags & FIT_WRITE_COMPRESSED_TIME) && e->have_ref &&
        ts >= e->ref && ts - e->ref < 32 &&
        local_of(e, L_RECORD_CTS) < FIT_COMPRESSED_LOCAL_TYPES) {
        local = use(e, L_RECORD_CTS);
        fit_w_data_compressed(&e->w, local, ts & 0x1F);
        e->ref = ts;
    } else {
        local = use(e, L_RECORD);
        fit_w_data(&e->w, local);
        put_ts(e, ts);
    }
    fit_w_u32(&e->w, enc_s32(s->lat_deg / FIT_DEG_PER_SEMICIRCLE));
    fit_w_u32(&e->w, enc_s32(s->lon_deg / FIT_DEG_PER_SEMICIRCLE));
    fit_w_u16(&e->w, enc_u16((s->alt_m + 500.0) * 5.0));
    fit_w_u8(&e->w, enc_u8(s->hr_bpm));
    fit_w_u8(&e->w, enc_u8(s->cadence_rpm));
    fit_w_u32(&e->w, enc_u32(s->dist_m * 100.0));
    fit_w_u16(&e->w, enc_u16(s->speed_mps * 1000.0));
    if (!(e->flags & FIT_WRITE_DEVELOPER))
        fit_w_u16(&e->w, enc_u16(s->power_w));
    if (e->flags & FIT_WRITE_ENHANCED) {
        fit_w_u32(&e->w, enc_u32(s->speed_mps * 1000.0));
        fit_w_u32(&e->w, enc_u32((s->alt_m + 500.0) * 5.0));
    }
    if (e->flags & FIT_WRITE_DEVELOPER) {
        static const unsigned char secret[3] = { 0x12, 0x34, 0x56 };
        fit_w_u16(&e->w, enc_u16(s->power_w));
        fit_w_raw(&e->w, secret, sizeof(secret));
    }
}

static void write_lap(struct enc *e, const struct activity_lap *l,
                      uint32_t start, uint32_t end, unsigned index)
{
    unsigned local = use(e, L_LAP);
    fit_w_data(&e->w, local);
    put_ts(e, end);
    fit_w_u32(&e->w, start);
    fit_w_u32(&e->w, enc_u32(l->elapsed_s * 1000.0));
    fit_w_u32(&e->w, enc_u32(l->timer_s * 1000.0));
    fit_w_u32(&e->w, enc_u32(l->distance_m * 100.0));
    fit_w_u16(&e->w, enc_u16(l->calories_kcal));
    fit_w_u8(&e->w, enc_u8(l->avg_hr_bpm));
    fit_w_u8(&e->w, enc_u8(l->max_hr_bpm));
    fit_w_u8(&e->w, enc_u8(l->avg_cadence_rpm));
    fit_w_u8(&e->w, enc_u8(l->max_cadence_rpm));
    fit_w_u16(&e->w, enc_u16(l->ascent_m));
    fit_w_u16(&e->w, enc_u16(l->descent_m));
    fit_w_u16(&e->w, (uint16_t)index);
}

/* Start and end of activity a in FIT seconds: start_s, else its first
 * timed sample; start + elapsed, else its last timed sample. */
static int act_span(struct enc *e, const struct activity *a, uint32_t *from,
                    uint32_t *to)
{
    double first = NAN, last = NAN;
    for (size_t i = 0; i < a->nsamples; i++) {
        double t = a->samples[i].time_s;
        if (isnan(t))
            continue;
        if (isnan(first))
            first = t;
        last = t;
    }
    if (activity_known(a->start_s))
        first = a->start_s;
    if (time_or_fail(e, first, "activity start", from) < 0)
        return -1;
    if (activity_known(a->elapsed_s))
        last = a->start_s + a->elapsed_s;
    if (isnan(last) || last < first)
        last = first;
    if (!activity_known(a->start_s) && activity_known(a->elapsed_s))
        last = first + a->elapsed_s;
    return time_or_fail(e, last, "activity end", to);
}

/* Lap k of a: its start and end in FIT seconds. */
static int lap_span(struct enc *e, const struct activity *a, size_t k,
                    uint32_t act_from, uint32_t act_to, uint32_t *from,
                    uint32_t *to)
{
    const struct activity_lap *l = &a->laps[k];
    if (activity_known(l->start_s)) {
        if (time_or_fail(e, l->start_s, "lap start", from) < 0)
            return -1;
    } else {
        *from = act_from;
    }
    if (activity_known(l->elapsed_s))
        *to = (uint32_t)fmin(4294967294.0, *from + round(l->elapsed_s));
    else if (k + 1 < a->nlaps && activity_known(a->laps[k + 1].start_s))
        return time_or_fail(e, a->laps[k + 1].start_s, "lap start", to);
    else
        *to = act_to;
    return 0;
}

static void write_session(struct enc *e, const struct activity *a,
                          uint32_t from, uint32_t to, unsigned first_lap,
                          unsigned index)
{
    int sport = fit_sport_number(a->sport);
    int sub = fit_sub_sport_number(a->sub_sport);
    unsigned local = use(e, L_SESSION);
    fit_w_data(&e->w, local);
    put_ts(e, to);
    fit_w_u32(&e->w, from);
    fit_w_u8(&e->w, sport < 0 ? 0 : (uint8_t)sport);
    fit_w_u8(&e->w, sub < 0 ? 0 : (uint8_t)sub);
    fit_w_u32(&e->w, enc_u32(a->elapsed_s * 1000.0));
    fit_w_u32(&e->w, enc_u32(a->timer_s * 1000.0));
    fit_w_u32(&e->w, enc_u32(a->distance_m * 100.0));
    fit_w_u16(&e->w, enc_u16(a->calories_kcal));
    fit_w_u8(&e->w, enc_u8(a->avg_hr_bpm));
    fit_w_u8(&e->w, enc_u8(a->max_hr_bpm));
    fit_w_u8(&e->w, enc_u8(a->avg_cadence_rpm));
    fit_w_u8(&e->w, enc_u8(a->max_cadence_rpm));
    fit_w_u16(&e->w, enc_u16(a->avg_power_w));
    fit_w_u16(&e->w, enc_u16(a->ascent_m));
    fit_w_u16(&e->w, enc_u16(a->descent_m));
    fit_w_u16(&e->w, (uint16_t)first_lap);
    fit_w_u16(&e->w, (uint16_t)a->nlaps);
    fit_w_u32(&e->w, enc_u32(a->moving_s * 1000.0));
    fit_w_u16(&e->w, (uint16_t)index);
}

static void write_activity_msg(struct enc *e, uint32_t end)
{
    double timer = 0;
    const struct activity *a0 = &e->acts[0];
    unsigned local;
    for (size_t i = 0; i < e->nacts; i++)
        if (activity_known(e->acts[i].timer_s))
            timer += e->acts[i].timer_s;
    local = use(e, L_ACTIVITY);
    fit_w_data(&e->w, local);
    put_ts(e, end);
    fit_w_u32(&e->w, enc_u32(timer * 1000.0));
    fit_w_u16(&e->w, (uint16_t)e->nacts);
    fit_w_u8(&e->w, 0);  /* type: manual */
    fit_w_u8(&e->w, 26); /* event: activity */
    fit_w_u8(&e->w, 1);  /* event type: stop */
    fit_w_u32(&e->w, a0->has_utc_offset
                         ? (uint32_t)((int64_t)end + a0->utc_offset_s)
                         : 0xFFFFFFFFu);
}

/* Laps, sessions and the activity message of every activity. */
static int write_summary(struct enc *e, bool with_laps)
{
    unsigned lap_index = 0;
    uint32_t end = 0;
    for (size_t i = 0; i < e->nacts; i++) {
        const struct activity *a = &e->acts[i];
        uint32_t from, to;
        if (act_span(e, a, &from, &to) < 0)
            return -1;
        if (with_laps)
            for (size_t k = 0; k < a->nlaps; k++) {
                uint32_t lf, lt;
                if (lap_span(e, a, k, from, to, &lf, &lt) < 0)
                    return -1;
                write_lap(e, &a->laps[k], lf, lt, lap_index + (unsigned)k);
            }
        write_session(e, a, from, to, lap_index, (unsigned)i);
        lap_index += (unsigned)a->nlaps;
        if (to > end)
            end = to;
    }
    write_activity_msg(e, end);
    return 0;
}

static int write_body(struct enc *e)
{
    bool summary = !(e->flags & FIT_WRITE_NO_SUMMARY);
    bool first_is_summary = summary && (e->flags & FIT_WRITE_SUMMARY_FIRST);
    uint32_t from, to, end = 0;
    unsigned lap_index = 0;

    if (act_span(e, &e->acts[0], &from, &to) < 0)
        return -1;
    e->created = from;
    begin_part(e);
    write_device(e, from);
    write_event(e, from, FIT_EVENT_TYPE_START);
    if ((e->flags & FIT_WRITE_DEVELOPER) && !(e->flags & FIT_WRITE_DEV_LATE))
        write_dev_description(e);
    if (first_is_summary && write_summary(e, true) < 0)
        return -1;

    for (size_t i = 0; i < e->nacts; i++) {
        const struct activity *a = &e->acts[i];
        size_t next_lap = 0;
        uint32_t af, at;
        if (act_span(e, a, &af, &at) < 0)
            return -1;
        for (size_t r = 0; r < a->nsamples; r++) {
            const struct activity_sample *s = &a->samples[r];
            uint32_t ts;
            /* laps that ended before this sample */
            while (summary && !first_is_summary && next_lap < a->nlaps &&
                   fit_time(s->time_s, &ts) == 0) {
                uint32_t lf, lt;
                if (lap_span(e, a, next_lap, af, at, &lf, &lt) < 0)
                    return -1;
                if (lt >= ts)
                    break;
                write_lap(e, &a->laps[next_lap], lf, lt,
                          lap_index + (unsigned)next_lap);
                next_lap++;
            }
            if (e->records_per_part && e->records_done > 0 &&
                e->records_done % e->records_per_part == 0 &&
                e->part + 1 < e->parts) {
                if (fit_w_end(&e->w) < 0)
                    return -1;
                e->part++;
                begin_part(e);
            }
            write_record(e, s);
            e->records_done++;
            if (r == 0 && (e->flags & FIT_WRITE_DEVELOPER) &&
                !e->dev_described)
                write_dev_description(e);
        }
        while (summary && !first_is_summary && next_lap < a->nlaps) {
            uint32_t lf, lt;
            if (lap_span(e, a, next_lap, af, at, &lf, &lt) < 0)
                return -1;
            write_lap(e, &a->laps[next_lap], lf, lt,
                      lap_index + (unsigned)next_lap);
            next_lap++;
        }
        lap_index += (unsigned)a->nlaps;
        if (at > end)
            end = at;
    }
    if (summary) {
        write_event(e, end, FIT_EVENT_TYPE_STOP_ALL);
        if (!first_is_summary && write_summary(e, false) < 0)
            return -1;
    }
    return fit_w_end(&e->w);
}

int fit_write_activities(const struct activity *acts, size_t n,
                         const struct fit_write_opts *opts,
                         struct rc_buf *out, struct rc_err *err)
{
    static const struct fit_write_opts plain;
    struct enc *e;
    size_t start = out->len, total = 0;
    int rc;

    if (!opts)
        opts = &plain;
    if (n == 0 || n > ACTIVITY_FILE_MAX_ACTIVITIES)
        return rc_fail(err, RC_EINPUT, "%zu activities: a FIT file holds "
                                       "1 to %d",
                       n, ACTIVITY_FILE_MAX_ACTIVITIES);
    e = rc_calloc(1, sizeof(*e));
    if (!e)
        return rc_fail(err, RC_EENV, "out of memory");
    fit_w_init(&e->w, out, err);
    e->flags = opts->flags;
    e->big = (opts->flags & FIT_WRITE_BIG_ENDIAN) != 0;
    e->acts = acts;
    e->nacts = n;
    e->file_type = opts->file_type ? opts->file_type : 4;
    e->profile = opts->profile_version ? opts->profile_version : 2132;
    e->parts = opts->parts ? opts->parts : 1;
    for (size_t i = 0; i < n; i++)
        total += acts[i].nsamples;
    if (e->parts > 1)
        e->records_per_part =
            (unsigned)((total + e->parts - 1) / e->parts);
    if (e->parts > 1 && !e->records_per_part)
        e->records_per_part = 1;
    rc = write_body(e);
    if (rc < 0) {
        if (!e->w.failed)
            rc_fail(err, RC_EINPUT, "cannot write the FIT file");
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
    }
    rc_free(e);
    return rc < 0 ? -1 : 0;
}

int fit_write_activity(const struct activity *a,
                       const struct fit_write_opts *opts, struct rc_buf *out,
                       struct rc_err *err)
{
    return fit_write_activities(a, 1, opts, out, err);
}
