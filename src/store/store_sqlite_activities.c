/* store_sqlite_activities.c - the activities of the log (store.h, both
 * backends; see store_int.h): adding one with its laps and sample blob and
 * the runner's default shoe, listing, finding near a time, reading back,
 * the "same run" mark, RPE, notes, titles, sports, the totals */
#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "store/store_int.h"

static long local_day(const struct activity *a)
{
    return rc_day_of(a->start_s + (a->has_utc_offset ? a->utc_offset_s : 0));
}

/* Bind lap i of a as the row that starts at parameter k. */
static void bind_lap(struct db_stmt *st, int k, int64_t id,
                     const struct activity *a, size_t i)
{
    const struct activity_lap *l = &a->laps[i];
    db_bind_int64(st, k++, id);
    db_bind_int64(st, k++, (int64_t)i);
    bind_real(st, k++, l->start_s);
    bind_real(st, k++, l->elapsed_s);
    bind_real(st, k++, l->timer_s);
    bind_real(st, k++, l->distance_m);
    bind_real(st, k++, l->ascent_m);
    bind_real(st, k++, l->descent_m);
    bind_real(st, k++, l->avg_hr_bpm);
    bind_real(st, k++, l->max_hr_bpm);
    bind_real(st, k++, l->avg_cadence_rpm);
    bind_real(st, k++, l->max_cadence_rpm);
    bind_real(st, k, l->calories_kcal);
}

/* A run's laps, eight to a statement and the rest one by one (import of
 * 3,500 runs: 60,000 statements were 10,000); under PostgreSQL all of
 * them in one round trip (db_batch). */
static int add_laps(struct store *s, int64_t id, const struct activity *a,
                    struct rc_err *err)
{
    size_t i = 0;
    db_batch_begin(s);
    while (i < a->nlaps) {
        int rows = a->nlaps - i >= 8 ? 8 : 1;
        struct db_stmt *st =
            store_sql_prep(s, rows == 8 ? ST_ADD_LAPS8 : ST_ADD_LAP, err);
        if (!st) {
            db_batch_end(s, NULL);
            return -1;
        }
        for (int r = 0; r < rows; r++, i++)
            bind_lap(st, 1 + r * 13, id, a, i);
        if (store_sql_step_write(s, st, err) < 0) {
            db_batch_end(s, NULL);
            return -1;
        }
    }
    return db_batch_end(s, err);
}

/* The shoe in use on day (LONG_MIN: unknown): the default one if it was,
 * else the newest with dates that was; 0: none. */
