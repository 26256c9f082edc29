/* triage.h - the leg-pain check: the knowledge base (kb/ (JSON Lines)) and the
 * generic engine that turns a symptom report into a triage result.
 *
 * Data flow: report JSON (questionnaire or file) -> triage_validate_report
 * -> triage_run (red flags, scored conditions, levels combined, a
 * time-aware plan) -> result JSON (result.schema.json) -> cli/ prints it
 * as text or JSON and saves it in the diary.
 *
 * The clinical knowledge is data: red flags, conditions, plan blocks,
 * corrections, questions, sources, the two schemas. The kb is checked as it
 * loads; a bad record fails with "kb/FILE: line N: what". Nothing here
 * prints, opens a database or reads the clock (the caller passes "now").
 * Ownership: arguments are borrowed; returned json_t values are new
 * references (json_decref them); the kb owns everything it hands out. */
#ifndef RC_TRIAGE_H
#define RC_TRIAGE_H

#include <jansson.h>

#include "base/base.h"
#include "base/err.h"
#include "json/jschema.h"

struct kb;

enum triage_level {
    TRIAGE_SELF_CARE = 0,
    TRIAGE_SEE_CLINICIAN = 1,
    TRIAGE_URGENT = 2,
    TRIAGE_EMERGENCY = 3,
};

/* "self_care" ... "emergency"; -1 when the name is not a level. */
int triage_level_parse(const char *name);
const char *triage_level_name(enum triage_level level);

/* One knowledge-base file, already read: its name as shown in messages
 * ("kb/conditions.jsonl", "mykb/conditions.jsonl") and its bytes. */
struct kb_text {
    const char *name;
    const char *data;
    size_t len;
};

/* Load and check the knowledge base from files: the *.jsonl records and
 * report.schema.json, result.schema.json (matched by base name). NULL with
 * err set (RC_EINPUT, file and line named) when a record is wrong. */
struct kb *kb_load_texts(const struct kb_text *files, size_t n,
                         struct rc_err *err);

/* The same from the kb/ files built into the binary, read with jparse and
 * without the checks: the build ran them on these very bytes
 * (kb_check_build from tools/kbcheck.c; no runcare is linked when they
 * fail), so only what the engine needs is done. NULL with err set only
 * when memory runs out (or when the build embedded more than KB_FILES_MAX
 * kb files). */
struct kb *kb_load_embedded(struct rc_err *err);
void kb_free(struct kb *kb);

#define KB_FILES_MAX 32

/* The kb/ files built into the binary ("kb/conditions.jsonl", ...): the
 * first cap of them in files (borrowed, static). Returns how many there
 * are, which may exceed cap. */
size_t kb_embedded_texts(struct kb_text *files, size_t cap);

/* What the build checks before it links runcare, since kb_load_embedded
 * skips the checks at run time: every check of kb_load_texts, then that
 * jparse reads every record (every line of a .jsonl, a whole .json) as
 * the same value as Jansson, then that the load without checks succeeds.
 * 0, or -1 with err naming the file and line. */
int kb_check_build(const struct kb_text *files, size_t n, struct rc_err *err);

const char *kb_version(const struct kb *kb);
const json_t *kb_report_schema(const struct kb *kb);
const json_t *kb_result_schema(const struct kb *kb);
size_t kb_count_red_flags(const struct kb *kb);
size_t kb_count_conditions(const struct kb *kb);

/* Parse report text (JSON, at most len bytes) and validate it against
 * report.schema.json. On success *out is the report (yours) and 0 is
 * returned. On a syntax error: -1, err has the line and column. On schema
 * violations: -1, every violation in errs (err says how many). */
int triage_parse_report(const struct kb *kb, const char *text, size_t len,
                        json_t **out, struct jschema_errors *errs,
                        struct rc_err *err);

/* ---- training context from the runner's log (the load guard fills it) ----
 * Each has_ flag says the log knows that field; the engine copies the known
 * ones into the report's "training" (source "log", or "mixed" when the
 * report already had other training answers) before it evaluates, and
 * appends the matching `why` text, which says where the fact comes from
 * and never the fact the reason already quotes (e.g. "16.8 km on
 * 2024-03-12 against 10.0 km on 2024-02-20"), to every reason that rests
 * on that field. The run before the pain also gives, when its file
 * recorded them, its distance, its descent per km and the temperature the
 * watch measured: the kb's "from_log" thresholds turn them into sessions
 * (marathon_or_longer, downhill_or_trail) and hot_or_humid. */
