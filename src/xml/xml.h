/* xml.h - Expat set up for activity files, shared by the GPX and TCX
 * decoders (gpx/, tcx/): bytes in, a stream of element events out.
 *
 * Data flow: decode_buffer -> gpx_decode / tcx_decode -> xml_decode ->
 * xml_read -> Expat -> the decoder's start/end handlers -> struct activity.
 * The document is streamed: no tree is built and nothing is kept but the
 * text of the element the decoder asked for (xml_capture).
 *
 * What xml_read adds to plain Expat:
 *   - Names without prefixes. Handlers see local names ("hr" for
 *     "gpxtpx:hr"): decoders match vendor extensions by name, whatever
 *     prefix or namespace the exporting app chose. Expat runs without
 *     namespace processing; xml_read tracks xmlns:p declarations itself, so
 *     that an undeclared prefix (Strava's gpxdata:) is read anyway, with a
 *     warning naming the repair.
 *   - The lenient repairs runners' own exports need, each recorded as a
 *     warning in the activity_file: blanks (and a byte-order mark) before
 *     the XML declaration, which Expat rejects, are skipped.
 *   - Limits against hostile input: entity declarations are refused (no
 *     "billion laughs", no external entities; Expat never opens a file or
 *     URL); a text node (kept or not) or an attribute value over
 *     RC_XML_TEXT_MAX bytes is an error; nesting deeper than
 *     RC_XML_MAX_DEPTH is an error; Expat's own memory (names and tags
 *     included) is capped at twice the input plus RC_XML_EXPAT_SLACK bytes,
 *     past which the document is an error, not an allocation.
 *   - Errors with the line and column: Expat's line, and its column made
 *     1-based (Expat counts columns from 0), corrected for skipped bytes.
 *     A malformed or cut-off document is "damaged" (see xml_read), which
 *     lets a decoder salvage what it read before the damage.
 *
 * Ownership: everything is borrowed; the reader allocates only while
 * xml_read runs (through base/alloc.h, so tests can fail each
 * allocation) and frees it all before returning. */
#ifndef RC_XML_H
#define RC_XML_H

#include "base/base.h"
#include "base/buf.h"
#include "base/err.h"
#include "activity/activity.h"

/* Largest text node or attribute value, in bytes (1 MiB). A GPS point's
 * text is tens of bytes; a track's <desc> a few kB. */
#define RC_XML_TEXT_MAX ((size_t)1 << 20)
/* Deepest element nesting; GPX and TCX need about 10 levels. */
#define RC_XML_MAX_DEPTH 256
/* Expat's memory beyond its copy of the input (which may round up to twice
 * the input): tag stacks, attribute arrays, name tables. */
#define RC_XML_EXPAT_SLACK ((size_t)32 << 20)

struct xml_reader; /* opaque; handlers receive it */

struct xml_handlers {
    /* An element opens. name: its local name (prefix removed); attrs:
     * Expat's NULL-terminated name, value, name, value... (read them with
     * xml_attr). Return 0 to go on, or -1 after xml_fail (or another
     * rc_fail on the reader's err) to stop. */
    int (*start)(struct xml_reader *r, void *ud, const char *name,
                 const char **attrs);
    /* An element closes. text/len: the text it held (NUL-terminated) if
     * start called xml_capture, else NULL and 0. Return as start. */
    int (*end)(struct xml_reader *r, void *ud, const char *name,
               const char *text, size_t len);
};

/* Parse the document in p[0..n), calling h with ud. Repairs are recorded
 * in warn (activity_file_warn). Returns 0, or -1 with err set: with
 * *damaged true when the XML itself is malformed or cut off (a syntax
 * error from Expat, err giving its line and column), false for everything
 * else (a handler's error, a limit, a refused entity, no memory). */
int xml_read(const unsigned char *p, size_t n, const struct xml_handlers *h,
             void *ud, struct activity_file *warn, bool *damaged,
             struct rc_err *err);

/* ---- the decoding GPX and TCX share ----
 *
 * Both read a file activity by activity into one state that begins with a
 * struct xml_doc; xml_decode runs the rest: the state (zeroed), xml_read,
 * keeping what came before damage (ACTIVITY_SALVAGE), the totals, the
 * hand-over. */

/* The start of a decoder's state: what xml_decode sets up and frees. */
struct xml_doc {
    struct rc_err *err;     /* the decode's error (the reader's) */
    struct activity_file f; /* handed to the caller only on success */
    struct activity act;    /* the activity being read (zeroed at first:
                               activity_init it when one begins) */
};

struct xml_decoder {
    const char *format;  /* "gpx": activity_file.format */
    const char *records; /* what its records are: "track points" */
    size_t state_size;   /* of the decoder's state (a struct xml_doc first) */
    struct xml_handlers handlers; /* ud: the state */
    /* The document broke off or is malformed at err's position and the
     * caller asked for ACTIVITY_SALVAGE: drop the record the damage is in,
     * add the activity being read if it has any, and return how many
     * records are kept; -1 with err set when memory ran out. */
    long (*salvage)(void *state, struct rc_err *err);
    /* The end of a good (or salvaged) file, after the totals: set f's
     * records, file type and note, add the warnings of what was left out,
     * and fill *info (the decoder's counts) when not NULL. */
    void (*finish)(void *state, void *info);
};