static int default_shoe(struct store *s, long day, int64_t *shoe,
                        struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep(s, ST_DEFAULT_SHOE, err);
    int rc;
    if (!st)
        return -1;
    if (day != LONG_MIN)
        db_bind_int64(st, 1, day);
    rc = db_step(st);
    *shoe = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return store_sql_fail(s, err, "read the default shoe");
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
    struct db_stmt *st;
    const char *format = "manual";
    char fmt[8];
    bool own;
    int rc = -1, k = 1;

    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    if (!strcmp(a->sport, "running") &&
        default_shoe(s, isfinite(a->start_s) ? local_day(a) : LONG_MIN, &shoe,
                     err) < 0)
        goto leave;
    if (source_id) {
        struct db_stmt *f = store_sql_prep(s, ST_SOURCE_FORMAT, err);
        if (!f)
            goto leave;
        db_bind_int64(f, 1, source_id);
        if (db_step(f) != DB_ROW) {
            db_reset(f);
            rc_fail(err, RC_EENV, "database %s: no source %lld", s->path,
                    (long long)source_id);
            goto leave;
        }
        col_text(f, 0, fmt, sizeof(fmt));
        db_reset(f);
        format = fmt;
    }
    st = store_sql_prep(s, ST_ADD_ACTIVITY, err);
    if (!st)
        goto leave;
    if (source_id)
        db_bind_int64(st, k++, source_id);
    else
        db_bind_null(st, k++);
    db_bind_text(st, k++, format);
    db_bind_text(st, k++, a->sport[0] ? a->sport : "generic");
    db_bind_text(st, k++, a->sub_sport);
    db_bind_text(st, k++, a->name);
    bind_real(st, k++, a->start_s);
    if (a->has_utc_offset)
        db_bind_int64(st, k++, a->utc_offset_s);
    else
        db_bind_null(st, k++);
    if (isfinite(a->start_s))
        db_bind_int64(st, k++, local_day(a));
    else
        db_bind_null(st, k++);
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
    db_bind_int64(st, k++, (int)a->computed);
    db_bind_int64(st, k++, a->salvaged);
    db_bind_text(st, k++, a->device.manufacturer);
    db_bind_int64(st, k++, a->device.product);
    db_bind_int64(st, k++, a->device.serial);
    db_bind_text(st, k++, a->device.product_name);
    db_bind_int64(st, k++, (int)channels);
    db_bind_int64(st, k++, channels ? (int64_t)smp->count : 0);
    db_bind_int64(st, k++, (int64_t)a->nlaps);
    if (shoe)
        db_bind_int64(st, k++, shoe);
    else
        db_bind_null(st, k++);
    if (store_sql_step_insert(s, st, &new_id, err) < 0)
        goto leave;
    if (add_laps(s, new_id, a, err) < 0)
        goto leave;
    if (smp->count && channels) {
        st = store_sql_prep(s, ST_ADD_SAMPLES, err);
        if (!st)
            goto leave;
        db_bind_int64(st, 1, new_id);
        db_bind_blob(st, 2, smp->blob, smp->len);
        if (store_sql_step_write(s, st, err) < 0)
            goto leave;
    }
    if (store_hist_change(s, "activity", new_id, "add", NULL, err) < 0)
        goto leave;
    rc = 0;
leave:
    rc = store_tx_leave(s, own, rc, err);
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

static void read_activity(struct db_stmt *st, int k,
                          struct store_activity *o)
{
    struct activity *a = &o->act;
    activity_init(a);
    o->id = db_col_int64(st, k++);
    col_text(st, k++, o->format, sizeof(o->format));
    col_text(st, k++, a->sport, sizeof(a->sport));
    col_text(st, k++, a->sub_sport, sizeof(a->sub_sport));
    col_text(st, k++, a->name, sizeof(a->name));
    a->start_s = col_real(st, k++);
    a->has_utc_offset = !db_col_null(st, k);
    a->utc_offset_s = db_col_int(st, k++);
    o->local_day = db_col_null(st, k)
                       ? 0
                       : (long)db_col_int64(st, k);
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
    a->computed = (unsigned)db_col_int(st, k++);
    a->salvaged = db_col_int(st, k++) != 0;
    col_text(st, k++, a->device.manufacturer, sizeof(a->device.manufacturer));
    a->device.product = (uint32_t)db_col_int64(st, k++);
    a->device.serial = (uint32_t)db_col_int64(st, k++);
    col_text(st, k++, a->device.product_name, sizeof(a->device.product_name));
    o->channels = (unsigned)db_col_int(st, k++);
    o->nsamples = (long)db_col_int64(st, k++);
    o->rpe = (float)col_real(st, k++);
    o->shoe_id = db_col_int64(st, k++);
    col_text(st, k++, o->shoe, sizeof(o->shoe));
    o->source_id = db_col_int64(st, k++);
    o->duplicate_of = db_col_int64(st, k++);
    o->deleted = db_col_int(st, k++) != 0;
}

/* Step st to the end, collecting every row as an activity. */
static int collect(struct store *s, struct db_stmt *st,
                   struct store_activity **out, size_t *n, struct rc_err *err)
{
    struct store_activity *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    db_binary_results(st); /* its columns: text, integers and reals */
    while ((rc = db_step(st)) == DB_ROW) {
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
        read_activity(st, 0, &v[len++]);
    }
    if (rc != DB_DONE) {
        rc_free(v);
        return store_sql_fail(s, err, "read the activities");
    }
    *out = v;
    *n = len;
    return 0;
}

int store_list_activities(struct store *s, const struct store_filter *f,
                          struct store_activity **out, size_t *n,
                          struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT " ACTIVITY_COLUMNS
        "WHERE (CAST(?1 AS BIGINT) IS NULL OR a.local_day >= ?1) AND "
        "(CAST(?2 AS BIGINT) IS NULL OR a.local_day <= ?2) AND (CAST(?3 AS "
        "TEXT) IS NULL OR a.sport = ?3) AND (?4 <> 0 "
        "OR a.duplicate_of IS NULL) AND a.deleted = 0 ORDER BY a.start_s, a.id",
        err);
    int rc;
    if (!st)
        return -1;
    if (f->since_day != LONG_MIN)
        db_bind_int64(st, 1, f->since_day);
    if (f->until_day != LONG_MAX)
        db_bind_int64(st, 2, f->until_day);
    if (f->sport)
        db_bind_text(st, 3, f->sport);
    db_bind_int64(st, 4, f->duplicates);
    rc = collect(s, st, out, n, err);
    db_finalize(st);
    return rc;
}

