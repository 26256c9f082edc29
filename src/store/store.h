/* store.h - the training log: activities, their sources, shoes, RPE and
 * notes, the import log and the pain diary, behind one backend-neutral
 * interface.
 *
 * Data flow: import/ and cli/ write decoded activities here; load/, triage/
 * (through cli/) and the web page read them back. Two backends behind
 * it: one SQLite file (WAL, numbered migrations) for a runner, and
 * PostgreSQL (libpq; every row keyed by athlete, row-level security) for
 * a club; their SQL is written once (store_int.h) and is runcare's only
 * SQL.
 *
 * Ownership: arguments are borrowed. Arrays returned through `**out` are the
 * caller's: free() them (store_reports_free for reports, whose strings are
 * allocated too). A struct store is used by one thread at a time; import
 * decodes on many threads and writes from one.
 *
 * Errors: -1 (or NULL) with err set. A database that cannot be opened,
 * read or written is RC_EENV (exit 3) and names the file; a bad value from
 * the runner (an unknown shoe, an RPE of 11) is RC_EINPUT (exit 1).
 *
 * Days: "local day" is the day number (base/time.h) of the start in the
 * runner's local time when the file says the offset, else in UTC. */
#ifndef RC_STORE_H
#define RC_STORE_H

#include "base/base.h"
#include "base/buf.h"
#include "base/err.h"
#include "activity/activity.h"

enum store_flags {
    STORE_CREATE = 1 << 0, /* create the folder and the file when missing */
    /* PostgreSQL: in a database without athletes, do not make the
     * connecting role one (the club's commands: athlete add, club) */
    STORE_CLUB = 1 << 1,
};

/* A shoe's retire limit when none is given: 700 km, the middle of the
 * 500-800 km that shoe makers and running shops quote for road shoes. */
#define STORE_SHOE_LIMIT_KM 700.0

struct store;

/* Open (and with STORE_CREATE create, with its folder) the database at path
 * and bring its schema up to date. NULL with err set (RC_EENV) when the file
 * cannot be opened or created, is not a runcare database, or was written by
 * a newer runcare (its schema version is above store_schema_latest()). */
struct store *store_open(const char *path, unsigned flags,
                         struct rc_err *err);

/* As store_open, but migrate only up to schema version `version` (0 = an
 * empty file). For the tests of migrations: the resulting store is only fit
 * for store_close. */
struct store *store_open_at(const char *path, unsigned flags, int version,
                            struct rc_err *err);

/* Close and free; NULL is fine. */
void store_close(struct store *s);

/* Does path name a PostgreSQL database ("postgresql://..." or
 * "postgres://...", a libpq URL) rather than a SQLite file? */
bool store_path_is_pg(const char *path);

/* May s serve another call as it is: PostgreSQL, still connected (what
 * the server sent meanwhile is read without waiting: a backend that was
 * ended says so), outside any transaction (app_pool keeps such ones
 * open). False for SQLite. */
bool store_reusable(struct store *s);

/* ---- athletes: whose log ----
 *
 * Every row of a PostgreSQL store belongs to one athlete; a connection
 * reads and writes one athlete's rows at a time (row-level security sees
 * to it), chosen on open (the connecting role's own athlete, else the
 * only one, else none: store_athlete is then "") or by store_use_athlete.
 * A SQLite file is one athlete's log: store_use_athlete accepts the name
 * the file was given (athlete add), or any name while it has none. */
struct store_athlete {
    char name[64];
    char role[64];  /* the PostgreSQL role that is this athlete; "" SQLite */
    bool own;       /* the connecting role is this athlete */
    bool coach;     /* the connecting role coaches this athlete */
    double added_s;
};

/* A name runcare accepts: 1-63 bytes of letters, digits, '_', '-', '.',
 * starting with a letter (it becomes a role name). RC_EINPUT naming it. */
int store_athlete_name_check(const char *name, struct rc_err *err);

int store_use_athlete(struct store *s, const char *name, struct rc_err *err);
const char *store_athlete(const struct store *s);

