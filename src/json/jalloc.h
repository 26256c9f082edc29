/* jalloc.h - Jansson's allocator: malloc, or a bump arena while a thread
 * loads a large document that lives long (the kb).
 *
 * Loading the kb builds some 20,000 Jansson values, most of them kept for
 * the life of the process, and malloc plus free were a third of the
 * check's time (bench/RESULTS.md, "The check, second edition"). Between
 * jalloc_arena_begin and jalloc_arena_end, the calling thread's Jansson
 * allocations are carved out of 256 kB chunks (blocks over 32 kB are
 * malloc'd); a chunk is freed when the
 * last value in it is freed (json_decref from any thread) and the arena
 * has moved on. Everywhere else, and on other threads, it is malloc.
 *
 * The allocator is installed before main (json_set_alloc_funcs must come
 * before any Jansson allocation) in every program that links this file.
 * Outside an arena its blocks are malloc's own, so what Jansson hands to
 * a caller to free() (json_dumps) is still freed with free().
 *
 * Under AddressSanitizer there is no arena: every block is malloc's, so
 * that the sanitizer sees each Jansson value (its leaks, its overflows). */
#ifndef RC_JALLOC_H
#define RC_JALLOC_H

#include <stddef.h>

/* Carve this thread's Jansson allocations out of an arena until
 * jalloc_arena_end. Not nested. */
void jalloc_arena_begin(void);
void jalloc_arena_end(void);

/* Free what Jansson returned for the caller to free (json_dumps) when it
 * may have been made inside an arena; free() is right everywhere else. */
void jalloc_release(void *p);

/* Chunks in use, all threads (for the tests). */
long jalloc_chunks_live(void);

#endif
