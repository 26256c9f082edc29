/* fuzz_report.c - libFuzzer target for the check's input side: a symptom
 * report (any bytes) through the JSON parser, the report.schema.json
 * validator and, when valid, the engine. Every result must itself be valid
 * against result.schema.json and never below a fired red flag; either
 * failure aborts, so the fuzzer reports it like a crash. */
#include "base/base.h"
#include "triage/triage.h"

static struct kb *kb;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rc_err err = RC_ERR_INIT;
    struct jschema_errors errs = { .max = 0 };
    struct triage_context ctx = { 1700000000.0, NULL };
    json_t *rep = NULL, *res, *f;
    size_t i;

    if (!kb && !(kb = kb_load_embedded(&err)))
        abort(); /* the built-in kb must always load */
    jschema_errors_init(&errs);
    if (triage_parse_report(kb, (const char *)data, size, &rep, &errs,
                            &err) < 0) {
        jschema_errors_release(&errs);
        return 0;
    }
    res = triage_check_json(kb, rep, &ctx, &err);
    if (!res)
        abort();
    if (jschema_validate(kb_result_schema(kb), res, &errs) != 0)
        abort();
    json_array_foreach(json_object_get(res, "red_flags"), i, f) {
        if (triage_level_parse(json_string_value(json_object_get(f, "triage"))) >
            (int)triage_result_level(res))
            abort();
    }
    jschema_errors_release(&errs);
    json_decref(res);
    json_decref(rep);
    return 0;
}
