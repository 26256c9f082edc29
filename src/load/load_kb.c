/* load_kb.c - read kb/load_guard.jsonl, the load guard's clinical numbers
 * and wording, into struct load_rules (see load.h), checking every record.
 *
 * Data flow: kb/load_guard.jsonl (embedded in the binary) -> here ->
 * load_report_build, which never holds a threshold of its own. One record per line:
 *
 *   {"kind":"warning","id":"single_run_spike","threshold_pct":10,...,
 *    "text":"Your {km} km run on {date} ...","source_ids":["frandsen2025"]}
 *
 * Every record has kind, id, text (a template whose {placeholders} must be
 * among those its id fills in; load_text.c fills them) and source_ids
 * (conditions.md section 7; a context sentence, which only states the
 * runner's own numbers, has none); a warning also its figure and chart. The
 * other fields are listed per id, all required: in `specs` below, and for
 * the warnings in load_warn.c, next to the function that evaluates each. */
#include "base/base.h"
#include "base/embedded.h"
#include "json/jsonl.h"
#include "load/load.h"
#include "load/load_int.h"

/* The records that are not warnings (the warnings' own are in
 * load_warn.c, next to their evaluators). */
static const struct load_spec specs[] = {
    { "cap", "cap_spike", LOAD_RULE(cap_spike),
      "cap_km factor ref_km ref_days", "ref_date", false,
      { LOAD_NUM("factor", cap_factor, 0.5, 3) }, NULL },
    { "cap", "cap_weekly", LOAD_RULE(cap_weekly),
      "cap_km threshold base_km allowed_km run_km", "date base", false,
      { { 0 } }, NULL },
    { "cap", "cap_break", LOAD_RULE(cap_break),
      "cap_km days threshold ref_km", "ref_date", false, { { 0 } }, NULL },
    { "cap", "cap_week", LOAD_RULE(cap_week),
      "longest_km week_km threshold base_km last_km held_km",
      "from_date to_date base", false,
      { LOAD_TEMPLATE("no_base", cap_week_no_base),
        LOAD_TEMPLATE("after_jump", cap_week_after_jump),
        LOAD_TEMPLATE("after_spike", cap_week_after_spike) }, NULL },
    { "cap", "cap_floor", LOAD_RULE(cap_floor), "cap_km floor_min",
      "walk_run", false,
      { LOAD_NUM("floor_min", floor_min, 1, 120),
        LOAD_NUM("walk_kmh", walk_kmh, 1, 10),
        LOAD_STR("walk_run", walk_run) }, NULL },
    { "caveat", "ten_percent_rule", LOAD_RULE(ten_percent), "", "", false,
      { { 0 } }, NULL },
    { "session", "long_run", LOAD_RULE(long_run), "ratio days", "", false,
      { LOAD_NUM("ratio_to_median", long_run_ratio, 1, 10),
        LOAD_INT("window_days", long_run_window_days, 7, 730),
        LOAD_INT("min_runs", long_run_min_runs, 1, 100) }, NULL },
    { "session", "downhill_or_trail", LOAD_RULE(hills), "ascent", "", false,
      { LOAD_NUM("ascent_m_per_km", hills_m_per_km, 1, 500) }, NULL },
    /* the sentences of what a check takes from the log (load_fact): the
     * runner's own numbers, so no source_ids */
    { "context", "weekly_km", LOAD_RULE(why[LOAD_FACT_WEEKLY_KM]), "km",
      "date", false, { { 0 } }, NULL },
    { "context", "weekly_volume_change_pct",
      LOAD_RULE(why[LOAD_FACT_WEEKLY_CHANGE]), "km pct prev_km", "date",
      false, { { 0 } }, NULL },
    { "context", "longest_run_spike_pct", LOAD_RULE(why[LOAD_FACT_SPIKE]),
      "km pct ref_days ref_km", "date ref_date", false, { { 0 } }, NULL },
    { "context", "break_weeks", LOAD_RULE(why[LOAD_FACT_BREAK_WEEKS]), "days",
      "date prev_date", false, { { 0 } }, NULL },
};

