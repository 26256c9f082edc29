/* app_diary.c - the pain diary (see app.h): the store's reports and
 * results grouped into problems (a check and the follow-ups linked to
 * it), each problem's course against its expected one (triage/course.c)
 * with the runs of the log, and when the next check-in is due.
 *
 * Data flow: app_open (read) -> store_list_reports + app_runs_read_open
 * -> problems -> the load guard's cap where the check had none ->
 * triage_course_eval -> struct app_diary -> app_diary_json, the SVG, the
 * plan (app_plan.c) and the front ends. */
#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "app/app_int.h"

static double num_at(const json_t *j, const char *ptr, double dflt)
{
    const json_t *v = triage_get_field(j, ptr);
    return json_is_number(v) ? json_number_value(v) : dflt;
}

void app_diary_release(struct app_diary *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        json_decref(d->entries[i].report);
        json_decref(d->entries[i].result);
    }
    for (size_t i = 0; i < d->nproblems; i++) {
        free(d->problems[i].entries);
        triage_course_release(&d->problems[i].course);
    }
    free(d->entries);
    free(d->problems);
    free(d->runs);
    memset(d, 0, sizeof(*d));
}

static int entries_from(struct app_diary *d, const struct store_report *r,
                        size_t n, struct rc_err *err)
{
    if (n && !(d->entries = rc_calloc(n, sizeof(*d->entries))))
        return rc_fail(err, RC_EENV, "out of memory reading the diary");
    for (size_t i = 0; i < n; i++) {
        struct app_diary_entry *e = &d->entries[d->n];
        json_error_t je;
        e->id = r[i].id;
        e->follows_id = r[i].follows_id;
        e->created_s = r[i].created_s;
        e->report = json_loads(r[i].report_json, 0, &je);
        if (!e->report)
            return rc_fail(err, RC_EENV,
                           "diary entry %lld: its report is not JSON (%s)",
                           (long long)r[i].id, je.text);
        e->result = r[i].result_json[0]
                        ? json_loads(r[i].result_json, 0, &je)
                        : json_object();
        d->n++;
        if (!e->result)
            return rc_fail(err, RC_EENV,
                           "diary entry %lld: its result is not JSON (%s)",
                           (long long)r[i].id, je.text);
        e->level = triage_result_level(e->result);
        /* the report's own time when it says (a follow-up from a file) */
        e->created_s = triage_course_run_end(e->report, e->created_s) +
                       num_at(e->report, "/pain/hours_since_run", 0) * 3600;
        e->score = (int)num_at(e->report, "/pain/score", 0);
    }
    return 0;
}

static long entry_of(const struct app_diary *d, int64_t id)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->entries[i].id == id)
            return (long)i;
    return -1;
}

/* Each entry that follows up another joins that one's problem; every
 * other entry starts one. */
static int group(struct app_diary *d, struct rc_err *err)
{
    if (d->n && !(d->problems = rc_calloc(d->n, sizeof(*d->problems))))
        return rc_fail(err, RC_EENV, "out of memory reading the diary");
    for (size_t i = 0; i < d->n; i++) {
        struct app_diary_entry *e = &d->entries[i];
        long f = e->follows_id ? entry_of(d, e->follows_id) : -1;
        struct app_diary_problem *p;
        size_t *v;
        if (f >= 0 && (size_t)f < i) {
            e->problem = d->entries[f].problem;
        } else {
            e->problem = d->nproblems++;
            d->problems[e->problem].cap_km = NAN;
            d->problems[e->problem].recurrence_days = NAN;
        }
        p = &d->problems[e->problem];
        if (!(v = rc_realloc(p->entries, (p->n + 1) * sizeof(*v))))
            return rc_fail(err, RC_EENV, "out of memory reading the diary");
        p->entries = v;
        p->entries[p->n++] = i;
    }
    return 0;
}

static bool share_region(const json_t *a, const json_t *b)
{
    const json_t *ra = triage_get_field(a, "/location/regions"),
                 *rb = triage_get_field(b, "/location/regions"), *x, *y;
    size_t i, k;
    json_array_foreach(ra, i, x) {
        json_array_foreach(rb, k, y) {
            if (json_equal(x, y))
                return true;
        }
    }
    return false;
}

/* Days from the last report of the latest earlier problem in one of the
 * same regions to this problem's check. */
static double recurrence(const struct app_diary *d, size_t pi)
{
    const struct app_diary_entry *first =
        &d->entries[d->problems[pi].entries[0]];
    for (size_t q = pi; q-- > 0;) {
        const struct app_diary_problem *p = &d->problems[q];
        const struct app_diary_entry *last = &d->entries[p->entries[p->n - 1]];
        if (share_region(d->entries[p->entries[0]].report, first->report))
            return fmax(0, (first->created_s - last->created_s) / 86400.0);
    }
    return NAN;
}

