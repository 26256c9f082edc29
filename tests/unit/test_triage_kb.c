/* test_triage_kb.c - the two ways the knowledge base loads: kb_load_texts
 * (`--kb DIR`: Jansson and every check) and kb_load_embedded (the kb built
 * into runcare: jparse and no checks, since the build ran them with
 * kb_check_build). The built-in kb passes the build's check; the check
 * fails on a bad kb; both loads give the same answer to every case report
 * and the same questionnaire; the unchecked load fails cleanly at any
 * allocation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "testlib.h"
#include "triage/triage.h"

static struct kb_text files[KB_FILES_MAX];
static size_t nfiles;

static int setup(void **state)
{
    (void)state;
    nfiles = kb_embedded_texts(files, RC_ARRAY_SIZE(files));
    return nfiles > 0 && nfiles <= RC_ARRAY_SIZE(files) ? 0 : -1;
}

static void test_triage_kb__built_in_kb_passes_the_build_check(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    if (kb_check_build(files, nfiles, &err) < 0)
        fail_msg("%s: line %ld: %s", err.file, err.line, err.msg);
}

/* The built-in texts into out, with the first `from` in file `name`
 * replaced by to[0..to_len); returns the changed text (free it). */
static char *texts_with(struct kb_text *out, const char *name,
                        const char *from, const char *to, size_t to_len)
{
    size_t i, head, from_len = strlen(from);
    const char *at;
    char *text;
    memcpy(out, files, nfiles * sizeof(*out));
    for (i = 0; i < nfiles && strcmp(out[i].name, name); i++)
        ;
    assert_true(i < nfiles);
    at = strstr(out[i].data, from);
    assert_non_null(at);
    head = (size_t)(at - out[i].data);
    text = malloc(out[i].len - from_len + to_len);
    assert_non_null(text);
    memcpy(text, out[i].data, head);
    memcpy(text + head, to, to_len);
    memcpy(text + head + to_len, at + from_len, out[i].len - head - from_len);
    out[i].data = text;
    out[i].len = out[i].len - from_len + to_len;
    return text;
}

