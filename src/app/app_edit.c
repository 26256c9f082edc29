/* app_edit.c - correcting the log (see app.h): what a person can have
 * run (one rule for log, edit and every front end), sports as runners
 * write them, days in the runner's time zone, and edit, rm, undo and the
 * history over store.h's change history.
 *
 * Data flow: front end -> app_edit/app_rm/app_undo -> store/ (one history
 * batch per call, app_open) -> the activity or batch back to the front
 * end. */
#include <math.h>

#include "base/base.h"
#include "base/time.h"
#include "base/units.h"
#include "app/app_int.h"

/* ---- plausible values ---- */

int app_sport(const char *text, const char **sport, struct rc_err *err)
{
    const char *s = activity_sport_parse(text);
    if (!s)
        return rc_fail_field(err, "sport",
                             "'%s' is not a sport runcare knows: %s", text,
                             activity_sport_words());
    *sport = s;
    return 0;
}

long app_today(struct store *s, bool *known)
{
    struct store_totals t;
    bool k = false;
    int offset = 0;
    if (s && store_totals(s, &t, NULL) == 0 && t.has_offset) {
        k = true;
        offset = t.last_utc_offset_s;
    }
    if (known)
        *known = k;
    return rc_day_of(rc_now() + offset);
}

int app_check_day(long day, long today, bool zone_known, struct rc_err *err)
{
    char text[16], now[16];
    if (day < rc_days_from_civil(APP_FIRST_YEAR, 1, 1))
        return rc_fail_field(err, "date", "%s is before %d",
                             rc_date_format(day, text), APP_FIRST_YEAR);
    if (day > today + (zone_known ? 0 : 1))
        return rc_fail_field(err, "date",
                             "%s is in the future (today is %s in the "
                             "runner's time zone%s)",
                             rc_date_format(day, text),
                             rc_date_format(today, now),
                             zone_known ? ""
                                        : ", UTC: no run with a time zone "
                                          "yet");
    return 0;
}

/* The men's world records on the track and road (World Athletics, as of
 * 2024): distance in metres, time in seconds. The 24 hours is the
 * distance run in a day. Between two, the record time is interpolated on
 * log distance against log time (speed falls smoothly with distance). */
static const struct {
    double m, s;
} world_records[] = {
    { 100, 9.58 },        { 200, 19.19 },      { 400, 43.03 },
    { 800, 100.91 },      { 1500, 206.00 },    { 3000, 440.67 },
    { 5000, 755.36 },     { 10000, 1571.00 },  { 21097.5, 3450 },
    { 42195, 7235 },      { 100000, 21935 },   { 319614, 86400 },
};

/* The fastest time a person has run distance_m in. */
static double record_s(double distance_m)
{
    size_t n = RC_ARRAY_SIZE(world_records);
    if (distance_m <= world_records[0].m)
        return distance_m * world_records[0].s / world_records[0].m;
    for (size_t i = 1; i < n; i++) {
        double m0 = world_records[i - 1].m, m1 = world_records[i].m;
        if (distance_m <= m1) {
            double f = log(distance_m / m0) / log(m1 / m0);
            return exp(log(world_records[i - 1].s) +
                       f * log(world_records[i].s / world_records[i - 1].s));
        }
    }
    return distance_m * world_records[n - 1].s / world_records[n - 1].m;
}

int app_check_plausible(const char *sport, double distance_m,
                        double duration_s, double day_other_m,
                        struct rc_err *err)
{
    char t[24], r[24];
    if (duration_s > APP_MAX_DURATION_S)
        return rc_fail_field(err, "force",
                             "%s is longer than 24 hours for one activity",
                             rc_format_duration(duration_s, t));
    if (strcmp(sport, "running"))
        return 0;
    if ((distance_m + day_other_m) / 1000 > APP_MAX_RUN_KM_A_DAY)
        return rc_fail_field(
            err, "force", "%.1f km of running in a day is over %.0f km%s",
            (distance_m + day_other_m) / 1000, APP_MAX_RUN_KM_A_DAY,
            day_other_m > 0 ? " (with the day's other runs)" : "");
    if (duration_s < record_s(distance_m))
        return rc_fail_field(err, "force",
                             "%.2f km in %s is faster than the world record "
                             "(%s)",
                             distance_m / 1000,
                             rc_format_duration(duration_s, t),
                             rc_format_duration(record_s(distance_m), r));
    return 0;
}

