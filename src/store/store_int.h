/* store_int.h - inside the store (store.h): the connection and the
 * helpers its files share, for both backends. store_sql.c is the driver
 * (one statement API over sqlite3 and libpq); store_sqlite.c opens the
 * database, runs transactions and migrations; store_pg.c connects to
 * PostgreSQL and chooses the athlete; store_sqlite_activities.c,
 * store_sqlite_import.c (sources, the import log), store_sqlite_shoes.c,
 * store_sqlite_diary.c and store_sqlite_history.c each keep one part of
 * the log, their SQL written once for both backends (the names are from
 * when SQLite was the only one); store_athletes.c and store_copy.c keep
 * the athletes and `migrate`. Not for other modules. */
#ifndef RC_STORE_INT_H
#define RC_STORE_INT_H


#include "base/base.h"
#include "base/err.h"
#include "store/store.h"

/* Statements prepared once per connection (store_sql_prep). */
enum stmt_id {
    ST_ADD_SOURCE,
    ST_FIND_SOURCE,
    ST_ADD_ACTIVITY,
    ST_ADD_LAP,
    ST_ADD_LAPS8, /* eight laps in one statement */
    ST_ADD_SAMPLES,
    ST_DEFAULT_SHOE,
    ST_LOG_IMPORT,
    ST_FIND_NEAR,
    ST_SOURCE_FORMAT,
    ST_SOURCE_ACTIVITY,
    ST_HISTORY_ADD,
    ST_HISTORY_HAS,
    ST_COUNT
};

/* The columns of an activity as struct store_activity reads them, with
 * the shoe's name as the expression shoe_name. */
#define ACTIVITY_FIELDS(shoe_name)                                          \
    "a.id, a.format, a.sport, a.sub_sport, a.name, a.start_s, "             \
    "a.utc_offset_s, a.local_day, a.elapsed_s, a.timer_s, a.moving_s, "     \
    "a.distance_m, a.ascent_m, a.descent_m, a.avg_hr_bpm, a.max_hr_bpm, "   \
    "a.avg_cadence_rpm, a.max_cadence_rpm, a.avg_power_w, "                 \
    "a.calories_kcal, a.computed, a.salvaged, a.device_manufacturer, "      \
    "a.device_product, a.device_serial, a.device_name, a.channels, "        \
    "a.nsamples, a.rpe, a.shoe_id, " shoe_name ", a.source_id, "            \
    "a.duplicate_of, a.deleted "

#define ACTIVITY_COLUMNS                                                    \
    ACTIVITY_FIELDS("COALESCE(sh.name, '')")                                \
    "FROM activities a LEFT JOIN shoes sh ON sh.id = a.shoe_id "

/* What `club` reads of an activity (store_list_club): the totals the load
 * guard reads, after the athlete. */
#define CLUB_COLUMNS                                                        \
    "a.athlete, a.id, a.sport, a.sub_sport, a.name, a.start_s, "            \
    "a.utc_offset_s, a.elapsed_s, a.timer_s, a.moving_s, a.distance_m, "    \
    "a.ascent_m, a.descent_m, a.avg_hr_bpm, a.max_hr_bpm, a.rpe, "          \
    "a.shoe_id "

/* The kinds of row the history keeps (store_sqlite_history.c). */
#define HIST_KINDS 6

/* The columns of a shoe that a history snapshot keeps. */
#define STORE_SHOE_COLUMNS                                                  \
    "name start_km limit_km retired is_default since_day retired_day"

struct sqlite3;
struct pg_conn;
struct db_stmt;

struct store {
    struct sqlite3 *db;  /* SQLite: the connection; NULL under PostgreSQL */
    struct pg_conn *pg;  /* PostgreSQL: the connection; NULL under SQLite */
    bool in_tx; /* a transaction begun by store_begin */
    struct db_stmt *st[ST_COUNT];
    struct db_stmt *snap[HIST_KINDS]; /* a row as JSON, by kind */
    /* PostgreSQL: the last error's message, the rows the last write
     * changed, the athlete whose rows this connection reads and writes
     * (runcare.athlete, which row-level security checks) */
    char pg_msg[512];
    int pg_changes;
    unsigned pg_prepared; /* statements prepared on the server so far */
    char athlete[64];
    /* the history batch changes go to (0: none open); lazy: opened by the
     * first change of a write outside any command, ended with its
     * transaction */
    int64_t batch;
    bool batch_lazy;
    /* the import run whose history change is known to be in batch
     * hist_run_batch (record_run asks once, not at every log line);
     * 0: none. Forgotten by a rollback or an undone unit. */
    int64_t hist_run, hist_run_batch;
    /* PostgreSQL: writes sent in a pipeline not yet answered (db_batch) */
    bool piping;
    int pipe_sent;
    /* PostgreSQL: commands without results (SAVEPOINT, RELEASE) that go
     * with the next statement (store_sql_defer) */
    const char *deferred[4];
    int ndeferred;
    /* SQLite: the checkpointer of a bulk write (store_sqlite_bulk.c) */
    struct store_bulk *bulk;
    char path[4096];
};