/* Decode the document in p[0..n) with d, with the decoders' contract
 * (activity/activity.h). A salvaged file keeps at least one activity, is
 * marked salvaged and says in a warning where the damage is and how many
 * records came before it; every activity gets activity_fill_totals. */
int xml_decode(const unsigned char *p, size_t n, unsigned flags,
               const struct xml_decoder *d, struct activity_file *out,
               void *info, struct rc_err *err);

/* ---- for the decoders' handlers ---- */

/* In a start handler: keep the text of this element (and of any element
 * inside it) and pass it to the end handler. */
void xml_capture(struct xml_reader *r);

/* Where the current event is: 1-based line and column. */
long xml_line(const struct xml_reader *r);
long xml_column(const struct xml_reader *r);

/* Record an input error at the current line and column in the reader's
 * err and stop parsing. Returns -1 (for `return xml_fail(...)`). */
int xml_fail(struct xml_reader *r, const char *fmt, ...) RC_PRINTF(2, 3);

/* The value of the attribute whose local name is name, or NULL. */
const char *xml_attr(const char **attrs, const char *name);

/* Parse a decimal number: optional blanks, sign, digits with an optional
 * fraction and exponent, optional blanks. Returns 1 with *v set; 0 with *v
 * = NAN when s is empty or blank (not recorded); -1 when s is anything else
 * (text, "nan", "inf", hex, a value that overflows a double). Correctly
 * rounded for up to 15 significant digits (all GPS and sensor values);
 * longer mantissas (Garmin writes 30-digit coordinates) are within 2 ulp. */
int xml_number(const char *s, double *v);

/* Parse an ISO 8601 instant as rc_time_parse does. Returns 1 with *t set,
 * and *offset_s (local - UTC) with *has_offset true when the text names a
 * numeric offset ("+01:00"; "Z" says UTC, not the runner's local time); 0
 * with *t = NAN for blank text; -1 for anything else. */
int xml_time(const char *s, double *t, int *offset_s, bool *has_offset);

/* Copy the text into out (size n > 0), NUL-terminated, cut at a UTF-8
 * character boundary when it does not fit, blanks trimmed at both ends. */
void xml_copy_text(char *out, size_t n, const char *text, size_t len);

/* A value that cannot be read ("null" where a number belongs, as Strava
 * writes in gpxx:Temperature) is read as not recorded: the first time for
 * each *warned flag, record a warning naming what (e.g. "<hr>"), the text,
 * the line and kind ("a number", "an ISO 8601 time"). */
void xml_bad_value(struct xml_reader *r, bool *warned, const char *what,
                   const char *text, const char *kind);

/* Read the number in text (of the element named element) into *field
 * unless *field already holds one (the first value wins: apps often write
 * the same value twice, as gpxtpx:hr and as heartrate). Blank text changes
 * nothing; text that is not a number goes to xml_bad_value. */
void xml_read_float(struct xml_reader *r, bool *warned, const char *element,
                    const char *text, float *field);

/* A heart rate as read, or NAN for what watches write when there is no
 * signal: 0, and 255 (the "invalid" byte Garmin's Forerunner 110 writes in
 * every lap and trackpoint when no strap is worn). */
static inline float xml_hr_bpm(float bpm)
{
    return bpm > 0 && bpm < 255 ? bpm : NAN;
}

/* Set a->sport (and sub_sport) from the name of a sport as GPX <type> and
 * TCX Sport="..." write it: Garmin's "running", "Biking", "trail_running",
 * Strava's numbers ("9" run, "1" ride, "4" hike, "10" walk, "16" swim),
 * case-insensitive. Unknown names leave the activity "generic". */
void xml_set_sport(struct activity *a, const char *text, size_t len);

/* ---- recognising a document by its root element, cheaply ---- */

/* Does the root element of p[0..n) (after a byte-order mark, blanks, the
 * XML declaration, comments and a doctype; its prefix aside) have this
 * name? For sniffing: nothing is parsed. */
bool xml_root_is(const unsigned char *p, size_t n, const char *name);

/* Where the root element's name starts in p[0..n) (just after its '<'),
 * or NULL when the bytes do not begin like XML. */
const unsigned char *xml_root_name(const unsigned char *p, size_t n);

/* ---- for the writers (gpx_write.c; tests/unit/lib_tcx_write.c) ---- */

/* Append text with &, <, >, " and ' escaped, and control characters XML
 * 1.0 cannot hold replaced by blanks. -1 with err set if out is full. */
int xml_put_text(struct rc_buf *out, const char *text, struct rc_err *err);

/* Append an instant as "2019-06-15T09:42:23Z", or "...:23.250Z" when it is
 * not a whole second (milliseconds, as Garmin Connect writes them). */
int xml_put_time(struct rc_buf *out, double t, struct rc_err *err);

#endif
