/* fit_int.h - inside the FIT module: the format as tables, the numbers of
 * the messages and fields runcare reads or writes, and the low-level writer
 * shared by the encoder (fit_write.c) and the unit tests.
 *
 * Written from the public FIT protocol description (../shared/formats/fit.md
 * and the pages it cites); no SDK code or Profile tables were used. Only the
 * few messages and fields runcare needs are listed; everything else is
 * walked past by its size.
 *
 * A FIT file (little-endian header, then records, then a CRC):
 *
 *   OFFSET  SIZE  WHAT
 *        0     1  header size: 12 (legacy) or 14; larger is skipped
 *        1     1  protocol version, major in the high nibble (0x10, 0x20)
 *        2     2  profile version (2132 = 21.32)
 *        4     4  data size: bytes of records, without header and CRC
 *        8     4  ".FIT"
 *       12     2  header CRC of bytes 0-11 (14-byte headers; 0 = none)
 *   hdr_size  data size   records
 *   end - 2     2  file CRC of every byte before it, from offset 0
 *
 * Chained files repeat the whole layout; each part is checked on its own.
 *
 * A record starts with one header byte:
 *
 *   BIT  normal header (bit 7 = 0)       compressed timestamp (bit 7 = 1)
 *     7  0                               1
 *     6  1 definition, 0 data            local type, bits 5-6 (0-3)
 *     5  definition has developer fields
 *     4  reserved                        time offset, bits 0-4 (seconds)
 *   0-3  local message type (0-15)
 *
 * A definition message after its header byte:
 *
 *   OFFSET  SIZE  WHAT
 *        0     1  reserved
 *        1     1  architecture: 0 little-endian, 1 big-endian
 *        2     2  global message number, in that byte order
 *        4     1  number of fields n
 *        5   3*n  field number, size in bytes, base type
 *    5+3*n     1  number of developer fields m (only with bit 5)
 *    6+3*n   3*m  field number, size in bytes, developer data index
 *
 * A data message is the header byte and the field values in definition
 * order, native fields first, then developer fields. */
#ifndef RC_FIT_INT_H
#define RC_FIT_INT_H

#include "base/base.h"
#include "base/buf.h"
#include "base/err.h"
#include "fit/fit.h"

#define FIT_HEADER_MIN 12
#define FIT_HEADER_SIZE 14
#define FIT_SIGNATURE ".FIT"
#define FIT_LOCAL_TYPES 16
#define FIT_COMPRESSED_LOCAL_TYPES 4

/* Timestamps below this are seconds since the device was switched on, not
 * seconds since the FIT epoch (1989-12-31T00:00:00Z). */
#define FIT_TIME_MIN_ABSOLUTE 0x10000000u

/* Positions are semicircles: 2^31 of them make 180 degrees. */
#define FIT_DEG_PER_SEMICIRCLE (180.0 / 2147483648.0)

/* Base types: the number is the low 5 bits of the base type byte; bit 7 is
 * set on multi-byte types ("endian ability").
 *
 *   #  type     size  invalid          #  type     size  invalid
 *   0  enum        1  0xFF             9  float64     8  all bits set
 *   1  sint8       1  0x7F            10  uint8z      1  0x00
 *   2  uint8       1  0xFF            11  uint16z     2  0x0000
 *   3  sint16      2  0x7FFF          12  uint32z     4  0x00000000
 *   4  uint16      2  0xFFFF          13  byte        n  every byte 0xFF
 *   5  sint32      4  0x7FFFFFFF      14  sint64      8  0x7FFF...FF
 *   6  uint32      4  0xFFFFFFFF      15  uint64      8  0xFFFF...FF
 *   7  string      n  first byte 0    16  uint64z     8  0
 *   8  float32     4  all bits set */
