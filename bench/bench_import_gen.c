/* bench_import_gen.c - writes the synthetic training log that
 * bench/bench_import.sh imports: one run a day for DAYS days, 1-2 hours
 * each at 1 s recording, on varied routes (five towns, a wandering course)
 * and at varied times of day, written by runcare's own FIT encoder.
 *
 *     bench_import_gen DIR DAYS
 *
 * writes DIR/folder/YYYY/YYYY-MM-DD.fit (the folder layout) and
 * DIR/strava.zip (Strava's layout: activities.csv and activities/N.fit.gz,
 * the same bytes gzipped), and prints the number of files and FIT bytes.
 * Deterministic: the same DAYS give the same bytes. */
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <zlib.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "activity/activity.h"
#include "fit/fit.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

/* xorshift64*: a uniform double in [0, 1) */
static double rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

static const struct {
    const char *name;
    double lat, lon, alt;
} towns[] = {
    { "Utrecht", 52.09, 5.12, 5 },    { "Annecy", 45.90, 6.13, 450 },
    { "Boulder", 40.01, -105.27, 1650 }, { "Kyoto", 35.01, 135.77, 50 },
    { "Dunedin", -45.87, 170.50, 20 },
};

static void make_run(struct activity *a, long day, struct rc_err *err)
{
    int town = (int)(rnd() * 5), month;
    double lat = towns[town].lat + (rnd() - 0.5) * 0.05;
    double lon = towns[town].lon + (rnd() - 0.5) * 0.05;
    double heading = rnd() * 2 * M_PI, dist = 0, next_lap = 1000;
    double base_speed = 2.6 + rnd() * 1.0;
    long dur = 3600 + (long)(rnd() * 3600);
    int y, d;
    double local_start = (double)day * 86400 + 6 * 3600 + rnd() * 13 * 3600;
    struct activity_lap *lap;

    rc_civil_from_days(day, &y, &month, &d);
    activity_init(a);
    snprintf(a->sport, sizeof(a->sport), "running");
    snprintf(a->sub_sport, sizeof(a->sub_sport), "generic");
    a->utc_offset_s = month >= 4 && month <= 10 ? 7200 : 3600;
    a->has_utc_offset = true;
    a->start_s = floor(local_start - a->utc_offset_s);
    snprintf(a->device.manufacturer, sizeof(a->device.manufacturer),
             "garmin");
    a->device.product = 3113;
    a->device.serial = 3900000000u + (uint32_t)(day % 5);
    lap = activity_add_lap(a, err);
    lap->start_s = a->start_s;
    for (long i = 0; i <= dur; i++) {
        struct activity_sample *s = activity_add_sample(a, err);
        double speed = base_speed + 0.4 * sin((double)i / 300.0) +
                       (rnd() - 0.5) * 0.3;
        heading += (rnd() - 0.5) * 0.08;
        lat += speed * cos(heading) / 111195.0;
        lon += speed * sin(heading) / (111195.0 * cos(lat * M_PI / 180));
        dist += speed;
        s->time_s = a->start_s + (double)i;
        s->lat_deg = lat;
        s->lon_deg = lon;
        s->alt_m = (float)(towns[town].alt + 25 * sin((double)i / 600.0) +
                           rnd() * 0.6);
        s->dist_m = (float)dist;
        s->speed_mps = (float)speed;
        s->hr_bpm = (float)(125 + 35 * (double)i / (double)dur +
                            (int)(rnd() * 6));
        s->cadence_rpm = (float)(84 + (int)(rnd() * 9));
        if (dist >= next_lap && a->nlaps < 100) {
            lap->elapsed_s = lap->timer_s = s->time_s - lap->start_s;
            lap->distance_m = 1000;
            lap = activity_add_lap(a, err);
            lap->start_s = s->time_s;
            next_lap += 1000;
        }
    }
    lap->elapsed_s = lap->timer_s =
        a->samples[a->nsamples - 1].time_s - lap->start_s;
    lap->distance_m = dist - (next_lap - 1000);
    a->elapsed_s = a->timer_s = (double)dur;
    a->distance_m = dist;
}

