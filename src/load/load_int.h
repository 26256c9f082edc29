/* load_int.h - shared inside src/load/ only (and by its tests): the
 * allocation wrappers that let a test fail each allocation in turn. */
#ifndef RC_LOAD_INT_H
#define RC_LOAD_INT_H

#include "base/base.h"

/* For tests (SQLite's fault simulation): from now on, the allocation with
 * number n (counting from 1) and every one after it fails, until the next
 * call; 0 lets every allocation through (the normal state). */
void load_alloc_fail_at(long n);

/* calloc and reallocarray that honour load_alloc_fail_at. */
void *load_calloc(size_t n, size_t size);
void *load_reallocarray(void *p, size_t n, size_t size);

#endif