enum fit_base {
    FIT_ENUM = 0,
    FIT_SINT8 = 1,
    FIT_UINT8 = 2,
    FIT_SINT16 = 3,
    FIT_UINT16 = 4,
    FIT_SINT32 = 5,
    FIT_UINT32 = 6,
    FIT_STRING = 7,
    FIT_FLOAT32 = 8,
    FIT_FLOAT64 = 9,
    FIT_UINT8Z = 10,
    FIT_UINT16Z = 11,
    FIT_UINT32Z = 12,
    FIT_BYTE = 13,
    FIT_SINT64 = 14,
    FIT_UINT64 = 15,
    FIT_UINT64Z = 16,
    FIT_BASE_COUNT
};

/* Size in bytes of one element of a base type (string and byte: 1). */
extern const uint8_t fit_base_size[FIT_BASE_COUNT];

/* The base type byte as written in a definition: the number, with bit 7
 * set on multi-byte types (a constant expression, for tables). */
#define FIT_BASE_BYTE(b)                                                    \
    ((uint8_t)((b) | ((b) == FIT_ENUM || (b) == FIT_SINT8 ||               \
                              (b) == FIT_UINT8 || (b) == FIT_STRING ||     \
                              (b) == FIT_UINT8Z || (b) == FIT_BYTE         \
                          ? 0                                             \
                          : 0x80)))

/* Global message numbers. */
enum fit_mesg {
    FIT_MESG_FILE_ID = 0,
    FIT_MESG_SPORT = 12,
    FIT_MESG_SESSION = 18,
    FIT_MESG_LAP = 19,
    FIT_MESG_RECORD = 20,
    FIT_MESG_EVENT = 21,
    FIT_MESG_DEVICE_INFO = 23,
    FIT_MESG_ACTIVITY = 34,
    FIT_MESG_FIELD_DESCRIPTION = 206,
    FIT_MESG_DEVELOPER_DATA_ID = 207,
};

/* Field numbers on every message. */
enum {
    FIT_FIELD_TIMESTAMP = 253,     /* uint32, s since the FIT epoch */
    FIT_FIELD_MESSAGE_INDEX = 254, /* uint16 */
};

/* file_id (0) */
enum {
    FIT_FILE_ID_TYPE = 0,          /* enum fit_file_type */
    FIT_FILE_ID_MANUFACTURER = 1,  /* uint16 */
    FIT_FILE_ID_PRODUCT = 2,       /* uint16 */
    FIT_FILE_ID_SERIAL = 3,        /* uint32z */
    FIT_FILE_ID_TIME_CREATED = 4,  /* uint32 */
    FIT_FILE_ID_PRODUCT_NAME = 8,  /* string */
};

/* sport (12) */
enum {
    FIT_SPORT_SPORT = 0,     /* enum */
    FIT_SPORT_SUB_SPORT = 1, /* enum */
};

/* session (18): the totals of one leg. Times in ms (scale 1000), distance
 * in cm (scale 100), speed in mm/s. */
enum {
    FIT_SESSION_START_TIME = 2,      /* uint32 */
    FIT_SESSION_SPORT = 5,           /* enum */
    FIT_SESSION_SUB_SPORT = 6,       /* enum */
    FIT_SESSION_ELAPSED = 7,         /* uint32, scale 1000, s */
    FIT_SESSION_TIMER = 8,           /* uint32, scale 1000, s */
    FIT_SESSION_DISTANCE = 9,        /* uint32, scale 100, m */
    FIT_SESSION_CALORIES = 11,       /* uint16, kcal */
    FIT_SESSION_AVG_HR = 16,         /* uint8, bpm */
    FIT_SESSION_MAX_HR = 17,         /* uint8, bpm */
    FIT_SESSION_AVG_CADENCE = 18,    /* uint8, rpm */
    FIT_SESSION_MAX_CADENCE = 19,    /* uint8, rpm */
    FIT_SESSION_AVG_POWER = 20,      /* uint16, W */
    FIT_SESSION_ASCENT = 22,         /* uint16, m */
    FIT_SESSION_DESCENT = 23,        /* uint16, m */
    FIT_SESSION_FIRST_LAP = 25,      /* uint16 */
    FIT_SESSION_NUM_LAPS = 26,       /* uint16 */
    FIT_SESSION_MOVING = 59,         /* uint32, scale 1000, s */
};

