/* test_course.c - the course of a recovery (src/triage/course.c) and the
 * kb records it reads (kb/courses.jsonl, kb/escalations.jsonl,
 * kb/course.schema.json; checked in src/triage/kb_course.c): courses on
 * track, slow, worsening and recurring; each escalation on both sides of
 * its threshold; a follow-up that adds a red flag; the checks a bad
 * record fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/time.h"
#include "testlib.h"
#include "triage/triage.h"

static struct kb *kb;
static struct kb_text files[KB_FILES_MAX];
static size_t nfiles;

static int setup(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    nfiles = kb_embedded_texts(files, RC_ARRAY_SIZE(files));
    kb = kb_load_embedded(&err);
    return kb ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kb_free(kb);
    return 0;
}

/* The run ended at T0; a report `hours` after it. */
#define T0 1764900000.0 /* 2025-12-05T02:00:00Z */

static json_t *report(double hours, int score, const char *trend,
                      const char *region)
{
    json_t *r = json_pack("{s:{s:[s], s:s}, s:{s:s, s:f, s:i, s:i}}",
                          "location", "regions", region, "side", "both",
                          "pain", "onset", "next_day", "hours_since_run",
                          hours, "days_with_symptoms", (int)(hours / 24),
                          "score", score);
    assert_non_null(r);
    if (trend)
        json_object_set_new(json_object_get(r, "pain"), "trend",
                            json_string(trend));
    return r;
}

static json_t *result(const char *cond, const char *level,
                      const char *flag, const char *flag_level)
{
    json_t *r = json_pack("{s:s, s:[{s:s, s:s}], s:[], s:{s:i}}", "triage",
                          level, "conditions", "id", cond, "name", cond,
                          "red_flags", "recheck", "after_hours", 48);
    assert_non_null(r);
    if (flag)
        json_array_append_new(
            json_object_get(r, "red_flags"),
            json_pack("{s:s, s:s, s:s, s:[s]}", "id", flag, "label",
                      "a new sign", "triage", flag_level, "source_ids",
                      "gssi_rhabdo"));
    return r;
}

struct episode {
    struct triage_course_report r[4];
    size_t n;
    struct triage_course_run runs[4];
    size_t nruns;
    double cap_km, recurrence_days;
};

static void add(struct episode *e, double hours, int score, const char *trend,
                json_t *res)
{
    struct triage_course_report *r = &e->r[e->n++];
    r->created_s = T0 + hours * 3600.0;
    r->report = report(hours, score, trend, "calf");
    r->result = res;
}

/* A check at 30 h (score 5) and one follow-up. */
static void start(struct episode *e, const char *cond)
{
    memset(e, 0, sizeof(*e));
    e->cap_km = NAN;
    e->recurrence_days = NAN;
    add(e, 30, 5, NULL, result(cond, "self_care", NULL, NULL));
}

static void run(struct episode *e, double hours, double km)
{
    e->runs[e->nruns].start_s = T0 + hours * 3600.0;
    e->runs[e->nruns].day = rc_day_of(T0 + hours * 3600.0);
    e->runs[e->nruns].km = km;
    e->nruns++;
}

static void eval(struct episode *e, struct triage_course *c)
{
    struct triage_course_in in = { e->r, e->n, e->cap_km, e->runs, e->nruns,
                                   e->recurrence_days };
    struct rc_err err = RC_ERR_INIT;
    assert_int_equal(triage_course_eval(kb, &in, c, &err), 0);
}

static void done(struct episode *e, struct triage_course *c)
{
    triage_course_release(c);
    for (size_t i = 0; i < e->n; i++) {
        json_decref((json_t *)e->r[i].report);
        json_decref((json_t *)e->r[i].result);
    }
}

static const struct triage_escalation *find(const struct triage_course *c,
                                            const char *id)
{
    for (size_t i = 0; i < c->nesc; i++)
        if (!strcmp(c->esc[i].id, id))
            return &c->esc[i];
    return NULL;
}

/* ---- whole courses ---- */

static void test_course__doms_on_track_escalates_nothing(void **state)
{
    struct episode e;
    struct triage_course c;
    (void)state;
    start(&e, "doms");
    add(&e, 80, 2, "better", result("doms", "self_care", NULL, NULL));
    eval(&e, &c);
    assert_int_equal(c.nesc, 0);
    assert_int_equal(c.level, TRIAGE_SELF_CARE);
    assert_string_equal(c.condition_id, "doms");
    assert_true(fabs(c.days_since_run - 80.0 / 24) < 1e-9);
    /* due: the latest result's 48 h after that report */
    assert_true(fabs(c.due_s - (T0 + 128 * 3600.0)) < 1e-6);
    done(&e, &c);
}

