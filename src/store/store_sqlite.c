/* store_sqlite.c - the SQLite backend of store.h, and the only file of
 * runcare with SQL in it.
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
#include "base/alloc.h"
#include "base/embedded.h"
#include "base/time.h"
#include "store/store.h"

#define MIGRATIONS_PREFIX "src/store/migrations/"
#define BUSY_TIMEOUT_MS 10000

enum stmt_id {
    ST_ADD_SOURCE,
    ST_FIND_SOURCE,
    ST_ADD_ACTIVITY,
    ST_ADD_LAP,
    ST_ADD_SAMPLES,
    ST_DEFAULT_SHOE,
    ST_LOG_IMPORT,
    ST_FIND_NEAR,
    ST_SOURCE_FORMAT,
    ST_COUNT
};

/* The columns of an activity as struct store_activity reads them. */
#define ACTIVITY_COLUMNS                                                    \
    "a.id, a.format, a.sport, a.sub_sport, a.name, a.start_s, "             \
    "a.utc_offset_s, a.local_day, a.elapsed_s, a.timer_s, a.moving_s, "     \
    "a.distance_m, a.ascent_m, a.descent_m, a.avg_hr_bpm, a.max_hr_bpm, "   \
    "a.avg_cadence_rpm, a.max_cadence_rpm, a.avg_power_w, "                 \
    "a.calories_kcal, a.computed, a.salvaged, a.device_manufacturer, "      \
    "a.device_product, a.device_serial, a.device_name, a.channels, "        \
    "a.nsamples, a.rpe, a.shoe_id, COALESCE(sh.name, ''), a.source_id, "    \
    "a.duplicate_of FROM activities a LEFT JOIN shoes sh ON sh.id = "       \
    "a.shoe_id "

static const char *const stmt_sql[ST_COUNT] = {
    [ST_ADD_SOURCE] = "INSERT INTO sources (sha256, path, size, format, "
                      "device, note, imported_s, raw_sha256, seen_key) "
                      "VALUES (?,?,?,?,?,?,?,?,?)",
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
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_ADD_LAP] = "INSERT INTO laps (activity_id, idx, start_s, elapsed_s, "
                   "timer_s, distance_m, ascent_m, descent_m, avg_hr_bpm, "
                   "max_hr_bpm, avg_cadence_rpm, max_cadence_rpm, "
                   "calories_kcal) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_ADD_SAMPLES] = "INSERT INTO samples (activity_id, data) VALUES (?,?)",
    [ST_DEFAULT_SHOE] = "SELECT id FROM shoes WHERE is_default AND NOT "
                        "retired LIMIT 1",
    [ST_LOG_IMPORT] = "INSERT INTO import_log (run, path, sha256, size, "
                      "status, reason, activity_id, at_s) VALUES "
                      "(?,?,?,?,?,?,?,?)",
    [ST_SOURCE_FORMAT] = "SELECT format FROM sources WHERE id = ?",
    [ST_FIND_NEAR] = "SELECT " ACTIVITY_COLUMNS
                     "WHERE a.duplicate_of IS NULL AND a.sport = ?1 AND "
                     "a.start_s BETWEEN ?2 AND ?3 ORDER BY a.start_s, a.id",
};

struct store {
    sqlite3 *db;
    bool in_tx; /* a transaction begun by store_begin */
    sqlite3_stmt *st[ST_COUNT];
    char path[4096];
};

/* ---- crash points for the kill test (test builds only) ---- */

#ifdef RC_TEST
static long crash_after = -1; /* -1: off */
static long crash_count;

static void crash_point(void)
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
static void crash_point(void)
{
}

static void crash_setup(void)
{
}
#endif

/* ---- errors and statements ---- */

static int db_fail(struct store *s, struct rc_err *err, const char *what)
{
    int code = sqlite3_errcode(s->db);
    if (code == SQLITE_FULL)
        return rc_fail(err, RC_EENV, "database %s: %s: the disk is full",
                       s->path, what);
    if (code == SQLITE_NOTADB)
        return rc_fail(err, RC_EENV, "%s is not a runcare database (%s)",
                       s->path, sqlite3_errmsg(s->db));
    return rc_fail(err, RC_EENV, "database %s: %s: %s", s->path, what,
                   sqlite3_errmsg(s->db));
}

static sqlite3_stmt *prep(struct store *s, enum stmt_id id,
                          struct rc_err *err)
{
    if (!s->st[id] &&
        sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->st[id], NULL) != SQLITE_OK) {
        db_fail(s, err, "prepare");
        return NULL;
    }
    sqlite3_reset(s->st[id]);
    sqlite3_clear_bindings(s->st[id]);
    return s->st[id];
}

/* A one-off statement (finalised by the caller). */
static sqlite3_stmt *prep_once(struct store *s, const char *sql,
                               struct rc_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(s, err, "prepare");
        return NULL;
    }
    return st;
}

/* Run a write statement to completion. */
static int step_write(struct store *s, sqlite3_stmt *st, struct rc_err *err)
{
    int rc;
    crash_point();
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(s, err, "write");
    return 0;
}

static int exec(struct store *s, const char *sql, struct rc_err *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(s, err, sql);
    return 0;
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static double col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? NAN
               : sqlite3_column_double(st, i);
}

static void col_text(sqlite3_stmt *st, int i, char *out, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (len >= n)
        len = n - 1; /* a fixed field: cut, as snprintf would */
    if (len)
        memcpy(out, t, len);
    out[len] = '\0';
}

/* ---- transactions ---- */

