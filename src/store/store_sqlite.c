/* store_sqlite.c - opening the store (a SQLite file, or PostgreSQL
 * through store_pg.c), its statements and transactions, the migrations of
 * both backends and the consistency check. The parts of the log are in
 * store_sqlite_activities.c, _import.c, _shoes.c, _diary.c and _history.c
 * (store_int.h); the store's files are the only ones of runcare with SQL
 * in them.
 *
 * One database file in WAL mode (readers never wait for the writer), with a
 * busy timeout so that two runcare processes take turns instead of failing,
 * synchronous=NORMAL (a commit is durable once the WAL is checkpointed; a
 * crash or power cut loses at most the last commits, never consistency),
 * and foreign keys on.
 *
 * Schema: src/store/migrations/NNN_name.sql, built into the binary (the
 * Makefile's EMBED_FILES) and applied in order, each in its own transaction
 * that also sets PRAGMA user_version = NNN. A database whose user_version is
 * above the last migration was written by a newer runcare and is refused.
 *
 * Crash testing, in a test build only (-DRC_TEST): when the environment
 * has RUNCARE_CRASH_AFTER=N, the process kills itself with SIGKILL just
 * before its Nth write statement or commit (tests/unit/test_import_kill.c
 * uses it to stop an import at every point of its transactions). A
 * release build has no such hook: no environment can make it stop. */
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "base/fs.h"
#include "base/alloc.h"
#include "base/embedded.h"
#include "store/store_int.h"
#include "store/store_vfs.h"
#include "store/pq.h"

#define MIGRATIONS_PREFIX "src/store/migrations/"
#define BUSY_TIMEOUT_MS 10000


/* A lap's columns, and one row of their values (add_laps writes eight
 * laps a statement: a run's 17 laps were 17 statements) */
#define LAP_COLUMNS                                                         \
    "activity_id, idx, start_s, elapsed_s, timer_s, distance_m, ascent_m, " \
    "descent_m, avg_hr_bpm, max_hr_bpm, avg_cadence_rpm, max_cadence_rpm, " \
    "calories_kcal"
#define LAP_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?)"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_ADD_SOURCE] = "INSERT INTO sources (sha256, path, size, format, "
                      "device, note, imported_s, raw_sha256, seen_key) "
                      "VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
    [ST_FIND_SOURCE] = "SELECT id FROM sources WHERE sha256 = ?1 UNION ALL "
                       "SELECT id FROM sources WHERE raw_sha256 = ?1 "
                       "UNION ALL SELECT id FROM sources WHERE seen_key = ?1 "
                       "LIMIT 1",
    [ST_ADD_ACTIVITY] =
        "INSERT INTO activities (source_id, format, sport, sub_sport, name, "
        "start_s, utc_offset_s, local_day, elapsed_s, timer_s, moving_s, "
        "distance_m, ascent_m, descent_m, avg_hr_bpm, max_hr_bpm, "
        "avg_cadence_rpm, max_cadence_rpm, avg_power_w, calories_kcal, "
        "computed, salvaged, device_manufacturer, device_product, "
        "device_serial, device_name, channels, nsamples, nlaps, shoe_id) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "RETURNING id",
    [ST_ADD_LAP] = "INSERT INTO laps (" LAP_COLUMNS ") VALUES " LAP_ROW,
    [ST_ADD_LAPS8] = "INSERT INTO laps (" LAP_COLUMNS ") VALUES " LAP_ROW
                     "," LAP_ROW "," LAP_ROW "," LAP_ROW "," LAP_ROW
                     "," LAP_ROW "," LAP_ROW "," LAP_ROW,
    [ST_ADD_SAMPLES] = "INSERT INTO samples (activity_id, data) VALUES (?,?)",
    /* the shoe in use on local day ?1 (NULL: unknown, the default) */
    [ST_DEFAULT_SHOE] =
        "SELECT id FROM shoes WHERE CASE WHEN CAST(?1 AS BIGINT) IS NULL THEN is_default "
        "<> 0 AND retired = 0 ELSE (is_default <> 0 OR since_day IS NOT "
        "NULL) AND (since_day IS NULL OR since_day <= ?1) AND (CASE WHEN "
        "retired_day IS NULL THEN retired = 0 ELSE ?1 <= retired_day END) "
        "END ORDER BY is_default DESC, since_day DESC, id LIMIT 1",
    [ST_LOG_IMPORT] = "INSERT INTO import_log (run, path, sha256, size, "
                      "status, reason, activity_id, at_s) VALUES "
                      "(?,?,?,?,?,?,?,?)",
    [ST_SOURCE_FORMAT] = "SELECT format FROM sources WHERE id = ?",
    [ST_SOURCE_ACTIVITY] =
        "SELECT s.id, s.deleted FROM activities f JOIN activities s ON "
        "s.id = COALESCE(f.duplicate_of, f.id) WHERE f.source_id = ? "
        "ORDER BY f.id LIMIT 1",
    [ST_HISTORY_ADD] = "INSERT INTO history (batch, kind, entity_id, action, "
                       "before_json, after_json) VALUES (?,?,?,?,?,?)",
    [ST_HISTORY_HAS] = "SELECT 1 FROM history WHERE kind = ? AND "
                       "entity_id = ? AND batch = ? LIMIT 1",
    [ST_FIND_NEAR] = "SELECT " ACTIVITY_COLUMNS
                     "WHERE a.duplicate_of IS NULL AND a.deleted = 0 AND a.sport = ?1 AND "
                     "a.start_s BETWEEN ?2 AND ?3 ORDER BY a.start_s, a.id",
};

