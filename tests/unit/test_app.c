/* test_app.c - the application layer (app/app.h): the one rule for the
 * database path and for making it, for every command on both sides (a
 * command that writes, one that only reads; a missing file, a missing
 * folder, the default place); what a run logged by hand may be; what a
 * race is; and the leg-pain check's training context and diary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "base/time.h"
#include "app/app.h"
#include "testlib.h"
#include "load_fixture.h"

#define D0 fix_day(2024, 1, 1) /* a Monday */

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A scratch folder with HOME in it and neither RUNCARE_DB nor
 * XDG_DATA_HOME set, so that the default place is inside it. */
struct place {
    char dir[512];
    char home[600];
    char def[700];  /* the default database, under HOME */
    char file[600]; /* a database in the scratch folder */
    char deep[700]; /* a database in a folder that is not there */
};

static void place_init(struct place *p)
{
    test_tmpdir(p->dir, sizeof(p->dir));
    snprintf(p->home, sizeof(p->home), "%s/home", p->dir);
    assert_int_equal(mkdir(p->home, 0700), 0);
    snprintf(p->def, sizeof(p->def),
             "%s/.local/share/runcare/runcare.db", p->home);
    snprintf(p->file, sizeof(p->file), "%s/x.db", p->dir);
    snprintf(p->deep, sizeof(p->deep), "%s/nonexistent/dir/x.db", p->dir);
    setenv("HOME", p->home, 1);
    unsetenv("RUNCARE_DB");
    unsetenv("XDG_DATA_HOME");
}

static void place_release(struct place *p)
{
    test_tmpdir_remove(p->dir);
}

/* The built-in kb and the demo athlete's answers, to check. */
struct checking {
    struct kb *kb;
    json_t *report;
    struct jschema_errors verrs;
};

static void checking_init(struct checking *k)
{
    struct rc_err err = RC_ERR_INIT;
    k->kb = kb_load_embedded(&err);
    k->report = app_demo_report(30, "normal");
    assert_non_null(k->kb);
    assert_non_null(k->report);
    jschema_errors_init(&k->verrs);
}

static void checking_release(struct checking *k)
{
    jschema_errors_release(&k->verrs);
    json_decref(k->report);
    kb_free(k->kb);
}

/* ---- the path ---- */

static void test_app__db_path_precedence(void **state)
{
    struct app app = { .db = NULL };
    struct rc_err err = RC_ERR_INIT;
    char path[APP_PATH_MAX];
    bool def;
    (void)state;
    setenv("HOME", "/home/runner", 1);
    unsetenv("RUNCARE_DB");
    unsetenv("XDG_DATA_HOME");
    assert_int_equal(app_db_path(&app, path, &def, &err), 0);
    assert_string_equal(path, "/home/runner/.local/share/runcare/runcare.db");
    assert_true(def);
    setenv("XDG_DATA_HOME", "/data", 1);
    assert_int_equal(app_db_path(&app, path, &def, &err), 0);
    assert_string_equal(path, "/data/runcare/runcare.db");
    assert_true(def);
    setenv("XDG_DATA_HOME", "relative", 1); /* ignored, as the spec says */
    assert_int_equal(app_db_path(&app, path, &def, &err), 0);
    assert_string_equal(path, "/home/runner/.local/share/runcare/runcare.db");
    setenv("RUNCARE_DB", "/tmp/env.db", 1);
    assert_int_equal(app_db_path(&app, path, &def, &err), 0);
    assert_string_equal(path, "/tmp/env.db");
    assert_false(def);
    app.db = "/tmp/opt.db";
    assert_int_equal(app_db_path(&app, path, &def, &err), 0);
    assert_string_equal(path, "/tmp/opt.db");
    assert_false(def);
    app.db = NULL;
    unsetenv("RUNCARE_DB");
    unsetenv("XDG_DATA_HOME");
    unsetenv("HOME");
    assert_int_equal(app_db_path(&app, path, &def, &err), -1);
    assert_int_equal(err.status, RC_EENV);
}

/* ---- making the database: every command, both sides ---- */

enum cmd {
    C_IMPORT, C_LOG, C_SHOE_ADD, C_RPE, C_CHECK_SAVE, C_DEMO, /* write */
    C_LIST, C_LOAD, C_SHOE_LIST, C_CHECK_NO_SAVE, C_RUNS,   /* read */
    C_COUNT
};
static const char *const cmd_names[C_COUNT] = {
    "import", "log", "shoe add", "rpe", "check", "demo import",
    "list", "load", "shoe list", "check --no-save", "runs",
};