/* Every record, in the order of the file: the warnings, then the rest. */
#define NSPECS (LOAD_W_COUNT + RC_ARRAY_SIZE(specs))

static const struct load_spec *spec_at(size_t k)
{
    return k < LOAD_W_COUNT ? &load_warning_specs[k]
                            : &specs[k - LOAD_W_COUNT];
}

static bool is_warning(const struct load_spec *s)
{
    return s->eval != NULL;
}

/* A context sentence states the runner's own numbers: it may cite no
 * source. Every other record must. */
static bool has_sources(const struct load_spec *s, json_t *o)
{
    return strcmp(s->kind, "context") || json_object_get(o, "source_ids");
}

static int get_string(json_t *o, const char *key, char *out, size_t size,
                      long line, struct rc_err *err)
{
    json_t *v = json_object_get(o, key);
    size_t len;
    if (!v)
        return rc_fail_line(err, line, 0, "missing field \"%s\"", key);
    if (!json_is_string(v))
        return rc_fail_line(err, line, 0, "field \"%s\": not a string", key);
    len = json_string_length(v);
    if (len == 0)
        return rc_fail_line(err, line, 0, "field \"%s\": empty", key);
    if (len >= size)
        return rc_fail_line(err, line, 0,
                            "field \"%s\": %zu bytes, longer than %zu", key,
                            len, size - 1);
    memcpy(out, json_string_value(v), len + 1);
    return 0;
}

/* A string field that is a template of record s: well formed, with only
 * the placeholders s knows. */
static int get_template(json_t *o, const char *key, char *out, size_t size,
                        const struct load_spec *s, long line,
                        struct rc_err *err)
{
    if (get_string(o, key, out, size, line, err) < 0)
        return -1;
    return load_check_template(out, key, s->vars, s->words, line, err);
}

static int get_number(json_t *o, const char *key, bool integer, double min,
                      double max, double *out, long line, struct rc_err *err)
{
    json_t *v = json_object_get(o, key);
    double x;
    if (!v)
        return rc_fail_line(err, line, 0, "missing field \"%s\"", key);
    if (!json_is_number(v))
        return rc_fail_line(err, line, 0, "field \"%s\": not a number", key);
    x = json_number_value(v);
    if (integer && x != floor(x))
        return rc_fail_line(err, line, 0,
                            "field \"%s\": %g is not a whole number", key, x);
    if (!(x >= min && x <= max))
        return rc_fail_line(err, line, 0, "field \"%s\": %g is outside %g-%g",
                            key, x, min, max);
    *out = x;
    return 0;
}

