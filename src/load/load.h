/* load.h - the load guard: from the stored runs to the daily load series,
 * weekly totals, fitness/fatigue/form, the acute:chronic ratios, monotony
 * and strain, the warnings of conditions.md section 5 and the next-run cap.
 *
 * Data flow: store/ -> (app/ converts each stored activity into a struct
 * load_run) -> load_report_build -> cli/ prints text, JSON or the SVG chart;
 * a leg-pain check gets the report's last-run facts (load_fact), which
 * app/ hands to triage/. Pure computation: no SQL, no files, no printing.
 *
 * The clinical numbers (thresholds, hazard ratios, the cap factor, the
 * walk-run floor) and their wording come from kb/load_guard.jsonl, parsed
 * into struct load_rules by load_rules_parse; nothing clinical is a bare C
 * constant here.
 *
 * Days: a run belongs to the runner's local calendar day,
 * rc_day_of(start_s + utc_offset_s) (base/time.h): a run at 23:30 local
 * that is already the next day in UTC counts on its local day. Weeks start
 * on Monday. Distance is the primary load (the injury evidence is in km).
 *
 * Ownership: arguments are borrowed; a report owns its arrays and is
 * released with load_report_release. JSON values returned are new
 * references. */
#ifndef RC_LOAD_H
#define RC_LOAD_H

#include <jansson.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/err.h"

/* ---- the rules (kb/load_guard.jsonl) ---- */

#define LOAD_KB_PATH "kb/load_guard.jsonl"
#define LOAD_MAX_SOURCES 6
#define LOAD_MAX_BANDS 4
#define LOAD_TEMPLATE_MAX 800 /* bytes of one wording template */
#define LOAD_TEXT_MAX 1024    /* bytes of one expanded sentence */
#define LOAD_SHORT_MAX 128    /* bytes of a short template, filled or not */

struct load_sources {
    size_t n;
    char ids[LOAD_MAX_SOURCES][32]; /* conditions.md section 7 ids */
};

/* One record of the file: its wording (with {placeholders}) and sources.
 * A warning also says its size in short ("figure": "+56.2% (over 10%)",
 * for the text report) and in a few words ("chart": "run +56% over the
 * month's longest", under the chart); the text, JSON and SVG outputs
 * print these and hold no words of their own for any warning. */
struct load_rule {
    char text[LOAD_TEMPLATE_MAX];
    char figure[LOAD_SHORT_MAX];
    char chart[LOAD_SHORT_MAX];
    struct load_sources src;
};

/* The warnings of conditions.md section 5, in the order of the file. */
enum load_warning_id {
    LOAD_W_SINGLE_RUN_SPIKE,
    LOAD_W_WEEKLY_VOLUME_JUMP,
    LOAD_W_RETURN_AFTER_BREAK,
    LOAD_W_ACWR_HIGH,
    LOAD_W_NOVICE_FAST_START,
    LOAD_W_COUNT
};

/* What a leg-pain check takes from the log about its last run: the
 * facts of the report's `training` object (domain/report.schema.json). */
enum load_fact {
    LOAD_FACT_WEEKLY_KM,     /* weekly_km: the 7 days to the report's day */
    LOAD_FACT_WEEKLY_CHANGE, /* weekly_volume_change_pct: against the 7
                                days before them */
    LOAD_FACT_SPIKE,         /* longest_run_spike_pct: the last run against
                                the longest of the reference days */
    LOAD_FACT_BREAK_WEEKS,   /* break_weeks: whole weeks without running
                                before the last run */
    LOAD_FACT_COUNT
};

struct load_spike_band {
    double above_pct;    /* the band holds spikes above this */
    double hazard_ratio; /* overuse-injury rate against no spike */
    char range[32];      /* "10-30%", for the wording */
};

struct load_rules {
    struct load_rule warn[LOAD_W_COUNT];                 /* warnings */
    struct load_rule cap_spike, cap_weekly, cap_break, cap_floor;
    struct load_rule cap_week;  /* the 7 days ahead */
    char cap_week_no_base[LOAD_TEMPLATE_MAX];    /* ... without a weekly base */
    char cap_week_after_jump[LOAD_TEMPLATE_MAX]; /* ... after a weekly jump */
    char cap_week_after_spike[LOAD_TEMPLATE_MAX]; /* ... after a spike run */
    struct load_rule ten_percent;                        /* caveat */
    struct load_rule long_run, hills;                    /* session hints */