/* ---- crash points for the kill test (test builds only) ---- */

#ifdef RC_TEST
static long crash_after = -1; /* -1: off */
static long crash_count;

void store_crash_point(void)
{
    if (crash_after >= 0 && ++crash_count >= crash_after)
        raise(SIGKILL);
}

static void crash_setup(void)
{
    const char *e = getenv("RUNCARE_CRASH_AFTER");
    crash_after = e && *e ? strtol(e, NULL, 10) : -1;
    crash_count = 0;
}
#else
void store_crash_point(void)
{
}

static void crash_setup(void)
{
}
#endif

/* ---- errors and statements ---- */

int store_sql_fail(struct store *s, struct rc_err *err, const char *what)
{
    int code;
    if (s->pg)
        return store_pg_fail(s, err, what);
    code = sqlite3_errcode(s->db);
    if (code == SQLITE_FULL)
        return rc_fail(err, RC_EENV, "database %s: %s: the disk is full",
                       s->path, what);
    if (code == SQLITE_NOTADB)
        return rc_fail(err, RC_EENV, "%s is not a runcare database (%s)",
                       s->path, sqlite3_errmsg(s->db));
    return rc_fail(err, RC_EENV, "database %s: %s: %s", s->path, what,
                   sqlite3_errmsg(s->db));
}

struct db_stmt *store_sql_prep(struct store *s, enum stmt_id id,
                               struct rc_err *err)
{
    if (!s->st[id] && !(s->st[id] = db_prepare(s, stmt_sql[id], true, err)))
        return NULL;
    db_reset(s->st[id]);
    db_clear_bindings(s->st[id]);
    return s->st[id];
}

/* A one-off statement (finalised by the caller). */
struct db_stmt *store_sql_prep_once(struct store *s, const char *sql,
                                    struct rc_err *err)
{
    return db_prepare(s, sql, false, err);
}

/* Run a write statement to completion. */
int store_sql_step_write(struct store *s, struct db_stmt *st,
                         struct rc_err *err)
{
    int rc;
    store_crash_point();
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE && rc != DB_ROW)
        return store_sql_fail(s, err, "write");
    return 0;
}

int store_sql_step_insert(struct store *s, struct db_stmt *st, int64_t *id,
                          struct rc_err *err)
{
    int rc;
    store_crash_point();
    rc = db_step(st);
    *id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_reset(st);
    if (rc != DB_ROW)
        return store_sql_fail(s, err, "write");
    return 0;
}

static int exec(struct store *s, const char *sql, struct rc_err *err)
{
    return store_sql_exec(s, sql, err);
}

/* Run one write statement with integer/text arguments given as a format:
 * 'i' int64, 'r' double (NAN -> NULL), 't' text (NULL -> NULL). Returns
 * the number of rows changed, or -1. */
int store_sql_runv(struct store *s, struct rc_err *err, const char *sql,
                   const char *types, va_list ap)
{
    struct db_stmt *st = store_sql_prep_once(s, sql, err);
    int rc;
    if (!st)
        return -1;
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i') {
            db_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else if (types[i] == 'r') {
            bind_real(st, i + 1, va_arg(ap, double));
        } else {
            const char *t = va_arg(ap, const char *);
            if (t)
                db_bind_text(st, i + 1, t);
        }
    }
    store_crash_point();
    rc = db_step(st) == DB_ERROR ? store_sql_fail(s, err, "write") : 0;
    db_finalize(st);
    return rc < 0 ? -1 : store_sql_changes(s);
}

