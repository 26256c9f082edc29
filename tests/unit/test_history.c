/* test_history.c - the change history of the store (store.h, "the change
 * history"): every change recorded in its batch, undo taking back a
 * whole batch (an edit, an rm, an import's activities, sources and log
 * lines, a diary report), never an undo, and nothing lost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/alloc.h"
#include "store/store.h"
#include "testlib.h"

struct fixture {
    char dir[512];
    char db[600];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct rc_err err = RC_ERR_INIT;
    test_tmpdir(f->dir, sizeof(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/runcare.db", f->dir);
    f->s = store_open(f->db, STORE_CREATE, &err);
    if (!f->s)
        fail_msg("store_open: %s", err.msg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static int64_t add_run(struct store *s, double start_s, double km,
                       int64_t source_id)
{
    struct activity a;
    struct rc_err err = RC_ERR_INIT;
    int64_t id = 0;
    activity_init(&a);
    snprintf(a.sport, sizeof(a.sport), "running");
    a.start_s = start_s;
    a.elapsed_s = a.timer_s = km * 300;
    a.distance_m = km * 1000;
    for (int i = 0; i < 10; i++) {
        struct activity_sample *p = activity_add_sample(&a, &err);
        assert_non_null(p);
        p->time_s = start_s + i;
        p->hr_bpm = 140 + (float)i;
    }
    if (store_add_activity(s, &a, source_id, &id, &err) < 0)
        fail_msg("store_add_activity: %s", err.msg);
    activity_release(&a);
    return id;
}

static size_t count_listed(struct store *s)
{
    struct store_filter f;
    struct store_activity *v;
    struct rc_err err = RC_ERR_INIT;
    size_t n;
    store_filter_init(&f);
    assert_int_equal(store_list_activities(s, &f, &v, &n, &err), 0);
    free(v);
    return n;
}

static void undo_ok(struct store *s, const char *expect_command)
{
    struct store_batch b;
    struct rc_err err = RC_ERR_INIT;
    if (store_undo(s, "undo", 2e9, &b, &err) != 1)
        fail_msg("undo: %s", err.msg);
    assert_string_equal(b.command, expect_command);
    assert_true(b.undone_by > b.id);
    store_batch_release(&b);
}

static void test_history__undo_takes_back_an_edit(void **state)
{
    struct fixture *f = *state;
    struct rc_err err = RC_ERR_INIT;
    struct store_activity sa;
    int64_t id = add_run(f->s, 1.7e9, 8, 0);

    assert_int_equal(store_history_begin(f->s, "edit", 1.8e9, &err), 0);
    assert_int_equal(store_set_sport(f->s, id, "walking", NULL, &err), 0);
    assert_int_equal(store_set_rpe(f->s, id, 7, &err), 0);
    store_history_end(f->s);
    assert_int_equal(store_get_activity(f->s, id, &sa, NULL, &err), 0);
    assert_string_equal(sa.act.sport, "walking");

    undo_ok(f->s, "edit"); /* both changes of the one command */
    assert_int_equal(store_get_activity(f->s, id, &sa, NULL, &err), 0);
    assert_string_equal(sa.act.sport, "running");
    assert_true(isnan(sa.rpe));
    assert_true(sa.act.distance_m == 8000); /* untouched, every bit */
    assert_int_equal(store_check(f->s, &err), 0);
}

static void test_history__rm_keeps_the_run_and_undo_brings_it_back(
    void **state)
{
    struct fixture *f = *state;
    struct rc_err err = RC_ERR_INIT;
    struct store_activity sa;
    struct activity full;
    struct store_totals t;
    int64_t shoe, id;

    assert_int_equal(store_shoe_add(f->s, "Pegasus", 0, NAN, &shoe, &err), 0);
    id = add_run(f->s, 1.7e9, 10, 0);
    assert_int_equal(store_set_shoe(f->s, id, shoe, &err), 0);
    assert_int_equal(store_history_begin(f->s, "rm 1", 1.8e9, &err), 0);
    assert_int_equal(store_activity_set_deleted(f->s, id, true, &err), 0);
    store_history_end(f->s);

    assert_int_equal(count_listed(f->s), 0);
    assert_int_equal(store_totals(f->s, &t, &err), 0);
    assert_int_equal(t.runs, 0);
    {
        struct store_shoe sh;
        assert_int_equal(store_shoe_get(f->s, "Pegasus", &sh, &err), 0);
        assert_true(sh.used_km == 0); /* a removed run is no shoe's */
    }
    assert_int_equal(store_get_activity(f->s, id, &sa, &full, &err), 0);
    assert_true(sa.deleted);
    assert_int_equal(full.nsamples, 10); /* nothing lost */
    activity_release(&full);

    undo_ok(f->s, "rm 1");
    assert_int_equal(count_listed(f->s), 1);
    assert_int_equal(store_get_activity(f->s, id, &sa, NULL, &err), 0);
    assert_false(sa.deleted);
    assert_int_equal(sa.shoe_id, shoe);
}

