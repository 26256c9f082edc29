/* jalloc.c - Jansson's allocator (see jalloc.h).
 *
 * Blocks outside an arena are plain malloc blocks: what Jansson hands to
 * a caller to free() (json_dumps) stays freeable with free(). Arena
 * chunks come from one range of address space reserved at start-up
 * (PROT_NONE until a chunk is first used), so "was this block carved
 * from a chunk?" is a range check, and a freed chunk goes back on a free
 * list, still mapped, for the next arena: a process that loads the kb
 * again (the tests, the benchmark) reuses warm pages. When the range is
 * used up, or cannot be reserved, every block is malloc's. */
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "json/jalloc.h"

#define CHUNK_BYTES ((size_t)64 << 10)
#define CHUNKS 2048 /* 128 MB of address space, mapped only as used */
#define BIG (CHUNK_BYTES / 8) /* larger blocks are malloc's */

/* At the start of each chunk. users: one per block carved from it alive,
 * plus OWNED while the arena still carves from it; whoever drops the last
 * gives it back. The arena counts its blocks in `carved` (no atomic per
 * block) and settles when it leaves the chunk: users - OWNED + carved.
 * A free before that cannot reach 0, OWNED being far above any count. */
struct chunk {
    atomic_long users;
    size_t used;
    long carved; /* the arena's thread only */
    struct chunk *next_free;
};
#define OWNED (LONG_MAX / 2)
#define CHUNK_HEAD ((sizeof(struct chunk) + 15) & ~(size_t)15)

static unsigned char *range; /* CHUNKS x CHUNK_BYTES, or NULL */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct chunk *free_chunks; /* under lock */
static size_t chunks_made;        /* under lock: chunks mapped so far */
static atomic_long chunks_live;
static _Thread_local bool arena_on;
static _Thread_local struct chunk *arena;

static bool in_range(const void *p)
{
    return range && (const unsigned char *)p >= range &&
           (const unsigned char *)p < range + CHUNKS * CHUNK_BYTES;
}

static struct chunk *chunk_new(void)
{
    struct chunk *c = NULL;
    pthread_mutex_lock(&lock);
    if (free_chunks) {
        c = free_chunks;
        free_chunks = c->next_free;
    } else if (chunks_made < CHUNKS) {
        unsigned char *at = range + chunks_made * CHUNK_BYTES;
        if (mprotect(at, CHUNK_BYTES, PROT_READ | PROT_WRITE) == 0) {
            c = (struct chunk *)at;
            chunks_made++;
        }
    }
    pthread_mutex_unlock(&lock);
    if (!c)
        return NULL;
    atomic_init(&c->users, OWNED);
    c->used = CHUNK_HEAD;
    c->carved = 0;
    c->next_free = NULL;
    atomic_fetch_add(&chunks_live, 1);
    return c;
}

/* Take n users off c; the last gives it back. */
static void chunk_drop(struct chunk *c, long n)
{
    if (atomic_fetch_sub(&c->users, n) != n)
        return;
    atomic_fetch_sub(&chunks_live, 1);
    pthread_mutex_lock(&lock);
    c->next_free = free_chunks;
    free_chunks = c;
    pthread_mutex_unlock(&lock);
}

static void *jalloc_malloc(size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    void *p;

    if (!arena_on || n == 0 || need > BIG)
        return malloc(n);
    if (!arena || CHUNK_BYTES - arena->used < need) {
        struct chunk *c = chunk_new();
        if (!c)
            return malloc(n); /* the range is used up: malloc still works */
        if (arena)
            chunk_drop(arena, OWNED - arena->carved);
        arena = c;
    }
    p = (unsigned char *)arena + arena->used;
    arena->used += need;
    arena->carved++;
    return p;
}

void jalloc_release(void *p)
{
    if (!in_range(p)) {
        free(p);
        return;
    }
    size_t k = (size_t)((unsigned char *)p - range) / CHUNK_BYTES;
    chunk_drop((struct chunk *)(range + k * CHUNK_BYTES), 1);
}

__attribute__((constructor)) static void jalloc_install(void)
{
    void *r = mmap(NULL, CHUNKS * CHUNK_BYTES, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    range = r == MAP_FAILED ? NULL : r;
    json_set_alloc_funcs(jalloc_malloc, jalloc_release);
}

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

void jalloc_arena_begin(void)
{
    arena_on = range != NULL && !SANITIZED;
}

void jalloc_arena_end(void)
{
    arena_on = false;
    if (arena)
        chunk_drop(arena, OWNED - arena->carved);
    arena = NULL;
}

long jalloc_chunks_live(void)
{
    return atomic_load(&chunks_live);
}
