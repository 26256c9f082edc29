/* load_int.h - shared inside src/load/ only (and by its tests): the
 * allocation wrappers that let a test fail each allocation in turn, the
 * working state of a report (load.c) that the warnings' evaluators
 * (load_warn.c) read, and the wording machinery (load_text.c) that fills
 * kb/load_guard.jsonl's templates. */
#ifndef RC_LOAD_INT_H
#define RC_LOAD_INT_H

#include "base/base.h"
#include "load/load.h"

/* For tests (SQLite's fault simulation): from now on, the allocation with
 * number n (counting from 1) and every one after it fails, until the next
 * call; 0 lets every allocation through (the normal state). */
void load_alloc_fail_at(long n);

/* calloc and reallocarray that honour load_alloc_fail_at. */
void *load_calloc(size_t n, size_t size);
void *load_reallocarray(void *p, size_t n, size_t size);

/* Comparisons "above a threshold" ignore floating-point noise, so that
 * 11 km after 10 km is exactly a 10% spike, not 10.0000000001%. */
#define LOAD_EPS 1e-9

/* ---- the working state of load_report_build ---- */

struct load_calc {
    const struct load_rules *rules;
    const struct load_run *in;
    const struct load_opts *opts;
    struct load_run_info *runs; /* counted runs, in time order */
    size_t nruns;
    size_t *seg;                /* seg[i]: first run of run i's segment */
    long first_day, as_of, ndays;
    long from;                  /* warnings on earlier days are not kept */
    double *cum;                /* cum[i] = km of days first_day..+i-1 */
    struct load_warning *w;     /* the warnings from `from` on */
    size_t nw, wcap;
};

static inline bool load_above(double value, double threshold)
{
    return value > threshold + LOAD_EPS;
}

/* km run on days a..b (inclusive); days outside the log count 0. */
static inline double load_km_sum(const struct load_calc *c, long a, long b)
{
    if (a < c->first_day)
        a = c->first_day;
    if (b > c->as_of)
        b = c->as_of;
    if (c->ndays == 0 || a > b)
        return 0;
    return c->cum[b - c->first_day + 1] - c->cum[a - c->first_day];
}

/* The weekly_volume_jump baseline of the 7 days to day d: S(d-13, d-7),
 * or the mean week of S(d-20, d-7) when that is larger (*mean_used); 0
 * when the log does not reach back to d-13. */
static inline double load_weekly_baseline(const struct load_calc *c, long d,
                                          bool *mean_used)
{
    double prev, mean;
    *mean_used = false;
    if (c->nruns == 0 || c->first_day > d - 13)
        return 0;
    prev = load_km_sum(c, d - 13, d - 7);
    if (c->first_day <= d - 20) {
        mean = (prev + load_km_sum(c, d - 20, d - 14)) / 2.0;
        if (mean > prev + LOAD_EPS) {
            *mean_used = true;
            return mean;
        }
    }
    return prev;
}

/* The uncoupled ratio for the 7 days to d; NAN when undefined. */
static inline double load_acwr_uncoupled(const struct load_calc *c, long d,
                                         double *acute, double *chronic_week)
{
    *acute = load_km_sum(c, d - 6, d);
    *chronic_week = load_km_sum(c, d - 27, d - 7) / 3.0;
    if (c->nruns == 0 || c->first_day > d - 27 || !(*chronic_week > 0))
        return NAN;
    return *acute / *chronic_week;
}

/* The longest run of runs[from..to] (indices) on days lo..hi, its day in
 * *day; 0 (and *day untouched) if none. */
double load_longest(const struct load_calc *c, size_t from, size_t to,
                    long lo, long hi, long *day);

/* ---- the warnings (load_warn.c): one kb record and one evaluator each ----
 *
 * A new warning is a record in kb/load_guard.jsonl (kind "warning", its
 * wording: text, figure, chart), a line in load_warning_specs below its
 * evaluator (the record's numbers and placeholders), an id in enum
 * load_warning_id and, if it has numbers of its own, their members in
 * struct load_rules. Text, JSON and the chart print the words the
 * evaluator filled in; none of them knows one warning from another. */

