/* app_plan.c - the recovery plan at the hour the runner asks (see app.h):
 * the latest problem's latest result, its steps on the clock that starts
 * at the end of the run that caused the pain, the load guard's next-run
 * cap on the return to running, and the runs logged since, each against
 * the plan (distance, start, pace, the pain reported after it).
 *
 * Data flow: app_diary_read -> the latest problem -> its latest entry's
 * plan.steps -> struct app_plan -> app_plan_json, app_plan_ics (app/),
 * text (cli/). */
#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "app/app_int.h"

/* The runner's usual pace: the median of the runs this many days before
 * the pain (a description of their own log, not a clinical threshold). */
#define USUAL_PACE_DAYS 30

void app_plan_release(struct app_plan *p)
{
    if (!p)
        return;
    app_diary_release(&p->diary);
    free(p->steps);
    free(p->runs);
    memset(p, 0, sizeof(*p));
}

static double num_at(const json_t *j, const char *ptr, double dflt)
{
    const json_t *v = triage_get_field(j, ptr);
    return json_is_number(v) ? json_number_value(v) : dflt;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double usual_pace(const struct app_diary *d, double run_end_s)
{
    double v[512];
    size_t n = 0;
    for (size_t i = 0; i < d->nruns && n < RC_ARRAY_SIZE(v); i++) {
        const struct triage_course_run *r = &d->runs[i];
        if (r->start_s < run_end_s - USUAL_PACE_DAYS * 86400.0 ||
            r->start_s >= run_end_s || !isfinite(r->duration_s) ||
            !(r->km > 0))
            continue;
        v[n++] = r->duration_s / r->km;
    }
    if (!n)
        return NAN;
    qsort(v, n, sizeof(v[0]), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int steps(struct app_plan *p, const struct kb *kb,
                 struct rc_err *err)
{
    const json_t *st = triage_get_field(p->result, "/plan/steps"), *s;
    double end = p->run_end_s, best = INFINITY;
    size_t i;
    p->next = -1;
    if (json_array_size(st) &&
        !(p->steps = rc_calloc(json_array_size(st), sizeof(*p->steps))))
        return rc_fail(err, RC_EENV, "out of memory for the plan");
    json_array_foreach(st, i, s) {
        struct app_plan_step *x = &p->steps[p->nsteps++];
        double to = num_at(s, "/to_hours", NAN);
        x->step = s;
        triage_step_label(kb, s, x->label, sizeof(x->label));
        x->from_s = end + num_at(s, "/from_hours", 0) * 3600.0;
        x->to_s = isfinite(to) ? end + to * 3600.0 : NAN;
        x->past = isfinite(x->to_s) && x->to_s <= p->at_s;
        x->now = x->from_s <= p->at_s && !x->past;
        if (x->from_s > p->at_s && x->from_s < best) {
            best = x->from_s;
            p->next = (long)i;
        }
    }
    return 0;
}

/* The diary's scores just before and just after t in this problem. */
static void pain_around(const struct app_plan *p, double t, int *before,
                        int *after)
{
    const struct app_diary_problem *pr = &p->diary.problems[p->problem];
    *before = *after = -1;
    for (size_t k = 0; k < pr->n; k++) {
        const struct app_diary_entry *e = &p->diary.entries[pr->entries[k]];
        if (e->created_s <= t)
            *before = e->score;
        else if (*after < 0)
            *after = e->score;
    }
}

static int runs_since(struct app_plan *p, struct rc_err *err)
{
    const struct app_diary *d = &p->diary;
    double end = d->problems[p->problem].run_end_s;
    double usual = usual_pace(d, end);
    p->within = true;
    if (d->nruns && !(p->runs = rc_calloc(d->nruns, sizeof(*p->runs))))
        return rc_fail(err, RC_EENV, "out of memory for the plan");
    for (size_t i = 0; i < d->nruns; i++) {
        const struct triage_course_run *r = &d->runs[i];
        struct app_plan_run *x;
        if (r->start_s < end || r->start_s > p->at_s)
            continue;
        x = &p->runs[p->nruns++];
        x->start_s = r->start_s;
        x->day = r->day;
        x->km = r->km;
        x->pace_s_per_km = isfinite(r->duration_s) && r->km > 0
                               ? r->duration_s / r->km
                               : NAN;
        x->usual_pace_s_per_km = usual;
        x->over_cap = isfinite(p->cap_km) && r->km > p->cap_km;
        x->too_soon = isfinite(p->return_from_s) &&
                      r->start_s < p->return_from_s;
        pain_around(p, r->start_s, &x->pain_before, &x->pain_after);
        if (x->over_cap || x->too_soon ||
            (x->pain_before >= 0 && x->pain_after > x->pain_before))
            p->within = false;
    }
    return 0;
}

int app_plan(const struct app *app, const struct kb *kb, double at_s,
             struct app_plan *out, struct rc_err *err)
{
    struct app_plan p;
    const struct app_diary_problem *pr;
    const struct app_diary_entry *e;
    double nb;

    memset(&p, 0, sizeof(p));
    if (app_diary_read(app, kb, at_s, &p.diary, err) < 0)
        return -1;
    if (!p.diary.nproblems) {
        app_plan_release(&p);
        return rc_fail(err, RC_EINPUT, "no check in the diary yet: run "
                                       "'runcare check' first");
    }
    p.problem = p.diary.nproblems - 1;
    pr = &p.diary.problems[p.problem];
    e = &p.diary.entries[pr->entries[pr->n - 1]];
    p.report = e->report;
    p.result = e->result;
    p.report_id = e->id;
    p.check_id = p.diary.entries[pr->entries[0]].id;
    p.at_s = at_s;
    /* a follow-up names its own run (a new run may have set the pain
     * off again): its steps count from there */
    p.run_end_s = triage_course_run_end(e->report, e->created_s);
    p.made_s = e->created_s;
    p.hours = (at_s - p.run_end_s) / 3600.0;
    p.cap_km = pr->cap_km;
    nb = num_at(p.result, "/plan/return_to_running/not_before_days", NAN);
    p.return_from_s = isfinite(nb) ? p.run_end_s + nb * 86400.0 : NAN;
    if (steps(&p, kb, err) < 0 || runs_since(&p, err) < 0) {
        app_plan_release(&p);
        return -1;
    }
    *out = p;
    return 0;
}