/* After each commit: hand the checkpointer its work (store_sqlite_bulk.c);
 * nothing when no bulk write runs. */
void store_bulk_committed(struct store *s);

/* An error of the database: RC_EENV naming the file, what was being done
 * and SQLite's message (a full disk, a file that is no database said
 * plainly). Returns -1. */
int store_sql_fail(struct store *s, struct rc_err *err, const char *what);

/* The name of the VFS SQLite logs are opened with (store_vfs.h), or NULL
 * for SQLite's default; valid once a log has been opened. */
const char *store_sqlite_vfs(void);

/* Statement id, reset and without bindings; NULL with err set. */
struct db_stmt *store_sql_prep(struct store *s, enum stmt_id id,
                               struct rc_err *err);

/* A one-off statement (finalised by the caller); NULL with err set. */
struct db_stmt *store_sql_prep_once(struct store *s, const char *sql,
                                    struct rc_err *err);

/* Run a write statement to completion (a crash point in test builds). */
int store_sql_step_write(struct store *s, struct db_stmt *st,
                         struct rc_err *err);

/* Run an INSERT ... RETURNING id (a crash point in test builds) and read
 * the new row's id: one round trip to PostgreSQL where the INSERT and
 * SELECT lastval() were two. */
int store_sql_step_insert(struct store *s, struct db_stmt *st, int64_t *id,
                          struct rc_err *err);

/* A test build's crash point (RUNCARE_CRASH_AFTER); nothing otherwise. */
void store_crash_point(void);

/* Run one write statement with integer/text arguments given as a format:
 * 'i' int64, 'r' double (NAN -> NULL), 't' text (NULL -> NULL). Returns
 * the number of rows changed, or -1. */
int store_sql_run(struct store *s, struct rc_err *err, const char *sql,
                  const char *types, ...);
int store_sql_runv(struct store *s, struct rc_err *err, const char *sql,
                   const char *types, va_list ap);

/* Is there a row of table with this id? 1, 0, or -1 with err set. */
int store_sql_exists(struct store *s, const char *table, int64_t id,
                     struct rc_err *err);

/* 0 if the activity exists, else -1 with err (RC_EINPUT) naming it. */
int store_sql_need_activity(struct store *s, int64_t id, struct rc_err *err);

/* Writes that are not inside the caller's transaction get their own:
 * enter before, leave with the result (committed, or rolled back on -1). */
int store_tx_enter(struct store *s, bool *own, struct rc_err *err);
int store_tx_leave(struct store *s, bool own, int rc, struct rc_err *err);

/* Record a change of the row kind/id in the open batch: before is the
 * snapshot taken before it (store_history_snapshot; NULL for an add),
 * freed here; the row as it is now is the after. */
int store_hist_change(struct store *s, const char *kind, int64_t id,
                      const char *action, char *before, struct rc_err *err);

/* A transaction of the store's own ended: a lazy batch ends with it. */
void store_history_tx_done(struct store *s);

/* ---- the SQL driver: one statement API over SQLite and libpq ----
 *
 * The store's SQL is written once, in the common part of SQLite's and
 * PostgreSQL's dialects, with SQLite's ? and ?N parameters (the libpq
 * side turns them into $N). A statement is prepared, bound, stepped row
 * by row and reset or finalised as with SQLite; under PostgreSQL the
 * first step runs it (PQexecParams, parameters typed int8, float8, text
 * or bytea) and later steps walk the result. Text and blob arguments are
 * borrowed until the statement is stepped. Where the dialects part (the
 * history's JSON, the catalog, the schema version) the caller asks
 * store_is_pg(). */
enum { DB_ROW = 100, DB_DONE = 101, DB_ERROR = 1 };

/* A one-off statement for sql (finalised by the caller with db_finalize,
 * or kept when persistent); NULL with err set. */
struct db_stmt *db_prepare(struct store *s, const char *sql, bool persistent,
                           struct rc_err *err);
void db_finalize(struct db_stmt *st);
/* Back to before the first step, bindings kept. */
void db_reset(struct db_stmt *st);
void db_clear_bindings(struct db_stmt *st);
/* DB_ROW, DB_DONE or DB_ERROR (store_sql_fail then says why). */
int db_step(struct db_stmt *st);

