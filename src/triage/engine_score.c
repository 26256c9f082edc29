/* engine_score.c - stage 2 of a check: the likely conditions.
 *
 * Each condition whose applies_if holds is scored: its prior plus the
 * weights of its features that hold (a factor f on the share is a weight
 * of T*ln(f)). Scores become shares that sum to 1 (softmax with the kb's
 * temperature T) and are ranked, a tie going to the more serious
 * condition (section 1 takes the top-ranked condition's level, and a tie
 * must not fall to the milder one by file order), then kb order. A
 * condition's own level is its first grade that holds, else its default.
 *
 * Then the coherence rules of conditions.md 1.1: when the red flags that
 * set the level point to a condition, the best-scoring of those it may
 * lead (rule 1), and the flag's "second" follows it; a condition is shown
 * only with a reason for it and a share of at least hide_below, unless a
 * flag leads with it (rule 3). Shares are ranking weights, never
 * probabilities (rule 6). */
#include "base/base.h"
#include "triage/triage_int.h"

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->level != y->level)
        return x->level < y->level ? 1 : -1;
    return x->cond < y->cond ? -1 : (x->cond > y->cond);
}

static void score_one(struct triage_work *w, size_t i, struct scored *out)
{
    const struct kb_condition *c = &w->kb->conds[i];
    bool reason = false;
    out->cond = i;
    out->score = c->prior;
    out->level = c->level;
    out->grade_reason = NULL;
    out->pointed = out->pointed_real = out->shown = false;
    for (size_t k = 0; k < c->nfeatures; k++)
        if (rule_eval(c->features[k].when, &w->env, EVAL_LITERAL) ==
            TRI_TRUE) {
            out->score += c->features[k].weight;
            if (c->features[k].weight > 0)
                reason = true;
        }
    for (size_t k = 0; k < c->ngrades; k++)
        if (rule_eval(c->grades[k].when, &w->env, EVAL_LITERAL) == TRI_TRUE) {
            out->level = c->grades[k].level;
            out->grade_reason = c->grades[k].reason;
            break;
        }
    out->shown = reason; /* the share test comes once shares are known */
}

/* Where condition cond sits in the ranking, -1 when it does not apply. */
static long rank_of(const struct triage_work *w, int cond)
{
    for (size_t j = 0; j < w->nsc; j++)
        if ((int)w->sc[j].cond == cond)
            return (long)j;
    return -1;
}

/* Whether point p may lead: its when holds and its condition applies
 * ("the first listed that the report's regions allow"). Its rank, or -1. */
static long point_rank(const struct triage_work *w, const struct kb_point *p)
{
    long j = rank_of(w, p->cond);
    if (j < 0 || (p->when &&
                  rule_eval(p->when, &w->env, EVAL_LITERAL) != TRI_TRUE))
        return -1;
    return j;
}

/* The condition a fired flag leads with: the first of its "lead" list that
 * may lead, else the best-scoring of its "best" list, preferring those
 * whose own level reaches the flag's ("the best-scoring urgent condition
 * of the region"). -1 if none. */
static long flag_lead(const struct triage_work *w, const struct kb_flag *f,
                      int level)
{
    long best = -1;
    bool best_reaches = false;
    for (size_t p = 0; p < f->nlead; p++) {
        long j = point_rank(w, &f->lead[p]);
        if (j >= 0)
            return j;
    }
    for (size_t p = 0; p < f->nbest; p++) {
        long j = point_rank(w, &f->best[p]);
        bool reaches;
        if (j < 0)
            continue;
        reaches = w->sc[j].level >= level;
        if (best < 0 || (reaches && !best_reaches) ||
            (reaches == best_reaches && j < best)) {
            best = j;
            best_reaches = reaches;
        }
    }
    return best;
}

static void move_to(struct triage_work *w, long from, size_t to)
{
    struct scored s = w->sc[from];
    if ((size_t)from == to)
        return;
    if ((size_t)from > to)
        memmove(&w->sc[to + 1], &w->sc[to],
                ((size_t)from - to) * sizeof(s));
    else
        memmove(&w->sc[from], &w->sc[from + 1],
                (to - (size_t)from) * sizeof(s));
    w->sc[to] = s;
}

/* Rule 1: the flags at the highest fired level point; the pointed
 * condition with the higher score leads, unless the top condition's own
 * level is above the flags' (then it sets the level itself). */
static void lead_by_flags(struct triage_work *w)
{
    const struct kb *kb = w->kb;
    int level = -1;
    long lead = -1;
    const struct kb_flag *by = NULL;
    size_t byi = 0;

    for (size_t i = 0; i < kb->nflags; i++)
        if (w->fired[i] > level)
            level = w->fired[i];
    if (level < 0 || !w->nsc || w->sc[0].level > level)
        return;
    for (size_t i = 0; i < kb->nflags; i++) {
        long j;
        if (w->fired[i] != level ||
            (j = flag_lead(w, &kb->flags[i], level)) < 0)
            continue;
        if (lead < 0 || j < lead) { /* a lower rank is a higher score */
            lead = j;
            by = &kb->flags[i];
            byi = i;
        }
    }
    if (lead < 0)
        return;
    move_to(w, lead, 0);
    w->sc[0].pointed = true;
    w->sc[0].pointed_real = w->fired_strict[byi] == level;
    for (size_t p = 0; p < by->nsecond && w->nsc > 1; p++) {
        long j = rank_of(w, by->second[p].cond);
        if (j > 0 && (!by->second[p].when ||
                      rule_eval(by->second[p].when, &w->env, EVAL_LITERAL) ==
                          TRI_TRUE)) {
            move_to(w, j, 1);
            w->sc[1].pointed = true;
            break;
        }
    }
}

int engine_score(struct triage_work *w, struct rc_err *err)
{
    const struct kb *kb = w->kb;
    double maxs = -1e300, sum = 0;
    (void)err;
    w->nsc = 0;
    for (size_t i = 0; i < kb->nconds; i++) {
        const struct kb_condition *c = &kb->conds[i];
        if (c->applies &&
            rule_eval(c->applies, &w->env, EVAL_LITERAL) != TRI_TRUE)
            continue;
        score_one(w, i, &w->sc[w->nsc]);
        if (w->sc[w->nsc].score > maxs)
            maxs = w->sc[w->nsc].score;
        w->nsc++;
    }
    for (size_t i = 0; i < w->nsc; i++)
        sum += exp((w->sc[i].score - maxs) / kb->temperature);
    for (size_t i = 0; i < w->nsc; i++)
        w->sc[i].share = exp((w->sc[i].score - maxs) / kb->temperature) / sum;
    qsort(w->sc, w->nsc, sizeof(w->sc[0]), cmp_scored);
    lead_by_flags(w);
    for (size_t i = 0; i < w->nsc; i++)
        w->sc[i].shown = i == 0 || w->sc[i].pointed ||
                         (w->sc[i].shown && w->sc[i].share >= kb->hide_below);
    return 0;
}