static bool writes(enum cmd c)
{
    return c < C_LIST;
}

/* Run command c against app in the scratch folder p; its status. */
static int run(enum cmd c, const struct app *app, const struct place *p,
               struct rc_err *err)
{
    int rc = -1;
    switch (c) {
    case C_IMPORT: {
        char folder[700];
        char *paths[1] = { folder };
        struct import_summary sum;
        snprintf(folder, sizeof(folder), "%s/in", p->dir);
        mkdir(folder, 0700);
        rc = app_import(app, paths, 1, &(struct import_opts){ 0 }, &sum, err);
        import_summary_release(&sum);
        break;
    }
    case C_LOG: {
        struct app_run r = { D0, 8000, 2700, NAN, NULL, "running", "", false };
        struct app_list l = { .acts = NULL };
        rc = app_log_run(app, &r, &l, err);
        app_list_release(&l);
        break;
    }
    case C_SHOE_ADD:
        rc = app_shoe_add(app, "Pegasus", 0, NAN, false, LONG_MIN, err);
        break;
    case C_RPE: {
        struct store_activity sa;
        rc = app_rpe(app, 0, 5, &sa, err);
        break;
    }
    case C_CHECK_SAVE:
    case C_CHECK_NO_SAVE: {
        struct app_check_result res = { .result = NULL };
        struct checking k;
        checking_init(&k);
        rc = app_check(app, k.kb, k.report,
                       c == C_CHECK_SAVE ? 0 : APP_CHECK_NO_SAVE, rc_now(),
                       &res, &k.verrs, err);
        assert_int_equal(rc, 0); /* a log never stops a check */
        if (res.save_err.status != RC_OK) {
            *err = res.save_err;
            rc = -1;
        }
        app_check_result_release(&res);
        checking_release(&k);
        break;
    }
    case C_DEMO: {
        struct import_summary sum;
        struct app_list l = { .acts = NULL };
        rc = app_demo_import(app, p->dir, &sum, &l, err);
        import_summary_release(&sum);
        app_list_release(&l);
        break;
    }
    case C_LIST: {
        struct store_filter f;
        struct app_list l = { .acts = NULL };
        store_filter_init(&f);
        rc = app_list(app, &f, &l, err);
        if (rc == 0)
            assert_int_equal(l.n, 0);
        app_list_release(&l);
        break;
    }
    case C_LOAD: {
        struct app_load_opts o = { LONG_MIN, 4, false };
        struct app_load l = { .nactivities = 0 };
        rc = app_load(app, &o, &l, err);
        if (rc == 0)
            assert_int_equal(l.nactivities, 0);
        app_load_release(&l);
        break;
    }
    case C_SHOE_LIST: {
        struct store_shoe *v = NULL;
        size_t n = 1;
        rc = app_shoe_list(app, &v, &n, err);
        if (rc == 0)
            assert_int_equal(n, 0);
        free(v);
        break;
    }
    case C_RUNS: {
        struct app_runs r = { .runs = NULL };
        rc = app_runs_read(app, LONG_MIN, 0, &r, err);
        if (rc == 0)
            assert_int_equal(r.nruns, 0);
        app_runs_release(&r);
        break;
    }
    case C_COUNT:
        break;
    }
    return rc;
}

/* A missing file in a folder that is there: made by the commands that
 * write, never by those that read (the log is empty). */
static void test_app__missing_file_is_made_only_by_writing(void **state)
{
    (void)state;
    for (int c = 0; c < C_COUNT; c++) {
        struct place p;
        struct app app = { .db = NULL };
        struct rc_err err = RC_ERR_INIT;
        int rc;
        place_init(&p);
        app.db = p.file;
        rc = run((enum cmd)c, &app, &p, &err);
        if (c == C_RPE) { /* made, but there is nothing to rate in it */
            assert_int_equal(rc, -1);
            assert_int_equal(err.status, RC_EINPUT);
        } else if (rc != 0) {
            fail_msg("%s: %s", cmd_names[c], err.msg);
        }
        if (writes((enum cmd)c) != exists(p.file))
            fail_msg("%s: the database %s", cmd_names[c],
                     writes((enum cmd)c) ? "was not made" : "was made");
        place_release(&p);
    }
}

