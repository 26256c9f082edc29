/* load_warn.c - the load guard's warnings (conditions.md section 5): one
 * record of kb/load_guard.jsonl and one evaluator each (see load_int.h).
 *
 * Data flow: load_report_build (load.c) has placed the runs and built the
 * daily km -> each evaluator below adds its warnings from c->from on, with
 * their numbers and their words (the record's text, figure and chart,
 * filled in) -> load.c sorts them. Nothing else in runcare says anything
 * about one warning in particular.
 *
 * Weekly jumps and high ratios are checked on each day with a run; a run
 * of such days is one episode and gives one warning, at its peak. */
#include "base/base.h"
#include "load/load_int.h"

struct load_warning *load_add_warning(struct load_calc *c,
                                      enum load_warning_id id, size_t run,
                                      struct rc_err *err)
{
    struct load_warning *w;
    if (c->nw == c->wcap) {
        size_t cap = c->wcap ? c->wcap * 2 : 16;
        struct load_warning *p = load_reallocarray(c->w, cap, sizeof(*p));
        if (!p) {
            rc_fail(err, RC_EENV, "out of memory for %zu load warnings", cap);
            return NULL;
        }
        c->w = p;
        c->wcap = cap;
    }
    w = &c->w[c->nw++];
    memset(w, 0, sizeof(*w));
    w->id = id;
    w->run = c->runs[run].run;
    w->run_id = c->in[w->run].id;
    w->day = c->runs[run].day;
    w->hazard_ratio = NAN;
    w->src = c->rules->warn[id].src;
    return w;
}

/* single_run_spike: a run more than threshold_pct longer than the longest
 * of the reference days before it (load.c's place_runs found that one). */
static int eval_spike(struct load_calc *c, struct rc_err *err)
{
    const struct load_rules *R = c->rules;
    for (size_t i = 0; i < c->nruns; i++) {
        const struct load_run_info *ri = &c->runs[i];
        struct load_warning *w;
        struct load_vars v;
        size_t b = 0;

        if (ri->day < c->from || isnan(ri->spike_pct) || !(ri->km > 0) ||
            !load_above(ri->spike_pct, R->spike_threshold_pct))
            continue;
        while (b + 1 < R->nbands &&
               load_above(ri->spike_pct, R->bands[b + 1].above_pct))
            b++;
        if (!(w = load_add_warning(c, LOAD_W_SINGLE_RUN_SPIKE, i, err)))
            return -1;
        w->value_pct = ri->spike_pct;
        w->threshold_pct = R->spike_threshold_pct;
        w->hazard_ratio = R->bands[b].hazard_ratio;
        v.n = 0;
        load_var(&v, "date", LOAD_VAR_DAY, (double)ri->day);
        load_var(&v, "km", LOAD_VAR_KM, ri->km);
        load_var(&v, "pct", LOAD_VAR_PCT, ri->spike_pct);
        load_var(&v, "ref_km", LOAD_VAR_KM, ri->ref_km);
        load_var(&v, "ref_date", LOAD_VAR_DAY, (double)ri->ref_day);
        load_var(&v, "ref_days", LOAD_VAR_INT, R->spike_reference_days);
        load_var_words(&v, "range", R->bands[b].range);
        load_var(&v, "hr", LOAD_VAR_NUM, R->bands[b].hazard_ratio);
        load_var(&v, "threshold", LOAD_VAR_PCT, R->spike_threshold_pct);
        load_fill_warning(w, &R->warn[LOAD_W_SINGLE_RUN_SPIKE], &v);
    }
    return 0;
}

/* return_after_break: after break_days or more without running, a run
 * over threshold_pct of the longest of the reference days before the
 * break. */
static int eval_break(struct load_calc *c, struct rc_err *err)
{
    const struct load_rules *R = c->rules;
    for (size_t i = 1; i < c->nruns; i++) {
        const struct load_run_info *ri = &c->runs[i];
        long prev_day = c->runs[i - 1].day, ref_day = prev_day;
        struct load_warning *w;
        struct load_vars v;
        double pre, pct;

        if (ri->day < c->from || ri->days_off < R->break_days ||
            !(ri->km > 0))
            continue;
        pre = load_longest(c, c->seg[i - 1], i - 1,
                           prev_day - R->spike_reference_days + 1, prev_day,
                           &ref_day);
        pct = pre > 0 ? ri->km / pre * 100.0 : NAN;
        if (!(pre > 0) || !load_above(pct, R->break_threshold_pct))
            continue;
        if (!(w = load_add_warning(c, LOAD_W_RETURN_AFTER_BREAK, i, err)))
            return -1;
        w->value_pct = pct;
        w->threshold_pct = R->break_threshold_pct;
        v.n = 0;
        load_var(&v, "date", LOAD_VAR_DAY, (double)ri->day);
        load_var(&v, "km", LOAD_VAR_KM, ri->km);
        load_var(&v, "pct", LOAD_VAR_PCT, pct);
        load_var(&v, "days", LOAD_VAR_INT, ri->days_off);
        load_var(&v, "ref_km", LOAD_VAR_KM, pre);
        load_var(&v, "ref_date", LOAD_VAR_DAY, (double)ref_day);
        load_var(&v, "threshold", LOAD_VAR_PCT, R->break_threshold_pct);
        load_fill_warning(w, &R->warn[LOAD_W_RETURN_AFTER_BREAK], &v);
    }
    return 0;
}