static void test_course__doms_slow_is_not_easing_past_7_days(void **state)
{
    struct episode e;
    struct triage_course c;
    const struct triage_escalation *x;
    (void)state;
    start(&e, "doms");
    add(&e, 8 * 24, 4, "same", result("doms", "self_care", NULL, NULL));
    eval(&e, &c);
    assert_non_null(x = find(&c, "not_easing"));
    assert_int_equal(x->level, TRIAGE_SEE_CLINICIAN);
    assert_int_equal(c.level, TRIAGE_SEE_CLINICIAN);
    assert_non_null(strstr(x->reason, "8 days after the run"));
    assert_non_null(strstr(x->reason, "within 7 days"));
    /* the rule's sources and the course's */
    assert_true(json_array_size(x->source_ids) >= 2);
    done(&e, &c);
}

static void test_course__worsening_strain_escalates(void **state)
{
    struct episode e;
    struct triage_course c;
    const struct triage_escalation *x;
    (void)state;
    start(&e, "calf_strain");
    add(&e, 4 * 24, 7, "worse", result("calf_strain", "self_care", NULL,
                                       NULL));
    eval(&e, &c);
    assert_non_null(x = find(&c, "worse_after_3_days"));
    assert_non_null(strstr(x->reason, "from 5/10 to 7/10"));
    assert_null(find(&c, "not_easing")); /* 4 of 21 days */
    assert_int_equal(c.level, TRIAGE_SEE_CLINICIAN);
    done(&e, &c);
}

static void test_course__recurring_mtss_escalates(void **state)
{
    struct episode e;
    struct triage_course c;
    (void)state;
    start(&e, "mtss");
    e.recurrence_days = 30;
    eval(&e, &c);
    assert_non_null(find(&c, "recurrence"));
    assert_int_equal(c.level, TRIAGE_SEE_CLINICIAN);
    done(&e, &c);
}

/* ---- each threshold, both sides ---- */

static bool fires(const char *id, const char *cond, double hours, int score,
                  const char *trend, double cap, double km, double recur)
{
    struct episode e;
    struct triage_course c;
    bool yes;
    start(&e, cond);
    e.cap_km = cap;
    e.recurrence_days = recur;
    if (isfinite(km))
        run(&e, 40, km);
    add(&e, hours, score, trend, result(cond, "self_care", NULL, NULL));
    eval(&e, &c);
    yes = find(&c, id) != NULL;
    done(&e, &c);
    return yes;
}

static void test_course__worse_at_day_3_not_before(void **state)
{
    (void)state;
    assert_false(fires("worse_after_3_days", "doms", 71.9, 5, "worse", NAN,
                       NAN, NAN));
    assert_true(fires("worse_after_3_days", "doms", 72, 5, "worse", NAN, NAN,
                      NAN));
}

static void test_course__a_rise_of_2_points_counts_as_worse(void **state)
{
    (void)state;
    assert_false(fires("worse_after_3_days", "doms", 96, 6, "same", NAN, NAN,
                       NAN));
    assert_true(fires("worse_after_3_days", "doms", 96, 7, "same", NAN, NAN,
                      NAN));
}

static void test_course__not_easing_after_the_usual_window(void **state)
{
    (void)state;
    /* doms: 7 days; mtss: 14 */
    assert_false(fires("not_easing", "doms", 7 * 24, 3, "same", NAN, NAN,
                       NAN));
    assert_true(fires("not_easing", "doms", 7 * 24 + 1, 3, "same", NAN, NAN,
                      NAN));
    assert_false(fires("not_easing", "mtss", 14 * 24, 3, "same", NAN, NAN,
                       NAN));
    assert_true(fires("not_easing", "mtss", 14 * 24 + 1, 3, "same", NAN,
                      NAN, NAN));
    /* getting better past the window is not "not easing" */
    assert_false(fires("not_easing", "doms", 8 * 24, 2, "better", NAN, NAN,
                       NAN));
    /* an unanswered trend is not "better" */
    assert_true(fires("not_easing", "doms", 8 * 24, 2, NULL, NAN, NAN, NAN));
    /* no course in the kb: no window to be past */
    assert_false(fires("not_easing", "cecs", 60 * 24, 3, "same", NAN, NAN,
                       NAN));
}

static void test_course__a_run_over_the_cap_escalates(void **state)
{
    (void)state;
    assert_false(fires("ran_over_cap", "doms", 50, 3, "better", 3.0, 3.0,
                       NAN));
    assert_true(fires("ran_over_cap", "doms", 50, 3, "better", 3.0, 3.1,
                      NAN));
    /* no cap known: nothing to be over */
    assert_false(fires("ran_over_cap", "doms", 50, 3, "better", NAN, 30,
                       NAN));
}