int store_begin(struct store *s, struct rc_err *err)
{
    if (s->in_tx)
        return rc_fail(err, RC_EENV, "database %s: transaction already open",
                       s->path);
    if (exec(s, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    s->in_tx = true;
    return 0;
}

int store_commit(struct store *s, struct rc_err *err)
{
    s->in_tx = false;
    crash_point();
    if (exec(s, "COMMIT", err) < 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

void store_rollback(struct store *s)
{
    if (sqlite3_get_autocommit(s->db) == 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = false;
}

int store_unit_begin(struct store *s, struct rc_err *err)
{
    if (!s->in_tx)
        return rc_fail(err, RC_EENV, "database %s: a unit needs a "
                                     "transaction", s->path);
    return exec(s, "SAVEPOINT unit", err);
}

int store_unit_end(struct store *s, struct rc_err *err)
{
    crash_point();
    return exec(s, "RELEASE unit", err);
}

void store_unit_undo(struct store *s)
{
    sqlite3_exec(s->db, "ROLLBACK TO unit", NULL, NULL, NULL);
    sqlite3_exec(s->db, "RELEASE unit", NULL, NULL, NULL);
}

/* Writes that are not inside the caller's transaction get their own. */
static int tx_enter(struct store *s, bool *own, struct rc_err *err)
{
    *own = !s->in_tx;
    return *own ? store_begin(s, err) : 0;
}

static int tx_leave(struct store *s, bool own, int rc, struct rc_err *err)
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

/* The embedded migrations, in order; their numbers must run 1, 2, 3 ... */
static int migrations(struct migration *out, int max)
{
    int n = 0;
    for (const struct rc_embedded *e = rc_embedded_files; e->path; e++) {
        const char *name;
        if (strncmp(e->path, MIGRATIONS_PREFIX, strlen(MIGRATIONS_PREFIX)))
            continue;
        name = e->path + strlen(MIGRATIONS_PREFIX);
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
    return migrations(m, 64);
}

static int user_version(struct store *s, int *v, struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(s, "PRAGMA user_version", err);
    if (!st)
        return -1;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_fail(s, err, "read the schema version");
    }
    *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return 0;
}

int store_schema_version(struct store *s)
{
    int v = -1;
    user_version(s, &v, NULL);
    return v;
}

/* A version-0 file that already has tables is somebody else's database. */
static int check_foreign(struct store *s, struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", err);
    int tables;
    if (!st)
        return -1;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_fail(s, err, "read the schema");
    }
    tables = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
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
    int n = migrations(m, 64), cur;

    if (n > 64)
        return rc_fail(err, RC_EENV, "too many migrations (%d)", n);
    for (int i = 0; i < n; i++)
        if (m[i].version != i + 1)
            return rc_fail(err, RC_EENV, "migration %s is out of sequence",
                           m[i].file->path);
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
        char sql[64];
        if (store_begin(s, err) < 0)
            return -1;
        /* another process may have migrated while we waited for the lock */
        if (user_version(s, &cur, err) < 0 ||
            (cur == 0 && check_foreign(s, err) < 0))
            goto fail;
        if (cur >= target) {
            store_rollback(s);
            break;
        }
        if (exec(s, (const char *)m[cur].file->data, err) < 0)
            goto fail;
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", cur + 1);
        if (exec(s, sql, err) < 0 || store_commit(s, err) < 0)
            goto fail;
        cur++;
    }
    return 0;
fail:
    store_rollback(s);
    return -1;
}

/* mkdir -p of the folder that holds path. */
static int make_parent(const char *path, struct rc_err *err)
{
    char dir[4096];
    char *slash;
    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return rc_fail(err, RC_EENV, "cannot create folder %s: %s", dir,
                           strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return rc_fail(err, RC_EENV, "cannot create folder %s: %s", dir,
                       strerror(errno));
    return 0;
}

/* Import writes each file inside a savepoint, and SQLite keeps what a
 * savepoint may have to undo in a statement journal that goes to a
 * temporary file past 64 KiB: a file created, written and deleted for
 * every batch of an import. Pages written by one file's unit are a few
 * hundred KiB at most, so they stay in memory. Must run before SQLite is
 * first used; when it cannot (SQLite already started), nothing is lost
 * but speed. */
#define STORE_STMT_JOURNAL_SPILL (4 << 20)
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STORE_STMT_JOURNAL_SPILL);
}

struct store *store_open_at(const char *path, unsigned flags, int version,
                            struct rc_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    struct store *s;
    struct stat st;
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

    pthread_once(&once, sqlite_setup);
    crash_setup();
    if (strlen(path) >= sizeof(s->path)) {
        rc_fail(err, RC_EENV, "database path is too long");
        return NULL;
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc_fail(err, RC_EENV, "database %s is a folder, not a file", path);
        return NULL;
    }
    if (flags & STORE_CREATE) {
        if (make_parent(path, err) < 0)
            return NULL;
        oflags |= SQLITE_OPEN_CREATE;
    } else if (access(path, F_OK) != 0) {
        rc_fail(err, RC_EENV, "no database at %s", path);
        return NULL;
    }
    s = rc_calloc(1, sizeof(*s));
    if (!s) {
        rc_fail(err, RC_EENV, "out of memory");
        return NULL;
    }
    snprintf(s->path, sizeof(s->path), "%s", path);
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        if (s->db)
            db_fail(s, err, "open");
        else
            rc_fail(err, RC_EENV, "database %s: cannot open", path);
        store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 0);
    if (exec(s, "PRAGMA journal_mode = WAL", err) < 0 ||
        exec(s, "PRAGMA synchronous = NORMAL", err) < 0 ||
        exec(s, "PRAGMA foreign_keys = ON", err) < 0 ||
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
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    rc_free(s);
}

/* The first row of a query that must return nothing; its text in bad. */
static int expect_none(struct store *s, const char *sql, const char *what,
                       struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(s, sql, err);
    int rc;
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        rc_fail(err, RC_EENV, "database %s: %s (%s)", s->path, what,
                sqlite3_column_text(st, 0) ? (const char *)
                                                 sqlite3_column_text(st, 0)
                                           : "?");
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, what);
}

int store_check(struct store *s, struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(s, "PRAGMA integrity_check", err);
    struct store_filter f;
    struct store_activity *v;
    size_t n;
    int rc;
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0),
                                   "ok")) {
        rc_fail(err, RC_EENV, "database %s: integrity check: %s", s->path,
                rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0)
                                 : sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    if (expect_none(s, "PRAGMA foreign_key_check", "a foreign key points "
                                                   "nowhere", err) < 0 ||
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

/* ---- sources ---- */

int store_add_source(struct store *s, const struct store_source *src,
                     int64_t *id, struct rc_err *err)
{
    sqlite3_stmt *st = prep(s, ST_ADD_SOURCE, err);
    bool own;
    int rc;
    if (!st || tx_enter(s, &own, err) < 0)
        return -1;
    sqlite3_bind_blob(st, 1, src->sha256, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, src->path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, src->size);
    sqlite3_bind_text(st, 4, src->format, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, src->device, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, src->note, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 7, src->imported_s);
    if (src->has_raw)
        sqlite3_bind_blob(st, 8, src->raw_sha256, 32, SQLITE_STATIC);
    if (src->has_seen)
        sqlite3_bind_blob(st, 9, src->seen_key, 32, SQLITE_STATIC);
    rc = step_write(s, st, err);
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(s->db);
    return tx_leave(s, own, rc, err);
}

int store_source_find(struct store *s, const unsigned char sha256[32],
                      int64_t *id, struct rc_err *err)
{
    sqlite3_stmt *st = prep(s, ST_FIND_SOURCE, err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, sha256, 32, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (id)
            *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return 1;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(s, err, "find a source");
    return 0;
}

int store_source_hashes(struct store *s, unsigned char **out, size_t *n,
                        struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "SELECT sha256 FROM sources UNION ALL SELECT raw_sha256 FROM "
           "sources WHERE raw_sha256 IS NOT NULL UNION ALL SELECT seen_key "
           "FROM sources WHERE seen_key IS NOT NULL UNION ALL SELECT key "
           "FROM archives", err);
    unsigned char *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 32)
            continue;
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            unsigned char *nv = rc_realloc(v, ncap * 32);
            if (!nv) {
                rc_free(v);
                sqlite3_finalize(st);
                return rc_fail(err, RC_EENV, "out of memory");
            }
            v = nv;
            cap = ncap;
        }
        memcpy(v + 32 * len++, sqlite3_column_blob(st, 0), 32);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc_free(v);
        return db_fail(s, err, "read the sources");
    }
    *out = v;
    *n = len;
    return 0;
}