enum load_field_type { LOAD_F_NUM, LOAD_F_INT, LOAD_F_STR, LOAD_F_TEMPLATE };

/* One field of a record, read into struct load_rules at off. */
struct load_field {
    const char *name;
    enum load_field_type type;
    size_t off;  /* in struct load_rules */
    size_t size; /* LOAD_F_STR, LOAD_F_TEMPLATE: the char array's size */
    double min, max;
};

#define LOAD_SPEC_MAX_FIELDS 8

/* What a record of kb/load_guard.jsonl holds. */
struct load_spec {
    const char *kind, *id;
    size_t rule_off;   /* its struct load_rule in struct load_rules */
    const char *vars;  /* numbers its templates may use ({x}, {x:.1f}) */
    const char *words; /* words and dates its templates may use ({x}) */
    bool bands;        /* has "bands" (single_run_spike) */
    struct load_field fields[LOAD_SPEC_MAX_FIELDS];
    /* kind "warning": add the record's warnings from c->from on */
    int (*eval)(struct load_calc *c, struct rc_err *err);
};

#define LOAD_RULE(member) offsetof(struct load_rules, member)
#define LOAD_NUM(name, member, lo, hi)                                   \
    { name, LOAD_F_NUM, LOAD_RULE(member), 0, lo, hi }
#define LOAD_INT(name, member, lo, hi)                                   \
    { name, LOAD_F_INT, LOAD_RULE(member), 0, lo, hi }
#define LOAD_STR(name, member)                                           \
    { name, LOAD_F_STR, LOAD_RULE(member),                               \
      sizeof(((struct load_rules *)0)->member), 0, 0 }
#define LOAD_TEMPLATE(name, member)                                      \
    { name, LOAD_F_TEMPLATE, LOAD_RULE(member),                          \
      sizeof(((struct load_rules *)0)->member), 0, 0 }

/* The warnings, indexed by enum load_warning_id. */
extern const struct load_spec load_warning_specs[LOAD_W_COUNT];

/* A new warning of rule r on counted run `run`, its sources set, its
 * words still empty; NULL with err set when memory runs out. */
struct load_warning *load_add_warning(struct load_calc *c,
                                      enum load_warning_id id, size_t run,
                                      struct rc_err *err);

/* ---- wording (load_text.c) ---- */

enum load_var_kind {
    LOAD_VAR_WORDS, /* as given */
    LOAD_VAR_KM,    /* "12.3" */
    LOAD_VAR_PCT,   /* 1 decimal below 100, none above; "10.0" is "10" */
    LOAD_VAR_NUM,   /* up to 2 decimals: "1.64", "1.5", "2" */
    LOAD_VAR_INT,   /* "30" */
    LOAD_VAR_DAY,   /* "2024-06-01" */
};

#define LOAD_VARS_MAX 12

/* The values a template's {placeholders} are filled with. A number is
 * written in its kind's way, or as the template says: {pct:+.1f} is
 * printf's %+.1f of pct. */
struct load_vars {
    size_t n;
    struct load_var {
        const char *name;
        enum load_var_kind kind;
        double x;
        char words[64];
    } v[LOAD_VARS_MAX];
};

void load_var_words(struct load_vars *v, const char *name, const char *words);
void load_var(struct load_vars *v, const char *name, enum load_var_kind kind,
              double x);

/* Fill tmpl into out (n bytes, cut to fit, always NUL-terminated). */
char *load_fill(const char *tmpl, const struct load_vars *v, char *out,
                size_t n);

/* Fill a warning's text, figure and chart from its rule. */
void load_fill_warning(struct load_warning *w, const struct load_rule *rule,
                       const struct load_vars *v);

/* Append " [a, b]" (the source ids) to out. */
void load_cite(char *out, size_t n, const struct load_sources *src);

/* Is the template well formed, with only placeholders among vars (which
 * may take a format: {x:+.1f}) and words? 0, or -1 with err naming line
 * and field. */
int load_check_template(const char *t, const char *field, const char *vars,
                        const char *words, long line, struct rc_err *err);

#endif