static void test_course__recurrence_within_90_days(void **state)
{
    (void)state;
    assert_true(fires("recurrence", "doms", 50, 3, "better", NAN, NAN, 90));
    assert_false(fires("recurrence", "doms", 50, 3, "better", NAN, NAN,
                       90.5));
    assert_false(fires("recurrence", "doms", 50, 3, "better", NAN, NAN, NAN));
}

static void test_course__runner_runs_8_km_where_the_plan_allowed_3(
    void **state)
{
    struct episode e;
    struct triage_course c;
    const struct triage_escalation *x;
    (void)state;
    start(&e, "doms");
    e.cap_km = 3.0;
    run(&e, 54, 8.0);
    run(&e, -48, 20.0); /* before the pain: not counted */
    add(&e, 60, 3, "better", result("doms", "self_care", NULL, NULL));
    eval(&e, &c);
    assert_int_equal(c.runs_over, 1);
    assert_true(fabs(c.km_over - 5.0) < 1e-9);
    assert_non_null(x = find(&c, "ran_over_cap"));
    assert_non_null(strstr(x->reason, "You ran 8.0 km on 2025-12-07"));
    assert_non_null(strstr(x->reason, "at most 3.0 km"));
    done(&e, &c);
}

static void test_course__a_new_red_flag_goes_to_its_level_at_once(
    void **state)
{
    struct episode e;
    struct triage_course c;
    const struct triage_escalation *x;
    (void)state;
    start(&e, "doms");
    add(&e, 40, 4, "better",
        result("exertional_rhabdomyolysis", "emergency",
               "dark_or_scant_urine", "emergency"));
    eval(&e, &c);
    assert_non_null(x = find(&c, "new_red_flag"));
    assert_int_equal(x->level, TRIAGE_EMERGENCY);
    assert_int_equal(c.level, TRIAGE_EMERGENCY);
    assert_string_equal(json_string_value(json_array_get(x->source_ids, 0)),
                        "gssi_rhabdo");
    done(&e, &c);

    /* the same flag at the first check is not new */
    start(&e, "doms");
    json_decref((json_t *)e.r[0].result);
    e.r[0].result = result("doms", "emergency", "dark_or_scant_urine",
                           "emergency");
    add(&e, 40, 4, "better",
        result("doms", "emergency", "dark_or_scant_urine", "emergency"));
    eval(&e, &c);
    assert_null(find(&c, "new_red_flag"));
    done(&e, &c);
}

static void test_course__an_earlier_red_flag_stands(void **state)
{
    struct episode e;
    struct triage_course c;
    const struct triage_escalation *x;
    (void)state;
    /* a clot suspected at the check; two days on the answers say less */
    start(&e, "dvt");
    json_decref((json_t *)e.r[0].result);
    e.r[0].result = result("dvt", "urgent", "suspected_dvt", "urgent");
    add(&e, 78, 2, "better", result("calf_strain", "self_care", NULL, NULL));
    eval(&e, &c);
    assert_non_null(x = find(&c, "red_flag_stands"));
    assert_int_equal(x->level, TRIAGE_URGENT);
    assert_int_equal(c.level, TRIAGE_URGENT);
    assert_non_null(strstr(x->reason, "a new sign"));
    done(&e, &c);

    /* still raised in the latest: its own level, nothing to carry */
    start(&e, "dvt");
    json_decref((json_t *)e.r[0].result);
    e.r[0].result = result("dvt", "urgent", "suspected_dvt", "urgent");
    add(&e, 78, 2, "better", result("dvt", "urgent", "suspected_dvt",
                                    "urgent"));
    eval(&e, &c);
    assert_null(find(&c, "red_flag_stands"));
    assert_int_equal(c.level, TRIAGE_URGENT);
    done(&e, &c);
}

static void test_course__escalation_never_lowers_the_level(void **state)
{
    struct episode e;
    struct triage_course c;
    (void)state;
    start(&e, "doms");
    add(&e, 8 * 24, 4, "same", result("doms", "urgent", NULL, NULL));
    eval(&e, &c);
    assert_non_null(find(&c, "not_easing")); /* see_clinician */
    assert_int_equal(c.level, TRIAGE_URGENT);
    done(&e, &c);
}

static void test_course__band_follows_the_kb_points(void **state)
{
    struct episode e;
    struct triage_course c;
    double lo, hi;
    (void)state;
    start(&e, "doms");
    eval(&e, &c);
    /* doms at day 7: 0-40 % of the first score */
    assert_true(triage_course_band(&c, 5, 7, &lo, &hi));
    assert_true(fabs(lo - 0) < 1e-9 && fabs(hi - 2) < 1e-9);
    /* half way from day 5 (0-80 %) to day 7 (0-40 %) */
    assert_true(triage_course_band(&c, 10, 6, &lo, &hi));
    assert_true(fabs(hi - 6) < 1e-9);
    done(&e, &c);
    start(&e, "cecs");
    eval(&e, &c);
    assert_false(triage_course_band(&c, 5, 3, &lo, &hi));
    done(&e, &c);
}