int store_archive_done(struct store *s, const unsigned char key[32],
                       const char *path, long files, long skipped,
                       struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "INSERT OR REPLACE INTO archives (key, path, files, skipped, "
           "imported_s) VALUES (?, ?, ?, ?, ?)", err);
    bool own;
    int rc;
    if (!st)
        return -1;
    if (tx_enter(s, &own, err) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_bind_blob(st, 1, key, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, files);
    sqlite3_bind_int64(st, 4, skipped);
    sqlite3_bind_double(st, 5, rc_now());
    rc = step_write(s, st, err);
    sqlite3_finalize(st);
    return tx_leave(s, own, rc, err);
}

int store_archive_find(struct store *s, const unsigned char key[32],
                       long *files, long *skipped, struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "SELECT files, skipped FROM archives WHERE key = ?", err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, key, 32, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *files = (long)sqlite3_column_int64(st, 0);
        *skipped = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "read the archives");
}

int store_source_activity(struct store *s, int64_t source_id, int64_t *id,
                          struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s,
        "SELECT COALESCE(duplicate_of, id) FROM activities WHERE "
        "source_id = ? ORDER BY id LIMIT 1",
        err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, source_id);
    rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(s, err, "read a source");
    return 0;
}

/* ---- activities ---- */

static long local_day(const struct activity *a)
{
    return rc_day_of(a->start_s + (a->has_utc_offset ? a->utc_offset_s : 0));
}

static int add_laps(struct store *s, int64_t id, const struct activity *a,
                    struct rc_err *err)
{
    for (size_t i = 0; i < a->nlaps; i++) {
        const struct activity_lap *l = &a->laps[i];
        sqlite3_stmt *st = prep(s, ST_ADD_LAP, err);
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        bind_real(st, 3, l->start_s);
        bind_real(st, 4, l->elapsed_s);
        bind_real(st, 5, l->timer_s);
        bind_real(st, 6, l->distance_m);
        bind_real(st, 7, l->ascent_m);
        bind_real(st, 8, l->descent_m);
        bind_real(st, 9, l->avg_hr_bpm);
        bind_real(st, 10, l->max_hr_bpm);
        bind_real(st, 11, l->avg_cadence_rpm);
        bind_real(st, 12, l->max_cadence_rpm);
        bind_real(st, 13, l->calories_kcal);
        if (step_write(s, st, err) < 0)
            return -1;
    }
    return 0;
}

static int default_shoe(struct store *s, int64_t *shoe, struct rc_err *err)
{
    sqlite3_stmt *st = prep(s, ST_DEFAULT_SHOE, err);
    int rc;
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    *shoe = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(s, err, "read the default shoe");
    return 0;
}

int store_add_activity(struct store *s, const struct activity *a,
                       int64_t source_id, int64_t *id, struct rc_err *err)
{
    struct rc_buf blob;
    struct store_samples smp;
    int rc;

    rc_buf_init(&blob, (size_t)ACTIVITY_MAX_SAMPLES * 64);
    if (store_samples_encode(a, &blob, &smp.channels, err) < 0) {
        rc_buf_release(&blob);
        return -1;
    }
    smp.blob = blob.data;
    smp.len = blob.len;
    smp.count = smp.channels ? a->nsamples : 0;
    rc = store_add_activity_encoded(s, a, &smp, source_id, id, err);
    rc_buf_release(&blob);
    return rc;
}

int store_add_activity_encoded(struct store *s, const struct activity *a,
                               const struct store_samples *smp,
                               int64_t source_id, int64_t *id,
                               struct rc_err *err)
{
    unsigned channels = smp->channels;
    int64_t shoe = 0, new_id = 0;
    sqlite3_stmt *st;
    const char *format = "manual";
    char fmt[8];
    bool own;
    int rc = -1, k = 1;

