/* app.h - the application layer: what a runner can ask runcare to do with
 * their log, one function each, for every front end (cli/ now, http/
 * later). Each takes plain arguments and gives a typed result and a
 * struct rc_err; none parses a command line, prints or exits.
 *
 * Data flow: front end (argv, a request) -> app_* -> import/, store/,
 * load/, triage/ -> a result struct -> the front end prints it as text,
 * JSON or SVG. app/ may include every core module; nothing below it
 * includes app/, and nothing outside cli/ includes cli/.
 *
 * The database: one rule for where it is and for making it (app_open).
 * What writes makes the file when its folder is there (and makes only the
 * default folder); what only reads never makes anything: a missing file is
 * an empty log.
 *
 * Ownership: arguments are borrowed; results are yours, released with
 * their _release (a released or zeroed result may be released again).
 * Errors: -1 with err set: RC_EENV for the database (naming the file) and
 * memory, RC_EINPUT for a bad value from the runner. */
#ifndef RC_APP_H
#define RC_APP_H

#include <jansson.h>

#include "base/base.h"
#include "base/err.h"
#include "import/import.h"
#include "json/jschema.h"
#include "load/load.h"
#include "store/store.h"
#include "triage/triage.h"

#define APP_PATH_MAX 4096

/* What a front end was told about where the log is. */
struct app_pool;

struct app {
    const char *db; /* --db PATH; NULL: $RUNCARE_DB, else the default */
    /* --athlete NAME; NULL: $RUNCARE_ATHLETE, else the log's own (the
     * connecting role's athlete, or the only one) */
    const char *athlete;
    /* the load guard's rules (--kb DIR); NULL: the built-in ones */
    const struct load_rules *rules;
    /* what the runner asked, as the history keeps it ("edit 12
     * --distance 8km"); NULL: "". Every change one app call makes to the
     * log is one batch of the history under this name. */
    const char *command;
    /* connections kept open between calls (app_pool_new); NULL: none */
    struct app_pool *pool;
};

/* Connections to a PostgreSQL log kept open from one call to the next,
 * for the web server: a new connection costs 35-45 ms (the server starts
 * a process for it, and its first queries load the catalog), where the
 * load of one athlete on an open one costs a few ms. app_open takes an
 * idle one opened for the same log and athlete, and app_close gives it
 * back (or closes it: the pool is full, or it is in a transaction or
 * broken). Thread-safe. Nothing is kept for SQLite, whose open is cheap. */
struct app_pool *app_pool_new(void);
void app_pool_free(struct app_pool *p);

/* ---- the knowledge base: built in, or a folder (--kb DIR) ---- */

#define APP_KB_FILES_MAX 32
#define APP_KB_FILE_MAX ((size_t)8 << 20)

/* The two readers of kb/: the check's kb and the load guard's rules. */
struct app_kb {
    struct kb *triage;
    struct load_rules load;
};

/* The kb built into the binary (dir NULL), or the *.jsonl and *.json
 * files of dir: all of them make the check's kb (triage/kb.c checks them
 * all); load_guard.jsonl there, else the built-in one, the load guard's
 * rules. RC_EINPUT naming the file (and line) for a folder that cannot
 * be read or a kb that does not load; RC_EENV for memory. *out is
 * written only on success; app_kb_release it. */
int app_kb_open(const char *dir, struct app_kb *out, struct rc_err *err);
void app_kb_release(struct app_kb *kb);

/* The load guard's rules of app: app->rules, else the built-in ones. */
int app_load_rules(const struct app *app, struct load_rules *out,
                   struct rc_err *err);

/* ---- the log: where it is, and when it is made ---- */

/* The database path: app->db, else $RUNCARE_DB, else
 * $XDG_DATA_HOME/runcare/runcare.db (XDG_DATA_HOME absolute), else
 * $HOME/.local/share/runcare/runcare.db. *is_default (may be NULL) says
 * it is one of the last two, whose folder runcare makes. RC_EENV with no
 * HOME, or a path of APP_PATH_MAX bytes or more. */
