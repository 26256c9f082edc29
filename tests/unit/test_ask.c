/* test_ask.c - the questionnaire's logic (triage/ask.c, ask_parse.c): which
 * question comes next and what a typed answer means.
 *
 * The question counts are measured by answering from each case's report:
 * the questionnaire asks what triage_next_question says, the answer is the
 * report's value (or "not sure" when the report has none), and an
 * emergency answer stops it, as on a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/buf.h"
#include "testlib.h"
#include "triage/triage.h"

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

static void copy_field(json_t *dst, const json_t *src, const char *ptr)
{
    const json_t *v = triage_get_field(src, ptr);
    if (v)
        assert_int_equal(triage_set_field(dst, ptr, json_deep_copy(v)), 0);
}

/* A checklist item's field and value, from the kb record the question
 * was read from (the public kb_question has only its text). */
static const json_t *item_rec(size_t i, size_t c)
{
    const struct kb_question *q = kb_question_at(kb, i);
    static json_t *qs;
    json_t *r;
    size_t k;
    if (!qs) {
        struct rc_buf b;
        json_error_t je;
        const char *p, *end;
        qs = json_array();
        test_read_file(&b, "kb/questions.jsonl");
        for (p = (const char *)b.data, end = p + b.len; p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (len && *p != '#')
                json_array_append_new(qs, json_loadb(p, len, 0, &je));
            p += len + 1;
        }
        rc_buf_release(&b);
    }
    json_array_foreach(qs, k, r) {
        if (!strcmp(json_string_value(json_object_get(r, "id")), q->id))
            return json_array_get(json_object_get(r, "items"), c);
    }
    return NULL;
}
static const char *item_field(size_t i, size_t c)
{
    return json_string_value(json_object_get(item_rec(i, c), "field"));
}
static const json_t *item_value(size_t i, size_t c)
{
    return json_object_get(item_rec(i, c), "value");
}
static bool array_has(const json_t *a, const char *s)
{
    size_t k;
    json_t *e;
    json_array_foreach(a, k, e) {
        if (!strcmp(json_string_value(e), s))
            return true;
    }
    return false;
}

/* Answer question i from report into partial, as the runner whose report
 * it is would: its value, or nothing ("not sure"). */
/* Whether the question of its own for field was asked. */
static bool field_asked(const char *field, const bool *asked)
{
    for (size_t j = 0; j < kb_count_questions(kb); j++)
        if (!strcmp(kb_question_at(kb, j)->field, field) &&
            kb_question_at(kb, j)->kind != KB_Q_CHECKLIST)
            return asked[j];
    return false;
}

static void answer_from(size_t i, const json_t *report, json_t *partial)
{
    const struct kb_question *q = kb_question_at(kb, i);
    if (q->kind == KB_Q_LOCATION) {
        copy_field(partial, report, "/location/regions");
        copy_field(partial, report, "/location/side");
        copy_field(partial, report, "/location/side_by_region");
        return;
    }
    if (q->kind == KB_Q_CHECKLIST) {
        /* as the runner would type it: the items the report ticks, "none"
         * when it answers their fields and ticks none, "?" when it says
         * nothing about them */
        char text[512] = "";
        size_t o = 0;
        bool answered = false;
        json_t *set = NULL;
        char msg[128];
        for (size_t c = 0; c < q->nchoices; c++) {
            const json_t *it = item_value(i, c);
            const json_t *v = triage_get_field(report, item_field(i, c));
            if (v)
                answered = true;
            if (v && (json_is_true(v) ? json_is_true(it)
                      : json_is_array(v)
                          ? json_array_size(v) && json_is_string(it) &&
                                array_has(v, json_string_value(it))
                          : json_equal(v, it)))
                o += (size_t)snprintf(text + o, sizeof(text) - o, "%s%zu",
                                      o ? ", " : "", c + 1);
        }
        if (!answered)
            return;
        /* a group (the safety screen's yes/no questions at once): a runner
         * who cannot answer every one says "?", and each is asked alone */
        for (size_t c = 0; q->group && c < q->nchoices; c++)
            if (!triage_get_field(report, item_field(i, c)))
                return;
        if (triage_parse_answer(kb, i, o ? text : "none", &set, msg,
                                sizeof(msg)) != TRIAGE_ANSWER_OK)
            fail_msg("%s: \"%s\": %s", q->id, text, msg);
        {
            const char *key;
            json_t *v;
            json_object_foreach(set, key, v)
                assert_int_equal(triage_set_field(partial, key,
                                                  json_incref(v)), 0);
        }
        json_decref(set);
        return;
    }
    copy_field(partial, report, q->field);
}