    if (tx_enter(s, &own, err) < 0)
        return -1;
    if (!strcmp(a->sport, "running") && default_shoe(s, &shoe, err) < 0)
        goto leave;
    if (source_id) {
        sqlite3_stmt *f = prep(s, ST_SOURCE_FORMAT, err);
        if (!f)
            goto leave;
        sqlite3_bind_int64(f, 1, source_id);
        if (sqlite3_step(f) != SQLITE_ROW) {
            sqlite3_reset(f);
            rc_fail(err, RC_EENV, "database %s: no source %lld", s->path,
                    (long long)source_id);
            goto leave;
        }
        col_text(f, 0, fmt, sizeof(fmt));
        sqlite3_reset(f);
        format = fmt;
    }
    st = prep(s, ST_ADD_ACTIVITY, err);
    if (!st)
        goto leave;
    if (source_id)
        sqlite3_bind_int64(st, k++, source_id);
    else
        sqlite3_bind_null(st, k++);
    sqlite3_bind_text(st, k++, format, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, k++, a->sport[0] ? a->sport : "generic", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, k++, a->sub_sport, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, k++, a->name, -1, SQLITE_STATIC);
    bind_real(st, k++, a->start_s);
    if (a->has_utc_offset)
        sqlite3_bind_int(st, k++, a->utc_offset_s);
    else
        sqlite3_bind_null(st, k++);
    if (isfinite(a->start_s))
        sqlite3_bind_int64(st, k++, local_day(a));
    else
        sqlite3_bind_null(st, k++);
    bind_real(st, k++, a->elapsed_s);
    bind_real(st, k++, a->timer_s);
    bind_real(st, k++, a->moving_s);
    bind_real(st, k++, a->distance_m);
    bind_real(st, k++, a->ascent_m);
    bind_real(st, k++, a->descent_m);
    bind_real(st, k++, a->avg_hr_bpm);
    bind_real(st, k++, a->max_hr_bpm);
    bind_real(st, k++, a->avg_cadence_rpm);
    bind_real(st, k++, a->max_cadence_rpm);
    bind_real(st, k++, a->avg_power_w);
    bind_real(st, k++, a->calories_kcal);
    sqlite3_bind_int(st, k++, (int)a->computed);
    sqlite3_bind_int(st, k++, a->salvaged);
    sqlite3_bind_text(st, k++, a->device.manufacturer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, k++, a->device.product);
    sqlite3_bind_int64(st, k++, a->device.serial);
    sqlite3_bind_text(st, k++, a->device.product_name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, k++, (int)channels);
    sqlite3_bind_int64(st, k++, channels ? (int64_t)smp->count : 0);
    sqlite3_bind_int64(st, k++, (int64_t)a->nlaps);
    if (shoe)
        sqlite3_bind_int64(st, k++, shoe);
    else
        sqlite3_bind_null(st, k++);
    if (step_write(s, st, err) < 0)
        goto leave;
    new_id = sqlite3_last_insert_rowid(s->db);
    if (add_laps(s, new_id, a, err) < 0)
        goto leave;
    if (smp->count && channels) {
        st = prep(s, ST_ADD_SAMPLES, err);
        if (!st)
            goto leave;
        sqlite3_bind_int64(st, 1, new_id);
        sqlite3_bind_blob64(st, 2, smp->blob, smp->len, SQLITE_STATIC);
        if (step_write(s, st, err) < 0)
            goto leave;
    }
    rc = 0;
leave:
    rc = tx_leave(s, own, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

void store_filter_init(struct store_filter *f)
{
    f->since_day = LONG_MIN;
    f->until_day = LONG_MAX;
    f->sport = NULL;
    f->duplicates = false;
}

static void read_activity(sqlite3_stmt *st, struct store_activity *o)
{
    struct activity *a = &o->act;
    int k = 0;
    activity_init(a);
    o->id = sqlite3_column_int64(st, k++);
    col_text(st, k++, o->format, sizeof(o->format));
    col_text(st, k++, a->sport, sizeof(a->sport));
    col_text(st, k++, a->sub_sport, sizeof(a->sub_sport));
    col_text(st, k++, a->name, sizeof(a->name));
    a->start_s = col_real(st, k++);
    a->has_utc_offset = sqlite3_column_type(st, k) != SQLITE_NULL;
    a->utc_offset_s = sqlite3_column_int(st, k++);
    o->local_day = sqlite3_column_type(st, k) == SQLITE_NULL
                       ? 0
                       : (long)sqlite3_column_int64(st, k);
    k++;
    a->elapsed_s = col_real(st, k++);
    a->timer_s = col_real(st, k++);
    a->moving_s = col_real(st, k++);
    a->distance_m = col_real(st, k++);
    a->ascent_m = col_real(st, k++);
    a->descent_m = col_real(st, k++);
    a->avg_hr_bpm = (float)col_real(st, k++);
    a->max_hr_bpm = (float)col_real(st, k++);
    a->avg_cadence_rpm = (float)col_real(st, k++);
    a->max_cadence_rpm = (float)col_real(st, k++);
    a->avg_power_w = (float)col_real(st, k++);
    a->calories_kcal = (float)col_real(st, k++);
    a->computed = (unsigned)sqlite3_column_int(st, k++);
    a->salvaged = sqlite3_column_int(st, k++) != 0;
    col_text(st, k++, a->device.manufacturer, sizeof(a->device.manufacturer));
    a->device.product = (uint32_t)sqlite3_column_int64(st, k++);
    a->device.serial = (uint32_t)sqlite3_column_int64(st, k++);
    col_text(st, k++, a->device.product_name, sizeof(a->device.product_name));
    o->channels = (unsigned)sqlite3_column_int(st, k++);
    o->nsamples = (long)sqlite3_column_int64(st, k++);
    o->rpe = (float)col_real(st, k++);
    o->shoe_id = sqlite3_column_int64(st, k++);
    col_text(st, k++, o->shoe, sizeof(o->shoe));
    o->source_id = sqlite3_column_int64(st, k++);
    o->duplicate_of = sqlite3_column_int64(st, k++);
}

/* Step st to the end, collecting every row as an activity. */
static int collect(struct store *s, sqlite3_stmt *st,
                   struct store_activity **out, size_t *n, struct rc_err *err)
{
    struct store_activity *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            struct store_activity *nv = rc_realloc(v, ncap * sizeof(*v));
            if (!nv) {
                rc_free(v);
                return rc_fail(err, RC_EENV, "out of memory");
            }
            v = nv;
            cap = ncap;
        }
        read_activity(st, &v[len++]);
    }
    if (rc != SQLITE_DONE) {
        rc_free(v);
        return db_fail(s, err, "read the activities");
    }
    *out = v;
    *n = len;
    return 0;
}

