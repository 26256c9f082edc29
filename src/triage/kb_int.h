/* kb_int.h - what the kb loader's files share: the loader's state (where
 * it is, for messages), the record helpers and the rule compiler
 * (kb_rule.c). Only kb.c, kb_rule.c and kb_records.c include it. */
#ifndef RC_TRIAGE_KB_INT_H
#define RC_TRIAGE_KB_INT_H

#include "triage/triage_int.h"

/* What a loader reads in which stage, for the rules it compiles: a rule
 * names only flags above it, "top"/"triage" only where the ranking is
 * known (plans and corrections). */
enum kb_stage { KB_STAGE_PLAIN, KB_STAGE_FLAGS, KB_STAGE_CONDS,
                KB_STAGE_PLANS };

struct jparse_strings;

struct loader {
    struct kb *kb;
    struct jparse_strings *shared; /* jparse's shared strings, or NULL */
    const char *file; /* "kb/conditions.jsonl" */
    long line;
    struct rc_err *err;
    enum kb_stage stage;
    size_t nflags_defined;
    /* false for the kb built into the binary: jparse reads it and only
     * what the engine needs is done, because tools/kbcheck.c ran every
     * check on those very bytes when runcare was built */
    bool check;
    /* the schema that rule fields are checked against: NULL for the
     * report's (escalations read the course object instead) */
    const json_t *fields;
};

/* "FILE: line N: what"; returns -1. */
int kb_failf(struct loader *L, const char *fmt, ...) RC_PRINTF(2, 3);
/* RC_EENV "out of memory"; returns -1. */
int kb_oom(struct loader *L);
/* One more zeroed element of size bytes at the end of *v (*n of them);
 * -1 (out of memory, L's error set) leaves *v and *n as they were. */
int kb_grow(struct loader *L, void **v, size_t *n, size_t size);
/* calloc through base/alloc.h (the tests fail each allocation in turn) */
void *kb_zalloc(size_t n, size_t size);

/* What the report schema says a field is. */
enum fkind { FK_NONE, FK_BOOL, FK_ENUM, FK_NUMBER, FK_STRING, FK_ARRAY_ENUM,
             FK_OBJECT };

struct finfo {
    enum fkind kind;
    const json_t *values; /* enum values (FK_ENUM, FK_ARRAY_ENUM) */
    double min, max;
    bool integer, required, min_one;
};

int kb_field_info(const json_t *schema, const char *ptr, struct finfo *fi);
bool kb_array_has_string(const json_t *a, const char *s);
const json_t *kb_schema_enum(const json_t *schema, const char *def);

/* Record helpers: each fails with a message naming the key. */
int kb_check_keys(struct loader *L, const json_t *rec,
                  const char *const *allowed);
const char *kb_need_str(struct loader *L, const json_t *rec,
                        const char *key);
int kb_need_num(struct loader *L, const json_t *rec, const char *key,
                double *out);
int kb_need_level(struct loader *L, const json_t *rec, const char *key,
                  int *out);
int kb_check_sources(struct loader *L, const json_t *ids, bool required);
int kb_value_ok(struct loader *L, const char *field, const struct finfo *fi,
                const json_t *v);

/* Compile the rule j (a JSON rule of triage_int.h), or NULL with the
 * error set. compile_key: the rule under key of rec, which must exist. */
struct rule *kb_compile(struct loader *L, const json_t *j);
struct rule *kb_compile_key(struct loader *L, const json_t *rec,
                            const char *key);
int kb_flag_index(const struct kb *kb, size_t limit, const char *id);

#endif
