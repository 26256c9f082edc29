/* store_sqlite_history.c - the change history of the log (store.h, both
 * backends; see store_int.h and migrations/006_history.sql): every write
 * of an activity, shoe, source, archive or import run is a row of
 * `history` in the batch of the runner's command, with the row before and
 * after as JSON; undo plays a batch backwards.
 *
 * A kind names its table, the column that identifies a row and the
 * columns a snapshot keeps (json_object of them; NULL: the row is only
 * ever added and removed whole, so no snapshot is needed). Restoring a
 * snapshot writes back only the columns whose value differs, so that
 * what an edit did not touch keeps its every bit. */
#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "store/store_int.h"

struct hist_kind {
    const char *kind, *table, *key;
    const char *cols; /* space-separated; NULL: added and removed whole */
};

static const struct hist_kind kinds[HIST_KINDS] = {
    {"activity", "activities", "id",
     "source_id format sport sub_sport name description notes start_s "
     "utc_offset_s local_day elapsed_s timer_s moving_s distance_m "
     "ascent_m descent_m rpe shoe_id duplicate_of deleted"},
    {"shoe", "shoes", "id", STORE_SHOE_COLUMNS},
    {"report", "reports", "id",
     "created_s report_json result_json follows_id deleted"},
    {"source", "sources", "id", NULL},
    {"archive", "archives", "rowid", NULL},
    {"import", "import_log", "run", NULL},
};

static const struct hist_kind *find_kind(const char *kind, int *idx)
{
    for (int i = 0; i < HIST_KINDS; i++)
        if (!strcmp(kinds[i].kind, kind)) {
            if (idx)
                *idx = i;
            return &kinds[i];
        }
    return NULL;
}

/* The next column name of a space-separated list into col; NULL at the
 * end. */
static const char *next_col(const char *p, char col[64])
{
    size_t n;
    while (*p == ' ')
        p++;
    if (!*p)
        return NULL;
    n = strcspn(p, " ");
    snprintf(col, 64, "%.*s", (int)n, p);
    return p + n;
}

/* ---- snapshots ---- */

static struct db_stmt *snap_stmt(struct store *s, int k, struct rc_err *err)
{
    const struct hist_kind *hk = &kinds[k];
    if (!s->snap[k]) {
        struct rc_buf b;
        char col[64];
        const char *p = hk->cols;
        int rc;
        rc_buf_init(&b, 8192);
        rc = rc_buf_appendf(&b, NULL, "SELECT %s(",
                            store_is_pg(s) ? "json_build_object"
                                           : "json_object");
        for (bool first = true; rc == 0 && (p = next_col(p, col));
             first = false)
            rc = rc_buf_appendf(&b, NULL,
                                store_is_pg(s) ? "%s'%s', runcare_jv(%s)"
                                               : "%s'%s', %s",
                                first ? "" : ", ", col, col);
        if (rc == 0)
            rc = rc_buf_appendf(&b, NULL, ")%s FROM %s WHERE %s = ?",
                                store_is_pg(s) ? "::text" : "", hk->table,
                                hk->key);
        if (rc == 0)
            rc = rc_buf_append(&b, "", 1, NULL);
        if (rc != 0)
            rc_fail(err, RC_EENV, "out of memory");
        else
            s->snap[k] = db_prepare(s, (const char *)b.data, true, err);
        rc_buf_release(&b);
        if (!s->snap[k])
            return NULL;
    }
    db_reset(s->snap[k]);
    return s->snap[k];
}

int store_history_snapshot(struct store *s, const char *kind, int64_t id,
                           char **json, struct rc_err *err)
{
    int k;
    const struct hist_kind *hk = find_kind(kind, &k);
    struct db_stmt *st;
    int rc;
    *json = NULL;
    if (!hk)
        return rc_fail(err, RC_EENV, "history: no kind \"%s\"", kind);
    if (!hk->cols)
        return 0;
    st = snap_stmt(s, k, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        *json = rc_strdup(db_col_text(st, 0));
        db_reset(st);
        return *json ? 0 : rc_fail(err, RC_EENV, "out of memory");
    }
    db_reset(st);
    return rc == DB_DONE ? 0 : store_sql_fail(s, err, "read a snapshot");
}

/* ---- batches ---- */

static int new_batch(struct store *s, const char *command, double at_s,
                     int64_t undoes, int64_t *batch, struct rc_err *err)
{
    if (store_sql_run(s, err,
                      "INSERT INTO history_batches (at_s, command, undoes) "
                      "VALUES (?, ?, NULLIF(?, 0))",
                      "rti", at_s, command ? command : "", undoes) < 0)
        return -1;
    *batch = store_sql_last_id(s);
    return 0;
}

