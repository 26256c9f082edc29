/* app_record.c - what goes into the log and what is listed from it:
 * import, the activities and shoes, a run logged by hand, RPE, shoes (see
 * app.h). Each opens the log with the access its job needs, so the
 * database rule of app_open holds for every front end. */
#include "base/base.h"
#include "base/time.h"
#include "base/units.h"
#include "app/app_int.h"

#include <errno.h>
#include <sys/stat.h>

/* Is the log a SQLite file that is not there yet? A first import then
 * reads and decodes its files while app_open creates it. */
static bool log_is_new(const struct app *app)
{
    char path[APP_PATH_MAX];
    struct stat st;
    struct rc_err err = RC_ERR_INIT;
    return app_db_path(app, path, NULL, &err) == 0 &&
           !store_path_is_pg(path) && stat(path, &st) != 0 &&
           errno == ENOENT;
}

int app_import(const struct app *app, char *const *paths, size_t npaths,
               const struct import_opts *opts, struct import_summary *sum,
               struct rc_err *err)
{
    struct app_log log;
    struct import_job *job;
    int rc;

    memset(sum, 0, sizeof(*sum));
    if (import_begin(paths, npaths, opts, log_is_new(app), &job, err) < 0)
        return -1;
    if (app_open(app, APP_WRITE, &log, err) < 0) {
        struct rc_err ignored = RC_ERR_INIT;
        import_end(job, NULL, sum, &ignored);
        return -1;
    }
    rc = import_end(job, log.store, sum, err);
    app_close(&log);
    return rc;
}

void app_list_release(struct app_list *l)
{
    if (!l)
        return;
    free(l->acts);
    free(l->shoes);
    memset(l, 0, sizeof(*l));
}

int app_list(const struct app *app, const struct store_filter *f,
             struct app_list *out, struct rc_err *err)
{
    struct app_list l = { .acts = NULL };
    struct app_log log;

    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    if (log.store &&
        (store_list_activities(log.store, f, &l.acts, &l.n, err) < 0 ||
         store_shoe_list(log.store, &l.shoes, &l.nshoes, err) < 0)) {
        app_close(&log);
        app_list_release(&l);
        return -1;
    }
    app_close(&log);
    *out = l;
    return 0;
}

int app_log_run(const struct app *app, const struct app_run *run,
                struct app_list *out, struct rc_err *err)
{
    struct app_list l = { .acts = NULL };
    struct store_shoe sh = { 0 };
    struct app_log log;
    struct activity a;
    const char *sport;
    int64_t id;

    if (app_sport(run->sport, &sport, err) < 0)
        return -1;
    /* checked on the log as it is, which a refused run does not make */
    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    if (app_check_activity(log.store, 0, sport, run->distance_m,
                           run->duration_s, run->day, run->force, err) < 0) {
        app_close(&log);
        return -1;
    }
    app_close(&log);
    if (app_open(app, APP_WRITE, &log, err) < 0)
        return -1;
    if (run->shoe && store_shoe_get(log.store, run->shoe, &sh, err) < 0) {
        if (err)
            snprintf(err->field, sizeof(err->field), "shoe");
        goto fail;
    }
    activity_init(&a);
    snprintf(a.sport, sizeof(a.sport), "%s", sport);
    snprintf(a.sub_sport, sizeof(a.sub_sport), "generic");
    snprintf(a.name, sizeof(a.name), "%s", run->name);
    /* noon of the day, in an unknown zone: the local day is the date */
    a.start_s = (double)run->day * 86400 + 12 * 3600;
    a.elapsed_s = a.timer_s = a.moving_s = run->duration_s;
    a.distance_m = run->distance_m;
    if (store_begin(log.store, err) < 0)
        goto fail;
    if (store_add_activity(log.store, &a, 0, &id, err) < 0 ||
        (!isnan(run->rpe) && store_set_rpe(log.store, id, run->rpe, err) < 0) ||
        (run->shoe && store_set_shoe(log.store, id, sh.id, err) < 0) ||
        store_commit(log.store, err) < 0) {
        store_rollback(log.store);
        goto fail;
    }
    l.acts = calloc(1, sizeof(*l.acts));
    if (!l.acts) {
        rc_fail(err, RC_EENV, "out of memory");
        goto fail;
    }
    l.n = 1;
    if (store_get_activity(log.store, id, l.acts, NULL, err) < 0 ||
        store_shoe_list(log.store, &l.shoes, &l.nshoes, err) < 0)
        goto fail;
    app_close(&log);
    *out = l;
    return 0;
fail:
    app_close(&log);
    app_list_release(&l);
    return -1;
}