/* A missing folder (not the default one): no database can be there, for
 * either side; nothing is made. The demo alone makes the folders it is
 * given: it is a sandbox the runner names. */
static void test_app__missing_folder_is_an_error_for_all(void **state)
{
    (void)state;
    for (int c = 0; c < C_COUNT; c++) {
        struct place p;
        struct app app = { .db = NULL };
        struct rc_err err = RC_ERR_INIT;
        char parent[700];
        int rc;
        place_init(&p);
        app.db = p.deep;
        rc = run((enum cmd)c, &app, &p, &err);
        snprintf(parent, sizeof(parent), "%s/nonexistent", p.dir);
        if (c == C_DEMO) {
            if (rc != 0 || !exists(p.deep))
                fail_msg("demo did not make %s: %s", p.deep, err.msg);
            place_release(&p);
            continue;
        }
        if (exists(parent))
            fail_msg("%s made %s", cmd_names[c], parent);
        if (c == C_CHECK_NO_SAVE) { /* the check goes on without the log */
            assert_int_equal(rc, 0);
        } else {
            if (rc != -1 || err.status != RC_EENV)
                fail_msg("%s: %d, status %d", cmd_names[c], rc, err.status);
            assert_non_null(strstr(err.msg, "there is no folder"));
        }
        place_release(&p);
    }
}

/* The default place: its folder is made with the file by what writes;
 * reading leaves the home as it was. */
static void test_app__default_folder_is_made_only_by_writing(void **state)
{
    (void)state;
    for (int c = 0; c < C_COUNT; c++) {
        struct place p;
        struct app app = { .db = NULL };
        struct rc_err err = RC_ERR_INIT;
        char local[700];
        int rc;
        place_init(&p);
        rc = run((enum cmd)c, &app, &p, &err);
        assert_true(rc == 0 || (c == C_RPE && err.status == RC_EINPUT));
        snprintf(local, sizeof(local), "%s/.local", p.home);
        if (writes((enum cmd)c) ? !exists(p.def) : exists(local))
            fail_msg("%s: the default database %s", cmd_names[c],
                     writes((enum cmd)c) ? "was not made" : "was made");
        place_release(&p);
    }
}

/* RUNCARE_DB names the file as --db does, and its folder is not made. */
static void test_app__runcare_db_folder_is_not_made(void **state)
{
    struct place p;
    struct app app = { .db = NULL };
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    place_init(&p);
    setenv("RUNCARE_DB", p.deep, 1);
    assert_int_equal(app_shoe_add(&app, "X", 0, NAN, false, LONG_MIN, &err), -1);
    assert_int_equal(err.status, RC_EENV);
    setenv("RUNCARE_DB", p.file, 1);
    assert_int_equal(app_shoe_add(&app, "X", 0, NAN, false, LONG_MIN, &err), 0);
    assert_true(exists(p.file));
    unsetenv("RUNCARE_DB");
    place_release(&p);
}

static void test_app__a_file_that_is_no_database_is_eenv(void **state)
{
    struct place p;
    struct app app = { .db = NULL };
    struct rc_err err = RC_ERR_INIT;
    struct store_shoe *v;
    size_t n;
    (void)state;
    place_init(&p);
    test_write_file(p.file, "garbage", 7);
    app.db = p.file;
    assert_int_equal(app_shoe_list(&app, &v, &n, &err), -1);
    assert_int_equal(err.status, RC_EENV);
    assert_non_null(strstr(err.msg, "is not a runcare database"));
    app.db = p.dir; /* a folder */
    rc_err_clear(&err);
    assert_int_equal(app_shoe_add(&app, "X", 0, NAN, false, LONG_MIN, &err), -1);
    assert_int_equal(err.status, RC_EENV);
    place_release(&p);
}

/* ---- what is stored ---- */