int app_db_path(const struct app *app, char out[APP_PATH_MAX],
                bool *is_default, struct rc_err *err);

enum app_access {
    /* list, load, shoe list, the check's training context: a missing
     * file is an empty log (store NULL); nothing is made */
    APP_READ,
    /* import, log, rpe, shoe add/retire/default, a check that saves,
     * demo: a missing file is made when its folder is there; the default
     * folder is made too, no other */
    APP_WRITE,
    /* demo: as APP_WRITE, and the folder is made when it is missing */
    APP_CREATE,
};

struct app_log {
    struct store *store; /* NULL: no database yet (APP_READ): empty */
    char path[APP_PATH_MAX];
    struct app_pool *pool; /* app_close gives store back to it */
    char pool_athlete[64]; /* the athlete the app named ("": its own) */
};

/* APP_WRITE opens a batch of the history (app->command) that app_close
 * ends: whatever the call changes, undo takes back in one step. */

/* Open the log at app_db_path. A folder that is not there (other than
 * the default one) is RC_EENV for both: no database can be in it. So is
 * a file that is not a runcare database, or a folder where the file
 * should be. *log is written only on success; app_close it. */
int app_open(const struct app *app, enum app_access access,
             struct app_log *log, struct rc_err *err);

/* The same without choosing one athlete, for what reads or changes the
 * club as a whole (athlete add|list|rm|grant, club): on PostgreSQL no
 * history batch, and the athlete named by --athlete or $RUNCARE_ATHLETE
 * is still chosen; a SQLite file, one athlete's log, is opened as
 * app_open does (a missing one is an empty log for APP_READ). */
int app_open_club(const struct app *app, enum app_access access,
                  struct app_log *log, struct rc_err *err);
void app_close(struct app_log *log);

/* ---- import ---- */

/* Import paths into the log (import_paths; APP_WRITE). 0 when the batch
 * ran to its end, even with failed files (sum->failed). sum is filled in
 * every case; release it with import_summary_release. */
int app_import(const struct app *app, char *const *paths, size_t npaths,
               const struct import_opts *opts, struct import_summary *sum,
               struct rc_err *err);

/* ---- the stored activities and shoes ---- */

struct app_list {
    struct store_activity *acts; /* oldest first */
    size_t n;
    struct store_shoe *shoes; /* by name */
    size_t nshoes;
};

/* The activities that match f, and every shoe (APP_READ). */
int app_list(const struct app *app, const struct store_filter *f,
             struct app_list *out, struct rc_err *err);
void app_list_release(struct app_list *l);

/* ---- a run without a file ---- */

/* A logged run's pace must lie between these: faster than 2:20/km is
 * faster than any human runs 5 km or more (the 5,000 m world record is
 * about 2:31/km), slower than 30:00/km is standing still. Other sports
 * are only checked for a distance and duration above zero. */
#define APP_RUN_PACE_MIN_S_PER_KM 140.0
#define APP_RUN_PACE_MAX_S_PER_KM 1800.0

struct app_run {
    long day;          /* local day; not after tomorrow */
    double distance_m; /* above 0 */
    double duration_s; /* above 0 */
    double rpe;        /* CR-10, 0-10; NAN: not rated */
    const char *shoe;  /* NULL: the default shoe, if any */
    const char *sport; /* "running", "run", "Walk" ... (app_sport) */
    const char *name;  /* "" none */
    bool force;        /* keep it even when it is implausible */
};

/* Store a run (APP_WRITE): at noon of its day in an unknown time zone,
 * so that its local day is the date. Refused with RC_EINPUT, err->field
 * naming what: "sport" one app_sport does not know, "date" a day before
 * 1990 or after today in the runner's time zone (app_check_day), "pace" a
 * running pace outside the bounds above, and unless run->force, "force"
 * an implausible run (app_check_plausible). out->acts[0] is the stored
 * run, and out's shoes are every shoe after it (for limit warnings). */