/* PostgreSQL: add an athlete and its role (made if missing: LOGIN, in
 * runcare_member), which then sees and changes only its own rows. SQLite:
 * name the file's athlete (RC_EINPUT when it has another already). */
int store_athlete_add(struct store *s, const char *name, struct rc_err *err);

/* The athletes the connecting role may see, by name (byte order, as
 * strcmp and store_list_club). */
int store_athlete_list(struct store *s, struct store_athlete **out,
                       size_t *n, struct rc_err *err);

/* Remove an athlete: RC_EINPUT when it has activities, unless with_log,
 * which removes its whole log too. Its role stays (it may be a login
 * someone uses) but leaves runcare_member. */
int store_athlete_rm(struct store *s, const char *name, bool with_log,
                     struct rc_err *err);

/* Copy the whole log of from's athlete (every table, ids kept) into to's
 * athlete, which must hold nothing yet (RC_EINPUT naming the store);
 * one transaction of to. *rows (may be NULL): the rows copied. */
int store_copy_log(struct store *from, struct store *to, long *rows,
                   struct rc_err *err);

/* PostgreSQL: let role coach (made if missing) read athlete's log. */
int store_athlete_grant(struct store *s, const char *coach,
                        const char *athlete, struct rc_err *err);

/* Check the whole database: SQLite's integrity and foreign-key checks, and
 * runcare's own rules (every activity's laps and sample blob are there and
 * match its counts; every imported file's activity exists). 0, or -1 with
 * err (RC_EENV) saying what is wrong. */
int store_check(struct store *s, struct rc_err *err);

/* The schema version this runcare writes, and the one of an open store. */
int store_schema_latest(void);
int store_schema_version(struct store *s);

/* Transactions: every write function below runs in its own transaction
 * unless the caller has begun one; import groups several files in one,
 * each file's activities, source and log line a unit (below). Rollback
 * never fails (errors are ignored). */
int store_begin(struct store *s, struct rc_err *err);
int store_commit(struct store *s, struct rc_err *err);
void store_rollback(struct store *s);

/* A unit inside the caller's transaction (a savepoint): store_unit_end
 * keeps its writes for the transaction's commit, store_unit_undo drops
 * them and leaves the rest of the transaction as it was. Import writes a
 * file as one unit, and commits several files' units together. */
int store_unit_begin(struct store *s, struct rc_err *err);
int store_unit_end(struct store *s, struct rc_err *err);
void store_unit_undo(struct store *s);

/* A long run of commits (an import): SQLite's checkpoints, which copy the
 * write-ahead log into the database and sync both files, run on a thread
 * of their own instead of inside the commit that fills the log, so the
 * writer does not wait for the disk; the log stays bounded. Durability and
 * a kill -9's outcome are as without it. Nothing under PostgreSQL; when
 * the thread cannot start, SQLite checkpoints as usual (not an error).
 * store_bulk_end stops it (store_close does too) and returns how often the
 * writer waited for a checkpoint to bound the log.
 *
 * wal_bytes bounds the log (0: STORE_BULK_WAL_BYTES). Once it holds that
 * much, the writer waits after its commit for a checkpoint that covers it
 * (two syncs of the disk), so that the log starts over; fewer, larger
 * cycles wait less often on a disk slow to sync. */
#define STORE_BULK_WAL_BYTES ((size_t)64 << 20)
int store_bulk_begin(struct store *s, size_t wal_bytes, struct rc_err *err);
long store_bulk_end(struct store *s);

/* ---- sources: the files activities came from ---- */

struct store_source {
    char path[1024]; /* as imported; "export.zip:activities/1.fit.gz" */
    int64_t size;    /* bytes, after gunzip */
    unsigned char sha256[32];      /* of the content (after gunzip) */
    unsigned char raw_sha256[32];  /* of the bytes as read (a .fit.gz) */
    bool has_raw;                  /* raw_sha256 is set: it was compressed */
    unsigned char seen_key[32];    /* of "file", path, size, mtime */
    bool has_seen;                 /* seen_key is set: read from disk */
    char format[8];   /* "fit", "gpx", "tcx" */
    char device[96];  /* "garmin Forerunner 945", "" unknown */
    char note[128];   /* why the file holds no activity, "" if it does */
    double imported_s;
};

