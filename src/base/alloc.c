/* alloc.c - malloc with a per-thread fault injector in test builds (see
 * alloc.h). */
#include "base/base.h"
#include "base/alloc.h"

#ifdef RC_TEST
static _Thread_local long alloc_left = -1; /* < 0: never fail */
static _Thread_local long alloc_count;

/* One more allocation: false when the injector says this one fails. */
static bool alloc_allowed(void)
{
    alloc_count++;
    if (alloc_left < 0)
        return true;
    if (alloc_left == 0)
        return false;
    alloc_left--;
    return true;
}
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

void *rc_realloc(void *p, size_t n)
{
    return alloc_allowed() ? realloc(p, n ? n : 1) : NULL;
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