    double spike_threshold_pct; /* single_run_spike: run > longest + this % */
    int spike_reference_days;   /* ... of the previous this many days */
    size_t nbands;
    struct load_spike_band bands[LOAD_MAX_BANDS];
    double weekly_threshold_pct; /* weekly_volume_jump */
    double weekly_hr, weekly_ci_low, weekly_ci_high;
    char weekly_base_prev[64], weekly_base_mean[64];
    char weekly_legend[LOAD_TEMPLATE_MAX]; /* what "<< jump" on a week means */
    /* the sentences of what a check takes from the log (enum load_fact):
     * where each fact comes from, never the fact itself, which the
     * reason that quotes it already says */
    struct load_rule why[LOAD_FACT_COUNT];
    int break_days;             /* return_after_break: days off */
    double break_threshold_pct; /* ... then a run > this % of before */
    double acwr_threshold;      /* acwr_high: ratio at or above */
    double novice_km;           /* novice_fast_start: first week above */
    int novice_days;
    double cap_factor;          /* next run <= factor x longest run */
    double floor_min;           /* never below this much walk-run */
    double walk_kmh;            /* walking speed for the walk-run floor */
    char walk_run[48];          /* "1 min run / 1 min walk" */
    double long_run_ratio;      /* long run: >= ratio x median run */
    int long_run_window_days, long_run_min_runs;
    double hills_m_per_km;      /* hills: ascent per km at or above */
};

/* Parse the load-guard rules from JSON Lines text (one record per line;
 * blank lines are skipped). name is used in messages:
 * "kb/load_guard.jsonl: line 4: field "threshold_pct": -3 is outside 0-1000".
 * Every record is checked: kind and id known, each once, required fields
 * present with the right type and range, no unknown field, placeholders in
 * the wording (text; a warning's figure and chart) known for that record
 * and any number format well formed, 1 to LOAD_MAX_SOURCES source ids; and
 * the whole: every record present, bands rising from the spike threshold,
 * the cap factor not above the spike threshold. RC_EINPUT on failure;
 * *out is written only on success. */
int load_rules_parse(const char *text, size_t n, const char *name,
                     struct load_rules *out, struct rc_err *err);

/* The rules embedded in the binary (kb/load_guard.jsonl), with the same
 * checks; read with jparse (json/jparse.h), as its bytes are fixed. */
int load_rules_default(struct load_rules *out, struct rc_err *err);

/* The most days before a day that any rule looks back from it (the
 * usual run length's window, the spike reference, the ACWR's 28 days). */
int load_rules_lookback_days(const struct load_rules *r);

/* Fitness (tau 42 days) forgets a run to e^(-400/42) < 0.01% in 400
 * days: a log read from this many days before the first week shown gives
 * the same figures as the whole log, to the decimals shown. */
#define LOAD_HISTORY_DAYS 400

/* Fill a wording template: each {name} becomes the value of the variable
 * called name (names[i] -> values[i]); an unknown name stays as it is.
 * Output is cut to fit n bytes (always NUL-terminated). Returns out. */
char *load_expand(const char *tmpl, const char *const *names,
                  const char *const *values, size_t nvars, char *out,
                  size_t n);

/* ---- input ---- */

/* One stored activity, as far as the load guard needs it (its totals; no
 * samples). NAN means not recorded. Only runs (is_run) count. */
struct load_run {
    int64_t id;           /* the store's activity id; 0 if none */
    double start_s;       /* Unix seconds, UTC */
    int32_t utc_offset_s; /* local time - UTC at the start; 0 if unknown */
    double distance_m;    /* NAN: counts 0 km, and never a spike */
    double duration_s;    /* the timer time (elapsed minus pauses) */
    double elapsed_s;     /* start to end; 0 or NAN: take duration_s */
    double ascent_m;
    double descent_m;     /* NAN or 0 when not known */
    float rpe;            /* CR-10 session RPE, 0-10 */
    float avg_hr_bpm, max_hr_bpm;
    int64_t shoe_id;      /* 0 none */
    bool is_run;          /* running of any kind (road, trail, treadmill) */
    bool is_race;         /* known to be a race */
};

struct load_shoe {
    int64_t id;
    char name[64];
    double used_km;  /* every km counted to it, including its start km */
    double limit_km; /* retire at; NAN or <= 0: no limit */
    bool retired;
};

enum load_novice {
    LOAD_NOVICE_UNKNOWN = 0, /* novice_fast_start is not checked */
    LOAD_NOVICE_NO,
    LOAD_NOVICE_YES,         /* the log's first run starts the running */
};

#define LOAD_WEEKS_MAX 520
#define LOAD_SPAN_MAX_DAYS 40000 /* ~110 years: older runs are left out */

