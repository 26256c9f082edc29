/* jsonl.h - the one reader of kb/ files: JSON Lines, one record a line.
 *
 * Data flow: kb/NAME.jsonl (embedded or from --kb DIR) -> jsonl_each -> the
 * triage kb loader (triage/kb.c) and the load guard's (load/load_kb.c).
 *
 * The dialect, the same for every kb file:
 *   - one JSON object per line; a record never spans lines;
 *   - a blank line, or one whose first non-blank character is '#', holds
 *     no record (comments for the clinician who edits the kb);
 *   - a record's keys appear once (duplicates are an error).
 * Errors name the file and the 1-based line: "kb/x.jsonl: line 4: invalid
 * JSON at column 9: ..."; memory running out is RC_EENV and says so.
 *
 * Ownership: arguments are borrowed; each record handed to fn is a new
 * reference that fn owns (it keeps or json_decref's it, also on failure). */
#ifndef RC_JSON_JSONL_H
#define RC_JSON_JSONL_H

#include <jansson.h>

#include "base/base.h"
#include "base/err.h"

enum jsonl_parser {
    JSONL_JANSSON, /* Jansson: its messages, for files a person edits */
    JSONL_JPARSE,  /* jparse: fast, for the kb checked at build time */
};

/* Called for each record with its line; returns 0, or -1 with err set
 * (jsonl_each adds the file name, and the line when err has none). */
typedef int (*jsonl_fn)(void *ctx, json_t *rec, long line,
                        struct rc_err *err);

/* Read len bytes of data named name (as shown in messages). 0, or -1 with
 * err set: the first failure of the text or of fn. */
int jsonl_each(const char *name, const char *data, size_t len,
               enum jsonl_parser parser, jsonl_fn fn, void *ctx,
               struct rc_err *err);

/* The same, sharing short strings across records through t (jparse's
 * table, JSONL_JPARSE only; NULL: none). */
struct jparse_strings;
int jsonl_each_shared(const char *name, const char *data, size_t len,
                      enum jsonl_parser parser, struct jparse_strings *t,
                      jsonl_fn fn, void *ctx, struct rc_err *err);

/* Whether a line (n bytes, no newline) holds no record. */
bool jsonl_blank(const char *p, size_t n);

#endif