int store_list_club(struct store *s, long since_day,
                    int (*each)(void *ctx, const char *athlete,
                                const struct store_activity *sa,
                                struct rc_err *err),
                    void *ctx, struct rc_err *err)
{
    struct db_stmt *st;
    int rc = 0, step;

    /* PostgreSQL: one call that reads athlete after athlete (009's
     * runcare_club_activities) */
    st = store_sql_prep_once(
        s,
        s->pg ? "SELECT " CLUB_COLUMNS "FROM runcare_club_activities(?1) a"
              : "SELECT " CLUB_COLUMNS "FROM (SELECT COALESCE((SELECT name "
                "FROM athletes LIMIT 1), '') AS athlete, * FROM activities) "
                "a WHERE a.local_day >= ?1 AND a.duplicate_of IS NULL AND "
                "a.deleted = 0 ORDER BY a.start_s, a.id",
        err);
    if (!st)
        return -1;
    db_binary_results(st);
    db_chunked(st, 4096);
    db_bind_int64(st, 1, since_day);
    while (rc == 0 && (step = db_step(st)) == DB_ROW) {
        struct store_activity sa;
        struct activity *a = &sa.act;
        int k = 1;
        memset(&sa, 0, sizeof(sa));
        activity_init(a);
        sa.id = db_col_int64(st, k++);
        col_text(st, k++, a->sport, sizeof(a->sport));
        col_text(st, k++, a->sub_sport, sizeof(a->sub_sport));
        col_text(st, k++, a->name, sizeof(a->name));
        a->start_s = col_real(st, k++);
        a->has_utc_offset = !db_col_null(st, k);
        a->utc_offset_s = db_col_int(st, k++);
        a->elapsed_s = col_real(st, k++);
        a->timer_s = col_real(st, k++);
        a->moving_s = col_real(st, k++);
        a->distance_m = col_real(st, k++);
        a->ascent_m = col_real(st, k++);
        a->descent_m = col_real(st, k++);
        a->avg_hr_bpm = (float)col_real(st, k++);
        a->max_hr_bpm = (float)col_real(st, k++);
        sa.rpe = (float)col_real(st, k++);
        sa.shoe_id = db_col_int64(st, k++);
        rc = each(ctx, db_col_text(st, 0), &sa, err);
    }
    if (rc == 0 && step == DB_ERROR)
        rc = store_sql_fail(s, err, "read the club's activities");
    db_finalize(st);
    return rc;
}

int store_find_near(struct store *s, const char *sport, double start_s,
                    double window_s, struct store_activity **out, size_t *n,
                    struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep(s, ST_FIND_NEAR, err);
    int rc;
    if (!st)
        return -1;
    db_bind_text(st, 1, sport);
    db_bind_double(st, 2, start_s - window_s);
    db_bind_double(st, 3, start_s + window_s);
    rc = collect(s, st, out, n, err);
    db_reset(st);
    return rc;
}

static int load_laps(struct store *s, int64_t id, struct activity *a,
                     struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT start_s, elapsed_s, timer_s, distance_m, ascent_m, "
        "descent_m, avg_hr_bpm, max_hr_bpm, avg_cadence_rpm, "
        "max_cadence_rpm, calories_kcal FROM laps WHERE activity_id = ? "
        "ORDER BY idx",
        err);
    int rc;
    if (!st)
        return -1;
    db_bind_int64(st, 1, id);
    while ((rc = db_step(st)) == DB_ROW) {
        struct activity_lap *l = activity_add_lap(a, err);
        if (!l) {
            db_finalize(st);
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
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_sql_fail(s, err, "read the laps");
}

static int load_samples(struct store *s, int64_t id, struct activity *a,
                        struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s, "SELECT data FROM samples WHERE activity_id = ?", err);
    int rc, out = 0;
    if (!st)
        return -1;
    db_bind_int64(st, 1, id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        out = store_samples_decode(db_col_blob(st, 0),
                                   (size_t)db_col_bytes(st, 0), a,
                                   err);
        if (out < 0)
            rc_fail(err, RC_EENV, "database %s: activity %lld: bad samples",
                    s->path, (long long)id);
    } else if (rc != DB_DONE) {
        out = store_sql_fail(s, err, "read the samples");
    }
    db_finalize(st);
    return out;
}

