/* app_load.c - the load guard on the runner's log: the load report, and
 * the training context a leg-pain check takes from the log (see app.h).
 *
 * Data flow: app_runs_read (the log as struct load_run) -> load/
 * (load_report_build, load_context_build) -> struct app_load, or struct
 * triage_training for triage/. */
#include "base/base.h"
#include "base/time.h"
#include "app/app_int.h"

int app_load(const struct app *app, const struct app_load_opts *o,
             struct app_load *out, struct rc_err *err)
{
    struct app_runs log;
    struct load_rules rules;
    struct load_opts lo;
    long as_of = o->as_of_day;
    int rc;

    if (load_rules_default(&rules, err) < 0)
        return -1;
    /* the first week shown, a day early when today's date in the
     * runner's time zone is not known before the log is read */
    if (as_of == LONG_MIN)
        as_of = rc_day_of(rc_now()) - 1;
    if (app_runs_read(app, as_of - rc_weekday(as_of) - 7 * (o->weeks - 1),
                      load_rules_lookback_days(&rules), &log, err) < 0)
        return -1;
    if (o->as_of_day == LONG_MIN)
        as_of = app_runs_today(&log);
    load_opts_init(&lo, as_of, o->weeks);
    if (o->new_runner)
        lo.new_to_running = LOAD_NOVICE_YES;
    rc = load_report_build(log.runs, log.nruns, log.shoes, log.nshoes, &rules,
                           &lo, &out->report, err);
    if (rc == 0)
        out->nactivities = log.nruns;
    app_runs_release(&log);
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

int app_training_fill(const struct app_runs *log,
                      const struct load_rules *rules, long as_of_day,
                      struct app_training *out, struct rc_err *err)
{
    struct app_training o;
    struct triage_training *t = &o.t;
    struct load_context c;
    char d1[16], d2[16];
    size_t k = 0;

    memset(&o, 0, sizeof(o));
    triage_training_init(t);
    if (load_context_build(log->runs, log->nruns, rules, as_of_day,
                           LOAD_NOVICE_UNKNOWN, &c, err) < 0)
        return -1;
    if (!c.has_runs) {
        *out = o;
        return 0;
    }
    rc_date_format(as_of_day, d1);
    t->has_weekly_km = true;
    t->weekly_km = clamp(c.weekly_km, 0, 500);
    snprintf(t->weekly_km_why, sizeof(t->weekly_km_why),
             "your log: %.1f km in the 7 days to %s", c.weekly_km, d1);
    if (isfinite(c.weekly_volume_change_pct)) {
        t->has_weekly_change = true;
        t->weekly_volume_change_pct =
            clamp(c.weekly_volume_change_pct, -100, 10000);
        snprintf(t->weekly_change_why, sizeof(t->weekly_change_why),
                 "your log: %.1f km in the 7 days to %s, %+.0f%% against the "
                 "7 days before (%.1f km)",
                 c.weekly_km, d1, c.weekly_volume_change_pct, c.prev7_km);
    }
    rc_date_format(c.last_run_day, d1);
    if (isfinite(c.longest_run_spike_pct)) {
        t->has_spike = true;
        t->longest_run_spike_pct = clamp(c.longest_run_spike_pct, -100, 10000);
        snprintf(t->spike_why, sizeof(t->spike_why),
                 "your run on %s (%.1f km) was %.0f%% %s than your longest in "
                 "the %d days before (%.1f km on %s)",
                 d1, c.last_run_km, fabs(c.longest_run_spike_pct),
                 c.longest_run_spike_pct < 0 ? "shorter" : "longer",
                 rules->spike_reference_days, c.ref_km,
                 rc_date_format(c.ref_day, d2));
    }
    if (c.days_off >= 0) {
        t->has_break = true;
        t->break_weeks = clamp(c.break_weeks, 0, 520);
        snprintf(t->break_why, sizeof(t->break_why),
                 "your log: %d day%s without running before your run on %s",
                 c.days_off, c.days_off == 1 ? "" : "s", d1);
    }
    for (unsigned bit = 1; bit & LOAD_SESSION_ALL; bit <<= 1)
        if (c.session & bit)
            t->session[k++] = load_session_name(bit);
    t->max_single_run_km = c.next_run_cap_km;
    o.warnings = load_warnings_json(c.warnings, c.nwarnings);
    if (!o.warnings)
        return rc_fail(err, RC_EENV, "out of memory for the load warnings");
    *out = o;
    out->t.load_warnings = out->warnings;
    return 0;
}

void app_training_release(struct app_training *t)
{
    if (!t)
        return;
    json_decref(t->warnings);
    t->warnings = NULL;
    t->t.load_warnings = NULL;
}