/* The km of running on day, but activity skip (0: none). */
static int day_running_m(struct store *s, long day, int64_t skip, double *m,
                         struct rc_err *err)
{
    struct store_filter f;
    struct store_activity *v;
    size_t n;
    store_filter_init(&f);
    f.since_day = f.until_day = day;
    f.sport = "running";
    if (store_list_activities(s, &f, &v, &n, err) < 0)
        return -1;
    *m = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].id != skip && activity_known(v[i].act.distance_m))
            *m += v[i].act.distance_m;
    free(v);
    return 0;
}

int app_check_activity(struct store *s, int64_t id, const char *sport,
                       double distance_m, double duration_s, long day,
                       bool force, struct rc_err *err)
{
    bool known;
    long today = app_today(s, &known);
    double other = 0;
    char text[16];
    if (app_check_day(day, today, known, err) < 0)
        return -1;
    if (force)
        return 0;
    if (s && !strcmp(sport, "running") &&
        day_running_m(s, day, id, &other, err) < 0)
        return -1;
    if (app_check_plausible(sport,
                            activity_known(distance_m) ? distance_m : 0,
                            activity_known(duration_s) ? duration_s : 0,
                            other, err) < 0)
        return -1;
    if (!strcmp(sport, "running") && activity_known(distance_m) &&
        activity_known(duration_s) && distance_m > 0) {
        double pace = duration_s / (distance_m / 1000);
        if (pace < APP_RUN_PACE_MIN_S_PER_KM ||
            pace > APP_RUN_PACE_MAX_S_PER_KM)
            return rc_fail_field(err, "pace",
                                 "a pace of %s/km is not a run "
                                 "(2:20-30:00/km)",
                                 rc_format_pace(duration_s, distance_m,
                                                text));
    }
    return 0;
}

/* ---- edit and rm ---- */

/* Activity id as it stands: RC_EINPUT when it is not in the log or was
 * removed. */
static int get_standing(struct store *s, int64_t id, struct store_activity *a,
                        struct rc_err *err)
{
    if (store_get_activity(s, id, a, NULL, err) < 0)
        return -1;
    if (a->deleted)
        return rc_fail(err, RC_EINPUT, "activity %lld was removed ('runcare "
                                       "undo' brings it back)",
                       (long long)id);
    return 0;
}

static double duration_of(const struct activity *a)
{
    return activity_known(a->timer_s)    ? a->timer_s
           : activity_known(a->moving_s) ? a->moving_s
                                         : a->elapsed_s;
}

int app_edit(const struct app *app, int64_t id, const struct app_edit *e,
             struct store_activity *out, struct rc_err *err)
{
    struct store_edit se = { e->distance_m, e->duration_s, e->day, NULL,
                             e->name };
    struct store_activity cur;
    struct store_shoe sh = { 0 };
    struct app_log log;
    int rc = -1;

    if (e->sport && app_sport(e->sport, &se.sport, err) < 0)
        return -1;
    if (app_open(app, APP_WRITE, &log, err) < 0)
        return -1;
    if (get_standing(log.store, id, &cur, err) < 0)
        goto done;
    if (e->shoe && e->shoe[0] &&
        store_shoe_get(log.store, e->shoe, &sh, err) < 0) {
        if (err)
            snprintf(err->field, sizeof(err->field), "shoe");
        goto done;
    }
    if (app_check_activity(
            log.store, id, se.sport ? se.sport : cur.act.sport,
            isnan(e->distance_m) ? cur.act.distance_m : e->distance_m,
            isnan(e->duration_s) ? duration_of(&cur.act) : e->duration_s,
            e->day == LONG_MIN ? cur.local_day : e->day, e->force, err) < 0)
        goto done;
    if (store_begin(log.store, err) < 0)
        goto done;
    if (store_activity_edit(log.store, id, &se, err) < 0 ||
        (!isnan(e->rpe) &&
         store_set_rpe(log.store, id, e->rpe < 0 ? NAN : e->rpe, err) < 0) ||
        (e->shoe && store_set_shoe(log.store, id, sh.id, err) < 0) ||
        store_commit(log.store, err) < 0) {
        store_rollback(log.store);
        goto done;
    }
    rc = store_get_activity(log.store, id, out, NULL, err);
done:
    app_close(&log);
    return rc;
}