struct load_opts {
    long as_of_day;        /* the report's day (day number, local) */
    int weeks;             /* calendar weeks shown, 1-LOAD_WEEKS_MAX */
    enum load_novice new_to_running;
    double hr_rest_bpm;    /* for TRIMP; NAN: 60 bpm */
    double hr_max_bpm;     /* for TRIMP; NAN: the highest in the log */
};

/* as_of_day and weeks as given; the rest unknown. */
void load_opts_init(struct load_opts *o, long as_of_day, int weeks);

/* ---- output ---- */

/* "single_run_spike", ... as in conditions.md section 5. */
const char *load_warning_name(enum load_warning_id id);

struct load_warning {
    enum load_warning_id id;
    long day;            /* the run's local day; for a weekly jump or a
                            high ratio, the day with a run where it peaked */
    size_t run;          /* index into the caller's runs array */
    int64_t run_id;      /* that run's id */
    double value_pct;    /* see README: % over, % of, or ratio x 100 */
    double threshold_pct;
    double hazard_ratio; /* spikes and weekly jumps; NAN otherwise */
    char text[LOAD_TEXT_MAX];    /* the sentence, with its evidence */
    char figure[LOAD_SHORT_MAX]; /* its size and threshold, in short */
    char chart[LOAD_SHORT_MAX];  /* a few words for under the chart */
    struct load_sources src;
};

/* Per local day, from report.first_day to as_of_day. srpe and trimp are
 * NAN on days where no run had RPE (or heart rate). */
struct load_day {
    double km, time_s, srpe, trimp;
    int runs;
};

/* One Monday-first calendar week. */
struct load_week {
    long start_day;    /* its Monday */
    double km, time_s, srpe, trimp, longest_km;
    int runs;
    double change_pct; /* against the week before; NAN when that was 0,
                          or this week is not over */
    bool jump;         /* km over the weekly_volume_jump baseline */
    bool partial;      /* as_of_day falls inside it */
};

/* A counted run; ordered by local day, then start. */
struct load_run_info {
    size_t run;          /* index into the caller's runs array */
    long day;            /* local day */
    double km;           /* 0 when the distance is unknown */
    double ref_km;       /* longest run of the reference window; 0 none */
    long ref_day;
    double spike_pct;    /* km against ref_km, %; NAN when no reference */
    int days_off;        /* days without running before it; -1 first run */
};

enum load_cap_rule {
    LOAD_CAP_NONE,   /* no runs: no cap */
    LOAD_CAP_SPIKE,  /* factor x longest run of the reference window */
    LOAD_CAP_WEEKLY, /* what keeps the 7 days under the weekly jump */
    LOAD_CAP_BREAK,  /* after a break: a share of the pre-break longest */
    LOAD_CAP_FLOOR,  /* the walk-run floor */
};

struct load_cap {
    enum load_cap_rule rule; /* the rule that set km */
    double km;               /* the cap, rounded down to 0.1 km */
    double spike_km;         /* what each rule allows; NAN if it does not */
    double weekly_km;        /*  apply */
    double break_km;
    double floor_km;
    double ref_km;           /* the longest run it is based on */
    long ref_day;
    char reason[2 * LOAD_TEXT_MAX + 32]; /* the rule, numbers, [sources] */
    struct load_sources src;        /* of the rule that set km */
    /* The 7 days after as_of, as_of+1 .. as_of+7: any one run at most
     * longest_km (the spike or break rule, within week_km, never below
     * the floor), all 7 days together at most week_km (the weekly rule on
     * the 7 days to week_to; NAN when the log is too short for it). km is
     * what today allows, with the days already run. */
    long week_from, week_to;
    double longest_km, week_km;
    char week_text[LOAD_TEXT_MAX];  /* the sentence, with [sources] */
    struct load_sources week_src;
};

enum load_session {
    LOAD_SESSION_LONG_RUN = 1 << 0, /* report: "long_run" */
    LOAD_SESSION_HILLS = 1 << 1,    /* report: "downhill_or_trail" */
    LOAD_SESSION_RACE = 1 << 2,     /* report: "race" */
    LOAD_SESSION_MARATHON = 1 << 3, /* report: "marathon_or_longer" */
};

/* The report.schema.json value of one session bit ("long_run", "race",
 * "downhill_or_trail", "marathon_or_longer"); NULL for another value. */
const char *load_session_name(unsigned bit);

