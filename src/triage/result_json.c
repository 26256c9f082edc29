/* result_json.c - stage 5 of a check: struct triage_result as the result
 * JSON of result.schema.json, for --json, the diary and the web page.
 * Every allocation is checked: a builder remembers the first failure and
 * the whole value is dropped (NULL, "out of memory"), never half made. */
#include "base/base.h"
#include "base/time.h"
#include "triage/triage_int.h"

struct jb {
    bool oom;
};

static json_t *jb_new(struct jb *b, json_t *v)
{
    if (!v)
        b->oom = true;
    return v;
}

/* o[key] = v; steals v (also when o is NULL or the set fails). */
static void jb_set(struct jb *b, json_t *o, const char *key, json_t *v)
{
    if (!v || !o) {
        b->oom = true;
        json_decref(v);
        return;
    }
    if (json_object_set_new(o, key, v) < 0)
        b->oom = true;
}

static void jb_push(struct jb *b, json_t *a, json_t *v)
{
    if (!v || !a) {
        b->oom = true;
        json_decref(v);
        return;
    }
    if (json_array_append_new(a, v) < 0)
        b->oom = true;
}

static json_t *jb_str(struct jb *b, const char *s)
{
    return jb_new(b, json_string(s ? s : ""));
}

static json_t *jb_copy(struct jb *b, const json_t *v)
{
    return jb_new(b, v ? json_deep_copy(v) : json_array());
}

static json_t *strings(struct jb *b, const char *const *v, size_t n)
{
    json_t *a = jb_new(b, json_array());
    for (size_t i = 0; i < n; i++)
        jb_push(b, a, jb_str(b, v[i]));
    return a;
}

static json_t *flags_json(struct jb *b, const struct triage_result *r)
{
    json_t *a = jb_new(b, json_array());
    for (size_t i = 0; i < r->nflags; i++) {
        const struct triage_flag_hit *h = &r->flags[i];
        json_t *o = jb_new(b, json_object());
        jb_set(b, o, "id", jb_str(b, h->id));
        jb_set(b, o, "label", jb_str(b, h->label));
        jb_set(b, o, "triage", jb_str(b, triage_level_name(h->level)));
        jb_set(b, o, "because", strings(b, h->because, h->nbecause));
        jb_set(b, o, "source_ids", jb_copy(b, h->source_ids));
        jb_push(b, a, o);
    }
    return a;
}

static const char *const band_ids[] = { "less_likely", "possible", "likely" };

static json_t *conds_json(struct jb *b, const struct triage_result *r)
{
    json_t *a = jb_new(b, json_array());
    for (size_t i = 0; i < r->nconds; i++) {
        const struct triage_cond_hit *h = &r->conds[i];
        json_t *o = jb_new(b, json_object());
        jb_set(b, o, "id", jb_str(b, h->id));
        jb_set(b, o, "name", jb_str(b, h->name));
        jb_set(b, o, "rank", jb_new(b, json_integer((json_int_t)i + 1)));
        jb_set(b, o, "score", jb_new(b, json_real(h->score)));
        jb_set(b, o, "band", jb_str(b, band_ids[h->band]));
        jb_set(b, o, "triage", jb_str(b, triage_level_name(h->level)));
        jb_set(b, o, "reasons_for", strings(b, h->reasons_for, h->nfor));
        jb_set(b, o, "reasons_against",
               strings(b, h->reasons_against, h->nagainst));
        jb_set(b, o, "source_ids", jb_copy(b, h->source_ids));
        jb_push(b, a, o);
    }
    return a;
}

static json_t *hours(struct jb *b, double h)
{
    return jb_new(b, isnan(h) ? json_null() : json_real(h));
}

