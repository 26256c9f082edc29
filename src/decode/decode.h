/* decode.h - one entry point for every activity file format.
 *
 * Recognises the format by content (not by file name: a Strava export holds
 * ".fit.gz" files named by number, runners rename files) and calls the
 * decoder. inspect and import both decode through here, so they agree. */
#ifndef RC_DECODE_H
#define RC_DECODE_H

#include "base/base.h"
#include "base/err.h"
#include "activity/activity.h"

enum decode_format {
    DECODE_UNKNOWN = 0,
    DECODE_FIT,
    DECODE_GPX,
    DECODE_TCX,
};

/* The format of the bytes: FIT by its header signature, GPX and TCX by the
 * first element (after a byte-order mark, blanks, the XML declaration,
 * comments and a doctype). DECODE_UNKNOWN if none. */
enum decode_format decode_sniff(const unsigned char *p, size_t n);

/* "fit", "gpx", "tcx" or "unknown". */
const char *decode_format_name(enum decode_format fmt);

/* Decode the whole file in p[0..n). On success fills *out (which the caller
 * later releases) and returns 0; a file that is not an activity (settings,
 * course, route) is a success with no activities and out->note saying why.
 * On failure returns -1 with err set (offset or line, what was wrong) and
 * *out untouched: nothing half-built escapes. */
int decode_buffer(const unsigned char *p, size_t n, unsigned flags,
                  struct activity_file *out, struct rc_err *err);

#endif