int store_history_begin(struct store *s, const char *command, double at_s,
                        struct rc_err *err)
{
    if (s->batch)
        return rc_fail(err, RC_EENV, "database %s: a change is already open",
                       s->path);
    if (new_batch(s, command, at_s, 0, &s->batch, err) < 0)
        return -1;
    s->batch_lazy = false;
    return 0;
}

int64_t store_history_batch(struct store *s)
{
    return s->batch;
}

void store_history_end(struct store *s)
{
    if (s->batch && !s->batch_lazy) {
        /* a command that changed nothing leaves no batch */
        store_sql_run(s, NULL,
                      "DELETE FROM history_batches WHERE id = ?1 AND NOT "
                      "EXISTS (SELECT 1 FROM history WHERE batch = ?1)",
                      "i", s->batch);
    }
    s->batch = 0;
    s->batch_lazy = false;
}

void store_history_tx_done(struct store *s)
{
    if (s->batch_lazy) {
        s->batch = 0;
        s->batch_lazy = false;
    }
}

int store_history_record(struct store *s, const char *kind, int64_t id,
                         const char *action, const char *before_json,
                         const char *after_json, struct rc_err *err)
{
    struct db_stmt *st;
    if (!find_kind(kind, NULL))
        return rc_fail(err, RC_EENV, "history: no kind \"%s\"", kind);
    if (strcmp(action, "add") && strcmp(action, "edit") &&
        strcmp(action, "rm"))
        return rc_fail(err, RC_EENV, "history: no action \"%s\"", action);
    if (before_json && after_json && !strcmp(before_json, after_json))
        return 0; /* nothing changed */
    if (!s->batch) {
        /* a write outside any command's batch: its own, for as long as
         * its transaction lasts (store_tx_leave ends it) */
        if (!s->in_tx)
            return rc_fail(err, RC_EENV, "database %s: a change outside a "
                                         "transaction", s->path);
        if (new_batch(s, "", rc_now(), 0, &s->batch, err) < 0)
            return -1;
        s->batch_lazy = true;
    }
    st = store_sql_prep(s, ST_HISTORY_ADD, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, s->batch);
    db_bind_text(st, 2, kind);
    db_bind_int64(st, 3, id);
    db_bind_text(st, 4, action);
    if (before_json)
        db_bind_text(st, 5, before_json);
    if (after_json)
        db_bind_text(st, 6, after_json);
    return store_sql_step_write(s, st, err);
}

int store_hist_change(struct store *s, const char *kind, int64_t id,
                      const char *action, char *before, struct rc_err *err)
{
    char *after = NULL;
    int rc = store_history_snapshot(s, kind, id, &after, err);
    if (rc == 0)
        rc = store_history_record(s, kind, id, action, before, after, err);
    rc_free(after);
    rc_free(before);
    return rc;
}

/* ---- undo ---- */

/* Write the columns of snapshot json that differ back into the row; insert
 * the row when it is gone. */