/* Every session bit, in the order the names are listed. */
#define LOAD_SESSION_ALL                                                  \
    (LOAD_SESSION_LONG_RUN | LOAD_SESSION_HILLS | LOAD_SESSION_RACE |     \
     LOAD_SESSION_MARATHON)

struct load_shoe_status {
    struct load_shoe shoe;
    bool past_limit;
};

struct load_report {
    long as_of_day;
    long first_day;      /* local day of the first counted run */
    long window_day;     /* Monday of the first week shown */
    size_t nruns;        /* runs counted (is_run, on or before as_of) */
    struct load_run_info *runs;

    long ndays;          /* days[i] is first_day + i */
    struct load_day *days;
    double *fitness;     /* per day, 42-day EWMA of km */
    double *fatigue;     /* per day, 7-day EWMA of km */

    size_t nweeks;
    struct load_week *weeks; /* the weeks shown, oldest first */

    double last7_km, prev7_km, weekly_change_pct;
    double longest_run_30d_km;
    long longest_run_30d_day;
    double acwr_uncoupled; /* 7 days / mean week of the 21 days before */
    double acwr_coupled;   /* 7 days / mean week of the 28 days (7:28) */
    double fitness_km, fatigue_km, form_km, ramp_km; /* km per day */
    double monotony, strain; /* Foster, of the last 7 days' km */
    long last_run_day;       /* LONG_MIN when there is none */

    size_t nwarnings;        /* those from window_day to as_of_day */
    struct load_warning *warnings;
    struct load_cap cap;
    char caveat[LOAD_TEXT_MAX]; /* why the cap is not the 10% rule */
    struct load_sources caveat_src;
    char weekly_legend[LOAD_TEXT_MAX]; /* what a week's `jump` means */

    size_t nshoes;
    struct load_shoe_status *shoes; /* not retired, by the caller's order */
};

/* Build the report as of opts->as_of_day from runs (any order) and shoes.
 * Left out: activities that are not runs, runs after that day, runs whose
 * start is not a finite time or lies over LOAD_SPAN_MAX_DAYS before it.
 * Distances outside 0-1000 km and durations outside 0-100 h are unknown.
 * RC_EINPUT for options out of range (weeks, as_of_day); RC_EENV when
 * memory runs out. *out is written only on success. */
int load_report_build(const struct load_run *runs, size_t nruns,
                      const struct load_shoe *shoes, size_t nshoes,
                      const struct load_rules *rules,
                      const struct load_opts *opts, struct load_report *out,
                      struct rc_err *err);

/* Free the arrays; the report is zeroed. NULL is fine. */
void load_report_release(struct load_report *r);

/* The report as `runcare load --json` prints it (README "Load guard"). */
json_t *load_report_json(const struct load_report *r);

/* Warnings in the form of the triage result's load_warnings. */
json_t *load_warnings_json(const struct load_warning *w, size_t n);

/* The weekly chart: km bars, fitness and fatigue lines (x 7: km per week),
 * one mark per warning on its run (class "warning"), as a standalone SVG
 * with no external assets, sized for a phone (viewBox 360 wide, scales).
 * Appended to out. -1 with err (the buffer's cap, memory). */
int load_svg(const struct load_report *r, struct rc_buf *out,
             struct rc_err *err);

/* ---- what a leg-pain check takes from the log ----
 * A report of load_context_weeks() weeks to the check's day holds it: the
 * facts of the report's `training` object (domain/report.schema.json)
 * about its last run, each with the sentence that says where it comes
 * from (kb/load_guard.jsonl, kind "context"), that run's session hints,
 * the next-run cap (cap.km) and the warnings of the last 30 days. The
 * caller (app/) puts them in triage's struct triage_training. */

/* Weeks of report that hold the spike reference of the last run. */
int load_context_weeks(const struct load_rules *rules);

/* One fact: true with *value and its sentence in why (n bytes, cut to
 * fit) when the report knows it; false (why "") when it does not. */
bool load_fact(const struct load_report *r, const struct load_rules *rules,
               enum load_fact f, double *value, char *why, size_t n);

/* The session hints of the report's last run: enum load_session bits, 0
 * without runs. runs is the array the report was built from. */
unsigned load_last_session(const struct load_report *r,
                           const struct load_run *runs,
                           const struct load_rules *rules);

#define LOAD_CONTEXT_MAX_WARNINGS 16

/* The report's warnings of the reference days to its day (the latest
 * LOAD_CONTEXT_MAX_WARNINGS of them), as load_warnings_json gives them. */
json_t *load_recent_warnings_json(const struct load_report *r,
                                  const struct load_rules *rules);

#endif