/* An episode of days over a threshold: its peak so far. */
struct episode {
    bool open;
    size_t run; /* the last run of the peak day */
    double value, base, extra;
    bool mean_used;
};

/* Is run i its day's last run? */
static bool last_of_day(const struct load_calc *c, size_t i)
{
    return i + 1 == c->nruns || c->runs[i + 1].day != c->runs[i].day;
}

/* The episodes of one warning: over() says whether day d is over its
 * threshold (with the day's value and numbers in *e); each run of such
 * days, checked on the days with a run, gives one warn() at its peak. */
static int episodes(struct load_calc *c,
                    bool (*over)(const struct load_calc *c, long d,
                                 struct episode *e),
                    int (*warn)(struct load_calc *c, const struct episode *e,
                                struct rc_err *err),
                    struct rc_err *err)
{
    struct episode peak = { 0 };

    for (size_t i = 0; i < c->nruns; i++) {
        struct episode day = { 0 };
        if (!last_of_day(c, i)) /* the day's last run stands for the day */
            continue;
        if (over(c, c->runs[i].day, &day)) {
            if (!peak.open || day.value > peak.value) {
                peak = day;
                peak.open = true;
                peak.run = i;
            }
        } else if (peak.open) {
            if (warn(c, &peak, err) < 0)
                return -1;
            peak.open = false;
        }
    }
    return peak.open ? warn(c, &peak, err) : 0;
}

static int weekly_warning(struct load_calc *c, const struct episode *e,
                          struct rc_err *err)
{
    const struct load_rules *R = c->rules;
    long day = c->runs[e->run].day;
    struct load_warning *w;
    struct load_vars v;

    if (day < c->from)
        return 0;
    if (!(w = load_add_warning(c, LOAD_W_WEEKLY_VOLUME_JUMP, e->run, err)))
        return -1;
    w->value_pct = e->value;
    w->threshold_pct = R->weekly_threshold_pct;
    w->hazard_ratio = R->weekly_hr;
    v.n = 0;
    load_var(&v, "date", LOAD_VAR_DAY, (double)day);
    load_var(&v, "km", LOAD_VAR_KM, load_km_sum(c, day - 6, day));
    load_var(&v, "pct", LOAD_VAR_PCT, e->value);
    load_var_words(&v, "base",
                   e->mean_used ? R->weekly_base_mean : R->weekly_base_prev);
    load_var(&v, "base_km", LOAD_VAR_KM, e->base);
    load_var(&v, "threshold", LOAD_VAR_PCT, R->weekly_threshold_pct);
    load_var(&v, "hr", LOAD_VAR_NUM, R->weekly_hr);
    load_var(&v, "ci_low", LOAD_VAR_NUM, R->weekly_ci_low);
    load_var(&v, "ci_high", LOAD_VAR_NUM, R->weekly_ci_high);
    load_fill_warning(w, &R->warn[LOAD_W_WEEKLY_VOLUME_JUMP], &v);
    return 0;
}

/* weekly_volume_jump: the 7 days to day d more than threshold_pct above
 * the weekly baseline (load_weekly_baseline)? */
static bool weekly_over(const struct load_calc *c, long d, struct episode *e)
{
    double base = load_weekly_baseline(c, d, &e->mean_used);
    if (!(base > 0))
        return false;
    e->value = (load_km_sum(c, d - 6, d) / base - 1.0) * 100.0;
    e->base = base;
    e->extra = 0;
    return load_above(e->value, c->rules->weekly_threshold_pct);
}

static int eval_weekly(struct load_calc *c, struct rc_err *err)
{
    return episodes(c, weekly_over, weekly_warning, err);
}

static int acwr_warning(struct load_calc *c, const struct episode *e,
                        struct rc_err *err)
{
    const struct load_rules *R = c->rules;
    struct load_warning *w;
    struct load_vars v;

    if (c->runs[e->run].day < c->from)
        return 0;
    if (!(w = load_add_warning(c, LOAD_W_ACWR_HIGH, e->run, err)))
        return -1;
    w->value_pct = e->value * 100.0;
    w->threshold_pct = R->acwr_threshold * 100.0;
    v.n = 0;
    load_var(&v, "date", LOAD_VAR_DAY, (double)c->runs[e->run].day);
    load_var(&v, "ratio", LOAD_VAR_NUM, e->value);
    load_var(&v, "threshold", LOAD_VAR_NUM, R->acwr_threshold);
    load_var(&v, "acute_km", LOAD_VAR_KM, e->extra);
    load_var(&v, "chronic_km", LOAD_VAR_KM, e->base);
    load_fill_warning(w, &R->warn[LOAD_W_ACWR_HIGH], &v);
    return 0;
}

