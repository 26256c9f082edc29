/* app_load.c - the load guard on the runner's log: the load report, and
 * the training context a leg-pain check takes from the log (see app.h).
 *
 * Data flow: app_runs_read (the log as struct load_run) -> load/
 * (load_report_build) -> struct app_load; or the report of the last weeks
 * -> load_fact, load_last_session, load_recent_warnings_json -> struct
 * triage_training for triage/: the log's facts reach the check in one
 * step from the report, each with its kb sentence. */
#include "base/base.h"
#include "base/time.h"
#include "app/app_int.h"

/* The report of the log already open (app_load, and each athlete of
 * app_club): read runs from the first week shown, build it. */
int app_load_open(struct app_log *open, const struct load_rules *rules_in,
                  const struct app_load_opts *o, struct app_load *out,
                  struct rc_err *err)
{
    struct app_runs log;
    int rc;

    if (app_runs_read_open(open, app_load_first_day(o->as_of_day, o->weeks),
                           load_rules_lookback_days(rules_in), &log,
                           err) < 0)
        return -1;
    rc = app_load_build(rules_in, &log, o, out, err);
    app_runs_release(&log);
    return rc;
}

long app_load_first_day(long as_of_day, int weeks)
{
    /* the first week shown, a day early when today's date in the
     * runner's time zone is not known before the log is read */
    long as_of = as_of_day == LONG_MIN ? rc_day_of(rc_now()) - 1 : as_of_day;
    return as_of - rc_weekday(as_of) - 7 * (weeks - 1);
}

int app_load_build(const struct load_rules *rules, const struct app_runs *log,
                   const struct app_load_opts *o, struct app_load *out,
                   struct rc_err *err)
{
    struct load_opts lo;
    long as_of = o->as_of_day;
    int rc;

    if (as_of == LONG_MIN)
        as_of = app_runs_today(log);
    load_opts_init(&lo, as_of, o->weeks);
    if (o->new_runner)
        lo.new_to_running = LOAD_NOVICE_YES;
    rc = load_report_build(log->runs, log->nruns, log->shoes, log->nshoes,
                           rules, &lo, &out->report, err);
    if (rc == 0)
        out->nactivities = log->nruns;
    return rc;
}

int app_load(const struct app *app, const struct app_load_opts *o,
             struct app_load *out, struct rc_err *err)
{
    struct load_rules rules;
    struct app_log log;
    int rc;
    if (app_load_rules(app, &rules, err) < 0 ||
        app_open(app, APP_READ, &log, err) < 0)
        return -1;
    rc = app_load_open(&log, &rules, o, out, err);
    app_close(&log);
    return rc;
}

void app_load_release(struct app_load *l)
{
    if (!l)
        return;
    load_report_release(&l->report);
    l->nactivities = 0;
}

/* Within the ranges of domain/report.schema.json. */
static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The latest run started on as_of_day or one of the APP_PAIN_RUN_DAYS
 * days before it, or NULL. */
static const struct load_run *run_before_pain(const struct app_runs *log,
                                              long as_of_day)
{
    const struct load_run *best = NULL;
    for (size_t i = 0; i < log->nruns; i++) {
        const struct load_run *r = &log->runs[i];
        long d;
        if (!r->is_run || !isfinite(r->start_s))
            continue;
        d = rc_day_of(r->start_s + r->utc_offset_s);
        if (d <= as_of_day && d >= as_of_day - APP_PAIN_RUN_DAYS &&
            (!best || r->start_s > best->start_s))
            best = r;
    }
    return best;
}