struct triage_training {
    bool has_weekly_km, has_weekly_change, has_spike, has_break;
    bool has_new_to_running;
    double weekly_km;
    double weekly_volume_change_pct;
    double longest_run_spike_pct;
    double break_weeks;
    bool new_to_running;
    const char *session[8]; /* schema values, NULL-terminated; may be empty */
    char weekly_km_why[160], weekly_change_why[160], spike_why[160];
    char break_why[160];
    /* the run before the pain, NAN when unknown */
    double run_distance_km, run_descent_m_per_km, run_temperature_c;
    double run_end_s; /* when it ended (epoch s), NAN when unknown */
    char run_why[160]; /* "your 43.1 km run on 12 March" */
    /* the load guard's next-run cap (km), NAN when unknown */
    double max_single_run_km;
    /* the load guard's warnings, already in result.schema.json's
     * load_warnings item form (borrowed; NULL when none) */
    const json_t *load_warnings;
};

void triage_training_init(struct triage_training *t);

/* Whether the log fills the report field (a JSON pointer such as
 * /training/weekly_km): the questionnaire does not ask it then. */
bool triage_training_knows(const struct kb *kb,
                           const struct triage_training *t,
                           const char *field);

/* Everything the engine needs besides the report. */
struct triage_context {
    double now_s;                          /* engine.generated_at */
    const struct triage_training *training; /* NULL: no log */
};

/* ---- the result (result.schema.json), as the engine built it ----
 * Strings and lists the result holds are its own (triage_result_release
 * frees them) or borrowed from the kb, which must outlive it. */

enum triage_band { TRIAGE_LESS_LIKELY, TRIAGE_POSSIBLE, TRIAGE_LIKELY };

/* An unanswered safety answer that matters: the question in words ("the
 * colour of your urine (if brown ...)"), the level it could set and the
 * flag's label; note is the whole sentence (kb template). fired: the flag
 * already counts it as present (a `?` answer), else it could raise the
 * level. */
struct triage_unknown {
    const char *question, *flag_label, *note;
    enum triage_level level;
    bool fired;
};

struct triage_flag_hit {
    const char *id, *label; /* label: the kb's, or the result's own copy */
    enum triage_level level;
    bool via_unknown;       /* fired through an unanswered safety answer */
    const char *because[16];
    size_t nbecause;
    const json_t *source_ids;
};

struct triage_cond_hit {
    const char *id, *name;
    double score;           /* a ranking weight, 0-1: never a probability */
    enum triage_band band;
    enum triage_level level;
    bool led_by_flag;       /* a red flag points to it (coherence rule 1) */
    const char **reasons_for, **reasons_against;
    size_t nfor, nagainst;
    json_t *source_ids;
};

struct triage_action {
    const char *kind, *text, *why, *cls;
    const json_t *source_ids;
};

struct triage_step {
    double from_h, to_h;   /* to_h NAN: until told otherwise */
    const char *label;
    bool now;              /* the window under way at the report's hour */
    struct triage_action *actions;
    size_t nactions;
};

struct triage_result {
    enum triage_level level;
    const char *semigran, *headline, *reason, *report_id;
    /* why the top condition is above its default level (a grade of the
     * kb: "grade 2 strain: limping ..."), NULL when none raised it */
    const char *grade_reason;
    /* the unanswered safety answers that would change the level, as the
     * runner reads them; shown first */
    struct triage_unknown *unknowns;
    size_t nunknowns;
    struct triage_flag_hit *flags;
    size_t nflags;
    struct triage_cond_hit *conds;
    size_t nconds;
    const char *summary;
    struct triage_step *steps;
    size_t nsteps;
    bool has_return;
    double return_not_before_days, return_max_km; /* NAN: not set */
    const char *return_first_session, *return_rule;
    const json_t *return_source_ids;
    double recheck_h;
    const char **escalate_if;
    size_t nescalate_if;
    const char *expected_course;
    json_t *load_warnings;  /* an array (owned) */
    const json_t **corrections; /* kb records */
    size_t ncorrections;
    json_t *source_ids;     /* every id used, in order of first use */
    const char *disclaimer;
    const char *kb_version;
    double generated_at;
    void *arena;            /* the strings it owns */
};

/* Run the check on a validated report. 0 with *res filled, or -1 with err
 * set (only when memory runs out); release *res either way. */
int triage_run(const struct kb *kb, const json_t *report,
               const struct triage_context *ctx, struct triage_result *res,
               struct rc_err *err);
void triage_result_release(struct triage_result *res);

/* The result as JSON (result.schema.json): a new reference, or NULL with
 * err set when memory runs out. */
json_t *triage_result_json(const struct kb *kb,
                           const struct triage_result *res,
                           struct rc_err *err);

/* triage_run then triage_result_json. */
json_t *triage_check_json(const struct kb *kb, const json_t *report,
                          const struct triage_context *ctx,
                          struct rc_err *err);

/* The words the kb gives a band ("likely", "possible", "less likely"). */
const char *triage_band_words(const struct kb *kb, enum triage_band band);