static int get_sources(json_t *o, struct load_sources *src, long line,
                       struct rc_err *err)
{
    json_t *a = json_object_get(o, "source_ids"), *v;
    size_t i;
    if (!a)
        return rc_fail_line(err, line, 0, "missing field \"source_ids\"");
    if (!json_is_array(a) || json_array_size(a) == 0 ||
        json_array_size(a) > LOAD_MAX_SOURCES)
        return rc_fail_line(err, line, 0,
                            "field \"source_ids\": not an array of 1-%d ids",
                            LOAD_MAX_SOURCES);
    src->n = 0;
    json_array_foreach(a, i, v) {
        const char *s = json_string_value(v);
        size_t len = s ? strlen(s) : 0;
        if (!s || len == 0 || len >= sizeof(src->ids[0]) ||
            strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
            return rc_fail_line(err, line, 0,
                                "field \"source_ids\": item %zu is not a "
                                "source id (a-z, 0-9, _; under 32 bytes)",
                                i);
        memcpy(src->ids[src->n++], s, len + 1);
    }
    return 0;
}

static int get_bands(json_t *o, struct load_rules *r, long line,
                     struct rc_err *err)
{
    json_t *a = json_object_get(o, "bands"), *b;
    size_t i;
    if (!a)
        return rc_fail_line(err, line, 0, "missing field \"bands\"");
    if (!json_is_array(a) || json_array_size(a) == 0 ||
        json_array_size(a) > LOAD_MAX_BANDS)
        return rc_fail_line(err, line, 0,
                            "field \"bands\": not an array of 1-%d bands",
                            LOAD_MAX_BANDS);
    json_array_foreach(a, i, b) {
        struct load_spike_band *band = &r->bands[i];
        struct rc_err item = RC_ERR_INIT;
        const char *key;
        json_t *v;
        if (!json_is_object(b))
            return rc_fail_line(err, line, 0,
                                "field \"bands\": item %zu is not an object",
                                i);
        json_object_foreach(b, key, v) {
            (void)v;
            if (strcmp(key, "above_pct") && strcmp(key, "hazard_ratio") &&
                strcmp(key, "range"))
                return rc_fail_line(err, line, 0,
                                    "field \"bands\": item %zu: unknown "
                                    "field \"%s\"",
                                    i, key);
        }
        if (get_number(b, "above_pct", false, 0, 10000, &band->above_pct,
                       line, &item) < 0 ||
            get_number(b, "hazard_ratio", false, 0, 100,
                       &band->hazard_ratio, line, &item) < 0 ||
            get_string(b, "range", band->range, sizeof(band->range), line,
                       &item) < 0)
            return rc_fail_line(err, line, 0, "field \"bands\": item %zu: %s",
                                i, item.msg);
        if (i > 0 && band->above_pct <= r->bands[i - 1].above_pct)
            return rc_fail_line(err, line, 0,
                                "field \"bands\": item %zu: above_pct %g is "
                                "not above the band before (%g)",
                                i, band->above_pct, r->bands[i - 1].above_pct);
    }
    r->nbands = json_array_size(a);
    return 0;
}

static bool spec_has_field(const struct load_spec *s, const char *key)
{
    if (!strcmp(key, "kind") || !strcmp(key, "id") || !strcmp(key, "text") ||
        !strcmp(key, "source_ids") || (s->bands && !strcmp(key, "bands")) ||
        (is_warning(s) && (!strcmp(key, "figure") || !strcmp(key, "chart"))))
        return true;
    for (size_t i = 0; i < LOAD_SPEC_MAX_FIELDS && s->fields[i].name; i++)
        if (!strcmp(key, s->fields[i].name))
            return true;
    return false;
}

static int parse_record(json_t *o, long line, struct load_rules *r,
                        bool seen[NSPECS], struct rc_err *err)
{
    const char *kind, *id, *key;
    const struct load_spec *s = NULL;
    struct load_rule *rule;
    json_t *v;
    size_t k;

    kind = json_string_value(json_object_get(o, "kind"));
    id = json_string_value(json_object_get(o, "id"));
    if (!kind)
        return rc_fail_line(err, line, 0, "missing field \"kind\"");
    if (!id)
        return rc_fail_line(err, line, 0, "missing field \"id\"");
    for (k = 0; k < NSPECS; k++)
        if (!strcmp(spec_at(k)->id, id))
            break;
    if (k == NSPECS)
        return rc_fail_line(err, line, 0, "unknown id \"%s\"", id);
    s = spec_at(k);
    if (strcmp(s->kind, kind))
        return rc_fail_line(err, line, 0,
                            "id \"%s\" is of kind \"%s\", not \"%s\"", id,
                            s->kind, kind);
    if (seen[k])
        return rc_fail_line(err, line, 0, "id \"%s\" given twice", id);
    json_object_foreach(o, key, v) {
        (void)v;
        if (!spec_has_field(s, key))
            return rc_fail_line(err, line, 0,
                                "unknown field \"%s\" for id \"%s\"", key, id);
    }
    rule = (struct load_rule *)((char *)r + s->rule_off);
    if (get_template(o, "text", rule->text, sizeof(rule->text), s, line,
                     err) < 0 ||
        (is_warning(s) &&
         (get_template(o, "figure", rule->figure, sizeof(rule->figure), s,
                       line, err) < 0 ||
          get_template(o, "chart", rule->chart, sizeof(rule->chart), s, line,
                       err) < 0)) ||
        (has_sources(s, o) && get_sources(o, &rule->src, line, err) < 0))
        return -1;
    for (size_t i = 0; i < LOAD_SPEC_MAX_FIELDS && s->fields[i].name; i++) {
        const struct load_field *f = &s->fields[i];
        char *dst = (char *)r + f->off;
        double x;
        if (f->type == LOAD_F_STR || f->type == LOAD_F_TEMPLATE) {
            if (f->type == LOAD_F_STR
                    ? get_string(o, f->name, dst, f->size, line, err) < 0
                    : get_template(o, f->name, dst, f->size, s, line,
                                   err) < 0)
                return -1;
            continue;
        }
        if (get_number(o, f->name, f->type == LOAD_F_INT, f->min, f->max, &x,
                       line, err) < 0)
            return -1;
        if (f->type == LOAD_F_INT)
            *(int *)(void *)dst = (int)x;
        else
            *(double *)(void *)dst = x;
    }
    if (s->bands && get_bands(o, r, line, err) < 0)
        return -1;
    seen[k] = true;
    return 0;
}

/* Checks across records, once all are read (no line to name). */
static int check_whole(const struct load_rules *r, const bool seen[NSPECS],
                       struct rc_err *err)
{
    for (size_t k = 0; k < NSPECS; k++)
        if (!seen[k])
            return rc_fail(err, RC_EINPUT, "no record for id \"%s\"",
                           spec_at(k)->id);
    if (r->bands[0].above_pct != r->spike_threshold_pct)
        return rc_fail(err, RC_EINPUT,
                       "single_run_spike: the first band starts at %g%%, not "
                       "at the threshold %g%%",
                       r->bands[0].above_pct, r->spike_threshold_pct);
    if (r->cap_factor > 1.0 + r->spike_threshold_pct / 100.0 + 1e-9)
        return rc_fail(err, RC_EINPUT,
                       "cap_spike: factor %g allows a single_run_spike "
                       "(threshold %g%%)",
                       r->cap_factor, r->spike_threshold_pct);
    if (r->weekly_ci_low > r->weekly_ci_high)
        return rc_fail(err, RC_EINPUT,
                       "weekly_volume_jump: ci_low %g is above ci_high %g",
                       r->weekly_ci_low, r->weekly_ci_high);
    return 0;
}

struct parse_ctx {
    struct load_rules *r;
    bool *seen;
};

static int parse_one(void *ctx, json_t *o, long line, struct rc_err *err)
{
    struct parse_ctx *c = ctx;
    int rc = parse_record(o, line, c->r, c->seen, err);
    json_decref(o);
    return rc;
}

static int rules_parse(const char *text, size_t n, const char *name,
                       enum jsonl_parser parser, struct load_rules *out,
                       struct rc_err *err)
{
    struct load_rules *r = load_calloc(1, sizeof(*r));
    bool seen[NSPECS] = { false };
    struct parse_ctx c = { r, seen };

