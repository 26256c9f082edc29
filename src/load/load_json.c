/* load_json.c - the load report and its warnings as JSON values
 * (Jansson), for `runcare load --json`, the web page and the leg-pain
 * check's load_warnings. Builds values only: the caller prints them. */
#include "base/base.h"
#include "base/time.h"
#include "load/load.h"

/* v rounded to decimals places, or null when it is not a number. */
static json_t *num(double v, int decimals)
{
    double scale = pow(10, decimals);
    if (!isfinite(v))
        return json_null();
    return json_real(round(v * scale) / scale);
}

static json_t *date(long day)
{
    char b[16];
    if (day == LONG_MIN)
        return json_null();
    return json_string(rc_date_format(day, b));
}

static json_t *sources(const struct load_sources *src)
{
    json_t *a = json_array();
    for (size_t i = 0; i < src->n; i++)
        json_array_append_new(a, json_string(src->ids[i]));
    return a;
}

json_t *load_warnings_json(const struct load_warning *w, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(load_warning_name(w[i].id)));
        json_object_set_new(o, "run_date", date(w[i].day));
        json_object_set_new(o, "value_pct", num(w[i].value_pct, 1));
        json_object_set_new(o, "threshold_pct", num(w[i].threshold_pct, 1));
        json_object_set_new(o, "text", json_string(w[i].text));
        json_object_set_new(o, "source_ids", sources(&w[i].src));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *week_json(const struct load_week *w)
{
    json_t *o = json_object();
    json_object_set_new(o, "week_start", date(w->start_day));
    json_object_set_new(o, "km", num(w->km, 2));
    json_object_set_new(o, "time_s", num(w->time_s, 0));
    json_object_set_new(o, "runs", json_integer(w->runs));
    json_object_set_new(o, "longest_km", num(w->longest_km, 2));
    json_object_set_new(o, "srpe", num(w->srpe, 0));
    json_object_set_new(o, "trimp", num(w->trimp, 0));
    json_object_set_new(o, "change_pct", num(w->change_pct, 1));
    json_object_set_new(o, "jump", json_boolean(w->jump));
    json_object_set_new(o, "partial", json_boolean(w->partial));
    return o;
}

static json_t *shoe_json(const struct load_shoe_status *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(s->shoe.id));
    json_object_set_new(o, "name", json_string(s->shoe.name));
    json_object_set_new(o, "km", num(s->shoe.used_km, 1));
    json_object_set_new(o, "limit_km", s->shoe.limit_km > 0
                                           ? num(s->shoe.limit_km, 1)
                                           : json_null());
    json_object_set_new(o, "past_limit", json_boolean(s->past_limit));
    return o;
}

json_t *load_report_json(const struct load_report *r)
{
    json_t *o = json_object(), *weeks = json_array(), *shoes = json_array();
    bool cap = r->cap.rule != LOAD_CAP_NONE;

    json_object_set_new(o, "as_of", date(r->as_of_day));
    json_object_set_new(o, "next_run_cap_km", num(r->cap.km, 1));
    json_object_set_new(o, "next_run_cap_reason",
                        cap ? json_string(r->cap.reason) : json_null());
    json_object_set_new(
        o, "next_7_days",
        cap ? json_pack("{s:o,s:o,s:o,s:o,s:o,s:s}", "from",
                        date(r->cap.week_from), "to", date(r->cap.week_to),
                        "today_km", num(r->cap.km, 1), "longest_run_km",
                        num(r->cap.longest_km, 1), "week_km",
                        num(r->cap.week_km, 1), "text", r->cap.week_text)
            : json_null());
    json_object_set_new(o, "longest_run_30d_km",
                        num(r->longest_run_30d_km, 2));
    json_object_set_new(o, "last7_km", num(r->last7_km, 2));
    json_object_set_new(o, "prev7_km", num(r->prev7_km, 2));
    json_object_set_new(o, "weekly_change_pct", num(r->weekly_change_pct, 1));
    json_object_set_new(o, "acwr_uncoupled", num(r->acwr_uncoupled, 2));
    json_object_set_new(o, "acwr_coupled", num(r->acwr_coupled, 2));
    json_object_set_new(o, "fitness", num(r->fitness_km, 2));
    json_object_set_new(o, "fatigue", num(r->fatigue_km, 2));
    json_object_set_new(o, "form", num(r->form_km, 2));
    json_object_set_new(o, "monotony", num(r->monotony, 2));
    json_object_set_new(o, "strain", num(r->strain, 1));
    for (size_t i = 0; i < r->nweeks; i++)
        json_array_append_new(weeks, week_json(&r->weeks[i]));
    json_object_set_new(o, "weeks", weeks);
    json_object_set_new(o, "warnings",
                        load_warnings_json(r->warnings, r->nwarnings));
    for (size_t i = 0; i < r->nshoes; i++)
        json_array_append_new(shoes, shoe_json(&r->shoes[i]));
    json_object_set_new(o, "shoes", shoes);
    return o;
}

const char *load_session_name(unsigned bit)
{
    switch (bit) {
    case LOAD_SESSION_LONG_RUN:
        return "long_run";
    case LOAD_SESSION_HILLS:
        return "downhill_or_trail";
    case LOAD_SESSION_RACE:
        return "race";
    case LOAD_SESSION_MARATHON:
        return "marathon_or_longer";
    }
    return NULL;
}

json_t *load_recent_warnings_json(const struct load_report *r,
                                  const struct load_rules *rules)
{
    long from = r->as_of_day - rules->spike_reference_days + 1;
    size_t first = 0;
    for (size_t i = 0; i < r->nwarnings; i++)
        if (r->warnings[i].day < from)
            first = i + 1;
    if (r->nwarnings - first > LOAD_CONTEXT_MAX_WARNINGS)
        first = r->nwarnings - LOAD_CONTEXT_MAX_WARNINGS; /* the latest */
    return load_warnings_json(r->warnings + first, r->nwarnings - first);
}