static json_t *plan_json(struct jb *b, const struct triage_result *r)
{
    json_t *plan = jb_new(b, json_object()), *steps = jb_new(b, json_array());
    for (size_t i = 0; i < r->nsteps; i++) {
        const struct triage_step *s = &r->steps[i];
        json_t *o = jb_new(b, json_object()), *acts = jb_new(b, json_array());
        for (size_t k = 0; k < s->nactions; k++) {
            const struct triage_action *t = &s->actions[k];
            json_t *a = jb_new(b, json_object());
            jb_set(b, a, "kind", jb_str(b, t->kind));
            jb_set(b, a, "text", jb_str(b, t->text));
            if (t->why)
                jb_set(b, a, "why", jb_str(b, t->why));
            jb_set(b, a, "source_ids", jb_copy(b, t->source_ids));
            jb_push(b, acts, a);
        }
        jb_set(b, o, "from_hours", hours(b, s->from_h));
        jb_set(b, o, "to_hours", hours(b, s->to_h));
        jb_set(b, o, "label", jb_str(b, s->label));
        jb_set(b, o, "actions", acts);
        jb_push(b, steps, o);
    }
    jb_set(b, plan, "summary", jb_str(b, r->summary));
    jb_set(b, plan, "steps", steps);
    if (r->has_return) {
        json_t *o = jb_new(b, json_object());
        jb_set(b, o, "not_before_days", hours(b, r->return_not_before_days));
        if (r->return_first_session)
            jb_set(b, o, "first_session", jb_str(b, r->return_first_session));
        jb_set(b, o, "max_single_run_km", hours(b, r->return_max_km));
        if (r->return_rule)
            jb_set(b, o, "progression_rule", jb_str(b, r->return_rule));
        jb_set(b, o, "source_ids", jb_copy(b, r->return_source_ids));
        jb_set(b, plan, "return_to_running", o);
    }
    return plan;
}

static json_t *corrections_json(struct jb *b, const struct triage_result *r)
{
    static const char *const keys[] = { "id", "common_advice", "correction",
                                        "source_ids" };
    json_t *a = jb_new(b, json_array());
    for (size_t i = 0; i < r->ncorrections; i++) {
        json_t *o = jb_new(b, json_object());
        for (size_t k = 0; k < RC_ARRAY_SIZE(keys); k++)
            jb_set(b, o, keys[k],
                   jb_copy(b, json_object_get(r->corrections[i], keys[k])));
        jb_push(b, a, o);
    }
    return a;
}

static json_t *sources_json(struct jb *b, const struct kb *kb,
                            const struct triage_result *r)
{
    static const char *const keys[] = { "id", "title", "url", "kind" };
    json_t *a = jb_new(b, json_array());
    size_t i;
    json_t *e;
    json_array_foreach(r->source_ids, i, e) {
        const json_t *s = kb_source(kb, json_string_value(e));
        json_t *o = jb_new(b, json_object());
        for (size_t k = 0; s && k < RC_ARRAY_SIZE(keys); k++)
            jb_set(b, o, keys[k], jb_copy(b, json_object_get(s, keys[k])));
        jb_push(b, a, o);
    }
    return a;
}

json_t *triage_result_json(const struct kb *kb,
                           const struct triage_result *r, struct rc_err *err)
{
    struct jb b = { false };
    json_t *res = jb_new(&b, json_object()), *recheck, *eng;
    char when[32];

    jb_set(&b, res, "schema_version", jb_str(&b, "1.0"));
    if (r->report_id)
        jb_set(&b, res, "report_id", jb_str(&b, r->report_id));
    jb_set(&b, res, "triage", jb_str(&b, triage_level_name(r->level)));
    jb_set(&b, res, "semigran_level", jb_str(&b, r->semigran));
    jb_set(&b, res, "headline", jb_str(&b, r->headline));
    jb_set(&b, res, "triage_reason", jb_str(&b, r->reason));
    jb_set(&b, res, "red_flags", flags_json(&b, r));
    jb_set(&b, res, "conditions", conds_json(&b, r));
    jb_set(&b, res, "plan", plan_json(&b, r));
    recheck = jb_new(&b, json_object());
    jb_set(&b, recheck, "after_hours", jb_new(&b, json_real(r->recheck_h)));
    jb_set(&b, recheck, "escalate_if",
           strings(&b, r->escalate_if, r->nescalate_if));
    if (r->expected_course)
        jb_set(&b, recheck, "expected_course",
               jb_str(&b, r->expected_course));
    jb_set(&b, res, "recheck", recheck);
    jb_set(&b, res, "load_warnings", jb_copy(&b, r->load_warnings));
    jb_set(&b, res, "corrections", corrections_json(&b, r));
    jb_set(&b, res, "advice_sources", sources_json(&b, kb, r));
    jb_set(&b, res, "disclaimer", jb_str(&b, r->disclaimer));
    eng = jb_new(&b, json_object());
    jb_set(&b, eng, "kb_version", jb_str(&b, r->kb_version));
    jb_set(&b, eng, "generated_at",
           jb_str(&b, rc_time_format(r->generated_at, when)));
    jb_set(&b, res, "engine", eng);
    if (b.oom) {
        json_decref(res);
        rc_fail(err, RC_EENV, "out of memory");
        return NULL;
    }
    return res;
}