static void test_triage_kb__build_check_names_a_bad_record(void **state)
{
    struct kb_text bad[KB_FILES_MAX];
    struct rc_err err = RC_ERR_INIT;
    char *text = texts_with(bad, "kb/conditions.jsonl", "\"/pain/score\"",
                            "\"/pain/scor\"", 12);
    (void)state;
    assert_int_equal(kb_check_build(bad, nfiles, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_string_equal(err.file, "kb/conditions.jsonl");
    assert_true(err.line > 0);
    assert_string_equal(err.msg, "unknown report field \"/pain/scor\"");
    free(text);
}

/* Jansson skips a NUL byte after a number, so every check passes on this
 * kb, but jparse (which reads the built-in kb) refuses it: the build must
 * stop there. */
static void test_triage_kb__build_check_stops_where_jparse_differs(
    void **state)
{
    struct kb_text bad[KB_FILES_MAX];
    struct rc_err err = RC_ERR_INIT;
    char *text = texts_with(bad, "kb/conditions.jsonl", "\"weight\":3,",
                            "\"weight\":3\0,", 12);
    struct kb *kb = kb_load_texts(bad, nfiles, &err);
    (void)state;
    assert_non_null(kb); /* every check passes */
    kb_free(kb);
    assert_int_equal(kb_check_build(bad, nfiles, &err), -1);
    assert_string_equal(err.file, "kb/conditions.jsonl");
    assert_non_null(strstr(err.msg, "jparse cannot read what Jansson reads"));
    free(text);
}

/* ---- both loads answer alike ---- */

struct reports {
    json_t *v[1024];
    char name[1024][96];
    size_t n;
};

static void add_report(struct reports *r, const char *name, json_t *rep)
{
    assert_non_null(rep);
    assert_true(r->n < RC_ARRAY_SIZE(r->v));
    snprintf(r->name[r->n], sizeof(r->name[0]), "%s", name);
    r->v[r->n++] = json_incref(rep);
}

/* Every case report runcare has: each .json of tests/cases/triage/, each
 * line of the .jsonl files of tests/vignettes/ and of
 * ../shared/domain/vignettes.jsonl. */
static void read_reports(struct reports *r)
{
    const char *shared = getenv("RUNCARE_SHARED");
    char path[512];
    glob_t g;
    r->n = 0;
    assert_int_equal(glob("tests/cases/triage/*.json", 0, NULL, &g), 0);
    if (shared) {
        snprintf(path, sizeof(path), "%s/domain/vignettes.jsonl", shared);
        glob(path, GLOB_APPEND, NULL, &g);
    }
    glob("tests/vignettes/*.jsonl", GLOB_APPEND, NULL, &g);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *p = g.gl_pathv[i];
        size_t len = strlen(p);
        json_error_t je;
        if (len > 5 && !strcmp(p + len - 5, ".json")) {
            json_t *c = json_load_file(p, 0, &je);
            add_report(r, p, json_object_get(c, "report"));
            json_decref(c);
            continue;
        }
        FILE *f = fopen(p, "r");
        char line[65536];
        long n = 0;
        assert_non_null(f);
        while (fgets(line, sizeof(line), f)) {
            json_t *c;
            char name[96];
            n++;
            if (line[0] == '\n')
                continue;
            c = json_loads(line, 0, &je);
            snprintf(name, sizeof(name), "%s:%ld", p, n);
            add_report(r, name, json_object_get(c, "report"));
            json_decref(c);
        }
        fclose(f);
    }
    globfree(&g);
}

/* The result as runcare prints it with --json, or "invalid" when the
 * report does not pass report.schema.json. */
static char *answer(const struct kb *kb, const json_t *report)
{
    const struct triage_context ctx = { 1773478800.0, NULL };
    struct jschema_errors errs;
    struct rc_err err = RC_ERR_INIT;
    char *text = json_dumps(report, JSON_COMPACT), *out;
    json_t *rep = NULL, *res;
    jschema_errors_init(&errs);
    assert_non_null(text);
    if (triage_parse_report(kb, text, strlen(text), &rep, &errs, &err) < 0) {
        free(text);
        jschema_errors_release(&errs);
        return strdup("invalid");
    }
    free(text);
    res = triage_check_json(kb, rep, &ctx, &err);
    assert_non_null(res);
    assert_int_equal(jschema_validate(kb_result_schema(kb), res, &errs), 0);
    out = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    assert_non_null(out);
    json_decref(res);
    json_decref(rep);
    jschema_errors_release(&errs);
    return out;
}

static void test_triage_kb__both_loads_answer_every_case_alike(void **state)
{
    static struct reports r;
    struct rc_err err = RC_ERR_INIT;
    struct kb *checked = kb_load_texts(files, nfiles, &err);
    struct kb *built_in = kb_load_embedded(&err);
    size_t valid = 0;
    (void)state;
    assert_non_null(checked);
    assert_non_null(built_in);
    read_reports(&r);
    assert_true(r.n >= 100);
    for (size_t i = 0; i < r.n; i++) {
        char *a = answer(checked, r.v[i]), *b = answer(built_in, r.v[i]);
        if (strcmp(a, b))
            fail_msg("%s: the two loads answer differently", r.name[i]);
        valid += strcmp(a, "invalid") != 0;
        free(a);
        free(b);
        json_decref(r.v[i]);
    }
    assert_true(valid >= 100);
    kb_free(checked);
    kb_free(built_in);
}

static void same_str(const char *a, const char *b)
{
    if (a || b) {
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
    }
}

static void test_triage_kb__both_loads_ask_the_same_questions(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    struct kb *checked = kb_load_texts(files, nfiles, &err);
    struct kb *built_in = kb_load_embedded(&err);
    (void)state;
    assert_non_null(checked);
    assert_non_null(built_in);
    assert_string_equal(kb_version(checked), kb_version(built_in));
    assert_int_equal(kb_count_red_flags(checked), kb_count_red_flags(built_in));
    assert_int_equal(kb_count_conditions(checked),
                     kb_count_conditions(built_in));
    assert_int_equal(kb_count_questions(checked), kb_count_questions(built_in));
    assert_true(kb_count_questions(checked) > 20);
    for (int lv = TRIAGE_SELF_CARE; lv <= TRIAGE_EMERGENCY; lv++)
        same_str(kb_level_headline(checked, (enum triage_level)lv),
                 kb_level_headline(built_in, (enum triage_level)lv));
    for (size_t i = 0; i < kb_count_questions(checked); i++) {
        const struct kb_question *a = kb_question_at(checked, i);
        const struct kb_question *b = kb_question_at(built_in, i);
        same_str(a->id, b->id);
        same_str(a->field, b->field);
        same_str(a->text, b->text);
        same_str(a->unknown_text, b->unknown_text);
        same_str(a->dont_know, b->dont_know);
        assert_int_equal(a->kind, b->kind);
        assert_int_equal(a->required, b->required);
        assert_int_equal(a->min_one, b->min_one);
        assert_true(a->min == b->min && a->max == b->max);
        assert_int_equal(a->nchoices, b->nchoices);
        for (size_t k = 0; k < a->nchoices; k++) {
            same_str(a->choices[k].value, b->choices[k].value);
            same_str(a->choices[k].text, b->choices[k].text);
        }
    }
    kb_free(checked);
    kb_free(built_in);
}

/* ---- the unchecked load at every allocation ---- */

/* Jansson's, jparse's and the loader's allocations go through the fault
 * injector; failing any of them must give NULL, RC_EENV "out of memory"
 * and nothing leaked (ASan's leak check in `make check`). A load makes
 * about 18,000 allocations: the first 2,000 fail one by one, then one in
 * every 37 (a prime, so that the choice does not follow the kb's
 * structure), which keeps the test to a few seconds under ASan;
 * RUNCARE_TORTURE_ALL=1 fails every one (a minute or so). */
static void test_triage_kb__built_in_load_fails_each_allocation_cleanly(
    void **state)
{
    struct rc_err err = RC_ERR_INIT;
    struct kb *kb;
    long count, tried = 0;
    long stride = getenv("RUNCARE_TORTURE_ALL") ? 1 : 37;
    (void)state;
    test_counted_jansson(true);
    rc_alloc_fail_after(-1);
    kb = kb_load_embedded(&err);
    count = rc_alloc_count();
    assert_non_null(kb);
    kb_free(kb);
    assert_true(count > 2000);
    for (long k = 0; k < count; k += k < 2000 ? 1 : stride) {
        struct rc_err e = RC_ERR_INIT;
        rc_alloc_fail_after(k);
        kb = kb_load_embedded(&e);
        rc_alloc_fail_after(-1);
        if (kb)
            fail_msg("allocation %ld of %ld failed but the load succeeded",
                     k, count);
        if (e.status != RC_EENV)
            fail_msg("allocation %ld: %s: line %ld: %s", k, e.file, e.line, e.msg);
        assert_int_equal(e.status, RC_EENV);
        assert_string_equal(e.msg, "out of memory");
        tried++;
    }
    test_counted_jansson(false);
    print_message("# %ld of %ld allocations failed in turn\n", tried, count);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_triage_kb__built_in_kb_passes_the_build_check),
        cmocka_unit_test(test_triage_kb__build_check_names_a_bad_record),
        cmocka_unit_test(
            test_triage_kb__build_check_stops_where_jparse_differs),
        cmocka_unit_test(test_triage_kb__both_loads_answer_every_case_alike),
        cmocka_unit_test(test_triage_kb__both_loads_ask_the_same_questions),
        cmocka_unit_test(
            test_triage_kb__built_in_load_fails_each_allocation_cleanly),
    };
    return cmocka_run_group_tests_name("triage_kb", tests, setup, NULL);
}