static void fill_run(const struct load_run *r, struct triage_training *t)
{
    static const char *const month[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December",
    };
    double km = r->distance_m / 1000, end;
    int y, m, d;

    end = isfinite(r->elapsed_s) && r->elapsed_s > 0 ? r->elapsed_s
          : isfinite(r->duration_s) && r->duration_s > 0 ? r->duration_s
                                                          : NAN;
    if (isfinite(end))
        t->run_end_s = r->start_s + end;
    rc_civil_from_days(rc_day_of(r->start_s + r->utc_offset_s), &y, &m, &d);
    if (isfinite(km) && km > 0) {
        t->run_distance_km = km;
        if (isfinite(r->descent_m) && r->descent_m > 0 && km >= 1)
            t->run_descent_m_per_km = r->descent_m / km;
        snprintf(t->run_why, sizeof(t->run_why), "your %.1f km run on %d %s",
                 km, d, month[m - 1]);
    } else {
        snprintf(t->run_why, sizeof(t->run_why), "your run on %d %s", d,
                 month[m - 1]);
    }
}

int app_training_fill(const struct app_runs *log,
                      const struct load_rules *rules, long as_of_day,
                      struct app_training *out, struct rc_err *err)
{
    struct app_training o;
    struct triage_training *t = &o.t;
    struct load_report r;
    struct load_opts lo;
    const struct load_run *run;
    unsigned session;
    size_t k = 0;
    double v;

    memset(&o, 0, sizeof(o));
    triage_training_init(t);
    load_opts_init(&lo, as_of_day, load_context_weeks(rules));
    if (load_report_build(log->runs, log->nruns, NULL, 0, rules, &lo, &r,
                          err) < 0)
        return -1;
    if (r.nruns == 0) {
        load_report_release(&r);
        *out = o;
        return 0;
    }
    if ((t->has_weekly_km = load_fact(&r, rules, LOAD_FACT_WEEKLY_KM, &v,
                                      t->weekly_km_why,
                                      sizeof(t->weekly_km_why))))
        t->weekly_km = clamp(v, 0, 500);
    if ((t->has_weekly_change = load_fact(&r, rules, LOAD_FACT_WEEKLY_CHANGE,
                                          &v, t->weekly_change_why,
                                          sizeof(t->weekly_change_why))))
        t->weekly_volume_change_pct = clamp(v, -100, 10000);
    if ((t->has_spike = load_fact(&r, rules, LOAD_FACT_SPIKE, &v,
                                  t->spike_why, sizeof(t->spike_why))))
        t->longest_run_spike_pct = clamp(v, -100, 10000);
    if ((t->has_break = load_fact(&r, rules, LOAD_FACT_BREAK_WEEKS, &v,
                                  t->break_why, sizeof(t->break_why))))
        t->break_weeks = clamp(v, 0, 520);
    session = load_last_session(&r, log->runs, rules);
    for (unsigned bit = 1; bit & LOAD_SESSION_ALL; bit <<= 1)
        if (session & bit)
            t->session[k++] = load_session_name(bit);
    t->max_single_run_km = r.cap.km;
    if ((run = run_before_pain(log, as_of_day))) {
        fill_run(run, t);
        o.run_id = run->id;
    }
    o.warnings = load_recent_warnings_json(&r, rules);
    load_report_release(&r);
    if (!o.warnings)
        return rc_fail(err, RC_EENV, "out of memory for the load warnings");
    *out = o;
    out->t.load_warnings = out->warnings;
    return 0;
}

void app_training_temperature(struct store *log, struct app_training *t)
{
    struct rc_err err = RC_ERR_INIT;
    struct store_activity sa;
    struct activity full;
    double sum = 0;
    size_t n = 0, len;

    if (!log || !t->run_id ||
        store_get_activity(log, t->run_id, &sa, &full, &err) < 0)
        return;
    for (size_t i = 0; i < full.nsamples; i++)
        if (isfinite(full.samples[i].temp_c)) {
            sum += full.samples[i].temp_c;
            n++;
        }
    activity_release(&full);
    if (n == 0)
        return;
    t->t.run_temperature_c = clamp(sum / (double)n, -40, 60);
    len = strlen(t->t.run_why);
    snprintf(t->t.run_why + len, sizeof(t->t.run_why) - len,
             ", %.0f °C by the watch", t->t.run_temperature_c);
}

void app_training_release(struct app_training *t)
{
    if (!t)
        return;
    json_decref(t->warnings);
    t->warnings = NULL;
    t->t.load_warnings = NULL;
}
