/* triage_int.h - what the kb loader (kb_*.c), the rules (rule.c), the
 * stages of the engine (engine_*.c) and the questionnaire (ask.c) share
 * inside src/triage/. Not for other modules.
 *
 * A rule is a tree compiled from kb JSON:
 *     {"all":[R...]} {"any":[R...]} {"not":R}
 *     {"field":"/ptr","eq":V} "in":[V or "@SET"...] "gte"/"lte"/"gt"/"lt":N
 *     "range":[LO,HI] "present":true "nonempty":true "count_gte":N
 *     "unanswered":true (absent, or a don't-know answer)
 *     + "or_unknown":true on any field leaf: conditions.md's `field?`, met
 *       when the field has the value or is unanswered
 *     {"term":"INJURY_EVENT"}   a derived term of kb/terms.jsonl
 *     {"one_side":["@DEEP_VEIN"]}  a listed region on one side (its own
 *       side from side_by_region, else location.side)
 *     {"both_legs":true}        side both, or a region whose side is both
 *     {"flag":"id"} or {"flag":"id","at":"urgent"}  fired (in that form)
 *     {"top":["condition_id"...]} {"triage":["level"...]}  (plans only)
 * Evaluated three ways: literally (an absent field makes its leaf false,
 * a `?` leaf true), strictly (as literally, but a `?` leaf needs a real
 * answer: tells a flag that fired through an unanswered field) and in
 * three-valued logic (absent or "don't know" is unknown), which tells when
 * an unanswered question could change a red flag. */
#ifndef RC_TRIAGE_INT_H
#define RC_TRIAGE_INT_H

#include "triage/triage.h"

enum rule_op {
    RULE_ALL, RULE_ANY, RULE_NOT,
    RULE_EQ, RULE_IN, RULE_GTE, RULE_LTE, RULE_GT, RULE_LT, RULE_RANGE,
    RULE_PRESENT, RULE_NONEMPTY, RULE_COUNT_GTE, RULE_UNANSWERED,
    RULE_FLAG, RULE_TOP, RULE_TRIAGE, RULE_TERM, RULE_ONE_SIDE,
    RULE_BOTH_LEGS,
};

struct kb_q;

struct rule {
    enum rule_op op;
    const char *field;      /* leaves on report fields */
    const struct kb_q *q;   /* the question that asks it (set once the
                             * questions are read), or NULL */
    bool or_unknown;        /* `field?` */
    json_t *values;         /* eq: the value; in/top/triage/one_side: array */
    double lo, hi;          /* numbers */
    int index;              /* flag index */
    int at;                 /* flag: the form's level, -1 any */
    const struct rule *term; /* RULE_TERM: the term's rule (kb owns it) */
    struct rule **kids;
    size_t nkids;
};

enum tri { TRI_FALSE = 0, TRI_TRUE = 1, TRI_UNKNOWN = 2 };

enum eval_mode {
    EVAL_LITERAL, /* absent -> false; `?` leaves match unanswered */
    EVAL_STRICT,  /* absent -> false, `?` leaves too */
    EVAL_THREE,   /* absent or don't know -> unknown; `?` as literal */
};

/* Pointers collected while evaluating (because / unknown). */
struct ptrset {
    const char *v[32];
    size_t n;
};

struct eval_env {
    const struct kb *kb;
    const json_t *report;
    const signed char *fired; /* per red flag: -1, or the level it fired at */
    int top;                  /* top condition index, -1 if none */
    const char *top_id;
    int level;                /* result triage, -1 before it is known */
    /* Three-valued only: when true, an unanswered field whose question does
     * not apply to this report (its ask_if is false: the pop question
     * after a gradual onset) is "not relevant" (false), not unknown. */
    bool relevance;
};

enum tri rule_eval(const struct rule *r, const struct eval_env *env,
                   enum eval_mode mode);
/* The report fields of the true leaves on the path that makes r true
 * (literally), an unanswered `?` field included. */
void rule_because(const struct rule *r, const struct eval_env *env,
                  struct ptrset *out);
/* The `?` fields on the path that makes r true only because they are
 * unanswered. */
