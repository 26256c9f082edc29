/* app_log.c - where the log is, when it is made, and the log as the load
 * guard reads it (see app.h). The one place that knows the database path
 * rule and which stored activity is a run, a race, a shoe's km.
 *
 * Data flow: app_db_path -> app_open -> store/ (store_open) -> the callers
 * in app/; store_activity -> struct load_run (app_runs_read) -> load/. */
#include <ctype.h>
#include <pthread.h>
#include <sys/stat.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "app/app_int.h"

int app_db_path(const struct app *app, char out[APP_PATH_MAX],
                bool *is_default, struct rc_err *err)
{
    const char *env = getenv("RUNCARE_DB"), *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    bool def = false;
    int k;

    if (app->db)
        k = snprintf(out, APP_PATH_MAX, "%s", app->db);
    else if (env && *env)
        k = snprintf(out, APP_PATH_MAX, "%s", env);
    else if ((def = xdg && *xdg == '/'))
        k = snprintf(out, APP_PATH_MAX, "%s/runcare/runcare.db", xdg);
    else if ((def = home && *home))
        k = snprintf(out, APP_PATH_MAX, "%s/.local/share/runcare/runcare.db",
                     home);
    else
        return rc_fail(err, RC_EENV, "no place for the database: HOME is not "
                                     "set; use --db PATH or RUNCARE_DB");
    if (k < 0 || k >= APP_PATH_MAX)
        return rc_fail(err, RC_EENV, "database path is too long");
    if (is_default)
        *is_default = def;
    return 0;
}

/* The folder that holds path ("." for a bare name), into dir. */
static void folder_of(const char *path, char dir[APP_PATH_MAX])
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, APP_PATH_MAX, ".");
    else if (slash == path)
        snprintf(dir, APP_PATH_MAX, "/");
    else
        snprintf(dir, APP_PATH_MAX, "%.*s", (int)(slash - path), path);
}

/* The athlete app names: --athlete, else $RUNCARE_ATHLETE; NULL: none. */
static const char *named_athlete(const struct app *app)
{
    const char *env = getenv("RUNCARE_ATHLETE");
    if (app->athlete)
        return app->athlete;
    return env && *env ? env : NULL;
}

/* ---- connections kept open (struct app_pool, app.h) ---- */

#define APP_POOL_MAX 8

struct app_pool {
    pthread_mutex_t mu;
    struct pooled {
        struct store *store;
        char path[APP_PATH_MAX];
        char athlete[64];
    } idle[APP_POOL_MAX];
    int n;
};

struct app_pool *app_pool_new(void)
{
    struct app_pool *p = rc_calloc(1, sizeof(*p));
    if (p)
        pthread_mutex_init(&p->mu, NULL);
    return p;
}

void app_pool_free(struct app_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        store_close(p->idle[i].store);
    pthread_mutex_destroy(&p->mu);
    rc_free(p);
}

/* An idle connection to path for athlete, or NULL. */
static struct store *pool_take(struct app_pool *p, const char *path,
                               const char *athlete)
{
    for (;;) {
        struct store *s = NULL;
        pthread_mutex_lock(&p->mu);
        for (int i = p->n - 1; i >= 0 && !s; i--)
            if (!strcmp(p->idle[i].path, path) &&
                !strcmp(p->idle[i].athlete, athlete)) {
                s = p->idle[i].store;
                p->idle[i] = p->idle[--p->n];
            }
        pthread_mutex_unlock(&p->mu);
        if (!s || store_reusable(s))
            return s;
        store_close(s); /* ended while it waited (a server restart) */
    }
}

/* Keep log's connection for the next call; false: not kept. */
static bool pool_give(struct app_log *log)
{
    struct app_pool *p = log->pool;
    bool kept = false;
    if (!store_reusable(log->store))
        return false;
    pthread_mutex_lock(&p->mu);
    if (p->n < APP_POOL_MAX) {
        struct pooled *e = &p->idle[p->n++];
        e->store = log->store;
        snprintf(e->path, sizeof(e->path), "%s", log->path);
        snprintf(e->athlete, sizeof(e->athlete), "%s", log->pool_athlete);
        kept = true;
    }
    pthread_mutex_unlock(&p->mu);
    return kept;
}

/* Open a PostgreSQL log (there is no file to look for) with its athlete;
 * need_one: RC_EINPUT when none is chosen. */
