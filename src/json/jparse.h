/* jparse.h - a small, strict JSON parser that builds Jansson values, for
 * the knowledge base built into the binary.
 *
 * Data flow: kb/ text embedded at build time -> jparse_load -> the kb
 * loader (kb.c) -> the engine. Jansson's own parser (json_loadb) reads the
 * kb one character at a time through a stream with lookahead and
 * re-validates every byte as UTF-8; on the 137 kB of kb text that was 70%
 * of a whole check. This one scans the bytes in place and hands Jansson
 * finished values (json_stringn_nocheck, json_object_setn_new_nocheck).
 * `--kb DIR` and symptom reports still go through Jansson, whose error
 * messages the tests name.
 *
 * What it accepts is a subset of what json_loadb(text, len,
 * JSON_REJECT_DUPLICATES) accepts, and for that subset it builds the same
 * values (the kb tests compare both on every embedded record):
 *   - RFC 8259 JSON whose top level is an object or an array, then only
 *     white space;
 *   - strings of valid UTF-8 (no overlong forms, no surrogates, nothing
 *     above U+10FFFF), no control characters, no \u0000, surrogate escapes
 *     only in pairs;
 *   - a key at most once per object;
 *   - integers that fit json_int_t, reals that do not overflow a double;
 * and refuses, where Jansson would not, numbers longer than
 * JPARSE_NUMBER_MAX characters, nesting deeper than JPARSE_DEPTH_MAX and
 * a NUL byte outside strings (Jansson skips one after a number or a
 * literal: "[5\0]" is [5] to it).
 * Reals are read with strtod, so the C locale is assumed (runcare never
 * calls setlocale).
 *
 * Any bytes are safe input: the parser reads only text[0..len), needs no
 * terminating NUL, and fails cleanly (nothing leaked) on bad text or when
 * memory runs out. Arguments are borrowed; the value returned is yours. */
#ifndef RC_JSON_JPARSE_H
#define RC_JSON_JPARSE_H

#include <jansson.h>

#include "base/base.h"

#define JPARSE_DEPTH_MAX 256
#define JPARSE_NUMBER_MAX 64

struct jparse_error {
    size_t offset; /* byte offset of the problem in text */
    bool oom;      /* memory ran out; the text itself may be fine */
    char msg[96];  /* "duplicate object key \"id\"" */
};

/* Parse len bytes of text. The value (an object or an array), or NULL with
 * e filled. */
json_t *jparse_load(const char *text, size_t len, struct jparse_error *e);

/* Short strings seen before, shared between the values of several loads
 * (the kb's field names, ids and levels repeat thousands of times): one
 * value, referenced wherever it appears, instead of a copy each time.
 * Jansson values may be shared this way because the kb never changes
 * them. Zero it to start; jparse_strings_release drops the table's own
 * references (the values live on in the documents that use them). */
#define JPARSE_SHARED_MAX 48
struct jparse_strings {
    json_t *v[2048];
};
void jparse_strings_release(struct jparse_strings *t);

/* jparse_load, sharing short strings through t (NULL: none). */
json_t *jparse_load_shared(const char *text, size_t len,
                           struct jparse_strings *t,
                           struct jparse_error *e);

/* Whether a and b are the same value in every way output can show: equal
 * by json_equal (which also tells an integer from a real) and dumped alike
 * (which json_equal does not check: the order of keys). For comparing
 * jparse with Jansson; false when memory runs out. */
bool jparse_same(const json_t *a, const json_t *b);

#endif