int app_log_run(const struct app *app, const struct app_run *run,
                struct app_list *out, struct rc_err *err);

/* Rate activity id (0: the newest that is not a duplicate) with rpe
 * (CR-10, 0-10; APP_WRITE); *out is the rated activity. RC_EINPUT when
 * the log has no activity yet, or no activity id. */
int app_rpe(const struct app *app, int64_t id, double rpe,
            struct store_activity *out, struct rc_err *err);

/* ---- shoes ---- */

/* Add a shoe (APP_WRITE); limit_km NAN: STORE_SHOE_LIMIT_KM. It counts
 * the runs from since_day on (LONG_MIN: today in the runner's time zone;
 * a day checked as app_check_day's), those already in the log that
 * count to no shoe too, and imports give it the runs of its days. */
int app_shoe_add(const struct app *app, const char *name, double start_km,
                 double limit_km, bool make_default, long since_day,
                 struct rc_err *err);

/* Every shoe, by name (APP_READ). Free *out. */
int app_shoe_list(const struct app *app, struct store_shoe **out,
                  size_t *n, struct rc_err *err);

/* Retire (or, retired false, bring back) the shoe called name (any
 * case): its last day of use is day (LONG_MIN: today in the runner's
 * time zone; none when brought back); *out is the shoe as it was.
 * APP_WRITE. */
int app_shoe_retire(const struct app *app, const char *name, bool retired,
                    long day, struct store_shoe *out, struct rc_err *err);

/* Make the shoe called name the one new runs count to (NULL: none);
 * *out is that shoe (zeroed for none). APP_WRITE. */
int app_shoe_default(const struct app *app, const char *name,
                     struct store_shoe *out, struct rc_err *err);

/* ---- the log as the load guard reads it ---- */

struct app_runs {
    struct load_run *runs; /* every activity's totals; is_run marks runs */
    size_t nruns;
    struct load_shoe *shoes;
    size_t nshoes;
};

/* The activities (totals, no samples) and every shoe (APP_READ): those
 * from LOAD_HISTORY_DAYS before first_day on, which give every figure of
 * a report whose first week starts on first_day; the whole log when
 * first_day is LONG_MIN, or when that part does not show the runner
 * running between lookback_days after its start and first_day (then a
 * break, or the log's first days, may reach back further). A race is a
 * run the file calls one, or whose title has the word "race" or
 * "parkrun". */
int app_runs_read(const struct app *app, long first_day, int lookback_days,
                  struct app_runs *out, struct rc_err *err);
void app_runs_release(struct app_runs *r);

/* Today in the runner's time zone: now plus the UTC offset of the log's
 * latest run (UTC when the log is empty). */
long app_runs_today(const struct app_runs *r);

/* ---- the load report ---- */

struct app_load_opts {
    long as_of_day;   /* LONG_MIN: today in the runner's time zone */
    int weeks;        /* weeks shown, 1-LOAD_WEEKS_MAX */
    bool new_runner;  /* the log's first run starts the running */
};

struct app_load {
    struct load_report report;
    size_t nactivities; /* activities read; 0: the log holds none */
};

/* The load report of the log (APP_READ): as of the day asked, or today in
 * the runner's time zone. */
int app_load(const struct app *app, const struct app_load_opts *o,
             struct app_load *out, struct rc_err *err);
void app_load_release(struct app_load *l);

/* ---- a club: its athletes, and everyone's load at once ---- */

/* store_athlete_add|list|rm|grant on the log (app_open_club). */
int app_athlete_add(const struct app *app, const char *name,
                    struct rc_err *err);
int app_athlete_list(const struct app *app, struct store_athlete **out,
                     size_t *n, struct rc_err *err);
