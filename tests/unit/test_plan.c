/* test_plan.c - the recovery plan at the hour asked (app/app_plan.c) and
 * its iCalendar file: the plan at 2 h, 30 h, 80 h and 10 days for DOMS, a
 * strain and MTSS; a runner who runs 8 km the day after the plan allowed
 * 3 km; the .ics parsed back (CRLF, folding, UTC times, unique UIDs, the
 * same UIDs on a second export). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/time.h"
#include "app/app.h"
#include "testlib.h"

static struct kb *kb;

static int setup(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    kb = kb_load_embedded(&err);
    return kb ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kb_free(kb);
    return 0;
}

/* 2026-12-01T10:00:00Z: every check is made then, 2 h after its run. */
#define CHECK_S 1796119200.0
#define RUN_END_S (CHECK_S - 2 * 3600.0)

struct place {
    char dir[512], db[600];
    struct app app;
};

static void place_init(struct place *p)
{
    test_tmpdir(p->dir, sizeof(p->dir));
    snprintf(p->db, sizeof(p->db), "%s/runcare.db", p->dir);
    memset(&p->app, 0, sizeof(p->app));
    p->app.db = p->db;
}

static json_t *screen(void)
{
    return json_pack("{s:b, s:s, s:b, s:b, s:s, s:b, s:s}",
                     "chest_pain_or_breathless", 0, "urine", "normal",
                     "vomiting_or_confusion", 0, "fever", 0, "can_walk",
                     "normally", "numbness_tingling", 0, "weakness", "none");
}

static json_t *report_of(const char *what)
{
    json_t *r;
    if (!strcmp(what, "doms"))
        r = json_pack("{s:s, s:{s:[s,s], s:s}, s:{s:s, s:i, s:i, s:i, "
                      "s:[s,s]}, s:{s:s}}",
                      "schema_version", "1.0", "location", "regions",
                      "thigh_front", "calf", "side", "both", "pain", "onset",
                      "after_run_same_day", "hours_since_run", 2,
                      "days_with_symptoms", 0, "score", 3, "character",
                      "ache", "stiffness", "checks", "tenderness",
                      "in_muscle");
    else if (!strcmp(what, "strain"))
        r = json_pack("{s:s, s:{s:[s], s:s}, s:{s:s, s:i, s:i, s:i, s:[s]}, "
                      "s:{s:s, s:b, s:b}}",
                      "schema_version", "1.0", "location", "regions",
                      "thigh_back", "side", "left", "pain", "onset",
                      "sudden_during_run", "hours_since_run", 2,
                      "days_with_symptoms", 0, "score", 4, "character",
                      "sharp", "checks", "tenderness", "in_muscle",
                      "pop_or_kicked", 0, "radiates_from_back", 0);
    else
        r = json_pack("{s:s, s:{s:[s], s:s}, s:{s:s, s:i, s:i, s:i, s:[s], "
                      "s:s, s:b}, s:{s:s, s:s}}",
                      "schema_version", "1.0", "location", "regions",
                      "shin_inner", "side", "both", "pain", "onset",
                      "gradual_over_weeks", "hours_since_run", 2,
                      "days_with_symptoms", 10, "score", 3, "character",
                      "ache", "pattern", "eases_once_warmed_up", "at_night",
                      0, "checks", "tenderness", "diffuse_along_bone",
                      "can_hop", "pain_free");
    assert_non_null(r);
    json_object_set_new(r, "screen", screen());
    json_object_set_new(r, "signs",
                        json_pack("{s:s, s:b, s:b}", "swelling", "none",
                                  "redness", 0, "warmth", 0));
    return r;
}

static void check(struct place *p, const char *what, double now_s,
                  const char *top)
{
    struct app_check_result res;
    struct jschema_errors verrs;
    struct rc_err err = RC_ERR_INIT;
    json_t *rep = report_of(what);
    jschema_errors_init(&verrs);
    assert_int_equal(app_check(&p->app, kb, rep, 0, now_s, &res, &verrs,
                               &err),
                     0);
    assert_int_equal(res.save_err.status, RC_OK);
    assert_string_equal(
        json_string_value(json_object_get(
            json_array_get(json_object_get(res.result, "conditions"), 0),
            "id")),
        top);
    app_check_result_release(&res);
    jschema_errors_release(&verrs);
    json_decref(rep);
}

