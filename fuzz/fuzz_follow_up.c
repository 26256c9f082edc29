/* fuzz_follow_up.c - libFuzzer target for `runcare diary add` on a
 * terminal: typed answers (any bytes, one a line) to the kb's follow-up
 * questions, read by triage_parse_answer as the terminal does, about the
 * demo athlete's report; the follow-up is made by app_follow_up_report.
 * When every required field is answered the follow-up must be valid
 * against report.schema.json, triage without error, and give a course
 * with the first report (triage_course_eval); a failure aborts, so the
 * fuzzer reports it like a crash. */
#include "base/base.h"
#include "app/app.h"

static struct kb *kb;

/* Say which property broke, then abort like a crash. */
static void die(const char *what)
{
    fprintf(stderr, "fuzz_follow_up: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void answer(json_t *rep, json_t *set)
{
    const char *key;
    json_t *v;
    json_object_foreach(set, key, v) {
        if (triage_set_field(rep, key, json_incref(v)) < 0)
            die("an answer cannot be set");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rc_err err = RC_ERR_INIT;
    struct jschema_errors errs = { .max = 0 };
    struct triage_context ctx = { 1700100000.0, NULL };
    const char *p = (const char *)data, *end = p + size;
    const json_t *fields, *f;
    json_t *first, *first_res, *empty, *rep, *res;
    struct triage_course_report two[2];
    struct triage_course_in in;
    struct triage_course course;
    size_t i;

    if (!kb && !(kb = kb_load_embedded(&err)))
        die(err.msg);
    first = app_demo_report(30, "normal");
    empty = json_object();
    if (!first || !empty ||
        !(first_res = triage_check_json(kb, first, &ctx, &err)))
        die("the first report does not check");
    rep = app_follow_up_report(kb, first, 1700000000.0, empty, 1700100000.0,
                               1700000000.0 - 30 * 3600.0);
    if (!rep)
        die("no follow-up made");
    fields = triage_course_follow_up(kb);
    json_array_foreach(fields, i, f) {
        long q = triage_question_for(kb, json_string_value(f));
        char line[256], msg[256];
        json_t *set = NULL;
        const char *nl;
        size_t len;
        if (q < 0)
            die("a follow-up field has no question"); /* kbcheck's rule */
        if (triage_get_field(rep, json_string_value(f)) || p >= end)
            continue;
        nl = memchr(p, '\n', (size_t)(end - p));
        len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len >= sizeof(line))
            len = sizeof(line) - 1;
        memcpy(line, p, len);
        line[len] = '\0';
        p = nl ? nl + 1 : end;
        if (memchr(line, '\0', len))
            continue;
        switch (triage_parse_answer(kb, (size_t)q, line, &set, msg,
                                    sizeof(msg))) {
        case TRIAGE_ANSWER_BAD:
            if (set || !msg[0])
                die("a refusal must say why and set nothing");
            continue;
        case TRIAGE_ANSWER_DONT_KNOW:
            continue;
        case TRIAGE_ANSWER_OK:
            answer(rep, set);
            json_decref(set);
            break;
        }
    }
    jschema_errors_init(&errs);
    /* a required answer may be missing (the terminal asks again); with
     * all of them the follow-up must be a valid report */
    if (jschema_validate(kb_report_schema(kb), rep, &errs) == 0) {
        if (!(res = triage_check_json(kb, rep, &ctx, &err)))
            die("the follow-up does not check");
        two[0] = (struct triage_course_report){ 1700000000.0, first,
                                                first_res };
        two[1] = (struct triage_course_report){ 1700100000.0, rep, res };
        in = (struct triage_course_in){ two, 2, 3.0, NULL, 0, NAN };
        if (triage_course_eval(kb, &in, &course, &err) < 0)
            die("no course");
        if (course.level < triage_result_level(res))
            die("an escalation lowered the level");
        triage_course_release(&course);
        json_decref(res);
    } else {
        bool required_missing = false;
        json_array_foreach(fields, i, f) {
            const struct kb_question *q = kb_question_at(
                kb, (size_t)triage_question_for(kb, json_string_value(f)));
            if (q->required && !triage_get_field(rep, json_string_value(f)))
                required_missing = true;
        }
        if (!required_missing) {
            for (i = 0; i < errs.n; i++)
                fprintf(stderr, "fuzz_follow_up: %s: %s\n",
                        errs.v[i].pointer, errs.v[i].msg);
            die("every answer accepted must make a valid report");
        }
    }
    jschema_errors_release(&errs);
    json_decref(rep);
    json_decref(first_res);
    json_decref(first);
    json_decref(empty);
    return 0;
}
