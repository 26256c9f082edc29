/* test_store.c - the SQLite store: opening and migrations, activities and
 * their sample blobs, listing, duplicates, shoes, RPE, the import log and
 * the pain diary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "store/store.h"
#include "testlib.h"

struct fixture {
    char dir[512];
    char db[600];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    test_tmpdir(f->dir, sizeof(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/sub/dir/runcare.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static struct store *open_ok(const char *path)
{
    struct rc_err err = RC_ERR_INIT;
    struct store *s = store_open(path, STORE_CREATE, &err);
    if (!s)
        fail_msg("store_open %s: %s", path, err.msg);
    return s;
}

/* A run of n 1-second samples starting at start_s, with every channel
 * except power and temperature; heart rate missing every 10th sample. */
static void make_run(struct activity *a, double start_s, size_t n)
{
    struct rc_err err = RC_ERR_INIT;
    activity_init(a);
    snprintf(a->sport, sizeof(a->sport), "running");
    snprintf(a->sub_sport, sizeof(a->sub_sport), "generic");
    a->start_s = start_s;
    a->utc_offset_s = 3600;
    a->has_utc_offset = true;
    a->elapsed_s = a->timer_s = (double)n;
    a->distance_m = 3.0 * (double)n;
    a->avg_hr_bpm = 150;
    for (size_t i = 0; i < n; i++) {
        struct activity_sample *s = activity_add_sample(a, &err);
        assert_non_null(s);
        s->time_s = start_s + (double)i;
        s->lat_deg = 52.1 + 1e-5 * (double)i;
        s->lon_deg = 4.3 - 2e-5 * (double)i;
        s->alt_m = (float)(10 + (double)(i % 50) * 0.2);
        s->dist_m = (float)(3.0 * (double)i);
        s->speed_mps = 3.0f;
        s->hr_bpm = i % 10 ? (float)(140 + i % 20) : NAN;
        s->cadence_rpm = 85;
    }
    {
        struct activity_lap *l = activity_add_lap(a, &err);
        assert_non_null(l);
        l->start_s = start_s;
        l->elapsed_s = (double)n;
        l->distance_m = a->distance_m;
        l->avg_hr_bpm = 150;
    }
}

static int64_t add_run(struct store *s, double start_s, size_t n)
{
    struct activity a;
    struct rc_err err = RC_ERR_INIT;
    int64_t id = 0;
    make_run(&a, start_s, n);
    if (store_add_activity(s, &a, 0, &id, &err) < 0)
        fail_msg("store_add_activity: %s", err.msg);
    activity_release(&a);
    return id;
}

/* ---- opening ---- */

static void test_store__open_creates_folder_and_latest_schema(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct stat st;
    assert_int_equal(stat(f->db, &st), 0);
    assert_true(store_schema_latest() >= 3);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    store_close(s);
}

static void test_store__open_without_create_refuses_missing(void **state)
{
    struct fixture *f = *state;
    struct rc_err err = RC_ERR_INIT;
    assert_null(store_open(f->db, 0, &err));
    assert_int_equal(err.status, RC_EENV);
    assert_non_null(strstr(err.msg, "no database at"));
}

static void test_store__not_a_database_is_env_error(void **state)
{
    struct fixture *f = *state;
    char path[700];
    struct rc_err err = RC_ERR_INIT;
    char junk[4096];
    memset(junk, 'x', sizeof(junk));
    snprintf(path, sizeof(path), "%s/junk.db", f->dir);
    test_write_file(path, junk, sizeof(junk));
    assert_null(store_open(path, STORE_CREATE, &err));
    assert_int_equal(err.status, RC_EENV);
    assert_non_null(strstr(err.msg, "is not a runcare database"));
}

/* The schema version lives at byte 60 of the database header (big-endian);
 * writing a larger one there is what a newer runcare would leave. */
