/* load.c - the load guard's computation (see load.h): runs -> daily series
 * by local day -> weekly totals, ratios, fitness/fatigue, monotony/strain
 * -> warnings and the next-run cap, all with the rules of
 * kb/load_guard.jsonl.
 *
 * Definitions (day d is a local day number; S(a, b) is the km run on days
 * a..b inclusive; only runs count):
 *   segment         the runs since the last break (a gap of break_days or
 *                   more days without running); a break resets the
 *                   single-run reference, as conditions.md section 5 says
 *   spike reference the longest earlier run of the same segment on days
 *                   d-30 .. d (same-day runs before it count)
 *   weekly baseline for the 7 days to d: S(d-13, d-7), or the mean week of
 *                   S(d-20, d-7) when that is larger (one light week does
 *                   not make the next normal week a jump); none when the
 *                   log does not reach back to d-13
 *   ACWR            uncoupled S(d-6, d) / (S(d-27, d-7) / 3); coupled
 *                   S(d-6, d) / (S(d-27, d) / 4); none when the log does
 *                   not reach back to d-27 or the denominator is 0
 *   EWMA            F(d) = F(d-1) + a (L(d) - F(d-1)), a = 1 - e^(-1/tau),
 *                   F = 0 before the first run; fitness tau 42, fatigue 7;
 *                   form(d) = fitness(d-1) - fatigue(d-1); ramp(d) =
 *                   fitness(d) - fitness(d-7)
 *   monotony/strain Foster, on the km of the last 7 days: mean / population
 *                   SD (rest days are 0), at most MONOTONY_MAX; strain =
 *                   7-day km x monotony
 * The warnings are load_warn.c's, one evaluator per kb record; the words
 * of every text (warnings, cap, caveat) are filled in by load_text.c. */
#include "base/base.h"
#include "base/time.h"
#include "load/load.h"
#include "load/load_int.h"

/* Model constants (definitions of the metrics, not clinical thresholds). */
#define FITNESS_TAU_DAYS 42.0 /* Banister's fitness time constant */
#define FATIGUE_TAU_DAYS 7.0  /* ... and fatigue's */
#define MONOTONY_MAX 10.0     /* monotony of identical days is infinite */
#define HR_REST_DEFAULT_BPM 60.0 /* TRIMP without a known resting HR */
#define HR_RESERVE_MIN_BPM 20.0  /* less between rest and max: no TRIMP */
/* Banister's TRIMP weighting y = 0.64 e^(1.92 x) (the men's coefficients;
 * the log does not know the runner's sex). */
#define TRIMP_A 0.64
#define TRIMP_B 1.92
/* Distances and durations outside these are broken records: unknown. */
#define RUN_MAX_KM 1000.0
#define RUN_MAX_S (100.0 * 3600.0)
/* As-of days beyond year ~10,000 in either direction are nonsense. */
#define DAY_ABS_MAX 3000000L
/* The latest runs that give the runner's usual pace (walk-run floor), and
 * at most this many for the usual run length (long-run hint). */
#define PACE_RUNS 20
#define LONG_RUN_MAX_RUNS 512
/* The marathon, less 1% for GPS that measures a marathon short. */
#define MARATHON_KM 41.77

static long alloc_fail_at, alloc_count;

void load_alloc_fail_at(long n)
{
    alloc_fail_at = n;
    alloc_count = 0;
}

static bool alloc_fails(void)
{
    return alloc_fail_at > 0 && ++alloc_count >= alloc_fail_at;
}

