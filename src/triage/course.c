/* course.c - the course of one recovery: a check and the follow-ups
 * linked to it, against what its top condition should do
 * (kb/courses.jsonl), and the escalations of kb/escalations.jsonl
 * evaluated over the course object (kb/course.schema.json).
 *
 * Data flow: app/ reads the diary and the log -> struct triage_course_in
 * -> the course object -> every escalation rule -> the diary's level
 * (the latest result's, only ever raised) and the reasons. No threshold
 * lives here: the rules and windows are the kb's; this file only counts
 * days, scores and runs. */
#include "base/base.h"
#include "base/time.h"
#include "triage/kb_int.h"

static double num_at(const json_t *j, const char *ptr, double dflt)
{
    const json_t *v = triage_get_field(j, ptr);
    return json_is_number(v) ? json_number_value(v) : dflt;
}

static const char *str_at(const json_t *j, const char *ptr)
{
    return json_string_value(triage_get_field(j, ptr));
}

/* When the report was made: its created_at, else when it was stored. */
static double report_time(const json_t *report, double created_s)
{
    const char *at = str_at(report, "/created_at");
    double t;
    if (!at || rc_time_parse(at, &t, NULL, NULL) < 0)
        t = created_s;
    return t;
}

double triage_course_run_end(const json_t *report, double created_s)
{
    return report_time(report, created_s) -
           num_at(report, "/pain/hours_since_run", 0) * 3600.0;
}

static const struct kb_course *kb_course_of(const struct kb *kb,
                                            const char *cond)
{
    int c = kb_condition_index(kb, cond);
    for (size_t i = 0; c >= 0 && i < kb->ncourses; i++)
        if (kb->courses[i].cond == c)
            return &kb->courses[i];
    return NULL;
}

/* A red flag that came or went during the problem: the highest level
 * of those picked, its label and sources; level -1 for none. */
struct flag_pick {
    int level;
    const char *label;
    const json_t *sources;
};

static bool has_flag(const json_t *result, const json_t *id)
{
    const json_t *g;
    size_t k;
    json_array_foreach(json_object_get(result, "red_flags"), k, g) {
        if (json_equal(json_object_get(g, "id"), id))
            return true;
    }
    return false;
}

/* The flags of reports [from, to) that report `against` does not raise. */
static struct flag_pick pick(const struct triage_course_in *in, size_t from,
                             size_t to, size_t against)
{
    struct flag_pick best = { -1, NULL, NULL };
    for (size_t r = from; r < to; r++) {
        const json_t *f;
        size_t i;
        json_array_foreach(json_object_get(in->reports[r].result,
                                           "red_flags"),
                           i, f) {
            int lv = triage_level_parse(
                json_string_value(json_object_get(f, "triage")));
            if (lv > best.level &&
                !has_flag(in->reports[against].result,
                          json_object_get(f, "id"))) {
                best.level = lv;
                best.label = json_string_value(json_object_get(f, "label"));
                best.sources = json_object_get(f, "source_ids");
            }
        }
    }
    return best;
}

static int put(json_t *o, const char *key, json_t *v)
{
    return v ? json_object_set_new(o, key, v) : -1;
}

/* The course object of course.schema.json; -1 when memory runs out. */
static int build(const struct kb *kb, const struct triage_course_in *in,
                 struct triage_course *c, const struct flag_pick *fresh,
                 const struct flag_pick *earlier)
{
    const json_t *r0 = in->reports[0].report,
                 *rn = in->reports[in->n - 1].report;
    double last_s = report_time(rn, in->reports[in->n - 1].created_s);
    double first_s = report_time(r0, in->reports[0].created_s);
    int s0 = (int)num_at(r0, "/pain/score", 0);
    int sn = (int)num_at(rn, "/pain/score", 0);
    const char *trend = str_at(rn, "/pain/trend"), *onset;
    json_t *o = json_object();
    double since;
    int rc = 0;

    if (!o)
        return -1;
    since = (last_s - c->run_end_s) / 86400.0;
    if (since < 0)
        since = 0;
    c->days_since_run = since;
    rc |= put(o, "condition", json_string(c->condition_id ? c->condition_id
                                                         : ""));
    rc |= put(o, "reports", json_integer((json_int_t)in->n));
    rc |= put(o, "days_since_run", json_real(since));
    rc |= put(o, "days_since_first",
              json_real(fmax(0, (last_s - first_s) / 86400.0)));
    if ((onset = str_at(r0, "/pain/onset")))
        rc |= put(o, "onset", json_string(onset));
    rc |= put(o, "score_first", json_integer(s0));
    rc |= put(o, "score_now", json_integer(sn));
    rc |= put(o, "score_change", json_integer(sn - s0));
    if (trend)
        rc |= put(o, "trend", json_string(trend));
    if (c->kbc) {
        rc |= put(o, "usual_days", json_real(c->kbc->usual_days));
        rc |= put(o, "days_past_usual",
                  json_real(since - c->kbc->usual_days));
    }
    rc |= put(o, "new_red_flag", json_boolean(fresh->level >= 0));
    rc |= put(o, "earlier_red_flag", json_boolean(earlier->level >= 0));
    rc |= put(o, "runs_over_cap", json_integer((json_int_t)c->runs_over));
    if (c->runs_over)
        rc |= put(o, "km_over_cap", json_real(c->km_over));
    if (isfinite(in->recurrence_days))
        rc |= put(o, "recurrence_days", json_real(in->recurrence_days));
    (void)kb;
    if (rc) {
        json_decref(o);
        return -1;
    }
    c->course = o;
    return 0;
}

