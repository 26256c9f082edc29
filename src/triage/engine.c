/* engine.c - the generic triage engine: a validated report in, a typed
 * result (struct triage_result) out. It knows no clinical facts; it applies
 * the kb in stages, each in its own file:
 *   1. red flags (engine_flags.c): each form of each flag read literally,
 *      an unanswered `?` safety answer counting as present; a flag that
 *      fires sets its level and can never be lowered; a flag that an
 *      unanswered question could still raise is remembered;
 *   2. conditions (engine_score.c): those whose applies_if holds are scored,
 *      turned into shares (softmax) and ranked; the condition a red flag
 *      points to leads (conditions.md 1.1 rule 1); only conditions with a
 *      reason are shown;
 *   3. the level (here): the highest of every fired flag, the top
 *      condition's own level and the escalations of the conditions in play;
 *   4. the result (engine_result.c): headline, reasons, the unanswered
 *      answers that would change the level, a plan whose every action is
 *      allowed at the level (the level filter of section 4), recheck,
 *      corrections where they touch the top conditions, sources;
 *   5. JSON (result_json.c) for --json, the diary and the web page.
 * Nothing here prints, opens a database or reads the clock. */
#include "base/base.h"
#include "base/alloc.h"
#include "triage/triage_int.h"

void triage_training_init(struct triage_training *t)
{
    memset(t, 0, sizeof(*t));
    t->max_single_run_km = NAN;
    t->run_distance_km = NAN;
    t->run_descent_m_per_km = NAN;
    t->run_temperature_c = NAN;
    t->run_end_s = NAN;
}

int triage_parse_report(const struct kb *kb, const char *text, size_t len,
                        json_t **out, struct jschema_errors *errs,
                        struct rc_err *err)
{
    json_error_t je;
    json_t *rep = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    int n;

    if (!rep)
        return json_error_code(&je) == json_error_out_of_memory
                   ? rc_fail(err, RC_EENV, "out of memory")
                   : rc_fail_line(err, je.line, je.column,
                                  "invalid JSON: %s", je.text);
    n = jschema_validate(kb->report_schema, rep, errs);
    if (n != 0) {
        json_decref(rep);
        if (n < 0)
            return rc_fail(err, RC_EENV, "out of memory");
        return rc_fail(err, RC_EINPUT, "the report has %d problem%s (see above)",
                       n, n == 1 ? "" : "s");
    }
    *out = rep;
    return 0;
}

enum triage_level triage_result_level(const json_t *result)
{
    int lv = triage_level_parse(
        json_string_value(json_object_get(result, "triage")));
    return lv < 0 ? TRIAGE_SELF_CARE : (enum triage_level)lv;
}

bool triage_question_applies(const struct kb *kb, size_t i,
                             const json_t *partial)
{
    struct eval_env env = { kb, partial, NULL, -1, NULL, -1, false };
    if (i >= kb->nquestions)
        return false;
    return !kb->questions[i].ask_if ||
           rule_eval(kb->questions[i].ask_if, &env, EVAL_LITERAL) == TRI_TRUE;
}

bool kb_field_question_applies(const struct kb *kb, const char *field,
                               const json_t *report)
{
    const struct kb_q *q = kb_question_of(kb, field);
    return !q || triage_question_applies(kb, (size_t)(q - kb->questions),
                                         report);
}

const char *triage_band_words(const struct kb *kb, enum triage_band band)
{
    static const char *const ids[] = { "band_less_likely", "band_possible",
                                       "band_likely" };
    return kb_text(kb, ids[(unsigned)band < 3 ? band : 0]);
}

/* ---- the work of one check ---- */

void engine_work_release(struct triage_work *w)
{
    free(w->fired);
    free(w->fired_strict);
    free(w->form);
    free(w->possible);
    free(w->sc);
    json_decref(w->owned);
    memset(w, 0, sizeof(*w));
}

static int work_init(const struct kb *kb, struct triage_work *w,
                     struct rc_err *err)
{
    size_t nf = kb->nflags ? kb->nflags : 1;
    memset(w, 0, sizeof(*w));
    w->kb = kb;
    w->level_flag = -1;
    w->level_cond = -1;
    w->fired = rc_malloc(nf * sizeof(*w->fired));
    w->fired_strict = rc_malloc(nf * sizeof(*w->fired_strict));
    w->form = rc_malloc(nf * sizeof(*w->form));
    w->possible = rc_malloc(nf * sizeof(*w->possible));
    w->sc = rc_malloc((kb->nconds ? kb->nconds : 1) * sizeof(*w->sc));
    if (!w->fired || !w->fired_strict || !w->form || !w->possible || !w->sc)
        return rc_fail(err, RC_EENV, "out of memory");
    w->env.kb = kb;
    w->env.top = -1;
    w->env.level = -1;
    w->env.fired = w->fired;
    w->env.relevance = true; /* unanswered but irrelevant is not unknown */
    return 0;
}

