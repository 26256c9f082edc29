/* import.h - bring activity files into the log: single files, folders
 * (recursive), .gz files and .zip archives, including the bulk exports
 * Strava and Garmin Connect give their users.
 *
 * Data flow: PATH... -> a walker thread (folders, archives streamed member
 * by member, Strava's activities.csv) -> worker threads (gunzip, SHA-256,
 * decode) -> one writer, the calling thread (duplicates, store). import/
 * prints nothing: progress and the summary go back to the caller (cli/).
 *
 * What a file becomes (enum store_import_status, one import-log line each):
 *  - the same bytes as a file already stored (by SHA-256, computed before
 *    decoding): a duplicate, not decoded again;
 *  - the same run as a stored activity (same sport, starts within
 *    IMPORT_SAME_RUN_START_S, time overlap above IMPORT_SAME_RUN_OVERLAP):
 *    both are kept, the richer recording stands for the run (more
 *    channels, then the format's rank in the registry: FIT over TCX over
 *    GPX, then more samples) and the other is marked a duplicate of it;
 *  - a settings/course/route file: "not an activity";
 *  - unreadable, undecodable, hostile (zip bomb, a member name that leaves
 *    the archive, a symlink loop): failed, with the reason; the rest of the
 *    batch goes on.
 * Each file is one unit (its source, activities and log line: a savepoint)
 * and about 32 files share a transaction: a crash at any moment leaves
 * every file whole or absent, and running the import again finishes the
 * job.
 *
 * Memory: archive members are streamed (64 KiB reads); files in flight
 * between the threads, read or decoded and waiting for the writer, are at
 * most IMPORT_QUEUE_BYTES of file contents and IMPORT_OUT_ITEMS decoded
 * files, and no file larger than IMPORT_MAX_FILE_BYTES (after
 * decompression) is read. */
#ifndef RC_IMPORT_H
#define RC_IMPORT_H

#include "base/base.h"
#include "base/err.h"
#include "activity/activity.h"
#include "store/store.h"

/* "The same run recorded twice": a watch and a phone started within two
 * minutes of each other, and the time both cover is more than 80% of the
 * time either covers (intersection over union of [start, start+elapsed]). */
#define IMPORT_SAME_RUN_START_S 120.0
#define IMPORT_SAME_RUN_OVERLAP 0.80

/* A 24-hour ultra at 1 s is about 5 MB of FIT and 40 MB of GPX; a member
 * that expands past this is not an activity (a zip bomb, at worst). */
#define IMPORT_MAX_FILE_BYTES ((size_t)128 << 20)
/* Bytes of file contents in flight between walker, workers and writer. */
#define IMPORT_QUEUE_BYTES ((size_t)48 << 20)
/* Decoded files waiting for the writer: enough that the workers go on
 * decoding while the writer waits for the disk (two syncs of a checkpoint:
 * 40 ms on a disk that takes 20 ms to sync is about 100 files), a few MB
 * of sample blobs; IMPORT_QUEUE_BYTES bounds them too. */
#define IMPORT_OUT_ITEMS 256
/* Zips inside zips (Garmin's UploadedFiles_*.zip) up to this depth. */
#define IMPORT_MAX_NESTING 4

enum import_flags {
    IMPORT_SALVAGE = 1 << 0, /* keep what precedes damage (ACTIVITY_SALVAGE) */
    /* bring back the activities of files already imported that the
     * runner removed (store_activity_set_deleted); without it they stay
     * removed, and are counted (import_summary.removed) */
    IMPORT_RESTORE = 1 << 1,
};

struct import_progress {
    long files;          /* files finished */
    uint64_t bytes_done; /* input bytes read (as on disk, compressed) */
    uint64_t bytes_total; /* input bytes to read, 0 if unknown */
    double elapsed_s;
    bool done;            /* the last call */
};

/* A decoder with the contract of decode_buffer (decode/decode.h). */
typedef int (*import_decode_fn)(const unsigned char *p, size_t n,
                                unsigned flags, struct activity_file *out,
                                struct rc_err *err);

struct import_opts {
    unsigned flags;  /* enum import_flags */
    int threads;     /* decoding threads; 0: one per core */
    /* Called from the calling thread about ten times a second, and once
     * with done set at the end. NULL: none. */
    void (*progress)(const struct import_progress *p, void *ctx);
    void *ctx;
    import_decode_fn decode; /* NULL: decode_buffer */
};