int app_athlete_rm(const struct app *app, const char *name, bool with_log,
                   struct rc_err *err);
int app_athlete_grant(const struct app *app, const char *coach,
                      const char *athlete, struct rc_err *err);

/* One athlete's week: the load guard as `runcare load` runs it. */
struct app_club_row {
    char athlete[64];
    long as_of_day;   /* today where the athlete runs, or the day asked */
    long week_day;    /* the Monday of its week */
    double cap_km;    /* next-run cap; NAN without runs */
    double week_km;   /* run this week so far */
    struct load_warning *warnings; /* this week's (day >= week_day) */
    size_t nwarnings;
    double worst;     /* the largest value over threshold (1: at it) */
};

struct app_club {
    struct app_club_row *rows; /* worst first: more warnings, further over
                                  a threshold, then by name */
    size_t n;
};

/* Every athlete the connecting role may see, as of as_of_day (LONG_MIN:
 * each athlete's today). */
int app_club(const struct app *app, long as_of_day, struct app_club *out,
             struct rc_err *err);
void app_club_release(struct app_club *c);

/* Move a runner's log across: every row of the athlete's log in from
 * ("sqlite:FILE", a path or a postgresql:// URL) into to, ids kept, so
 * that list, load and diary read the same after. The athlete is
 * --athlete/$RUNCARE_ATHLETE, else the one from names; to gets it (and
 * its role) when it lacks it, and must hold none of its rows yet. from
 * is opened as any log (an old SQLite file is upgraded first); to is
 * written in one transaction. *rows: the rows copied. */
int app_migrate(const struct app *app, const char *from, const char *to,
                long *rows, struct rc_err *err);

/* ---- the leg-pain check ---- */

/* The training context of a check: the facts of the report's `training`
 * the log knows, each with its `why` sentence, the next-run cap and the
 * load warnings of the last 30 days (struct triage_training). */
struct app_training {
    struct triage_training t;
    json_t *warnings; /* t.load_warnings, owned; NULL when no runs */
    int64_t run_id;   /* the run before the pain (t.run_*); 0 none */
};

/* The run before the pain is the log's latest run when it started on one
 * of the last APP_PAIN_RUN_DAYS days before the check's day, or on it:
 * the questionnaire asks how long ago it ended only when there is none. */
#define APP_PAIN_RUN_DAYS 7

/* From runs already read, as of as_of_day: the load guard's facts and
 * the run before the pain (its distance, descent per km, end, and a
 * sentence naming it; its temperature is app_training_temperature's).
 * With no runs on or before as_of_day, t stays as triage_training_init
 * leaves it. -1 with err (RC_EENV) when memory runs out. */
int app_training_fill(const struct app_runs *log,
                      const struct load_rules *rules, long as_of_day,
                      struct app_training *out, struct rc_err *err);
void app_training_release(struct app_training *t);

/* The mean temperature the watch measured in the run before the pain
 * (t->run_id), from its samples in log: t.run_temperature_c, and the
 * sentence names it. Nothing changes when the log cannot say. */
void app_training_temperature(struct store *log, struct app_training *t);

enum app_check_flags {
    APP_CHECK_NO_SAVE = 1 << 0, /* keep nothing in the diary (--no-save) */
    APP_CHECK_NO_LOG = 1 << 1,  /* no training context from the log */
};

/* One check in progress: the questionnaire asks only what the log does
 * not know (training), then app_check_run gives the answer. The log is
 * opened once, for reading; a check that saves into a log not made yet
 * makes it at the end, so a check stopped half way leaves nothing. */
struct app_check {
    struct app app;
    unsigned flags;        /* enum app_check_flags */
    double now_s;          /* the check's time */
    int64_t follows_id;    /* a follow-up of this check (diary add); 0 */
    struct app_log log;
    struct app_training training;
    /* why the log could not be read: the check goes on without it (a
     * log must not stop a safety check); status RC_OK when it could */
    struct rc_err log_err;
};