static void test_store__newer_schema_is_refused(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf b;
    int newer = store_schema_latest() + 1;
    store_close(s);
    test_read_file(&b, f->db);
    assert_true(b.len > 100);
    b.data[60] = b.data[61] = b.data[62] = 0;
    b.data[63] = (unsigned char)newer;
    test_write_file(f->db, b.data, b.len);
    rc_buf_release(&b);
    assert_null(store_open(f->db, STORE_CREATE, &err));
    assert_int_equal(err.status, RC_EENV);
    assert_non_null(strstr(err.msg, "newer than"));
    assert_non_null(strstr(err.msg, "use a newer runcare"));
}

/* From an empty file and from every earlier version: what each version
 * held survives, and the result is the latest schema. */
static void test_store__migrates_from_every_earlier_version(void **state)
{
    struct fixture *f = *state;
    int latest = store_schema_latest();
    for (int v = 0; v < latest; v++) {
        char path[700];
        struct rc_err err = RC_ERR_INIT;
        struct store *s;
        snprintf(path, sizeof(path), "%s/v%d.db", f->dir, v);
        s = store_open_at(path, STORE_CREATE, v, &err);
        assert_non_null(s);
        assert_int_equal(store_schema_version(s), v);
        store_close(s);
        if (v >= 1) {
            /* version 1 has activities and shoes; this runcare's writes
             * need the latest schema, so the rows go in as SQL */
            sqlite3 *db;
            assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
            assert_int_equal(
                sqlite3_exec(db,
                             "INSERT INTO activities (format, sport, "
                             "start_s, local_day, distance_m) VALUES "
                             "('manual', 'running', 1.5e9, 17361, 30); "
                             "INSERT INTO shoes (name, start_km) VALUES "
                             "('Pegasus', 12)",
                             NULL, NULL, NULL),
                SQLITE_OK);
            sqlite3_close(db);
        }
        s = store_open(path, STORE_CREATE, &err);
        assert_non_null(s);
        assert_int_equal(store_schema_version(s), latest);
        {
            struct store_totals t;
            struct store_shoe sh;
            int64_t rid;
            assert_int_equal(store_totals(s, &t, &err), 0);
            assert_int_equal(t.activities, v >= 1 ? 1 : 0);
            if (v >= 1) {
                assert_int_equal(store_shoe_get(s, "pegasus", &sh, &err), 0);
                assert_true(sh.start_km == 12);
            }
            /* the newest tables work */
            assert_int_equal(store_add_report(s, "{}", NULL, 1.6e9, &rid,
                                              &err), 0);
        }
        store_close(s);
    }
}

/* ---- activities and samples ---- */

static void test_store__activity_round_trips_with_samples(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct activity a, back;
    struct store_activity sa;
    struct rc_err err = RC_ERR_INIT;
    int64_t id;

    make_run(&a, 1.6e9 + 0.5, 3600);
    assert_int_equal(store_add_activity(s, &a, 0, &id, &err), 0);
    assert_int_equal(store_get_activity(s, id, &sa, &back, &err), 0);
    assert_string_equal(sa.format, "manual");
    assert_string_equal(back.sport, "running");
    assert_true(back.has_utc_offset && back.utc_offset_s == 3600);
    assert_int_equal(sa.nsamples, 3600);
    assert_int_equal(back.nsamples, 3600);
    assert_int_equal(back.nlaps, 1);
    assert_true(sa.channels & STORE_CH_HR);
    assert_false(sa.channels & STORE_CH_POWER);
    assert_true(isnan(sa.rpe));
    for (size_t i = 0; i < a.nsamples; i++) {
        const struct activity_sample *x = &a.samples[i], *y = &back.samples[i];
        assert_true(fabs(x->time_s - y->time_s) <= 0.0005);
        assert_true(fabs(x->lat_deg - y->lat_deg) <= 0.6e-7);
        assert_true(fabs(x->lon_deg - y->lon_deg) <= 0.6e-7);
        assert_true(fabsf(x->alt_m - y->alt_m) <= 0.006f);
        assert_true(fabsf(x->dist_m - y->dist_m) <= 0.006f);
        assert_int_equal(isnan(x->hr_bpm), isnan(y->hr_bpm));
        if (!isnan(x->hr_bpm))
            assert_true(fabsf(x->hr_bpm - y->hr_bpm) <= 0.05f);
        assert_true(isnan(y->power_w));
    }
    assert_true(fabs(back.laps[0].distance_m - a.distance_m) < 1e-9);
    /* one local day: 1.6e9 is 2020-09-13T12:26:40Z, +1 h */
    assert_int_equal(sa.local_day, rc_days_from_civil(2020, 9, 13));
    activity_release(&a);
    activity_release(&back);
    store_close(s);
}