struct import_failure {
    char path[1024];
    char reason[512]; /* "offset 8: missing \".FIT\" signature" */
};

struct import_summary {
    int64_t run;        /* its number in the import log */
    long files;         /* every file seen */
    long imported;      /* files whose activities were added */
    long activities;    /* how many more activities the log holds now */
    long duplicates;    /* files with the same bytes or run, and stored
                           recordings a richer one replaced */
    long not_activities;
    long salvaged;      /* imported with --salvage from damaged files */
    long skipped;       /* not activity files by name (JSON, photos...) */
    long removed;       /* duplicates whose activity the runner removed */
    long restored;      /* of those, brought back (IMPORT_RESTORE) */
    long failed;
    long strava_rows;   /* activities.csv rows applied */
    long strava_manual; /* of those, activities entered by hand on Strava
                           (no file), added as logged runs */
    struct import_failure *failures; /* the first IMPORT_MAX_FAILURES */
    size_t nfailures;
    struct store_totals totals; /* the whole log, after the import */
};
#define IMPORT_MAX_FAILURES 1000

/* Import every path into s. Returns 0 when the batch ran to the end, even
 * if files failed (sum->failed; the CLI exits 1); -1 with err set when it
 * could not go on (the database, memory). sum is filled in both cases;
 * release it with import_summary_release. */
int import_paths(struct store *s, char *const *paths, size_t npaths,
                 const struct import_opts *opts, struct import_summary *sum,
                 struct rc_err *err);

/* import_paths in two steps, for a log that is opened in between: a new
 * log takes five syncs of the disk to create (0.1 s on a disk that takes
 * 20 ms a sync), and its files can be read and decoded meanwhile, since
 * none of them can be in it yet. import_begin starts the threads at once
 * when new_log, else import_end starts them once it has read the log's
 * hashes. If the log turns out to hold files after all (another import
 * made it first), the writer finds them, as it finds those of an import
 * running alongside. paths and opts must outlive the job. -1 with err set
 * (memory, threads). */
struct import_job;
int import_begin(char *const *paths, size_t npaths,
                 const struct import_opts *opts, bool new_log,
                 struct import_job **job, struct rc_err *err);

/* Store the job's files into s, as import_paths; s NULL: the log could
 * not be opened, the threads are stopped and nothing is stored (0). Frees
 * the job in every case. */
int import_end(struct import_job *job, struct store *s,
               struct import_summary *sum, struct rc_err *err);

void import_summary_release(struct import_summary *sum);

/* Is b the same run as a (the rule above)? */
bool import_same_run(const struct activity *a, const struct activity *b);

/* Which recording of one run stands for it: >0 if a is richer than b, <0
 * if b is, 0 if they are alike. channels: enum store_channel bits. */
int import_richer(const char *format_a, unsigned channels_a, long samples_a,
                  const char *format_b, unsigned channels_b, long samples_b);

/* ---- Strava's activities.csv ---- */

struct strava_row {
    char *filename;    /* "activities/123.fit.gz", "" for a manual entry */
    char *name, *type, *description, *gear;
    char *id, *date;   /* "Activity ID", "Activity Date" ("" if none) */
    double elapsed_s, moving_s, distance_m; /* NAN: not there */
};

struct strava_csv {
    struct strava_row *rows;
    size_t nrows;
};

/* Parse activities.csv (RFC 4180: quoted fields, "" inside quotes, fields
 * across lines, CRLF). Columns are found by their header names (Filename,
 * Activity Name, Activity Type, Activity Description, Activity Gear,
 * Activity ID, Activity Date, Elapsed Time, Moving Time, Distance; the
 * first of a repeated name, but Distance: see strava_csv.c). -1 with err
 * naming the line on a broken file or one without a Filename column. */
int import_strava_csv_parse(const char *p, size_t n, struct strava_csv *out,
                            struct rc_err *err);
void import_strava_csv_release(struct strava_csv *c);

/* Strava's "Activity Date" ("Dec 3, 2023, 5:30:12 PM", UTC) or an ISO
 * time as Unix seconds; NAN when it is neither. */
double import_strava_date(const char *text);

/* runcare's sport for a Strava activity type ("Run" -> running, "Trail
 * Run" -> running/trail, "Ride" -> cycling ...); NULL when unknown. */
const char *import_strava_sport(const char *type, const char **sub_sport);

#endif
