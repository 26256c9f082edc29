/* alloc.c - malloc with a per-thread fault injector in test builds (see
 * alloc.h). */
#include "base/base.h"
#include "base/alloc.h"

#ifdef RC_TEST
static _Thread_local long alloc_left = -1; /* < 0: never fail */
static _Thread_local long alloc_count;

/* One more allocation: false when the injector says this one fails. */
bool rc_alloc_allowed(void)
{
    alloc_count++;
    if (alloc_left < 0)
        return true;
    if (alloc_left == 0)
        return false;
    alloc_left--;
    return true;
}
#define alloc_allowed rc_alloc_allowed
#else
static bool alloc_allowed(void)
{
    return true;
}
#endif

void *rc_malloc(size_t n)
{
    return alloc_allowed() ? malloc(n ? n : 1) : NULL;
}

void *rc_calloc(size_t n, size_t size)
{
    return alloc_allowed() ? calloc(n ? n : 1, size ? size : 1) : NULL;
}

void *rc_realloc(void *p, size_t n)
{
    return alloc_allowed() ? realloc(p, n ? n : 1) : NULL;
}

char *rc_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = rc_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void rc_free(void *p)
{
    free(p);
}

#ifdef RC_TEST
void rc_alloc_fail_after(long n)
{
    alloc_left = n;
    alloc_count = 0;
}

long rc_alloc_count(void)
{
    return alloc_count;
}
#endif