/* Record a file. *id is its row. The hash must be new (store_source_find). */
int store_add_source(struct store *s, const struct store_source *src,
                     int64_t *id, struct rc_err *err);

/* 1 and *id when a file with this hash was stored (as the hash of its
 * content, of its compressed bytes, or its seen_key), 0 when not, -1. */
int store_source_find(struct store *s, const unsigned char sha256[32],
                      int64_t *id, struct rc_err *err);

/* Every stored key: hashes of contents and of compressed bytes, seen_keys
 * and archive keys, in *out (32 bytes each, free() it), *n of them. */
int store_source_hashes(struct store *s, unsigned char **out, size_t *n,
                        struct rc_err *err);

/* A zip imported in full: its key (SHA-256 of "zip", path, size, mtime),
 * how many of its members were activity files (stored or duplicates) and
 * how many were skipped by name. */
int store_archive_done(struct store *s, const unsigned char key[32],
                       const char *path, long files, long skipped,
                       struct rc_err *err);

/* 1 and the counts when the zip with this key was imported in full, 0 when
 * not, -1. */
int store_archive_find(struct store *s, const unsigned char key[32],
                       long *files, long *skipped, struct rc_err *err);

/* The first activity of a source (0 if it holds none), following
 * duplicate_of to the activity that stands for it; *deleted (may be NULL):
 * that activity was removed (runcare rm). One prepared statement: import
 * asks it for every file it meets again. */
int store_source_activity(struct store *s, int64_t source_id, int64_t *id,
                          bool *deleted, struct rc_err *err);

/* ---- activities ---- */

/* Channels of the sample stream, one bit each (the blob's mask). */
enum store_channel {
    STORE_CH_TIME = 1 << 0,
    STORE_CH_LAT = 1 << 1,
    STORE_CH_LON = 1 << 2,
    STORE_CH_ALT = 1 << 3,
    STORE_CH_DIST = 1 << 4,
    STORE_CH_SPEED = 1 << 5,
    STORE_CH_HR = 1 << 6,
    STORE_CH_CADENCE = 1 << 7,
    STORE_CH_POWER = 1 << 8,
    STORE_CH_TEMP = 1 << 9,
};
#define STORE_CH_COUNT 10

/* An activity as listed: its totals in act (no laps, no samples: act needs
 * no release), and what the runner added. */
struct store_activity {
    int64_t id;
    struct activity act;
    long local_day;
    float rpe;            /* CR-10, NAN if not rated */
    int64_t shoe_id;      /* 0 none */
    char shoe[64];        /* "" none */
    char format[8];       /* "fit", "gpx", "tcx", "manual" */
    unsigned channels;    /* enum store_channel bits */
    long nsamples;
    int64_t source_id;    /* 0 for a run logged by hand */
    int64_t duplicate_of; /* 0 unless another recording stands for it */
    bool deleted;         /* removed by the runner (store_activity_rm) */
};

/* Store a decoded activity (totals, laps and the samples as one blob) from
 * source_id (0 for a run logged by hand; format then "manual"). A running
 * activity gets the shoe in use on its day: the default shoe if it was
 * (from its since_day, and not retired), else the shoe with dates that
 * was (the newest); none when none was. *id is the new activity. */
int store_add_activity(struct store *s, const struct activity *a,
                       int64_t source_id, int64_t *id, struct rc_err *err);

/* The sample stream of an activity, already encoded (store_samples_encode),
 * so that import can encode on its decoding threads. */
struct store_samples {
    const unsigned char *blob;
    size_t len;
    unsigned channels; /* enum store_channel bits */
    size_t count;      /* samples in the blob */
};

/* As store_add_activity, with the samples given as a blob; a's own samples
 * are ignored. */
int store_add_activity_encoded(struct store *s, const struct activity *a,
                               const struct store_samples *smp,
                               int64_t source_id, int64_t *id,
                               struct rc_err *err);