void rule_unknown_matches(const struct rule *r, const struct eval_env *env,
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
/* Every report field the rule reads (terms followed). */
void rule_fields(const struct rule *r, struct ptrset *out);
void rule_free(struct rule *r);
/* Point every field leaf of r at the question that asks its field. */
void rule_link_questions(const struct kb *kb, struct rule *r);
void ptrset_add(struct ptrset *s, const char *p);
bool ptrset_has(const struct ptrset *s, const char *p);
/* Whether v, a report value, is a "don't know" answer (not_checked,
 * not_tried, ... from meta, or a list holding one). */
bool kb_is_unknown_value(const struct kb *kb, const json_t *v);

/* ---- red flags ---- */

struct kb_form {
    int level;
    const char *label;
    struct rule *when;
};

/* A condition a red flag points to (conditions.md 1.1 rule 1). */
struct kb_point {
    int cond;          /* index in kb->conds */
    struct rule *when; /* NULL: always */
};

struct kb_flag {
    const char *id;
    const json_t *rec;    /* its kb record (points and blocks by name) */
    struct kb_form *forms; /* highest level first */
    size_t nforms;
    const json_t *source_ids;
    struct kb_point *lead, *best, *second;
    size_t nlead, nbest, nsecond; /* lead: the first that applies; else the
                                   * best-scoring of best */
    size_t *blocks;       /* the flag's own plan advice */
    size_t nblocks;
};

/* ---- conditions ---- */

struct kb_feature {
    struct rule *when;
    double weight;        /* added to the score; a factor as T*ln(f) */
    bool factor;
    const char *reason;
    const json_t *source_ids;
};

struct kb_grade {
    struct rule *when;
    int level;
    const char *reason;
};

struct kb_condition {
    const char *id, *name;
    int level;
    double prior;
    struct rule *applies; /* NULL: always */
    struct kb_feature *features;
    size_t nfeatures;
    struct kb_grade *grades; /* the first that holds sets its own level */
    size_t ngrades;
    struct kb_grade *escalations; /* raise the result's level */
    size_t nescalations;
    size_t *blocks;
    size_t nblocks;
    const json_t *recheck, *ret, *source_ids;
};

/* ---- plans ---- */

/* A kind of advice and where it may appear (conditions.md section 4, the
 * level filter): levels as a bit set, and a rule that bars it. */
struct kb_class {
    const char *id;
    unsigned levels;   /* bit 1 << level */
    struct rule *never_if;
};

struct kb_action {
    const json_t *rec; /* kind, text, why, source_ids */
    struct rule *unless;
    size_t cls;
};

struct kb_block {
    const char *id, *label;
    double from_h, to_h; /* to_h NAN: open-ended */
    bool always;
    struct kb_action *actions;
    size_t nactions;
};

struct kb_level {
    const char *id, *semigran, *title, *headline, *band_word;
    double recheck_h;
    const json_t *actions;
};

struct kb_correction {
    const json_t *rec;
    struct rule *when;       /* NULL: none beyond the two lists */
    const json_t *shown_with; /* condition ids */
    const json_t *topics;    /* action classes, block ids, "load_warnings" */
    bool supports_urgent;
};

/* A field and the question that asks it, sorted by field. */
struct kb_asked {
    const char *field;
    const struct kb_q *q;
};

struct kb_source {
    const char *id;
    const json_t *rec;
};

struct kb_term {
    const char *id;
    struct rule *when;
};

struct kb_item {
    const char *field;
    const json_t *value;  /* what a tick sets: true, a list value, or the
                           * value of a choice field (choice true) */
    const char *text;
    bool choice;
};

struct kb_q {
    struct kb_question pub;
    const json_t *rec;   /* its kb record (choices' "words" and "no") */
    struct kb_choice *choices;
    struct kb_item *items;
    size_t nitems;
    struct rule *ask_if;
    int priority; /* 0 in kb order; 1: a `?` field, asked first */
    bool always;  /* asked of everyone, like a required field */
    /* a checklist that asks, at once, yes/no fields that each have their
     * own question later: ticks and "none" answer them all; "not sure"
     * leaves them to their own questions. It owns none of its fields
     * (kb_question_of gives their own questions). */
    bool group;
};

/* ---- the course of a recovery (kb/courses.jsonl, kb/escalations.jsonl,
 * kb/course.schema.json; kb_course.c loads them, course.c evaluates) ---- */

struct kb_course {
    const char *cond_id;
    int cond;               /* index in kb->conds */
    double usual_days;
    const json_t *band;     /* [[day, low %, high %], ...], days rising */
    const char *text;
    const json_t *source_ids;
};

/* An escalation whose level is a red flag's own: one a follow-up raised
 * that the check did not, or one an earlier report raised that the
 * latest does not. */
#define KB_ESC_NEW_FLAG (-1)
#define KB_ESC_EARLIER_FLAG (-2)

struct kb_escalation {
    const char *id;
    int level;              /* a level, or KB_ESC_NEW_FLAG ... */
    struct rule *when;      /* reads the course object */
    const char *reason;     /* a template of {names} */
    const json_t *source_ids;
};

/* The texts the engine says in its own voice (kb/texts.jsonl), by id. */
const char *kb_text(const struct kb *kb, const char *id);

struct kb {
    json_t *keep;      /* every parsed record, kept alive */
    json_t *report_schema, *result_schema;
    struct kb_source *sources; /* sorted by id once loaded */
    size_t nsources;
    bool sources_sorted;
    json_t *sets;      /* id -> {"field":..., "values":[...]} */
    json_t *texts;     /* id -> text */
    const json_t *meta;
    const json_t *unknown_values; /* meta: not_checked, not_tried, ... */
    const json_t *from_log;       /* meta: log -> session thresholds */
    char version[64];
    double band_likely, band_possible, hide_below;
    double temperature; /* softmax: score differences are divided by it */
    size_t max_conditions;
    struct kb_level levels[4];
    struct kb_term *terms;
    size_t nterms;
    struct kb_flag *flags;
    size_t nflags;
    struct kb_condition *conds;
    size_t nconds;
    struct kb_class *classes;
    size_t nclasses;
    struct kb_block *blocks;
    size_t nblocks;
    struct kb_correction *corrs;
    size_t ncorrs;
    struct kb_q *questions;
    size_t nquestions;
    struct kb_asked *asked; /* every field a question asks, by field */
    size_t nasked;
    json_t *course_schema;  /* kb/course.schema.json */
    struct kb_course *courses;
    size_t ncourses;
    struct kb_escalation *escs;
    size_t nescs;
    const json_t *follow_up; /* the report fields a follow-up asks */
};

/* Does the question that asks this field apply to the report? true when
 * no question asks it. */
bool kb_field_question_applies(const struct kb *kb, const char *field,
                               const json_t *report);
const struct kb_q *kb_question_of(const struct kb *kb, const char *field);
int kb_condition_index(const struct kb *kb, const char *id);

/* ---- the engine's stages (engine_*.c), in the order they run ---- */

/* The state one check builds up; the result takes what it shows. */
struct scored {
    size_t cond;
    double score, share;
    int level;
    const char *grade_reason;
    bool pointed, pointed_real; /* led by a red flag (on real answers) */
    bool shown;
};

struct triage_work {
    const struct kb *kb;
    const json_t *report;     /* the report with the log's training in */
    json_t *owned;            /* the copy that holds it, released with w */
    const struct triage_training *training;
    struct eval_env env;
    signed char *fired;       /* per flag: -1 or the level of its form */
    signed char *fired_strict;/* the same without unanswered `?` fields */
    int *form;                /* per flag: the form that fired, -1 */
    bool *possible;           /* per flag: unanswered questions could fire it */
    struct scored *sc;
    size_t nsc;
    int level;
    int level_flag;           /* the flag that set the level, -1 */
    int level_cond;           /* the condition whose escalation did, -1 */
    const char *escalation;   /* its reason */
    double hours;
};

int engine_flags(struct triage_work *w, struct rc_err *err);
int engine_score(struct triage_work *w, struct rc_err *err);
void engine_level(struct triage_work *w);
int engine_result(struct triage_work *w, double now_s,
                  struct triage_result *res, struct rc_err *err);
/* Fill report["training"] from the log's context. -1 when memory runs out. */
int engine_apply_training(const struct kb *kb, json_t *rep,
                          const struct triage_training *t);
/* " (from your log: ...)" for each field of rule r the log filled,
 * appended to out[0..n) at *o. */
void engine_log_note(const struct kb *kb, const struct triage_training *t,
                     const struct rule *r, const struct eval_env *env,
                     char *out, size_t n, size_t *o);
/* The stages up to the level, for the questionnaire's what-ifs: w is
 * set up on report (borrowed; not copied, no training applied). */
int engine_assess(const struct kb *kb, const json_t *report,
                  struct triage_work *w, struct rc_err *err);
void engine_work_release(struct triage_work *w);

#endif