int store_list_activities(struct store *s, const struct store_filter *f,
                          struct store_activity **out, size_t *n,
                          struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s,
        "SELECT " ACTIVITY_COLUMNS
        "WHERE (?1 IS NULL OR a.local_day >= ?1) AND (?2 IS NULL OR "
        "a.local_day <= ?2) AND (?3 IS NULL OR a.sport = ?3) AND (?4 OR "
        "a.duplicate_of IS NULL) ORDER BY a.start_s, a.id",
        err);
    int rc;
    if (!st)
        return -1;
    if (f->since_day != LONG_MIN)
        sqlite3_bind_int64(st, 1, f->since_day);
    if (f->until_day != LONG_MAX)
        sqlite3_bind_int64(st, 2, f->until_day);
    if (f->sport)
        sqlite3_bind_text(st, 3, f->sport, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, f->duplicates);
    rc = collect(s, st, out, n, err);
    sqlite3_finalize(st);
    return rc;
}

int store_find_near(struct store *s, const char *sport, double start_s,
                    double window_s, struct store_activity **out, size_t *n,
                    struct rc_err *err)
{
    sqlite3_stmt *st = prep(s, ST_FIND_NEAR, err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, sport, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 2, start_s - window_s);
    sqlite3_bind_double(st, 3, start_s + window_s);
    rc = collect(s, st, out, n, err);
    sqlite3_reset(st);
    return rc;
}

static int load_laps(struct store *s, int64_t id, struct activity *a,
                     struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s,
        "SELECT start_s, elapsed_s, timer_s, distance_m, ascent_m, "
        "descent_m, avg_hr_bpm, max_hr_bpm, avg_cadence_rpm, "
        "max_cadence_rpm, calories_kcal FROM laps WHERE activity_id = ? "
        "ORDER BY idx",
        err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct activity_lap *l = activity_add_lap(a, err);
        if (!l) {
            sqlite3_finalize(st);
            return -1;
        }
        l->start_s = col_real(st, 0);
        l->elapsed_s = col_real(st, 1);
        l->timer_s = col_real(st, 2);
        l->distance_m = col_real(st, 3);
        l->ascent_m = col_real(st, 4);
        l->descent_m = col_real(st, 5);
        l->avg_hr_bpm = (float)col_real(st, 6);
        l->max_hr_bpm = (float)col_real(st, 7);
        l->avg_cadence_rpm = (float)col_real(st, 8);
        l->max_cadence_rpm = (float)col_real(st, 9);
        l->calories_kcal = (float)col_real(st, 10);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "read the laps");
}

static int load_samples(struct store *s, int64_t id, struct activity *a,
                        struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "SELECT data FROM samples WHERE activity_id = ?", err);
    int rc, out = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out = store_samples_decode(sqlite3_column_blob(st, 0),
                                   (size_t)sqlite3_column_bytes(st, 0), a,
                                   err);
        if (out < 0)
            rc_fail(err, RC_EENV, "database %s: activity %lld: bad samples",
                    s->path, (long long)id);
    } else if (rc != SQLITE_DONE) {
        out = db_fail(s, err, "read the samples");
    }
    sqlite3_finalize(st);
    return out;
}

int store_get_activity(struct store *s, int64_t id, struct store_activity *out,
                       struct activity *full, struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(s, "SELECT " ACTIVITY_COLUMNS
                                    "WHERE a.id = ?", err);
    struct store_activity *v;
    size_t n;
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    rc = collect(s, st, &v, &n, err);
    sqlite3_finalize(st);
    if (rc < 0)
        return -1;
    if (n == 0) {
        rc_free(v);
        return rc_fail(err, RC_EINPUT, "no activity %lld in the log",
                       (long long)id);
    }
    if (full) {
        struct activity a = v[0].act;
        a.laps = NULL;
        a.samples = NULL;
        a.nlaps = a.laps_cap = a.nsamples = a.samples_cap = 0;
        if (load_laps(s, id, &a, err) < 0 || load_samples(s, id, &a, err) < 0) {
            activity_release(&a);
            rc_free(v);
            return -1;
        }
        *full = a;
    }
    *out = v[0];
    rc_free(v);
    return 0;
}

/* Run one write statement with integer/text arguments given as a format:
 * 'i' int64, 'r' double (NAN -> NULL), 't' text (NULL -> NULL). Returns
 * the number of rows changed, or -1. */
static int run(struct store *s, struct rc_err *err, const char *sql,
               const char *types, ...)
{
    sqlite3_stmt *st = prep_once(s, sql, err);
    va_list ap;
    int rc;
    if (!st)
        return -1;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i') {
            sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else if (types[i] == 'r') {
            bind_real(st, i + 1, va_arg(ap, double));
        } else {
            const char *t = va_arg(ap, const char *);
            if (t)
                sqlite3_bind_text(st, i + 1, t, -1, SQLITE_TRANSIENT);
        }
    }
    va_end(ap);
    rc = step_write(s, st, err);
    sqlite3_finalize(st);
    return rc < 0 ? -1 : sqlite3_changes(s->db);
}