struct sim {
    size_t asked;
    bool stopped;      /* an emergency answer stopped it */
    bool screen_all;   /* every screen question was asked */
    int level;         /* the level of the report it built */
};

/* log: a training log that knows the hours since the run (the report's)
 * and the session when the report names one, as runcare's log does. */
static void simulate(const json_t *report, bool log, struct sim *s)
{
    struct triage_training t;
    json_t *partial = json_object();
    size_t n = kb_count_questions(kb);
    bool *asked = calloc(n, sizeof(*asked));
    struct rc_err err = RC_ERR_INIT;
    size_t screen = 0;
    long i;

    assert_non_null(asked);
    memset(s, 0, sizeof(*s));
    triage_training_init(&t);
    if (log) {
        const json_t *sess = triage_get_field(report, "/training/session");
        t.run_end_s = 1700000000.0 -
                      3600 * json_number_value(triage_get_field(
                                 report, "/pain/hours_since_run"));
        copy_field(partial, report, "/pain/hours_since_run");
        for (size_t k = 0; k < json_array_size(sess) && k < 7; k++)
            t.session[k] = json_string_value(json_array_get(sess, k));
        copy_field(partial, report, "/training/session");
    }
    while ((i = triage_next_question(kb, partial, log ? &t : NULL, asked,
                                     &err)) >= 0) {
        asked[i] = true;
        s->asked++;
        if (getenv("ASK_TRACE"))
            fprintf(stderr, " %s", kb_question_at(kb, (size_t)i)->id);
        answer_from((size_t)i, report, partial);
        if (triage_emergency_now(kb, partial, NULL)) {
            s->stopped = true;
            break;
        }
    }
    assert_int_not_equal(i, -2);
    /* the safety screen asked whole: every /screen/ field answered, or
     * left unanswered by the report itself */
    {
        const json_t *full = json_object_get(report, "screen");
        const json_t *got = json_object_get(partial, "screen");
        const char *key;
        json_t *v;
        size_t nscreen = 0;
        json_t *props = json_object_get(json_object_get(
            json_object_get(kb_report_schema(kb), "properties"), "screen"),
            "properties");
        json_object_foreach(props, key, v) {
            char path[128];
            snprintf(path, sizeof(path), "/screen/%s", key);
            nscreen++;
            if (json_object_get(full, key) ? json_object_get(got, key) != NULL
                                           : field_asked(path, asked))
                screen++;
        }
        s->screen_all = nscreen == 7 && screen == nscreen;
    }
    if (!s->stopped) {
        struct triage_context ctx = { 1700000000.0, NULL };
        json_t *r;
        assert_int_equal(json_object_set_new(partial, "schema_version",
                                             json_string("1.1")), 0);
        r = triage_check_json(kb, partial, &ctx, &err);
        assert_non_null(r);
        s->level = (int)triage_result_level(r);
        json_decref(r);
    } else {
        s->level = TRIAGE_EMERGENCY;
    }
    free(asked);
    json_decref(partial);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Every case of a vignette file: the number of questions asked, whether
 * the safety screen was asked whole, and whether the questionnaire's report
 * reaches the level of the full report (never lower: it must not skip a
 * question whose answer could raise the level). Returns how many cases;
 * counts[] gets the number asked for the benign ones (gold self_care) when
 * benign, else for all. */
static size_t run_file(const char *path, bool benign, bool log,
                       size_t *counts, size_t cap, size_t *n)
{
    struct rc_buf b;
    const char *p, *end;
    size_t cases = 0;
    test_read_file(&b, path);
    p = (const char *)b.data;
    end = p + b.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_error_t je;
        json_t *v = len ? json_loadb(p, len, 0, &je) : NULL;
        p += len + 1;
        if (!v)
            continue;
        {
            const json_t *rep = json_object_get(v, "report");
            const char *gold = json_string_value(
                json_object_get(json_object_get(v, "gold"), "triage"));
            struct triage_context ctx = { 1700000000.0, NULL };
            struct rc_err err = RC_ERR_INIT;
            json_t *full = triage_check_json(kb, rep, &ctx, &err);
            struct sim s;
            if (getenv("ASK_TRACE"))
                fprintf(stderr, "\n%s:", json_string_value(json_object_get(v, "id")));
            simulate(rep, log, &s);
            if (!s.stopped && !s.screen_all)
                fail_msg("%s: the safety screen was not asked whole",
                         json_string_value(json_object_get(v, "id")));
            if (s.level < (int)triage_result_level(full))
                fail_msg("%s: the questionnaire's report is %s, the full "
                         "report %s",
                         json_string_value(json_object_get(v, "id")),
                         triage_level_name((enum triage_level)s.level),
                         json_string_value(json_object_get(full, "triage")));
            if ((!benign || (gold && !strcmp(gold, "self_care"))) &&
                *n < cap)
                counts[(*n)++] = s.asked;
            json_decref(full);
            cases++;
        }
        json_decref(v);
    }
    rc_buf_release(&b);
    return cases;
}

