/* fuzz_answers.c - libFuzzer target for the questionnaire: typed answers
 * (any bytes, one answer a line) read by triage_parse_answer for the
 * questions triage_next_question asks, as the terminal does, until it
 * stops. Every answer it accepts must leave a report that, once the
 * questionnaire ends, is valid against report.schema.json and checks
 * without error; a failure aborts, so the fuzzer reports it like a
 * crash. */
#include "base/base.h"
#include "triage/triage.h"

static struct kb *kb;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rc_err err = RC_ERR_INIT;
    struct jschema_errors errs = { .max = 0 };
    struct triage_context ctx = { 1700000000.0, NULL };
    const char *p = (const char *)data, *end = p + size;
    json_t *rep, *res;
    bool asked[128] = { false };
    long i = 0;

    if (!kb && !(kb = kb_load_embedded(&err)))
        abort();
    if (kb_count_questions(kb) > RC_ARRAY_SIZE(asked))
        abort();
    rep = json_object();
    while (p < end && (i = triage_next_question(kb, rep, NULL, asked,
                                                &err)) >= 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char line[256], msg[256];
        json_t *set = NULL;
        const char *key;
        json_t *v;
        if (len >= sizeof(line))
            len = sizeof(line) - 1;
        memcpy(line, p, len);
        line[len] = '\0';
        p = nl ? nl + 1 : end;
        if (memchr(line, '\0', len))
            continue; /* a terminal line holds no NUL */
        switch (triage_parse_answer(kb, (size_t)i, line, &set, msg,
                                    sizeof(msg))) {
        case TRIAGE_ANSWER_BAD:
            if (set || !msg[0])
                abort(); /* a refusal says why and sets nothing */
            continue;
        case TRIAGE_ANSWER_DONT_KNOW:
            asked[i] = true;
            continue;
        case TRIAGE_ANSWER_OK:
            break;
        }
        asked[i] = true;
        json_object_foreach(set, key, v) {
            if (triage_set_field(rep, key, json_incref(v)) < 0)
                abort();
        }
        json_decref(set);
        if (triage_emergency_now(kb, rep, NULL))
            break;
    }
    if (i == -2)
        abort();
    if (i == -1) {
        /* finished: a whole report, valid and checkable */
        json_object_set_new(rep, "schema_version", json_string("1.1"));
        jschema_errors_init(&errs);
        if (jschema_validate(kb_report_schema(kb), rep, &errs) != 0)
            abort();
        jschema_errors_release(&errs);
        if (!(res = triage_check_json(kb, rep, &ctx, &err)))
            abort();
        json_decref(res);
    }
    json_decref(rep);
    return 0;
}