/* Parameters count from 1; unbound ones are NULL. */
void db_bind_int64(struct db_stmt *st, int i, int64_t v);
void db_bind_double(struct db_stmt *st, int i, double v);
void db_bind_null(struct db_stmt *st, int i);
void db_bind_text(struct db_stmt *st, int i, const char *t);
void db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n);

/* PostgreSQL: this statement's rows come in binary, numbers as the
 * server holds them, neither printed by it nor parsed here (club's
 * 100,000 rows: a fifth of its time). Its columns must be of the types
 * the db_col_* functions decode in binary: int2/4/8, float4/8, bool,
 * text, bytea (not numeric: SUM of integers, cast it). Nothing under
 * SQLite. Before the first step. */
void db_binary_results(struct db_stmt *st);

/* Writes whose results are not read, sent together (a run's laps): under
 * PostgreSQL each db_step queues its statement in libpq's pipeline and
 * says DB_DONE, and db_batch_end sends them all and reads their answers:
 * one round trip for a run's 17 laps instead of 17 (import of 200 runs:
 * 6,900 round trips before). Under SQLite each runs at its db_step, as
 * ever. db_batch_end: 0, or -1 with err as store_sql_fail for the first
 * statement that failed (the ones after it did not run). Nothing else may
 * run on the store between the two. */
void db_batch_begin(struct store *s);
int db_batch_end(struct store *s, struct rc_err *err);

/* PostgreSQL: step through the rows rows at a time (a cursor, FETCH)
 * instead of holding the whole result: club's 100,000 rows took 130 MB
 * in libpq and 32,000 page faults. The cursor lives in the caller's
 * transaction, or in one of its own (read-only) that db_reset and
 * db_finalize end. Nothing under SQLite. Before the first step. */
void db_chunked(struct db_stmt *st, int rows);

/* Columns count from 0. Text and blobs stay valid until the next step. */
bool db_col_null(struct db_stmt *st, int i);
int64_t db_col_int64(struct db_stmt *st, int i);
int db_col_int(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i); /* "" for NULL */
const void *db_col_blob(struct db_stmt *st, int i);
size_t db_col_bytes(struct db_stmt *st, int i);

/* A command that answers nothing (a string constant: "SAVEPOINT unit"),
 * sent with the next statement rather than in a round trip of its own:
 * import's savepoint and release around each file were 2 of its 16
 * round trips a file. An error in it is the next statement's. SQLite: run
 * at once. store_sql_undefer takes back the last one if it is still
 * waiting (true), so a unit that wrote nothing costs nothing. */
int store_sql_defer(struct store *s, const char *sql, struct rc_err *err);
bool store_sql_undefer(struct store *s, const char *sql);

/* Run sql (several statements, no parameters) to its end. */
int store_sql_exec(struct store *s, const char *sql, struct rc_err *err);
/* The id of the row the last INSERT added; rows the last write changed. */
int64_t store_sql_last_id(struct store *s);
int store_sql_changes(struct store *s);
/* True for the PostgreSQL backend. */
bool store_is_pg(const struct store *s);

/* store_pg.c: connect to url (s->path gets it without its password) and
 * refuse a role that bypasses row-level security; an error of the
 * server as store_sql_fail's; the athlete of a new connection (see
 * store_pg.c), or the one named (RC_EINPUT when the role may not see it);
 * the connecting role. */
int store_pg_connect(struct store *s, const char *url, struct rc_err *err);
int store_pg_fail(struct store *s, struct rc_err *err, const char *what);
int store_pg_default_athlete(struct store *s, bool may_add,
                             struct rc_err *err);
int store_pg_use_athlete(struct store *s, const char *name,
                         struct rc_err *err);
const char *store_pg_role(struct store *s);

/* Bind a double, NULL for NAN and infinities; read one back (NULL: NAN);
 * read text into a fixed field, cut as snprintf would. */
static inline void bind_real(struct db_stmt *st, int i, double v)
{
    if (isfinite(v))
        db_bind_double(st, i, v);
    else
        db_bind_null(st, i);
}

static inline double col_real(struct db_stmt *st, int i)
{
    return db_col_null(st, i) ? NAN : db_col_double(st, i);
}

static inline void col_text(struct db_stmt *st, int i, char *out, size_t n)
{
    const char *t = db_col_text(st, i);
    size_t len = strlen(t);
    if (len >= n)
        len = n - 1; /* a fixed field: cut, as snprintf would */
    if (len)
        memcpy(out, t, len);
    out[len] = '\0';
}

#endif
