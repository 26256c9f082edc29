/* alloc.h - the one allocator of runcare's code, with a fault injector
 * so that tests can fail each allocation in turn (Expat's and curl's
 * torture tests).
 *
 * rc_malloc, rc_calloc, rc_realloc, rc_strdup and rc_free behave exactly
 * as malloc, calloc, realloc, strdup and free (a size of 0 allocates one
 * byte, so NULL always means failure), and mix with them: what one
 * returns the other may free. The injector exists in test builds only
 * (-DRC_TEST): there rc_alloc_fail_after(n) makes the next n allocations
 * succeed and every later one fail (return NULL, nothing allocated) until
 * rc_alloc_fail_after(-1) turns failures off again. Counts are per
 * thread, so tests running decoders in parallel do not disturb each
 * other.
 *
 * A torture test runs its code once with failures off, reads
 * rc_alloc_count() (allocations made since the last rc_alloc_fail_after),
 * then runs it again with rc_alloc_fail_after(k) for k = 0 .. count - 1 and
 * checks that each run fails cleanly: an error, nothing leaked. */
#ifndef RC_ALLOC_H
#define RC_ALLOC_H

#include "base/base.h"

void *rc_malloc(size_t n);
void *rc_calloc(size_t n, size_t size);
void *rc_realloc(void *p, size_t n);
char *rc_strdup(const char *s);
void rc_free(void *p);

#ifdef RC_TEST
/* Let n more allocations succeed, then fail every one; n < 0: never fail.
 * Also resets rc_alloc_count. */
void rc_alloc_fail_after(long n);

/* Allocations attempted (successful or failed) since the last
 * rc_alloc_fail_after. */
long rc_alloc_count(void);

/* Count one allocation that another allocator makes (Jansson's, in a test
 * that wraps the functions json_get_alloc_funcs gives): false when the
 * injector says it fails. */
bool rc_alloc_allowed(void);
#endif

#endif
