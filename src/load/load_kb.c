/* load_kb.c - read kb/load_guard.jsonl, the load guard's clinical numbers
 * and wording, into struct load_rules (see load.h), checking every record.
 *
 * Data flow: kb/load_guard.jsonl (embedded in the binary) -> here ->
 * load_report_build and load_context_build, which never hold a threshold of
 * their own. One record per line:
 *
 *   {"kind":"warning","id":"single_run_spike","threshold_pct":10,...,
 *    "text":"Your {km} km run on {date} ...","source_ids":["frandsen2025"]}
 *
 * Every record has kind, id, text (a template whose {placeholders} must be
 * among those its id fills in) and source_ids (conditions.md section 7);
 * the other fields are listed per id in `specs` below, all required. */
#include "base/base.h"
#include "base/embedded.h"
#include "json/jsonl.h"
#include "load/load.h"
#include "load/load_int.h"

enum ftype { F_NUM, F_INT, F_STR };

struct field {
    const char *name;
    enum ftype type;
    size_t off;  /* in struct load_rules */
    size_t size; /* F_STR: the char array's size */
    double min, max;
};

#define NUM(name, member, lo, hi)                                        \
    { name, F_NUM, offsetof(struct load_rules, member), 0, lo, hi }
#define INT(name, member, lo, hi)                                        \
    { name, F_INT, offsetof(struct load_rules, member), 0, lo, hi }
#define STR(name, member)                                                \
    { name, F_STR, offsetof(struct load_rules, member),                  \
      sizeof(((struct load_rules *)0)->member), 0, 0 }

#define SPEC_MAX_FIELDS 8

struct spec {
    const char *kind, *id;
    size_t rule_off; /* its struct load_rule in struct load_rules */
    const char *vars; /* placeholders its wording may use, space-separated */
    bool bands;       /* has "bands" (single_run_spike) */
    struct field fields[SPEC_MAX_FIELDS];
};

#define RULE(member) offsetof(struct load_rules, member)

static const struct spec specs[] = {
    { "warning", "single_run_spike", RULE(spike),
      "date km pct ref_km ref_date ref_days range hr threshold", true,
      { NUM("threshold_pct", spike_threshold_pct, 0, 1000),
        INT("reference_days", spike_reference_days, 7, 365) } },
    { "warning", "weekly_volume_jump", RULE(weekly),
      "date km pct base base_km threshold hr ci_low ci_high", false,
      { NUM("threshold_pct", weekly_threshold_pct, 0, 1000),
        NUM("hazard_ratio", weekly_hr, 0, 100),
        NUM("ci_low", weekly_ci_low, 0, 100),
        NUM("ci_high", weekly_ci_high, 0, 100),
        STR("base_prev", weekly_base_prev),
        STR("base_mean", weekly_base_mean) } },
    { "warning", "return_after_break", RULE(brk),
      "date km pct days ref_km ref_date threshold", false,
      { INT("break_days", break_days, 7, 365),
        NUM("threshold_pct", break_threshold_pct, 1, 100) } },
    { "warning", "acwr_high", RULE(acwr),
      "date ratio threshold acute_km chronic_km", false,
      { NUM("threshold", acwr_threshold, 1, 10) } },
    { "warning", "novice_fast_start", RULE(novice),
      "date km days limit_km", false,
      { NUM("first_week_km", novice_km, 0.1, 1000),
        INT("first_week_days", novice_days, 1, 60) } },
    { "cap", "cap_spike", RULE(cap_spike),
      "cap_km factor ref_km ref_date ref_days", false,
      { NUM("factor", cap_factor, 0.5, 3) } },
    { "cap", "cap_weekly", RULE(cap_weekly),
      "cap_km date threshold base base_km allowed_km run_km", false, { { 0 } } },
    { "cap", "cap_break", RULE(cap_break),
      "cap_km days threshold ref_km ref_date", false, { { 0 } } },
    { "cap", "cap_floor", RULE(cap_floor), "cap_km floor_min walk_run", false,
      { NUM("floor_min", floor_min, 1, 120), NUM("walk_kmh", walk_kmh, 1, 10),
        STR("walk_run", walk_run) } },
    { "caveat", "ten_percent_rule", RULE(ten_percent), "", false, { { 0 } } },
    { "session", "long_run", RULE(long_run), "ratio days", false,
      { NUM("ratio_to_median", long_run_ratio, 1, 10),
        INT("window_days", long_run_window_days, 7, 730),
        INT("min_runs", long_run_min_runs, 1, 100) } },
    { "session", "downhill_or_trail", RULE(hills), "ascent", false,
      { NUM("ascent_m_per_km", hills_m_per_km, 1, 500) } },
};