static size_t median(size_t *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_size);
    return n ? v[n / 2] : 0;
}

/* The target: a benign case in 15 questions or fewer, the median
 * over the public cases; never skipping the safety screen; never a lower
 * level than the full report gives. */
static void test_ask__public_cases_need_few_questions(void **state)
{
    static size_t all[64], benign[64], logged[64];
    size_t na = 0, nb = 0, nl = 0;
    char path[512];
    TEST_SHARED_DATA_OR_SKIP(data);
    (void)state;
    snprintf(path, sizeof(path), "%s/../domain/vignettes.jsonl", data);
    assert_true(run_file(path, false, false, all, RC_ARRAY_SIZE(all), &na) >
                20);
    run_file(path, true, false, benign, RC_ARRAY_SIZE(benign), &nb);
    run_file(path, true, true, logged, RC_ARRAY_SIZE(logged), &nl);
    print_message("# public cases: median %zu questions (%zu cases); "
                  "benign: median %zu (%zu cases); benign with a log: "
                  "median %zu\n",
                  median(all, na), na, median(benign, nb), nb,
                  median(logged, nl));
    assert_true(nb >= 5);
    /* the target: 15 for a benign case. 11 are asked of everyone
     * (where, the safety screen's 4 yes/no questions as one checklist and
     * its 3 choices, 4 the schema requires of the pain, the signs, health
     * and medicines); the log answers how long ago the run ended */
    assert_true(median(benign, nb) <= 15);
    assert_true(median(logged, nl) <= 14);
}

/* Our own cases, which need no ../shared: the same three promises. */
static void test_ask__own_cases_keep_the_level(void **state)
{
    static size_t counts[512];
    size_t n = 0, cases = 0;
    static const char *const files[] = { "tests/vignettes/own.jsonl",
                                         "tests/vignettes/blind.jsonl",
                                         "tests/vignettes/blind_v2.jsonl" };
    (void)state;
    for (size_t f = 0; f < RC_ARRAY_SIZE(files); f++)
        cases += run_file(files[f], false, false, counts,
                          RC_ARRAY_SIZE(counts), &n);
    print_message("# %zu own cases: median %zu questions\n", cases,
                  median(counts, n));
    assert_true(cases > 150);
}

/* ---- answers ---- */

static long question(const char *id)
{
    for (size_t i = 0; i < kb_count_questions(kb); i++)
        if (!strcmp(kb_question_at(kb, i)->id, id))
            return (long)i;
    fail_msg("no question %s", id);
    return -1;
}