/* Open the log and fill the training context as of today in the runner's
 * time zone. Never fails: see c->log_err. */
void app_check_begin(const struct app *app, unsigned flags, double now_s,
                     struct app_check *c);
void app_check_end(struct app_check *c);

struct app_check_result {
    struct triage_result res; /* what the text printer reads */
    json_t *result;           /* the same, valid against result.schema.json */
    enum triage_level level;
    int64_t report_id;       /* the diary entry; 0 when not saved */
    /* why the report could not be saved (RC_EENV); the result stands */
    struct rc_err save_err;
};

/* Run the check on a report valid against report.schema.json and keep
 * the report and its result in the diary (APP_WRITE) unless
 * APP_CHECK_NO_SAVE. -1 with err when there is no result: memory, or a
 * result that breaks result.schema.json (RC_EENV, every violation in
 * verrs). *out is written only on success. */
int app_check_run(struct app_check *c, const struct kb *kb,
                  const json_t *report, struct app_check_result *out,
                  struct jschema_errors *verrs, struct rc_err *err);
void app_check_result_release(struct app_check_result *r);

/* app_check_begin, app_check_run and app_check_end in one: for a report
 * already at hand. A log that cannot be read is c->log_err's business
 * there; here it is left out silently (the result says what it used). */
int app_check(const struct app *app, const struct kb *kb,
              const json_t *report, unsigned flags, double now_s,
              struct app_check_result *out, struct jschema_errors *verrs,
              struct rc_err *err);

/* ---- the demo athlete ---- */

/* Write the demo athlete's watch files into dir/watch (14 weeks of runs,
 * about 30 km a week, then a jump to about 50 km with a 21 km long run
 * the day before check_s, her leg-pain check) and the phone's GPX of that
 * long run as dir/phone-long-run.gpx; dir is made if missing, its parent
 * must be there. *long_run_end_s is when that run ended. */
int app_demo_files(const char *dir, double check_s, double *long_run_end_s,
                   struct rc_err *err);

/* Import them (APP_WRITE), counting every run to the demo's shoe (300 km
 * before the log began) as the default; sum as app_import's, out's shoes
 * every shoe after it (out->acts empty). */
int app_demo_import(const struct app *app, const char *dir,
                    struct import_summary *sum, struct app_list *out,
                    struct rc_err *err);

/* The athlete's answers the morning after the long run, hours after it:
 * both calves and the front of both thighs ache, no red flag unless urine
 * says "dark_cola". A new reference; NULL when memory runs out. */
json_t *app_demo_report(double hours, const char *urine);

/* ---- plausible values: the same rules for every front end ---- */

/* The first year runcare takes a run from: no GPS watch logged before. */
#define APP_FIRST_YEAR 1990

/* The longest a single activity may last, and the most a runner covers
 * running in a day (the 24-hour world record is 319.6 km; 250 km is
 * beyond all but a few dozen people alive). */
#define APP_MAX_DURATION_S (24.0 * 3600)
#define APP_MAX_RUN_KM_A_DAY 250.0

/* The sport a runner means (activity_sport_parse): "run", "Run",
 * "jog" -> "running" ... RC_EINPUT, field "sport", naming the known ones
 * when it is none. */
int app_sport(const char *text, const char **sport, struct rc_err *err);

/* Today in the runner's time zone: now plus the UTC offset of the log's
 * latest activity that has one; *known says whether one had (else UTC). */
long app_today(struct store *s, bool *known);

/* A day an activity may be on: RC_EINPUT, field "date", when it is before
 * APP_FIRST_YEAR or after today (today + 1 when the zone is not known). */
int app_check_day(long day, long today, bool zone_known,
                  struct rc_err *err);