int store_sql_run(struct store *s, struct rc_err *err, const char *sql,
                  const char *types, ...)
{
    va_list ap;
    int rc;
    va_start(ap, types);
    rc = store_sql_runv(s, err, sql, types, ap);
    va_end(ap);
    return rc;
}

int store_sql_exists(struct store *s, const char *table, int64_t id,
                  struct rc_err *err)
{
    char sql[128];
    struct db_stmt *st;
    int rc;
    snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE id = ?", table);
    st = store_sql_prep_once(s, sql, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, id);
    rc = db_step(st);
    db_finalize(st);
    if (rc == DB_ROW)
        return 1;
    if (rc == DB_DONE)
        return 0;
    return store_sql_fail(s, err, "read");
}

int store_sql_need_activity(struct store *s, int64_t id, struct rc_err *err)
{
    int e = store_sql_exists(s, "activities", id, err);
    if (e < 0)
        return -1;
    if (!e)
        return rc_fail(err, RC_EINPUT, "no activity %lld in the log",
                       (long long)id);
    return 0;
}

/* ---- transactions ---- */

int store_begin(struct store *s, struct rc_err *err)
{
    if (s->in_tx)
        return rc_fail(err, RC_EENV, "database %s: transaction already open",
                       s->path);
    if (exec(s, s->pg ? "BEGIN" : "BEGIN IMMEDIATE", err) < 0)
        return -1;
    /* PostgreSQL: one writer per athlete at a time, as BEGIN IMMEDIATE
     * makes one writer per SQLite file: two imports of the same files
     * take turns, and the second finds the first's sources, instead of
     * both adding them; other athletes' writers do not wait */
    if (s->pg && s->athlete[0] &&
        exec(s, "SELECT pg_advisory_xact_lock(7216002, hashtext("
                "current_setting('runcare.athlete')))", err) < 0) {
        store_sql_exec(s, "ROLLBACK", NULL);
        return -1;
    }
    s->in_tx = true;
    return 0;
}

int store_commit(struct store *s, struct rc_err *err)
{
    s->in_tx = false;
    store_history_tx_done(s);
    store_crash_point();
    if (exec(s, "COMMIT", err) < 0) {
        store_sql_exec(s, "ROLLBACK", NULL);
        return -1;
    }
    store_bulk_committed(s);
    return 0;
}

void store_rollback(struct store *s)
{
    s->ndeferred = 0; /* a savepoint or release the rollback ends anyway */
    s->hist_run = 0;
    if (s->pg ? PQtransactionStatus(s->pg) != PQTRANS_IDLE
              : sqlite3_get_autocommit(s->db) == 0)
        store_sql_exec(s, "ROLLBACK", NULL);
    s->in_tx = false;
    store_history_tx_done(s);
}

int store_unit_begin(struct store *s, struct rc_err *err)
{
    if (!s->in_tx)
        return rc_fail(err, RC_EENV, "database %s: a unit needs a "
                                     "transaction", s->path);
    /* PostgreSQL: sent with the unit's first statement */
    return store_sql_defer(s, "SAVEPOINT unit", err);
}

int store_unit_end(struct store *s, struct rc_err *err)
{
    store_crash_point();
    return store_sql_defer(s, "RELEASE unit", err);
}

void store_unit_undo(struct store *s)
{
    s->hist_run = 0; /* its history change may go with the unit */
    if (store_sql_undefer(s, "SAVEPOINT unit"))
        return; /* not sent: nothing of the unit reached the server */
    store_sql_exec(s, "ROLLBACK TO unit", NULL);
    store_sql_exec(s, "RELEASE unit", NULL);
}

/* Writes that are not inside the caller's transaction get their own. */
int store_tx_enter(struct store *s, bool *own, struct rc_err *err)
{
    *own = !s->in_tx;
    return *own ? store_begin(s, err) : 0;
}

int store_tx_leave(struct store *s, bool own, int rc, struct rc_err *err)
{
    if (!own)
        return rc;
    if (rc < 0) {
        store_rollback(s);
        return -1;
    }
    return store_commit(s, err);
}

/* ---- opening and migrations ---- */

struct migration {
    int version;
    const struct rc_embedded *file;
};