static int restore(struct store *s, const struct hist_kind *hk, int64_t id,
                   const char *json, struct rc_err *err)
{
    struct rc_buf b, ins;
    char col[64];
    const char *p = hk->cols;
    int rc;
    bool pg = store_is_pg(s);
    rc_buf_init(&b, 16384);
    rc_buf_init(&ins, 16384);
    rc = rc_buf_appendf(&b, NULL, "UPDATE %s SET ", hk->table);
    rc |= rc_buf_appendf(&ins, NULL, "INSERT INTO %s (%s", hk->table, hk->key);
    for (bool first = true; rc == 0 && (p = next_col(p, col)); first = false) {
        if (pg) /* the row's typed values: jsonb_populate_record, r */
            rc |= rc_buf_appendf(
                &b, NULL,
                "%s%s = CASE WHEN NOT jsonb_exists(?1::jsonb, '%s') OR "
                "(?1::jsonb -> '%s') IS NOT DISTINCT FROM to_jsonb(%s.%s) "
                "THEN %s.%s ELSE r.%s END",
                first ? "" : ", ", col, col, col, hk->table, col, hk->table,
                col, col);
        else
            rc |= rc_buf_appendf(
                &b, NULL,
                "%s%s = CASE WHEN json_type(?1, '$.%s') IS NULL OR "
                "json_extract(?1, '$.%s') IS json_extract(json_object('v', "
                "%s), '$.v') THEN %s ELSE json_extract(?1, '$.%s') END",
                first ? "" : ", ", col, col, col, col, col, col);
        rc |= rc_buf_appendf(&ins, NULL, ", %s", col);
    }
    if (pg)
        rc |= rc_buf_appendf(&b, NULL, " FROM jsonb_populate_record(NULL::"
                                       "%s, ?1::jsonb) r",
                             hk->table);
    rc |= rc_buf_appendf(&b, NULL, " WHERE %s.%s = ?2", hk->table, hk->key);
    rc |= rc_buf_appendf(&ins, NULL, ") SELECT ?2");
    p = hk->cols;
    while (rc == 0 && (p = next_col(p, col)))
        rc |= rc_buf_appendf(&ins, NULL, pg ? ", r.%s" : ", json_extract(?1, "
                                                         "'$.%s')",
                             col);
    if (pg)
        rc |= rc_buf_appendf(&ins, NULL, " FROM jsonb_populate_record(NULL::"
                                         "%s, ?1::jsonb) r",
                             hk->table);
    rc |= rc_buf_append(&b, "", 1, NULL);
    rc |= rc_buf_append(&ins, "", 1, NULL);
    if (rc != 0) {
        rc = rc_fail(err, RC_EENV, "out of memory");
    } else {
        rc = store_sql_run(s, err, (const char *)b.data, "ti", json, id);
        if (rc == 0)
            rc = store_sql_run(s, err, (const char *)ins.data, "ti", json,
                               id);
        rc = rc < 0 ? -1 : 0;
    }
    rc_buf_release(&b);
    rc_buf_release(&ins);
    return rc;
}

static int remove_row(struct store *s, const struct hist_kind *hk, int64_t id,
                      struct rc_err *err)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s = ?", hk->table,
             hk->key);
    return store_sql_run(s, err, sql, "i", id) < 0 ? -1 : 0;
}

/* Take back one change of the batch being undone, and record what that
 * did in the undo's batch. */
static int undo_change(struct store *s, const struct store_change *c,
                       struct rc_err *err)
{
    const struct hist_kind *hk = find_kind(c->kind, NULL);
    char *now = NULL;
    int rc;
    if (!hk)
        return rc_fail(err, RC_EENV, "database %s: history %lld: no kind "
                                     "\"%s\"",
                       s->path, (long long)c->id, c->kind);
    if (store_history_snapshot(s, c->kind, c->entity_id, &now, err) < 0)
        return -1;
    if (!strcmp(c->action, "add")) {
        rc = remove_row(s, hk, c->entity_id, err);
        if (rc == 0)
            rc = store_history_record(s, c->kind, c->entity_id, "rm", now,
                                      NULL, err);
        rc_free(now);
        return rc;
    }
    if (!c->before_json || !hk->cols) {
        rc_free(now);
        return rc_fail(err, RC_EENV, "database %s: history %lld has no "
                                     "row to restore",
                       s->path, (long long)c->id);
    }
    rc = restore(s, hk, c->entity_id, c->before_json, err);
    if (rc == 0)
        rc = store_hist_change(s, c->kind, c->entity_id,
                               strcmp(c->action, "rm") ? "edit" : "add", now,
                               err);
    else
        rc_free(now);
    return rc;
}

void store_history_free(struct store_batch *b, size_t n)
{
    if (!b)
        return;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < b[i].nchanges; j++) {
            rc_free(b[i].changes[j].before_json);
            rc_free(b[i].changes[j].after_json);
        }
        rc_free(b[i].changes);
    }
    rc_free(b);
}

static char *dup_col(struct db_stmt *st, int i, bool *oom)
{
    char *t;
    if (db_col_null(st, i))
        return NULL;
    t = rc_strdup(db_col_text(st, i));
    if (!t)
        *oom = true;
    return t;
}

/* The changes of batch b, in the order they were made. */
static int read_changes(struct store *s, struct store_batch *b,
                        struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT id, kind, entity_id, action, before_json, after_json FROM "
        "history WHERE batch = ? ORDER BY id",
        err);
    size_t cap = 0;
    bool oom = false;
    int rc;
    if (!st)
        return -1;
    db_bind_int64(st, 1, b->id);
    while ((rc = db_step(st)) == DB_ROW) {
        struct store_change *c;
        if (b->nchanges == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct store_change *nv =
                rc_realloc(b->changes, ncap * sizeof(*nv));
            if (!nv) {
                oom = true;
                break;
            }
            b->changes = nv;
            cap = ncap;
        }
        c = &b->changes[b->nchanges++];
        c->id = db_col_int64(st, 0);
        col_text(st, 1, c->kind, sizeof(c->kind));
        c->entity_id = db_col_int64(st, 2);
        col_text(st, 3, c->action, sizeof(c->action));
        c->before_json = dup_col(st, 4, &oom);
        c->after_json = dup_col(st, 5, &oom);
    }
    db_finalize(st);
    if (oom)
        return rc_fail(err, RC_EENV, "out of memory");
    return rc == DB_DONE ? 0 : store_sql_fail(s, err, "read the history");
}

