/* test_diary.c - the diary's store (follow-ups linked to their check,
 * corrections and removals kept in the history and undone) and the
 * follow-up report (app_follow_up_report): a safety answer is never
 * carried over from the report before, the clock moves on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "app/app.h"
#include "store/store.h"
#include "testlib.h"

struct db {
    char dir[512], path[600];
    struct store *s;
};

static void db_open(struct db *d)
{
    struct rc_err err = RC_ERR_INIT;
    test_tmpdir(d->dir, sizeof(d->dir));
    snprintf(d->path, sizeof(d->path), "%s/r.db", d->dir);
    d->s = store_open(d->path, STORE_CREATE, &err);
    assert_non_null(d->s);
}

static void db_close(struct db *d)
{
    store_close(d->s);
    test_tmpdir_remove(d->dir);
}

static void list(struct db *d, struct store_report **r, size_t *n)
{
    struct rc_err err = RC_ERR_INIT;
    assert_int_equal(store_list_reports(d->s, -INFINITY, r, n, &err), 0);
}

static void test_diary__a_follow_up_names_its_check(void **state)
{
    struct db d;
    struct rc_err err = RC_ERR_INIT;
    struct store_report *r;
    int64_t a, b;
    size_t n;
    (void)state;
    db_open(&d);
    assert_int_equal(store_add_report(d.s, "{\"a\":1}", "{}", 100, &a, &err),
                     0);
    assert_int_equal(store_add_follow_up(d.s, "{\"a\":2}", "{}", 200, a, &b,
                                         &err),
                     0);
    list(&d, &r, &n);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].follows_id, 0);
    assert_int_equal(r[1].follows_id, a);
    store_reports_free(r, n);
    /* a check that is not there cannot be followed up */
    assert_int_equal(store_add_follow_up(d.s, "{}", "{}", 300, 99, &b, &err),
                     -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_string_equal(err.msg, "no diary report 99 to follow up");
    db_close(&d);
}