/* Laps go eight to a statement and the rest one by one: 0, 1, 8, 9 and
 * 19 laps all come back in order, each with its own values. */
static void test_store__laps_come_back_in_order(void **state)
{
    static const size_t counts[] = { 0, 1, 8, 9, 19 };
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    for (size_t c = 0; c < RC_ARRAY_SIZE(counts); c++) {
        struct activity a, back;
        struct store_activity sa;
        int64_t id;
        make_run(&a, 1.6e9 + 86400.0 * (double)c, 600);
        a.nlaps = 0;
        for (size_t i = 0; i < counts[c]; i++) {
            struct activity_lap *l = activity_add_lap(&a, &err);
            assert_non_null(l);
            l->start_s = a.start_s + 30.0 * (double)i;
            l->elapsed_s = 30;
            l->distance_m = 100.0 + (double)i;
            l->avg_hr_bpm = (float)(120 + i);
            l->calories_kcal = NAN;
        }
        assert_int_equal(store_add_activity(s, &a, 0, &id, &err), 0);
        assert_int_equal(store_get_activity(s, id, &sa, &back, &err), 0);
        assert_int_equal(back.nlaps, counts[c]);
        for (size_t i = 0; i < counts[c]; i++) {
            assert_true(back.laps[i].distance_m == 100.0 + (double)i);
            assert_true(back.laps[i].avg_hr_bpm == (float)(120 + i));
            assert_true(back.laps[i].start_s == a.start_s + 30.0 * (double)i);
            assert_true(isnan(back.laps[i].calories_kcal));
        }
        activity_release(&a);
        activity_release(&back);
    }
    assert_int_equal(store_check(s, &err), 0);
    store_close(s);
}

static void test_store__blob_is_about_ten_bytes_a_sample(void **state)
{
    struct activity a;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    unsigned ch;
    (void)state;
    make_run(&a, 1.6e9, 7200);
    rc_buf_init(&b, (size_t)1 << 26);
    assert_int_equal(store_samples_encode(&a, &b, &ch, &err), 0);
    /* 8 channels at 1 Hz; FIT spends about 30 bytes on such a record */
    assert_true(b.len < 7200 * 12);
    assert_int_equal(ch, store_samples_channels(&a));
    rc_buf_release(&b);
    activity_release(&a);
}

static void test_store__blob_cut_anywhere_is_an_error(void **state)
{
    struct activity a, back;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    unsigned ch;
    (void)state;
    make_run(&a, 1.6e9, 40);
    rc_buf_init(&b, (size_t)1 << 20);
    assert_int_equal(store_samples_encode(&a, &b, &ch, &err), 0);
    for (size_t cut = 0; cut < b.len; cut++) {
        struct rc_err e = RC_ERR_INIT;
        activity_init(&back);
        assert_int_equal(store_samples_decode(b.data, cut, &back, &e), -1);
        assert_int_equal(e.status, RC_EINPUT);
        assert_int_equal(back.nsamples, 0);
        activity_release(&back);
    }
    activity_init(&back);
    assert_int_equal(store_samples_decode(b.data, b.len, &back, &err), 0);
    assert_int_equal(back.nsamples, 40);
    activity_release(&back);
    rc_buf_release(&b);
    activity_release(&a);
}

