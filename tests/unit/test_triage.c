/* test_triage.c - the triage engine against the data-driven red-flag and
 * condition cases in tests/cases/triage/ (one report each, with only the
 * facts it checks), and the invariants every result must keep: valid
 * against result.schema.json, never below a fired red flag, advice_sources
 * exactly the ids used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/embedded.h"
#include "testlib.h"
#include "triage/triage.h"

#define CASES_DIR "tests/cases/triage"

static struct kb *kb;

static int setup(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    kb = kb_load_embedded(&err);
    if (!kb)
        fprintf(stderr, "kb: %s: line %ld: %s\n", err.file, err.line,
                err.msg);
    return kb ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kb_free(kb);
    return 0;
}

static json_t *run(const json_t *report)
{
    struct triage_context ctx = { 1700000000.0, NULL };
    struct rc_err err = RC_ERR_INIT;
    json_t *r = triage_check_json(kb, report, &ctx, &err);
    assert_non_null(r);
    return r;
}

static bool has_flag(const json_t *result, const char *id)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(result, "red_flags"), i, f) {
        if (!strcmp(json_string_value(json_object_get(f, "id")), id))
            return true;
    }
    return false;
}

static bool mentions(const json_t *result, const char *text)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(json_object_get(result, "recheck"),
                                       "escalate_if"),
                       i, e) {
        if (strstr(json_string_value(e), text))
            return true;
    }
    return false;
}

static bool fired_any(const json_t *r, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (has_flag(r, ids[i]))
            return true;
    return false;
}

/* conditions.md 1.1 rule 2, checked by the words of the plan rather than
 * by the kb's own classes (a second reading): at urgent or emergency, or
 * after a medication or comorbidity flag, no return to running, walk-run,
 * loading or strengthening, no "active recovery", no "run easy again";
 * with a clot, an infection or a hot joint, no heat and no massage. */
static void check_plan_fits_level(const json_t *r, char *why, size_t n)
{
    static const char *const med[] = {
        "fluoroquinolone_tendon", "statin_muscle_symptoms",
        "charcot_foot_signs", "reds_bone_risk", "exertional_sickling_signs",
    };
    static const char *const no_load[] = {
        "walk-run", "heel raise", "eccentric", "isometric", "active recovery",
        "strengthen", "run easy", "loading", "return by", "resume",
    };
    static const char *const heat_bar[] = {
        "suspected_dvt", "spreading_infection_signs", "hot_swollen_joint",
        "charcot_foot_signs",
    };
    static const char *const no_heat[] = { "warmth", "massage along",
                                           "warm (not hot)" };
    int level = triage_level_parse(json_string_value(json_object_get(r, "triage")));
    bool strict = level >= TRIAGE_URGENT || fired_any(r, med, RC_ARRAY_SIZE(med));
    bool noheat = fired_any(r, heat_bar, RC_ARRAY_SIZE(heat_bar));
    size_t i, k, o;
    json_t *st, *a;
    if (strict && json_object_get(json_object_get(r, "plan"),
                                  "return_to_running")) {
        o = strlen(why);
        snprintf(why + o, n - o, " return_to_running at %s;",
                 json_string_value(json_object_get(r, "triage")));
    }
    json_array_foreach(json_object_get(json_object_get(r, "plan"), "steps"),
                       i, st) {
        json_array_foreach(json_object_get(st, "actions"), k, a) {
            const char *text = json_string_value(json_object_get(a, "text"));
            if (strcmp(json_string_value(json_object_get(a, "kind")), "do"))
                continue;
            for (size_t w = 0; strict && w < RC_ARRAY_SIZE(no_load); w++)
                if (strcasestr(text, no_load[w])) {
                    o = strlen(why);
                    snprintf(why + o, n - o, " \"%s\" at %s;", no_load[w],
                             json_string_value(json_object_get(r, "triage")));
                }
            for (size_t w = 0; noheat && w < RC_ARRAY_SIZE(no_heat); w++)
                if (strcasestr(text, no_heat[w])) {
                    o = strlen(why);
                    snprintf(why + o, n - o, " \"%s\" with a clot or an "
                             "infection;", no_heat[w]);
                }
        }
    }
}

