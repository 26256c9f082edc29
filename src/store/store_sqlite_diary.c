/* store_sqlite_diary.c - the pain diary (store.h, both backends; see
 * store_int.h): each check's report and result */
#include "base/base.h"
#include "base/alloc.h"
#include "store/store_int.h"

/* Insert a report (follows_id 0: a check) and record the add. */
static int insert(struct store *s, const char *report_json,
                  const char *result_json, double created_s,
                  int64_t follows_id, int64_t *id, struct rc_err *err)
{
    int64_t new_id;
    if (store_sql_run(s, err,
                      "INSERT INTO reports (created_s, report_json, "
                      "result_json, follows_id) VALUES (?, ?, ?, "
                      "NULLIF(?, 0))",
                      "rtti", created_s, report_json,
                      result_json ? result_json : "", follows_id) < 0)
        return -1;
    new_id = store_sql_last_id(s);
    if (store_hist_change(s, "report", new_id, "add", NULL, err) < 0)
        return -1;
    if (id)
        *id = new_id;
    return 0;
}

int store_add_report(struct store *s, const char *report_json,
                     const char *result_json, double created_s, int64_t *id,
                     struct rc_err *err)
{
    bool own;
    int rc;
    if (!report_json)
        return rc_fail(err, RC_EINPUT, "no report to keep");
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    rc = insert(s, report_json, result_json, created_s, 0, id, err);
    return store_tx_leave(s, own, rc, err);
}

/* Is report id there and not removed? 1, 0, or -1 with err. */
static int live_report(struct store *s, int64_t id, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s, "SELECT deleted FROM reports WHERE id = ?", err);
    int rc;
    if (!st)
        return -1;
    db_bind_int64(st, 1, id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        rc = db_col_int(st, 0) == 0;
        db_finalize(st);
        return rc;
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_sql_fail(s, err, "read the diary");
}

int store_add_follow_up(struct store *s, const char *report_json,
                        const char *result_json, double created_s,
                        int64_t follows_id, int64_t *id, struct rc_err *err)
{
    bool own;
    int rc = -1, there;
    if (!report_json)
        return rc_fail(err, RC_EINPUT, "no report to keep");
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    there = live_report(s, follows_id, err);
    if (there == 0)
        rc_fail(err, RC_EINPUT, "no diary report %lld to follow up",
                (long long)follows_id);
    if (there == 1)
        rc = insert(s, report_json, result_json, created_s, follows_id, id,
                    err);
    return store_tx_leave(s, own, rc, err);
}

/* The snapshot of report id before a change, or RC_EINPUT when there is
 * no such report (or it was removed). */
static int report_before(struct store *s, int64_t id, char **before,
                         struct rc_err *err)
{
    int live = live_report(s, id, err);
    if (live < 0)
        return -1;
    if (!live)
        return rc_fail(err, RC_EINPUT, "no diary report %lld", (long long)id);
    if (store_history_snapshot(s, "report", id, before, err) < 0)
        return -1;
    if (!*before)
        return rc_fail(err, RC_EINPUT, "no diary report %lld", (long long)id);
    return 0;
}

int store_update_report(struct store *s, int64_t id, const char *report_json,
                        const char *result_json, struct rc_err *err)
{
    char *before = NULL;
    bool own;
    int rc = -1;
    if (!report_json)
        return rc_fail(err, RC_EINPUT, "no report to keep");
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    if (report_before(s, id, &before, err) == 0 &&
        store_sql_run(s, err,
                      "UPDATE reports SET report_json = ?, result_json = ? "
                      "WHERE id = ?",
                      "tti", report_json, result_json ? result_json : "",
                      id) >= 0) {
        rc = store_hist_change(s, "report", id, "edit", before, err);
        before = NULL; /* store_hist_change frees it */
    }
    rc_free(before);
    return store_tx_leave(s, own, rc, err);
}

int store_rm_report(struct store *s, int64_t id, struct rc_err *err)
{
    char *before = NULL;
    bool own;
    int rc = -1;
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    if (report_before(s, id, &before, err) == 0 &&
        store_sql_run(s, err, "UPDATE reports SET deleted = 1 WHERE id = ?",
                      "i", id) >= 0) {
        rc = store_hist_change(s, "report", id, "rm", before, err);
        before = NULL;
    }
    rc_free(before);
    return store_tx_leave(s, own, rc, err);
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
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT id, created_s, report_json, result_json, "
        "COALESCE(follows_id, 0) FROM reports "
        "WHERE created_s >= ? AND deleted = 0 ORDER BY created_s, id",
        err);
    struct store_report *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!st)
        return -1;
    db_bind_double(st, 1, isfinite(since_s) ? since_s : -1e300);
    while ((rc = db_step(st)) == DB_ROW) {
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
        r->id = db_col_int64(st, 0);
        r->follows_id = db_col_int64(st, 4);
        r->created_s = db_col_double(st, 1);
        r->report_json = rc_strdup(db_col_text(st, 2));
        r->result_json = rc_strdup(db_col_text(st, 3));
        len++;
        if (!r->report_json || !r->result_json)
            goto oom;
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        store_reports_free(v, len);
        return store_sql_fail(s, err, "read the diary");
    }
    *out = v;
    *n = len;
    return 0;
oom:
    db_finalize(st);
    store_reports_free(v, len);
    return rc_fail(err, RC_EENV, "out of memory");
}