/* Every allocation of encoding and decoding a blob failed in turn: an
 * error each time, the activity left without samples, nothing leaked. */
static void test_store__blob_survives_each_failed_allocation(void **state)
{
    struct activity a, back;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    unsigned ch;
    long count;
    (void)state;
    make_run(&a, 1.6e9, 300);
    rc_buf_init(&b, (size_t)1 << 20);
    rc_alloc_fail_after(-1);
    assert_int_equal(store_samples_encode(&a, &b, &ch, &err), 0);
    count = rc_alloc_count();
    for (long k = 0; k < count; k++) {
        struct rc_buf t;
        rc_buf_init(&t, (size_t)1 << 20);
        rc_err_clear(&err);
        rc_alloc_fail_after(k);
        assert_int_equal(store_samples_encode(&a, &t, &ch, &err), -1);
        rc_alloc_fail_after(-1);
        rc_buf_release(&t);
    }
    activity_init(&back);
    assert_int_equal(store_samples_decode(b.data, b.len, &back, &err), 0);
    count = rc_alloc_count();
    activity_release(&back);
    assert_true(count > 3);
    for (long k = 0; k < count; k++) {
        activity_init(&back);
        rc_err_clear(&err);
        rc_alloc_fail_after(k);
        assert_int_equal(store_samples_decode(b.data, b.len, &back, &err),
                         -1);
        assert_int_equal(back.nsamples, 0);
        activity_release(&back);
    }
    rc_alloc_fail_after(-1);
    rc_buf_release(&b);
    activity_release(&a);
}