static void test_app__log_run_refuses_a_future_day_and_a_pace(void **state)
{
    struct place p;
    struct app app = { .db = NULL };
    struct app_run r = { 0, 8000, 2700, NAN, NULL, "running", "", false };
    struct app_list l;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    place_init(&p);
    app.db = p.file;
    r.day = rc_day_of(rc_now()) + 2;
    assert_int_equal(app_log_run(&app, &r, &l, &err), -1);
    assert_string_equal(err.field, "date");
    r.day = rc_day_of(rc_now());
    r.duration_s = 300; /* 0:38/km */
    rc_err_clear(&err);
    assert_int_equal(app_log_run(&app, &r, &l, &err), -1);
    assert_string_equal(err.field, "force");
    assert_string_equal(err.msg, "8.00 km in 5:00 is faster than the world "
                                 "record (20:41)");
    r.duration_s = 5 * 3600; /* 37:30/km */
    rc_err_clear(&err);
    assert_int_equal(app_log_run(&app, &r, &l, &err), -1);
    assert_string_equal(err.field, "pace");
    assert_string_equal(err.msg,
                        "a pace of 37:30/km is not a run (2:20-30:00/km)");
    assert_false(exists(p.file)); /* a refused run makes no log */
    r.duration_s = 300;
    r.sport = "cycling"; /* only a run's pace is checked */
    rc_err_clear(&err);
    assert_int_equal(app_log_run(&app, &r, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.acts[0].act.sport, "cycling");
    app_list_release(&l);
    place_release(&p);
}

static void test_app__a_race_is_named_so(void **state)
{
    static const char *const names[] = { "Sunday Parkrun", "race day",
                                         "Racecourse loop", "easy" };
    static const bool race[] = { true, true, false, false };
    struct place p;
    struct app app = { .db = NULL };
    struct app_runs runs;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    place_init(&p);
    app.db = p.file;
    for (size_t i = 0; i < RC_ARRAY_SIZE(names); i++) {
        struct app_run r = { D0 + (long)i, 5000, 1500, NAN, NULL, "running",
                             names[i], false };
        struct app_list l;
        assert_int_equal(app_log_run(&app, &r, &l, &err), 0);
        app_list_release(&l);
    }
    assert_int_equal(app_runs_read(&app, LONG_MIN, 0, &runs, &err), 0);
    assert_int_equal(runs.nruns, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_true(runs.runs[i].is_run);
        if (runs.runs[i].is_race != race[i])
            fail_msg("\"%s\": is_race %d", names[i], runs.runs[i].is_race);
    }
    app_runs_release(&runs);
    place_release(&p);
}

/* ---- the check ---- */

static void test_app__training_context_with_reasons(void **state)
{
    struct fix_log *fx = fix_log_new();
    struct app_runs log = { NULL, 0, NULL, 0 };
    struct app_training tr;
    struct rc_err err = RC_ERR_INIT;
    struct load_run *last;
    (void)state;
    for (long w = 0; w < 4; w++) {
        fix_run(fx, D0 + 7 * w, 10);
        fix_run(fx, D0 + 7 * w + 2, 10);
        fix_run(fx, D0 + 7 * w + 5, 10);
    }
    last = fix_run(fx, D0 + 34, 16); /* 60% over 10 km, a hilly race */
    last->ascent_m = 400;
    last->descent_m = 400;
    last->elapsed_s = 6000;
    last->is_race = true;
    log.runs = fx->runs;
    log.nruns = fx->n;
    assert_int_equal(app_training_fill(&log, fix_rules(), D0 + 36, &tr, &err),
                     0);
    assert_true(tr.t.has_weekly_km && tr.t.weekly_km == 16.0);
    assert_string_equal(tr.t.weekly_km_why,
                        "your runs in the 7 days to 2024-02-06");
    assert_true(tr.t.has_spike);
    assert_true(fabs(tr.t.longest_run_spike_pct - 60.0) < 1e-9);
    assert_string_equal(tr.t.spike_why,
                        "16.0 km on 2024-02-04 against 10.0 km on "
                        "2024-01-27");
    assert_true(tr.t.has_break && tr.t.break_weeks == 1.0);
    assert_string_equal(tr.t.break_why, "your run on 2024-02-04, the first "
                                        "since 2024-01-27");
    assert_string_equal(tr.t.session[0], "long_run");
    assert_string_equal(tr.t.session[1], "downhill_or_trail");
    assert_string_equal(tr.t.session[2], "race");
    assert_null(tr.t.session[3]);
    assert_true(isfinite(tr.t.max_single_run_km));
    /* the run before the pain: the latest, 2 days before */
    assert_int_equal(tr.run_id, last->id);
    assert_true(tr.t.run_distance_km == 16.0);
    assert_true(tr.t.run_descent_m_per_km == 25.0);
    assert_true(tr.t.run_end_s == last->start_s + 6000);
    assert_true(isnan(tr.t.run_temperature_c));
    assert_string_equal(tr.t.run_why, "your 16.0 km run on 4 February");
    assert_true(json_is_array(tr.t.load_warnings));
    assert_ptr_equal(tr.t.load_warnings, tr.warnings);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(tr.warnings, 0),
                                          "id")),
        "single_run_spike");
    app_training_release(&tr);
    free(fx);
}