static int exists(struct store *s, const char *table, int64_t id,
                  struct rc_err *err)
{
    char sql[128];
    sqlite3_stmt *st;
    int rc;
    snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE id = ?", table);
    st = prep_once(s, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return db_fail(s, err, "read");
}

static int need_activity(struct store *s, int64_t id, struct rc_err *err)
{
    int e = exists(s, "activities", id, err);
    if (e < 0)
        return -1;
    if (!e)
        return rc_fail(err, RC_EINPUT, "no activity %lld in the log",
                       (long long)id);
    return 0;
}

int store_mark_duplicate(struct store *s, int64_t loser, int64_t winner,
                         struct rc_err *err)
{
    bool own;
    int rc = -1;
    if (loser == winner)
        return rc_fail(err, RC_EINPUT, "activity %lld cannot duplicate itself",
                       (long long)loser);
    if (tx_enter(s, &own, err) < 0)
        return -1;
    if (need_activity(s, loser, err) < 0 || need_activity(s, winner, err) < 0)
        goto leave;
    if (run(s, err,
            "UPDATE activities SET "
            "rpe = COALESCE(rpe, (SELECT rpe FROM activities WHERE id = ?1)), "
            "shoe_id = COALESCE((SELECT shoe_id FROM activities WHERE "
            "id = ?1), shoe_id), "
            "notes = CASE WHEN notes = '' THEN (SELECT notes FROM activities "
            "WHERE id = ?1) ELSE notes END, "
            "name = CASE WHEN name = '' THEN (SELECT name FROM activities "
            "WHERE id = ?1) ELSE name END, "
            "description = CASE WHEN description = '' THEN (SELECT "
            "description FROM activities WHERE id = ?1) ELSE description END "
            "WHERE id = ?2",
            "ii", loser, winner) < 0 ||
        run(s, err, "UPDATE activities SET duplicate_of = ?2 WHERE id = ?1 "
                    "OR duplicate_of = ?1", "ii", loser, winner) < 0 ||
        run(s, err, "DELETE FROM samples WHERE activity_id = ?1", "i",
            loser) < 0)
        goto leave;
    rc = 0;
leave:
    return tx_leave(s, own, rc, err);
}

int store_set_rpe(struct store *s, int64_t id, double rpe, struct rc_err *err)
{
    bool own;
    int rc;
    if (!isnan(rpe) && !(rpe >= 0 && rpe <= 10))
        return rc_fail(err, RC_EINPUT, "RPE %g is outside 0-10 (CR-10)", rpe);
    if (tx_enter(s, &own, err) < 0)
        return -1;
    rc = need_activity(s, id, err);
    if (rc == 0 && run(s, err, "UPDATE activities SET rpe = ? WHERE id = ?",
                       "ri", rpe, id) < 0)
        rc = -1;
    return tx_leave(s, own, rc, err);
}

/* Run an UPDATE of one activity whose parameters are ?1 and ?2 (texts,
 * NULL for "leave as is") and ?3 (the id), after checking it exists. */
static int update_activity(struct store *s, int64_t id, const char *sql,
                           const char *t1, const char *t2,
                           struct rc_err *err)
{
    bool own;
    int rc;
    if (tx_enter(s, &own, err) < 0)
        return -1;
    rc = need_activity(s, id, err);
    if (rc == 0 && run(s, err, sql, "tti", t1, t2, id) < 0)
        rc = -1;
    return tx_leave(s, own, rc, err);
}

int store_set_notes(struct store *s, int64_t id, const char *notes,
                    struct rc_err *err)
{
    return update_activity(s, id, "UPDATE activities SET notes = "
                                  "COALESCE(?1, notes) WHERE id = ?3",
                           notes, NULL, err);
}

int store_set_title(struct store *s, int64_t id, const char *name,
                    const char *description, struct rc_err *err)
{
    return update_activity(s, id, "UPDATE activities SET name = "
                                  "COALESCE(?1, name), description = "
                                  "COALESCE(?2, description) WHERE id = ?3",
                           name, description, err);
}

int store_set_sport(struct store *s, int64_t id, const char *sport,
                    const char *sub_sport, struct rc_err *err)
{
    return update_activity(s, id, "UPDATE activities SET sport = "
                                  "COALESCE(?1, sport), sub_sport = "
                                  "COALESCE(?2, sub_sport) WHERE id = ?3",
                           sport, sub_sport, err);
}

int store_get_texts(struct store *s, int64_t id, char **description,
                    char **notes, struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "SELECT description, notes FROM activities WHERE id = ?", err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return rc_fail(err, RC_EINPUT, "no activity %lld in the log",
                           (long long)id);
        return db_fail(s, err, "read an activity");
    }
    *description = rc_strdup((const char *)sqlite3_column_text(st, 0));
    *notes = rc_strdup((const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    if (!*description || !*notes) {
        rc_free(*description);
        rc_free(*notes);
        return rc_fail(err, RC_EENV, "out of memory");
    }
    return 0;
}

int store_totals(struct store *s, struct store_totals *t, struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s,
        "SELECT COUNT(*), COALESCE(SUM(sport = 'running'), 0), "
        "COALESCE(MIN(local_day), 0), COALESCE(MAX(local_day), 0), "
        "COALESCE(SUM(CASE WHEN sport = 'running' THEN distance_m END), 0) "
        "FROM activities WHERE duplicate_of IS NULL",
        err);
    int rc;
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        t->activities = (long)sqlite3_column_int64(st, 0);
        t->runs = (long)sqlite3_column_int64(st, 1);
        t->first_day = (long)sqlite3_column_int64(st, 2);
        t->last_day = (long)sqlite3_column_int64(st, 3);
        t->running_km = sqlite3_column_double(st, 4) / 1000;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_fail(s, err, "count the activities");
}

/* ---- shoes ---- */

static int check_km(const char *what, double km, struct rc_err *err)
{
    if (!isfinite(km) || km < 0 || km > 100000)
        return rc_fail(err, RC_EINPUT, "%s %g km is not in 0-100000", what,
                       km);
    return 0;
}

int store_shoe_add(struct store *s, const char *name, double start_km,
                   double limit_km, int64_t *id, struct rc_err *err)
{
    struct store_shoe old;
    struct rc_err ignore = RC_ERR_INIT;
    bool own;
    int rc = -1;

    if (isnan(limit_km))
        limit_km = STORE_SHOE_LIMIT_KM;
    if (!name[0] || strlen(name) >= sizeof(old.name))
        return rc_fail(err, RC_EINPUT, "shoe name must be 1-%zu bytes",
                       sizeof(old.name) - 1);
    if (check_km("starting distance", start_km, err) < 0 ||
        check_km("limit", limit_km, err) < 0)
        return -1;
    if (limit_km <= 0)
        return rc_fail(err, RC_EINPUT, "limit must be above 0 km");
    if (tx_enter(s, &own, err) < 0)
        return -1;
    if (store_shoe_get(s, name, &old, &ignore) == 0) {
        rc_fail(err, RC_EINPUT, "there is already a shoe named \"%s\"",
                old.name);
        goto leave;
    }
    if (ignore.status == RC_EENV) {
        if (err)
            *err = ignore;
        goto leave;
    }
    if (run(s, err, "INSERT INTO shoes (name, start_km, limit_km) VALUES "
                    "(?, ?, ?)", "trr", name, start_km, limit_km) < 0)
        goto leave;
    if (id)
        *id = sqlite3_last_insert_rowid(s->db);
    rc = 0;
leave:
    return tx_leave(s, own, rc, err);
}

#define SHOE_SELECT                                                         \
    "SELECT sh.id, sh.name, sh.start_km, sh.limit_km, sh.retired, "         \
    "sh.is_default, COUNT(a.id), COALESCE(SUM(a.distance_m), 0) FROM shoes " \
    "sh LEFT JOIN activities a ON a.shoe_id = sh.id AND a.duplicate_of IS " \
    "NULL "

static void read_shoe(sqlite3_stmt *st, struct store_shoe *o)
{
    o->id = sqlite3_column_int64(st, 0);
    col_text(st, 1, o->name, sizeof(o->name));
    o->start_km = sqlite3_column_double(st, 2);
    o->limit_km = sqlite3_column_double(st, 3);
    o->retired = sqlite3_column_int(st, 4) != 0;
    o->is_default = sqlite3_column_int(st, 5) != 0;
    o->runs = (long)sqlite3_column_int64(st, 6);
    o->used_km = o->start_km + sqlite3_column_double(st, 7) / 1000;
}

int store_shoe_get(struct store *s, const char *name, struct store_shoe *out,
                   struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, SHOE_SELECT "WHERE sh.name = ? GROUP BY sh.id", err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_shoe(st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return rc_fail(err, RC_EINPUT, "no shoe named \"%s\"; add it with "
                                       "'runcare shoe add'", name);
    return db_fail(s, err, "read the shoes");
}

int store_shoe_ensure(struct store *s, const char *name, int64_t *id,
                      struct rc_err *err)
{
    /* by name only: store_shoe_get would sum every activity's km, and
     * import calls this once per row of a Strava export */
    sqlite3_stmt *st = prep_once(s, "SELECT id FROM shoes WHERE name = ?",
                                 err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return db_fail(s, err, "read the shoes");
    return store_shoe_add(s, name, 0, NAN, id, err);
}

int store_shoe_list(struct store *s, struct store_shoe **out, size_t *n,
                    struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, SHOE_SELECT "GROUP BY sh.id ORDER BY sh.name", err);
    struct store_shoe *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct store_shoe *nv = rc_realloc(v, ncap * sizeof(*v));
            if (!nv) {
                rc_free(v);
                sqlite3_finalize(st);
                return rc_fail(err, RC_EENV, "out of memory");
            }
            v = nv;
            cap = ncap;
        }
        read_shoe(st, &v[len++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc_free(v);
        return db_fail(s, err, "read the shoes");
    }
    *out = v;
    *n = len;
    return 0;
}

int store_shoe_retire(struct store *s, int64_t shoe_id, bool retired,
                      struct rc_err *err)
{
    int k = run(s, err, "UPDATE shoes SET retired = ?, is_default = "
                        "is_default AND NOT ? WHERE id = ?",
                "iii", (int64_t)retired, (int64_t)retired, shoe_id);
    if (k < 0)
        return -1;
    if (k == 0)
        return rc_fail(err, RC_EINPUT, "no shoe %lld", (long long)shoe_id);
    return 0;
}

int store_shoe_set_default(struct store *s, int64_t shoe_id,
                           struct rc_err *err)
{
    bool own;
    int rc = -1;
    if (tx_enter(s, &own, err) < 0)
        return -1;
    if (shoe_id) {
        int e = exists(s, "shoes", shoe_id, err);
        if (e < 0)
            goto leave;
        if (!e) {
            rc_fail(err, RC_EINPUT, "no shoe %lld", (long long)shoe_id);
            goto leave;
        }
    }
    if (run(s, err, "UPDATE shoes SET is_default = (id = ?)", "i",
            shoe_id) < 0 ||
        run(s, err, "UPDATE shoes SET retired = 0 WHERE id = ?", "i",
            shoe_id) < 0)
        goto leave;
    rc = 0;
leave:
    return tx_leave(s, own, rc, err);
}

int store_set_shoe(struct store *s, int64_t activity_id, int64_t shoe_id,
                   struct rc_err *err)
{
    bool own;
    int rc = -1;
    if (tx_enter(s, &own, err) < 0)
        return -1;
    if (need_activity(s, activity_id, err) < 0)
        goto leave;
    if (shoe_id) {
        int e = exists(s, "shoes", shoe_id, err);
        if (e < 0)
            goto leave;
        if (!e) {
            rc_fail(err, RC_EINPUT, "no shoe %lld", (long long)shoe_id);
            goto leave;
        }
        if (run(s, err, "UPDATE activities SET shoe_id = ? WHERE id = ?",
                "ii", shoe_id, activity_id) < 0)
            goto leave;
    } else if (run(s, err, "UPDATE activities SET shoe_id = NULL WHERE "
                           "id = ?", "i", activity_id) < 0) {
        goto leave;
    }
    rc = 0;
leave:
    return tx_leave(s, own, rc, err);
}

/* ---- import log ---- */

static const char *const status_names[] = {
    [STORE_IMPORTED] = "imported",       [STORE_SALVAGED] = "salvaged",
    [STORE_DUPLICATE] = "duplicate",     [STORE_NOT_ACTIVITY] = "not_activity",
    [STORE_SKIPPED] = "skipped",         [STORE_FAILED] = "failed",
};

const char *store_import_status_name(enum store_import_status st)
{
    return (unsigned)st < RC_ARRAY_SIZE(status_names) ? status_names[st]
                                                      : "failed";
}

int store_import_run(struct store *s, int64_t *run_id, struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "SELECT COALESCE(MAX(run), 0) + 1 FROM import_log", err);
    int rc;
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *run_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_fail(s, err, "read the import log");
}

int store_log_import(struct store *s, const struct store_import_entry *e,
                     struct rc_err *err)
{
    sqlite3_stmt *st = prep(s, ST_LOG_IMPORT, err);
    bool own;
    int rc;
    if (!st || tx_enter(s, &own, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, e->run);
    sqlite3_bind_text(st, 2, e->path, -1, SQLITE_STATIC);
    if (e->sha256)
        sqlite3_bind_blob(st, 3, e->sha256, 32, SQLITE_STATIC);
    if (e->size >= 0)
        sqlite3_bind_int64(st, 4, e->size);
    sqlite3_bind_text(st, 5, store_import_status_name(e->status), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->reason ? e->reason : "", -1, SQLITE_STATIC);
    if (e->activity_id)
        sqlite3_bind_int64(st, 7, e->activity_id);
    sqlite3_bind_double(st, 8, rc_now());
    rc = step_write(s, st, err);
    return tx_leave(s, own, rc, err);
}

int store_import_count(struct store *s, int64_t run_id,
                       enum store_import_status status, long *count,
                       struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "SELECT COUNT(*) FROM import_log WHERE (?1 = 0 OR run = ?1) AND "
           "status = ?2", err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_text(st, 2, store_import_status_name(status), -1,
                      SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *count = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_fail(s, err, "read the import log");
}

int store_import_find(struct store *s, int64_t run_id, const char *path,
                      int64_t *id, struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "SELECT COALESCE(activity_id, 0) FROM import_log WHERE run = ? "
           "AND path = ? ORDER BY id DESC LIMIT 1", err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(s, err, "read the import log");
    return 0;
}

int store_import_status(struct store *s, int64_t run_id, const char *path,
                        enum store_import_status *st, struct rc_err *err)
{
    sqlite3_stmt *q = prep_once(
        s, "SELECT status FROM import_log WHERE run = ? AND path = ? ORDER "
           "BY id DESC LIMIT 1", err);
    int rc, found = 0;
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, run_id);
    sqlite3_bind_text(q, 2, path, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        found = 1;
        *st = STORE_FAILED;
        for (unsigned i = 0; i < RC_ARRAY_SIZE(status_names); i++)
            if (name && !strcmp(name, status_names[i]))
                *st = (enum store_import_status)i;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(s, err, "read the import log");
    return found;
}

/* ---- the pain diary ---- */

int store_add_report(struct store *s, const char *report_json,
                     const char *result_json, double created_s, int64_t *id,
                     struct rc_err *err)
{
    bool own;
    int rc = -1;
    if (!report_json)
        return rc_fail(err, RC_EINPUT, "no report to keep");
    if (tx_enter(s, &own, err) < 0)
        return -1;
    if (run(s, err, "INSERT INTO reports (created_s, report_json, "
                    "result_json) VALUES (?, ?, ?)", "rtt", created_s,
            report_json, result_json ? result_json : "") >= 0) {
        if (id)
            *id = sqlite3_last_insert_rowid(s->db);
        rc = 0;
    }
    return tx_leave(s, own, rc, err);
}

void store_reports_free(struct store_report *r, size_t n)
{
    if (!r)
        return;
    for (size_t i = 0; i < n; i++) {
        rc_free(r[i].report_json);
        rc_free(r[i].result_json);
    }
    rc_free(r);
}

int store_list_reports(struct store *s, double since_s,
                       struct store_report **out, size_t *n,
                       struct rc_err *err)
{
    sqlite3_stmt *st = prep_once(
        s, "SELECT id, created_s, report_json, result_json FROM reports "
           "WHERE created_s >= ? ORDER BY created_s, id", err);
    struct store_report *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_double(st, 1, isfinite(since_s) ? since_s : -1e300);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_report *r;
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct store_report *nv = rc_realloc(v, ncap * sizeof(*v));
            if (!nv)
                goto oom;
            v = nv;
            cap = ncap;
        }
        r = &v[len];
        r->id = sqlite3_column_int64(st, 0);
        r->created_s = sqlite3_column_double(st, 1);
        r->report_json = rc_strdup((const char *)sqlite3_column_text(st, 2));
        r->result_json = rc_strdup((const char *)sqlite3_column_text(st, 3));
        len++;
        if (!r->report_json || !r->result_json)
            goto oom;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_reports_free(v, len);
        return db_fail(s, err, "read the diary");
    }
    *out = v;
    *n = len;
    return 0;
oom:
    sqlite3_finalize(st);
    store_reports_free(v, len);
    return rc_fail(err, RC_EENV, "out of memory");
}
