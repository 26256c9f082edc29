/* test_history_property.c - a property of correcting the log: whatever
 * random sequence of log, edit, rm and undo a runner makes, the load
 * report and each shoe's km equal those of a fresh log holding only the
 * runs that survive, as they are. Nothing removed still counts, nothing
 * undone is half undone. Seeds are fixed, so a failure is repeatable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/time.h"
#include "app/app.h"
#include "testlib.h"

#define ROUNDS 8
#define STEPS 40
#define NOW "2026-06-01T12:00:00Z"

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

struct log_place {
    char dir[512], a[600], b[600];
};

static void must(int rc, const struct rc_err *err, const char *what)
{
    if (rc < 0)
        fail_msg("%s: %s (field %s)", what, err->msg, err->field);
}

static long today(void)
{
    return rc_day_of(rc_now());
}

static void add_shoes(const struct app *app)
{
    struct rc_err err = RC_ERR_INIT;
    must(app_shoe_add(app, "Alpha", 100, NAN, false, today() - 200, &err),
         &err, "shoe Alpha");
    must(app_shoe_add(app, "Beta", 0, NAN, false, today() - 200, &err), &err,
         "shoe Beta");
}

/* One random step on the log of app; ids are 1..*nids. */
static void step(const struct app *app, unsigned *seed, int64_t *nids)
{
    static const char *const shoes[] = { NULL, "Alpha", "Beta" };
    struct rc_err err = RC_ERR_INIT;
    unsigned op = next(seed) % 10;
    int64_t id = *nids ? 1 + (int64_t)(next(seed) % (unsigned)*nids) : 0;

    if (op < 4 || !*nids) {
        struct app_run r = { today() - (long)(next(seed) % 60),
                             3000 + 1000.0 * (next(seed) % 15),
                             0, NAN, shoes[next(seed) % 3], "running", "",
                             false };
        struct app_list l;
        r.duration_s = r.distance_m / 1000 * (300 + next(seed) % 120);
        if (next(seed) % 4 == 0)
            r.rpe = next(seed) % 11;
        must(app_log_run(app, &r, &l, &err), &err, "log");
        app_list_release(&l);
        (*nids)++;
    } else if (op < 6) {
        struct app_edit e = { NAN, NAN, LONG_MIN, NULL, NULL, NULL, NAN,
                              false };
        struct store_activity sa;
        unsigned what = next(seed) % 4;
        if (what == 0) {
            e.distance_m = 3000 + 1000.0 * (next(seed) % 15);
            e.duration_s = e.distance_m / 1000 * 330;
        } else if (what == 1) {
            e.day = today() - (long)(next(seed) % 60);
        } else if (what == 2) {
            e.shoe = shoes[1 + next(seed) % 2];
        } else {
            e.sport = next(seed) % 2 ? "walk" : "run";
            e.duration_s = 20000; /* a walk's pace, still a slow run */
            e.distance_m = 20000;
        }
        /* a removed one is refused, and changes nothing */
        (void)app_edit(app, id, &e, &sa, &err);
    } else if (op < 8) {
        (void)app_rm(app, &id, 1, &err);
    } else {
        struct store_batch b;
        int rc = app_undo(app, &b, &err);
        must(rc, &err, "undo");
        if (rc == 1)
            store_batch_release(&b);
    }
}

/* Log in b, afresh, every activity a lists, as it is. */
static void copy_survivors(const struct app *a, const struct app *b)
{
    struct store_filter f;
    struct app_list l;
    struct rc_err err = RC_ERR_INIT;
    store_filter_init(&f);
    must(app_list(a, &f, &l, &err), &err, "list");
    for (size_t i = 0; i < l.n; i++) {
        const struct store_activity *sa = &l.acts[i];
        struct app_run r = { sa->local_day, sa->act.distance_m,
                             sa->act.timer_s, sa->rpe,
                             sa->shoe[0] ? sa->shoe : NULL, sa->act.sport,
                             "", true };
        struct app_list out;
        must(app_log_run(b, &r, &out, &err), &err, "log the survivor");
        app_list_release(&out);
    }
    app_list_release(&l);
}

static void assert_same_load(const struct app *a, const struct app *b)
{
    struct app_load_opts o = { LONG_MIN, 12, false };
    struct app_load la, lb;
    struct rc_err err = RC_ERR_INIT;
    must(app_load(a, &o, &la, &err), &err, "load a");
    must(app_load(b, &o, &lb, &err), &err, "load b");
    assert_int_equal(la.report.nruns, lb.report.nruns);
    assert_int_equal(la.report.nweeks, lb.report.nweeks);
    for (size_t w = 0; w < la.report.nweeks; w++) {
        assert_true(fabs(la.report.weeks[w].km - lb.report.weeks[w].km) <
                    1e-6);
        assert_int_equal(la.report.weeks[w].runs, lb.report.weeks[w].runs);
    }
    assert_true(fabs(la.report.last7_km - lb.report.last7_km) < 1e-6);
    assert_true(fabs(la.report.cap.km - lb.report.cap.km) < 1e-6 ||
                (isnan(la.report.cap.km) && isnan(lb.report.cap.km)));
    app_load_release(&la);
    app_load_release(&lb);
}

static void assert_same_shoes(const struct app *a, const struct app *b)
{
    struct store_shoe *va, *vb;
    size_t na, nb;
    struct rc_err err = RC_ERR_INIT;
    must(app_shoe_list(a, &va, &na, &err), &err, "shoes a");
    must(app_shoe_list(b, &vb, &nb, &err), &err, "shoes b");
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(va[i].name, vb[i].name);
        if (fabs(va[i].used_km - vb[i].used_km) > 1e-6)
            fail_msg("shoe %s: %.3f km after the steps, %.3f km afresh",
                     va[i].name, va[i].used_km, vb[i].used_km);
        assert_int_equal(va[i].runs, vb[i].runs);
    }
    free(va);
    free(vb);
}

static void test_history_property__random_steps_equal_a_fresh_log(
    void **state)
{
    (void)state;
    setenv("RUNCARE_NOW", NOW, 1);
    for (unsigned round = 0; round < ROUNDS; round++) {
        struct log_place p;
        unsigned seed = 1000 + round;
        int64_t nids = 0;
        struct app a = { .db = p.a }, b = { .db = p.b };
        test_tmpdir(p.dir, sizeof(p.dir));
        snprintf(p.a, sizeof(p.a), "%s/a.db", p.dir);
        snprintf(p.b, sizeof(p.b), "%s/b.db", p.dir);
        add_shoes(&a);
        add_shoes(&b);
        for (int s = 0; s < STEPS; s++)
            step(&a, &seed, &nids);
        copy_survivors(&a, &b);
        assert_same_load(&a, &b);
        assert_same_shoes(&a, &b);
        test_tmpdir_remove(p.dir);
    }
    unsetenv("RUNCARE_NOW");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_property__random_steps_equal_a_fresh_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