struct store_filter {
    long since_day, until_day; /* local days, inclusive; LONG_MIN/LONG_MAX */
    const char *sport;         /* NULL: every sport */
    bool duplicates;           /* list recordings superseded by another */
};

/* Every day, every sport, no duplicates. */
void store_filter_init(struct store_filter *f);

/* The activities that match, oldest first, without samples: fast (one
 * query, no samples read; 3,500 runs in about 4 ms, bench/RESULTS.md). */
int store_list_activities(struct store *s, const struct store_filter *f,
                          struct store_activity **out, size_t *n,
                          struct rc_err *err);

/* The activities from since_day on (no duplicates, none removed) of
 * every athlete the connecting role may see, by athlete (byte order; in
 * SQLite the file's one, named "" when it has none), each oldest first,
 * with only what the load guard reads (id, sport, sub_sport, name, start
 * and offset, times, distance, ascent, descent, heart rate, RPE, shoe
 * id; the rest as activity_init leaves it): each(ctx, athlete, activity)
 * for each, which
 * stops the walk by returning -1 (with err set). One call for a whole
 * club, where one query per athlete costs a round trip each. */
int store_list_club(struct store *s, long since_day,
                    int (*each)(void *ctx, const char *athlete,
                                const struct store_activity *sa,
                                struct rc_err *err),
                    void *ctx, struct rc_err *err);

/* One activity; with full non-NULL, also its laps and samples into *full
 * (which the caller releases with activity_release). RC_EINPUT when there
 * is no activity id. */
int store_get_activity(struct store *s, int64_t id, struct store_activity *out,
                       struct activity *full, struct rc_err *err);

/* Activities (not duplicates) of sport that start within window_s of
 * start_s: the candidates for "the same run recorded twice". */
int store_find_near(struct store *s, const char *sport, double start_s,
                    double window_s, struct store_activity **out, size_t *n,
                    struct rc_err *err);

/* Record that loser is the same run as winner: loser leaves the lists
 * (its samples are kept, for undo), and what the runner added to it (RPE,
 * notes, shoe, name, description) moves to the winner where the winner
 * has none. */
int store_mark_duplicate(struct store *s, int64_t loser, int64_t winner,
                         struct rc_err *err);

/* Rate an activity (CR-10: 0-10, NAN clears). RC_EINPUT for an unknown id
 * or a value outside 0-10. */
int store_set_rpe(struct store *s, int64_t id, double rpe,
                  struct rc_err *err);

/* Free-text notes and the title/description (NULL leaves a field as it
 * is). RC_EINPUT for an unknown id. */
int store_set_notes(struct store *s, int64_t id, const char *notes,
                    struct rc_err *err);
int store_set_title(struct store *s, int64_t id, const char *name,
                    const char *description, struct rc_err *err);

/* Change the sport (a Strava export's "Activity Type" overrides the
 * file's). */
int store_set_sport(struct store *s, int64_t id, const char *sport,
                    const char *sub_sport, struct rc_err *err);

/* The description and notes of an activity, allocated ("" if none). */
int store_get_texts(struct store *s, int64_t id, char **description,
                    char **notes, struct rc_err *err);

/* What the log holds: counted over activities that are not duplicates. */
struct store_totals {
    long activities, runs;
    long first_day, last_day; /* local days; 0 when there is none */
    double running_km;
    /* the UTC offset of the latest activity that has one */
    bool has_offset;
    int last_utc_offset_s;
};
int store_totals(struct store *s, struct store_totals *t, struct rc_err *err);

/* ---- shoes ---- */

struct store_shoe {
    int64_t id;
    char name[64];
    double start_km; /* on the shoe before runcare knew it */
    double limit_km; /* retire at */
    double used_km;  /* start_km + every run counted to it */
    long runs;
    bool retired, is_default;
    long since_day;   /* first day of use; LONG_MIN: not known (any day) */
    long retired_day; /* last day of use; LONG_MIN: in use, or unknown */
};

/* Add a shoe. RC_EINPUT if the name is empty, longer than 63 bytes or
 * taken (names compare without case), or a km value is negative or not a
 * number; limit_km NAN means STORE_SHOE_LIMIT_KM. */