static void test_history__undo_of_an_import_removes_what_it_added(
    void **state)
{
    struct fixture *f = *state;
    struct rc_err err = RC_ERR_INIT;
    struct store_source src;
    struct store_import_entry e = {0};
    int64_t run, sid, before = add_run(f->s, 1.6e9, 5, 0), a, b;
    long count;

    memset(&src, 0, sizeof(src));
    snprintf(src.path, sizeof(src.path), "export.zip:1.fit");
    snprintf(src.format, sizeof(src.format), "fit");
    src.sha256[0] = 7;
    assert_int_equal(store_history_begin(f->s, "import export.zip", 1.8e9,
                                         &err),
                     0);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_import_run(f->s, &run, &err), 0);
    assert_int_equal(store_add_source(f->s, &src, &sid, &err), 0);
    a = add_run(f->s, 1.7e9, 10, sid);
    b = add_run(f->s, 1.6e9 + 20, 5, sid);
    assert_int_equal(store_mark_duplicate(f->s, before, b, &err), 0);
    e.run = run;
    e.path = src.path;
    e.sha256 = src.sha256;
    e.status = STORE_IMPORTED;
    e.activity_id = a;
    assert_int_equal(store_log_import(f->s, &e, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    store_history_end(f->s);
    assert_int_equal(count_listed(f->s), 2);

    undo_ok(f->s, "import export.zip");
    assert_int_equal(count_listed(f->s), 1);
    {
        struct store_activity sa;
        assert_int_equal(store_get_activity(f->s, before, &sa, NULL, &err),
                         0);
        assert_int_equal(sa.duplicate_of, 0); /* the run before stands */
        assert_int_equal(store_get_activity(f->s, a, &sa, NULL, &err), -1);
    }
    assert_int_equal(store_source_find(f->s, src.sha256, &sid, &err), 0);
    assert_int_equal(store_import_count(f->s, 0, STORE_IMPORTED, &count, &err),
                     0);
    assert_int_equal(count, 0);
    assert_int_equal(store_check(f->s, &err), 0);
}

/* An import run's history change is recorded with its first log line
 * (record_run), and not asked again for the next ones: when the unit
 * that held the first line is undone, the next line records it again,
 * so undo still takes the whole import back. */
static void test_history__an_undone_unit_does_not_lose_the_import(
    void **state)
{
    struct fixture *f = *state;
    struct rc_err err = RC_ERR_INIT;
    struct store_import_entry e = {0};
    unsigned char sha[32] = {9};
    int64_t run;
    long count;

    assert_int_equal(store_history_begin(f->s, "import x", 1.8e9, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_import_run(f->s, &run, &err), 0);
    e.run = run;
    e.path = "a.fit";
    e.status = STORE_FAILED;
    e.reason = "cut off";
    assert_int_equal(store_unit_begin(f->s, &err), 0);
    assert_int_equal(store_log_import(f->s, &e, &err), 0);
    store_unit_undo(f->s); /* the line and the run's history change */
    e.path = "b.fit";
    e.sha256 = sha;
    e.status = STORE_DUPLICATE;
    e.reason = "the same bytes are already in the log";
    assert_int_equal(store_log_import(f->s, &e, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    store_history_end(f->s);
    assert_int_equal(store_import_count(f->s, 0, STORE_DUPLICATE, &count,
                                        &err),
                     0);
    assert_int_equal(count, 1);

    undo_ok(f->s, "import x");
    assert_int_equal(store_import_count(f->s, 0, STORE_DUPLICATE, &count,
                                        &err),
                     0);
    assert_int_equal(count, 0);
    assert_int_equal(store_check(f->s, &err), 0);
}

static void test_history__undo_never_takes_back_an_undo(void **state)
{
    struct fixture *f = *state;
    struct rc_err err = RC_ERR_INIT;
    struct store_batch b, *v;
    size_t n;
    int64_t id = add_run(f->s, 1.7e9, 8, 0); /* its own batch */

    assert_int_equal(store_history_begin(f->s, "rpe", 1.8e9, &err), 0);
    assert_int_equal(store_set_rpe(f->s, id, 4, &err), 0);
    store_history_end(f->s);
    undo_ok(f->s, "rpe");
    undo_ok(f->s, ""); /* the add, not the undo before it */
    assert_int_equal(count_listed(f->s), 0);
    assert_int_equal(store_undo(f->s, "undo", 2e9, &b, &err), 0);

    /* every step is in the history, newest first */
    assert_int_equal(store_history_list(f->s, 0, &v, &n, &err), 0);
    assert_int_equal(n, 4);
    assert_true(v[0].undoes == v[3].id); /* the undo of the add */
    assert_true(v[1].undoes == v[2].id);
    assert_string_equal(v[3].changes[0].action, "add");
    assert_non_null(v[3].changes[0].after_json);
    assert_string_equal(v[0].changes[0].action, "rm");
    assert_non_null(v[0].changes[0].before_json); /* the run, kept */
    store_history_free(v, n);
}

static void test_history__a_command_that_changes_nothing_leaves_no_batch(
    void **state)
{
    struct fixture *f = *state;
    struct rc_err err = RC_ERR_INIT;
    struct store_batch *v;
    size_t n;
    int64_t id = add_run(f->s, 1.7e9, 8, 0);
    assert_int_equal(store_history_begin(f->s, "rpe", 1.8e9, &err), 0);
    assert_int_equal(store_set_rpe(f->s, id, NAN, &err), 0); /* as it was */
    store_history_end(f->s);
    assert_int_equal(store_history_list(f->s, 0, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].command, "");
    store_history_free(v, n);
}

static void test_history__a_report_kept_or_recorded_by_the_diary_is_undone(
    void **state)
{
    struct fixture *f = *state;
    struct rc_err err = RC_ERR_INIT;
    struct store_report *r;
    char *before;
    size_t n;
    int64_t id;

    assert_int_equal(store_add_report(f->s, "{\"a\":1}", "", 1.7e9, &id, &err),
                     0);
    assert_int_equal(store_history_begin(f->s, "check", 1.8e9, &err), 0);
    assert_int_equal(store_add_report(f->s, "{\"b\":2}", "", 1.8e9, NULL,
                                      &err),
                     0);
    store_history_end(f->s);
    undo_ok(f->s, "check"); /* a check's report goes */
    /* as the diary does it: its own write, then the change recorded */
    assert_int_equal(store_history_begin(f->s, "diary rm", 1.8e9, &err), 0);
    assert_int_equal(store_history_snapshot(f->s, "report", id, &before,
                                            &err),
                     0);
    assert_non_null(before);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_history_record(f->s, "report", id, "rm", before,
                                          NULL, &err),
                     0);
    assert_int_equal(store_commit(f->s, &err), 0);
    free(before);
    store_history_end(f->s);
    undo_ok(f->s, "diary rm");
    assert_int_equal(store_list_reports(f->s, -INFINITY, &r, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].report_json, "{\"a\":1}");
    store_reports_free(r, n);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_history__undo_takes_back_an_edit),
        T(test_history__rm_keeps_the_run_and_undo_brings_it_back),
        T(test_history__undo_of_an_import_removes_what_it_added),
        T(test_history__an_undone_unit_does_not_lose_the_import),
        T(test_history__undo_never_takes_back_an_undo),
        T(test_history__a_command_that_changes_nothing_leaves_no_batch),
        T(test_history__a_report_kept_or_recorded_by_the_diary_is_undone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