int store_get_activity(struct store *s, int64_t id, struct store_activity *out,
                       struct activity *full, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s, "SELECT " ACTIVITY_COLUMNS "WHERE a.id = ?", err);
    struct store_activity *v;
    size_t n;
    int rc;
    if (!st)
        return -1;
    db_bind_int64(st, 1, id);
    rc = collect(s, st, &v, &n, err);
    db_finalize(st);
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

int store_mark_duplicate(struct store *s, int64_t loser, int64_t winner,
                         struct rc_err *err)
{
    char *before_l = NULL, *before_w = NULL;
    bool own;
    int rc = -1;
    if (loser == winner)
        return rc_fail(err, RC_EINPUT, "activity %lld cannot duplicate itself",
                       (long long)loser);
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    if (store_sql_need_activity(s, loser, err) < 0 ||
        store_sql_need_activity(s, winner, err) < 0 ||
        store_history_snapshot(s, "activity", loser, &before_l, err) < 0 ||
        store_history_snapshot(s, "activity", winner, &before_w, err) < 0)
        goto leave;
    if (store_sql_run(
            s, err,
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
        store_sql_run(s, err,
                      "UPDATE activities SET duplicate_of = ?2 WHERE id = ?1 "
                      "OR duplicate_of = ?1",
                      "ii", loser, winner) < 0)
        goto leave;
    rc = store_hist_change(s, "activity", winner, "edit", before_w, err);
    before_w = NULL;
    if (rc == 0)
        rc = store_hist_change(s, "activity", loser, "edit", before_l, err);
    before_l = NULL;
leave:
    rc_free(before_l);
    rc_free(before_w);
    return store_tx_leave(s, own, rc, err);
}

/* Run an UPDATE of one activity, after checking it exists, and record it
 * in the history as action; types and the values after it as
 * store_sql_run's. */
static int update_activity(struct store *s, int64_t id, const char *action,
                           const char *sql, const char *types, ...)
{
    struct rc_err *err;
    char *before = NULL;
    va_list ap;
    bool own;
    int rc;
    va_start(ap, types);
    err = va_arg(ap, struct rc_err *);
    if (store_tx_enter(s, &own, err) < 0) {
        va_end(ap);
        return -1;
    }
    rc = store_sql_need_activity(s, id, err);
    if (rc == 0)
        rc = store_history_snapshot(s, "activity", id, &before, err);
    if (rc == 0 && store_sql_runv(s, err, sql, types, ap) < 0)
        rc = -1;
    va_end(ap);
    if (rc == 0) {
        rc = store_hist_change(s, "activity", id, action, before, err);
        before = NULL;
    }
    rc_free(before);
    return store_tx_leave(s, own, rc, err);
}

int store_set_rpe(struct store *s, int64_t id, double rpe, struct rc_err *err)
{
    if (!isnan(rpe) && !(rpe >= 0 && rpe <= 10))
        return rc_fail(err, RC_EINPUT, "RPE %g is outside 0-10 (CR-10)", rpe);
    return update_activity(s, id, "edit",
                           "UPDATE activities SET rpe = ? WHERE id = ?", "ri",
                           err, rpe, id);
}

int store_activity_set_deleted(struct store *s, int64_t id, bool deleted,
                               struct rc_err *err)
{
    return update_activity(s, id, deleted ? "rm" : "edit",
                           "UPDATE activities SET deleted = ? WHERE id = ?",
                           "ii", err, (int64_t)deleted, id);
}

int store_activity_edit(struct store *s, int64_t id,
                        const struct store_edit *e, struct rc_err *err)
{
    return update_activity(
        s, id, "edit",
        "UPDATE activities SET distance_m = COALESCE(?1, distance_m), "
        "timer_s = COALESCE(?2, timer_s), moving_s = COALESCE(?2, "
        "moving_s), elapsed_s = CASE WHEN CAST(?2 AS DOUBLE PRECISION) IS NULL THEN elapsed_s WHEN "
        "format = 'manual' OR elapsed_s IS NULL OR elapsed_s < ?2 THEN ?2 "
        "ELSE elapsed_s END, "
        "start_s = CASE WHEN CAST(?3 AS DOUBLE PRECISION) IS NULL THEN start_s WHEN start_s IS NULL "
        "OR local_day IS NULL THEN ?3 * 86400 + 43200 ELSE start_s + (?3 - "
        "local_day) * 86400 END, local_day = COALESCE(?3, local_day), "
        "sport = COALESCE(?4, sport), name = COALESCE(?5, name) WHERE id = ?6",
        "rrrtti", err, e->distance_m, e->duration_s,
        e->day == LONG_MIN ? NAN : (double)e->day, e->sport, e->name, id);
}

int store_set_notes(struct store *s, int64_t id, const char *notes,
                    struct rc_err *err)
{
    return update_activity(s, id, "edit",
                           "UPDATE activities SET notes = COALESCE(?, notes) "
                           "WHERE id = ?",
                           "ti", err, notes, id);
}

int store_set_title(struct store *s, int64_t id, const char *name,
                    const char *description, struct rc_err *err)
{
    return update_activity(s, id, "edit",
                           "UPDATE activities SET name = COALESCE(?, name), "
                           "description = COALESCE(?, description) WHERE "
                           "id = ?",
                           "tti", err, name, description, id);
}

int store_set_sport(struct store *s, int64_t id, const char *sport,
                    const char *sub_sport, struct rc_err *err)
{
    return update_activity(s, id, "edit",
                           "UPDATE activities SET sport = COALESCE(?, sport), "
                           "sub_sport = COALESCE(?, sub_sport) WHERE id = ?",
                           "tti", err, sport, sub_sport, id);
}

int store_get_texts(struct store *s, int64_t id, char **description,
                    char **notes, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s, "SELECT description, notes FROM activities WHERE id = ?", err);
    int rc;
    if (!st)
        return -1;
    db_bind_int64(st, 1, id);
    rc = db_step(st);
    if (rc != DB_ROW) {
        db_finalize(st);
        if (rc == DB_DONE)
            return rc_fail(err, RC_EINPUT, "no activity %lld in the log",
                           (long long)id);
        return store_sql_fail(s, err, "read an activity");
    }
    *description = rc_strdup(db_col_text(st, 0));
    *notes = rc_strdup(db_col_text(st, 1));
    db_finalize(st);
    if (!*description || !*notes) {
        rc_free(*description);
        rc_free(*notes);
        return rc_fail(err, RC_EENV, "out of memory");
    }
    return 0;
}