/* Invariants of every result; appends what is wrong to why. */
static void check_invariants(const json_t *r, char *why, size_t n)
{
    struct jschema_errors errs = { .max = 0 };
    size_t i, o = strlen(why);
    json_t *f;
    int level = triage_level_parse(json_string_value(json_object_get(r, "triage")));

    jschema_errors_init(&errs);
    if (jschema_validate(kb_result_schema(kb), r, &errs) != 0 && o < n)
        o += (size_t)snprintf(why + o, n - o, " result invalid: %s: %s;",
                              errs.v[0].pointer, errs.v[0].msg);
    jschema_errors_release(&errs);
    json_array_foreach(json_object_get(r, "red_flags"), i, f) {
        if (triage_level_parse(json_string_value(json_object_get(f, "triage"))) >
                level && o < n)
            o += (size_t)snprintf(why + o, n - o, " triage below flag %s;",
                                  json_string_value(json_object_get(f, "id")));
    }
    check_plan_fits_level(r, why, n);
}

static void expect_list(const json_t *exp, const char *key, const json_t *r,
                        bool want, char *why, size_t n)
{
    size_t i, o;
    json_t *e;
    json_array_foreach(json_object_get(exp, key), i, e) {
        if (has_flag(r, json_string_value(e)) != want) {
            o = strlen(why);
            snprintf(why + o, n - o, " %s %s;", json_string_value(e),
                     want ? "did not fire" : "fired");
        }
    }
}

static void check_case(const char *path, char *why, size_t n)
{
    struct rc_buf b;
    json_error_t je;
    json_t *c, *report, *exp, *r, *e;
    struct jschema_errors errs = { .max = 0 };
    size_t i, o;

    test_read_file(&b, path);
    c = json_loadb((const char *)b.data, b.len, 0, &je);
    rc_buf_release(&b);
    if (!c) {
        snprintf(why, n, " bad case file: %s", je.text);
        return;
    }
    report = json_object_get(c, "report");
    exp = json_object_get(c, "expect");
    jschema_errors_init(&errs);
    if (jschema_validate(kb_report_schema(kb), report, &errs) != 0) {
        snprintf(why, n, " report invalid: %s: %s", errs.v[0].pointer,
                 errs.v[0].msg);
        jschema_errors_release(&errs);
        json_decref(c);
        return;
    }
    jschema_errors_release(&errs);
    r = run(report);
    check_invariants(r, why, n);
    expect_list(exp, "fires", r, true, why, n);
    expect_list(exp, "not_fires", r, false, why, n);
    if ((e = json_object_get(exp, "triage")) &&
        !json_equal(e, json_object_get(r, "triage"))) {
        o = strlen(why);
        snprintf(why + o, n - o, " triage %s, expected %s;",
                 json_string_value(json_object_get(r, "triage")),
                 json_string_value(e));
    }
    if ((e = json_object_get(exp, "top_in"))) {
        const char *top = json_string_value(json_object_get(
            json_array_get(json_object_get(r, "conditions"), 0), "id"));
        bool ok = false;
        json_t *x;
        json_array_foreach(e, i, x) {
            if (top && !strcmp(top, json_string_value(x)))
                ok = true;
        }
        if (!ok) {
            o = strlen(why);
            snprintf(why + o, n - o, " top condition %s;", top ? top : "none");
        }
    }
    json_array_foreach(json_object_get(exp, "not_listed"), i, e) {
        json_t *cond;
        size_t k;
        json_array_foreach(json_object_get(r, "conditions"), k, cond) {
            if (json_equal(json_object_get(cond, "id"), e)) {
                o = strlen(why);
                snprintf(why + o, n - o, " %s is listed;",
                         json_string_value(e));
            }
        }
    }
    if (json_is_true(json_object_get(exp, "no_return")) &&
        json_object_get(json_object_get(r, "plan"), "return_to_running")) {
        o = strlen(why);
        snprintf(why + o, n - o, " a return to running is planned;");
    }
    json_array_foreach(json_object_get(exp, "escalate_mentions"), i, e) {
        if (!mentions(r, json_string_value(e))) {
            o = strlen(why);
            snprintf(why + o, n - o, " escalate_if does not name \"%s\";",
                     json_string_value(e));
        }
    }
    json_array_foreach(json_object_get(exp, "escalate_silent"), i, e) {
        if (mentions(r, json_string_value(e))) {
            o = strlen(why);
            snprintf(why + o, n - o, " escalate_if names \"%s\", which "
                     "cannot matter here;", json_string_value(e));
        }
    }
    json_decref(r);
    json_decref(c);
}