/* acwr_high: the uncoupled ratio of the 7 days to day d at or above
 * threshold (context only)? */
static bool acwr_over(const struct load_calc *c, long d, struct episode *e)
{
    e->value = load_acwr_uncoupled(c, d, &e->extra, &e->base);
    e->mean_used = false;
    return !isnan(e->value) && e->value >= c->rules->acwr_threshold - LOAD_EPS;
}

static int eval_acwr(struct load_calc *c, struct rc_err *err)
{
    return episodes(c, acwr_over, acwr_warning, err);
}

/* novice_fast_start: a runner new to running (the caller says so) ran
 * more than first_week_km in the log's first first_week_days. */
static int eval_novice(struct load_calc *c, struct rc_err *err)
{
    const struct load_rules *R = c->rules;
    long last = c->first_day + R->novice_days - 1;
    double total = load_km_sum(c, c->first_day, last), sum = 0;
    struct load_warning *w;
    struct load_vars v;
    size_t i = 0;

    if (c->opts->new_to_running != LOAD_NOVICE_YES || c->nruns == 0 ||
        !load_above(total, R->novice_km))
        return 0;
    /* the run that took the first week over the limit */
    for (size_t j = 0; j < c->nruns && c->runs[j].day <= last; j++) {
        i = j;
        sum += c->runs[j].km;
        if (load_above(sum, R->novice_km))
            break;
    }
    if (c->runs[i].day < c->from)
        return 0;
    if (!(w = load_add_warning(c, LOAD_W_NOVICE_FAST_START, i, err)))
        return -1;
    w->value_pct = total / R->novice_km * 100.0;
    w->threshold_pct = 100.0;
    v.n = 0;
    load_var(&v, "date", LOAD_VAR_DAY, (double)c->runs[i].day);
    load_var(&v, "km", LOAD_VAR_KM, total);
    load_var(&v, "pct", LOAD_VAR_PCT, w->value_pct);
    load_var(&v, "days", LOAD_VAR_INT, R->novice_days);
    load_var(&v, "limit_km", LOAD_VAR_KM, R->novice_km);
    load_fill_warning(w, &R->warn[LOAD_W_NOVICE_FAST_START], &v);
    return 0;
}

/* Each record's numbers (required, with their ranges) and the
 * placeholders its text, figure and chart may use. */
#define WARN(id) LOAD_RULE(warn[id])
const struct load_spec load_warning_specs[LOAD_W_COUNT] = {
    [LOAD_W_SINGLE_RUN_SPIKE] = {
        "warning", "single_run_spike", WARN(LOAD_W_SINGLE_RUN_SPIKE),
        "km pct ref_km ref_days hr threshold", "date ref_date range", true,
        { LOAD_NUM("threshold_pct", spike_threshold_pct, 0, 1000),
          LOAD_INT("reference_days", spike_reference_days, 7, 365) },
        eval_spike },
    [LOAD_W_WEEKLY_VOLUME_JUMP] = {
        "warning", "weekly_volume_jump", WARN(LOAD_W_WEEKLY_VOLUME_JUMP),
        "km pct base_km threshold hr ci_low ci_high", "date base", false,
        { LOAD_NUM("threshold_pct", weekly_threshold_pct, 0, 1000),
          LOAD_NUM("hazard_ratio", weekly_hr, 0, 100),
          LOAD_NUM("ci_low", weekly_ci_low, 0, 100),
          LOAD_NUM("ci_high", weekly_ci_high, 0, 100),
          LOAD_STR("base_prev", weekly_base_prev),
          LOAD_STR("base_mean", weekly_base_mean),
          LOAD_TEMPLATE("week_legend", weekly_legend) },
        eval_weekly },
    [LOAD_W_RETURN_AFTER_BREAK] = {
        "warning", "return_after_break", WARN(LOAD_W_RETURN_AFTER_BREAK),
        "km pct days ref_km threshold", "date ref_date", false,
        { LOAD_INT("break_days", break_days, 7, 365),
          LOAD_NUM("threshold_pct", break_threshold_pct, 1, 100) },
        eval_break },
    [LOAD_W_ACWR_HIGH] = {
        "warning", "acwr_high", WARN(LOAD_W_ACWR_HIGH),
        "ratio threshold acute_km chronic_km", "date", false,
        { LOAD_NUM("threshold", acwr_threshold, 1, 10) },
        eval_acwr },
    [LOAD_W_NOVICE_FAST_START] = {
        "warning", "novice_fast_start", WARN(LOAD_W_NOVICE_FAST_START),
        "km pct days limit_km", "date", false,
        { LOAD_NUM("first_week_km", novice_km, 0.1, 1000),
          LOAD_INT("first_week_days", novice_days, 1, 60) },
        eval_novice },
};