static json_t *answer(const char *id, const char *text,
                      enum triage_answer want)
{
    json_t *set = NULL;
    char msg[256];
    enum triage_answer a =
        triage_parse_answer(kb, (size_t)question(id), text, &set, msg,
                            sizeof(msg));
    if (a != want)
        fail_msg("%s: \"%s\": got %d (%s), wanted %d", id, text, a, msg, want);
    return set;
}

static const char *str_at(const json_t *set, const char *ptr)
{
    return json_string_value(json_object_get(set, ptr));
}

static void test_ask__yes_and_no_are_words_everywhere(void **state)
{
    json_t *s;
    (void)state;
    s = answer("fever", "y", TRIAGE_ANSWER_OK);
    assert_true(json_is_true(json_object_get(s, "/screen/fever")));
    json_decref(s);
    s = answer("fever", "No", TRIAGE_ANSWER_OK);
    assert_true(json_is_false(json_object_get(s, "/screen/fever")));
    json_decref(s);
    /* numbers are not yes and no: "2" meant no in one question and a
     * choice in the next */
    json_decref(answer("fever", "2", TRIAGE_ANSWER_BAD));
    /* "n" means the "no" choice of a choice question */
    s = answer("weakness", "n", TRIAGE_ANSWER_OK);
    assert_string_equal(str_at(s, "/screen/weakness"), "none");
    json_decref(s);
    s = answer("mechanism", "no", TRIAGE_ANSWER_OK);
    assert_string_equal(str_at(s, "/injury/mechanism"), "none");
    json_decref(s);
}

static void test_ask__dont_know_is_the_same_key_everywhere(void **state)
{
    json_t *s;
    (void)state;
    /* a field with its own "not noticed" value takes it */
    s = answer("urine", "?", TRIAGE_ANSWER_OK);
    assert_string_equal(str_at(s, "/screen/urine"), "not_noticed");
    json_decref(s);
    assert_null(answer("passive_stretch_pain", "?", TRIAGE_ANSWER_DONT_KNOW));
    assert_null(answer("at_rest", "not sure", TRIAGE_ANSWER_DONT_KNOW));
    /* a required field without one needs an answer */
    json_decref(answer("fever", "?", TRIAGE_ANSWER_BAD));
}

static void test_ask__choices_by_word_or_first_letters(void **state)
{
    json_t *s;
    (void)state;
    s = answer("can_walk", "limp", TRIAGE_ANSWER_OK);
    assert_string_equal(str_at(s, "/screen/can_walk"), "with_limp");
    json_decref(s);
    s = answer("onset", "next day", TRIAGE_ANSWER_OK);
    assert_string_equal(str_at(s, "/pain/onset"), "next_day");
    json_decref(s);
    s = answer("onset", "4", TRIAGE_ANSWER_OK);
    assert_string_equal(str_at(s, "/pain/onset"), "next_day");
    json_decref(s);
    s = answer("urine", "brown", TRIAGE_ANSWER_OK);
    assert_string_equal(str_at(s, "/screen/urine"), "dark_cola");
    json_decref(s);
    /* "dark" could be dark yellow or cola-dark: asked again, never guessed */
    json_decref(answer("urine", "dark", TRIAGE_ANSWER_BAD));
}

static void test_ask__location_in_one_answer(void **state)
{
    json_t *s;
    (void)state;
    s = answer("where", "left calf", TRIAGE_ANSWER_OK);
    assert_string_equal(str_at(s, "/location/side"), "left");
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(s, "/location/regions"), 0)),
                        "calf");
    assert_null(json_object_get(s, "/location/side_by_region"));
    json_decref(s);
    /* the prompt's own example parses; "shins" alone is the inner edge */
    s = answer("where", "right knee front, both shins", TRIAGE_ANSWER_OK);
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(s, "/location/regions"), 1)),
                        "shin_inner");
    json_decref(s);
    s = answer("where", "left front shin, left inner shin", TRIAGE_ANSWER_OK);
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(s, "/location/regions"), 0)),
                        "shin_front");
    json_decref(s);
    s = answer("where", "right kneecap, both inner shin", TRIAGE_ANSWER_OK);
    assert_int_equal(json_array_size(json_object_get(s, "/location/regions")),
                     2);
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(s, "/location/side_by_region"), "shin_inner")),
        "both");
    json_decref(s);
    json_decref(answer("where", "calf", TRIAGE_ANSWER_BAD)); /* which side? */
    json_decref(answer("where", "left elbow", TRIAGE_ANSWER_BAD));
}