#define NSPECS RC_ARRAY_SIZE(specs)

/* Does the space-separated list hold the name of length n? */
static bool list_has(const char *list, const char *name, size_t n)
{
    const char *p = list;
    while (*p) {
        size_t k = strcspn(p, " ");
        if (k == n && !strncmp(p, name, n))
            return true;
        p += k;
        while (*p == ' ')
            p++;
    }
    return false;
}

static int check_template(const char *t, const char *vars, long line,
                          struct rc_err *err)
{
    for (const char *p = t; *p; p++) {
        const char *close;
        if (*p == '}')
            return rc_fail_line(err, line, 0,
                                "field \"text\": '}' without '{' at byte %ld",
                                (long)(p - t));
        if (*p != '{')
            continue;
        close = strchr(p + 1, '}');
        if (!close || memchr(p + 1, '{', (size_t)(close - p - 1)))
            return rc_fail_line(err, line, 0,
                                "field \"text\": '{' without '}' at byte %ld",
                                (long)(p - t));
        if (!list_has(vars, p + 1, (size_t)(close - p - 1)))
            return rc_fail_line(err, line, 0,
                                "field \"text\": unknown placeholder {%.*s}"
                                " (this record knows: %s)",
                                (int)(close - p - 1), p + 1,
                                *vars ? vars : "none");
        p = close;
    }
    return 0;
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

static bool spec_has_field(const struct spec *s, const char *key)
{
    if (!strcmp(key, "kind") || !strcmp(key, "id") || !strcmp(key, "text") ||
        !strcmp(key, "source_ids") || (s->bands && !strcmp(key, "bands")))
        return true;
    for (size_t i = 0; i < SPEC_MAX_FIELDS && s->fields[i].name; i++)
        if (!strcmp(key, s->fields[i].name))
            return true;
    return false;
}

static int parse_record(json_t *o, long line, struct load_rules *r,
                        bool seen[NSPECS], struct rc_err *err)
{
    const char *kind, *id, *key;
    const struct spec *s = NULL;
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
        if (!strcmp(specs[k].id, id))
            break;
    if (k == NSPECS)
        return rc_fail_line(err, line, 0, "unknown id \"%s\"", id);
    s = &specs[k];
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
    if (get_string(o, "text", rule->text, sizeof(rule->text), line, err) < 0 ||
        check_template(rule->text, s->vars, line, err) < 0 ||
        get_sources(o, &rule->src, line, err) < 0)
        return -1;
    for (size_t i = 0; i < SPEC_MAX_FIELDS && s->fields[i].name; i++) {
        const struct field *f = &s->fields[i];
        char *dst = (char *)r + f->off;
        double x;
        if (f->type == F_STR) {
            if (get_string(o, f->name, dst, f->size, line, err) < 0)
                return -1;
            continue;
        }
        if (get_number(o, f->name, f->type == F_INT, f->min, f->max, &x, line,
                       err) < 0)
            return -1;
        if (f->type == F_INT)
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
                           specs[k].id);
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

int load_rules_parse(const char *text, size_t n, const char *name,
                     struct load_rules *out, struct rc_err *err)
{
    struct load_rules *r = load_calloc(1, sizeof(*r));
    bool seen[NSPECS] = { false };
    struct parse_ctx c = { r, seen };

    if (!r)
        return rc_fail(err, RC_EENV, "out of memory reading %s", name);
    if (jsonl_each(name, text, n, JSONL_JANSSON, parse_one, &c, err) < 0 ||
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
    return load_rules_parse((const char *)e->data, e->size, LOAD_KB_PATH, out,
                            err);
}

char *load_expand(const char *tmpl, const char *const *names,
                  const char *const *values, size_t nvars, char *out,
                  size_t n)
{
    size_t used = 0;

#define PUT(p, len)                                                     \
    do {                                                                \
        size_t l_ = (len);                                              \
        if (l_ > n - 1 - used)                                          \
            l_ = n - 1 - used;                                          \
        memcpy(out + used, (p), l_);                                    \
        used += l_;                                                     \
    } while (0)

    if (!n)
        return out;
    for (const char *p = tmpl; *p && used < n - 1;) {
        const char *close = *p == '{' ? strchr(p + 1, '}') : NULL;
        size_t i = nvars;
        if (close) {
            size_t len = (size_t)(close - p - 1);
            for (i = 0; i < nvars; i++)
                if (strlen(names[i]) == len && !strncmp(names[i], p + 1, len))
                    break;
        }
        if (i < nvars) {
            PUT(values[i], strlen(values[i]));
            p = close + 1;
        } else {
            PUT(p, 1);
            p++;
        }
    }
#undef PUT
    out[used] = '\0';
    return out;
}
