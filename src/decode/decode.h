/* decode.h - the registry of activity file formats: one entry per format,
 * and one entry point that decodes any of them.
 *
 * A format is recognised by content (not by file name: a Strava export
 * holds ".fit.gz" files named by number, runners rename files). import and
 * inspect both decode through here, so they agree; import also takes from
 * the registry which names are activity files inside folders and archives
 * (extensions) and which recording of a run recorded twice stands for it
 * (rank).
 *
 * Data flow: import/, cli/ (inspect) -> decode/ -> fit/, gpx/, tcx/ ->
 * activity/. The decoders do not know the registry; the registry's one
 * table (decode.c) names each decoder's functions. */
#ifndef RC_DECODE_H
#define RC_DECODE_H

#include "base/base.h"
#include "base/err.h"
#include "activity/activity.h"

#define DECODE_MAX_EXTENSIONS 4

struct decode_format {
    const char *name; /* "fit": activity_file.format, the log's format */
    /* what names in folders and archives are files of this format (a name
     * ending in ".gz" is unpacked and sniffed whatever it holds) */
    const char *extensions[DECODE_MAX_EXTENSIONS]; /* ".fit"; NULL ends */
    /* The same run recorded twice (import.h): when both recordings have as
     * many channels, the one of the higher rank stands for the run. */
    int rank;
    /* Do the bytes look like this format? Cheap: the first bytes only. */
    bool (*sniff)(const unsigned char *p, size_t n);
    /* Decode with the decoders' contract (activity/activity.h). info, when
     * not NULL, points to info_size bytes the decoder fills on success
     * with what it saw of the file besides its activities (for inspect:
     * struct fit_info, gpx_counts, tcx_counts). */
    int (*decode)(const unsigned char *p, size_t n, unsigned flags,
                  struct activity_file *out, void *info, struct rc_err *err);
    size_t info_size;
};

/* Every format, in the order they are sniffed; the array ends with an
 * entry whose name is NULL. */
extern const struct decode_format decode_formats[];

/* The format of the bytes by their content, or NULL if none. */
const struct decode_format *decode_sniff(const unsigned char *p, size_t n);

/* The format of this name ("fit"), or NULL. */
const struct decode_format *decode_find(const char *name);

/* Does the file name end (case aside) with a format's extension? */
bool decode_name_matches(const char *name);

/* Decode p[0..n) as fmt (from decode_sniff; NULL: no format matched, and
 * the error says what the bytes are instead), with the decoders' contract;
 * info as in struct decode_format (NULL: not wanted). An empty file is an
 * error at offset 0. */
int decode_as(const struct decode_format *fmt, const unsigned char *p,
              size_t n, unsigned flags, struct activity_file *out,
              void *info, struct rc_err *err);

/* Decode the whole file in p[0..n) in the format its content shows: 0 and
 * *out filled, or -1 with err set and *out untouched (the decoders'
 * contract, activity/activity.h). */
int decode_buffer(const unsigned char *p, size_t n, unsigned flags,
                  struct activity_file *out, struct rc_err *err);

#endif
