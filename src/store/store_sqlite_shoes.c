/* store_sqlite_shoes.c - the runner's shoes (store.h, both backends;
 * see store_int.h): adding, finding, listing with their km, retiring, the
 * default shoe, and which shoe an activity was run in */
#include "base/base.h"
#include "base/alloc.h"
#include "store/store_int.h"

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
    int64_t new_id;
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
    if (store_tx_enter(s, &own, err) < 0)
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
    if (store_sql_run(s, err,
                      "INSERT INTO shoes (name, start_km, limit_km) VALUES "
                      "(?, ?, ?)",
                      "trr", name, start_km, limit_km) < 0)
        goto leave;
    new_id = store_sql_last_id(s);
    if (store_hist_change(s, "shoe", new_id, "add", NULL, err) < 0)
        goto leave;
    if (id)
        *id = new_id;
    rc = 0;
leave:
    return store_tx_leave(s, own, rc, err);
}

#define SHOE_SELECT                                                         \
    "SELECT sh.id, sh.name, sh.start_km, sh.limit_km, sh.retired, "         \
    "sh.is_default, COUNT(a.id), COALESCE(SUM(a.distance_m), 0), "          \
    "sh.since_day, sh.retired_day FROM shoes "                              \
    "sh LEFT JOIN activities a ON a.shoe_id = sh.id AND a.duplicate_of IS " \
    "NULL AND a.deleted = 0 "
/* every column named: PostgreSQL's key of shoes is (athlete, id) */
#define SHOE_GROUP                                                          \
    "GROUP BY sh.id, sh.name, sh.start_km, sh.limit_km, sh.retired, "       \
    "sh.is_default, sh.since_day, sh.retired_day "

static void read_shoe(struct db_stmt *st, struct store_shoe *o)
{
    o->id = db_col_int64(st, 0);
    col_text(st, 1, o->name, sizeof(o->name));
    o->start_km = db_col_double(st, 2);
    o->limit_km = db_col_double(st, 3);
    o->retired = db_col_int(st, 4) != 0;
    o->is_default = db_col_int(st, 5) != 0;
    o->runs = (long)db_col_int64(st, 6);
    o->used_km = o->start_km + db_col_double(st, 7) / 1000;
    o->since_day = db_col_null(st, 8)
                       ? LONG_MIN
                       : (long)db_col_int64(st, 8);
    o->retired_day = db_col_null(st, 9)
                         ? LONG_MIN
                         : (long)db_col_int64(st, 9);
}

int store_shoe_get(struct store *s, const char *name, struct store_shoe *out,
                   struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s, SHOE_SELECT "WHERE lower(sh.name) = lower(?) " SHOE_GROUP, err);
    int rc;
    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    rc = db_step(st);
    if (rc == DB_ROW)
        read_shoe(st, out);
    db_finalize(st);
    if (rc == DB_ROW)
        return 0;
    if (rc == DB_DONE)
        return rc_fail(err, RC_EINPUT, "no shoe named \"%s\"; add it with "
                                       "'runcare shoe add'", name);
    return store_sql_fail(s, err, "read the shoes");
}

int store_shoe_ensure(struct store *s, const char *name, int64_t *id,
                      struct rc_err *err)
{
    /* by name only: store_shoe_get would sum every activity's km, and
     * import calls this once per row of a Strava export */
    struct db_stmt *st =
        store_sql_prep_once(s, "SELECT id FROM shoes WHERE lower(name) = lower(?)", err);
    int rc;
    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    rc = db_step(st);
    if (rc == DB_ROW)
        *id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc == DB_ROW)
        return 0;
    if (rc != DB_DONE)
        return store_sql_fail(s, err, "read the shoes");
    return store_shoe_add(s, name, 0, NAN, id, err);
}

int store_shoe_list(struct store *s, struct store_shoe **out, size_t *n,
                    struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s, SHOE_SELECT SHOE_GROUP "ORDER BY lower(sh.name), sh.name", err);
    struct store_shoe *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct store_shoe *nv = rc_realloc(v, ncap * sizeof(*v));
            if (!nv) {
                rc_free(v);
                db_finalize(st);
                return rc_fail(err, RC_EENV, "out of memory");
            }
            v = nv;
            cap = ncap;
        }
        read_shoe(st, &v[len++]);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        rc_free(v);
        return store_sql_fail(s, err, "read the shoes");
    }
    *out = v;
    *n = len;
    return 0;
}

/* Run an UPDATE of the shoes and record the change of each shoe in
 * ids[0..n) (0s are skipped) in the history; types and the values after
 * err as store_sql_run's. RC_EINPUT "no shoe" when ids[0] is not there. */