static void test_triage__cases(void **state)
{
    DIR *d = opendir(CASES_DIR);
    struct dirent *e;
    int count = 0, failed = 0;
    (void)state;
    assert_non_null(d);
    while ((e = readdir(d))) {
        char path[512], why[1024] = "";
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", CASES_DIR, e->d_name);
        check_case(path, why, sizeof(why));
        count++;
        if (why[0]) {
            failed++;
            print_message("case %s:%s\n", e->d_name, why);
        }
    }
    closedir(d);
    print_message("%d cases, %d failed\n", count, failed);
    assert_true(count >= 90);
    assert_int_equal(failed, 0);
}

static const char *minimal =
    "{\"schema_version\":\"1.0\",\"location\":{\"regions\":[\"calf\"],"
    "\"side\":\"left\"},\"screen\":{\"chest_pain_or_breathless\":false,"
    "\"urine\":\"normal\",\"vomiting_or_confusion\":false,\"fever\":false,"
    "\"can_walk\":\"normally\",\"numbness_tingling\":false,\"weakness\":"
    "\"none\"},\"signs\":{\"swelling\":\"none\",\"redness\":false,"
    "\"warmth\":false},\"pain\":{\"onset\":\"next_day\",\"hours_since_run\":"
    "24,\"days_with_symptoms\":1,\"score\":3}}";

static json_t *parse_ok(const char *text)
{
    struct jschema_errors errs = { .max = 0 };
    struct rc_err err = RC_ERR_INIT;
    json_t *rep = NULL;
    jschema_errors_init(&errs);
    assert_int_equal(triage_parse_report(kb, text, strlen(text), &rep, &errs,
                                         &err),
                     0);
    jschema_errors_release(&errs);
    return rep;
}

static void collect_ids(const json_t *v, json_t *set)
{
    const char *key;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, x) {
            if (!strcmp(key, "source_ids")) {
                json_t *id;
                size_t k;
                json_array_foreach(x, k, id)
                    json_object_set_new(set, json_string_value(id),
                                        json_true());
            } else if (strcmp(key, "advice_sources")) {
                collect_ids(x, set);
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) {
            collect_ids(x, set);
        }
    }
}

static void test_triage__advice_sources_are_exactly_the_ids_used(void **state)
{
    json_t *rep = parse_ok(minimal), *r = run(rep), *used = json_object();
    json_t *e;
    size_t i;
    (void)state;
    collect_ids(r, used);
    assert_int_equal(json_object_size(used),
                     json_array_size(json_object_get(r, "advice_sources")));
    json_array_foreach(json_object_get(r, "advice_sources"), i, e) {
        assert_non_null(json_object_get(
            used, json_string_value(json_object_get(e, "id"))));
    }
    json_decref(used);
    json_decref(r);
    json_decref(rep);
}