static void read_batch(struct db_stmt *st, struct store_batch *b)
{
    memset(b, 0, sizeof(*b));
    b->id = db_col_int64(st, 0);
    b->at_s = db_col_double(st, 1);
    col_text(st, 2, b->command, sizeof(b->command));
    b->undoes = db_col_int64(st, 3);
    b->undone_by = db_col_int64(st, 4);
}

int store_history_list(struct store *s, size_t limit, struct store_batch **out,
                       size_t *n, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT id, at_s, command, COALESCE(undoes, 0), "
        "COALESCE(undone_by, 0) FROM history_batches b WHERE EXISTS "
        "(SELECT 1 FROM history WHERE batch = b.id) ORDER BY id DESC "
        "LIMIT ?",
        err);
    struct store_batch *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!st)
        return -1;
    db_bind_int64(st, 1, limit ? (int64_t)limit : INT64_MAX);
    while ((rc = db_step(st)) == DB_ROW) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct store_batch *nv = rc_realloc(v, ncap * sizeof(*nv));
            if (!nv) {
                db_finalize(st);
                store_history_free(v, len);
                return rc_fail(err, RC_EENV, "out of memory");
            }
            v = nv;
            cap = ncap;
        }
        read_batch(st, &v[len++]);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        store_history_free(v, len);
        return store_sql_fail(s, err, "read the history");
    }
    for (size_t i = 0; i < len; i++)
        if (read_changes(s, &v[i], err) < 0) {
            store_history_free(v, len);
            return -1;
        }
    *out = v;
    *n = len;
    return 0;
}

/* The newest batch that stands and is no undo itself: 1 and *b, or 0. */
static int last_standing(struct store *s, struct store_batch *b,
                         struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT id, at_s, command, COALESCE(undoes, 0), "
        "COALESCE(undone_by, 0) FROM history_batches b WHERE undone_by IS "
        "NULL AND undoes IS NULL AND EXISTS (SELECT 1 FROM history WHERE "
        "batch = b.id) ORDER BY id DESC LIMIT 1",
        err);
    int rc;
    if (!st)
        return -1;
    rc = db_step(st);
    if (rc == DB_ROW)
        read_batch(st, b);
    db_finalize(st);
    if (rc == DB_DONE)
        return 0;
    if (rc != DB_ROW)
        return store_sql_fail(s, err, "read the history");
    return read_changes(s, b, err) < 0 ? -1 : 1;
}

int store_undo(struct store *s, const char *command, double at_s,
               struct store_batch *undone, struct rc_err *err)
{
    struct store_batch b;
    int64_t mine = 0;
    int found, rc = -1;

    memset(undone, 0, sizeof(*undone));
    if (s->in_tx || s->batch)
        return rc_fail(err, RC_EENV, "database %s: undo inside a change",
                       s->path);
    if (store_begin(s, err) < 0)
        return -1;
    found = last_standing(s, &b, err);
    if (found <= 0) {
        store_rollback(s);
        return found;
    }
    if (new_batch(s, command, at_s, b.id, &mine, err) < 0)
        goto leave;
    s->batch = mine;
    for (size_t i = b.nchanges; i-- > 0;)
        if (undo_change(s, &b.changes[i], err) < 0)
            goto leave;
    if (store_sql_run(s, err,
                      "UPDATE history_batches SET undone_by = ? WHERE id = ?",
                      "ii", mine, b.id) < 0)
        goto leave;
    b.undone_by = mine;
    rc = 0;
leave:
    s->batch = 0;
    if (rc == 0)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    if (rc < 0) {
        store_batch_release(&b);
        return -1;
    }
    *undone = b;
    return 1;
}

void store_batch_release(struct store_batch *b)
{
    for (size_t j = 0; j < b->nchanges; j++) {
        rc_free(b->changes[j].before_json);
        rc_free(b->changes[j].after_json);
    }
    rc_free(b->changes);
    memset(b, 0, sizeof(*b));
}