/* ---- the kb's checks ---- */

static void expect_bad(const char *name, const char *from, const char *to,
                       const char *msg)
{
    struct kb_text bad[KB_FILES_MAX];
    struct rc_err err = RC_ERR_INIT;
    size_t i, head;
    const char *at;
    char *text;
    memcpy(bad, files, nfiles * sizeof(*bad));
    for (i = 0; i < nfiles && strcmp(bad[i].name, name); i++)
        ;
    assert_true(i < nfiles);
    at = strstr(bad[i].data, from);
    assert_non_null(at);
    head = (size_t)(at - bad[i].data);
    text = malloc(bad[i].len + strlen(to));
    assert_non_null(text);
    memcpy(text, bad[i].data, head);
    memcpy(text + head, to, strlen(to));
    memcpy(text + head + strlen(to), at + strlen(from),
           bad[i].len - head - strlen(from));
    bad[i].data = text;
    bad[i].len = bad[i].len - strlen(from) + strlen(to);
    assert_int_equal(kb_check_build(bad, nfiles, &err), -1);
    assert_string_equal(err.file, name);
    if (!strstr(err.msg, msg))
        fail_msg("%s: line %ld: %s", err.file, err.line, err.msg);
    free(text);
}

static void test_course__kb_checks_name_the_bad_record(void **state)
{
    (void)state;
    expect_bad("kb/escalations.jsonl", "\"/days_since_run\"",
               "\"/days_sinse_run\"",
               "unknown course field \"/days_sinse_run\"");
    expect_bad("kb/escalations.jsonl", "\"/trend\",\"eq\":\"worse\"",
               "\"/trend\",\"eq\":\"awful\"",
               "\"awful\" is not a value of /trend");
    expect_bad("kb/escalations.jsonl", "{days_since_run} days after the run "
               "the pain is getting",
               "{days_since} days after the run the pain is getting",
               "names {days_since}");
    expect_bad("kb/escalations.jsonl", "\"kahanov_sf\"", "\"kahanov\"",
               "kahanov");
    expect_bad("kb/escalations.jsonl",
               "{\"field\":\"/recurrence_days\",\"lte\":90}",
               "{\"flag\":\"chest_symptoms\"}", "only course fields");
    expect_bad("kb/escalations.jsonl", "\"level\":\"see_clinician\"",
               "\"level\":\"soon\"", "must be a triage level");
    expect_bad("kb/courses.jsonl", "\"condition\":\"mtss\"",
               "\"condition\":\"shin_splints\"",
               "unknown condition \"shin_splints\"");
    expect_bad("kb/courses.jsonl", "\"condition\":\"mtss\"",
               "\"condition\":\"doms\"", "a second course for \"doms\"");
    expect_bad("kb/courses.jsonl", "[[0,40,130],[1,60,150]",
               "[[0,40,130],[0,60,150]", "days must start at 0 and rise");
    expect_bad("kb/courses.jsonl", "\"/pain/trend\",",
               "\"/pain/trendy\",", "/pain/trendy is not asked");
    expect_bad("kb/courses.jsonl", "\"usual_days\":7,", "\"usual_days\":0,",
               "\"usual_days\" must be above 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_course__doms_on_track_escalates_nothing),
        cmocka_unit_test(test_course__doms_slow_is_not_easing_past_7_days),
        cmocka_unit_test(test_course__worsening_strain_escalates),
        cmocka_unit_test(test_course__recurring_mtss_escalates),
        cmocka_unit_test(test_course__worse_at_day_3_not_before),
        cmocka_unit_test(test_course__a_rise_of_2_points_counts_as_worse),
        cmocka_unit_test(test_course__not_easing_after_the_usual_window),
        cmocka_unit_test(test_course__a_run_over_the_cap_escalates),
        cmocka_unit_test(test_course__recurrence_within_90_days),
        cmocka_unit_test(
            test_course__runner_runs_8_km_where_the_plan_allowed_3),
        cmocka_unit_test(
            test_course__a_new_red_flag_goes_to_its_level_at_once),
        cmocka_unit_test(test_course__an_earlier_red_flag_stands),
        cmocka_unit_test(test_course__escalation_never_lowers_the_level),
        cmocka_unit_test(test_course__band_follows_the_kb_points),
        cmocka_unit_test(test_course__kb_checks_name_the_bad_record),
    };
    return cmocka_run_group_tests_name("course", tests, setup, teardown);
}