    if (!r)
        return rc_fail(err, RC_EENV, "out of memory reading %s", name);
    if (jsonl_each(name, text, n, parser, parse_one, &c, err) < 0 ||
        check_whole(r, seen, err) < 0)
        goto fail;
    *out = *r;
    free(r);
    return 0;
fail:
    rc_err_file(err, name);
    free(r);
    return -1;
}

int load_rules_parse(const char *text, size_t n, const char *name,
                     struct load_rules *out, struct rc_err *err)
{
    return rules_parse(text, n, name, JSONL_JANSSON, out, err);
}

int load_rules_lookback_days(const struct load_rules *r)
{
    int days = 28; /* the ACWR: the 7 days and the 21 before them */
    if (r->spike_reference_days > days)
        days = r->spike_reference_days;
    if (r->long_run_window_days > days)
        days = r->long_run_window_days;
    if (r->novice_days > days)
        days = r->novice_days;
    return days;
}

int load_rules_default(struct load_rules *out, struct rc_err *err)
{
    const struct rc_embedded *e = rc_embedded_find(LOAD_KB_PATH);
    if (!e)
        return rc_fail(err, RC_EENV, "%s is not built into this runcare",
                       LOAD_KB_PATH);
    /* bytes fixed at build time: the fast parser, as for the triage kb
     * (jparse builds the same values; test_load_kb compares the two) */
    return rules_parse((const char *)e->data, e->size, LOAD_KB_PATH,
                       JSONL_JPARSE, out, err);
}