/* lap (19) */
enum {
    FIT_LAP_START_TIME = 2,   /* uint32 */
    FIT_LAP_ELAPSED = 7,      /* uint32, scale 1000, s */
    FIT_LAP_TIMER = 8,        /* uint32, scale 1000, s */
    FIT_LAP_DISTANCE = 9,     /* uint32, scale 100, m */
    FIT_LAP_CALORIES = 11,    /* uint16, kcal */
    FIT_LAP_AVG_HR = 15,      /* uint8 */
    FIT_LAP_MAX_HR = 16,      /* uint8 */
    FIT_LAP_AVG_CADENCE = 17, /* uint8 */
    FIT_LAP_MAX_CADENCE = 18, /* uint8 */
    FIT_LAP_ASCENT = 21,      /* uint16, m */
    FIT_LAP_DESCENT = 22,     /* uint16, m */
};

/* record (20): one sample. */
enum {
    FIT_RECORD_LAT = 0,               /* sint32, semicircles */
    FIT_RECORD_LON = 1,               /* sint32, semicircles */
    FIT_RECORD_ALTITUDE = 2,          /* uint16, scale 5, offset 500, m */
    FIT_RECORD_HR = 3,                /* uint8, bpm */
    FIT_RECORD_CADENCE = 4,           /* uint8, rpm */
    FIT_RECORD_DISTANCE = 5,          /* uint32, scale 100, m */
    FIT_RECORD_SPEED = 6,             /* uint16, scale 1000, m/s */
    FIT_RECORD_POWER = 7,             /* uint16, W */
    FIT_RECORD_COMPRESSED_SPEED_DISTANCE = 8, /* byte[3], see fit.c */
    FIT_RECORD_TEMPERATURE = 13,      /* sint8, C */
    FIT_RECORD_FRACTIONAL_CADENCE = 53, /* uint8, scale 128, rpm */
    FIT_RECORD_ENHANCED_SPEED = 73,   /* uint32, scale 1000, m/s */
    FIT_RECORD_ENHANCED_ALTITUDE = 78, /* uint32, scale 5, offset 500, m */
};

/* event (21) */
enum {
    FIT_EVENT_EVENT = 0, /* enum: 0 timer */
    FIT_EVENT_TYPE = 1,  /* enum: 0 start, 1 stop, 4 stop_all, ... */
    FIT_EVENT_TIMER = 0,
    FIT_EVENT_TYPE_START = 0,
    FIT_EVENT_TYPE_STOP = 1,
    FIT_EVENT_TYPE_STOP_DISABLE = 3,
    FIT_EVENT_TYPE_STOP_ALL = 4,
    FIT_EVENT_TYPE_STOP_DISABLE_ALL = 9,
};

/* device_info (23) */
enum {
    FIT_DEVICE_INFO_INDEX = 0,         /* uint8, 0 = the creator */
    FIT_DEVICE_INFO_MANUFACTURER = 2,  /* uint16 */
    FIT_DEVICE_INFO_SERIAL = 3,        /* uint32z */
    FIT_DEVICE_INFO_PRODUCT = 4,       /* uint16 */
    FIT_DEVICE_INFO_PRODUCT_NAME = 27, /* string */
};

/* activity (34) */
enum {
    FIT_ACTIVITY_TIMER = 0,           /* uint32, scale 1000, s */
    FIT_ACTIVITY_NUM_SESSIONS = 1,    /* uint16 */
    FIT_ACTIVITY_TYPE = 2,            /* enum */
    FIT_ACTIVITY_EVENT = 3,           /* enum */
    FIT_ACTIVITY_EVENT_TYPE = 4,      /* enum */
    FIT_ACTIVITY_LOCAL_TIMESTAMP = 5, /* uint32, local time since the epoch */
};