/* The labels of the steps under way at `hours` after the run, joined by
 * "|", and the next one's label and hour ("-" for none). */
static void plan_at(struct place *p, double hours, char *now, size_t n,
                    char *next, size_t m)
{
    struct app_plan plan;
    struct rc_err err = RC_ERR_INIT;
    size_t o = 0;
    assert_int_equal(app_plan(&p->app, kb, RUN_END_S + hours * 3600.0,
                              &plan, &err),
                     0);
    assert_true(fabs(plan.hours - hours) < 1e-6);
    now[0] = '\0';
    for (size_t i = 0; i < plan.nsteps; i++)
        if (plan.steps[i].now)
            o += (size_t)snprintf(now + o, n - o, "%s%s", o ? "|" : "",
                                  plan.steps[i].label);
    if (plan.next >= 0)
        snprintf(next, m, "%s@%.0f", plan.steps[plan.next].label,
                 (plan.steps[plan.next].from_s - RUN_END_S) / 3600.0);
    else
        snprintf(next, m, "-");
    app_plan_release(&plan);
}

static void expect_plan(struct place *p, double hours, const char *now,
                        const char *next)
{
    char got_now[1024], got_next[256];
    plan_at(p, hours, got_now, sizeof(got_now), got_next, sizeof(got_next));
    if (strcmp(got_now, now) || strcmp(got_next, next))
        fail_msg("at %.0f h: now \"%s\" next \"%s\"; expected \"%s\", \"%s\"",
                 hours, got_now, got_next, now, next);
}

static void test_plan__doms_at_2_30_80_240_hours(void **state)
{
    struct place p;
    (void)state;
    place_init(&p);
    check(&p, "doms", CHECK_S, "doms");
    expect_plan(&p, 2,
                "first 48 hours|for 3 days after hard or unaccustomed "
                "exercise|all along",
                "24-72 hours@24");
    expect_plan(&p, 30,
                "first 48 hours|for 3 days after hard or unaccustomed "
                "exercise|all along|24-72 hours",
                "from day 3@72");
    expect_plan(&p, 80, "all along|from day 3", "-");
    expect_plan(&p, 240, "all along|from day 3", "-");
    test_tmpdir_remove(p.dir);
}

static void test_plan__strain_at_2_30_80_240_hours(void **state)
{
    struct place p;
    (void)state;
    place_init(&p);
    check(&p, "strain", CHECK_S, "hamstring_strain");
    expect_plan(&p, 2, "first 3 days (protect)|all along|all along",
                "from day 3 (load)@72");
    expect_plan(&p, 30, "first 3 days (protect)|all along|all along",
                "from day 3 (load)@72");
    expect_plan(&p, 80, "all along|all along|from day 3 (load)",
                "from about a week@168");
    expect_plan(&p, 240,
                "all along|all along|from day 3 (load)|from about a week",
                "-");
    test_tmpdir_remove(p.dir);
}

static void test_plan__mtss_at_2_30_80_240_hours(void **state)
{
    struct place p;
    const char *always = "from now|the next weeks";
    char now[256];
    (void)state;
    place_init(&p);
    check(&p, "mtss", CHECK_S, "mtss");
    snprintf(now, sizeof(now), "%s|first 2-3 days|all along", always);
    expect_plan(&p, 2, now, "from 2 weeks (only once walking is "
                             "pain-free)@336");
    expect_plan(&p, 30, now, "from 2 weeks (only once walking is "
                              "pain-free)@336");
    snprintf(now, sizeof(now), "%s|all along", always);
    expect_plan(&p, 80, now, "from 2 weeks (only once walking is "
                              "pain-free)@336");
    expect_plan(&p, 240, now, "from 2 weeks (only once walking is "
                               "pain-free)@336");
    test_tmpdir_remove(p.dir);
}