/* The triage level of a result JSON made by triage_result_json. */
enum triage_level triage_result_level(const json_t *result);

/* A kb source record (id, kind, title, url) by id, or NULL. Borrowed. */
const json_t *kb_source(const struct kb *kb, const char *id);

/* ---- the course of a recovery (course.c): a check and its follow-ups
 * against the expected course of the check's top condition
 * (kb/courses.jsonl), and the escalations of kb/escalations.jsonl over
 * the course object (kb/course.schema.json). Days count from the end of
 * the run that caused the pain: the first report's created_at (else when
 * it was stored) minus its hours_since_run. ---- */

/* One report of the problem, as the diary keeps it (borrowed). */
struct triage_course_report {
    double created_s;
    const json_t *report, *result;
};

/* A run from the log: when it started, its local day and distance. */
struct triage_course_run {
    double start_s;
    long day;
    double km;
    double duration_s; /* NAN: not known */
};

struct triage_course_in {
    const struct triage_course_report *reports; /* the check first, then
                                                 * its follow-ups in order */
    size_t n;
    double cap_km; /* the plan's next-run cap; NAN: none known */
    const struct triage_course_run *runs; /* the log's runs (any order) */
    size_t nruns;
    /* days from the last report of an earlier problem in one of the same
     * regions to this one's first report; NAN: none */
    double recurrence_days;
};

struct triage_escalation {
    const char *id;          /* the kb rule's */
    enum triage_level level;
    char reason[512];        /* for the runner */
    json_t *source_ids;      /* owned */
};

#define TRIAGE_COURSE_ESC_MAX 8

struct kb_course;

struct triage_course {
    json_t *course;          /* the course object (course.schema.json) */
    const char *condition_id, *condition_name; /* the first check's top */
    const struct kb_course *kbc; /* its expected course; NULL: none */
    double run_end_s;        /* the clock's zero */
    double days_since_run;   /* at the latest report */
    double due_s;            /* the latest result's recheck; NAN: none */
    double cap_km;
    size_t runs_over;        /* runs since the pain over the cap */
    double km_over;          /* the most over it */
    char run_text[64];       /* "8.0 km on 2026-12-05": that run */
    struct triage_escalation esc[TRIAGE_COURSE_ESC_MAX];
    size_t nesc;
    /* the latest result's level, raised (never lowered) by escalations */
    enum triage_level level;
};

/* Evaluate the course of in (in->n >= 1, else RC_EINPUT). -1 with err
 * (RC_EENV) when memory runs out. *out is written only on success;
 * triage_course_release it. */
int triage_course_eval(const struct kb *kb, const struct triage_course_in *in,
                       struct triage_course *out, struct rc_err *err);
void triage_course_release(struct triage_course *c);

/* When the run that caused the pain of report ended (Unix seconds). */
double triage_course_run_end(const json_t *report, double created_s);

/* The expected pain band (points 0-10) day days after the run, from the
 * kb's percentages of the first score; false when the condition has no
 * expected course in the kb. */
bool triage_course_band(const struct triage_course *c, int score_first,
                        double day, double *lo, double *hi);

/* The kb's words for the course of c's condition and its usual window
 * (NULL and NAN when none), and its sources. */
const char *triage_course_text(const struct triage_course *c);
double triage_course_usual_days(const struct triage_course *c);
const json_t *triage_course_sources(const struct triage_course *c);

/* A plan step's label (a result's plan.steps item) without the "(now)"
 * the check gave the window under way when it was made: the plan is read
 * later. Returns out. */
const char *triage_step_label(const struct kb *kb, const json_t *step,
                              char *out, size_t n);

/* The report fields a follow-up asks, in order (an array of JSON
 * pointers; borrowed). */
const json_t *triage_course_follow_up(const struct kb *kb);

/* The index of the question that asks field (itself, or as an item of a
 * checklist), or -1. */
long triage_question_for(const struct kb *kb, const char *field);

/* ---- the questionnaire (the terminal loop lives in cli/, the form in
 * the web page; both ask what triage_next_question says) ---- */

enum kb_qkind {
    KB_Q_BOOL,      /* yes / no */
    KB_Q_CHOICE,    /* one of the choices */
    KB_Q_MULTI,     /* any of the choices (an array) */
    KB_Q_NUMBER,    /* a number in [min, max] */
    KB_Q_INTEGER,   /* a whole number in [min, max] */
    KB_Q_LOCATION,  /* where and which side, in one answer */
    KB_Q_CHECKLIST, /* tick any of several yes/no items, or none */
};

struct kb_choice {
    const char *value, *text;
};

