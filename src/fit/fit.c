/* fit.c - the FIT decoder: bytes in, struct activity_file out.
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
#include <float.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "activity/activity.h"
#include "fit/fit.h"
#include "fit/fit_int.h"

/* ---- Reading values ---- */

/* NAN as a double: in `c ? NAN : x` a float NAN would make the whole
 * expression float and round a uint32 serial number. */
#define NO_VALUE ((double)NAN)


/* One reader per base type and byte order; the enum, size and sentinel are
 * baked in, so reading a field is one switch. */
enum fit_rd {
    RD_NONE,
    RD_U8,
    RD_S8,
    RD_U8Z,
    RD_U16L, RD_U16B,
    RD_S16L, RD_S16B,
    RD_U16ZL, RD_U16ZB,
    RD_U32L, RD_U32B,
    RD_S32L, RD_S32B,
    RD_U32ZL, RD_U32ZB,
    RD_F32L, RD_F32B,
    RD_F64L, RD_F64B,
    RD_S64L, RD_S64B,
    RD_U64L, RD_U64B,
    RD_U64ZL, RD_U64ZB,
    RD_STR,  /* a string slot: pointer and length */
    RD_CSD,  /* record compressed_speed_distance: 3 bytes */
};

/* Reader of each base type, little- and big-endian (RD_NONE: not a number
 * runcare reads; string and byte fields are handled apart). */
static const uint8_t rd_of[FIT_BASE_COUNT][2] = {
    [FIT_ENUM] = { RD_U8, RD_U8 },
    [FIT_SINT8] = { RD_S8, RD_S8 },
    [FIT_UINT8] = { RD_U8, RD_U8 },
    [FIT_SINT16] = { RD_S16L, RD_S16B },
    [FIT_UINT16] = { RD_U16L, RD_U16B },
    [FIT_SINT32] = { RD_S32L, RD_S32B },
    [FIT_UINT32] = { RD_U32L, RD_U32B },
    [FIT_STRING] = { RD_NONE, RD_NONE },
    [FIT_FLOAT32] = { RD_F32L, RD_F32B },
    [FIT_FLOAT64] = { RD_F64L, RD_F64B },
    [FIT_UINT8Z] = { RD_U8Z, RD_U8Z },
    [FIT_UINT16Z] = { RD_U16ZL, RD_U16ZB },
    [FIT_UINT32Z] = { RD_U32ZL, RD_U32ZB },
    [FIT_BYTE] = { RD_NONE, RD_NONE },
    [FIT_SINT64] = { RD_S64L, RD_S64B },
    [FIT_UINT64] = { RD_U64L, RD_U64B },
    [FIT_UINT64Z] = { RD_U64ZL, RD_U64ZB },
};

/* v as a whole number in [0, max], or NAN: a field may arrive in any base
 * type (negative, fractional, huge), and converting such a double to an
 * integer type is undefined behaviour. */
static double whole(double v, double max)
{
    return v >= 0 && v <= max ? floor(v) : NO_VALUE;
}

static inline uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint16_t be16(const unsigned char *p)
{
    return (uint16_t)(p[1] | (unsigned)p[0] << 8);
}

static inline uint32_t le32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline uint32_t be32(const unsigned char *p)
{
    return p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 |
           (uint32_t)p[0] << 24;
}

