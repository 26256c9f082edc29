/* bench_fit.c - where the time of `runcare inspect --json` on FIT files
 * goes: the same files read the same way, stopping at each stage.
 *
 *   bench_fit MODE FILE... | @LIST
 *     read    read each file into a buffer and touch every byte (the floor)
 *     crc     read, then the FIT CRC over every byte
 *     decode  read, then fit_decode (CRC, walk, activities, totals)
 *     encode  read and decode, then time only store_samples_encode (the
 *             sample blob import stores); each blob is decoded again and
 *             must give back the samples it was made from
 *
 * Prints one line: mode, files, bytes, records, seconds, MB/s. Used by
 * bench/bench_fit.sh; speed is never asserted anywhere. */
#include <time.h>

#include "base/base.h"
#include "base/buf.h"
#include "fit/fit.h"
#include "fit/fit_int.h"
#include "store/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Is v what the blob keeps of x: the same step (steps per unit: scale),
 * or both absent? */
static bool same_step(double x, double v, double scale)
{
    if (isnan(x) || isnan(v))
        return isnan(x) && isnan(v);
    return fabs(x * scale - v * scale) <= 0.5 + 1e-6 * fabs(x * scale);
}

/* Encode each activity's samples (timed into *secs), decode the blob and
 * compare. Exits 1 on a difference: a faster encoder must be a correct one. */
static long encode_file(const char *path, struct activity_file *f,
                        struct rc_buf *blob, double *secs, size_t *blob_bytes)
{
    long samples = 0;
    for (size_t i = 0; i < f->nacts; i++) {
        const struct activity *a = &f->acts[i];
        struct rc_err err = RC_ERR_INIT;
        struct activity back;
        unsigned mask;
        double t0 = now_s();
        blob->len = 0;
        if (store_samples_encode(a, blob, &mask, &err) < 0) {
            fprintf(stderr, "bench_fit: %s: %s\n", path, err.msg);
            exit(1);
        }
        *secs += now_s() - t0;
        *blob_bytes += blob->len;
        samples += (long)a->nsamples;
        activity_init(&back);
        if (store_samples_decode(blob->data, blob->len, &back, &err) < 0 ||
            (mask && back.nsamples != a->nsamples)) {
            fprintf(stderr, "bench_fit: %s: blob: %s\n", path, err.msg);
            exit(1);
        }
        for (size_t k = 0; mask && k < a->nsamples; k++) {
            const struct activity_sample *x = &a->samples[k],
                                         *y = &back.samples[k];
            if (!same_step(x->time_s, y->time_s, 1000) ||
                !same_step(x->lat_deg, y->lat_deg, 1e7) ||
                !same_step(x->lon_deg, y->lon_deg, 1e7) ||
                !same_step(x->alt_m, y->alt_m, 100) ||
                !same_step(x->dist_m, y->dist_m, 100) ||
                !same_step(x->speed_mps, y->speed_mps, 1000) ||
                !same_step(x->hr_bpm, y->hr_bpm, 10) ||
                !same_step(x->cadence_rpm, y->cadence_rpm, 10) ||
                !same_step(x->power_w, y->power_w, 10) ||
                !same_step(x->temp_c, y->temp_c, 10)) {
                fprintf(stderr, "bench_fit: %s: sample %zu differs after "
                                "the blob\n", path, k);
                exit(1);
            }
        }
        activity_release(&back);
    }
    return samples;
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
    double t0, t, enc_s = 0;
    long samples = 0;
    size_t blob_bytes = 0;
    struct rc_buf blob;

    if (argc < 3) {
        fprintf(stderr,
                "usage: bench_fit read|crc|decode|encode FILE...|@LIST\n");
        return 2;
    }
    mode = argv[1];
    rc_buf_init(&list, (size_t)64 << 20);
    files = paths(argc - 2, argv + 2, &n, &list);
    rc_buf_init(&buf, (size_t)512 << 20);
    rc_buf_init(&blob, (size_t)512 << 20);
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
            if (!strcmp(mode, "encode"))
                samples += encode_file(files[i], &f, &blob, &enc_s,
                                       &blob_bytes);
            activity_file_release(&f);
        }
    }
    t = now_s() - t0;
    printf("%s files=%zu bytes=%zu records=%ld seconds=%.4f MB/s=%.1f "
           "(sink %u)\n",
           mode, n, bytes, records, t, t > 0 ? (double)bytes / 1e6 / t : 0.0,
           sink & 1);
    if (!strcmp(mode, "encode"))
        printf("encode samples=%ld blob_bytes=%zu seconds=%.4f "
               "ns/sample=%.2f bytes/sample=%.2f\n",
               samples, blob_bytes, enc_s,
               samples ? enc_s * 1e9 / (double)samples : 0.0,
               samples ? (double)blob_bytes / (double)samples : 0.0);
    rc_buf_release(&blob);
    rc_buf_release(&buf);
    rc_buf_release(&list);
    free(files);
    return 0;
}