static void test_ask__checklist_none_answers_every_item(void **state)
{
    json_t *s;
    (void)state;
    s = answer("health", "none", TRIAGE_ANSWER_OK);
    assert_int_equal(json_array_size(json_object_get(s, "/history/conditions")),
                     0);
    assert_true(json_is_false(
        json_object_get(s, "/history/weight_loss_unintended")));
    json_decref(s);
    s = answer("health", "statin, diabetes", TRIAGE_ANSWER_OK);
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(s, "/history/medications"), 0)),
                        "statin");
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(s, "/history/conditions"), 0)),
                        "diabetes");
    json_decref(s);
    s = answer("signs", "warm, whole calf", TRIAGE_ANSWER_OK);
    assert_true(json_is_true(json_object_get(s, "/signs/warmth")));
    assert_true(json_is_false(json_object_get(s, "/signs/redness")));
    assert_string_equal(str_at(s, "/signs/swelling"), "whole_calf");
    assert_string_equal(str_at(s, "/signs/lump"), "none");
    json_decref(s);
    s = answer("signs", "n", TRIAGE_ANSWER_OK);
    assert_string_equal(str_at(s, "/signs/swelling"), "none");
    assert_true(json_is_false(json_object_get(s, "/signs/calf_bigger_than_other")));
    json_decref(s);
}

/* A `?` safety answer is asked before other follow-ups as soon as its rule
 * could fire: a rock-hard calf at rest asks about moving the toes next. */
static void test_ask__a_waiting_safety_answer_comes_first(void **state)
{
    static const char *const rep =
        "{\"location\":{\"regions\":[\"calf\"],\"side\":\"left\"},"
        "\"screen\":{\"chest_pain_or_breathless\":false,\"urine\":\"normal\","
        "\"vomiting_or_confusion\":false,\"fever\":false,\"can_walk\":"
        "\"normally\",\"numbness_tingling\":false,\"weakness\":\"none\"},"
        "\"signs\":{\"swelling\":\"none\",\"redness\":false,\"warmth\":false},"
        "\"pain\":{\"onset\":\"next_day\",\"hours_since_run\":20,"
        "\"days_with_symptoms\":1,\"score\":5,\"at_rest\":true},"
        "\"history\":{\"conditions\":[],\"medications\":[],"
        "\"weight_loss_unintended\":false,\"fall_or_blow\":false},"
        "\"checks\":{\"muscle_rock_hard\":true}}";
    json_error_t je;
    json_t *p = json_loads(rep, 0, &je);
    bool *asked = calloc(kb_count_questions(kb), sizeof(*asked));
    struct rc_err err = RC_ERR_INIT;
    long i;
    (void)state;
    assert_non_null(p);
    for (size_t k = 0; k < kb_count_questions(kb); k++) {
        const char *f = kb_question_at(kb, k)->field;
        asked[k] = triage_get_field(p, f) != NULL;
    }
    i = triage_next_question(kb, p, NULL, asked, &err);
    assert_true(i >= 0);
    assert_string_equal(kb_question_at(kb, (size_t)i)->field,
                        "/checks/passive_stretch_pain");
    free(asked);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ask__public_cases_need_few_questions),
        cmocka_unit_test(test_ask__own_cases_keep_the_level),
        cmocka_unit_test(test_ask__yes_and_no_are_words_everywhere),
        cmocka_unit_test(test_ask__dont_know_is_the_same_key_everywhere),
        cmocka_unit_test(test_ask__choices_by_word_or_first_letters),
        cmocka_unit_test(test_ask__location_in_one_answer),
        cmocka_unit_test(test_ask__checklist_none_answers_every_item),
        cmocka_unit_test(test_ask__a_waiting_safety_answer_comes_first),
    };
    return cmocka_run_group_tests_name("ask", tests, setup, teardown);
}