/* migrations/NNN_name.pg.sql is the PostgreSQL side of NNN_name.sql */
static bool is_pg_migration(const char *name)
{
    size_t n = strlen(name);
    return n > 7 && !strcmp(name + n - 7, ".pg.sql");
}

/* The embedded migrations of one backend, in order; their numbers must
 * run 1, 2, 3 ... */
static int migrations(bool pg, struct migration *out, int max)
{
    int n = 0;
    for (const struct rc_embedded *e = rc_embedded_files; e->path; e++) {
        const char *name;
        if (strncmp(e->path, MIGRATIONS_PREFIX, strlen(MIGRATIONS_PREFIX)))
            continue;
        name = e->path + strlen(MIGRATIONS_PREFIX);
        if (is_pg_migration(name) != pg)
            continue;
        if (n < max) {
            out[n].version = (int)strtol(name, NULL, 10);
            out[n].file = e;
        }
        n++;
    }
    return n;
}

int store_schema_latest(void)
{
    struct migration m[64];
    return migrations(false, m, 64);
}

/* One integer from a query with no parameters. */
static int query_int(struct store *s, const char *sql, int *v,
                     struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(s, sql, err);
    if (!st)
        return -1;
    if (db_step(st) != DB_ROW) {
        db_finalize(st);
        return store_sql_fail(s, err, "read the schema");
    }
    *v = db_col_int(st, 0);
    db_finalize(st);
    return 0;
}

/* The schema version: SQLite's user_version, PostgreSQL's runcare_schema
 * table (0 while it is not there). */
static int user_version(struct store *s, int *v, struct rc_err *err)
{
    int has;
    if (!s->pg)
        return query_int(s, "PRAGMA user_version", v, err);
    if (query_int(s, "SELECT (to_regclass('runcare_schema') IS NOT NULL)"
                     "::int", &has, err) < 0)
        return -1;
    *v = 0;
    return has ? query_int(s, "SELECT COALESCE(MAX(version), 0) FROM "
                              "runcare_schema", v, err)
               : 0;
}

static int set_version(struct store *s, int v, struct rc_err *err)
{
    char sql[128];
    if (!s->pg)
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
    else
        snprintf(sql, sizeof(sql), "DELETE FROM runcare_schema; INSERT INTO "
                                   "runcare_schema VALUES (%d)", v);
    return exec(s, sql, err);
}

int store_schema_version(struct store *s)
{
    int v = -1;
    user_version(s, &v, NULL);
    return v;
}

/* A version-0 database that already has tables is somebody else's. */
static int check_foreign(struct store *s, struct rc_err *err)
{
    int tables;
    if (query_int(s, s->pg ? "SELECT COUNT(*) FROM pg_tables WHERE "
                             "schemaname = current_schema() AND tablename "
                             "<> 'runcare_schema'"
                           : "SELECT COUNT(*) FROM sqlite_master WHERE "
                             "type = 'table'",
                  &tables, err) < 0)
        return -1;
    if (tables > 0)
        return rc_fail(err, RC_EENV,
                       "%s is not a runcare database (it has %d tables but "
                       "no runcare schema version)",
                       s->path, tables);
    return 0;
}

static int migrate(struct store *s, int target, struct rc_err *err)
{
    struct migration m[64];
    int n = migrations(s->pg != NULL, m, 64), cur;

    if (n > 64)
        return rc_fail(err, RC_EENV, "too many migrations (%d)", n);
    for (int i = 0; i < n; i++)
        if (m[i].version != i + 1)
            return rc_fail(err, RC_EENV, "migration %s is out of sequence",
                           m[i].file->path);
    if (s->pg && n != store_schema_latest())
        return rc_fail(err, RC_EENV, "%d PostgreSQL migrations for %d "
                                     "SQLite ones",
                       n, store_schema_latest());
    if (target < 0 || target > n)
        target = n;
    if (user_version(s, &cur, err) < 0)
        return -1;
    if (cur > n)
        return rc_fail(err, RC_EENV,
                       "database %s has schema version %d, newer than the %d "
                       "this runcare knows: use a newer runcare",
                       s->path, cur, n);
    while (cur < target) {
        if (store_begin(s, err) < 0)
            return -1;
        /* PostgreSQL: one migrating connection at a time; SQLite's
         * BEGIN IMMEDIATE already is */
        if (s->pg && exec(s, "SELECT pg_advisory_xact_lock(7216001); "
                             "CREATE TABLE IF NOT EXISTS runcare_schema "
                             "(version integer NOT NULL)",
                          err) < 0)
            goto fail;
        /* another process may have migrated while we waited for the lock */
        if (user_version(s, &cur, err) < 0 ||
            (cur == 0 && check_foreign(s, err) < 0))
            goto fail;
        if (cur >= target) {
            store_rollback(s);
            break;
        }
        if (exec(s, (const char *)m[cur].file->data, err) < 0 ||
            set_version(s, cur + 1, err) < 0 || store_commit(s, err) < 0)
            goto fail;
        cur++;
    }
    return 0;
fail:
    store_rollback(s);
    return -1;
}

