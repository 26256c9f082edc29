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
#ifdef __GLIBC__
#include <malloc.h>
#endif

int app_athlete_add(const struct app *app, const char *name,
                    struct rc_err *err)
{
    struct app_log log;
    int rc;
    if (store_athlete_name_check(name, err) < 0 ||
        app_open_club(app, APP_WRITE, &log, err) < 0)
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
    if (app_open_club(app, APP_READ, &log, err) < 0)
        return -1;
    if (!log.store) { /* no log yet */
        *out = NULL;
        *n = 0;
        return 0;
    }
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
        app_open_club(app, APP_WRITE, &log, err) < 0)
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
    if (app_open_club(app, APP_WRITE, &log, err) < 0)
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

/* One athlete's row from its report: this week's warnings, the cap. */
static int fill_row(const struct app_load *l, struct app_club_row *row,
                    struct rc_err *err)
{
    const struct load_report *r = &l->report;
    row->as_of_day = r->as_of_day;
    row->week_day = r->as_of_day - rc_weekday(r->as_of_day);
    row->cap_km = l->nactivities && r->nruns ? r->cap.km : NAN;
    row->week_km = r->nweeks ? r->weeks[r->nweeks - 1].km : 0;
    for (size_t i = 0; i < r->nwarnings; i++)
        if (r->warnings[i].day >= row->week_day)
            row->nwarnings++;
    if (!row->nwarnings)
        return 0;
    row->warnings = rc_calloc(row->nwarnings, sizeof(*row->warnings));
    if (!row->warnings)
        return rc_fail(err, RC_EENV, "out of memory");
    row->nwarnings = 0;
    for (size_t i = 0; i < r->nwarnings; i++) {
        if (r->warnings[i].day < row->week_day)
            continue;
        row->warnings[row->nwarnings++] = r->warnings[i];
        if (severity(&r->warnings[i]) > row->worst)
            row->worst = severity(&r->warnings[i]);
    }
    return 0;
}

/* One athlete's row from the club's part of the log (runs, n: its runs
 * from since on); false in *covered, and no row, when that part does not
 * cover it (club_whole then reads its whole log). */
static int club_row(const struct load_rules *rules, const char *name,
                    const struct app_load_opts *o, long since,
                    struct load_run *runs, size_t n,
                    struct app_club_row *row, bool *covered,
                    struct rc_err *err)
{
    long first = app_load_first_day(o->as_of_day, o->weeks);
    struct app_runs part = { .runs = runs, .nruns = n };
    struct app_load l;
    int rc;

    memset(row, 0, sizeof(*row));
    snprintf(row->athlete, sizeof(row->athlete), "%s", name);
    *covered =
        app_runs_cover(&part, since, load_rules_lookback_days(rules), first);
    if (!*covered)
        return 0;
    if (app_load_build(rules, &part, o, &l, err) < 0)
        return -1;
    rc = fill_row(&l, row, err);
    app_load_release(&l);
    return rc;
}

/* An athlete's row from its whole log, as `runcare load` reads it. */
static int club_whole(struct app_log *log, const struct load_rules *rules,
                      const struct app_load_opts *o,
                      struct app_club_row *row, struct rc_err *err)
{
    struct app_load l;
    int rc;
    if (store_use_athlete(log->store, row->athlete, err) < 0 ||
        app_load_open(log, rules, o, &l, err) < 0)
        return -1;
    rc = fill_row(&l, row, err);
    app_load_release(&l);
    return rc;
}

/* The club's runs as store_list_club streams them, athlete after athlete
 * in the order of who: one athlete's runs are kept at a time, and its row
 * made when the next athlete's begin (the club's 100,000 rows are never
 * held at once). */
struct club_stream {
    const struct load_rules *rules;
    const struct app_load_opts *o;
    long since;
    const struct store_athlete *who;
    size_t nwho, at;     /* who[at] is the next athlete without a row */
    struct app_club_row *rows;
    bool *whole;         /* rows to be made from the whole log */
    char current[64];    /* whose runs these are */
    struct load_run *runs;
    size_t n, cap;
};

/* Rows for every athlete before name in who, none of whose runs came
 * (NULL: all that are left), then name's own from the runs kept. */
