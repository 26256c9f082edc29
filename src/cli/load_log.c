/* load_log.c - the stored runs and shoes as load/ reads them, and the
 * leg-pain check's training context from them (see load_log.h). */
#include <ctype.h>
#include <sys/stat.h>

#include "base/base.h"
#include "base/time.h"
#include "cli/load_log.h"
#include "store/store.h"

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
static void to_load_run(const struct store_activity *sa, struct load_run *r)
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
    r->ascent_m = a->ascent_m;
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
static int read_part(struct store *s, long since_day, struct cli_load_log *l,
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
        to_load_run(&acts[i], &l->runs[l->nruns++]);
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
static bool running_before(const struct cli_load_log *l, long since,
                           int lookback, long first)
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

int cli_load_log_read(struct cli_ctx *ctx, long first_day, int lookback_days,
                      struct cli_load_log *log, struct rc_err *err)
{
    const char *path = cli_db_path(ctx, err);
    struct cli_load_log l = { 0 };
    long since = first_day == LONG_MIN ? LONG_MIN
                                       : first_day - LOAD_HISTORY_DAYS;
    struct store *s;
    struct stat st;

    if (!path)
        return -1;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            rc_fail(err, RC_EENV, "cannot read the database: %s",
                    strerror(errno));
            rc_err_file(err, path);
            return -1;
        }
        *log = l; /* nothing stored yet; reading does not create it */
        return 0;
    }
    if (!(s = store_open(path, 0, err)))
        return -1;
    if (read_part(s, since, &l, err) < 0)
        goto fail;
    if (since != LONG_MIN &&
        !running_before(&l, since, lookback_days, first_day)) {
        cli_load_log_release(&l);
        if (read_part(s, LONG_MIN, &l, err) < 0)
            goto fail;
    }
    store_close(s);
    l.exists = true;
    *log = l;
    return 0;
fail:
    store_close(s);
    cli_load_log_release(&l);
    return -1;
}

void cli_load_log_release(struct cli_load_log *log)
{
    if (!log)
        return;
    free(log->runs);
    free(log->shoes);
    memset(log, 0, sizeof(*log));
}

long cli_load_log_today(const struct cli_load_log *log)
{
    double latest = -INFINITY;
    int32_t offset = 0;
    for (size_t i = 0; i < log->nruns; i++)
        if (log->runs[i].start_s > latest) {
            latest = log->runs[i].start_s;
            offset = log->runs[i].utc_offset_s;
        }
    return rc_day_of(rc_now() + offset);
}

/* Within the ranges of domain/report.schema.json. */
static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int cli_load_training_fill(const struct cli_load_log *log,
                           const struct load_rules *rules, long as_of_day,
                           struct cli_load_training *out, struct rc_err *err)
{
    struct cli_load_training o;
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
    t->load_warnings = o.warnings;
    *out = o;
    out->t.load_warnings = out->warnings;
    return 0;
}

int cli_load_training(struct cli_ctx *ctx, long as_of_day,
                      struct cli_load_training *out, struct rc_err *err)
{
    struct cli_load_log log;
    struct load_rules rules;
    int rc;

    long guess = as_of_day == LONG_MIN ? rc_day_of(rc_now()) : as_of_day;

    /* the context looks at the 30 days to as_of_day (a day either way
     * when it is today in a time zone not yet known) */
    if (load_rules_default(&rules, err) < 0 ||
        cli_load_log_read(ctx, guess - 1 - rules.spike_reference_days,
                          load_rules_lookback_days(&rules), &log, err) < 0)
        return -1;
    if (as_of_day == LONG_MIN)
        as_of_day = cli_load_log_today(&log);
    rc = cli_load_training_fill(&log, &rules, as_of_day, out, err);
    cli_load_log_release(&log);
    return rc;
}

void cli_load_training_release(struct cli_load_training *t)
{
    if (!t)
        return;
    json_decref(t->warnings);
    t->warnings = NULL;
    t->t.load_warnings = NULL;
}
