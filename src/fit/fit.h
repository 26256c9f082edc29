/* fit.h - FIT files: the decoder (bytes in, struct activity_file out) and a
 * small encoder (struct activity in, FIT bytes out).
 *
 * Data flow: decode/ calls fit_decode_info for bytes that carry the ".FIT"
 * signature (fit_sniff); import/ and inspect get activities from it. The
 * encoder writes the files runcare needs itself: test fixtures, fuzz
 * seeds, benchmark corpora and the demo athlete's watch files.
 *
 * Ownership: arguments are borrowed; what a function fills is the caller's
 * (activity_file_release, rc_buf_release).
 *
 * Decoder policies (README "inspect and --salvage" says the same for people):
 * - CRC: a header CRC of 0x0000 means "not computed" and is accepted; any
 *   other header CRC and every file CRC must match, or the file is refused
 *   with the offset of the CRC and both values.
 * - Salvage (ACTIVITY_SALVAGE): a file with a bad CRC, cut off mid-record or
 *   with garbage inside keeps every complete message before the damage (a
 *   CRC cannot say where the damage is: a part whose CRC fails is kept
 *   whole, and no later part is read); its activity_file and activities
 *   are marked salvaged and a warning says what was wrong where. An
 *   activity file with no complete record or session before the damage
 *   still fails, as does damage in the first header. Without the flag
 *   such files fail, and the message says how many records --salvage
 *   would keep.
 * - Chained files: parts are decoded in turn, each with its own header,
 *   definitions and CRC; `records` counts record messages over every part.
 *   Trailing zero bytes after the last part are ignored with a warning;
 *   anything else after it is damage.
 * - File types: an activity file gives one activity per session (records
 *   and laps go to the session whose time range holds them); an activity
 *   file without sessions gives one activity from its records. Settings,
 *   workout, course, weight, monitoring and other types are a success with
 *   no activities and a note naming the type. */
#ifndef RC_FIT_H
#define RC_FIT_H

#include "base/base.h"
#include "base/buf.h"
#include "base/err.h"
#include "activity/activity.h"

/* ---- Decoding ---- */

/* Decode a whole FIT file with the contract of every decoder
 * (activity/activity.h; flags: enum activity_decode_flags): 0 and *out
 * filled, or -1 with err set (a byte offset and what was wrong) and *out
 * untouched. */
int fit_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err);

#define FIT_INFO_MAX_PARTS 16
#define FIT_INFO_MAX_DEV_FIELDS 32

enum fit_header_crc {
    FIT_HEADER_CRC_NONE, /* 12-byte header: there is none */
    FIT_HEADER_CRC_ZERO, /* 0x0000: not computed */
    FIT_HEADER_CRC_OK,
    FIT_HEADER_CRC_BAD,  /* only with ACTIVITY_SALVAGE */
};

/* One FIT file of a (possibly chained) input. */
struct fit_part_info {
    long offset;            /* of its header in the input */
    unsigned header_size;   /* 12, 14 (or more) */
    unsigned protocol;      /* the version byte: 0x10 = 1.0, 0x20 = 2.0 */
    unsigned profile;       /* 2132 = 21.32 */
    uint32_t data_size;
    enum fit_header_crc header_crc;
    bool crc_ok;            /* the file CRC matched */
};

/* A developer field, as its field_description message describes it, and
 * what the record messages held in it. */
struct fit_dev_field_info {
    uint8_t dev_index, field_num, base_type;
    char name[48];
    char units[16];
    int native_mesg, native_field; /* the native field it mirrors, or -1 */
    long values;                   /* valid values seen in records */
    double min, max, sum;          /* of those values, scaled */
};

/* Facts about the framing of a decoded file, for inspect. Counts are over
 * every part; parts past FIT_INFO_MAX_PARTS are counted in nparts only. */
struct fit_info {
    unsigned nparts;
    struct fit_part_info parts[FIT_INFO_MAX_PARTS];
    long messages;         /* data messages */
    long records;          /* record messages (global 20) */
    long definitions;
    long big_endian_definitions;
    long compressed_timestamps; /* data messages with a compressed header */
    long dev_field_definitions; /* developer fields in definitions */
    long dev_field_messages;    /* data messages carrying developer fields */
    long misaligned_fields; /* fields whose size is no multiple of their
                               base type's: read as bytes, not values */
    unsigned ndev;         /* described developer fields (capped) */
    struct fit_dev_field_info dev[FIT_INFO_MAX_DEV_FIELDS];
};