void *load_calloc(size_t n, size_t size)
{
    if (alloc_fails())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *load_reallocarray(void *p, size_t n, size_t size)
{
    if (alloc_fails())
        return NULL;
    if (size && n > SIZE_MAX / size)
        return NULL;
    return realloc(p, n * size > 0 ? n * size : 1);
}

void load_opts_init(struct load_opts *o, long as_of_day, int weeks)
{
    memset(o, 0, sizeof(*o));
    o->as_of_day = as_of_day;
    o->weeks = weeks;
    o->new_to_running = LOAD_NOVICE_UNKNOWN;
    o->hr_rest_bpm = NAN;
    o->hr_max_bpm = NAN;
}

const char *load_warning_name(enum load_warning_id id)
{
    return (unsigned)id < LOAD_W_COUNT ? load_warning_specs[id].id
                                       : "unknown";
}

/* ---- the working state (struct load_calc, load_int.h) ---- */

static double run_km(const struct load_run *r)
{
    double km = r->distance_m / 1000.0;
    return km > 0 && km <= RUN_MAX_KM ? km : 0;
}

static double run_s(const struct load_run *r)
{
    return r->duration_s > 0 && r->duration_s <= RUN_MAX_S ? r->duration_s
                                                           : 0;
}

static long local_day(const struct load_run *r)
{
    return rc_day_of(r->start_s + r->utc_offset_s);
}

double load_longest(const struct load_calc *c, size_t from, size_t to,
                    long lo, long hi, long *day)
{
    double best = 0;
    for (size_t j = to + 1; j-- > from;) {
        if (c->runs[j].day < lo)
            break;
        if (c->runs[j].day <= hi && c->runs[j].km > best) {
            best = c->runs[j].km;
            *day = c->runs[j].day;
        }
    }
    return best;
}

/* ---- warnings (load_warn.c) ---- */

static int cmp_warning(const void *a, const void *b)
{
    const struct load_warning *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->run != y->run)
        return x->run < y->run ? -1 : 1;
    return (int)x->id - (int)y->id;
}

/* ---- the next-run cap ---- */