static int open_pg(const struct app *app, struct app_log *l, bool need_one,
                   struct rc_err *err)
{
    const char *name = named_athlete(app);
    /* one athlete's log: a connection kept from an earlier call will do
     * (a club's connection changes athletes as it goes: never kept) */
    if (need_one && app->pool) {
        l->pool = app->pool;
        snprintf(l->pool_athlete, sizeof(l->pool_athlete), "%s",
                 name ? name : "");
        l->store = pool_take(app->pool, l->path, l->pool_athlete);
        if (l->store)
            return 0;
    }
    l->store = store_open(l->path, need_one ? STORE_CREATE
                                            : STORE_CREATE | STORE_CLUB,
                          err);
    if (!l->store)
        return -1;
    if (name && store_use_athlete(l->store, name, err) < 0)
        goto fail;
    if (need_one && !store_athlete(l->store)[0]) {
        rc_fail(err, RC_EINPUT, "database %s holds several athletes: "
                                "choose one with --athlete NAME (or "
                                "RUNCARE_ATHLETE); 'runcare athlete list' "
                                "names them",
                l->path);
        goto fail;
    }
    return 0;
fail:
    store_close(l->store);
    l->store = NULL;
    return -1;
}

int app_open_club(const struct app *app, enum app_access access,
                  struct app_log *log, struct rc_err *err)
{
    struct app_log l = { .store = NULL };
    if (app_db_path(app, l.path, NULL, err) < 0)
        return -1;
    if (!store_path_is_pg(l.path))
        return app_open(app, access, log, err); /* one athlete's file */
    if (open_pg(app, &l, false, err) < 0)
        return -1;
    *log = l;
    return 0;
}

int app_open(const struct app *app, enum app_access access,
             struct app_log *log, struct rc_err *err)
{
    struct app_log l = { .store = NULL };
    char dir[APP_PATH_MAX];
    struct stat st;
    bool is_default;
    const char *name = named_athlete(app);

    if (app_db_path(app, l.path, &is_default, err) < 0)
        return -1;
    if (store_path_is_pg(l.path)) {
        if (open_pg(app, &l, true, err) < 0)
            return -1;
        goto opened;
    }
    if (name && store_athlete_name_check(name, err) < 0)
        return -1;
    if (stat(l.path, &st) != 0) {
        if (errno != ENOENT) {
            rc_fail(err, RC_EENV, "cannot read the database: %s",
                    strerror(errno));
            rc_err_file(err, l.path);
            return -1;
        }
        folder_of(l.path, dir);
        if (!is_default && access != APP_CREATE &&
            (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
            return rc_fail(err, RC_EENV,
                           "no database at %s: there is no folder %s", l.path,
                           dir);
        if (access == APP_READ) {
            *log = l; /* nothing stored yet; reading makes nothing */
            return 0;
        }
    }
    /* STORE_CREATE makes the file and its folders: the folder is there,
     * or it is the default one, or the demo asked for it */
    l.store = store_open(l.path, access != APP_READ ? STORE_CREATE : 0, err);
    if (!l.store)
        return -1;
    if (name && store_use_athlete(l.store, name, err) < 0) {
        store_close(l.store);
        return -1;
    }
opened:
    if (access != APP_READ &&
        store_history_begin(l.store, app->command, rc_now(), err) < 0) {
        store_close(l.store);
        return -1;
    }
    *log = l;
    return 0;
}

void app_close(struct app_log *log)
{
    if (!log)
        return;
    if (log->store)
        store_history_end(log->store);
    if (!log->pool || !log->store || !pool_give(log))
        store_close(log->store);
    log->store = NULL;
}

/* ---- the log as the load guard reads it ---- */

/* Does text hold word alone (not inside a longer word), in any case? */
static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; (p = strcasestr(p, word)) != NULL; p++)
        if ((p == text || !isalnum((unsigned char)p[-1])) &&
            !isalnum((unsigned char)p[n]))
            return true;
    return false;
}