int app_rm(const struct app *app, const int64_t *ids, size_t n,
           struct rc_err *err)
{
    struct store_activity cur;
    struct app_log log;
    int rc = -1;

    if (app_open(app, APP_WRITE, &log, err) < 0)
        return -1;
    if (store_begin(log.store, err) < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (get_standing(log.store, ids[i], &cur, err) < 0 ||
            store_activity_set_deleted(log.store, ids[i], true, err) < 0) {
            store_rollback(log.store);
            goto done;
        }
    rc = store_commit(log.store, err);
done:
    app_close(&log);
    return rc;
}

/* ---- undo and the history ---- */

int app_undo(const struct app *app, struct store_batch *undone,
             struct rc_err *err)
{
    struct app_log log;
    int rc;
    memset(undone, 0, sizeof(*undone));
    /* no log yet: nothing to undo, and nothing is made; a log that is
     * there opens for writing all the same (APP_READ only makes nothing) */
    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    if (!log.store)
        return 0;
    /* the undo is its own batch (store_undo): none may be open */
    store_history_end(log.store);
    rc = store_undo(log.store, app->command ? app->command : "undo",
                    rc_now(), undone, err);
    app_close(&log);
    return rc;
}

int app_history(const struct app *app, size_t limit, struct store_batch **out,
                size_t *n, struct rc_err *err)
{
    struct app_log log;
    int rc = 0;
    *out = NULL;
    *n = 0;
    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    if (log.store)
        rc = store_history_list(log.store, limit, out, n, err);
    app_close(&log);
    return rc;
}

/* The columns of one change that differ, {column: [before, after]}. */
static json_t *changed_fields(const struct store_change *c)
{
    json_t *before = c->before_json ? json_loads(c->before_json, 0, NULL)
                                    : NULL;
    json_t *after = c->after_json ? json_loads(c->after_json, 0, NULL)
                                  : NULL;
    json_t *out = json_object(), *v;
    const char *key;
    json_t *from = after ? after : before;
    if (out && from)
        json_object_foreach(from, key, v) {
            json_t *b = before ? json_object_get(before, key) : NULL;
            json_t *a = after ? json_object_get(after, key) : NULL;
            if (b && a && json_equal(b, a))
                continue;
            json_object_set_new(out, key,
                                json_pack("[OO]", b ? b : json_null(),
                                          a ? a : json_null()));
        }
    json_decref(before);
    json_decref(after);
    return out;
}

json_t *app_batch_json(const struct store_batch *b)
{
    char at[32];
    json_t *o = json_object(), *changes = json_array();
    if (!o || !changes) {
        json_decref(o);
        json_decref(changes);
        return NULL;
    }
    json_object_set_new(o, "id", json_integer(b->id));
    json_object_set_new(o, "at", json_string(rc_time_format(b->at_s, at)));
    json_object_set_new(o, "command", json_string(b->command));
    json_object_set_new(o, "undoes",
                        b->undoes ? json_integer(b->undoes) : json_null());
    json_object_set_new(o, "undone_by", b->undone_by
                                            ? json_integer(b->undone_by)
                                            : json_null());
    for (size_t i = 0; i < b->nchanges; i++) {
        const struct store_change *c = &b->changes[i];
        json_array_append_new(
            changes, json_pack("{s:s, s:I, s:s, s:o}", "kind", c->kind, "id",
                               (json_int_t)c->entity_id, "action", c->action,
                               "fields", changed_fields(c)));
    }
    json_object_set_new(o, "changes", changes);
    return o;
}