static int flush_to(struct club_stream *cs, const char *name,
                    struct rc_err *err)
{
    while (cs->at < cs->nwho &&
           (!name || strcmp(cs->who[cs->at].name, name) <= 0)) {
        const char *who = cs->who[cs->at].name;
        bool mine = name && !strcmp(who, name), covered;
        if (club_row(cs->rules, who, cs->o, cs->since, cs->runs,
                     mine ? cs->n : 0, &cs->rows[cs->at], &covered, err) < 0)
            return -1;
        cs->whole[cs->at] = !covered;
        cs->at++;
    }
    cs->n = 0;
    return 0;
}

static int add_run(void *ctx, const char *athlete,
                   const struct store_activity *sa, struct rc_err *err)
{
    struct club_stream *cs = ctx;
    if (strcmp(athlete, cs->current)) {
        if (cs->current[0] && flush_to(cs, cs->current, err) < 0)
            return -1;
        snprintf(cs->current, sizeof(cs->current), "%s", athlete);
    }
    if (cs->n == cs->cap) {
        size_t ncap = cs->cap ? cs->cap * 2 : 512;
        struct load_run *nr = rc_realloc(cs->runs, ncap * sizeof(*nr));
        if (!nr)
            return rc_fail(err, RC_EENV, "out of memory");
        cs->runs = nr;
        cs->cap = ncap;
    }
    app_load_run_of(sa, &cs->runs[cs->n++]);
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
    struct app_load_opts o = { .as_of_day = as_of_day, .weeks = 1 };
    struct app_club c = { .rows = NULL };
    struct store_athlete *who = NULL;
    struct club_stream cs;
    struct load_rules rules;
    struct app_log log;
    size_t n = 0;
    int rc = -1;

#ifdef __GLIBC__
    /* one load report built and freed per athlete: glibc would give the
     * top of the heap back to the kernel after each and take it again
     * (32,000 brk calls, a third of club's time at 1,000 athletes) */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
#endif
    memset(&cs, 0, sizeof(cs));
    if (app_load_rules(app, &rules, err) < 0 ||
        app_open_club(app, APP_READ, &log, err) < 0)
        return -1;
    if (!log.store) { /* no log yet: nobody */
        *out = c;
        return 0;
    }
    /* Every athlete's runs at once, from twice the rules' lookback before
     * the week: a warning or the cap of a day of the week looks back at
     * most lookback days, and a break that ends in the week began after
     * the last run before it, which club_row wants within lookback (else
     * club_whole reads that athlete's log as `runcare load` does). Fitness
     * and fatigue, which want 400 days, are not shown here. */
    cs.rules = &rules;
    cs.o = &o;
    cs.since = app_load_first_day(as_of_day, 1) -
               2 * load_rules_lookback_days(&rules);
    if (store_athlete_list(log.store, &who, &n, err) < 0)
        goto out;
    if (n) {
        c.rows = rc_calloc(n, sizeof(*c.rows));
        cs.whole = rc_calloc(n, sizeof(*cs.whole));
        if (!c.rows || !cs.whole) {
            rc_fail(err, RC_EENV, "out of memory");
            goto out;
        }
    }
    /* both by name: each athlete's runs come in who's order */
    cs.who = who;
    cs.nwho = n;
    cs.rows = c.rows;
    if (store_list_club(log.store, cs.since, add_run, &cs, err) < 0 ||
        (cs.current[0] && flush_to(&cs, cs.current, err) < 0) ||
        flush_to(&cs, NULL, err) < 0)
        goto out;
    c.n = n;
    for (size_t i = 0; i < n; i++)
        if (cs.whole[i] && club_whole(&log, &rules, &o, &c.rows[i], err) < 0)
            goto out;
    qsort(c.rows, c.n, sizeof(*c.rows), by_worst);
    *out = c;
    c.rows = NULL;
    c.n = 0;
    rc = 0;
out:
    if (c.rows && !c.n)
        c.n = cs.at; /* the rows made so far, for their warnings */
    app_club_release(&c);
    rc_free(who);
    rc_free(cs.runs);
    rc_free(cs.whole);
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