/* Import writes each file inside a savepoint, and SQLite keeps what a
 * savepoint may have to undo in a statement journal that goes to a
 * temporary file past 64 KiB: a file created, written and deleted for
 * every batch of an import. Pages written by one file's unit are a few
 * hundred KiB at most, so they stay in memory. Must run before SQLite is
 * first used; when it cannot (SQLite already started), nothing is lost
 * but speed. */
#define STORE_STMT_JOURNAL_SPILL (4 << 20)
/* The VFS every log is opened with (store_vfs.c), or NULL (SQLite's
 * default) if it could not be registered. */
static const char *vfs_name;

static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STORE_STMT_JOURNAL_SPILL);
    if (store_vfs_register() == SQLITE_OK)
        vfs_name = STORE_VFS_NAME;
}

const char *store_sqlite_vfs(void)
{
    return vfs_name;
}

static int open_sqlite(struct store *s, const char *path, unsigned flags,
                       struct rc_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    struct stat st;
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

    pthread_once(&once, sqlite_setup);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return rc_fail(err, RC_EENV, "database %s is a folder, not a file",
                       path);
    if (flags & STORE_CREATE) {
        if (rc_make_parent(path, err) < 0)
            return -1;
        oflags |= SQLITE_OPEN_CREATE;
    } else if (access(path, F_OK) != 0) {
        return rc_fail(err, RC_EENV, "no database at %s", path);
    }
    if (sqlite3_open_v2(path, &s->db, oflags, vfs_name) != SQLITE_OK) {
        if (s->db)
            return store_sql_fail(s, err, "open");
        return rc_fail(err, RC_EENV, "database %s: cannot open", path);
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 0);
    /* A new log's pages are 8 KiB (SQLite's default is 4): a first import
     * writes half the pages, each twice in WAL mode, and a run's sample
     * blob spans 4 to 8 overflow pages instead of 8 to 16 (3,500 runs:
     * 1.47 -> 1.33 s, the file 1.4% larger; bench/RESULTS.md). No effect
     * on an existing file; must come before WAL mode is set. */
    if (flags & STORE_CREATE &&
        exec(s, "PRAGMA page_size = 8192", err) < 0)
        return -1;
    if (exec(s, "PRAGMA synchronous = NORMAL", err) < 0 ||
        exec(s, "PRAGMA journal_mode = WAL", err) < 0 ||
        exec(s, "PRAGMA foreign_keys = ON", err) < 0)
        return -1;
    return 0;
}

bool store_reusable(struct store *s)
{
    if (!s || !s->pg || s->in_tx || s->piping || s->batch || s->ndeferred)
        return false;
    /* what the server sent since (a backend ended by an administrator
     * or a restart says so, then closes): read without waiting, as libpq
     * keeps its socket non-blocking. One read takes the message, the next
     * finds the end of the connection. */
    for (int k = 0; k < 2; k++)
        if (!PQconsumeInput(s->pg))
            return false;
    if (PQisBusy(s->pg))
        return false;
    return PQstatus(s->pg) == CONNECTION_OK &&
           PQtransactionStatus(s->pg) == PQTRANS_IDLE;
}

bool store_path_is_pg(const char *path)
{
    return !strncmp(path, "postgresql://", 13) ||
           !strncmp(path, "postgres://", 11);
}

struct store *store_open_at(const char *path, unsigned flags, int version,
                            struct rc_err *err)
{
    struct store *s;

