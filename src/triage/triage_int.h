/* triage_int.h - what the kb loader (kb.c), the rules (rule.c) and the
 * engine (engine.c) share inside src/triage/. Not for other modules.
 *
 * A rule is a tree compiled from kb JSON:
 *     {"all":[R...]} {"any":[R...]} {"not":R}
 *     {"field":"/ptr","eq":V} "in":[V or "@SET"...] "gte"/"lte"/"gt"/"lt":N
 *     "range":[LO,HI] "present":true "nonempty":true "count_gte":N
 *     {"flag":"red_flag_id"}  (fired, two-valued)
 *     {"top":["condition_id"...]} {"triage":["level"...]}  (plans and
 *     corrections only: they need the ranking)
 * Evaluated two ways: literally (an absent field makes its leaf false,
 * which is how conditions.md states the rules) and in three-valued logic
 * (absent or "don't know" is unknown), which tells when an unanswered
 * question could change a red flag. */
#ifndef RC_TRIAGE_INT_H
#define RC_TRIAGE_INT_H

#include "triage/triage.h"

enum rule_op {
    RULE_ALL, RULE_ANY, RULE_NOT,
    RULE_EQ, RULE_IN, RULE_GTE, RULE_LTE, RULE_GT, RULE_LT, RULE_RANGE,
    RULE_PRESENT, RULE_NONEMPTY, RULE_COUNT_GTE,
    RULE_FLAG, RULE_TOP, RULE_TRIAGE,
};

struct rule {
    enum rule_op op;
    const char *field;     /* leaves on report fields */
    const char *dont_know; /* the field's "don't know" value, or NULL */
    json_t *values;        /* eq: the value; in/top/triage: array (owned) */
    double lo, hi;         /* numbers */
    int index;             /* flag index */
    struct rule **kids;
    size_t nkids;
};

enum tri { TRI_FALSE = 0, TRI_TRUE = 1, TRI_UNKNOWN = 2 };

/* Pointers collected while evaluating (because / unknown). */
struct ptrset {
    const char *v[32];
    size_t n;
};

struct eval_env {
    const json_t *report;
    const bool *fired;  /* per red flag */
    int top;            /* top condition index, -1 if none */
    const char *top_id;
    int level;          /* result triage, -1 before it is known */
    /* Three-valued only: when set, an unanswered field whose question does
     * not apply to this report (its ask_if is false: the pop question
     * after a gradual onset) is "not relevant" (false), not unknown. */
    const struct kb *relevance;
};

/* Does the question that asks this field apply to the report? true when
 * no question asks it. */
bool kb_field_question_applies(const struct kb *kb, const char *field,
                               const json_t *report);

enum tri rule_eval(const struct rule *r, const struct eval_env *env,
                   bool three_valued);
/* The report fields of the true leaves on the path that makes r true. */
void rule_because(const struct rule *r, const struct eval_env *env,
                  struct ptrset *out);
/* The unanswered leaves that leave r unknown (three-valued), each with
 * whether an odd number of "not" sits above it (then the rule needs the
 * leaf false). At most 32; more are dropped. */
struct leafset {
    const struct rule *v[32];
    bool negated[32];
    size_t n;
};
void rule_unknown_leaves(const struct rule *r, const struct eval_env *env,
                         struct leafset *out);
void rule_free(struct rule *r);
void ptrset_add(struct ptrset *s, const char *p);

struct kb_flag {
    const char *id, *label;
    int level;
    struct rule *when;
    const json_t *source_ids;
};

struct kb_feature {
    struct rule *when;
    double weight;
    const char *reason;
    const json_t *source_ids;
};

struct kb_trule {
    struct rule *when;
    int level;
    const char *reason;
    bool escalate;
};

struct kb_block;

struct kb_condition {
    const char *id, *name;
    int level;
    double prior;
    struct rule *applies; /* NULL: always */
    struct kb_feature *features;
    size_t nfeatures;
    struct kb_trule *trules;
    size_t ntrules;
    size_t *blocks;
    size_t nblocks;
    const json_t *recheck, *ret, *source_ids;
};

struct kb_action {
    const json_t *rec; /* kind, text, why, source_ids */
    struct rule *unless;
};

struct kb_block {
    const char *id, *label;
    double from_h, to_h; /* to_h NAN: open-ended */
    bool always;
    struct kb_action *actions;
    size_t nactions;
};

struct kb_level {
    const char *id, *semigran, *title, *headline;
    double recheck_h;
    const json_t *actions;
};

struct kb_correction {
    const json_t *rec;
    struct rule *when;
};

struct kb_q {
    struct kb_question pub;
    struct kb_choice *choices;
    struct rule *ask_if;
};

struct kb {
    json_t *keep;      /* every parsed record, kept alive */
    json_t *report_schema, *result_schema;
    json_t *sources;   /* id -> record */
    json_t *sets;      /* id -> {"field":..., "values":[...]} */
    const json_t *meta;
    char version[64];
    double band_likely, band_possible;
    double temperature; /* softmax: score differences are divided by it */
    size_t max_conditions;
    struct kb_level levels[4];
    struct kb_flag *flags;
    size_t nflags;
    struct kb_condition *conds;
    size_t nconds;
    struct kb_block *blocks;
    size_t nblocks;
    struct kb_correction *corrs;
    size_t ncorrs;
    struct kb_q *questions;
    size_t nquestions;
};

#endif