/* One stored activity as the load guard reads it: its totals. */
void app_load_run_of(const struct store_activity *sa, struct load_run *r)
{
    const struct activity *a = &sa->act;
    memset(r, 0, sizeof(*r));
    r->id = sa->id;
    r->start_s = a->start_s;
    r->utc_offset_s = a->has_utc_offset ? a->utc_offset_s : 0;
    r->distance_m = a->distance_m;
    r->duration_s = activity_known(a->timer_s)    ? a->timer_s
                    : activity_known(a->moving_s) ? a->moving_s
                                                  : a->elapsed_s;
    r->elapsed_s = a->elapsed_s;
    r->ascent_m = a->ascent_m;
    r->descent_m = a->descent_m;
    r->rpe = sa->rpe;
    r->avg_hr_bpm = a->avg_hr_bpm;
    r->max_hr_bpm = a->max_hr_bpm;
    r->shoe_id = sa->shoe_id;
    r->is_run = !strcmp(a->sport, "running");
    /* a race only when the file or the runner's title says so */
    r->is_race = !strcmp(a->sub_sport, "race") || has_word(a->name, "race") ||
                 has_word(a->name, "parkrun");
}

/* The activities from since_day on (LONG_MIN: all) and every shoe. */
static int read_part(struct store *s, long since_day, struct app_runs *l,
                     struct rc_err *err)
{
    struct store_filter f;
    struct store_activity *acts = NULL;
    struct store_shoe *shoes = NULL;
    size_t n = 0, nshoes = 0;
    int rc = -1;

    store_filter_init(&f);
    f.since_day = since_day;
    if (store_list_activities(s, &f, &acts, &n, err) < 0 ||
        store_shoe_list(s, &shoes, &nshoes, err) < 0)
        goto done;
    l->runs = calloc(n ? n : 1, sizeof(*l->runs));
    l->shoes = calloc(nshoes ? nshoes : 1, sizeof(*l->shoes));
    if (!l->runs || !l->shoes) {
        rc_fail(err, RC_EENV, "out of memory for %zu activities", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        app_load_run_of(&acts[i], &l->runs[l->nruns++]);
    for (size_t i = 0; i < nshoes; i++) {
        struct load_shoe *o = &l->shoes[l->nshoes++];
        o->id = shoes[i].id;
        snprintf(o->name, sizeof(o->name), "%s", shoes[i].name);
        o->used_km = shoes[i].used_km;
        o->limit_km = shoes[i].limit_km;
        o->retired = shoes[i].retired;
    }
    rc = 0;
done:
    free(acts);
    free(shoes);
    return rc;
}

/* Is a run of the part on a day from since + lookback to before first? */
bool app_runs_cover(const struct app_runs *l, long since, int lookback,
                    long first)
{
    for (size_t i = 0; i < l->nruns; i++) {
        const struct load_run *r = &l->runs[i];
        long d;
        if (!r->is_run || !isfinite(r->start_s))
            continue;
        d = rc_day_of(r->start_s + r->utc_offset_s);
        if (d >= since + lookback && d < first)
            return true;
    }
    return false;
}

int app_runs_read_open(struct app_log *log, long first_day,
                       int lookback_days, struct app_runs *out,
                       struct rc_err *err)
{
    struct app_runs l = { .runs = NULL };
    long since = first_day == LONG_MIN ? LONG_MIN
                                       : first_day - LOAD_HISTORY_DAYS;

    if (log->store) {
        if (read_part(log->store, since, &l, err) < 0)
            goto fail;
        if (since != LONG_MIN &&
            !app_runs_cover(&l, since, lookback_days, first_day)) {
            app_runs_release(&l);
            if (read_part(log->store, LONG_MIN, &l, err) < 0)
                goto fail;
        }
    }
    *out = l;
    return 0;
fail:
    app_runs_release(&l);
    return -1;
}

int app_runs_read(const struct app *app, long first_day, int lookback_days,
                  struct app_runs *out, struct rc_err *err)
{
    struct app_log log;
    int rc;
    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    rc = app_runs_read_open(&log, first_day, lookback_days, out, err);
    app_close(&log);
    return rc;
}

void app_runs_release(struct app_runs *r)
{
    if (!r)
        return;
    free(r->runs);
    free(r->shoes);
    memset(r, 0, sizeof(*r));
}

long app_runs_today(const struct app_runs *r)
{
    double latest = -INFINITY;
    int32_t offset = 0;
    for (size_t i = 0; i < r->nruns; i++)
        if (r->runs[i].start_s > latest) {
            latest = r->runs[i].start_s;
            offset = r->runs[i].utc_offset_s;
        }
    return rc_day_of(rc_now() + offset);
}