/* A reason's {names}, filled from the course and what the diary adds. */
static void fill(const struct triage_course *c, const struct kb_escalation *e,
                 const struct flag_pick *flag, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = e->reason; *p && o + 1 < n; p++) {
        const char *end;
        char name[40], val[160];
        const json_t *v;
        if (*p != '{' || !(end = strchr(p, '}')) ||
            (size_t)(end - p - 1) >= sizeof(name)) {
            out[o++] = *p;
            out[o] = '\0';
            continue;
        }
        snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
        val[0] = '\0';
        if (!strcmp(name, "condition"))
            snprintf(val, sizeof(val), "%s",
                     c->condition_name ? c->condition_name : "this problem");
        else if (!strcmp(name, "flag"))
            snprintf(val, sizeof(val), "%s",
                     flag && flag->label ? flag->label : "");
        else if (!strcmp(name, "run"))
            snprintf(val, sizeof(val), "%s", c->run_text);
        else if (!strcmp(name, "cap_km"))
            snprintf(val, sizeof(val), "%.1f", c->cap_km);
        else if ((v = json_object_get(c->course, name)) &&
                 json_is_number(v)) {
            double x = json_number_value(v);
            /* whole days and points as such, else one decimal */
            snprintf(val, sizeof(val),
                     strstr(name, "km") || fabs(x - round(x)) >= 0.05
                         ? "%.1f"
                         : "%.0f",
                     x);
        }
        o += (size_t)snprintf(out + o, n - o, "%s", val);
        if (o >= n)
            o = n - 1;
        p = end;
    }
}

static int add_sources(json_t *to, const json_t *from)
{
    size_t i, k;
    json_t *e, *f;
    json_array_foreach(from, i, e) {
        bool have = false;
        json_array_foreach(to, k, f) {
            if (json_equal(e, f))
                have = true;
        }
        if (!have && json_array_append(to, e) < 0)
            return -1;
    }
    return 0;
}

static int escalate(const struct kb *kb, struct triage_course *c,
                    const struct flag_pick *fresh,
                    const struct flag_pick *earlier)
{
    struct eval_env env = { .kb = kb, .report = c->course, .top = -1,
                            .level = -1 };
    for (size_t i = 0; i < kb->nescs && c->nesc < TRIAGE_COURSE_ESC_MAX;
         i++) {
        const struct kb_escalation *e = &kb->escs[i];
        struct triage_escalation *x;
        if (rule_eval(e->when, &env, EVAL_LITERAL) != TRI_TRUE)
            continue;
        const struct flag_pick *flag = e->level == KB_ESC_NEW_FLAG ? fresh
                                       : e->level == KB_ESC_EARLIER_FLAG
                                           ? earlier
                                           : NULL;
        x = &c->esc[c->nesc];
        memset(x, 0, sizeof(*x));
        x->id = e->id;
        x->level = (enum triage_level)(!flag ? e->level
                                       : flag->level >= 0 ? flag->level
                                                          : 0);
        fill(c, e, flag, x->reason, sizeof(x->reason));
        if (!(x->source_ids = json_array()) ||
            add_sources(x->source_ids, e->source_ids) < 0 ||
            (flag && add_sources(x->source_ids, flag->sources) < 0) ||
            (!strcmp(e->id, "not_easing") && c->kbc &&
             add_sources(x->source_ids, c->kbc->source_ids) < 0)) {
            json_decref(x->source_ids);
            return -1;
        }
        c->nesc++;
        if (x->level > c->level)
            c->level = x->level;
    }
    return 0;
}