static void log_run(struct place *p, long day, double km, double min)
{
    struct app_run r = { day, km * 1000, min * 60, NAN, NULL, "running", "",
                         false };
    struct app_list l = { .acts = NULL };
    struct rc_err err = RC_ERR_INIT;
    assert_int_equal(app_log_run(&p->app, &r, &l, &err), 0);
    app_list_release(&l);
}

static void test_plan__8_km_the_day_after_the_plan_allowed_3(void **state)
{
    struct place p;
    struct app_plan plan;
    struct app_diary d;
    struct rc_err err = RC_ERR_INIT;
    long day = rc_day_of(CHECK_S);
    const struct triage_course *c;
    bool found = false;
    json_t *j;
    (void)state;
    place_init(&p);
    setenv("RUNCARE_NOW", "2026-12-05T10:00:00Z", 1);
    /* longest of the month 2.75 km: the cap is 3.0 km */
    for (int k = 20; k >= 2; k -= 3)
        log_run(&p, day - k, 2.75, 18);
    log_run(&p, day - 1, 2.75, 18); /* logged runs start at noon */
    check(&p, "doms", CHECK_S, "doms");
    log_run(&p, day + 1, 8, 44);
    assert_int_equal(app_plan(&p.app, kb, CHECK_S + 2 * 86400.0, &plan,
                              &err),
                     0);
    assert_true(fabs(plan.cap_km - 3.0) < 1e-9);
    assert_int_equal(plan.nruns, 1);
    assert_true(fabs(plan.runs[0].km - 8) < 1e-9);
    assert_true(plan.runs[0].over_cap);
    assert_false(plan.within);
    /* faster than the runner's usual pace (18 min for 2.75 km) */
    assert_true(plan.runs[0].pace_s_per_km < plan.runs[0].usual_pace_s_per_km);
    j = app_plan_json(&plan);
    assert_non_null(j);
    assert_false(json_is_true(json_object_get(j, "within_plan")));
    assert_true(json_is_true(json_object_get(
        json_array_get(json_object_get(j, "runs_since"), 0), "over_cap")));
    json_decref(j);
    app_plan_release(&plan);

    assert_int_equal(app_diary_read(&p.app, kb, CHECK_S + 2 * 86400.0, &d,
                                    &err),
                     0);
    c = &d.problems[0].course;
    for (size_t i = 0; i < c->nesc; i++)
        if (!strcmp(c->esc[i].id, "ran_over_cap")) {
            found = true;
            assert_non_null(strstr(c->esc[i].reason, "8.0 km"));
            assert_non_null(strstr(c->esc[i].reason, "3.0 km"));
        }
    assert_true(found);
    assert_int_equal(c->level, TRIAGE_SEE_CLINICIAN);
    app_diary_release(&d);

    /* within the cap the same day: within the plan */
    test_tmpdir_remove(p.dir);
    place_init(&p);
    for (int k = 20; k >= 2; k -= 3)
        log_run(&p, day - k, 2.75, 18);
    log_run(&p, day - 1, 2.75, 18); /* logged runs start at noon */
    check(&p, "doms", CHECK_S, "doms");
    log_run(&p, day + 1, 3.0, 20);
    assert_int_equal(app_plan(&p.app, kb, CHECK_S + 2 * 86400.0, &plan,
                              &err),
                     0);
    assert_int_equal(plan.nruns, 1);
    assert_false(plan.runs[0].over_cap);
    assert_true(plan.within);
    app_plan_release(&plan);
    unsetenv("RUNCARE_NOW");
    test_tmpdir_remove(p.dir);
}