int store_shoe_add(struct store *s, const char *name, double start_km,
                   double limit_km, int64_t *id, struct rc_err *err);

/* The shoe with this name (any case); RC_EINPUT naming it when none. */
int store_shoe_get(struct store *s, const char *name, struct store_shoe *out,
                   struct rc_err *err);

/* The shoe with this name, added (0 km, default limit) when missing. */
int store_shoe_ensure(struct store *s, const char *name, int64_t *id,
                      struct rc_err *err);

/* Every shoe, by name. */
int store_shoe_list(struct store *s, struct store_shoe **out, size_t *n,
                    struct rc_err *err);

/* Retire (or bring back) a shoe; a retired shoe stops being the default. */
int store_shoe_retire(struct store *s, int64_t shoe_id, bool retired,
                      struct rc_err *err);

/* The days a shoe was in use (LONG_MIN: not known / still in use), and
 * then the runs of those days that count to no shoe count to it.
 * RC_EINPUT for an unknown shoe or since_day after retired_day. */
int store_shoe_dates(struct store *s, int64_t shoe_id, long since_day,
                     long retired_day, struct rc_err *err);

/* Make a shoe the one new runs get (0: none). */
int store_shoe_set_default(struct store *s, int64_t shoe_id,
                           struct rc_err *err);

/* Count an activity to a shoe (0: to none). */
int store_set_shoe(struct store *s, int64_t activity_id, int64_t shoe_id,
                   struct rc_err *err);

/* Remove an activity (deleted true) or bring it back: a removed one is
 * kept, with its samples, but left out of every list, total and shoe, and
 * an import of its file again finds it there (a duplicate). RC_EINPUT
 * for an unknown id. */
int store_activity_set_deleted(struct store *s, int64_t id, bool deleted,
                               struct rc_err *err);

/* What an edit changes; the rest stays as it is. */
struct store_edit {
    double distance_m; /* NAN: as it is */
    /* NAN: as it is; else the timer and moving time, and the elapsed
     * time of a run logged by hand (or when it was shorter) */
    double duration_s;
    long day;          /* LONG_MIN: as it is; else the local day the start
                        * moves to, at the same time of day */
    const char *sport; /* NULL: as it is (give a normalised name) */
    const char *name;  /* NULL: as it is */
};

/* Edit an activity's totals, day, sport or title. RC_EINPUT for an
 * unknown id. The caller checks the values (app_edit). */
int store_activity_edit(struct store *s, int64_t id,
                        const struct store_edit *e, struct rc_err *err);

/* ---- the import log: every file an import saw ---- */

enum store_import_status {
    STORE_IMPORTED,     /* its activities are in the log */
    STORE_SALVAGED,     /* imported from a damaged file (--salvage) */
    STORE_DUPLICATE,    /* same bytes, or the same run, already there */
    STORE_NOT_ACTIVITY, /* a settings, course, route ... file */
    STORE_SKIPPED,      /* not an activity file by its name */
    STORE_FAILED,       /* could not be read or decoded: see the reason */
};

/* "imported", "salvaged", "duplicate", "not_activity", "skipped", "failed". */
const char *store_import_status_name(enum store_import_status st);

/* A new import run's number. */
int store_import_run(struct store *s, int64_t *run, struct rc_err *err);

struct store_import_entry {
    int64_t run;
    const char *path;
    const unsigned char *sha256; /* NULL if the file could not be read */
    int64_t size;                /* -1 unknown */
    enum store_import_status status;
    const char *reason;  /* "" or NULL if none */
    int64_t activity_id; /* the activity it gave or duplicates; 0 none */
};
int store_log_import(struct store *s, const struct store_import_entry *e,
                     struct rc_err *err);

/* How many files of run (0: of every run) ended with status. */
int store_import_count(struct store *s, int64_t run,
                       enum store_import_status st, long *count,
                       struct rc_err *err);

/* The activity the file at path gave (or duplicates) in run: *id, 0 when
 * the path is not in that run's log or gave none. */