/* Can a person have done this? RC_EINPUT, field "force", saying why not:
 * longer than APP_MAX_DURATION_S; a run faster than the world record for
 * its distance (bench: the records from 100 m to 24 hours, app_edit.c),
 * or bringing the day's running (day_other_m: the day's other runs) over
 * APP_MAX_RUN_KM_A_DAY. */
int app_check_plausible(const char *sport, double distance_m,
                        double duration_s, double day_other_m,
                        struct rc_err *err);

/* ---- correcting the log: edit, rm, undo, history ---- */

/* What an edit changes; each field left as it is unless set. */
struct app_edit {
    double distance_m;  /* NAN: as it is */
    double duration_s;  /* NAN: as it is */
    long day;           /* LONG_MIN: as it is */
    const char *sport;  /* NULL: as it is; any word app_sport knows */
    const char *shoe;   /* NULL: as it is; "": none */
    const char *name;   /* NULL: as it is */
    double rpe;         /* NAN: as it is; below 0: not rated */
    bool force;         /* keep an implausible result */
};

/* Edit activity id (APP_WRITE), checked as app_log_run checks a new run
 * (the result, not only what changed); *out is the activity after it.
 * RC_EINPUT for an unknown or removed id, or a refused value (err->field
 * as app_log_run's, "shoe" for an unknown shoe). */
int app_edit(const struct app *app, int64_t id, const struct app_edit *e,
             struct store_activity *out, struct rc_err *err);

/* Remove activities (APP_WRITE), all or none: kept, so undo brings them
 * back, but out of every list, total and shoe. RC_EINPUT naming the first
 * unknown or already removed id. */
int app_rm(const struct app *app, const int64_t *ids, size_t n,
           struct rc_err *err);

/* Take back the last change that stands (APP_WRITE), a whole import as
 * one: 1 and *undone (store_batch_release it), or 0 when there is none. */
int app_undo(const struct app *app, struct store_batch *undone,
             struct rc_err *err);

/* The history, newest first, at most limit batches (0: all; APP_READ).
 * Free with store_history_free. */
int app_history(const struct app *app, size_t limit, struct store_batch **out,
                size_t *n, struct rc_err *err);

/* ---- one run's page ---- */

#define APP_HR_ZONES 5
#define APP_SPLITS_MAX 1000

struct app_split {
    double distance_m, time_s; /* a whole km or mile, the last the rest */
    double avg_hr_bpm;         /* NAN: no heart rate */
    double ascent_m, descent_m;
};

struct app_show {
    struct store_activity sa; /* as listed */
    struct activity full;     /* with laps and samples */
    double split_m;           /* 1000, or a mile */
    struct app_split *splits;
    size_t nsplits;
    /* the runner's maximum heart rate as far as the log knows (its
     * highest activity maximum); NAN: none. zone_s: seconds in each zone
     * of it, 50-60-70-80-90-100% */
    double max_hr_bpm;
    double zone_s[APP_HR_ZONES];
    double min_alt_m, max_alt_m; /* NAN: no altitude */
};

/* Activity id (0: the newest) with its splits per km (per mile with
 * miles), heart-rate zones and elevation (APP_READ). RC_EINPUT for an
 * unknown or removed id. *out written only on success;
 * app_show_release it. */
int app_show(const struct app *app, int64_t id, bool miles,
             struct app_show *out, struct rc_err *err);
void app_show_release(struct app_show *s);

/* An SVG of pace (over the last 100 m), heart rate and elevation over
 * distance, three panels, appended to out. */
int app_show_svg(const struct app_show *s, struct rc_buf *out,
                 struct rc_err *err);

/* One batch for people and programs: {"id", "at", "command",
 * "undone_by", "undoes", "changes": [{"kind", "id", "action", "fields":
 * {column: [before, after]}}]} with only the columns that changed. New
 * reference; NULL when memory runs out. */
json_t *app_batch_json(const struct store_batch *b);

