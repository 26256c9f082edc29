/* app_club.c - a club's log as a whole (see app.h): its athletes (athlete
 * add, list, rm, grant) and the club view, this week's load warnings and
 * next-run cap of every athlete the connecting role may see, worst first.
 *
 * Data flow: app_open_club -> store/ (store_athlete_*; for each athlete
 * store_use_athlete) -> app_load_open, the load guard of `runcare load`
 * -> struct app_club. */
#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "app/app_int.h"

int app_athlete_add(const struct app *app, const char *name,
                    struct rc_err *err)
{
    struct app_log log;
    int rc;
    if (store_athlete_name_check(name, err) < 0 ||
        app_open_club(app, &log, err) < 0)
        return -1;
    rc = store_athlete_add(log.store, name, err);
    app_close(&log);
    return rc;
}

int app_athlete_list(const struct app *app, struct store_athlete **out,
                     size_t *n, struct rc_err *err)
{
    struct app_log log;
    int rc;
    if (app_open_club(app, &log, err) < 0)
        return -1;
    rc = store_athlete_list(log.store, out, n, err);
    app_close(&log);
    return rc;
}

int app_athlete_rm(const struct app *app, const char *name, bool with_log,
                   struct rc_err *err)
{
    struct app_log log;
    int rc;
    if (store_athlete_name_check(name, err) < 0 ||
        app_open_club(app, &log, err) < 0)
        return -1;
    rc = store_athlete_rm(log.store, name, with_log, err);
    app_close(&log);
    return rc;
}

int app_athlete_grant(const struct app *app, const char *coach,
                      const char *athlete, struct rc_err *err)
{
    struct app_log log;
    int rc;
    if (app_open_club(app, &log, err) < 0)
        return -1;
    rc = store_athlete_grant(log.store, coach, athlete, err);
    app_close(&log);
    return rc;
}

/* How far over its threshold a warning is (1: at it). */
static double severity(const struct load_warning *w)
{
    return w->threshold_pct > 0 ? w->value_pct / w->threshold_pct : 1;
}

/* One athlete's row: the report as of as_of_day (LONG_MIN: today where
 * the athlete runs), this week's warnings. */
static int club_row(struct app_log *log, const struct load_rules *rules,
                    const char *name, long as_of_day,
                    struct app_club_row *row, struct rc_err *err)
{
    struct app_load_opts o = { .as_of_day = as_of_day, .weeks = 1 };
    struct app_load l;
    const struct load_report *r;

    memset(row, 0, sizeof(*row));
    snprintf(row->athlete, sizeof(row->athlete), "%s", name);
    if (store_use_athlete(log->store, name, err) < 0 ||
        app_load_open(log, rules, &o, &l, err) < 0)
        return -1;
    r = &l.report;
    row->as_of_day = r->as_of_day;
    row->week_day = r->as_of_day - rc_weekday(r->as_of_day);
    row->cap_km = l.nactivities && r->nruns ? r->cap.km : NAN;
    row->runs = r->nruns;
    row->week_km = r->nweeks ? r->weeks[r->nweeks - 1].km : 0;
    for (size_t i = 0; i < r->nwarnings; i++)
        if (r->warnings[i].day >= row->week_day)
            row->nwarnings++;
    if (row->nwarnings) {
        row->warnings = rc_calloc(row->nwarnings, sizeof(*row->warnings));
        if (!row->warnings) {
            app_load_release(&l);
            return rc_fail(err, RC_EENV, "out of memory");
        }
        row->nwarnings = 0;
        for (size_t i = 0; i < r->nwarnings; i++) {
            if (r->warnings[i].day < row->week_day)
                continue;
            row->warnings[row->nwarnings++] = r->warnings[i];
            if (severity(&r->warnings[i]) > row->worst)
                row->worst = severity(&r->warnings[i]);
        }
    }
    app_load_release(&l);
    return 0;
}

/* Worst first: more warnings, then the one furthest over its
 * threshold, then by name. */
static int by_worst(const void *pa, const void *pb)
{
    const struct app_club_row *a = pa, *b = pb;
    if (a->nwarnings != b->nwarnings)
        return a->nwarnings > b->nwarnings ? -1 : 1;
    if (a->worst != b->worst)
        return a->worst > b->worst ? -1 : 1;
    return strcmp(a->athlete, b->athlete);
}

int app_club(const struct app *app, long as_of_day, struct app_club *out,
             struct rc_err *err)
{
    struct app_club c = { .rows = NULL };
    struct store_athlete *who = NULL;
    struct load_rules rules;
    struct app_log log;
    size_t n = 0;
    int rc = -1;

    if (app_load_rules(app, &rules, err) < 0 ||
        app_open_club(app, &log, err) < 0)
        return -1;
    if (store_athlete_list(log.store, &who, &n, err) < 0)
        goto out;
    if (n) {
        c.rows = rc_calloc(n, sizeof(*c.rows));
        if (!c.rows) {
            rc_fail(err, RC_EENV, "out of memory");
            goto out;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (club_row(&log, &rules, who[i].name, as_of_day, &c.rows[i],
                     err) < 0)
            goto out;
        c.n++;
    }
    qsort(c.rows, c.n, sizeof(*c.rows), by_worst);
    *out = c;
    c.rows = NULL;
    c.n = 0;
    rc = 0;
out:
    app_club_release(&c);
    rc_free(who);
    app_close(&log);
    return rc;
}

void app_club_release(struct app_club *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        rc_free(c->rows[i].warnings);
    rc_free(c->rows);
    c->rows = NULL;
    c->n = 0;
}

/* "sqlite:FILE" is FILE; a URL or a path is itself. */
static const char *store_path(const char *arg)
{
    return strncmp(arg, "sqlite:", 7) ? arg : arg + 7;
}

int app_migrate(const struct app *app, const char *from, const char *to,
                long *rows, struct rc_err *err)
{
    const char *env = getenv("RUNCARE_ATHLETE");
    const char *name = app->athlete ? app->athlete : env && *env ? env : NULL;
    struct store *src = NULL, *dst = NULL;
    struct rc_err scratch = RC_ERR_INIT;
    char who[64];
    int rc = -1;

    from = store_path(from);
    to = store_path(to);
    if (!strcmp(from, to))
        return rc_fail(err, RC_EINPUT, "--from and --to are the same "
                                       "database");
    src = store_open(from, STORE_CLUB, err);
    if (!src)
        return -1;
    if (name && store_use_athlete(src, name, err) < 0)
        goto out;
    if (!name && !store_athlete(src)[0] && store_path_is_pg(from)) {
        rc_fail(err, RC_EINPUT, "%s holds several athletes: choose one "
                                "with --athlete NAME", from);
        goto out;
    }
    snprintf(who, sizeof(who), "%s", name ? name : store_athlete(src));
    if (!who[0]) {
        rc_fail(err, RC_EINPUT, "the log %s names no athlete: say whose it "
                                "is with --athlete NAME", from);
        goto out;
    }
    dst = store_open(to, STORE_CREATE | STORE_CLUB, err);
    if (!dst)
        goto out;
    /* the athlete, added (with its role) when the destination lacks it */
    if (store_use_athlete(dst, who, &scratch) < 0) {
        if (scratch.status != RC_EINPUT) {
            if (err)
                *err = scratch;
            goto out;
        }
        if (store_athlete_add(dst, who, err) < 0 ||
            store_use_athlete(dst, who, err) < 0)
            goto out;
    }
    rc = store_copy_log(src, dst, rows, err);
out:
    store_close(src);
    store_close(dst);
    return rc;
}