static double median(double *v, size_t n)
{
    /* n is small (PACE_RUNS, LONG_RUN_MAX_RUNS): insertion sort */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    if (n == 0)
        return NAN;
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* The runner's usual running speed, km/h: the median of the last runs
 * with a distance and a time; NAN when none has both. */
static double usual_kmh(const struct load_calc *c)
{
    double v[PACE_RUNS];
    size_t n = 0;
    for (size_t i = c->nruns; i-- > 0 && n < PACE_RUNS;) {
        const struct load_run *r = &c->in[c->runs[i].run];
        double s = run_s(r);
        if (c->runs[i].km > 0 && s > 0)
            v[n++] = c->runs[i].km / (s / 3600.0);
    }
    return median(v, n);
}

static double round_down_01(double km)
{
    return floor(km * 10.0 + 1e-6) / 10.0;
}

/* The longest run of the reference window before `next`; when it was
 * itself a single-run spike, the length its own reference allowed (the
 * week ahead must not build on a spike). */
static double one_run_limit(const struct load_calc *c, long next, bool *held,
                            double *held_km)
{
    const struct load_rules *R = c->rules;
    const struct load_run_info *best = NULL;
    *held = false;
    for (size_t i = c->nruns; i-- > 0;) {
        const struct load_run_info *ri = &c->runs[i];
        if (ri->day < next - R->spike_reference_days)
            break;
        if (ri->day <= c->as_of && (!best || ri->km > best->km))
            best = ri;
    }
    if (!best)
        return NAN;
    if (!isnan(best->spike_pct) && best->ref_km > 0 &&
        load_above(best->spike_pct, R->spike_threshold_pct)) {
        *held = true;
        *held_km = best->km;
        return R->cap_factor * best->ref_km;
    }
    return R->cap_factor * best->km;
}

/* The 7 days ahead (struct load_cap): one run within the rule that
 * bounds a single run, the week within the weekly rule; neither builds
 * on a jump the log already holds. */
static void build_week(const struct load_calc *c, struct load_cap *cap)
{
    const struct load_rules *R = c->rules;
    long next = c->as_of + 1, to = c->as_of + 7;
    struct load_vars v = { 0 };
    bool mean_used, jumped = false, held = false;
    double f = 1.0 + R->weekly_threshold_pct / 100.0, held_km = 0;
    double base = load_weekly_baseline(c, to, &mean_used), one;
    double last = load_km_sum(c, next - 7, c->as_of);
    char extra[LOAD_TEXT_MAX] = "";

    if (cap->rule == LOAD_CAP_BREAK ||
        (isnan(cap->spike_km) && !isnan(cap->break_km)))
        one = cap->break_km;
    else
        one = one_run_limit(c, next, &held, &held_km);
    cap->week_from = next;
    cap->week_to = to;
    cap->week_km = NAN;
    if (base > 0) {
        bool m;
        double before = load_weekly_baseline(c, c->as_of, &m);
        cap->week_km = base * f;
        if (before > 0 && load_above(last, before * f)) {
            /* the last 7 days were a jump: hold at what they were allowed */
            jumped = true;
            cap->week_km = before * f;
            mean_used = m;
            base = before;
        }
        if (cap->week_km < cap->floor_km)
            cap->week_km = cap->floor_km;
        cap->week_km = round_down_01(cap->week_km);
        if (one > cap->week_km)
            one = cap->week_km;
    }
    if (!(one >= cap->floor_km))
        one = cap->floor_km;
    cap->longest_km = round_down_01(one);
    load_var(&v, "from_date", LOAD_VAR_DAY, (double)next);
    load_var(&v, "to_date", LOAD_VAR_DAY, (double)to);
    load_var(&v, "longest_km", LOAD_VAR_KM, cap->longest_km);
    load_var(&v, "last_km", LOAD_VAR_KM, last);
    load_var(&v, "held_km", LOAD_VAR_KM, held_km);
    if (base > 0) {
        load_var(&v, "week_km", LOAD_VAR_KM, cap->week_km);
        load_var(&v, "threshold", LOAD_VAR_PCT, R->weekly_threshold_pct);
        load_var_words(&v, "base",
                       mean_used ? R->weekly_base_mean : R->weekly_base_prev);
        load_var(&v, "base_km", LOAD_VAR_KM, base);
    }
    load_fill(base <= 0 ? R->cap_week_no_base
              : jumped  ? R->cap_week_after_jump
                        : R->cap_week.text,
              &v, cap->week_text, sizeof(cap->week_text));
    if (held) {
        load_fill(R->cap_week_after_spike, &v, extra, sizeof(extra));
        snprintf(cap->week_text + strlen(cap->week_text),
                 sizeof(cap->week_text) - strlen(cap->week_text), "; %s",
                 extra);
    }
    load_cite(cap->week_text, sizeof(cap->week_text), &R->cap_week.src);
    cap->week_src = R->cap_week.src;
}

static void build_cap(const struct load_calc *c, struct load_cap *cap)
{
    const struct load_rules *R = c->rules;
    const struct load_rule *rule = NULL;
    char main_text[LOAD_TEXT_MAX] = "", floor_text[LOAD_TEXT_MAX];
    struct load_vars v = { 0 };
    size_t last;
    long next = c->as_of + 1, days_off;
    double kmh, best;

    memset(cap, 0, sizeof(*cap));
    cap->spike_km = cap->weekly_km = cap->break_km = cap->floor_km = NAN;
    cap->km = NAN;
    cap->ref_km = NAN;
    cap->ref_day = LONG_MIN;
    if (c->nruns == 0) {
        cap->rule = LOAD_CAP_NONE;
        return;
    }
    last = c->nruns - 1;
    days_off = c->as_of - c->runs[last].day;

    kmh = usual_kmh(c);
    if (isnan(kmh) || kmh < R->walk_kmh)
        kmh = R->walk_kmh;
    /* 1 min run / 1 min walk: half the time at each speed */
    cap->floor_km = R->floor_min / 60.0 * (kmh + R->walk_kmh) / 2.0;

    if (days_off >= R->break_days) {
        long d = c->runs[last].day, ref_day = d;
        double pre = load_longest(c, c->seg[last], last,
                             d - R->spike_reference_days + 1, d, &ref_day);
        cap->break_km = pre * R->break_threshold_pct / 100.0;
        cap->ref_km = pre;
        cap->ref_day = ref_day;
        cap->rule = LOAD_CAP_BREAK;
        best = cap->break_km;
        rule = &R->cap_break;
        load_var(&v, "days", LOAD_VAR_INT, (double)days_off);
        load_var(&v, "threshold", LOAD_VAR_PCT, R->break_threshold_pct);
        load_var(&v, "ref_km", LOAD_VAR_KM, pre);
        load_var(&v, "ref_date", LOAD_VAR_DAY, (double)ref_day);
        load_var(&v, "cap_km", LOAD_VAR_KM, round_down_01(best));
    } else {
        long ref_day = c->as_of;
        bool mean_used;
        double ref = load_longest(c, c->seg[last], last,
                             next - R->spike_reference_days, c->as_of,
                             &ref_day);
        double base = load_weekly_baseline(c, next, &mean_used);
        cap->spike_km = R->cap_factor * ref;
        cap->ref_km = ref;
        cap->ref_day = ref_day;
        cap->rule = LOAD_CAP_SPIKE;
        best = cap->spike_km;
        rule = &R->cap_spike;
        if (base > 0) {
            double allowed = base * (1.0 + R->weekly_threshold_pct / 100.0);
            double run = load_km_sum(c, next - 6, c->as_of);
            cap->weekly_km = allowed - run > 0 ? allowed - run : 0;
            if (cap->weekly_km < best) {
                best = cap->weekly_km;
                rule = &R->cap_weekly;
                cap->rule = LOAD_CAP_WEEKLY;
                load_var(&v, "date", LOAD_VAR_DAY, (double)next);
                load_var(&v, "threshold", LOAD_VAR_PCT,
                         R->weekly_threshold_pct);
                load_var_words(&v, "base",
                    mean_used ? R->weekly_base_mean : R->weekly_base_prev);
                load_var(&v, "base_km", LOAD_VAR_KM, base);
                load_var(&v, "allowed_km", LOAD_VAR_KM, allowed);
                load_var(&v, "run_km", LOAD_VAR_KM, run);
            }
        }
        if (rule == &R->cap_spike) {
            load_var(&v, "factor", LOAD_VAR_NUM, R->cap_factor);
            load_var(&v, "ref_km", LOAD_VAR_KM, ref);
            load_var(&v, "ref_date", LOAD_VAR_DAY, (double)ref_day);
            load_var(&v, "ref_days", LOAD_VAR_INT, R->spike_reference_days);
        }
        load_var(&v, "cap_km", LOAD_VAR_KM, round_down_01(best));
    }
    load_fill(rule->text, &v, main_text, sizeof(main_text));
    load_cite(main_text, sizeof(main_text), &rule->src);
    cap->src = rule->src;
    cap->km = round_down_01(best);
    if (best < cap->floor_km) {
        cap->km = round(cap->floor_km * 10.0) / 10.0;
        cap->rule = LOAD_CAP_FLOOR;
        cap->src = R->cap_floor.src;
        v.n = 0;
        load_var(&v, "floor_min", LOAD_VAR_NUM, R->floor_min);
        load_var_words(&v, "walk_run", R->walk_run);
        load_var(&v, "cap_km", LOAD_VAR_KM, cap->km);
        load_fill(R->cap_floor.text, &v, floor_text, sizeof(floor_text));
        load_cite(floor_text, sizeof(floor_text), &R->cap_floor.src);
        snprintf(cap->reason, sizeof(cap->reason), "%s; the rule gave less: %s",
                 floor_text, main_text);
    } else {
        snprintf(cap->reason, sizeof(cap->reason), "%s", main_text);
    }
    build_week(c, cap);
}

/* ---- the build ---- */

/* By local day, then start: a traveller's later run can fall on an
 * earlier local day, and the day is what every window counts in. */
static int cmp_run(const void *a, const void *b, void *in)
{
    const struct load_run_info *x = a, *y = b;
    const struct load_run *runs = in;
    double sx = runs[x->run].start_s, sy = runs[y->run].start_s;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (sx != sy)
        return sx < sy ? -1 : 1;
    return x->run < y->run ? -1 : x->run > y->run;
}

/* Counted runs, in order, into c->runs; first_day set. */
static int collect_runs(struct load_calc *c, const struct load_run *in, size_t n,
                        struct rc_err *err)
{
    long oldest = c->as_of - LOAD_SPAN_MAX_DAYS + 1;
    c->runs = load_calloc(n, sizeof(*c->runs));
    if (!c->runs)
        return rc_fail(err, RC_EENV, "out of memory for %zu runs", n);
    for (size_t i = 0; i < n; i++) {
        long d;
        if (!in[i].is_run || !isfinite(in[i].start_s))
            continue;
        d = local_day(&in[i]);
        if (d > c->as_of || d < oldest)
            continue;
        c->runs[c->nruns++] = (struct load_run_info){
            .run = i, .day = d, .km = run_km(&in[i]), .ref_km = 0,
            .ref_day = LONG_MIN, .spike_pct = NAN, .days_off = -1 };
    }
    /* the store lists runs in this order already: sorted only when not */
    for (size_t i = 1; i < c->nruns; i++)
        if (cmp_run(&c->runs[i - 1], &c->runs[i], (void *)in) > 0) {
            qsort_r(c->runs, c->nruns, sizeof(*c->runs), cmp_run,
                    (void *)in);
            break;
        }
    c->first_day = c->nruns ? c->runs[0].day : c->as_of;
    c->ndays = c->nruns ? c->as_of - c->first_day + 1 : 0;
    return 0;
}

/* Segments, days off and the spike reference of every run. */
static int place_runs(struct load_calc *c, struct rc_err *err)
{
    int ref_days = c->rules->spike_reference_days;
    c->seg = load_calloc(c->nruns, sizeof(*c->seg));
    if (!c->seg)
        return rc_fail(err, RC_EENV, "out of memory for %zu runs", c->nruns);
    for (size_t i = 0; i < c->nruns; i++) {
        struct load_run_info *ri = &c->runs[i];
        c->seg[i] = i;
        if (i == 0)
            continue;
        ri->days_off = (int)(ri->day - c->runs[i - 1].day - 1);
        if (ri->days_off >= c->rules->break_days)
            continue; /* a new segment: no reference before the break */
        c->seg[i] = c->seg[i - 1];
        ri->ref_km = load_longest(c, c->seg[i], i - 1, ri->day - ref_days, ri->day,
                             &ri->ref_day);
        if (ri->ref_km > 0 && ri->km > 0)
            ri->spike_pct = (ri->km / ri->ref_km - 1.0) * 100.0;
    }
    return 0;
}

static double hr_max_of_log(const struct load_calc *c)
{
    double best = NAN;
    for (size_t i = 0; i < c->nruns; i++) {
        const struct load_run *r = &c->in[c->runs[i].run];
        double m = isfinite(r->max_hr_bpm) ? r->max_hr_bpm : r->avg_hr_bpm;
        if (m >= 60 && m <= 250 && !(m <= best))
            best = m;
    }
    return best;
}

static void add_nan(double *sum, double x)
{
    *sum = isnan(*sum) ? x : *sum + x;
}

static int build_days(struct load_calc *c, struct load_report *r,
                      struct rc_err *err)
{
    double hr_rest = c->opts->hr_rest_bpm, hr_max = c->opts->hr_max_bpm;
    double a_fit = 1.0 - exp(-1.0 / FITNESS_TAU_DAYS);
    double a_fat = 1.0 - exp(-1.0 / FATIGUE_TAU_DAYS);
    double fit = 0, fat = 0;

    if (isnan(hr_rest))
        hr_rest = HR_REST_DEFAULT_BPM;
    if (isnan(hr_max))
        hr_max = hr_max_of_log(c);
    r->ndays = c->ndays;
    r->days = load_calloc((size_t)c->ndays, sizeof(*r->days));
    r->fitness = load_calloc((size_t)c->ndays, sizeof(double));
    r->fatigue = load_calloc((size_t)c->ndays, sizeof(double));
    c->cum = load_calloc((size_t)c->ndays + 1, sizeof(double));
    if (!r->days || !r->fitness || !r->fatigue || !c->cum)
        return rc_fail(err, RC_EENV, "out of memory for %ld days", c->ndays);
    for (long i = 0; i < c->ndays; i++)
        r->days[i].srpe = r->days[i].trimp = NAN;
    for (size_t i = 0; i < c->nruns; i++) {
        const struct load_run *in = &c->in[c->runs[i].run];
        struct load_day *day = &r->days[c->runs[i].day - c->first_day];
        double s = run_s(in), min = s / 60.0;
        day->km += c->runs[i].km;
        day->time_s += s;
        day->runs++;
        if (in->rpe >= 0 && in->rpe <= 10 && s > 0)
            add_nan(&day->srpe, in->rpe * min);
        if (in->avg_hr_bpm > hr_rest && s > 0 &&
            hr_max - hr_rest >= HR_RESERVE_MIN_BPM) {
            double x = (in->avg_hr_bpm - hr_rest) / (hr_max - hr_rest);
            if (x > 1)
                x = 1;
            add_nan(&day->trimp, min * x * TRIMP_A * exp(TRIMP_B * x));
        }
    }
    for (long i = 0; i < c->ndays; i++) {
        double km = r->days[i].km;
        c->cum[i + 1] = c->cum[i] + km;
        fit += a_fit * (km - fit);
        fat += a_fat * (km - fat);
        r->fitness[i] = fit;
        r->fatigue[i] = fat;
    }
    return 0;
}

/* The EWMA series on day d (0 before the first run). */
static double series_at(const struct load_calc *c, const double *s, long d)
{
    if (d < c->first_day || c->ndays == 0)
        return 0;
    return s[d - c->first_day];
}

static void build_summary(const struct load_calc *c, struct load_report *r)
{
    long d = c->as_of;
    double acute, chronic, mean = 0, var = 0, total;
    long ref_day = LONG_MIN;

    r->last7_km = load_km_sum(c, d - 6, d);
    r->prev7_km = load_km_sum(c, d - 13, d - 7);
    r->weekly_change_pct = r->prev7_km > 0
                               ? (r->last7_km / r->prev7_km - 1.0) * 100.0
                               : NAN;
    r->longest_run_30d_km =
        c->nruns ? load_longest(c, 0, c->nruns - 1,
                           d - c->rules->spike_reference_days + 1, d,
                           &ref_day)
                 : 0;
    r->longest_run_30d_day = r->longest_run_30d_km > 0 ? ref_day : LONG_MIN;
    r->acwr_uncoupled = load_acwr_uncoupled(c, d, &acute, &chronic);
    total = load_km_sum(c, d - 27, d);
    r->acwr_coupled = isnan(r->acwr_uncoupled) || !(total > 0)
                          ? NAN
                          : acute / (total / 4.0);
    r->fitness_km = series_at(c, r->fitness, d);
    r->fatigue_km = series_at(c, r->fatigue, d);
    r->form_km = series_at(c, r->fitness, d - 1) -
                 series_at(c, r->fatigue, d - 1);
    r->ramp_km = r->fitness_km - series_at(c, r->fitness, d - 7);
    for (long k = d - 6; k <= d; k++)
        mean += load_km_sum(c, k, k) / 7.0;
    for (long k = d - 6; k <= d; k++) {
        double x = load_km_sum(c, k, k) - mean;
        var += x * x / 7.0;
    }
    if (!(mean > 0)) {
        r->monotony = NAN;
        r->strain = 0;
    } else {
        double sd = sqrt(var);
        r->monotony = sd > 0 && mean / sd < MONOTONY_MAX ? mean / sd
                                                         : MONOTONY_MAX;
        r->strain = r->last7_km * r->monotony;
    }
    r->last_run_day = c->nruns ? c->runs[c->nruns - 1].day : LONG_MIN;
}

static long monday_of(long day)
{
    return day - rc_weekday(day);
}

static int build_weeks(const struct load_calc *c, struct load_report *r,
                       struct rc_err *err)
{
    size_t n = (size_t)c->opts->weeks, k = 0;
    double thr = c->rules->weekly_threshold_pct;

    r->weeks = load_calloc(n, sizeof(*r->weeks));
    if (!r->weeks)
        return rc_fail(err, RC_EENV, "out of memory for %zu weeks", n);
    r->nweeks = n;
    for (size_t w = 0; w < n; w++) {
        struct load_week *wk = &r->weeks[w];
        long start = r->window_day + 7L * (long)w, end = start + 6;
        double prev = load_km_sum(c, start - 7, start - 1), base;
        bool mean_used;

        wk->start_day = start;
        wk->partial = end > c->as_of;
        wk->srpe = wk->trimp = NAN;
        for (long d = start; d <= end && d <= c->as_of; d++) {
            const struct load_day *day;
            if (d < c->first_day || c->ndays == 0)
                continue;
            day = &r->days[d - c->first_day];
            wk->km += day->km;
            wk->time_s += day->time_s;
            wk->runs += day->runs;
            if (!isnan(day->srpe))
                add_nan(&wk->srpe, day->srpe);
            if (!isnan(day->trimp))
                add_nan(&wk->trimp, day->trimp);
        }
        while (k < c->nruns && c->runs[k].day < start)
            k++;
        for (size_t j = k; j < c->nruns && c->runs[j].day <= end; j++)
            if (c->runs[j].km > wk->longest_km)
                wk->longest_km = c->runs[j].km;
        wk->change_pct = prev > 0 && !wk->partial
                             ? (wk->km / prev - 1.0) * 100.0
                             : NAN;
        base = load_weekly_baseline(c, end, &mean_used);
        wk->jump = base > 0 && load_above((wk->km / base - 1.0) * 100.0, thr);
    }
    return 0;
}

static int build_shoes(const struct load_shoe *shoes, size_t nshoes,
                       struct load_report *r, struct rc_err *err)
{
    r->shoes = load_calloc(nshoes, sizeof(*r->shoes));
    if (!r->shoes)
        return rc_fail(err, RC_EENV, "out of memory for %zu shoes", nshoes);
    for (size_t i = 0; i < nshoes; i++) {
        struct load_shoe_status *s;
        if (shoes[i].retired)
            continue;
        s = &r->shoes[r->nshoes++];
        s->shoe = shoes[i];
        s->shoe.name[sizeof(s->shoe.name) - 1] = '\0';
        s->past_limit = shoes[i].limit_km > 0 &&
                        shoes[i].used_km >= shoes[i].limit_km;
    }
    return 0;
}

/* Hand the warnings to r, in order. */
static void keep_warnings(struct load_calc *c, struct load_report *r)
{
    if (c->nw > 1)
        qsort(c->w, c->nw, sizeof(*c->w), cmp_warning);
    r->warnings = c->w;
    r->nwarnings = c->nw;
    c->w = NULL;
}

static void calc_release(struct load_calc *c)
{
    free(c->seg);
    free(c->cum);
    free(c->w);
}

int load_report_build(const struct load_run *runs, size_t nruns,
                      const struct load_shoe *shoes, size_t nshoes,
                      const struct load_rules *rules,
                      const struct load_opts *opts, struct load_report *out,
                      struct rc_err *err)
{
    struct load_report r;
    struct load_calc c;
    struct load_vars v = { 0 };

    if (opts->weeks < 1 || opts->weeks > LOAD_WEEKS_MAX)
        return rc_fail(err, RC_EINPUT, "%d weeks is outside 1-%d",
                       opts->weeks, LOAD_WEEKS_MAX);
    if (opts->as_of_day < -DAY_ABS_MAX || opts->as_of_day > DAY_ABS_MAX)
        return rc_fail(err, RC_EINPUT, "as-of day %ld is out of range",
                       opts->as_of_day);
    memset(&r, 0, sizeof(r));
    memset(&c, 0, sizeof(c));
    c.rules = rules;
    c.in = runs;
    c.opts = opts;
    c.as_of = opts->as_of_day;
    r.as_of_day = opts->as_of_day;
    r.window_day = monday_of(c.as_of) - 7L * (opts->weeks - 1);
    c.from = r.window_day;

    if (collect_runs(&c, runs, nruns, err) < 0)
        goto fail;
    r.runs = c.runs; /* r owns the array; c reads it */
    r.nruns = c.nruns;
    r.first_day = c.first_day;
    if (place_runs(&c, err) < 0 || build_days(&c, &r, err) < 0)
        goto fail;
    for (size_t k = 0; k < LOAD_W_COUNT; k++)
        if (load_warning_specs[k].eval(&c, err) < 0)
            goto fail;
    if (build_weeks(&c, &r, err) < 0 ||
        build_shoes(shoes, nshoes, &r, err) < 0)
        goto fail;
    keep_warnings(&c, &r);
    build_summary(&c, &r);
    build_cap(&c, &r.cap);
    load_fill(rules->ten_percent.text, &v, r.caveat, sizeof(r.caveat));
    r.caveat_src = rules->ten_percent.src;
    load_var(&v, "threshold", LOAD_VAR_PCT, rules->weekly_threshold_pct);
    load_fill(rules->weekly_legend, &v, r.weekly_legend,
              sizeof(r.weekly_legend));
    calc_release(&c);
    *out = r;
    return 0;
fail:
    calc_release(&c);
    load_report_release(&r);
    return -1;
}

void load_report_release(struct load_report *r)
{
    if (!r)
        return;
    free(r->runs);
    free(r->days);
    free(r->fitness);
    free(r->fatigue);
    free(r->weeks);
    free(r->warnings);
    free(r->shoes);
    memset(r, 0, sizeof(*r));
}

/* ---- what a leg-pain check takes from the log ---- */

int load_context_weeks(const struct load_rules *rules)
{
    /* enough whole weeks to hold the reference window */
    return rules->spike_reference_days / 7 + 2;
}

unsigned load_last_session(const struct load_report *r,
                           const struct load_run *runs,
                           const struct load_rules *R)
{
    const struct load_run_info *last;
    const struct load_run *in;
    unsigned bits = 0;
    double km[LONG_RUN_MAX_RUNS], ascent;
    size_t n = 0;

    if (r->nruns == 0)
        return 0;
    last = &r->runs[r->nruns - 1];
    in = &runs[last->run];
    ascent = in->ascent_m;
    if (in->is_race)
        bits |= LOAD_SESSION_RACE;
    if (last->km >= MARATHON_KM)
        bits |= LOAD_SESSION_MARATHON;
    if (last->km > 0 && ascent >= 0 && ascent / last->km >= R->hills_m_per_km)
        bits |= LOAD_SESSION_HILLS;
    for (size_t i = r->nruns - 1; i-- > 0 && n < LONG_RUN_MAX_RUNS;) {
        if (r->runs[i].day < last->day - R->long_run_window_days)
            break;
        if (r->runs[i].km > 0)
            km[n++] = r->runs[i].km;
    }
    if (n >= (size_t)R->long_run_min_runs && last->km > 0 &&
        last->km >= R->long_run_ratio * median(km, n) - LOAD_EPS)
        bits |= LOAD_SESSION_LONG_RUN;
    return bits;
}

bool load_fact(const struct load_report *r, const struct load_rules *rules,
               enum load_fact f, double *value, char *why, size_t n)
{
    const struct load_run_info *last;
    const char *tmpl = rules->why[f].text;
    struct load_vars v;
    double x;

    if (n)
        why[0] = '\0';
    if (r->nruns == 0 || (unsigned)f >= LOAD_FACT_COUNT)
        return false;
    last = &r->runs[r->nruns - 1];
    v.n = 0;
    switch (f) {
    case LOAD_FACT_WEEKLY_KM:
    case LOAD_FACT_WEEKLY_CHANGE:
        x = f == LOAD_FACT_WEEKLY_KM ? r->last7_km : r->weekly_change_pct;
        if (!isfinite(x))
            return false;
        load_var(&v, "km", LOAD_VAR_KM, r->last7_km);
        load_var(&v, "date", LOAD_VAR_DAY, (double)r->as_of_day);
        load_var(&v, "pct", LOAD_VAR_PCT, r->weekly_change_pct);
        load_var(&v, "prev_km", LOAD_VAR_KM, r->prev7_km);
        break;
    case LOAD_FACT_SPIKE:
        x = last->spike_pct;
        if (!isfinite(x))
            return false;
        load_var(&v, "date", LOAD_VAR_DAY, (double)last->day);
        load_var(&v, "km", LOAD_VAR_KM, last->km);
        load_var(&v, "pct", LOAD_VAR_PCT, fabs(x));
        load_var(&v, "ref_days", LOAD_VAR_INT, rules->spike_reference_days);
        load_var(&v, "ref_km", LOAD_VAR_KM, last->ref_km);
        load_var(&v, "ref_date", LOAD_VAR_DAY, (double)last->ref_day);
        break;
    case LOAD_FACT_BREAK_WEEKS:
        if (last->days_off < 0)
            return false;
        x = floor(last->days_off / 7.0);
        load_var(&v, "days", LOAD_VAR_INT, last->days_off);
        load_var(&v, "date", LOAD_VAR_DAY, (double)last->day);
        load_var(&v, "prev_date", LOAD_VAR_DAY,
                 (double)(last->day - last->days_off - 1));
        break;
    default:
        return false;
    }
    *value = x;
    load_fill(tmpl, &v, why, n);
    return true;
}