/* Her follow-up of the check (report, made at check_s; the run ended at
 * run_end_s) days later: on track (pain 2/10 and better), or off course
 * (6/10 and worse), the safety screen answered again, all clear. A new
 * reference (app_follow_up_report's); NULL when memory runs out. */
json_t *app_demo_follow_up(const struct kb *kb, const json_t *report,
                           double check_s, double run_end_s, double days,
                           bool on_track);

/* ---- the pain diary and the recovery plan (app_diary.c, app_plan.c) ----
 *
 * The diary is every check's report and result (the store's), grouped
 * into problems: a check and the follow-ups linked to it. Each problem's
 * course is triage_course_eval's: against the expected course of its top
 * condition, with the runs of the log since the pain began. */

/* One diary entry. */
struct app_diary_entry {
    int64_t id, follows_id; /* follows_id: the check it follows up; 0 */
    double created_s;        /* the report's created_at, else when kept */
    json_t *report, *result; /* owned */
    enum triage_level level;
    int score;               /* /pain/score */
    size_t problem;          /* index in app_diary.problems */
};

/* A check and its follow-ups. */
struct app_diary_problem {
    size_t *entries;         /* indices, oldest first; entries[0] the check */
    size_t n;
    double run_end_s;        /* the clock's zero: the run that caused it */
    double cap_km;           /* the plan's next-run cap; NAN: none */
    double recurrence_days;  /* NAN: none */
    struct triage_course course;
};

enum app_due { APP_DUE_NONE, APP_DUE_LATER, APP_DUE_OVERDUE };

struct app_diary {
    struct app_diary_entry *entries; /* oldest first */
    size_t n;
    struct app_diary_problem *problems; /* by their first report */
    size_t nproblems;
    struct triage_course_run *runs; /* the log's runs, oldest first */
    size_t nruns;
    double now_s;
    /* the latest problem's next check-in: the latest result's
     * recheck.after_hours after it was made */
    enum app_due due;
    double due_s;
};

/* Read the diary (APP_READ: no database is an empty diary) as of now_s:
 * its problems, their courses and the next check-in. */
int app_diary_read(const struct app *app, const struct kb *kb, double now_s,
                   struct app_diary *out, struct rc_err *err);
void app_diary_release(struct app_diary *d);

/* The whole diary as JSON: every entry (report and result as kept), each
 * problem's course and escalations, the runs since each problem began and
 * the next check-in. A new reference; NULL when memory runs out. */
json_t *app_diary_json(const struct app_diary *d);

/* The chart of the latest problem: pain score over days since the run,
 * the expected band shaded, the runs of those days marked. Appended to
 * out; RC_EINPUT when the diary is empty. */
int app_diary_svg(const struct app_diary *d, struct rc_buf *out,
                  struct rc_err *err);

/* ---- follow-ups and corrections (app_diary_add.c) ---- */

/* A follow-up report made from the problem's latest report last: the
 * same report with every field of the kb's follow-up list removed (a
 * safety answer is never carried over: unanswered is not "no"), then
 * answers (JSON pointer -> value, as triage_parse_answer gives) set, and
 * the clock brought to now_s: created_at, hours_since_run from run_end_s,
 * days_with_symptoms grown by the days since last was made (last_s). A
 * new reference; NULL when memory runs out. Validate it before use. */
json_t *app_follow_up_report(const struct kb *kb, const json_t *last,
                             double last_s, const json_t *answers,
                             double now_s, double run_end_s);

/* The follow-up of the latest problem as it starts, before any answer:
 * app_follow_up_report of its latest report with no answers, as of now_s
 * (APP_READ). RC_EINPUT when the diary has no check yet. *out (a new
 * reference) is written only on success. */
int app_follow_up_begin(const struct app *app, const struct kb *kb,
                        double now_s, json_t **out, struct rc_err *err);

struct app_diary_add {
    struct app_check_result check; /* the follow-up triaged again */
    int64_t follows_id;            /* the check it follows up */
    struct app_diary diary;        /* the diary after it, its course */
};