/* The sources of the level's own "see someone" action in r. */
static const json_t *seek_care_sources(const json_t *r)
{
    size_t i, k;
    json_t *st, *a;
    json_array_foreach(json_object_get(json_object_get(r, "plan"), "steps"),
                       i, st) {
        json_array_foreach(json_object_get(st, "actions"), k, a) {
            if (!strcmp(json_string_value(json_object_get(a, "kind")),
                        "seek_care"))
                return json_object_get(a, "source_ids");
        }
    }
    return NULL;
}

/* "See a doctor" is as general as the level: it cites what set the level
 * (a red flag, or else the top condition), not one condition's sources
 * for every leg. */
static void test_triage__level_actions_cite_what_set_the_level(void **state)
{
    json_t *rep = parse_ok(minimal), *r;
    const json_t *flag, *top;
    (void)state;
    json_object_set_new(json_object_get(rep, "screen"),
                        "chest_pain_or_breathless", json_true());
    r = run(rep);
    assert_string_equal(json_string_value(json_object_get(r, "triage")),
                        "emergency");
    flag = json_array_get(json_object_get(r, "red_flags"), 0);
    assert_string_equal(json_string_value(json_object_get(flag, "id")),
                        "chest_symptoms");
    assert_non_null(seek_care_sources(r));
    assert_true(json_equal(seek_care_sources(r),
                           json_object_get(flag, "source_ids")));
    json_decref(r);
    json_decref(rep);

    /* no flag: a torn hamstring sets see_clinician, and is cited */
    rep = parse_ok(minimal);
    json_array_set_new(json_object_get(json_object_get(rep, "location"),
                                       "regions"),
                       0, json_string("thigh_back"));
    json_object_set_new(json_object_get(rep, "pain"), "onset",
                        json_string("sudden_during_run"));
    json_object_set_new(json_object_get(rep, "pain"), "hours_since_run",
                        json_real(2));
    json_object_set_new(json_object_get(rep, "pain"), "score",
                        json_integer(5));
    json_object_set_new(rep, "checks",
                        json_pack("{s:b, s:s}", "pop_or_kicked", 1,
                                  "tenderness", "in_muscle"));
    r = run(rep);
    assert_int_equal(json_array_size(json_object_get(r, "red_flags")), 0);
    assert_string_equal(json_string_value(json_object_get(r, "triage")),
                        "see_clinician");
    top = json_array_get(json_object_get(r, "conditions"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "id")),
                        "hamstring_strain");
    assert_true(json_equal(seek_care_sources(r),
                           json_object_get(top, "source_ids")));
    json_decref(r);
    json_decref(rep);
}

static void test_triage__plan_starts_at_hours_since_run(void **state)
{
    json_t *rep = parse_ok(minimal), *r, *s;
    size_t i;
    int now_steps = 0;
    (void)state;
    json_object_set_new(json_object_get(rep, "pain"), "hours_since_run",
                        json_real(50));
    r = run(rep);
    json_array_foreach(json_object_get(json_object_get(r, "plan"), "steps"), i,
                       s) {
        const json_t *to = json_object_get(s, "to_hours");
        double from = json_number_value(json_object_get(s, "from_hours"));
        const char *label = json_string_value(json_object_get(s, "label"));
        assert_true(from >= 50);
        /* a window under way starts at hour 50 and says "now"; a later or
         * an open-ended one keeps its own label */
        bool under_way = from == 50 && !json_is_null(to);
        assert_true(json_is_null(to) || json_number_value(to) > 50);
        if (under_way)
            assert_non_null(strstr(label, " (now)"));
        else
            assert_null(strstr(label, "(now)"));
        now_steps += under_way;
    }
    assert_true(now_steps > 0);
    json_decref(r);
    json_decref(rep);
}

