/* store_sqlite_import.c - what import writes besides activities (store.h,
 * both backends; see store_int.h): the sources, whole archives, and
 * the import log of every file each import saw */
#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "store/store_int.h"

int store_add_source(struct store *s, const struct store_source *src,
                     int64_t *id, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep(s, ST_ADD_SOURCE, err);
    int64_t new_id = 0;
    bool own;
    int rc;
    if (!st || store_tx_enter(s, &own, err) < 0)
        return -1;
    db_bind_blob(st, 1, src->sha256, 32);
    db_bind_text(st, 2, src->path);
    db_bind_int64(st, 3, src->size);
    db_bind_text(st, 4, src->format);
    db_bind_text(st, 5, src->device);
    db_bind_text(st, 6, src->note);
    db_bind_double(st, 7, src->imported_s);
    if (src->has_raw)
        db_bind_blob(st, 8, src->raw_sha256, 32);
    if (src->has_seen)
        db_bind_blob(st, 9, src->seen_key, 32);
    rc = store_sql_step_insert(s, st, &new_id, err);
    if (rc == 0) {
        rc = store_history_record(s, "source", new_id, "add", NULL, NULL,
                                  err);
        if (rc == 0 && id)
            *id = new_id;
    }
    return store_tx_leave(s, own, rc, err);
}

int store_source_find(struct store *s, const unsigned char sha256[32],
                      int64_t *id, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep(s, ST_FIND_SOURCE, err);
    int rc;
    if (!st)
        return -1;
    db_bind_blob(st, 1, sha256, 32);
    rc = db_step(st);
    if (rc == DB_ROW) {
        if (id)
            *id = db_col_int64(st, 0);
        db_reset(st);
        return 1;
    }
    db_reset(st);
    if (rc != DB_DONE)
        return store_sql_fail(s, err, "find a source");
    return 0;
}

int store_source_hashes(struct store *s, unsigned char **out, size_t *n,
                        struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT sha256 FROM sources UNION ALL SELECT raw_sha256 FROM "
        "sources WHERE raw_sha256 IS NOT NULL UNION ALL SELECT seen_key "
        "FROM sources WHERE seen_key IS NOT NULL UNION ALL SELECT key "
        "FROM archives",
        err);
    unsigned char *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        if (db_col_bytes(st, 0) != 32)
            continue;
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            unsigned char *nv = rc_realloc(v, ncap * 32);
            if (!nv) {
                rc_free(v);
                db_finalize(st);
                return rc_fail(err, RC_EENV, "out of memory");
            }
            v = nv;
            cap = ncap;
        }
        memcpy(v + 32 * len++, db_col_blob(st, 0), 32);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        rc_free(v);
        return store_sql_fail(s, err, "read the sources");
    }
    *out = v;
    *n = len;
    return 0;
}

static int forget_archive(struct store *s, const unsigned char key[32],
                          struct rc_err *err)
{
    struct db_stmt *st =
        store_sql_prep_once(s, "DELETE FROM archives WHERE key = ?", err);
    int rc;
    if (!st)
        return -1;
    db_bind_blob(st, 1, key, 32);
    rc = store_sql_step_write(s, st, err);
    db_finalize(st);
    return rc;
}

int store_archive_done(struct store *s, const unsigned char key[32],
                       const char *path, long files, long skipped,
                       struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "INSERT INTO archives (key, path, files, skipped, imported_s) "
        "VALUES (?, ?, ?, ?, ?)",
        err);
    bool own;
    int rc;
    if (!st)
        return -1;
    if (store_tx_enter(s, &own, err) < 0) {
        db_finalize(st);
        return -1;
    }
    /* a zip done again replaces its row (a new one, as undo expects) */
    if (forget_archive(s, key, err) < 0) {
        db_finalize(st);
        return store_tx_leave(s, own, -1, err);
    }
    db_bind_blob(st, 1, key, 32);
    db_bind_text(st, 2, path);
    db_bind_int64(st, 3, files);
    db_bind_int64(st, 4, skipped);
    db_bind_double(st, 5, rc_now());
    rc = store_sql_step_write(s, st, err);
    db_finalize(st);
    if (rc == 0)
        rc = store_history_record(s, "archive",
                                  store_sql_last_id(s), "add",
                                  NULL, NULL, err);
    return store_tx_leave(s, own, rc, err);
}

int store_archive_find(struct store *s, const unsigned char key[32],
                       long *files, long *skipped, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s, "SELECT files, skipped FROM archives WHERE key = ?", err);
    int rc;
    if (!st)
        return -1;
    db_bind_blob(st, 1, key, 32);
    rc = db_step(st);
    if (rc == DB_ROW) {
        *files = (long)db_col_int64(st, 0);
        *skipped = (long)db_col_int64(st, 1);
    }
    db_finalize(st);
    if (rc == DB_ROW)
        return 1;
    return rc == DB_DONE ? 0 : store_sql_fail(s, err, "read the archives");
}