/* Keep report (valid against report.schema.json) as a follow-up of the
 * latest problem's check, triaged again with the log (APP_WRITE), and
 * read the diary back for its course. RC_EINPUT when the diary has no
 * check yet. *out is written only on success; release it. */
int app_diary_add(const struct app *app, const struct kb *kb,
                  const json_t *report, double now_s,
                  struct app_diary_add *out, struct jschema_errors *verrs,
                  struct rc_err *err);
void app_diary_add_release(struct app_diary_add *a);

/* Correct report id with report (valid against report.schema.json),
 * triaged again with the log as it is now; the old report and result
 * stay in the store's history (one batch, "diary edit ID"). RC_EINPUT
 * when there is no report id. */
int app_diary_edit(const struct app *app, const struct kb *kb, int64_t id,
                   const json_t *report, double now_s,
                   struct jschema_errors *verrs, struct rc_err *err);

/* Delete report id; the store's history keeps it ("diary rm ID"), and
 * runcare undo brings it back. RC_EINPUT when there is no report id. */
int app_diary_rm(const struct app *app, int64_t id, double now_s,
                 struct rc_err *err);

/* A run since the pain began, against the plan. */
struct app_plan_run {
    int64_t id;
    double start_s, km, pace_s_per_km; /* pace NAN: not known */
    long day;
    bool over_cap;   /* longer than the plan's cap */
    bool too_soon;   /* before return_to_running.not_before_days */
    /* the runner's median pace of the 30 days before the pain; NAN */
    double usual_pace_s_per_km;
    int pain_before, pain_after; /* diary scores around it; -1: none */
};

/* A step of the plan with its clock times. */
struct app_plan_step {
    const json_t *step;   /* the result's plan step (borrowed) */
    char label[160];      /* its label, without the check's "(now)" */
    double from_s, to_s;  /* to_s NAN: until told otherwise */
    bool now, past;
};

struct app_plan {
    struct app_diary diary;   /* what it was made from */
    size_t problem;           /* the latest */
    const json_t *report, *result; /* its latest entry's (borrowed) */
    int64_t report_id, check_id; /* that entry, and the check it follows */
    double run_end_s;         /* the end of the run of that entry: its
                               * steps count from there */
    double at_s, hours;       /* asked at; hours since the run ended */
    double made_s;            /* when that entry was made */
    struct app_plan_step *steps;
    size_t nsteps;
    long next;                /* the next step to begin; -1: none */
    double cap_km;            /* NAN: none */
    double return_from_s;     /* not before; NAN: not set */
    struct app_plan_run *runs;
    size_t nruns;
    bool within;              /* every run since stayed within the plan */
};

/* The plan of the latest problem at at_s (APP_READ). RC_EINPUT when the
 * diary holds no check yet. */
int app_plan(const struct app *app, const struct kb *kb, double at_s,
             struct app_plan *out, struct rc_err *err);
void app_plan_release(struct app_plan *p);

/* The plan as JSON: what applies now, what is next and when, every step
 * with its times, the cap, the runs since and the course. */
json_t *app_plan_json(const struct app_plan *p);

/* The plan's steps and check-ins as an iCalendar file (RFC 5545): CRLF,
 * lines folded at 75 octets, UTC times, UIDs made from the check and the
 * step, so a second export updates the same events. Appended to out. */
int app_plan_ics(const struct app_plan *p, struct rc_buf *out,
                 struct rc_err *err);

/* ---- one activity, whole (the web page's run page) ---- */

/* Activity id with its laps and samples (APP_READ): *out its stored
 * totals, *full the activity with samples (activity_release it). RC_EINPUT
 * "no activity N" when the log has none by that number (or no log). Both
 * are written only on success. */
int app_activity_get(const struct app *app, int64_t id,
                     struct store_activity *out, struct activity *full,
                     struct rc_err *err);

#endif
