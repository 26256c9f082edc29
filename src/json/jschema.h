/* jschema.h - a small JSON Schema (draft 2020-12) validator over Jansson
 * values, for the two contracts of the check: report.schema.json (what a
 * runner tells runcare) and result.schema.json (what runcare answers).
 *
 * Data flow: report JSON -> jschema_validate -> engine; the engine's result
 * -> jschema_validate in the tests and before it is printed.
 *
 * Supported keywords (the ones those schemas use): type, enum, const,
 * required, properties, additionalProperties (false or a schema), items,
 * minItems, maxItems, uniqueItems, minimum, maximum, minLength, maxLength,
 * propertyNames (each key of an object checked as a string),
 * pattern, format (date-time, date, uri), allOf, if/then/else, $ref to
 * "#/$defs/NAME". Annotations ($schema, $id, title, description, $defs) are
 * ignored. jschema_check rejects a schema with any other keyword, so a
 * schema change cannot be silently half-checked.
 *
 * Every violation is collected (not only the first), each with the JSON
 * pointer of the offending value and what was expected:
 *     /screen/urine: "brown" is not one of normal, dark_cola, ...
 * Arguments are borrowed. */
#ifndef RC_JSON_JSCHEMA_H
#define RC_JSON_JSCHEMA_H

#include <jansson.h>

#include "base/base.h"
#include "base/err.h"

struct jschema_error {
    char pointer[256]; /* "/screen/urine"; "" for the whole document */
    char msg[512];
};

struct jschema_errors {
    struct jschema_error *v;
    size_t n, cap;
    size_t max; /* stop collecting after this many (0 = 64) */
};

void jschema_errors_init(struct jschema_errors *e);
void jschema_errors_release(struct jschema_errors *e);

/* 0 when every keyword in schema (recursively) is supported and every $ref
 * resolves; else -1 with err naming the schema path and keyword. */
int jschema_check(const json_t *schema, struct rc_err *err);

/* Validate inst against schema (the root, whose $defs resolve $ref).
 * Appends each violation to errs; returns the number appended, or -1 when
 * memory runs out. */
int jschema_validate(const json_t *schema, const json_t *inst,
                     struct jschema_errors *errs);

#endif