static inline uint64_t le64(const unsigned char *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static inline uint64_t be64(const unsigned char *p)
{
    return be32(p + 4) | (uint64_t)be32(p) << 32;
}

static inline double f32_of(uint32_t x)
{
    float f;
    if (x == 0xFFFFFFFFu)
        return NAN;
    memcpy(&f, &x, sizeof(f));
    return isfinite(f) ? (double)f : NO_VALUE;
}

/* A float64 beyond the float range is garbage for every field runcare
 * reads, and capping here keeps every value any reader returns within
 * float range (64-bit integers are below 2^64), so the (float) casts of
 * values and of the scaled values derived from them are defined. */
static inline double f64_of(uint64_t x)
{
    double f;
    if (x == UINT64_MAX)
        return NAN;
    memcpy(&f, &x, sizeof(f));
    return fabs(f) <= FLT_MAX ? f : NO_VALUE;
}

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* The value at p, or NAN for the invalid sentinel of its base type.
 * Inlined into the loop that runs a definition's operations: the switch
 * becomes one indirect jump per field. */
static ALWAYS_INLINE double rd_value(const unsigned char *p, unsigned rd)
{
    switch (rd) {
    case RD_U8:
        return p[0] == 0xFF ? NO_VALUE : p[0];
    case RD_S8:
        return p[0] == 0x7F ? NO_VALUE : (int8_t)p[0];
    case RD_U8Z:
        return p[0] == 0 ? NO_VALUE : p[0];
    case RD_U16L:
    case RD_U16B: {
        uint16_t x = rd == RD_U16L ? le16(p) : be16(p);
        return x == 0xFFFF ? NO_VALUE : x;
    }
    case RD_S16L:
    case RD_S16B: {
        uint16_t x = rd == RD_S16L ? le16(p) : be16(p);
        return x == 0x7FFF ? NO_VALUE : (int16_t)x;
    }
    case RD_U16ZL:
    case RD_U16ZB: {
        uint16_t x = rd == RD_U16ZL ? le16(p) : be16(p);
        return x == 0 ? NO_VALUE : x;
    }
    case RD_U32L:
    case RD_U32B: {
        uint32_t x = rd == RD_U32L ? le32(p) : be32(p);
        return x == 0xFFFFFFFFu ? NO_VALUE : x;
    }
    case RD_S32L:
    case RD_S32B: {
        uint32_t x = rd == RD_S32L ? le32(p) : be32(p);
        return x == 0x7FFFFFFFu ? NO_VALUE : (int32_t)x;
    }
    case RD_U32ZL:
    case RD_U32ZB: {
        uint32_t x = rd == RD_U32ZL ? le32(p) : be32(p);
        return x == 0 ? NO_VALUE : x;
    }
    case RD_F32L:
        return f32_of(le32(p));
    case RD_F32B:
        return f32_of(be32(p));
    case RD_F64L:
        return f64_of(le64(p));
    case RD_F64B:
        return f64_of(be64(p));
    case RD_S64L:
    case RD_S64B: {
        uint64_t x = rd == RD_S64L ? le64(p) : be64(p);
        return x == 0x7FFFFFFFFFFFFFFFull ? NO_VALUE : (double)(int64_t)x;
    }
    case RD_U64L:
    case RD_U64B: {
        uint64_t x = rd == RD_U64L ? le64(p) : be64(p);
        return x == UINT64_MAX ? NO_VALUE : (double)x;
    }
    case RD_U64ZL:
    case RD_U64ZB: {
        uint64_t x = rd == RD_U64ZL ? le64(p) : be64(p);
        return x == 0 ? NO_VALUE : (double)x;
    }
    case RD_CSD:
        /* every byte 0xFF: the byte type's invalid value */
        if (p[0] == 0xFF && p[1] == 0xFF && p[2] == 0xFF)
            return NAN;
        return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    default:
        return NAN;
    }
}

/* ---- What runcare reads from each message: slots ----
 *
 * A slot table maps a field number to a slot (0 = not read). Numeric slots
 * are indexes into an array of doubles; slots with STR set are indexes
 * into an array of strings. */
#define STR 0x80
#define MAX_SLOTS 20
#define MAX_STRS 4

enum fit_kind {
    K_OTHER,
    K_FILE_ID,
    K_SPORT,
    K_SESSION,
    K_LAP,
    K_RECORD,
    K_EVENT,
    K_DEVICE_INFO,
    K_ACTIVITY,
    K_FIELD_DESC,
    K_DEV_DATA_ID,
    K_COUNT
};

enum { FS_TYPE = 1, FS_MANUF, FS_PRODUCT, FS_SERIAL, FS_CREATED, FS_N,
       FS_PNAME = STR | 0 };
static const uint8_t file_id_slots[256] = {
    [FIT_FILE_ID_TYPE] = FS_TYPE,
    [FIT_FILE_ID_MANUFACTURER] = FS_MANUF,
    [FIT_FILE_ID_PRODUCT] = FS_PRODUCT,
    [FIT_FILE_ID_SERIAL] = FS_SERIAL,
    [FIT_FILE_ID_TIME_CREATED] = FS_CREATED,
    [FIT_FILE_ID_PRODUCT_NAME] = FS_PNAME,
};

enum { PS_SPORT = 1, PS_SUB, PS_N };
static const uint8_t sport_slots[256] = {
    [FIT_SPORT_SPORT] = PS_SPORT,
    [FIT_SPORT_SUB_SPORT] = PS_SUB,
};

enum { SS_START = 1, SS_SPORT, SS_SUB, SS_ELAPSED, SS_TIMER, SS_DIST,
       SS_CAL, SS_AVGHR, SS_MAXHR, SS_AVGCAD, SS_MAXCAD, SS_AVGPOW, SS_ASC,
       SS_DESC, SS_MOVING, SS_N };
static const uint8_t session_slots[256] = {
    [FIT_SESSION_START_TIME] = SS_START,
    [FIT_SESSION_SPORT] = SS_SPORT,
    [FIT_SESSION_SUB_SPORT] = SS_SUB,
    [FIT_SESSION_ELAPSED] = SS_ELAPSED,
    [FIT_SESSION_TIMER] = SS_TIMER,
    [FIT_SESSION_DISTANCE] = SS_DIST,
    [FIT_SESSION_CALORIES] = SS_CAL,
    [FIT_SESSION_AVG_HR] = SS_AVGHR,
    [FIT_SESSION_MAX_HR] = SS_MAXHR,
    [FIT_SESSION_AVG_CADENCE] = SS_AVGCAD,
    [FIT_SESSION_MAX_CADENCE] = SS_MAXCAD,
    [FIT_SESSION_AVG_POWER] = SS_AVGPOW,
    [FIT_SESSION_ASCENT] = SS_ASC,
    [FIT_SESSION_DESCENT] = SS_DESC,
    [FIT_SESSION_MOVING] = SS_MOVING,
};

enum { LS_START = 1, LS_ELAPSED, LS_TIMER, LS_DIST, LS_CAL, LS_AVGHR,
       LS_MAXHR, LS_AVGCAD, LS_MAXCAD, LS_ASC, LS_DESC, LS_N };
static const uint8_t lap_slots[256] = {
    [FIT_LAP_START_TIME] = LS_START,
    [FIT_LAP_ELAPSED] = LS_ELAPSED,
    [FIT_LAP_TIMER] = LS_TIMER,
    [FIT_LAP_DISTANCE] = LS_DIST,
    [FIT_LAP_CALORIES] = LS_CAL,
    [FIT_LAP_AVG_HR] = LS_AVGHR,
    [FIT_LAP_MAX_HR] = LS_MAXHR,
    [FIT_LAP_AVG_CADENCE] = LS_AVGCAD,
    [FIT_LAP_MAX_CADENCE] = LS_MAXCAD,
    [FIT_LAP_ASCENT] = LS_ASC,
    [FIT_LAP_DESCENT] = LS_DESC,
};

enum { RS_LAT = 1, RS_LON, RS_ALT, RS_HR, RS_CAD, RS_DIST, RS_SPEED,
       RS_POWER, RS_CSD, RS_TEMP, RS_FCAD, RS_ESPEED, RS_EALT, RS_N };
static const uint8_t record_slots[256] = {
    [FIT_RECORD_LAT] = RS_LAT,
    [FIT_RECORD_LON] = RS_LON,
    [FIT_RECORD_ALTITUDE] = RS_ALT,
    [FIT_RECORD_HR] = RS_HR,
    [FIT_RECORD_CADENCE] = RS_CAD,
    [FIT_RECORD_DISTANCE] = RS_DIST,
    [FIT_RECORD_SPEED] = RS_SPEED,
    [FIT_RECORD_POWER] = RS_POWER,
    [FIT_RECORD_COMPRESSED_SPEED_DISTANCE] = RS_CSD,
    [FIT_RECORD_TEMPERATURE] = RS_TEMP,
    [FIT_RECORD_FRACTIONAL_CADENCE] = RS_FCAD,
    [FIT_RECORD_ENHANCED_SPEED] = RS_ESPEED,
    [FIT_RECORD_ENHANCED_ALTITUDE] = RS_EALT,
};

enum { ES_EVENT = 1, ES_TYPE, ES_N };
static const uint8_t event_slots[256] = {
    [FIT_EVENT_EVENT] = ES_EVENT,
    [FIT_EVENT_TYPE] = ES_TYPE,
};

enum { DS_INDEX = 1, DS_MANUF, DS_SERIAL, DS_PRODUCT, DS_N,
       DS_PNAME = STR | 0 };
static const uint8_t device_info_slots[256] = {
    [FIT_DEVICE_INFO_INDEX] = DS_INDEX,
    [FIT_DEVICE_INFO_MANUFACTURER] = DS_MANUF,
    [FIT_DEVICE_INFO_SERIAL] = DS_SERIAL,
    [FIT_DEVICE_INFO_PRODUCT] = DS_PRODUCT,
    [FIT_DEVICE_INFO_PRODUCT_NAME] = DS_PNAME,
};

enum { AS_TIMER = 1, AS_NSESS, AS_LOCAL, AS_N };
static const uint8_t activity_slots[256] = {
    [FIT_ACTIVITY_TIMER] = AS_TIMER,
    [FIT_ACTIVITY_NUM_SESSIONS] = AS_NSESS,
    [FIT_ACTIVITY_LOCAL_TIMESTAMP] = AS_LOCAL,
};

enum { XS_DEVIDX = 1, XS_FNUM, XS_BASE, XS_SCALE, XS_OFFSET, XS_NMESG,
       XS_NFIELD, XS_N, XS_NAME = STR | 0, XS_UNITS = STR | 1 };
static const uint8_t field_desc_slots[256] = {
    [FIT_FIELD_DESC_DEV_INDEX] = XS_DEVIDX,
    [FIT_FIELD_DESC_FIELD_NUM] = XS_FNUM,
    [FIT_FIELD_DESC_BASE_TYPE] = XS_BASE,
    [FIT_FIELD_DESC_NAME] = XS_NAME,
    [FIT_FIELD_DESC_SCALE] = XS_SCALE,
    [FIT_FIELD_DESC_OFFSET] = XS_OFFSET,
    [FIT_FIELD_DESC_UNITS] = XS_UNITS,
    [FIT_FIELD_DESC_NATIVE_MESG] = XS_NMESG,
    [FIT_FIELD_DESC_NATIVE_FIELD] = XS_NFIELD,
};

enum { YS_DEVIDX = 1, YS_N };
static const uint8_t dev_data_id_slots[256] = {
    [FIT_DEV_DATA_ID_DEV_INDEX] = YS_DEVIDX,
};

static const struct {
    const uint8_t *slots;
    uint8_t nslots; /* numeric slots are 1 .. nslots - 1 */
} kinds[K_COUNT] = {
    [K_OTHER] = { NULL, 1 },
    [K_FILE_ID] = { file_id_slots, FS_N },
    [K_SPORT] = { sport_slots, PS_N },
    [K_SESSION] = { session_slots, SS_N },
    [K_LAP] = { lap_slots, LS_N },
    [K_RECORD] = { record_slots, RS_N },
    [K_EVENT] = { event_slots, ES_N },
    [K_DEVICE_INFO] = { device_info_slots, DS_N },
    [K_ACTIVITY] = { activity_slots, AS_N },
    [K_FIELD_DESC] = { field_desc_slots, XS_N },
    [K_DEV_DATA_ID] = { dev_data_id_slots, YS_N },
};

static enum fit_kind kind_of(unsigned global)
{
    switch (global) {
    case FIT_MESG_FILE_ID:
        return K_FILE_ID;
    case FIT_MESG_SPORT:
        return K_SPORT;
    case FIT_MESG_SESSION:
        return K_SESSION;
    case FIT_MESG_LAP:
        return K_LAP;
    case FIT_MESG_RECORD:
        return K_RECORD;
    case FIT_MESG_EVENT:
        return K_EVENT;
    case FIT_MESG_DEVICE_INFO:
        return K_DEVICE_INFO;
    case FIT_MESG_ACTIVITY:
        return K_ACTIVITY;
    case FIT_MESG_FIELD_DESCRIPTION:
        return K_FIELD_DESC;
    case FIT_MESG_DEVELOPER_DATA_ID:
        return K_DEV_DATA_ID;
    default:
        return K_OTHER;
    }
}

static const char *kind_name(enum fit_kind k)
{
    static const char *const names[K_COUNT] = {
        [K_OTHER] = "message",        [K_FILE_ID] = "file_id",
        [K_SPORT] = "sport",          [K_SESSION] = "session",
        [K_LAP] = "lap",              [K_RECORD] = "record",
        [K_EVENT] = "event",          [K_DEVICE_INFO] = "device_info",
        [K_ACTIVITY] = "activity",    [K_FIELD_DESC] = "field_description",
        [K_DEV_DATA_ID] = "developer_data_id",
    };
    return names[k];
}

/* ---- Decoder state ---- */

#define MAX_OPS 40
#define MAX_DEV_DESCS 256

struct fit_op {
    uint16_t off; /* native fields end before 255 * 255 bytes */
    uint8_t slot;
    uint8_t rd;
    uint8_t len; /* strings: the field size, at most 255 */
};

struct fit_devop {
    uint32_t off;
    uint8_t rd;
    uint8_t desc; /* index into fit_dec.descs */
};

/* The developer fields of a definition, kept raw so that a description
 * that arrives later can still be applied (dev_gen); allocated only for
 * local types that ever carry developer fields. */
struct fit_devdef {
    uint8_t raw[255][3];
    struct fit_devop ops[255];
};

/* A compiled definition: what one local message type means now. */
struct fit_def {
    bool defined, big, has_mirror;
    uint8_t kind;
    uint16_t global;
    uint32_t size;   /* bytes after the record header */
    int32_t ts_off;  /* of field 253 (uint32), -1 if none */
    uint8_t nops, nsops;
    /* records: where each channel is and how to read it (RD_NONE: not in
     * this definition), so a record reads its channels without a loop */
    uint16_t roff[RS_N];
    uint8_t rrd[RS_N];
    struct fit_op ops[MAX_OPS];   /* numbers */
    struct fit_op sops[MAX_STRS]; /* strings */
    uint8_t ndev, ndevops;
    uint32_t dev_start;
    unsigned dev_gen;
    struct fit_devdef *dev;
};

/* A developer field description (field_description message). */
struct fit_desc {
    uint8_t dev_index, field_num, base;
    double scale, offset;
    uint8_t mirror; /* record slot it mirrors, 0 if none */
    struct fit_dev_field_info info;
};

struct fit_sess {
    double v[SS_N];
    double ts; /* field 253: the end of the session, raw FIT seconds */
    double key; /* start, raw FIT seconds, NAN if unknown */
    long order;
};

struct fit_lapx {
    double v[LS_N];
    double ts, key;
    long order;
};

struct fit_span {
    double from, to; /* a timer start..stop, raw FIT seconds */
};

struct fit_dec {
    const unsigned char *p;
    size_t n;
    unsigned flags;
    struct fit_def defs[FIT_LOCAL_TYPES];

    uint64_t last_ts; /* the reference for compressed timestamps */
    bool have_ts;
    uint32_t csd_raw; /* last compressed distance, 1/16 m, 12 bits */
    double csd_dist_m;
    bool csd_seen;

    /* what the walk collects */
    struct activity_sample *samples;
    size_t nsamples, samples_cap;
    long relative_samples; /* timestamps below FIT_TIME_MIN_ABSOLUTE */
    struct fit_sess *sess;
    size_t nsess, sess_cap;
    struct fit_lapx *laps;
    size_t nlaps, laps_cap;
    struct fit_span *spans;
    size_t nspans, spans_cap;
    bool timer_running;
    double timer_from;
    double last_time; /* the latest message time seen, raw */

    bool have_file_id;
    double file_type;
    struct activity_device device;
    struct activity_device creator; /* device_info of device index 0 */
    bool have_creator;
    double sport, sub_sport; /* from the sport message */
    double act_ts, act_local; /* activity message */

    struct fit_desc *descs;
    size_t ndescs, descs_cap;
    unsigned dev_gen;
    long descs_dropped;

    struct fit_info info;
    long no_time_msgs;
    long first_no_time_off;
    size_t trailing_zeros;

    /* the first damage found (offset -1: none) */
    long damage_off;
    char damage_msg[200];
    bool hard_fail; /* err was set: memory or a cap, not damage */
};

/* Grow an array of n elements of size sz to hold one more, up to max. */
static int grow(void **v, size_t *cap, size_t n, size_t sz, size_t max,
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

static int damage(struct fit_dec *d, long off, const char *fmt, ...)
    RC_PRINTF(3, 4);

/* Note the first damage; always returns -1 (the walk stops or the part is
 * left). */
static int damage(struct fit_dec *d, long off, const char *fmt, ...)
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

/* Copy a FIT string of at most n bytes into out (size outn): up to its
 * first NUL, cut at the field size when it has none, with bytes that are
 * not printable UTF-8 replaced by '?' so the text is safe to print and to
 * put in JSON. */
static void copy_text(char *out, size_t outn, const unsigned char *s,
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

/* ---- Definitions ---- */

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

/* Build the read operations of the developer fields of def from the
 * descriptions known now. */
static void compile_dev(struct fit_dec *d, struct fit_def *def)
{
    uint32_t off = def->dev_start;
    def->ndevops = 0;
    def->has_mirror = false;
    def->dev_gen = d->dev_gen;
    for (unsigned i = 0; i < def->ndev; i++) {
        uint8_t num = def->dev->raw[i][0], size = def->dev->raw[i][1];
        uint8_t idx = def->dev->raw[i][2];
        for (unsigned k = 0; k < d->ndescs; k++) {
            const struct fit_desc *x = &d->descs[k];
            unsigned base = x->base & 0x1F, bs;
            if (x->dev_index != idx || x->field_num != num)
                continue;
            if (base >= FIT_BASE_COUNT)
                break;
            bs = fit_base_size[base];
            if (rd_of[base][0] == RD_NONE || size < bs || size % bs)
                break;
            def->dev->ops[def->ndevops].off = off;
            def->dev->ops[def->ndevops].rd = rd_of[base][def->big];
            def->dev->ops[def->ndevops].desc = (uint8_t)k;
            def->ndevops++;
            if (x->mirror && def->kind == K_RECORD)
                def->has_mirror = true;
            break;
        }
        off += size;
    }
}

/* Parse the definition message whose content starts at q (after the
 * record header) and make it local type `local`. */
static int define(struct fit_dec *d, size_t q, size_t end, unsigned local,
                  bool has_dev, size_t *next, struct rc_err *err)
{
    const unsigned char *p = d->p;
    struct fit_def *def = &d->defs[local];
    const uint8_t *slots;
    unsigned arch, nf, global;
    uint32_t size = 0;

    if (end - q < 5)
        return damage(d, (long)q, "truncated definition message: %zu of "
                                  "at least 5 bytes before the end of the "
                                  "data",
                      end - q);
    arch = p[q + 1];
    if (arch > 1)
        return damage(d, (long)q + 1, "architecture byte %u is neither 0 "
                                      "(little-endian) nor 1 (big-endian)",
                      arch);
    global = arch ? be16(p + q + 2) : le16(p + q + 2);
    nf = p[q + 4];
    q += 5;
    if (end - q < 3 * (size_t)nf)
        return damage(d, (long)q, "truncated field definitions: %u fields "
                                  "need %u bytes, %zu remain",
                      nf, 3 * nf, end - q);

    def->defined = true;
    def->big = arch == 1;
    def->global = (uint16_t)global;
    def->kind = (uint8_t)kind_of(global);
    def->ts_off = -1;
    def->nops = 0;
    def->nsops = 0;
    def->ndev = 0;
    memset(def->rrd, RD_NONE, sizeof(def->rrd));
    def->ndevops = 0;
    def->has_mirror = false;
    slots = kinds[def->kind].slots;
    for (unsigned i = 0; i < nf; i++, q += 3) {
        unsigned num = p[q], fsize = p[q + 1], base = p[q + 2] & 0x1F;
        unsigned bs = base < FIT_BASE_COUNT ? fit_base_size[base] : 1;
        unsigned slot = slots ? slots[num] : 0;
        uint32_t off = size;

        size += fsize;
        if (fsize % bs || fsize < bs) {
            if (fsize)
                d->info.misaligned_fields++;
            continue;
        }
        if (base >= FIT_BASE_COUNT)
            continue;
        if (num == FIT_FIELD_TIMESTAMP) {
            if (fsize == 4 && (base == FIT_UINT32 || base == FIT_UINT32Z))
                def->ts_off = (int32_t)off;
            continue;
        }
        if (!slot)
            continue;
        if (slot & STR) {
            struct fit_op *op = &def->sops[def->nsops];
            if (base != FIT_STRING || def->nsops == MAX_STRS)
                continue;
            op->off = (uint16_t)off;
            op->slot = (uint8_t)(slot & ~STR);
            op->len = (uint8_t)fsize;
            op->rd = RD_STR;
            def->nsops++;
            continue;
        }
        if (def->nops == MAX_OPS)
            continue;
        {
            struct fit_op *op = &def->ops[def->nops];
            op->off = (uint16_t)off;
            op->slot = (uint8_t)slot;
            op->len = (uint8_t)fsize;
            if (def->kind == K_RECORD && slot == RS_CSD) {
                if (base != FIT_BYTE || fsize != 3)
                    continue;
                op->rd = RD_CSD;
            } else {
                op->rd = rd_of[base][def->big];
                if (op->rd == RD_NONE)
                    continue;
            }
            if (def->kind == K_RECORD) {
                def->roff[op->slot] = op->off;
                def->rrd[op->slot] = op->rd;
            }
            def->nops++;
        }
    }
    if (has_dev) {
        unsigned nd;
        if (end - q < 1)
            return damage(d, (long)q, "truncated developer field count");
        nd = p[q++];
        if (end - q < 3 * (size_t)nd)
            return damage(d, (long)q, "truncated developer field "
                                      "definitions: %u fields need %u "
                                      "bytes, %zu remain",
                          nd, 3 * nd, end - q);
        if (nd && !def->dev) {
            def->dev = rc_malloc(sizeof(*def->dev));
            if (!def->dev) {
                d->hard_fail = true;
                return rc_fail(err, RC_EENV, "out of memory for developer "
                                             "fields");
            }
        }
        def->dev_start = size;
        def->ndev = (uint8_t)nd;
        for (unsigned i = 0; i < nd; i++, q += 3) {
            memcpy(def->dev->raw[i], p + q, 3);
            size += p[q + 1];
        }
        d->info.dev_field_definitions += nd;
        compile_dev(d, def);
    }
    def->size = size;
    d->info.definitions++;
    if (def->big)
        d->info.big_endian_definitions++;
    *next = q;
    return 0;
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

static double to_unix(double fit_s)
{
    return fit_s + (double)RC_FIT_EPOCH_UNIX;
}

static ALWAYS_INLINE int on_record(struct fit_dec *d, const double *v,
                                   const double *dv, double t, long off,
                                   struct rc_err *err)
{
    struct activity_sample *s;
    double x;

    if (d->nsamples == d->samples_cap &&
        grow((void **)&d->samples, &d->samples_cap, d->nsamples,
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
    if (grow((void **)&d->sess, &d->sess_cap, d->nsess, sizeof(*d->sess),
             ACTIVITY_FILE_MAX_ACTIVITIES, "session messages", off, err) < 0)
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
    if (grow((void **)&d->laps, &d->laps_cap, d->nlaps, sizeof(*d->laps),
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
        if (grow((void **)&d->spans, &d->spans_cap, d->nspans,
                 sizeof(*d->spans), ACTIVITY_MAX_SAMPLES, "timer events", off,
                 err) < 0)
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
        copy_text(d->device.product_name, sizeof(d->device.product_name),
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
        copy_text(d->creator.product_name, sizeof(d->creator.product_name),
                  s[DS_PNAME & ~STR].p, s[DS_PNAME & ~STR].n);
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
        copy_text(x->info.name, sizeof(x->info.name), s[XS_NAME & ~STR].p,
                  s[XS_NAME & ~STR].n);
    if (s[XS_UNITS & ~STR].p)
        copy_text(x->info.units, sizeof(x->info.units), s[XS_UNITS & ~STR].p,
                  s[XS_UNITS & ~STR].n);
    d->dev_gen++;
    return 0;
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
        /* one inlined read per channel, specialised for the base type
         * devices use for it (the call with a constant reader folds into
         * straight code); other types take the general switch */
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
    } else {
        memcpy(v, nan_slots, sizeof(v));
        for (unsigned i = 0; i < def->nops; i++) {
            const struct fit_op *op = &def->ops[i];
            v[op->slot] = rd_value(p + op->off, op->rd);
        }
    }
    if (def->kind == K_FILE_ID || def->kind == K_DEVICE_INFO ||
        def->kind == K_FIELD_DESC) {
        /* the only kinds with strings */
        memset(s, 0, sizeof(s));
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
    if (def->ndev) {
        d->info.dev_field_messages++;
        if (def->dev_gen != d->dev_gen)
            compile_dev(d, def);
        if (def->has_mirror) {
            use_dv = true;
            for (unsigned i = 1; i < RS_N; i++)
                dv[i] = NAN;
        }
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
    }

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
                return damage(d, (long)q, "compressed-timestamp data "
                                          "message for undefined local "
                                          "type %u",
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
            if (define(d, q + 1, end, h & 0x0F, (h & 0x20) != 0, &next,
                       err) < 0)
                return -1;
            q = next;
            continue;
        } else {
            def = &d->defs[h & 0x0F];
            if (!def->defined)
                return damage(d, (long)q, "data message for undefined local "
                                          "type %u",
                              h & 0x0F);
        }
        q++;
        if (end - q < def->size)
            return damage(d, (long)q, "data message (%s, global %u) needs "
                                      "%u bytes, only %zu remain before the "
                                      "end of the data",
                          kind_name(def->kind), def->global, def->size,
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
        return damage(d, 0, "empty file");
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
                return damage(d, (long)pos, "%zu bytes of garbage after "
                                            "the FIT data",
                              rest);
        }
        if (rest < FIT_HEADER_MIN)
            return damage(d, (long)pos, "file of %zu bytes is too short "
                                        "for a FIT header (12 bytes)",
                          rest);
        hs = p[pos];
        if (hs < FIT_HEADER_MIN)
            return damage(d, (long)pos, "header size %zu is less than 12",
                          hs);
        if (memcmp(p + pos + 8, FIT_SIGNATURE, 4) != 0) {
            char sig[8];
            copy_text(sig, 5, p + pos + 8, 4);
            return damage(d, (long)pos + 8, "signature \"%s\" is not "
                                            "\".FIT\"",
                          sig);
        }
        if (rest < hs)
            return damage(d, (long)pos, "truncated header: %zu of %zu "
                                        "bytes",
                          rest, hs);
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
                damage(d, (long)pos + 12, "header CRC 0x%04x, computed "
                                          "0x%04x",
                       want, got);
        }
        if (dsize == 0)
            return damage(d, (long)(pos + hs), "header gives a data size of "
                                               "0 (no records), yet %zu "
                                               "bytes follow the header",
                          rest - hs);
        data_end = pos + hs + dsize; /* no overflow: dsize < 2^32 */
        avail_end = data_end;
        if ((uint64_t)hs + dsize + 2 > rest) {
            damage(d, (long)pos + 4, "header says %u data bytes + CRC, only "
                                     "%zu bytes remain: the file is cut "
                                     "off",
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
                return damage(d, (long)data_end, "file CRC 0x%04x, computed "
                                                 "0x%04x",
                              want, got);
        }
        if (d->damage_off >= 0)
            return -1; /* a bad header CRC: no further parts */
        pos = data_end + 2;
    }
    return 0;
}

/* ---- Building the activities ---- */

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
    name = sub ? fit_sub_sport_name((unsigned)v)
               : fit_sport_name((unsigned)v);
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
            acts[k].samples =
                rc_malloc(count[k] * sizeof(*acts[k].samples));
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

static void activity_device_merge(struct activity_device *dst,
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
            activity_file_warn(f, "activity local_timestamp is %.0f s from "
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
            name_sport(a->sub_sport, sizeof(a->sub_sport), d->sub_sport,
                       true);
        }
        a->device = d->device;
        if (d->have_creator)
            activity_device_merge(&a->device, &d->creator);
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

static void finish_info(struct fit_dec *d, struct fit_info *info)
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

static int build(struct fit_dec *d, struct activity_file *f,
                 struct rc_err *err)
{
    const char *tname = NULL;
    bool is_activity;

    snprintf(f->format, sizeof(f->format), "fit");
    f->records = d->info.records;
    if (!isnan(d->file_type))
        tname = fit_file_type_name((unsigned)d->file_type);
    is_activity = isnan(d->file_type)
                      ? (d->nsess > 0 || d->nsamples > 0)
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
        activity_file_warn(f, "salvaged: offset %ld: %s; kept the %ld "
                              "complete records before it",
                           d->damage_off, d->damage_msg, d->info.records);
    }
    if (d->no_time_msgs)
        activity_file_warn(f, "offset %ld: compressed timestamp before any "
                              "full timestamp: %ld messages without a time",
                           d->first_no_time_off, d->no_time_msgs);
    if (d->trailing_zeros)
        activity_file_warn(f, "%zu zero bytes after the last FIT part: "
                              "ignored",
                           d->trailing_zeros);
    if (d->descs_dropped)
        activity_file_warn(f, "more than %d developer field descriptions: "
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
     * 56/24 of the file size; grow() takes over beyond it). */
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
        if (grow((void **)&d->spans, &d->spans_cap, d->nspans,
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
    if (build(d, &f, err) < 0) {
        activity_file_release(&f);
        dec_release(d);
        return -1;
    }
    if (info)
        finish_info(d, info);
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