/* field_description (206): describes one developer field. */
enum {
    FIT_FIELD_DESC_DEV_INDEX = 0,    /* uint8 */
    FIT_FIELD_DESC_FIELD_NUM = 1,    /* uint8 */
    FIT_FIELD_DESC_BASE_TYPE = 2,    /* uint8, a base type byte */
    FIT_FIELD_DESC_NAME = 3,         /* string */
    FIT_FIELD_DESC_SCALE = 6,        /* uint8 */
    FIT_FIELD_DESC_OFFSET = 7,       /* sint8 */
    FIT_FIELD_DESC_UNITS = 8,        /* string */
    FIT_FIELD_DESC_NATIVE_MESG = 14, /* uint16 */
    FIT_FIELD_DESC_NATIVE_FIELD = 15, /* uint8 */
};

/* developer_data_id (207) */
enum {
    FIT_DEV_DATA_ID_APPLICATION_ID = 1, /* byte[16] */
    FIT_DEV_DATA_ID_DEV_INDEX = 3,      /* uint8 */
};

/* Names (fit_profile.c). Each returns NULL for a number it does not know;
 * the _number functions return -1 for an unknown name. */
const char *fit_file_type_name(unsigned type);
const char *fit_sport_name(unsigned sport);
int fit_sport_number(const char *name);
const char *fit_sub_sport_name(unsigned sub);
int fit_sub_sport_number(const char *name);
const char *fit_manufacturer_name(unsigned manufacturer);
int fit_manufacturer_number(const char *name);

/* The FIT CRC (CRC-16/ARC: reflected polynomial 0xA001, initial 0) of n
 * bytes, continuing from crc (0 to start). */
uint16_t fit_crc16(uint16_t crc, const void *p, size_t n);

/* ---- Low-level writer: records into an rc_buf, one FIT part at a time.
 *
 * fit_w_begin writes a header (patched by fit_w_end), fit_w_def a
 * definition, fit_w_data a data message header, then the fit_w_<type>
 * calls append values in the byte order of the last definition of that
 * local type; fit_w_end patches the data size and header CRC and appends
 * the file CRC. Errors (memory, the buffer cap) stick in w->err and make
 * later calls do nothing; fit_w_end returns -1 then. */
struct fit_w_field {
    uint8_t num, size, base; /* base: a base type byte, or a developer data
                                index in a developer field */
};

struct fit_w {
    struct rc_buf *out;
    struct rc_err *err;
    size_t part_start;
    unsigned header_size;
    bool header_crc_zero;
    bool big[FIT_LOCAL_TYPES]; /* byte order of each local type */
    bool cur_big;              /* of the message being written */
    bool failed;
};

void fit_w_init(struct fit_w *w, struct rc_buf *out, struct rc_err *err);
/* header_size 12 or 14; protocol e.g. 0x20; header_crc_zero writes 0x0000
 * as the header CRC of a 14-byte header. */
void fit_w_begin(struct fit_w *w, unsigned header_size, uint8_t protocol,
                 uint16_t profile, bool header_crc_zero);
void fit_w_def(struct fit_w *w, unsigned local, uint16_t global, bool big,
               const struct fit_w_field *fields, unsigned nfields,
               const struct fit_w_field *dev, unsigned ndev);
void fit_w_data(struct fit_w *w, unsigned local);
/* A data message with a compressed-timestamp header (local 0-3). */
void fit_w_data_compressed(struct fit_w *w, unsigned local,
                           unsigned offset_s);
void fit_w_raw(struct fit_w *w, const void *p, size_t n);
void fit_w_u8(struct fit_w *w, uint8_t v);
void fit_w_u16(struct fit_w *w, uint16_t v);
void fit_w_u32(struct fit_w *w, uint32_t v);
void fit_w_u64(struct fit_w *w, uint64_t v);
/* A string in a field of size bytes: cut or NUL-padded to fit. */
void fit_w_str(struct fit_w *w, const char *s, size_t size);
int fit_w_end(struct fit_w *w);

#endif