static void test_plan__no_check_is_rc_einput(void **state)
{
    struct place p;
    struct app_plan plan;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    place_init(&p);
    assert_int_equal(app_plan(&p.app, kb, CHECK_S, &plan, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    test_tmpdir_remove(p.dir);
}

/* ---- the iCalendar file, parsed back ---- */

struct ics {
    char uid[32][128];
    char start[32][32];
    size_t nevents;
    bool open;
};

/* Check the raw form (CRLF, 75 octets) and unfold; fails the test. */
static void ics_parse(const struct rc_buf *b, struct ics *out)
{
    const char *p = (const char *)b->data, *end = p + b->len;
    char line[8192];
    size_t len = 0;
    memset(out, 0, sizeof(*out));
    assert_true(b->len > 2);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n;
        assert_non_null(nl);           /* every line ends */
        assert_true(nl > p && nl[-1] == '\r'); /* in CRLF */
        n = (size_t)(nl - 1 - p);
        assert_true(n <= 75);          /* folded at 75 octets */
        if (*p == ' ') {               /* a continuation */
            assert_true(len + n < sizeof(line));
            memcpy(line + len, p + 1, n - 1);
            len += n - 1;
        } else {
            if (len) {
                line[len] = '\0';
                if (!strncmp(line, "BEGIN:VEVENT", 12)) {
                    assert_false(out->open);
                    out->open = true;
                } else if (!strncmp(line, "END:VEVENT", 10)) {
                    assert_true(out->open);
                    out->open = false;
                    out->nevents++;
                } else if (!strncmp(line, "UID:", 4)) {
                    snprintf(out->uid[out->nevents], 128, "%.127s", line + 4);
                } else if (!strncmp(line, "DTSTART:", 8)) {
                    snprintf(out->start[out->nevents], 32, "%.31s", line + 8);
                }
            }
            assert_true(n < sizeof(line));
            memcpy(line, p, n);
            len = n;
        }
        p = nl + 1;
    }
    line[len] = '\0';
    assert_string_equal(line, "END:VCALENDAR");
    assert_false(out->open);
}

static void test_plan__ics_parses_back(void **state)
{
    struct place p;
    struct app_plan plan;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf a, b;
    struct ics x, y;
    char want[32];
    (void)state;
    place_init(&p);
    check(&p, "doms", CHECK_S, "doms");
    assert_int_equal(app_plan(&p.app, kb, CHECK_S, &plan, &err), 0);
    rc_buf_init(&a, 1 << 20);
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(app_plan_ics(&plan, &a, &err), 0);
    assert_int_equal(memcmp(a.data, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
                            30),
                     0);
    ics_parse(&a, &x);
    /* every step, and the check-in */
    assert_int_equal(x.nevents, plan.nsteps + 1);
    for (size_t i = 0; i < x.nevents; i++) {
        assert_int_equal(strlen(x.start[i]), 16);
        assert_int_equal(x.start[i][15], 'Z'); /* UTC */
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(x.uid[i], x.uid[k]);
    }
    /* the "24-72 hours" step starts 24 h after the run: 2026-12-01 08:00 */
    snprintf(want, sizeof(want), "20261202T080000Z");
    assert_string_equal(x.start[3], want);
    /* the check-in 48 h after the check */
    assert_string_equal(x.start[x.nevents - 1], "20261203T100000Z");
    /* a second export: the same events, byte for byte */
    assert_int_equal(app_plan_ics(&plan, &b, &err), 0);
    ics_parse(&b, &y);
    assert_int_equal(y.nevents, x.nevents);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    rc_buf_release(&a);
    rc_buf_release(&b);
    app_plan_release(&plan);
    test_tmpdir_remove(p.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan__doms_at_2_30_80_240_hours),
        cmocka_unit_test(test_plan__strain_at_2_30_80_240_hours),
        cmocka_unit_test(test_plan__mtss_at_2_30_80_240_hours),
        cmocka_unit_test(test_plan__8_km_the_day_after_the_plan_allowed_3),
        cmocka_unit_test(test_plan__no_check_is_rc_einput),
        cmocka_unit_test(test_plan__ics_parses_back),
    };
    return cmocka_run_group_tests_name("plan", tests, setup, teardown);
}