static void test_triage__log_training_fills_report_and_reasons(void **state)
{
    json_t *rep = parse_ok(minimal), *r;
    struct triage_training t;
    struct triage_context ctx = { 1700000000.0, &t };
    struct rc_err err = RC_ERR_INIT;
    json_t *warn = json_array(), *w = json_object();
    char *text;
    (void)state;
    triage_training_init(&t);
    t.has_spike = true;
    t.longest_run_spike_pct = 68;
    snprintf(t.spike_why, sizeof(t.spike_why),
             "16.8 km on 2024-03-12 against 10.0 km on 2024-02-20");
    t.max_single_run_km = 9.24;
    json_object_set_new(w, "id", json_string("single_run_spike"));
    json_object_set_new(w, "text", json_string("spike"));
    json_object_set_new(w, "source_ids", json_pack("[s]", "frandsen2025"));
    json_array_append_new(warn, w);
    t.load_warnings = warn;
    json_object_set_new(json_object_get(rep, "location"), "side",
                        json_string("both"));
    r = triage_check_json(kb, rep, &ctx, &err);
    assert_non_null(r);
    text = json_dumps(r, 0);
    assert_non_null(strstr(text, "longer than your longest in the 30 days "
                                 "before (from your log: 16.8 km on "
                                 "2024-03-12 against 10.0 km on "
                                 "2024-02-20)"));
    assert_true(fabs(json_number_value(json_object_get(
                     json_object_get(json_object_get(r, "plan"),
                                     "return_to_running"),
                     "max_single_run_km")) -
                 9.2) < 1e-9);
    assert_int_equal(json_array_size(json_object_get(r, "load_warnings")), 1);
    free(text);
    json_decref(warn);
    json_decref(r);
    json_decref(rep);
}

static void test_triage__parse_reports_syntax_error_line(void **state)
{
    struct jschema_errors errs = { .max = 0 };
    struct rc_err err = RC_ERR_INIT;
    json_t *rep = NULL;
    (void)state;
    jschema_errors_init(&errs);
    assert_int_equal(triage_parse_report(kb, "{\n\"a\": }", 8, &rep, &errs,
                                         &err),
                     -1);
    assert_int_equal(err.line, 2);
    assert_null(rep);
    jschema_errors_release(&errs);
}

static void test_triage__questions_follow_the_readme_order(void **state)
{
    static const char *const first[] = {
        "/location/regions", /* with the side: one answer */
        /* the screen's yes/no questions at once (chest pain first) */
        "/screen/chest_pain_or_breathless",
        /* then each of the screen on its own, in the brief's order: a
         * yes/no one is asked only when the runner was not sure above */
        "/screen/chest_pain_or_breathless", "/screen/urine",
        "/screen/vomiting_or_confusion", "/screen/fever", "/screen/can_walk",
        "/screen/numbness_tingling", "/screen/weakness",
    };
    (void)state;
    for (size_t i = 0; i < RC_ARRAY_SIZE(first); i++)
        assert_string_equal(kb_question_at(kb, i)->field, first[i]);
    assert_true(kb_question_at(kb, 1)->group);
    assert_int_equal(kb_question_at(kb, 1)->nchoices, 4);
    for (size_t i = 2; i < RC_ARRAY_SIZE(first); i++)
        assert_false(kb_question_at(kb, i)->group);
}

/* The lump question can raise two flags (a cord along a vein: DVT; a gap
 * in the tendon: rupture): one note, for the one unanswered question,
 * with the level it could set, and it comes first in the reason. */
static void test_triage__one_question_behind_two_flags_counts_once(void **state)
{
    json_t *rep = parse_ok(minimal), *r, *e;
    const char *reason;
    size_t i, notes = 0;
    (void)state;
    /* clot risks and the other signs answered: only the lump is left */
    triage_set_field(rep, "/history/clot_risks", json_array());
    triage_set_field(rep, "/signs/calf_bigger_than_other", json_false());
    r = run(rep);
    reason = json_string_value(json_object_get(r, "triage_reason"));
    json_array_foreach(json_object_get(json_object_get(r, "recheck"),
                                       "escalate_if"), i, e) {
        if (strstr(json_string_value(e), "Not answered: what you see or feel "
                                         "on the painful area"))
            notes++;
    }
    assert_int_equal(notes, 1);
    assert_non_null(reason);
    assert_ptr_equal(strstr(reason, "Not answered:"), reason);
    json_decref(r);
    json_decref(rep);
}

