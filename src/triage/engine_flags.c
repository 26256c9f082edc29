/* engine_flags.c - stage 1 of a check: the red flags (conditions.md
 * section 2). Each flag's forms are tried highest level first and the first
 * that holds fires; flags are evaluated in file order, so a flag may read
 * the flags above it. Three readings per flag:
 *   fired        literally: an unanswered `?` safety answer counts as
 *                possibly present (section 1), so the flag fires;
 *   fired_strict the same on real answers only: a flag that fired only
 *                through an unanswered answer says so ("not yet checked");
 *   possible     three-valued: a higher form than the one that fired is
 *                still unknown, so an unanswered question could raise it. */
#include "base/base.h"
#include "triage/triage_int.h"

static void fire(const struct kb *kb, struct eval_env *env, signed char *out,
                 int *form, enum eval_mode mode)
{
    env->fired = out;
    for (size_t i = 0; i < kb->nflags; i++) {
        const struct kb_flag *f = &kb->flags[i];
        out[i] = -1;
        if (form)
            form[i] = -1;
        for (size_t m = 0; m < f->nforms; m++)
            if (rule_eval(f->forms[m].when, env, mode) == TRI_TRUE) {
                out[i] = (signed char)f->forms[m].level;
                if (form)
                    form[i] = (int)m;
                break;
            }
    }
}

int engine_flags(struct triage_work *w, struct rc_err *err)
{
    const struct kb *kb = w->kb;
    (void)err;
    fire(kb, &w->env, w->fired_strict, NULL, EVAL_STRICT);
    fire(kb, &w->env, w->fired, w->form, EVAL_LITERAL);
    /* env->fired stays the literal reading: what the later stages see */
    for (size_t i = 0; i < kb->nflags; i++) {
        const struct kb_flag *f = &kb->flags[i];
        w->possible[i] = false;
        for (size_t m = 0; m < f->nforms && f->forms[m].level > w->fired[i];
             m++)
            if (rule_eval(f->forms[m].when, &w->env, EVAL_THREE) ==
                TRI_UNKNOWN)
                w->possible[i] = true;
    }
    return 0;
}
