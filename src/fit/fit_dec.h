/* fit_dec.h - inside the FIT decoder: its state and the pieces that
 * fit.c (the walk over the records), fit_define.c (definition messages)
 * and fit_build.c (activities from what the walk collected) share. Not for
 * other modules, nor for the encoder.
 *
 * Values: a field is read by one reader (enum fit_rd: base type and byte
 * order) into a double, NAN for the base type's invalid sentinel. What
 * runcare reads of each message kind is a set of slots: numeric slots
 * 1 .. X_N - 1 index an array of doubles, slots with STR set an array of
 * strings; fit_define.c maps field numbers to them. */
#ifndef RC_FIT_DEC_H
#define RC_FIT_DEC_H

#include <float.h>

#include "base/base.h"
#include "base/err.h"
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


/* v as a whole number in [0, max], or NAN: a field may arrive in any base
 * type (negative, fractional, huge), and converting such a double to an
 * integer type is undefined behaviour. */
static inline double whole(double v, double max)
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

static inline double to_unix(double fit_s)
{
    return fit_s + (double)RC_FIT_EPOCH_UNIX;
}

/* ---- What runcare reads from each message: slots ----
 *
 * The slots of each message kind, in the order of its array of doubles
 * (X_N is one past the last; slot 0 is never used) and, with STR set, of
 * its strings. fit_define.c's tables map field numbers to them. */

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
enum { PS_SPORT = 1, PS_SUB, PS_N };
enum { SS_START = 1, SS_SPORT, SS_SUB, SS_ELAPSED, SS_TIMER, SS_DIST,
       SS_CAL, SS_AVGHR, SS_MAXHR, SS_AVGCAD, SS_MAXCAD, SS_AVGPOW, SS_ASC,
       SS_DESC, SS_MOVING, SS_N };
enum { LS_START = 1, LS_ELAPSED, LS_TIMER, LS_DIST, LS_CAL, LS_AVGHR,
       LS_MAXHR, LS_AVGCAD, LS_MAXCAD, LS_ASC, LS_DESC, LS_N };
enum { RS_LAT = 1, RS_LON, RS_ALT, RS_HR, RS_CAD, RS_DIST, RS_SPEED,
       RS_POWER, RS_CSD, RS_TEMP, RS_FCAD, RS_ESPEED, RS_EALT, RS_N };
enum { ES_EVENT = 1, ES_TYPE, ES_N };
enum { DS_INDEX = 1, DS_MANUF, DS_SERIAL, DS_PRODUCT, DS_N,
       DS_PNAME = STR | 0 };
enum { AS_TIMER = 1, AS_NSESS, AS_LOCAL, AS_N };
enum { XS_DEVIDX = 1, XS_FNUM, XS_BASE, XS_SCALE, XS_OFFSET, XS_NMESG,
       XS_NFIELD, XS_N, XS_NAME = STR | 0, XS_UNITS = STR | 1 };
enum { YS_DEVIDX = 1, YS_N };

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

/* ---- Shared between the decoder's files ---- */

/* Grow an array of n elements of size sz to hold one more, up to max
 * (past it, an input error at offset off naming what). 0, or -1 with err
 * set. */
int fit_grow(void **v, size_t *cap, size_t n, size_t sz, size_t max,
             const char *what, long off, struct rc_err *err);

/* Note the first damage; always returns -1 (the walk stops or the part is
 * left). */
int fit_damage(struct fit_dec *d, long off, const char *fmt, ...)
    RC_PRINTF(3, 4);

/* Copy a FIT string of at most n bytes into out (size outn): up to its
 * first NUL, cut at the field size when it has none, with bytes that are
 * not printable UTF-8 replaced by '?' so the text is safe to print and to
 * put in JSON. */
void fit_copy_text(char *out, size_t outn, const unsigned char *s,
                   size_t n);

/* fit_define.c: parse the definition message whose content starts at q
 * (after the record header) and make it local type `local`; *next is where
 * the next record starts. -1 on damage (noted) or when memory runs out
 * (err set, d->hard_fail). */
int fit_define(struct fit_dec *d, size_t q, size_t end, unsigned local,
               bool has_dev, size_t *next, struct rc_err *err);

/* fit_define.c: build the read operations of the developer fields of def
 * from the descriptions known now. */
void fit_compile_dev(struct fit_dec *d, struct fit_def *def);

/* fit_define.c: "record", "session"... for messages. */
const char *fit_kind_name(enum fit_kind k);

/* fit_build.c: the file type, note, warnings and activities of a walked
 * file into f. 0, or -1 with err set (memory, a cap). */
int fit_build(struct fit_dec *d, struct activity_file *f,
              struct rc_err *err);

/* fit_build.c: inspect's facts about the framing, from the walk. */
void fit_build_info(const struct fit_dec *d, struct fit_info *info);

#endif