int store_import_find(struct store *s, int64_t run, const char *path,
                      int64_t *id, struct rc_err *err);

/* What became of the file at path in run: 1 and *st when the path is in
 * that run's log (its last line), 0 when not, -1 on error. */
int store_import_status(struct store *s, int64_t run, const char *path,
                        enum store_import_status *st, struct rc_err *err);

/* ---- the pain diary ---- */

struct store_report {
    int64_t id;
    int64_t follows_id; /* the check this one follows up; 0: a check */
    double created_s;  /* Unix seconds */
    char *report_json; /* as given (domain/report.schema.json) */
    char *result_json; /* the triage result, "" if none */
};

/* Keep a symptom report and its triage result (result_json may be NULL). */
int store_add_report(struct store *s, const char *report_json,
                     const char *result_json, double created_s, int64_t *id,
                     struct rc_err *err);

/* The same for a follow-up of the check follows_id (which must exist:
 * RC_EINPUT naming it when it does not). */
int store_add_follow_up(struct store *s, const char *report_json,
                        const char *result_json, double created_s,
                        int64_t follows_id, int64_t *id, struct rc_err *err);

/* Correct report id: its report and result replaced (the history keeps
 * the old ones). RC_EINPUT when there is no report id. */
int store_update_report(struct store *s, int64_t id, const char *report_json,
                        const char *result_json, struct rc_err *err);

/* Remove report id: it leaves the diary but stays in the store, marked,
 * so that its id is never reused; the history records the change and
 * undo brings it back. RC_EINPUT when there is no report id (or it was
 * removed already). */
int store_rm_report(struct store *s, int64_t id, struct rc_err *err);

/* Reports created at or after since_s (-INFINITY: all), oldest first,
 * without removed ones. Free with store_reports_free. */
int store_list_reports(struct store *s, double since_s,
                       struct store_report **out, size_t *n,
                       struct rc_err *err);
void store_reports_free(struct store_report *r, size_t n);

/* ---- the change history: nothing is ever lost ----
 *
 * Every write above (and any other module's, through
 * store_history_record) is a change: kind, the row's id, the action and
 * the row before and after as a JSON object of its columns. The changes
 * of one runner's command (an edit, an rm, a whole import) form a batch,
 * which undo takes back in one step. Writes made outside an open batch
 * get one batch per transaction.
 *
 *   kind      what entity_id names         snapshot (before/after JSON)
 *   activity  activities.id                its totals and what the runner
 *                                          set: sport, name, start, times,
 *                                          distance, rpe, shoe, deleted ...
 *   shoe      shoes.id                     name, km, limit, retired ...
 *   report    reports.id (the diary)       created_s, report_json,
 *                                          result_json
 *   source    sources.id                   none: added or removed whole
 *   archive   an archives row              none
 *   import    import_log.run               none: the run's lines
 *
 * Undo of an add removes the row (for an import: its activities, sources,
 * archives and log lines); undo of an edit or an rm writes back the
 * columns of the before snapshot that differ (and puts the row back if it
 * is gone). An undo is a batch itself (undoes = the batch it took back);
 * undo again takes back the batch before, never an undo. */

struct store_change {
    int64_t id;
    char kind[16];      /* "activity", "shoe", "report" ... */
    int64_t entity_id;
    char action[8];     /* "add", "edit", "rm" */
    char *before_json;  /* NULL: none (an add, or a kind without one) */
    char *after_json;   /* NULL: none (a removal) */
};

struct store_batch {
    int64_t id;
    double at_s;          /* Unix seconds */
    char command[256];    /* "edit 12 --distance 8km", "" unknown */
    int64_t undoes;       /* the batch this one took back; 0: no undo */
    int64_t undone_by;    /* the undo that took this one back; 0: stands */
    struct store_change *changes; /* in the order made */
    size_t nchanges;
};

/* Open a batch: every change until store_history_end is part of it. at_s
 * is the command's time. RC_EENV when one is already open. */
int store_history_begin(struct store *s, const char *command, double at_s,
                        struct rc_err *err);
