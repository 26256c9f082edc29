/* manifest.h - reading ../shared/data/activities/MANIFEST.tsv in tests
 * (tests/unit/lib_manifest.c), so that the real files are checked against
 * the counts their notes give.
 *
 * Include after testlib.h. */
#ifndef RC_MANIFEST_H
#define RC_MANIFEST_H

#include "base/base.h"

struct manifest_row {
    char file[256];   /* "gpx/togeojson__run.gpx", relative to activities/ */
    char path[1024];  /* the file's full path */
    char notes[2048]; /* the notes column */
};

/* Call fn for every row whose file starts with prefix and ends with suffix
 * (either may be ""). Returns the number of rows matched; fails the test
 * if the manifest cannot be read. data is test_shared_data(). */
int test_manifest_each(const char *data, const char *prefix,
                       const char *suffix,
                       void (*fn)(const struct manifest_row *row, void *ud),
                       void *ud);

/* The number in front of `what` in the notes ("1286 trkpt" for " trkpt"),
 * or -1 if the notes have no such count. */
long test_note_count(const char *notes, const char *what);

/* The numbers after `what` in the notes: "expat: line %ld col %ld". 0 and
 * both set, or -1. */
int test_note_pair(const char *notes, const char *what, long *a, long *b);

/* Problems found over many files, reported together at the end. */
struct manifest_tally {
    int files, failed;
    char why[2048];
};

/* Count one failed file and add "file: message" to t->why. */
void test_complain(struct manifest_tally *t, const char *file,
                   const char *fmt, ...) RC_PRINTF(3, 4);

/* For a cut-off file (its note gives "expat: line L col C", the column
 * counted from 0): decoding must fail at line L, column C + 1, saying the
 * file is cut off; with ACTIVITY_SALVAGE it must keep one salvaged activity
 * with the number of points the note counts before `complete_what` (e.g.
 * " complete <trkpt>"). Rows without such a note are passed over. Problems
 * go to t. Decodes through decode_buffer, so the format is found as
 * runcare finds it. */
void test_check_cut_off(const struct manifest_row *row,
                        struct manifest_tally *t, const char *complete_what);

#endif