/* fit_decode that also fills info, a struct fit_info, when not NULL, on
 * success (the decoder registry's form, decode/decode.h). */
int fit_decode_info(const unsigned char *p, size_t n, unsigned flags,
                    struct activity_file *out, void *info,
                    struct rc_err *err);

/* Do the bytes carry the ".FIT" signature of a FIT header (at byte 8)? */
bool fit_sniff(const unsigned char *p, size_t n);

/* ---- Encoding ----
 *
 * fit_write_activity writes one activity as a FIT activity file: file_id
 * (and the device's manufacturer, product, serial and product name),
 * device_info of the creator, a timer start event, one record message per
 * sample (time, position, altitude, distance, speed, heart rate, cadence,
 * power; NAN values as the invalid sentinel), one lap message per lap (in
 * time order among the records), a session message with the totals and
 * sport, a timer stop event and the activity message (with local_timestamp
 * when has_utc_offset). Times are rounded to whole seconds; every time must
 * fall in the FIT range (1998-2126) or the call fails. The session start is
 * start_s, else the first sample's time.
 *
 * fit_write_activities writes n activities as one multisport file: one
 * session per activity, in the given order (their times should not
 * overlap), then one activity message.
 *
 * Options change how the same content is written, to exercise decoders:
 * zero (or a NULL opts) is a plain little-endian file with a 14-byte header
 * and both CRCs. */
enum fit_write_flags {
    FIT_WRITE_HEADER_12 = 1 << 0,       /* 12-byte header, protocol 1.0 */
    FIT_WRITE_HEADER_CRC_ZERO = 1 << 1, /* header CRC 0x0000 (not computed) */
    FIT_WRITE_BIG_ENDIAN = 1 << 2,      /* big-endian definitions (all but
                                           file_id's, so byte orders mix) */
    FIT_WRITE_COMPRESSED_TIME = 1 << 3, /* records less than 32 s after the
                                           last timestamp get a compressed-
                                           timestamp header */
    FIT_WRITE_DEVELOPER = 1 << 4,       /* power as a described developer
                                           field mirroring record power (the
                                           native field left out), plus a
                                           3-byte developer field that is
                                           never described */
    FIT_WRITE_DEV_LATE = 1 << 5,        /* with _DEVELOPER: describe the
                                           field after the first record */
    FIT_WRITE_REDEFINE = 1 << 6,        /* one local type for every message,
                                           redefined at each change */
    FIT_WRITE_SUMMARY_FIRST = 1 << 7,   /* laps, sessions and the activity
                                           message before the records */
    FIT_WRITE_ENHANCED = 1 << 8,        /* enhanced (32-bit) speed and
                                           altitude beside the 16-bit fields,
                                           which saturate */
    FIT_WRITE_NO_SUMMARY = 1 << 9,      /* no laps, sessions, stop event or
                                           activity message: a watch whose
                                           battery died */
};

struct fit_write_opts {
    unsigned flags;           /* enum fit_write_flags */
    unsigned parts;           /* chained: spread the records over this many
                                 FIT files (0 or 1: one file) */
    uint8_t file_type;        /* file_id type; 0 = 4 (activity). Another
                                 type (6 course, 2 settings...) writes the
                                 same messages under that type */
    uint16_t profile_version; /* 0 = 2132 */
};

/* Append the FIT bytes of activity a to out. 0, or -1 with err set (a time
 * outside the FIT range, more samples than fit in 4 GB, memory, the
 * buffer's cap); out then holds what it held before. */
int fit_write_activity(const struct activity *a,
                       const struct fit_write_opts *opts, struct rc_buf *out,
                       struct rc_err *err);

/* The same for n (1 to ACTIVITY_FILE_MAX_ACTIVITIES) activities as the
 * sessions of one file. */
int fit_write_activities(const struct activity *acts, size_t n,
                         const struct fit_write_opts *opts,
                         struct rc_buf *out, struct rc_err *err);


#endif
