/* bench_fit.c - where the time of `runcare inspect --json` on FIT files
 * goes: the same files read the same way, stopping at each stage.
 *
 *   bench_fit MODE FILE... | @LIST
 *     read    read each file into a buffer and touch every byte (the floor)
 *     crc     read, then the FIT CRC over every byte
 *     decode  read, then fit_decode (CRC, walk, activities, totals)
 *
 * Prints one line: mode, files, bytes, records, seconds, MB/s. Used by
 * bench/bench_fit.sh; speed is never asserted anywhere. */
#include <time.h>

#include "base/base.h"
#include "base/buf.h"
#include "fit/fit.h"
#include "fit/fit_int.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Paths from argv, or from the file named by an argument "@LIST". */
static char **paths(int argc, char **argv, size_t *n, struct rc_buf *keep)
{
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    for (int i = 0; i < argc; i++) {
        char *list[1] = { argv[i] };
        char *s, *next;
        if (argv[i][0] != '@') {
            v = realloc(v, (*n + 1) * sizeof(*v));
            if (!v)
                exit(3);
            v[(*n)++] = list[0];
            continue;
        }
        {
            struct rc_err err = RC_ERR_INIT;
            if (rc_buf_read_file(keep, argv[i] + 1, &err) < 0) {
                fprintf(stderr, "bench_fit: %s: %s\n", argv[i] + 1, err.msg);
                exit(1);
            }
        }
        for (s = (char *)keep->data; s && *s; s = next) {
            char *nl = strchr(s, '\n');
            next = nl ? nl + 1 : NULL;
            if (nl)
                *nl = '\0';
            if (!*s)
                continue;
            if (*n == cap) {
                cap = cap ? cap * 2 : 1024;
                v = realloc(v, cap * sizeof(*v));
                if (!v)
                    exit(3);
            }
            v[(*n)++] = s;
        }
    }
    return v;
}

int main(int argc, char **argv)
{
    struct rc_buf list, buf;
    size_t n, bytes = 0;
    long records = 0;
    unsigned sink = 0;
    char **files;
    const char *mode;
    double t0, t;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_fit read|crc|decode FILE...|@LIST\n");
        return 2;
    }
    mode = argv[1];
    rc_buf_init(&list, (size_t)64 << 20);
    files = paths(argc - 2, argv + 2, &n, &list);
    rc_buf_init(&buf, (size_t)512 << 20);
    t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        struct rc_err err = RC_ERR_INIT;
        if (rc_buf_read_file(&buf, files[i], &err) < 0) {
            fprintf(stderr, "bench_fit: %s: %s\n", files[i], err.msg);
            return 1;
        }
        bytes += buf.len;
        if (!strcmp(mode, "read")) {
            for (size_t k = 0; k < buf.len; k += 64)
                sink += buf.data[k];
        } else if (!strcmp(mode, "crc")) {
            sink += fit_crc16(0, buf.data, buf.len);
        } else {
            struct activity_file f;
            if (fit_decode(buf.data, buf.len, 0, &f, &err) < 0) {
                fprintf(stderr, "bench_fit: %s: offset %ld: %s\n", files[i],
                        err.offset, err.msg);
                return 1;
            }
            records += f.records;
            activity_file_release(&f);
        }
    }
    t = now_s() - t0;
    printf("%s files=%zu bytes=%zu records=%ld seconds=%.4f MB/s=%.1f "
           "(sink %u)\n",
           mode, n, bytes, records, t, t > 0 ? (double)bytes / 1e6 / t : 0.0,
           sink & 1);
    rc_buf_release(&buf);
    rc_buf_release(&list);
    free(files);
    return 0;
}
