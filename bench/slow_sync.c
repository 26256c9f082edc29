/* slow_sync.c - a disk that is slow to sync, for bench_import.sh: loaded
 * with LD_PRELOAD, it sleeps SLOW_SYNC_MS milliseconds before each fsync
 * and fdatasync, then makes the call. A cloud volume or a fresh VM's
 * thin-provisioned disk takes 5-50 ms to sync where this machine's takes 2;
 * the import's speed should not follow that.
 *
 * With SLOW_SYNC_LOG set, each call is also written to stderr: seconds
 * since start, the thread, and the file synced, to see who waits for the
 * disk and when. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double started;

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

__attribute__((constructor)) static void slow_sync_init(void)
{
    started = seconds();
}

static void before_sync(int fd, const char *call)
{
    const char *ms_text = getenv("SLOW_SYNC_MS");
    long ms = ms_text ? atol(ms_text) : 0;
    int saved = errno;

    if (getenv("SLOW_SYNC_LOG")) {
        char link[64], target[512];
        ssize_t n;
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        n = readlink(link, target, sizeof(target) - 1);
        target[n > 0 ? n : 0] = '\0';
        fprintf(stderr, "slow_sync: %.3f s thread %ld %s %s\n",
                seconds() - started, (long)syscall(SYS_gettid), call, target);
    }
    if (ms > 0) {
        struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
        while (nanosleep(&t, &t) < 0 && errno == EINTR)
            ;
    }
    errno = saved;
}

int fsync(int fd)
{
    static int (*real)(int);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "fsync");
    before_sync(fd, "fsync");
    return real(fd);
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "fdatasync");
    before_sync(fd, "fdatasync");
    return real(fd);
}