/* The embedded kb with every condition's prior and feature weights set to
 * 0, so that every condition that applies ties; its conditions.jsonl text
 * is written into buf. */
static struct kb *kb_all_tied(struct rc_buf *buf)
{
    struct kb_text files[KB_FILES_MAX];
    struct rc_err err = RC_ERR_INIT;
    size_t n = kb_embedded_texts(files, RC_ARRAY_SIZE(files));
    struct kb *k;

    rc_buf_init(buf, 1 << 20);
    for (size_t f = 0; f < n; f++) {
        if (!strcmp(files[f].name, "kb/conditions.jsonl")) {
            const char *p = files[f].data;
            while (*p) {
                const char *w = strstr(p, "\"weight\":");
                const char *q = strstr(p, "\"prior\":");
                const char *at = !w ? q : !q ? w : w < q ? w : q;
                size_t key;
                if (!at) {
                    assert_int_equal(rc_buf_append(buf, p, strlen(p), &err), 0);
                    break;
                }
                key = at == w ? strlen("\"weight\":") : strlen("\"prior\":");
                assert_int_equal(rc_buf_append(buf, p, (size_t)(at - p) + key,
                                               &err), 0);
                assert_int_equal(rc_buf_append(buf, "0", 1, &err), 0);
                p = at + key;
                while (*p == '-' || *p == '.' || (*p >= '0' && *p <= '9'))
                    p++;
            }
            files[f].data = (const char *)buf->data;
            files[f].len = buf->len;
        }
    }
    k = kb_load_texts(files, n, &err);
    if (!k)
        fail_msg("tied kb: %s: line %ld: %s", err.file, err.line, err.msg);
    return k;
}

static void test_triage__a_tie_ranks_the_more_serious_condition_first(void **state)
{
    struct rc_buf buf;
    struct kb *tied = kb_all_tied(&buf);
    struct triage_context ctx = { 1700000000.0, NULL };
    struct rc_err err = RC_ERR_INIT;
    json_t *rep = parse_ok(minimal), *r, *c;
    int prev = TRIAGE_EMERGENCY + 1;
    size_t i;
    (void)state;
    r = triage_check_json(tied, rep, &ctx, &err);
    assert_non_null(r);
    /* all tied: the list runs from the most serious down */
    json_array_foreach(json_object_get(r, "conditions"), i, c) {
        int lv = triage_level_parse(
            json_string_value(json_object_get(c, "triage")));
        assert_true(json_number_value(json_object_get(c, "score")) ==
                    json_number_value(json_object_get(
                        json_array_get(json_object_get(r, "conditions"), 0),
                        "score")));
        assert_true(lv <= prev);
        prev = lv;
    }
    /* and the level follows the top of the tie (conditions.md section 1 b) */
    assert_string_equal(json_string_value(json_object_get(r, "triage")),
                        json_string_value(json_object_get(
                            json_array_get(json_object_get(r, "conditions"), 0),
                            "triage")));
    json_decref(r);
    json_decref(rep);
    kb_free(tied);
    rc_buf_release(&buf);
}

static void test_triage__emergency_answer_stops_at_once(void **state)
{
    json_t *p = json_object();
    const char *label = NULL;
    (void)state;
    triage_set_field(p, "/location/regions", json_pack("[s]", "calf"));
    assert_null(triage_emergency_now(kb, p, &label));
    triage_set_field(p, "/screen/urine", json_string("dark_cola"));
    assert_string_equal(triage_emergency_now(kb, p, &label),
                        "dark_or_scant_urine");
    assert_non_null(label);
    json_decref(p);
}

/* Every case runcare has (tests/vignettes, ../shared's public ones): no
 * result's plan contradicts its level, and none is below its red flags. */