static void test_store__blob_with_huge_count_is_refused(void **state)
{
    /* header claims 4 million samples in a 20-byte blob whose one column
     * holds none: refused before the samples are allocated */
    unsigned char blob[20] = { 'R', 'C', 'S', '1', 0x00, 0x09, 0x3D, 0x00,
                               0x01, 0x00, 0 };
    struct activity a;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    activity_init(&a);
    rc_alloc_fail_after(0);
    assert_int_equal(store_samples_decode(blob, sizeof(blob), &a, &err), -1);
    rc_alloc_fail_after(-1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(err.offset, 15);
    assert_non_null(strstr(err.msg, "0 of 4000000 values"));
    activity_release(&a);
}

/* A steady 1 s clock is one run of zeros (second order), so its column is
 * a few bytes whatever its length, and every time comes back exactly. */
static void test_store__steady_clock_is_a_run_of_zeros(void **state)
{
    struct activity a, back;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    unsigned ch;
    (void)state;
    activity_init(&a);
    for (int i = 0; i < 20000; i++) {
        struct activity_sample *x = activity_add_sample(&a, &err);
        assert_non_null(x);
        x->time_s = 1.6e9 + i;
    }
    rc_buf_init(&b, (size_t)1 << 20);
    assert_int_equal(store_samples_encode(&a, &b, &ch, &err), 0);
    assert_int_equal(ch, STORE_CH_TIME);
    /* header 10, kind 1, length 4, first value, its delta, 0 and a count */
    if (b.len > 32)
        fail_msg("20,000 steady seconds took %zu bytes", b.len);
    activity_init(&back);
    assert_int_equal(store_samples_decode(b.data, b.len, &back, &err), 0);
    assert_int_equal(back.nsamples, 20000);
    for (size_t i = 0; i < back.nsamples; i++)
        assert_true(back.samples[i].time_s == a.samples[i].time_s);
    activity_release(&back);
    rc_buf_release(&b);
    activity_release(&a);
}

/* A run of zeros may not reach past the column's last value: the error
 * names the offset of its count. */
static void test_store__blob_run_past_the_last_value_is_refused(void **state)
{
    /* 3 samples, time only, kind = runs of zeros; varints: 2000 (1 s),
     * then 0 with a count of 5: six zeros where two values are left */
    unsigned char blob[] = { 'R', 'C', 'S', '1', 3, 0, 0, 0, 0x01, 0x00,
                             4, 4, 0, 0, 0, 0xD0, 0x0F, 0x00, 0x05 };
    struct activity a;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    activity_init(&a);
    assert_int_equal(store_samples_decode(blob, sizeof(blob), &a, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(err.offset, 17);
    assert_non_null(strstr(err.msg, "run of zeros"));
    assert_int_equal(a.nsamples, 0);
    /* a count of 1 fits: 1 s, then two more of the same delta */
    blob[10] = 4 | 2;
    blob[18] = 1;
    assert_int_equal(store_samples_decode(blob, sizeof(blob), &a, &err), 0);
    assert_int_equal(a.nsamples, 3);
    assert_true(a.samples[0].time_s == 1.0 && a.samples[2].time_s == 3.0);
    activity_release(&a);
}

/* A blob written before runs of zeros existed (schema 10 and earlier: one
 * varint per value) still decodes: logs are not rewritten. */
static void test_store__blob_without_runs_still_decodes(void **state)
{
    /* 3 samples, time only, second order: 1 s, then two zero changes */
    static const unsigned char blob[] = { 'R', 'C', 'S', '1', 3, 0, 0, 0,
                                          0x01, 0x00, 2, 4, 0, 0, 0, 0xD0,
                                          0x0F, 0x00, 0x00 };
    struct activity a;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    activity_init(&a);
    assert_int_equal(store_samples_decode(blob, sizeof(blob), &a, &err), 0);
    assert_int_equal(a.nsamples, 3);
    for (int i = 0; i < 3; i++)
        assert_true(a.samples[i].time_s == 1.0 + i);
    assert_true(isnan(a.samples[0].hr_bpm));
    activity_release(&a);
}

static void test_store__list_filters_by_local_day_and_sport(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct store_filter flt;
    struct store_activity *v;
    struct activity ride;
    struct rc_err err = RC_ERR_INIT;
    size_t n;
    long day = rc_days_from_civil(2021, 3, 1);
    double t0 = (double)day * 86400;

    /* 23:30 UTC at +01:00 is the next local day */
    add_run(s, t0 + 23.5 * 3600, 10);
    add_run(s, t0 + 86400 * 2 + 8 * 3600, 10);
    make_run(&ride, t0 + 86400 * 2 + 12 * 3600, 10);
    snprintf(ride.sport, sizeof(ride.sport), "cycling");
    assert_int_equal(store_add_activity(s, &ride, 0, NULL, &err), 0);
    activity_release(&ride);

    store_filter_init(&flt);
    assert_int_equal(store_list_activities(s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].local_day, day + 1);
    free(v);
    flt.since_day = day + 2;
    assert_int_equal(store_list_activities(s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 2);
    free(v);
    flt.sport = "running";
    assert_int_equal(store_list_activities(s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_true(v[0].act.nsamples == 0 && !v[0].act.samples);
    free(v);
    store_filter_init(&flt);
    flt.until_day = day + 1;
    assert_int_equal(store_list_activities(s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    free(v);
    flt.until_day = day;
    assert_int_equal(store_list_activities(s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 0);
    free(v);
    store_close(s);
}

static void test_store__duplicate_leaves_list_and_hands_over(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    struct store_filter flt;
    struct store_activity *v, sa;
    struct activity full;
    size_t n;
    int64_t shoe, a = add_run(s, 1.6e9, 100), b = add_run(s, 1.6e9 + 30, 100);

    assert_int_equal(store_shoe_add(s, "Kinvara", 0, NAN, &shoe, &err), 0);
    assert_int_equal(store_set_rpe(s, a, 6, &err), 0);
    assert_int_equal(store_set_shoe(s, a, shoe, &err), 0);
    assert_int_equal(store_set_notes(s, a, "tight calf", &err), 0);
    assert_int_equal(store_mark_duplicate(s, a, b, &err), 0);
    store_filter_init(&flt);
    assert_int_equal(store_list_activities(s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, b);
    assert_true(v[0].rpe == 6);
    assert_int_equal(v[0].shoe_id, shoe);
    assert_string_equal(v[0].shoe, "Kinvara");
    free(v);
    assert_int_equal(store_get_activity(s, a, &sa, &full, &err), 0);
    assert_int_equal(sa.duplicate_of, b);
    assert_int_equal(full.nsamples, 100); /* kept: undo may bring it back */
    activity_release(&full);
    {
        char *d, *no;
        assert_int_equal(store_get_texts(s, b, &d, &no, &err), 0);
        assert_string_equal(no, "tight calf");
        free(d);
        free(no);
    }
    flt.duplicates = true;
    assert_int_equal(store_list_activities(s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 2);
    free(v);
    store_close(s);
}

static void test_store__find_near_is_inclusive_of_its_window(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    struct store_activity *v;
    size_t n;
    add_run(s, 1.6e9, 10);
    assert_int_equal(store_find_near(s, "running", 1.6e9 + 120, 120, &v, &n,
                                     &err), 0);
    assert_int_equal(n, 1);
    free(v);
    assert_int_equal(store_find_near(s, "running", 1.6e9 + 120.5, 120, &v,
                                     &n, &err), 0);
    assert_int_equal(n, 0);
    free(v);
    assert_int_equal(store_find_near(s, "cycling", 1.6e9, 120, &v, &n, &err),
                     0);
    assert_int_equal(n, 0);
    free(v);
    store_close(s);
}

/* ---- RPE, shoes ---- */

static void test_store__rpe_outside_cr10_is_refused(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    int64_t id = add_run(s, 1.6e9, 10);
    assert_int_equal(store_set_rpe(s, id, 10, &err), 0);
    assert_int_equal(store_set_rpe(s, id, 0, &err), 0);
    assert_int_equal(store_set_rpe(s, id, 10.5, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_string_equal(err.msg, "RPE 10.5 is outside 0-10 (CR-10)");
    rc_err_clear(&err);
    assert_int_equal(store_set_rpe(s, id + 99, 5, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_non_null(strstr(err.msg, "no activity"));
    store_close(s);
}

static void test_store__shoe_counts_runs_from_its_start_km(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    struct store_shoe *v, sh;
    size_t n;
    int64_t id;

    assert_int_equal(store_shoe_add(s, "Clifton", 100, 500, &id, &err), 0);
    add_run(s, 1.6e9, 1000); /* before the default: no shoe */
    assert_int_equal(store_shoe_set_default(s, id, &err), 0);
    add_run(s, 1.6e9 + 86400, 1000); /* 3 km */
    add_run(s, 1.6e9 + 2 * 86400, 1000);
    assert_int_equal(store_shoe_get(s, "CLIFTON", &sh, &err), 0);
    assert_int_equal(sh.runs, 2);
    assert_true(fabs(sh.used_km - 106) < 1e-9);
    assert_true(sh.limit_km == 500 && sh.is_default && !sh.retired);
    assert_int_equal(store_shoe_retire(s, id, true, &err), 0);
    add_run(s, 1.6e9 + 3 * 86400, 1000); /* retired: not counted */
    assert_int_equal(store_shoe_list(s, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].runs, 2);
    assert_true(v[0].retired && !v[0].is_default);
    free(v);
    store_close(s);
}

static void test_store__shoe_names_are_unique_without_case(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    struct store_shoe sh;
    assert_int_equal(store_shoe_add(s, "Ghost 15", 0, NAN, NULL, &err), 0);
    assert_int_equal(store_shoe_add(s, "ghost 15", 0, NAN, NULL, &err), -1);
    assert_string_equal(err.msg, "there is already a shoe named \"Ghost 15\"");
    rc_err_clear(&err);
    assert_int_equal(store_shoe_add(s, "x", -1, NAN, NULL, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    rc_err_clear(&err);
    assert_int_equal(store_shoe_get(s, "Ghost 15", &sh, &err), 0);
    assert_true(sh.limit_km == STORE_SHOE_LIMIT_KM);
    assert_int_equal(store_shoe_get(s, "Nope", &sh, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    store_close(s);
}

/* ---- import log, diary, transactions ---- */

static void test_store__import_log_counts_by_run_and_status(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    int64_t run1, run2;
    long n;
    unsigned char sha[32] = { 1 };
    struct store_import_entry e = { .path = "a.fit", .sha256 = sha,
                                    .size = 10, .status = STORE_IMPORTED };
    assert_int_equal(store_import_run(s, &run1, &err), 0);
    e.run = run1;
    assert_int_equal(store_log_import(s, &e, &err), 0);
    e.status = STORE_FAILED;
    e.reason = "offset 8: bad";
    e.sha256 = NULL;
    assert_int_equal(store_log_import(s, &e, &err), 0);
    assert_int_equal(store_import_run(s, &run2, &err), 0);
    assert_int_equal(run2, run1 + 1);
    assert_int_equal(store_import_count(s, run1, STORE_FAILED, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_import_count(s, run2, STORE_FAILED, &n, &err), 0);
    assert_int_equal(n, 0);
    store_close(s);
}

static void test_store__reports_list_oldest_first(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    struct store_report *r;
    size_t n;
    int64_t id;
    assert_int_equal(store_add_report(s, "{\"b\":1}", "{\"level\":\"x\"}",
                                      2000, &id, &err), 0);
    assert_int_equal(store_add_report(s, "{\"a\":1}", NULL, 1000, &id, &err),
                     0);
    assert_int_equal(store_list_reports(s, -INFINITY, &r, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].report_json, "{\"a\":1}");
    assert_string_equal(r[0].result_json, "");
    assert_string_equal(r[1].result_json, "{\"level\":\"x\"}");
    store_reports_free(r, n);
    assert_int_equal(store_list_reports(s, 1500, &r, &n, &err), 0);
    assert_int_equal(n, 1);
    store_reports_free(r, n);
    store_close(s);
}

static void test_store__rollback_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    struct store_totals t;
    struct store_source src = { .path = "x.fit", .size = 3, .format = "fit" };
    int64_t sid;
    src.sha256[0] = 7;
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_add_source(s, &src, &sid, &err), 0);
    add_run(s, 1.6e9, 50);
    store_rollback(s);
    assert_int_equal(store_totals(s, &t, &err), 0);
    assert_int_equal(t.activities, 0);
    assert_int_equal(store_source_find(s, src.sha256, &sid, &err), 0);
    store_close(s);
}

/* Import writes each file as a unit inside a batch: an undone unit takes
 * only its own writes, the units before and after it commit. */
static void test_store__undone_unit_leaves_the_others(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    struct store_totals t;
    struct store_source src = { .path = "x.fit", .size = 3, .format = "fit" };
    int64_t sid;
    src.sha256[0] = 9;
    assert_int_equal(store_unit_begin(s, &err), -1); /* needs a transaction */
    assert_int_equal(err.status, RC_EENV);
    rc_err_clear(&err);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_unit_begin(s, &err), 0);
    add_run(s, 1.6e9, 20000);
    assert_int_equal(store_unit_end(s, &err), 0);
    assert_int_equal(store_unit_begin(s, &err), 0);
    assert_int_equal(store_add_source(s, &src, &sid, &err), 0);
    add_run(s, 1.6e9 + 86400, 20000);
    store_unit_undo(s);
    assert_int_equal(store_unit_begin(s, &err), 0);
    add_run(s, 1.6e9 + 2 * 86400, 300);
    assert_int_equal(store_unit_end(s, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    store_close(s);

    s = open_ok(f->db);
    assert_int_equal(store_totals(s, &t, &err), 0);
    assert_int_equal(t.activities, 2);
    assert_int_equal(store_source_find(s, src.sha256, &sid, &err), 0);
    assert_int_equal(store_check(s, &err), 0);
    store_close(s);
}

/* An import's checkpoints run on their own thread (store_bulk_begin): the
 * -wal file must still start over instead of growing with the import, a
 * second connection must see every commit, and the file must be whole. */
static off_t wal_size(const char *db)
{
    char wal[700];
    struct stat st;
    snprintf(wal, sizeof(wal), "%s-wal", db);
    return stat(wal, &st) == 0 ? st.st_size : 0;
}

static void test_store__bulk_checkpoints_keep_the_wal_bounded(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db), *reader;
    struct rc_err err = RC_ERR_INIT;
    struct store_totals t;
    off_t most = 0;
    int batches = 90, per_batch = 4;
    long waits;

    reader = open_ok(f->db);
    assert_int_equal(store_bulk_begin(s, (size_t)4 << 20, &err), 0);
    for (int b = 0; b < batches; b++) {
        assert_int_equal(store_begin(s, &err), 0);
        for (int k = 0; k < per_batch; k++)
            add_run(s, 1.6e9 + 86400.0 * (b * per_batch + k), 12000);
        assert_int_equal(store_commit(s, &err), 0);
        if (wal_size(f->db) > most)
            most = wal_size(f->db);
        assert_int_equal(store_totals(reader, &t, &err), 0);
        assert_int_equal(t.activities, (b + 1) * per_batch);
    }
    waits = store_bulk_end(s);
    /* 360 runs: over 20 MB written, the -wal file bounded by 4 MiB and
     * the batch that crossed it */
    assert_true(most > 0);
    if (most > (6 << 20))
        fail_msg("the -wal file grew to %lld bytes", (long long)most);
    assert_true(waits > 0);
    assert_int_equal(store_check(s, &err), 0);
    store_close(s);
    store_close(reader);
    s = open_ok(f->db);
    assert_int_equal(store_totals(s, &t, &err), 0);
    assert_int_equal(t.activities, batches * per_batch);
    assert_int_equal(store_check(s, &err), 0);
    store_close(s);
}

static void test_store__totals_count_running_km(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_ok(f->db);
    struct rc_err err = RC_ERR_INIT;
    struct store_totals t;
    add_run(s, 1.6e9, 1000);
    add_run(s, 1.6e9 + 86400 * 10, 2000);
    assert_int_equal(store_totals(s, &t, &err), 0);
    assert_int_equal(t.runs, 2);
    assert_true(fabs(t.running_km - 9) < 1e-9);
    assert_int_equal(t.last_day - t.first_day, 10);
    store_close(s);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_store__open_creates_folder_and_latest_schema),
        T(test_store__open_without_create_refuses_missing),
        T(test_store__not_a_database_is_env_error),
        T(test_store__newer_schema_is_refused),
        T(test_store__migrates_from_every_earlier_version),
        T(test_store__activity_round_trips_with_samples),
        T(test_store__laps_come_back_in_order),
        T(test_store__blob_is_about_ten_bytes_a_sample),
        T(test_store__blob_cut_anywhere_is_an_error),
        T(test_store__blob_with_huge_count_is_refused),
        T(test_store__blob_survives_each_failed_allocation),
        T(test_store__list_filters_by_local_day_and_sport),
        T(test_store__duplicate_leaves_list_and_hands_over),
        T(test_store__find_near_is_inclusive_of_its_window),
        T(test_store__rpe_outside_cr10_is_refused),
        T(test_store__shoe_counts_runs_from_its_start_km),
        T(test_store__shoe_names_are_unique_without_case),
        T(test_store__import_log_counts_by_run_and_status),
        T(test_store__reports_list_oldest_first),
        T(test_store__rollback_leaves_nothing),
        T(test_store__undone_unit_leaves_the_others),
        T(test_store__totals_count_running_km),
        T(test_store__bulk_checkpoints_keep_the_wal_bounded),
        T(test_store__steady_clock_is_a_run_of_zeros),
        T(test_store__blob_run_past_the_last_value_is_refused),
        T(test_store__blob_without_runs_still_decodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