int store_totals(struct store *s, struct store_totals *t, struct rc_err *err)
{
    struct db_stmt *st = store_sql_prep_once(
        s,
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN sport = 'running' THEN 1 ELSE 0 END), 0), "
        "COALESCE(MIN(local_day), 0), COALESCE(MAX(local_day), 0), "
        "COALESCE(SUM(CASE WHEN sport = 'running' THEN distance_m END), 0), "
        "(SELECT utc_offset_s FROM activities WHERE utc_offset_s IS NOT NULL "
        "AND deleted = 0 ORDER BY start_s DESC LIMIT 1) "
        "FROM activities WHERE duplicate_of IS NULL AND deleted = 0",
        err);
    int rc;
    if (!st)
        return -1;
    rc = db_step(st);
    if (rc == DB_ROW) {
        t->activities = (long)db_col_int64(st, 0);
        t->runs = (long)db_col_int64(st, 1);
        t->first_day = (long)db_col_int64(st, 2);
        t->last_day = (long)db_col_int64(st, 3);
        t->running_km = db_col_double(st, 4) / 1000;
        t->has_offset = !db_col_null(st, 5);
        t->last_utc_offset_s = db_col_int(st, 5);
    }
    db_finalize(st);
    return rc == DB_ROW ? 0
                            : store_sql_fail(s, err, "count the activities");
}