static int update_shoes(struct store *s, const int64_t *ids, size_t n,
                        const char *sql, const char *types, ...)
{
    char *before[2] = {NULL, NULL};
    struct rc_err *err;
    va_list ap;
    bool own;
    int rc = -1;
    va_start(ap, types);
    err = va_arg(ap, struct rc_err *);
    if (n > 2 || store_tx_enter(s, &own, err) < 0) {
        va_end(ap);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (ids[i] &&
            store_history_snapshot(s, "shoe", ids[i], &before[i], err) < 0)
            goto leave;
    if (ids[0] && !before[0]) {
        rc_fail(err, RC_EINPUT, "no shoe %lld", (long long)ids[0]);
        goto leave;
    }
    if (store_sql_runv(s, err, sql, types, ap) < 0)
        goto leave;
    rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (ids[i] && (i == 0 || ids[i] != ids[0])) {
            rc = store_hist_change(s, "shoe", ids[i], "edit", before[i], err);
            before[i] = NULL;
        }
leave:
    va_end(ap);
    rc_free(before[0]);
    rc_free(before[1]);
    return store_tx_leave(s, own, rc, err);
}

int store_shoe_retire(struct store *s, int64_t shoe_id, bool retired,
                      struct rc_err *err)
{
    return update_shoes(s, &shoe_id, 1,
                        "UPDATE shoes SET retired = ?1, is_default = "
                        "CASE WHEN ?1 <> 0 THEN 0 ELSE is_default END WHERE id = ?2",
                        "ii", err, (int64_t)retired, shoe_id);
}

int store_shoe_dates(struct store *s, int64_t shoe_id, long since_day,
                     long retired_day, struct rc_err *err)
{
    struct db_stmt *st;
    bool own;
    int rc = -1;
    if (since_day != LONG_MIN && retired_day != LONG_MIN &&
        since_day > retired_day)
        return rc_fail(err, RC_EINPUT, "a shoe's first day of use is after "
                                       "its last");
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    if (update_shoes(s, &shoe_id, 1,
                     "UPDATE shoes SET since_day = ?, retired_day = ? WHERE "
                     "id = ?",
                     "rri", err,
                     since_day == LONG_MIN ? NAN : (double)since_day,
                     retired_day == LONG_MIN ? NAN : (double)retired_day,
                     shoe_id) < 0)
        goto leave;
    /* the runs of its days that count to no shoe count to it now */
    st = store_sql_prep_once(
        s,
        "SELECT id FROM activities WHERE shoe_id IS NULL AND sport = "
        "'running' AND deleted = 0 AND duplicate_of IS NULL AND local_day "
        ">= COALESCE(?1, local_day) AND local_day <= COALESCE(?2, "
        "local_day)",
        err);
    if (!st)
        goto leave;
    if (since_day != LONG_MIN)
        db_bind_int64(st, 1, since_day);
    if (retired_day != LONG_MIN)
        db_bind_int64(st, 2, retired_day);
    {
        /* read them all first: the updates change what the query reads */
        int64_t *ids = NULL;
        size_t n = 0, cap = 0;
        int step;
        while ((step = db_step(st)) == DB_ROW) {
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 64;
                int64_t *nv = rc_realloc(ids, ncap * sizeof(*nv));
                if (!nv)
                    break;
                ids = nv;
                cap = ncap;
            }
            ids[n++] = db_col_int64(st, 0);
        }
        db_finalize(st);
        if (step == DB_ROW)
            rc_fail(err, RC_EENV, "out of memory");
        else if (step != DB_DONE)
            store_sql_fail(s, err, "read the activities");
        else
            rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = store_set_shoe(s, ids[i], shoe_id, err);
        rc_free(ids);
    }
leave:
    return store_tx_leave(s, own, rc, err);
}

static int default_shoe_id(struct store *s, int64_t *id, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s, "SELECT id FROM shoes WHERE is_default <> 0 LIMIT 1", err);
    int rc;
    if (!st)
        return -1;
    rc = db_step(st);
    *id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE
               ? 0
               : store_sql_fail(s, err, "read the shoes");
}

int store_shoe_set_default(struct store *s, int64_t shoe_id,
                           struct rc_err *err)
{
    int64_t ids[2] = {shoe_id, 0};
    if (default_shoe_id(s, &ids[1], err) < 0)
        return -1;
    return update_shoes(s, ids, 2,
                        "UPDATE shoes SET is_default = CASE WHEN id = ?1 THEN 1 "
                        "ELSE 0 END, retired = CASE WHEN id = ?1 THEN 0 ELSE "
                        "retired END WHERE is_default <> 0 OR id = ?1",
                        "i", err, shoe_id);
}

int store_set_shoe(struct store *s, int64_t activity_id, int64_t shoe_id,
                   struct rc_err *err)
{
    char *before = NULL;
    bool own;
    int rc = -1;
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    if (store_sql_need_activity(s, activity_id, err) < 0)
        goto leave;
    if (shoe_id) {
        int e = store_sql_exists(s, "shoes", shoe_id, err);
        if (e < 0)
            goto leave;
        if (!e) {
            rc_fail(err, RC_EINPUT, "no shoe %lld", (long long)shoe_id);
            goto leave;
        }
    }
    if (store_history_snapshot(s, "activity", activity_id, &before, err) < 0 ||
        store_sql_run(s, err,
                      "UPDATE activities SET shoe_id = NULLIF(?, 0) WHERE "
                      "id = ?",
                      "ii", shoe_id, activity_id) < 0)
        goto leave;
    rc = store_hist_change(s, "activity", activity_id, "edit", before, err);
    before = NULL;
leave:
    rc_free(before);
    return store_tx_leave(s, own, rc, err);
}
