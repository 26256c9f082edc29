/* gen_fit_seeds.c - writes the seed corpus of fuzz_fit (fuzz/corpus/fit/)
 * with runcare's own FIT encoder: small runs in every layout the encoder
 * knows, a multisport file, a course, and damaged files. Not built by
 * make; regenerate with
 *   make && cc -Isrc -D_GNU_SOURCE fuzz/gen_fit_seeds.c build/librc.a \
 *      $(pkg-config --libs jansson sqlite3 expat) -lm -pthread \
 *      -o build/gen_fit_seeds && build/gen_fit_seeds fuzz/corpus/fit */
#include "base/base.h"
#include "base/buf.h"
#include "fit/fit.h"

static void run(struct activity *a, size_t n, double t0)
{
    struct rc_err err = RC_ERR_INIT;
    activity_init(a);
    snprintf(a->sport, sizeof(a->sport), "running");
    snprintf(a->device.manufacturer, sizeof(a->device.manufacturer),
             "garmin");
    a->device.product = 2697;
    a->device.serial = 12345;
    a->has_utc_offset = true;
    a->utc_offset_s = 3600;
    for (size_t i = 0; i < n; i++) {
        struct activity_sample *s = activity_add_sample(a, &err);
        s->time_s = t0 + (double)(i * (i % 4 ? 1 : 40));
        s->lat_deg = 45 + 1e-5 * (double)i;
        s->lon_deg = 7 + 1e-5 * (double)i;
        s->alt_m = (float)(200 + i);
        s->dist_m = (float)(3 * i);
        s->speed_mps = 3;
        s->hr_bpm = (float)(140 + i);
        s->cadence_rpm = 85;
        s->power_w = (float)(200 + i);
    }
    {
        struct activity_lap *l = activity_add_lap(a, &err);
        l->start_s = t0;
        l->elapsed_s = 5;
        l->distance_m = 15;
    }
    a->start_s = t0;
    a->elapsed_s = 200;
    a->distance_m = 30;
}

static void put(const char *dir, const char *name, const struct rc_buf *b)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s.fit", dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        unsigned flags, parts;
        uint8_t type;
    } seeds[] = {
        { "plain", 0, 0, 0 },
        { "header12", FIT_WRITE_HEADER_12, 0, 0 },
        { "crc0", FIT_WRITE_HEADER_CRC_ZERO, 0, 0 },
        { "big", FIT_WRITE_BIG_ENDIAN, 0, 0 },
        { "compressed", FIT_WRITE_COMPRESSED_TIME, 0, 0 },
        { "developer", FIT_WRITE_DEVELOPER, 0, 0 },
        { "devlate", FIT_WRITE_DEVELOPER | FIT_WRITE_DEV_LATE, 0, 0 },
        { "redefine", FIT_WRITE_REDEFINE | FIT_WRITE_COMPRESSED_TIME, 0, 0 },
        { "summaryfirst", FIT_WRITE_SUMMARY_FIRST, 0, 0 },
        { "enhanced", FIT_WRITE_ENHANCED | FIT_WRITE_BIG_ENDIAN, 0, 0 },
        { "nosummary", FIT_WRITE_NO_SUMMARY, 0, 0 },
        { "chained", 0, 3, 0 },
        { "course", 0, 0, 6 },
    };
    struct activity a, legs[2];
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    const char *dir = argc > 1 ? argv[1] : "fuzz/corpus/fit";

    run(&a, 12, 1550384804.0);
    rc_buf_init(&b, 1 << 20);
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        struct fit_write_opts o = { 0 };
        o.flags = seeds[i].flags;
        o.parts = seeds[i].parts;
        o.file_type = seeds[i].type;
        b.len = 0;
        if (fit_write_activity(&a, &o, &b, &err) < 0) {
            fprintf(stderr, "%s: %s\n", seeds[i].name, err.msg);
            return 1;
        }
        put(dir, seeds[i].name, &b);
    }
    b.len = 0;
    fit_write_activity(&a, NULL, &b, &err);
    b.data[b.len - 2] ^= 1; /* in the file CRC */
    put(dir, "badcrc", &b);
    b.len = b.len * 2 / 3;
    put(dir, "truncated", &b);

    run(&legs[0], 6, 1550384804.0);
    run(&legs[1], 6, 1550385804.0);
    snprintf(legs[1].sport, sizeof(legs[1].sport), "cycling");
    b.len = 0;
    fit_write_activities(legs, 2, NULL, &b, &err);
    put(dir, "multisport", &b);
    rc_buf_release(&b);
    activity_release(&a);
    activity_release(&legs[0]);
    activity_release(&legs[1]);
    return 0;
}