static void test_diary__edit_and_rm_are_kept_and_undone(void **state)
{
    struct db d;
    struct rc_err err = RC_ERR_INIT;
    struct store_report *r;
    struct store_batch undone;
    int64_t a, b, c;
    size_t n;
    (void)state;
    db_open(&d);
    assert_int_equal(store_add_report(d.s, "{\"v\":1}", "{}", 100, &a, &err),
                     0);
    assert_int_equal(store_add_report(d.s, "{\"v\":2}", "{}", 200, &b, &err),
                     0);
    assert_int_equal(store_update_report(d.s, a, "{\"v\":10}", "{\"x\":1}",
                                         &err),
                     0);
    list(&d, &r, &n);
    assert_string_equal(r[0].report_json, "{\"v\":10}");
    store_reports_free(r, n);
    assert_int_equal(store_rm_report(d.s, b, &err), 0);
    list(&d, &r, &n);
    assert_int_equal(n, 1);
    store_reports_free(r, n);
    /* a removed report cannot be removed or edited again */
    assert_int_equal(store_rm_report(d.s, b, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(store_update_report(d.s, 77, "{}", "{}", &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    /* its id is never given to another report */
    assert_int_equal(store_add_report(d.s, "{\"v\":3}", "{}", 300, &c, &err),
                     0);
    assert_true(c > b);
    assert_int_equal(store_rm_report(d.s, c, &err), 0);
    /* undo, newest first: c comes back, c's add goes, b comes back, then
     * the edit's old words */
    assert_int_equal(store_undo(d.s, "undo", 400, &undone, &err), 1);
    store_batch_release(&undone);
    list(&d, &r, &n);
    assert_int_equal(n, 2);
    assert_int_equal(r[1].id, c);
    store_reports_free(r, n);
    assert_int_equal(store_undo(d.s, "undo", 401, &undone, &err), 1);
    store_batch_release(&undone);
    list(&d, &r, &n);
    assert_int_equal(n, 1);
    store_reports_free(r, n);
    assert_int_equal(store_undo(d.s, "undo", 402, &undone, &err), 1);
    store_batch_release(&undone);
    list(&d, &r, &n);
    assert_int_equal(n, 2);
    assert_int_equal(r[1].id, b);
    assert_string_equal(r[1].report_json, "{\"v\":2}");
    store_reports_free(r, n);
    assert_int_equal(store_undo(d.s, "undo", 403, &undone, &err), 1);
    store_batch_release(&undone);
    list(&d, &r, &n);
    assert_string_equal(r[0].report_json, "{\"v\":1}");
    assert_string_equal(r[0].result_json, "{}");
    store_reports_free(r, n);
    db_close(&d);
}

static void test_diary__a_follow_up_never_carries_a_safety_answer_over(
    void **state)
{
    struct rc_err err = RC_ERR_INIT;
    struct kb *kb = kb_load_embedded(&err);
    json_t *last = app_demo_report(30, "normal");
    json_t *answers = json_pack("{s:i, s:s}", "/pain/score", 2,
                                "/pain/trend", "better");
    json_t *f;
    (void)state;
    assert_non_null(kb);
    /* the run ended at 0; last made at 30 h; the follow-up at 54 h */
    f = app_follow_up_report(kb, last, 30 * 3600.0, answers, 54 * 3600.0,
                             0);
    assert_non_null(f);
    /* the screen was "no" before: now unanswered, to be asked again */
    assert_null(triage_get_field(f, "/screen/chest_pain_or_breathless"));
    assert_null(triage_get_field(f, "/screen/urine"));
    assert_null(triage_get_field(f, "/signs/swelling"));
    /* what was answered is set, what cannot change is kept */
    assert_int_equal(json_integer_value(triage_get_field(f, "/pain/score")),
                     2);
    assert_string_equal(json_string_value(triage_get_field(f, "/pain/onset")),
                        "next_day");
    /* the clock: 54 h since the run, a day more with symptoms */
    assert_true(fabs(json_number_value(
                         triage_get_field(f, "/pain/hours_since_run")) -
                     54) < 1e-9);
    assert_true(fabs(json_number_value(
                         triage_get_field(f, "/pain/days_with_symptoms")) -
                     (json_number_value(triage_get_field(
                          last, "/pain/days_with_symptoms")) +
                      1)) < 1e-9);
    assert_string_equal(json_string_value(json_object_get(f, "created_at")),
                        "1970-01-03T06:00:00Z");
    json_decref(f);
    json_decref(answers);
    json_decref(last);
    kb_free(kb);
}

static void test_diary__follow_up_questions_go_in_order_each_once(
    void **state)
{
    struct rc_err err = RC_ERR_INIT;
    struct kb *kb = kb_load_embedded(&err);
    json_t *last = app_demo_report(30, "normal"), *empty = json_object();
    json_t *f;
    bool *asked;
    long q, first;
    (void)state;
    assert_non_null(kb);
    asked = calloc(kb_count_questions(kb) + 1, sizeof(*asked));
    assert_non_null(asked);
    f = app_follow_up_report(kb, last, 30 * 3600.0, empty, 54 * 3600.0, 0);
    assert_non_null(f);
    /* the safety screen first */
    first = triage_next_follow_up(kb, f, asked);
    assert_true(first >= 0);
    assert_int_equal(strncmp(kb_question_at(kb, (size_t)first)->field,
                             "/screen/", 8),
                     0);
    /* "not sure" sets nothing: asked once, it is not asked again */
    asked[first] = true;
    q = triage_next_follow_up(kb, f, asked);
    assert_true(q >= 0 && q != first);
    /* every question asked: none left */
    for (size_t i = 0; i < kb_count_questions(kb); i++)
        asked[i] = true;
    assert_int_equal(triage_next_follow_up(kb, f, asked), -1);
    free(asked);
    json_decref(f);
    json_decref(empty);
    json_decref(last);
    kb_free(kb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diary__a_follow_up_names_its_check),
        cmocka_unit_test(test_diary__edit_and_rm_are_kept_and_undone),
        cmocka_unit_test(
            test_diary__a_follow_up_never_carries_a_safety_answer_over),
        cmocka_unit_test(
            test_diary__follow_up_questions_go_in_order_each_once),
    };
    return cmocka_run_group_tests_name("diary", tests, NULL, NULL);
}