/* The open batch's id, 0 when none is open. */
int64_t store_history_batch(struct store *s);
/* Close the batch (one with no change is not kept). */
void store_history_end(struct store *s);

/* Record a change that the caller made itself (a module with its own
 * table, e.g. the diary's "report" rows): the JSON texts are copied;
 * before and after equal record nothing. Must run inside a transaction
 * or an open batch. */
int store_history_record(struct store *s, const char *kind, int64_t id,
                         const char *action, const char *before_json,
                         const char *after_json, struct rc_err *err);

/* The row kind/id as the history keeps it: *json allocated (free() it),
 * NULL when there is no such row or the kind keeps no snapshot. */
int store_history_snapshot(struct store *s, const char *kind, int64_t id,
                           char **json, struct rc_err *err);

/* The batches that changed something, newest first, at most limit (0:
 * all), each with its changes. Free with store_history_free. */
int store_history_list(struct store *s, size_t limit, struct store_batch **out,
                       size_t *n, struct rc_err *err);
void store_history_free(struct store_batch *b, size_t n);
void store_batch_release(struct store_batch *b);

/* Take back the newest batch that stands (not an undo, not undone), as
 * one transaction recorded as a batch of its own (command, at_s). 1 and
 * *undone (the batch taken back, undone_by set; store_batch_release it),
 * or 0 when there is nothing to undo (*undone zeroed), or -1. */
int store_undo(struct store *s, const char *command, double at_s,
               struct store_batch *undone, struct rc_err *err);

/* ---- the sample stream as one blob (store_blob.c) ----
 *
 * Columns, not rows: for each channel that any sample has, the values of
 * every sample, scaled to integers, as zig-zag LEB128 varints of the
 * difference from the previous value (first order; the first value is
 * absolute) or of the change of that difference (second order: 0 for a
 * steady clock or pace), whichever is smaller for the column; and where
 * zeros are many (a steady clock, a steady heart rate), each zero varint
 * followed by a count of the zeros after it. A 1 s run costs about 1 byte
 * per channel per sample, less where values hold steady (3,500 runs of the
 * import benchmark: 7.7 bytes a sample for 8 channels; the real files of
 * ../shared/data: 6.0, 9.4 before the runs of zeros).
 *
 *   OFFSET  SIZE  WHAT
 *        0     4  "RCS1"
 *        4     4  sample count n, little-endian
 *        8     2  channel mask (enum store_channel), little-endian
 *       10     .  one column per bit set in the mask, lowest bit first:
 *                   1 byte   kind: bit 0 = a presence bitmap follows
 *                            (else every sample has a value); bit 1 =
 *                            second-order deltas; bit 2 = runs of zeros:
 *                            a zero varint is followed by k, a LEB128
 *                            count (no zig-zag), and stands for 1 + k
 *                            zero values (written since schema 11)
 *                   (n+7)/8  the bitmap if bit 0: bit i (LSB first) =
 *                            sample i has a value
 *                   4 bytes  L, length of the varints, little-endian
 *                   L bytes  the varints, one per sample with a value
 *                            (or per run of zeros)
 *
 *   channel  unit of one step     channel   unit of one step
 *   time     1 ms (Unix time)     speed     1 mm/s
 *   lat/lon  1e-7 degree (1 cm)   hr        0.1 bpm
 *   alt      1 cm                 cadence   0.1 rpm
 *   dist     1 cm                 power     0.1 W
 *                                 temp      0.1 degree C
 * Values are rounded to the step; NAN (not recorded) is absent. Samples
 * that carry no value at all are not kept (n is then 0). */

/* The blob of a's samples, appended to out; *channels gets the mask. */
int store_samples_encode(const struct activity *a, struct rc_buf *out,
                         unsigned *channels, struct rc_err *err);

/* Append the samples of a blob to a (its samples must be empty). On failure
 * (RC_EINPUT naming the offset) a has no samples. */
int store_samples_decode(const unsigned char *p, size_t n, struct activity *a,
                         struct rc_err *err);

/* The channel mask of a's samples (what store_samples_encode would write). */
unsigned store_samples_channels(const struct activity *a);

#endif