struct kb_question {
    const char *id, *field, *text, *unknown_text;
    enum kb_qkind kind;
    const struct kb_choice *choices; /* choices, or a checklist's items */
    size_t nchoices;
    bool required;    /* the schema requires it: no "don't know" */
    bool min_one;     /* a multi question that needs at least one */
    double min, max;  /* numbers */
    const char *dont_know; /* the schema's own "don't know" value, or NULL */
    /* a checklist of yes/no fields that each have their own question
     * later: "not sure" leaves them to those (kb/questions.jsonl "group") */
    bool group;
};

size_t kb_count_questions(const struct kb *kb);
const struct kb_question *kb_question_at(const struct kb *kb, size_t i);

/* Whether question q applies to the answers so far (its ask_if rule). */
bool triage_question_applies(const struct kb *kb, size_t i,
                             const json_t *partial);

/* The next question to ask, given the answers so far (partial, a report
 * being built), what the log already knows (t, may be NULL) and which
 * questions were asked already (asked[kb_count_questions], answered or
 * not): its index, or -1 when none is left that the schema requires or
 * whose answer could still change the level or the top conditions. The
 * safety screen is always asked, in the brief's order; a safety answer a
 * rule reads as "counts when unanswered" comes before other follow-ups.
 * -2 with err set when memory runs out. */
long triage_next_question(const struct kb *kb, const json_t *partial,
                          const struct triage_training *t, const bool *asked,
                          struct rc_err *err);

enum triage_answer {
    TRIAGE_ANSWER_OK,         /* *set holds the fields it sets */
    TRIAGE_ANSWER_DONT_KNOW,  /* nothing set (Enter, "?", "not sure") */
    TRIAGE_ANSWER_BAD,        /* msg says what is expected */
};

/* Read a typed answer to question i: y/yes/n/no for yes/no questions
 * ("n" and "no" always mean no, "?" and an empty line always "don't
 * know"), the number, the first letters or a word of a choice ("left",
 * "calf", "dark"), several for a list, "none"; for a location "left calf,
 * both shins". *set becomes an object of JSON pointer -> value (yours).
 * msg gets what is expected on TRIAGE_ANSWER_BAD. */
enum triage_answer triage_parse_answer(const struct kb *kb, size_t i,
                                       const char *text, json_t **set,
                                       char *msg, size_t msgn);

/* After each answer: the first emergency red flag that the answers so far
 * raise on real answers (its label in *label), else NULL. The
 * questionnaire stops there. */
const char *triage_emergency_now(const struct kb *kb, const json_t *partial,
                                  const char **label);

/* The headline of a level ("Call emergency services ..."). */
const char *kb_level_headline(const struct kb *kb, enum triage_level level);

/* Set the value at JSON pointer ptr in obj, creating the objects on the
 * way; steals value. -1 when memory runs out or the path is blocked. */
int triage_set_field(json_t *obj, const char *ptr, json_t *value);

/* Set every field of an answer (triage_parse_answer's *set: JSON pointer
 * -> value) into obj. -1 when memory runs out or a path is blocked. */
int triage_set_fields(json_t *obj, const json_t *set);

/* ---- the steps of every questionnaire (report.c) ---- */

/* What every front end says when an emergency answer stops the questions
 * (after kb_level_headline and the red flag's label). */
extern const char triage_emergency_stop_text[];

/* Hours from run_end_s to now_s as a report holds them: tenths, within
 * the schema's 0..2160. */
double triage_hours_since(double run_end_s, double now_s);

/* Start a report: /pain/hours_since_run from the log's run (t->run_end_s)
 * when it is known, before now and not answered already. -1 when memory
 * runs out. */
int triage_report_begin(json_t *rep, const struct triage_training *t,
                        double now_s);

/* Read a typed answer to question i (triage_parse_answer) and set its
 * fields into rep when *a is TRIAGE_ANSWER_OK; rep is unchanged otherwise
 * (msg says what is expected on TRIAGE_ANSWER_BAD). -1 when memory runs
 * out. Then ask triage_emergency_now. */
int triage_apply_answer(const struct kb *kb, json_t *rep, size_t i,
                        const char *text, enum triage_answer *a, char *msg,
                        size_t msgn);

/* The next question of a follow-up (the kb's follow-up list, in its
 * order: the safety screen first): the question that asks the first field
 * rep does not answer yet, unless it was asked already (asked[i] for
 * question i: a "not sure" leaves its field unanswered). -1 when none is
 * left. The terminal and the web page both ask in this order. */
long triage_next_follow_up(const struct kb *kb, const json_t *rep,
                           const bool *asked);

/* Finish a report: its schema_version ("1.1") and created_at (now_s).
 * -1 when memory runs out. */
int triage_report_stamp(json_t *rep, double now_s);

/* The value at JSON pointer ptr ("/pain/score"), or NULL. Borrowed. */
const json_t *triage_get_field(const json_t *obj, const char *ptr);

#endif