static void runs_over(const struct triage_course_in *in,
                      struct triage_course *c)
{
    c->cap_km = in->cap_km;
    for (size_t i = 0; isfinite(in->cap_km) && i < in->nruns; i++) {
        const struct triage_course_run *r = &in->runs[i];
        char day[16];
        if (r->start_s < c->run_end_s || !(r->km > in->cap_km))
            continue;
        c->runs_over++;
        if (r->km - in->cap_km > c->km_over) {
            c->km_over = r->km - in->cap_km;
            snprintf(c->run_text, sizeof(c->run_text), "%.1f km on %s",
                     r->km, rc_date_format(r->day, day));
        }
    }
}

int triage_course_eval(const struct kb *kb, const struct triage_course_in *in,
                       struct triage_course *out, struct rc_err *err)
{
    struct triage_course c;
    const json_t *first_res, *top;
    struct flag_pick fresh, earlier;
    int cond;

    memset(&c, 0, sizeof(c));
    if (!in->n)
        return rc_fail(err, RC_EINPUT, "no report to follow");
    first_res = in->reports[0].result;
    top = json_array_get(json_object_get(first_res, "conditions"), 0);
    c.condition_id = json_string_value(json_object_get(top, "id"));
    c.condition_name = json_string_value(json_object_get(top, "name"));
    cond = kb_condition_index(kb, c.condition_id);
    if (cond >= 0)
        c.condition_name = kb->conds[cond].name;
    c.kbc = c.condition_id ? kb_course_of(kb, c.condition_id) : NULL;
    c.run_end_s = triage_course_run_end(in->reports[0].report,
                                        in->reports[0].created_s);
    c.level = triage_result_level(in->reports[in->n - 1].result);
    c.due_s = in->reports[in->n - 1].created_s +
              num_at(in->reports[in->n - 1].result, "/recheck/after_hours",
                     NAN) *
                  3600.0;
    runs_over(in, &c);
    /* raised by a follow-up, not by the check; raised before, not now */
    fresh = pick(in, 1, in->n, 0);
    earlier = pick(in, 0, in->n - 1, in->n - 1);
    if (build(kb, in, &c, &fresh, &earlier) < 0 ||
        escalate(kb, &c, &fresh, &earlier) < 0) {
        triage_course_release(&c);
        return rc_fail(err, RC_EENV, "out of memory");
    }
    *out = c;
    return 0;
}

void triage_course_release(struct triage_course *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nesc; i++)
        json_decref(c->esc[i].source_ids);
    json_decref(c->course);
    memset(c, 0, sizeof(*c));
}

const json_t *triage_course_follow_up(const struct kb *kb)
{
    return kb->follow_up;
}

/* The expected band at day d: low and high in points, from the kb's
 * percentages of the first score, straight between its points and flat
 * after the last. false when the kb has no course for the condition. */
bool triage_course_band(const struct triage_course *c, int score_first,
                        double day, double *lo, double *hi)
{
    const json_t *b = c->kbc ? c->kbc->band : NULL;
    size_t n = json_array_size(b);
    double d0 = 0, l0 = 0, h0 = 0;
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        const json_t *p = json_array_get(b, i);
        double d = json_number_value(json_array_get(p, 0)),
               l = json_number_value(json_array_get(p, 1)),
               h = json_number_value(json_array_get(p, 2));
        if (day <= d || i + 1 == n) {
            double f = i == 0 || day >= d ? 1 : (day - d0) / (d - d0);
            *lo = (l0 + (l - l0) * f) * score_first / 100.0;
            *hi = (h0 + (h - h0) * f) * score_first / 100.0;
            if (i == 0 || day >= d) {
                *lo = l * score_first / 100.0;
                *hi = h * score_first / 100.0;
            }
            *lo = fmin(10, fmax(0, *lo));
            *hi = fmin(10, fmax(0, *hi));
            return true;
        }
        d0 = d;
        l0 = l;
        h0 = h;
    }
    return false;
}

const char *triage_course_text(const struct triage_course *c)
{
    return c->kbc ? c->kbc->text : NULL;
}

double triage_course_usual_days(const struct triage_course *c)
{
    return c->kbc ? c->kbc->usual_days : NAN;
}

const json_t *triage_course_sources(const struct triage_course *c)
{
    return c->kbc ? c->kbc->source_ids : NULL;
}

const char *triage_step_label(const struct kb *kb, const json_t *step,
                              char *out, size_t n)
{
    const char *label = json_string_value(json_object_get(step, "label"));
    const char *suffix = kb_text(kb, "now_suffix");
    size_t len = label ? strlen(label) : 0, sl = strlen(suffix);
    if (sl && len > sl && !strcmp(label + len - sl, suffix))
        len -= sl;
    snprintf(out, n, "%.*s", (int)len, label ? label : "");
    return out;
}

long triage_question_for(const struct kb *kb, const char *field)
{
    const struct kb_q *q = field ? kb_question_of(kb, field) : NULL;
    return q ? (long)(q - kb->questions) : -1;
}