static int runs_from(struct app_diary *d, const struct app_runs *log,
                     struct rc_err *err)
{
    if (log->nruns &&
        !(d->runs = rc_calloc(log->nruns, sizeof(*d->runs))))
        return rc_fail(err, RC_EENV, "out of memory reading the log");
    for (size_t i = 0; i < log->nruns; i++) {
        const struct load_run *r = &log->runs[i];
        struct triage_course_run *c = &d->runs[d->nruns];
        if (!r->is_run || !isfinite(r->start_s) || !isfinite(r->distance_m))
            continue;
        c->start_s = r->start_s;
        c->day = rc_day_of(r->start_s + r->utc_offset_s);
        c->km = r->distance_m / 1000.0;
        c->duration_s = isfinite(r->duration_s) && r->duration_s > 0
                            ? r->duration_s
                            : NAN;
        d->nruns++;
    }
    return 0;
}

/* The plan's cap: the check's own (its return_to_running), else the load
 * guard's as of the day the pain began. */
static int cap_of(const struct app *app, const struct app_runs *log,
                  const json_t *result, double run_end_s, double *cap,
                  struct rc_err *err)
{
    struct load_rules rules;
    struct app_training t;
    *cap = num_at(result, "/plan/return_to_running/max_single_run_km", NAN);
    if (isfinite(*cap) || !log->nruns)
        return 0;
    if (app_load_rules(app, &rules, err) < 0 ||
        app_training_fill(log, &rules, rc_day_of(run_end_s), &t, err) < 0)
        return -1;
    *cap = t.t.max_single_run_km;
    app_training_release(&t);
    return 0;
}

static int courses(const struct app *app, const struct kb *kb,
                   struct app_diary *d, const struct app_runs *log,
                   struct rc_err *err)
{
    for (size_t pi = 0; pi < d->nproblems; pi++) {
        struct app_diary_problem *p = &d->problems[pi];
        struct triage_course_report rep[64];
        struct triage_course_in in;
        size_t n = 0, skip = p->n > RC_ARRAY_SIZE(rep)
                                 ? p->n - RC_ARRAY_SIZE(rep)
                                 : 0;
        /* a long problem: its check and its latest follow-ups */
        for (size_t k = 0; k < p->n; k++) {
            const struct app_diary_entry *e = &d->entries[p->entries[k]];
            if (k > 0 && k <= skip)
                continue;
            rep[n].created_s = e->created_s;
            rep[n].report = e->report;
            rep[n].result = e->result;
            n++;
        }
        p->run_end_s = triage_course_run_end(rep[0].report,
                                             rep[0].created_s);
        p->recurrence_days = recurrence(d, pi);
        if (cap_of(app, log, rep[0].result, p->run_end_s, &p->cap_km,
                   err) < 0)
            return -1;
        in.reports = rep;
        in.n = n;
        in.cap_km = p->cap_km;
        in.runs = d->runs;
        in.nruns = d->nruns;
        in.recurrence_days = p->recurrence_days;
        if (triage_course_eval(kb, &in, &p->course, err) < 0)
            return -1;
    }
    return 0;
}

int app_diary_read(const struct app *app, const struct kb *kb, double now_s,
                   struct app_diary *out, struct rc_err *err)
{
    struct app_diary d;
    struct app_log log;
    struct app_runs runs = { .runs = NULL };
    struct store_report *r = NULL;
    size_t n = 0;
    int rc = -1;

    memset(&d, 0, sizeof(d));
    d.now_s = now_s;
    d.due_s = NAN;
    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    if (log.store &&
        store_list_reports(log.store, -INFINITY, &r, &n, err) < 0)
        goto done;
    if (entries_from(&d, r, n, err) < 0 || group(&d, err) < 0 ||
        app_runs_read_open(&log, LONG_MIN, 0, &runs, err) < 0 ||
        runs_from(&d, &runs, err) < 0 || courses(app, kb, &d, &runs, err) < 0)
        goto done;
    if (d.nproblems) {
        const struct triage_course *c = &d.problems[d.nproblems - 1].course;
        if (isfinite(c->due_s)) {
            d.due_s = c->due_s;
            d.due = now_s >= c->due_s ? APP_DUE_OVERDUE : APP_DUE_LATER;
        }
    }
    rc = 0;
done:
    store_reports_free(r, n);
    app_runs_release(&runs);
    app_close(&log);
    if (rc < 0)
        app_diary_release(&d);
    else
        *out = d;
    return rc;
}