/* A run more than APP_PAIN_RUN_DAYS days before the check is not the run
 * before the pain: the questionnaire asks. A run a day in the future of
 * the check's day is not either. */
static void test_app__run_before_pain_is_recent(void **state)
{
    struct fix_log *fx = fix_log_new();
    struct app_runs log = { NULL, 0, NULL, 0 };
    struct app_training tr;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    fix_run(fx, D0, 12);
    log.runs = fx->runs;
    log.nruns = fx->n;
    assert_int_equal(app_training_fill(&log, fix_rules(),
                                       D0 + APP_PAIN_RUN_DAYS, &tr, &err),
                     0);
    assert_int_equal(tr.run_id, 1);
    assert_true(tr.t.run_end_s == fx->runs[0].start_s + 12 * 360.0);
    assert_true(isnan(tr.t.run_descent_m_per_km)); /* descent unknown */
    app_training_release(&tr);
    assert_int_equal(app_training_fill(&log, fix_rules(),
                                       D0 + APP_PAIN_RUN_DAYS + 1, &tr, &err),
                     0);
    assert_int_equal(tr.run_id, 0);
    assert_true(isnan(tr.t.run_end_s) && isnan(tr.t.run_distance_km));
    assert_string_equal(tr.t.run_why, "");
    app_training_release(&tr);
    assert_int_equal(app_training_fill(&log, fix_rules(), D0 - 1, &tr, &err),
                     0);
    assert_int_equal(tr.run_id, 0);
    app_training_release(&tr);
    free(fx);
}

/* The watch's temperature over the run before the pain, from its samples
 * in the store; a run with none leaves it unknown. */
static void test_app__run_temperature_from_samples(void **state)
{
    struct place p;
    struct store *s;
    struct activity a;
    struct app_training tr;
    struct rc_err err = RC_ERR_INIT;
    int64_t id;
    (void)state;
    place_init(&p);
    assert_non_null(s = store_open(p.file, STORE_CREATE, &err));
    activity_init(&a);
    snprintf(a.sport, sizeof(a.sport), "running");
    a.start_s = (double)D0 * 86400 + 7 * 3600;
    a.elapsed_s = a.timer_s = 3600;
    a.distance_m = 10000;
    for (int i = 0; i < 4; i++) {
        struct activity_sample *smp = activity_add_sample(&a, &err);
        assert_non_null(smp);
        smp->time_s = a.start_s + 900 * i;
        smp->temp_c = i < 3 ? 27.0f + (float)i : NAN; /* 27, 28, 29, - */
    }
    assert_int_equal(store_add_activity(s, &a, 0, &id, &err), 0);
    activity_release(&a);
    memset(&tr, 0, sizeof(tr));
    triage_training_init(&tr.t);
    snprintf(tr.t.run_why, sizeof(tr.t.run_why), "your 10.0 km run");
    tr.run_id = id;
    app_training_temperature(s, &tr);
    assert_true(fabs(tr.t.run_temperature_c - 28.0) < 1e-6);
    assert_string_equal(tr.t.run_why,
                        "your 10.0 km run, 28 °C by the watch");
    tr.run_id = id + 1; /* no such run: nothing changes */
    tr.t.run_temperature_c = NAN;
    app_training_temperature(s, &tr);
    assert_true(isnan(tr.t.run_temperature_c));
    store_close(s);
    place_release(&p);
}

static void test_app__no_runs_leaves_training_unknown(void **state)
{
    struct app_runs log = { NULL, 0, NULL, 0 };
    struct app_training tr;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(app_training_fill(&log, fix_rules(), D0, &tr, &err), 0);
    assert_false(tr.t.has_weekly_km || tr.t.has_spike || tr.t.has_break ||
                 tr.t.has_weekly_change);
    assert_true(isnan(tr.t.max_single_run_km));
    assert_null(tr.t.load_warnings);
    app_training_release(&tr);
}

/* A check that saves into a log not made yet makes it at the end: one
 * stopped before its answer leaves nothing. Saved reports are numbered. */