int store_source_activity(struct store *s, int64_t source_id, int64_t *id,
                          bool *deleted, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep(s, ST_SOURCE_ACTIVITY, err);
    int rc;
    if (!st)
        return -1;
    db_bind_int64(st, 1, source_id);
    rc = db_step(st);
    *id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    if (deleted)
        *deleted = rc == DB_ROW && db_col_int64(st, 1) != 0;
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return store_sql_fail(s, err, "read a source");
    return 0;
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
    struct db_stmt *st = store_sql_prep_once(
        s, "SELECT COALESCE(MAX(run), 0) + 1 FROM import_log", err);
    int rc;
    if (!st)
        return -1;
    rc = db_step(st);
    if (rc == DB_ROW)
        *run_id = db_col_int64(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? 0 : store_sql_fail(s, err, "read the import log");
}

/* The history's one change for an import run's log lines, recorded with
 * its first line: undo of the import removes them all. */
static int record_run(struct store *s, int64_t run, struct rc_err *err)
{
    struct db_stmt *st;
    int rc;
    if (run && s->hist_run == run && s->hist_run_batch == s->batch)
        return 0; /* an earlier line of this run recorded it */
    st = store_sql_prep(s, ST_HISTORY_HAS, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, "import");
    db_bind_int64(st, 2, run);
    db_bind_int64(st, 3, s->batch);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return store_sql_fail(s, err, "read the history");
    if (rc == DB_DONE &&
        store_history_record(s, "import", run, "add", NULL, NULL, err) < 0)
        return -1;
    s->hist_run = run;
    s->hist_run_batch = s->batch;
    return 0;
}

int store_log_import(struct store *s, const struct store_import_entry *e,
                     struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep(s, ST_LOG_IMPORT, err);
    bool own;
    int rc;
    if (!st || store_tx_enter(s, &own, err) < 0)
        return -1;
    db_bind_int64(st, 1, e->run);
    db_bind_text(st, 2, e->path);
    if (e->sha256)
        db_bind_blob(st, 3, e->sha256, 32);
    if (e->size >= 0)
        db_bind_int64(st, 4, e->size);
    db_bind_text(st, 5, store_import_status_name(e->status));
    db_bind_text(st, 6, e->reason ? e->reason : "");
    if (e->activity_id)
        db_bind_int64(st, 7, e->activity_id);
    db_bind_double(st, 8, rc_now());
    rc = store_sql_step_write(s, st, err);
    if (rc == 0)
        rc = record_run(s, e->run, err);
    return store_tx_leave(s, own, rc, err);
}

int store_import_count(struct store *s, int64_t run_id,
                       enum store_import_status status, long *count,
                       struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT COUNT(*) FROM import_log WHERE (?1 = 0 OR run = ?1) AND "
        "status = ?2",
        err);
    int rc;
    if (!st)
        return -1;
    db_bind_int64(st, 1, run_id);
    db_bind_text(st, 2, store_import_status_name(status));
    rc = db_step(st);
    if (rc == DB_ROW)
        *count = (long)db_col_int64(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? 0 : store_sql_fail(s, err, "read the import log");
}

int store_import_find(struct store *s, int64_t run_id, const char *path,
                      int64_t *id, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT COALESCE(activity_id, 0) FROM import_log WHERE run = ? "
        "AND path = ? ORDER BY id DESC LIMIT 1",
        err);
    int rc;
    if (!st)
        return -1;
    db_bind_int64(st, 1, run_id);
    db_bind_text(st, 2, path);
    rc = db_step(st);
    *id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return store_sql_fail(s, err, "read the import log");
    return 0;
}

int store_import_status(struct store *s, int64_t run_id, const char *path,
                        enum store_import_status *st, struct rc_err *err)
{
    struct db_stmt *q = store_sql_prep_once(
        s,
        "SELECT status FROM import_log WHERE run = ? AND path = ? ORDER "
        "BY id DESC LIMIT 1",
        err);
    int rc, found = 0;
    if (!q)
        return -1;
    db_bind_int64(q, 1, run_id);
    db_bind_text(q, 2, path);
    rc = db_step(q);
    if (rc == DB_ROW) {
        const char *name = db_col_text(q, 0);
        found = 1;
        *st = STORE_FAILED;
        for (unsigned i = 0; i < RC_ARRAY_SIZE(status_names); i++)
            if (name && !strcmp(name, status_names[i]))
                *st = (enum store_import_status)i;
    }
    db_finalize(q);
    if (rc != DB_ROW && rc != DB_DONE)
        return store_sql_fail(s, err, "read the import log");
    return found;
}
