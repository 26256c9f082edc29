/* engine_training.c - the runner's log in the report: what the load guard
 * and the run before the pain tell (struct triage_training) becomes the
 * report's "training" (source "log", or "mixed" when the runner answered
 * some of it), and each reason that rests on a field from the log says
 * where it comes from: "that run was 68% longer than your longest in the
 * 30 days before (from your log: 16.8 km on 2024-03-12 against 10.0 km on
 * 2024-02-20)". The note names the runs and never repeats the number the
 * reason quotes (kb/load_guard.jsonl, kind "context").
 *
 * The run before the pain adds sessions by the kb's "from_log" thresholds
 * (meta.jsonl; set by judgement, conditions.md 1.2): its distance
 * (marathon_or_longer), its descent per km (downhill_or_trail) and the
 * temperature the watch recorded (hot_or_humid). */
#include "base/base.h"
#include "triage/triage_int.h"

static double from_log(const struct kb *kb, const char *key)
{
    const json_t *v = json_object_get(kb->from_log, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The run's own numbers that pass the kb's thresholds. */
static bool run_long(const struct kb *kb, const struct triage_training *t)
{
    return isfinite(t->run_distance_km) &&
           t->run_distance_km >= from_log(kb, "marathon_km");
}
static bool run_downhill(const struct kb *kb, const struct triage_training *t)
{
    return isfinite(t->run_descent_m_per_km) &&
           t->run_descent_m_per_km >= from_log(kb, "downhill_m_per_km");
}
static bool run_hot(const struct kb *kb, const struct triage_training *t)
{
    return isfinite(t->run_temperature_c) &&
           t->run_temperature_c >= from_log(kb, "hot_c");
}

/* The log's words for a field, or NULL when the log did not fill it. */
static const char *training_why(const struct kb *kb,
                                const struct triage_training *t,
                                const char *field)
{
    if (!t || !field)
        return NULL;
    if (t->has_spike && !strcmp(field, "/training/longest_run_spike_pct"))
        return t->spike_why;
    if (t->has_weekly_change &&
        !strcmp(field, "/training/weekly_volume_change_pct"))
        return t->weekly_change_why;
    if (t->has_weekly_km && !strcmp(field, "/training/weekly_km"))
        return t->weekly_km_why;
    if (t->has_break && !strcmp(field, "/training/break_weeks"))
        return t->break_why;
    if (t->run_why[0] &&
        ((!strcmp(field, "/training/session") &&
          (run_long(kb, t) || run_downhill(kb, t))) ||
         (!strcmp(field, "/training/hot_or_humid") && run_hot(kb, t))))
        return t->run_why;
    return NULL;
}

bool triage_training_knows(const struct kb *kb,
                           const struct triage_training *t,
                           const char *field)
{
    if (!t)
        return false;
    return training_why(kb, t, field) ||
           (t->has_new_to_running &&
            !strcmp(field, "/training/new_to_running")) ||
           (t->session[0] && !strcmp(field, "/training/session")) ||
           (isfinite(t->run_end_s) &&
            !strcmp(field, "/pain/hours_since_run"));
}

/* " (from your log: ...)" for each field of rule r that the log filled;
 * appended to out[0..n) at *o. */
void engine_log_note(const struct kb *kb, const struct triage_training *t,
                     const struct rule *r, const struct eval_env *env,
                     char *out, size_t n, size_t *o)
{
    struct ptrset fields = { { 0 }, 0 };
    if (!r || !t)
        return;
    rule_because(r, env, &fields);
    for (size_t i = 0; i < fields.n && *o + 4 < n; i++) {
        const char *why = training_why(kb, t, fields.v[i]);
        if (why && why[0])
            *o += (size_t)snprintf(out + *o, n - *o, " (from your log: %s)",
                                   why);
        if (*o >= n)
            *o = n - 1;
    }
}

static int add_session(json_t *s, const char *v)
{
    size_t i;
    json_t *e;
    json_array_foreach(s, i, e) {
        if (!strcmp(json_string_value(e), v))
            return 0;
    }
    return json_array_append_new(s, json_string(v));
}

int engine_apply_training(const struct kb *kb, json_t *rep,
                          const struct triage_training *t)
{
    json_t *tr;
    bool had_other;
    int filled = 0;

    if (!t)
        return 0;
    tr = json_object_get(rep, "training");
    had_other = tr && json_object_size(tr) >
                          (json_object_get(tr, "source") ? 1u : 0u);
#define SETNUM(flag, key, val)                                               \
    if (t->flag) {                                                           \
        if (triage_set_field(rep, "/training/" key, json_real(val)) < 0)     \
            return -1;                                                       \
        filled++;                                                            \
    }
    SETNUM(has_weekly_km, "weekly_km", t->weekly_km)
    SETNUM(has_weekly_change, "weekly_volume_change_pct",
           t->weekly_volume_change_pct)
    SETNUM(has_spike, "longest_run_spike_pct", t->longest_run_spike_pct)
    SETNUM(has_break, "break_weeks", t->break_weeks)
#undef SETNUM
    if (t->has_new_to_running) {
        if (triage_set_field(rep, "/training/new_to_running",
                             json_boolean(t->new_to_running)) < 0)
            return -1;
        filled++;
    }
    if (t->session[0] || run_long(kb, t) || run_downhill(kb, t)) {
        json_t *s = json_array();
        if (!s)
            return -1;
        for (size_t i = 0; i < RC_ARRAY_SIZE(t->session) && t->session[i];
             i++)
            if (add_session(s, t->session[i]) < 0) {
                json_decref(s);
                return -1;
            }
        if ((run_long(kb, t) && add_session(s, "marathon_or_longer") < 0) ||
            (run_downhill(kb, t) && add_session(s, "downhill_or_trail") < 0)) {
            json_decref(s);
            return -1;
        }
        if (triage_set_field(rep, "/training/session", s) < 0)
            return -1;
        filled++;
    }
    if (run_hot(kb, t)) {
        if (triage_set_field(rep, "/training/hot_or_humid", json_true()) < 0)
            return -1;
        filled++;
    }
    if (filled &&
        triage_set_field(rep, "/training/source",
                         json_string(had_other ? "mixed" : "log")) < 0)
        return -1;
    return 0;
}