    crash_setup();
    if (strlen(path) >= sizeof(s->path)) {
        rc_fail(err, RC_EENV, "database path is too long");
        return NULL;
    }
    s = rc_calloc(1, sizeof(*s));
    if (!s) {
        rc_fail(err, RC_EENV, "out of memory");
        return NULL;
    }
    snprintf(s->path, sizeof(s->path), "%s", path);
    if (store_path_is_pg(path)) {
        if (store_pg_connect(s, path, err) < 0 ||
            migrate(s, version, err) < 0 ||
            (version < 0 &&
             store_pg_default_athlete(s, !(flags & STORE_CLUB), err) < 0)) {
            store_close(s);
            return NULL;
        }
        return s;
    }
    if (open_sqlite(s, path, flags, err) < 0 ||
        migrate(s, version, err) < 0) {
        store_close(s);
        return NULL;
    }
    return s;
}

struct store *store_open(const char *path, unsigned flags, struct rc_err *err)
{
    return store_open_at(path, flags, -1, err);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    store_bulk_end(s);
    for (int i = 0; i < ST_COUNT; i++)
        db_finalize(s->st[i]);
    for (int i = 0; i < HIST_KINDS; i++)
        db_finalize(s->snap[i]);
    if (s->pg)
        PQfinish(s->pg);
    else
        sqlite3_close(s->db);
    rc_free(s);
}

/* The first row of a query that must return nothing; its text in bad. */
static int expect_none(struct store *s, const char *sql, const char *what,
                       struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(s, sql, err);
    int rc;
    if (!st)
        return -1;
    rc = db_step(st);
    if (rc == DB_ROW) {
        rc_fail(err, RC_EENV, "database %s: %s (%s)", s->path, what,
                db_col_text(st, 0));
        db_finalize(st);
        return -1;
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_sql_fail(s, err, what);
}

/* SQLite's own checks of the file (PostgreSQL checks its foreign keys as
 * it writes). */
static int check_sqlite(struct store *s, struct rc_err *err)
{
    struct db_stmt *st;
    int rc;
    if (s->pg)
        return 0;
    st = store_sql_prep_once(s, "PRAGMA integrity_check", err);
    if (!st)
        return -1;
    rc = db_step(st);
    if (rc != DB_ROW || strcmp(db_col_text(st, 0), "ok")) {
        rc_fail(err, RC_EENV, "database %s: integrity check: %s", s->path,
                rc == DB_ROW ? db_col_text(st, 0) : sqlite3_errmsg(s->db));
        db_finalize(st);
        return -1;
    }
    db_finalize(st);
    return expect_none(s, "PRAGMA foreign_key_check",
                       "a foreign key points nowhere", err);
}

int store_check(struct store *s, struct rc_err *err)
{
    struct store_filter f;
    struct store_activity *v;
    size_t n;
    int rc;
    if (check_sqlite(s, err) < 0 ||
        expect_none(s, "SELECT a.id FROM activities a WHERE a.nlaps != "
                       "(SELECT COUNT(*) FROM laps WHERE activity_id = a.id)",
                    "an activity misses laps", err) < 0 ||
        expect_none(s, "SELECT a.id FROM activities a WHERE a.nsamples > 0 "
                       "AND a.duplicate_of IS NULL AND NOT EXISTS (SELECT 1 "
                       "FROM samples WHERE activity_id = a.id)",
                    "an activity misses its samples", err) < 0 ||
        expect_none(s, "SELECT l.path FROM import_log l WHERE l.activity_id "
                       "IS NOT NULL AND NOT EXISTS (SELECT 1 FROM activities "
                       "WHERE id = l.activity_id)",
                    "the import log names a missing activity", err) < 0 ||
        expect_none(s, "SELECT l.path FROM import_log l WHERE l.status IN "
                       "('imported', 'salvaged', 'not_activity') AND NOT "
                       "EXISTS (SELECT 1 FROM sources WHERE sha256 = "
                       "l.sha256)",
                    "an imported file has no source", err) < 0)
        return -1;
    /* every sample blob decodes to its count */
    store_filter_init(&f);
    f.duplicates = true;
    if (store_list_activities(s, &f, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct store_activity sa;
        struct activity a;
        if (!v[i].nsamples || v[i].duplicate_of)
            continue;
        if (store_get_activity(s, v[i].id, &sa, &a, err) < 0) {
            rc_free(v);
            return -1;
        }
        rc = (long)a.nsamples == v[i].nsamples ? 0 : -1;
        activity_release(&a);
        if (rc < 0) {
            rc_free(v);
            return rc_fail(err, RC_EENV, "database %s: activity %lld has "
                                         "the wrong number of samples",
                           s->path, (long long)v[i].id);
        }
    }
    rc_free(v);
    return 0;
}