static void gz(const struct rc_buf *in, struct rc_buf *out)
{
    z_stream z;
    struct rc_err err = RC_ERR_INIT;
    memset(&z, 0, sizeof(z));
    rc_buf_release(out);
    rc_buf_grow(out, compressBound((uLong)in->len) + 64, &err);
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    z.next_in = in->data;
    z.avail_in = (uInt)in->len;
    z.next_out = out->data;
    z.avail_out = (uInt)out->cap;
    deflate(&z, Z_FINISH);
    out->len = out->cap - z.avail_out;
    deflateEnd(&z);
}

static int add_member(struct archive *ar, const char *name, const void *p,
                      size_t n)
{
    struct archive_entry *e = archive_entry_new();
    int rc = 0;
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)n);
    if (archive_write_header(ar, e) != ARCHIVE_OK ||
        archive_write_data(ar, p, n) != (la_ssize_t)n)
        rc = -1;
    archive_entry_free(e);
    return rc;
}

int main(int argc, char **argv)
{
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf fit, gzb, csv;
    struct archive *ar;
    char path[4096];
    long days, first, files = 0;
    uint64_t fit_bytes = 0;

    if (argc != 3 || (days = strtol(argv[2], NULL, 10)) <= 0) {
        fprintf(stderr, "usage: bench_import_gen DIR DAYS\n");
        return 2;
    }
    first = rc_days_from_civil(2014, 1, 1);
    snprintf(path, sizeof(path), "%s/folder", argv[1]);
    mkdir(argv[1], 0755);
    mkdir(path, 0755);
    rc_buf_init(&fit, (size_t)1 << 28);
    rc_buf_init(&gzb, (size_t)1 << 28);
    rc_buf_init(&csv, (size_t)1 << 28);
    rc_buf_appendf(&csv, &err, "Activity ID,Activity Date,Activity Name,"
                               "Activity Type,Activity Description,"
                               "Elapsed Time,Distance,Activity Gear,"
                               "Filename\n");
    snprintf(path, sizeof(path), "%s/strava.zip", argv[1]);
    ar = archive_write_new();
    archive_write_set_format_zip(ar);
    /* the members are gzipped already */
    archive_write_set_format_option(ar, "zip", "compression", "store");
    if (archive_write_open_filename(ar, path) != ARCHIVE_OK) {
        fprintf(stderr, "bench_import_gen: %s: %s\n", path,
                archive_error_string(ar));
        return 3;
    }
    for (long i = 0; i < days; i++) {
        struct activity a;
        char date[16], name[64];
        FILE *f;
        long id = 1000000000 + i * 7;
        make_run(&a, first + i, &err);
        rc_buf_release(&fit);
        if (fit_write_activity(&a, NULL, &fit, &err) < 0) {
            fprintf(stderr, "bench_import_gen: %s\n", err.msg);
            return 1;
        }
        rc_date_format(first + i, date);
        snprintf(path, sizeof(path), "%s/folder/%.4s", argv[1], date);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/folder/%.4s/%s.fit", argv[1], date,
                 date);
        f = fopen(path, "wb");
        if (!f || fwrite(fit.data, 1, fit.len, f) != fit.len || fclose(f)) {
            fprintf(stderr, "bench_import_gen: cannot write %s\n", path);
            return 3;
        }
        gz(&fit, &gzb);
        snprintf(name, sizeof(name), "activities/%ld.fit.gz", id);
        if (add_member(ar, name, gzb.data, gzb.len) < 0) {
            fprintf(stderr, "bench_import_gen: zip: %s\n",
                    archive_error_string(ar));
            return 3;
        }
        rc_buf_appendf(&csv, &err, "%ld,%s,Run %ld,Run,,%.0f,%.2f,"
                                   "Shoe %ld,%s\n",
                       id, date, i, a.elapsed_s, a.distance_m / 1000,
                       i / 500, name);
        fit_bytes += fit.len;
        files++;
        activity_release(&a);
    }
    add_member(ar, "activities.csv", csv.data, csv.len);
    archive_write_close(ar);
    archive_write_free(ar);
    rc_buf_release(&fit);
    rc_buf_release(&gzb);
    rc_buf_release(&csv);
    printf("%ld files, %llu FIT bytes\n", files,
           (unsigned long long)fit_bytes);
    return 0;
}