int app_last_activity(struct store *s, int64_t *id, struct rc_err *err)
{
    struct store_filter f;
    struct store_activity *v;
    size_t n;
    store_filter_init(&f);
    if (store_list_activities(s, &f, &v, &n, err) < 0)
        return -1;
    *id = n ? v[n - 1].id : 0;
    free(v);
    return 0;
}

int app_rpe(const struct app *app, int64_t id, double rpe,
            struct store_activity *out, struct rc_err *err)
{
    struct app_log log;
    int rc = -1;

    if (app_open(app, APP_WRITE, &log, err) < 0)
        return -1;
    if (!id && app_last_activity(log.store, &id, err) < 0)
        goto done;
    if (!id) {
        rc_fail(err, RC_EINPUT, "the log has no activity to rate yet");
        goto done;
    }
    if (store_get_activity(log.store, id, out, NULL, err) < 0)
        goto done;
    if (out->deleted) {
        rc_fail(err, RC_EINPUT, "activity %lld was removed ('runcare undo' "
                                "brings it back)",
                (long long)id);
        goto done;
    }
    if (store_set_rpe(log.store, id, rpe, err) == 0 &&
        store_get_activity(log.store, id, out, NULL, err) == 0)
        rc = 0;
done:
    app_close(&log);
    return rc;
}

int app_shoe_add(const struct app *app, const char *name, double start_km,
                 double limit_km, bool make_default, long since_day,
                 struct rc_err *err)
{
    struct app_log log;
    int64_t id;
    bool known;
    long today;
    int rc = -1;

    if (app_open(app, APP_WRITE, &log, err) < 0)
        return -1;
    today = app_today(log.store, &known);
    if (since_day == LONG_MIN)
        since_day = today;
    else if (app_check_day(since_day, today, known, err) < 0)
        goto done;
    if (store_begin(log.store, err) < 0)
        goto done;
    if (store_shoe_add(log.store, name, start_km, limit_km, &id, err) < 0 ||
        store_shoe_dates(log.store, id, since_day, LONG_MIN, err) < 0 ||
        (make_default && store_shoe_set_default(log.store, id, err) < 0) ||
        store_commit(log.store, err) < 0)
        store_rollback(log.store);
    else
        rc = 0;
done:
    app_close(&log);
    return rc;
}

int app_shoe_list(const struct app *app, struct store_shoe **out,
                  size_t *n, struct rc_err *err)
{
    struct app_log log;
    int rc = 0;

    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    *out = NULL;
    *n = 0;
    if (log.store)
        rc = store_shoe_list(log.store, out, n, err);
    app_close(&log);
    return rc;
}

int app_shoe_retire(const struct app *app, const char *name, bool retired,
                    long day, struct store_shoe *out, struct rc_err *err)
{
    struct app_log log;
    bool known;
    long today;
    int rc = -1;

    if (app_open(app, APP_WRITE, &log, err) < 0)
        return -1;
    today = app_today(log.store, &known);
    if (!retired || day == LONG_MIN)
        day = retired ? today : LONG_MIN;
    else if (app_check_day(day, today, known, err) < 0)
        goto done;
    if (store_shoe_get(log.store, name, out, err) < 0 ||
        store_begin(log.store, err) < 0)
        goto done;
    if (store_shoe_retire(log.store, out->id, retired, err) == 0 &&
        store_shoe_dates(log.store, out->id, out->since_day, day, err) == 0 &&
        store_commit(log.store, err) == 0)
        rc = 0;
    else
        store_rollback(log.store);
done:
    app_close(&log);
    return rc;
}

int app_shoe_default(const struct app *app, const char *name,
                     struct store_shoe *out, struct rc_err *err)
{
    struct app_log log;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (app_open(app, APP_WRITE, &log, err) < 0)
        return -1;
    if ((!name || store_shoe_get(log.store, name, out, err) == 0) &&
        store_shoe_set_default(log.store, out->id, err) == 0)
        rc = 0;
    app_close(&log);
    return rc;
}