static void test_triage__no_plan_block_contradicts_the_level(void **state)
{
    static const char *const files[] = {
        "tests/vignettes/own.jsonl", "tests/vignettes/blind.jsonl",
        "tests/vignettes/blind_v2.jsonl", "../shared/domain/vignettes.jsonl",
    };
    size_t cases = 0, bad = 0;
    (void)state;
    for (size_t f = 0; f < RC_ARRAY_SIZE(files); f++) {
        FILE *fp = fopen(files[f], "r");
        char line[65536];
        while (fp && fgets(line, sizeof(line), fp)) {
            json_error_t je;
            json_t *v = json_loads(line, 0, &je), *r;
            char why[1024] = "";
            if (!v)
                continue;
            r = run(json_object_get(v, "report"));
            check_invariants(r, why, sizeof(why));
            if (why[0]) {
                bad++;
                print_message("%s:%s\n",
                              json_string_value(json_object_get(v, "id")), why);
            }
            cases++;
            json_decref(r);
            json_decref(v);
        }
        if (fp)
            fclose(fp);
    }
    print_message("# %zu cases, %zu with a plan that contradicts its level\n",
                  cases, bad);
    assert_true(cases > 200);
    assert_int_equal(bad, 0);
}

/* A check makes a few thousand allocations (the result, its strings, the
 * JSON); failing each in turn must give NULL with "out of memory" and
 * leak nothing (ASan in make check). Two reports: soreness (a long plan)
 * and a red flag pointing to its condition (notes, flags). */
static void test_triage__each_allocation_failure_is_clean(void **state)
{
    static const char *const extra[] = {
        NULL,
        "{\"checks\":{\"muscle_rock_hard\":true},\"pain\":{\"at_rest\":true}}",
    };
    (void)state;
    test_counted_jansson(true);
    for (size_t e = 0; e < RC_ARRAY_SIZE(extra); e++) {
        json_t *rep = parse_ok(minimal), *r;
        struct triage_context ctx = { 1700000000.0, NULL };
        struct rc_err err = RC_ERR_INIT;
        long count;
        if (extra[e]) {
            json_error_t je;
            json_t *x = json_loads(extra[e], 0, &je);
            json_object_update_recursive(rep, x);
            json_decref(x);
        }
        rc_alloc_fail_after(-1);
        r = triage_check_json(kb, rep, &ctx, &err);
        count = rc_alloc_count();
        assert_non_null(r);
        json_decref(r);
        for (long k = 0; k < count; k += k < 500 ? 1 : 7) {
            struct rc_err e2 = RC_ERR_INIT;
            rc_alloc_fail_after(k);
            r = triage_check_json(kb, rep, &ctx, &e2);
            rc_alloc_fail_after(-1);
            if (r)
                fail_msg("allocation %ld of %ld failed but the check "
                         "succeeded", k, count);
            assert_int_equal(e2.status, RC_EENV);
            assert_string_equal(e2.msg, "out of memory");
        }
        json_decref(rep);
    }
    test_counted_jansson(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_triage__cases),
        cmocka_unit_test(test_triage__advice_sources_are_exactly_the_ids_used),
        cmocka_unit_test(test_triage__plan_starts_at_hours_since_run),
        cmocka_unit_test(test_triage__level_actions_cite_what_set_the_level),
        cmocka_unit_test(test_triage__log_training_fills_report_and_reasons),
        cmocka_unit_test(test_triage__parse_reports_syntax_error_line),
        cmocka_unit_test(test_triage__questions_follow_the_readme_order),
        cmocka_unit_test(test_triage__emergency_answer_stops_at_once),
        cmocka_unit_test(test_triage__a_tie_ranks_the_more_serious_condition_first),
        cmocka_unit_test(test_triage__one_question_behind_two_flags_counts_once),
        cmocka_unit_test(test_triage__no_plan_block_contradicts_the_level),
        cmocka_unit_test(test_triage__each_allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