static void test_app__check_makes_the_log_only_to_save(void **state)
{
    struct place p;
    struct app app = { .db = NULL };
    struct app_check c;
    struct app_check_result res;
    struct rc_err err = RC_ERR_INIT;
    struct checking k;
    (void)state;
    checking_init(&k);
    place_init(&p);
    app.db = p.file;
    app_check_begin(&app, 0, rc_now(), &c);
    assert_int_equal(c.log_err.status, RC_OK);
    assert_false(c.training.t.has_weekly_km);
    app_check_end(&c); /* stopped: the questionnaire was left */
    assert_false(exists(p.file));
    for (int64_t id = 1; id <= 2; id++) {
        app_check_begin(&app, 0, rc_now(), &c);
        assert_int_equal(app_check_run(&c, k.kb, k.report, &res, &k.verrs,
                                       &err),
                         0);
        app_check_end(&c);
        assert_int_equal(res.save_err.status, RC_OK);
        assert_int_equal(res.report_id, id);
        assert_int_equal(res.level, triage_result_level(res.result));
        app_check_result_release(&res);
    }
    assert_true(exists(p.file));
    checking_release(&k);
    place_release(&p);
}

/* A log that cannot be read does not stop the check; saving then fails
 * with the reason, after the result. */
static void test_app__broken_log_is_left_out_of_the_check(void **state)
{
    struct place p;
    struct app app = { .db = NULL };
    struct app_check c;
    struct app_check_result res;
    struct rc_err err = RC_ERR_INIT;
    struct checking k;
    (void)state;
    checking_init(&k);
    place_init(&p);
    test_write_file(p.file, "garbage", 7);
    app.db = p.file;
    app_check_begin(&app, 0, rc_now(), &c);
    assert_int_equal(c.log_err.status, RC_EENV);
    assert_int_equal(app_check_run(&c, k.kb, k.report, &res, &k.verrs, &err),
                     0);
    app_check_end(&c);
    assert_non_null(res.result);
    assert_int_equal(res.report_id, 0);
    assert_int_equal(res.save_err.status, RC_EENV);
    app_check_result_release(&res);
    checking_release(&k);
    place_release(&p);
}

/* A follow-up starts from the latest report of the latest check, with
 * its safety answers taken out; with no check there is none, and
 * nothing is made. */
static void test_app__follow_up_begins_from_the_latest_check(void **state)
{
    struct place p;
    struct app app = { .db = NULL };
    struct app_check_result res;
    struct rc_err err = RC_ERR_INIT;
    struct checking k;
    json_t *rep = NULL;
    (void)state;
    checking_init(&k);
    place_init(&p);
    app.db = p.file;
    assert_int_equal(app_follow_up_begin(&app, k.kb, rc_now(), &rep, &err),
                     -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_string_equal(err.msg, "no check in the diary to follow up: run "
                                 "'runcare check' first");
    assert_null(rep);
    assert_false(exists(p.file));
    assert_int_equal(app_check(&app, k.kb, k.report, 0, rc_now(), &res,
                               &k.verrs, &err),
                     0);
    app_check_result_release(&res);
    assert_int_equal(app_follow_up_begin(&app, k.kb, rc_now(), &rep, &err),
                     0);
    assert_null(triage_get_field(rep, "/screen/chest_pain_or_breathless"));
    assert_null(triage_get_field(rep, "/pain/score"));
    assert_non_null(triage_get_field(rep, "/location/regions"));
    json_decref(rep);
    checking_release(&k);
    place_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_app__db_path_precedence),
        cmocka_unit_test(test_app__missing_file_is_made_only_by_writing),
        cmocka_unit_test(test_app__missing_folder_is_an_error_for_all),
        cmocka_unit_test(test_app__default_folder_is_made_only_by_writing),
        cmocka_unit_test(test_app__runcare_db_folder_is_not_made),
        cmocka_unit_test(test_app__a_file_that_is_no_database_is_eenv),
        cmocka_unit_test(test_app__log_run_refuses_a_future_day_and_a_pace),
        cmocka_unit_test(test_app__a_race_is_named_so),
        cmocka_unit_test(test_app__training_context_with_reasons),
        cmocka_unit_test(test_app__run_before_pain_is_recent),
        cmocka_unit_test(test_app__run_temperature_from_samples),
        cmocka_unit_test(test_app__no_runs_leaves_training_unknown),
        cmocka_unit_test(test_app__check_makes_the_log_only_to_save),
        cmocka_unit_test(test_app__broken_log_is_left_out_of_the_check),
        cmocka_unit_test(test_app__follow_up_begins_from_the_latest_check),
    };
    return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}