/* The level: the highest of the fired flags, the top condition's own level
 * and the escalations of the conditions still in play (not "less likely",
 * or the top). An escalating condition that sets the level leads, so that
 * the result does not name a milder one first. */
void engine_level(struct triage_work *w)
{
    const struct kb *kb = w->kb;
    int level = TRIAGE_SELF_CARE;

    for (size_t i = 0; i < kb->nflags; i++)
        if (w->fired[i] > level) {
            level = w->fired[i];
            w->level_flag = (int)i;
        }
    if (w->nsc && w->sc[0].level > level) {
        level = w->sc[0].level;
        w->level_flag = -1;
    }
    for (size_t i = 0; i < w->nsc; i++) {
        const struct kb_condition *c = &kb->conds[w->sc[i].cond];
        if (!w->sc[i].shown || (i > 0 && w->sc[i].share < kb->band_possible))
            continue;
        for (size_t k = 0; k < c->nescalations; k++)
            if (c->escalations[k].level > level &&
                rule_eval(c->escalations[k].when, &w->env, EVAL_LITERAL) ==
                    TRI_TRUE) {
                level = c->escalations[k].level;
                w->level_flag = -1;
                w->level_cond = (int)i;
                w->escalation = c->escalations[k].reason;
            }
    }
    if (w->level_cond > 0) {
        struct scored s = w->sc[w->level_cond];
        memmove(&w->sc[1], &w->sc[0], (size_t)w->level_cond * sizeof(s));
        w->sc[0] = s;
        w->level_cond = 0;
    }
    w->level = level;
    w->env.level = level;
    w->env.top = w->nsc ? (int)w->sc[0].cond : -1;
    w->env.top_id = w->nsc ? kb->conds[w->sc[0].cond].id : NULL;
}

int engine_assess(const struct kb *kb, const json_t *report,
                  struct triage_work *w, struct rc_err *err)
{
    if (work_init(kb, w, err) < 0)
        return -1;
    w->report = report;
    w->env.report = report;
    w->hours =
        json_number_value(triage_get_field(report, "/pain/hours_since_run"));
    if (engine_flags(w, err) < 0 || engine_score(w, err) < 0)
        return -1;
    engine_level(w);
    return 0;
}

int triage_run(const struct kb *kb, const json_t *report,
               const struct triage_context *ctx, struct triage_result *res,
               struct rc_err *err)
{
    struct triage_work w;
    json_t *rep = json_deep_copy(report);
    int rc;

    memset(res, 0, sizeof(*res));
    if (!rep)
        return rc_fail(err, RC_EENV, "out of memory");
    if (engine_apply_training(kb, rep, ctx ? ctx->training : NULL) < 0) {
        json_decref(rep);
        return rc_fail(err, RC_EENV, "out of memory");
    }
    rc = engine_assess(kb, rep, &w, err);
    w.owned = rep; /* released with w */
    w.training = ctx ? ctx->training : NULL;
    if (rc == 0)
        rc = engine_result(&w, ctx ? ctx->now_s : 0, res, err);
    engine_work_release(&w);
    return rc;
}

json_t *triage_check_json(const struct kb *kb, const json_t *report,
                          const struct triage_context *ctx,
                          struct rc_err *err)
{
    struct triage_result res;
    json_t *j = NULL;
    if (triage_run(kb, report, ctx, &res, err) == 0)
        j = triage_result_json(kb, &res, err);
    triage_result_release(&res);
    return j;
}

const char *triage_emergency_now(const struct kb *kb, const json_t *partial,
                                 const char **label)
{
    struct triage_work w;
    struct rc_err err = RC_ERR_INIT;
    const char *id = NULL;
    if (work_init(kb, &w, &err) == 0) {
        w.report = partial;
        w.env.report = partial;
        if (engine_flags(&w, &err) == 0)
            for (size_t i = 0; i < kb->nflags && !id; i++)
                if (w.fired_strict[i] == TRIAGE_EMERGENCY) {
                    const struct kb_flag *f = &kb->flags[i];
                    id = f->id;
                    if (label)
                        *label = f->forms[0].label;
                }
    }
    engine_work_release(&w);
    return id;
}
