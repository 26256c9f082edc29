/* test_import.c - import's walking, archives, hashing, duplicates, Strava's
 * activities.csv and bad input, with a stand-in decoder so that every rule
 * is tested apart from the real decoders (tests/cli/t_import.sh runs the
 * real ones on files runcare's own encoders write).
 *
 * The stand-in (test_fake_decode, lib_import.c) reads "RCTEST key=value"
 * text files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "base/alloc.h"
#include "import/import.h"
#include "store/store.h"
#include "testlib.h"

/* A file under the fixture's folder (made with its parents). */
static void put(struct test_db_fixture *f, const char *rel, const char *text)
{
    char path[1024], *slash;
    snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
    for (slash = strchr(path + strlen(f->dir) + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0755);
        *slash = '/';
    }
    test_write_file(path, text, strlen(text));
}

static void run_import(struct test_db_fixture *f, const char *rel,
                       struct import_summary *sum)
{
    struct import_opts o = { .decode = test_fake_decode, .threads = 2 };
    struct rc_err err = RC_ERR_INIT;
    char path[1024];
    char *paths[1] = { path };
    snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
    if (import_paths(f->s, paths, 1, &o, sum, &err) < 0)
        fail_msg("import: %s", err.msg);
    {
        struct rc_err e2 = RC_ERR_INIT;
        if (store_check(f->s, &e2) < 0)
            fail_msg("store_check: %s", e2.msg);
    }
}

static bool has_failure(const struct import_summary *sum, const char *path_end,
                        const char *reason_part)
{
    for (size_t i = 0; i < sum->nfailures; i++) {
        size_t a = strlen(sum->failures[i].path), b = strlen(path_end);
        if (a >= b && !strcmp(sum->failures[i].path + a - b, path_end) &&
            strstr(sum->failures[i].reason, reason_part))
            return true;
    }
    for (size_t i = 0; i < sum->nfailures; i++)
        print_message("failure: %s: %s\n", sum->failures[i].path,
                      sum->failures[i].reason);
    return false;
}

/* ---- the same-run rule, both sides of each threshold ---- */

static void make(struct activity *a, const char *sport, double start,
                 double dur)
{
    activity_init(a);
    snprintf(a->sport, sizeof(a->sport), "%s", sport);
    a->start_s = start;
    a->elapsed_s = dur;
}

static void test_import__same_run_start_within_120_s(void **state)
{
    struct activity a, b;
    (void)state;
    make(&a, "running", 1000, 100000);
    make(&b, "running", 1120, 100000);
    assert_true(import_same_run(&a, &b));
    make(&b, "running", 1121, 100000);
    assert_false(import_same_run(&a, &b));
    make(&b, "running", 880, 100000);
    assert_true(import_same_run(&a, &b));
    make(&b, "running", 879, 100000);
    assert_false(import_same_run(&a, &b));
}

static void test_import__same_run_needs_more_than_80_percent(void **state)
{
    struct activity a, b;
    (void)state;
    make(&a, "running", 1000, 1000);
    make(&b, "running", 1000, 800); /* 800/1000 = 80%: not more */
    assert_false(import_same_run(&a, &b));
    make(&b, "running", 1000, 810); /* 81% */
    assert_true(import_same_run(&a, &b));
    make(&b, "running", 1100, 1000); /* 900/1100 = 81.8% */
    assert_true(import_same_run(&a, &b));
    make(&b, "running", 1120, 1000); /* 880/1120 = 78.6% */
    assert_false(import_same_run(&a, &b));
}

static void test_import__same_run_needs_same_sport(void **state)
{
    struct activity a, b;
    (void)state;
    make(&a, "running", 1000, 1000);
    make(&b, "cycling", 1000, 1000);
    assert_false(import_same_run(&a, &b));
}

static void test_import__richer_is_more_channels_then_fit(void **state)
{
    unsigned hr_pos = STORE_CH_TIME | STORE_CH_LAT | STORE_CH_LON |
                      STORE_CH_HR;
    unsigned pos = STORE_CH_TIME | STORE_CH_LAT | STORE_CH_LON;
    (void)state;
    assert_true(import_richer("gpx", hr_pos, 10, "fit", pos, 99) > 0);
    assert_true(import_richer("gpx", pos, 10, "fit", hr_pos, 10) < 0);
    assert_true(import_richer("fit", pos, 10, "gpx", pos, 99) > 0);
    assert_true(import_richer("tcx", pos, 10, "gpx", pos, 10) > 0);
    assert_true(import_richer("fit", pos, 20, "fit", pos, 10) > 0);
    assert_int_equal(import_richer("fit", pos, 10, "fit", pos, 10), 0);
}

/* ---- folders, hashes, duplicates ---- */

static void test_import__folder_then_again_adds_nothing(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    put(f, "in/a/1.fit", "RCTEST start=1600000000 ch=hr");
    put(f, "in/a/2.fit", "RCTEST start=1600100000 ch=hr");
    put(f, "in/b/3.gpx", "RCTEST start=1600200000 format=gpx");
    put(f, "in/b/settings.fit", "RCTEST-NOTACT");
    put(f, "in/b/notes.txt", "not an activity file");
    run_import(f, "in", &sum);
    assert_int_equal(sum.files, 5);
    assert_int_equal(sum.imported, 3);
    assert_int_equal(sum.activities, 3);
    assert_int_equal(sum.not_activities, 1);
    assert_int_equal(sum.skipped, 1);
    assert_int_equal(sum.failed, 0);
    assert_int_equal(sum.totals.activities, 3);
    import_summary_release(&sum);
    run_import(f, "in", &sum);
    assert_int_equal(sum.imported, 0);
    assert_int_equal(sum.duplicates, 4); /* the settings file too */
    assert_int_equal(sum.activities, 0);
    assert_int_equal(sum.totals.activities, 3);
    import_summary_release(&sum);
}

/* ---- a new log: its files read while it is created (import_begin) ---- */

static void put_runs(struct test_db_fixture *f, const char *folder, int n)
{
    for (int i = 0; i < n; i++) {
        char name[128], text[96];
        snprintf(name, sizeof(name), "%s/%03d.fit", folder, i);
        snprintf(text, sizeof(text), "RCTEST start=%d ch=hr n=50",
                 1600000000 + 86400 * i);
        put(f, name, text);
    }
}

/* import_begin with new_log, the log opened only then, import_end */
static int import_two_steps(struct test_db_fixture *f, const char *rel,
                            struct store *s, struct import_summary *sum)
{
    struct import_opts o = { .decode = test_fake_decode, .threads = 2 };
    struct rc_err err = RC_ERR_INIT;
    struct import_job *job;
    char path[1024];
    char *paths[1] = { path };
    snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
    if (import_begin(paths, 1, &o, true, &job, &err) < 0)
        fail_msg("import_begin: %s", err.msg);
    return import_end(job, s, sum, &err);
}

static void test_import__new_log_is_filled_as_by_import_paths(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    put_runs(f, "in", 40);
    put(f, "in/copy.fit", "RCTEST start=1600000000 ch=hr n=50");
    put(f, "in/bad.fit", "RCTEST-FAIL");
    assert_int_equal(import_two_steps(f, "in", f->s, &sum), 0);
    assert_int_equal(sum.files, 42);
    assert_int_equal(sum.imported, 40);
    assert_int_equal(sum.duplicates, 1); /* copy.fit: the same bytes */
    assert_int_equal(sum.failed, 1);
    assert_int_equal(sum.totals.activities, 40);
    import_summary_release(&sum);
    run_import(f, "in", &sum);
    assert_int_equal(sum.imported, 0);
    assert_int_equal(sum.duplicates, 41);
    import_summary_release(&sum);
}

/* Another import made the log between the look and the open: the files it
 * holds are found by the writer, not stored twice. */
static void test_import__new_log_made_meanwhile_gets_no_copies(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    put_runs(f, "in", 30);
    run_import(f, "in", &sum);
    assert_int_equal(sum.imported, 30);
    import_summary_release(&sum);
    put(f, "in/new.fit", "RCTEST start=1500000000 ch=hr n=50");
    assert_int_equal(import_two_steps(f, "in", f->s, &sum), 0);
    assert_int_equal(sum.imported, 1);
    assert_int_equal(sum.duplicates, 30);
    assert_int_equal(sum.totals.activities, 31);
    import_summary_release(&sum);
}

/* The log could not be opened: the threads stop, even with more files
 * than the queues hold, and nothing is stored. */
static void test_import__new_log_not_opened_stops_the_threads(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct store_totals t;
    struct rc_err err = RC_ERR_INIT;
    put_runs(f, "in", IMPORT_OUT_ITEMS + 100);
    assert_int_equal(import_two_steps(f, "in", NULL, &sum), 0);
    assert_int_equal(sum.files, 0);
    assert_int_equal(store_totals(f->s, &t, &err), 0);
    assert_int_equal(t.activities, 0);
}

static void test_import__same_bytes_twice_in_one_run(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    for (int i = 0; i < 20; i++) {
        char name[64];
        snprintf(name, sizeof(name), "in/copy%02d.fit", i);
        put(f, name, "RCTEST start=1600000000 ch=hr n=500");
    }
    run_import(f, "in", &sum);
    assert_int_equal(sum.imported, 1);
    assert_int_equal(sum.duplicates, 19);
    assert_int_equal(sum.totals.activities, 1);
    import_summary_release(&sum);
}

static void test_import__richer_recording_wins_either_order(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct store_filter flt;
    struct store_activity *v;
    struct rc_err err = RC_ERR_INIT;
    size_t n;

    /* phone GPX first, then the watch's FIT with heart rate 60 s later */
    put(f, "p/phone.gpx", "RCTEST start=1600000000 dur=3600 format=gpx "
                          "ch=pos");
    run_import(f, "p", &sum);
    assert_int_equal(sum.imported, 1);
    import_summary_release(&sum);
    put(f, "w/watch.fit", "RCTEST start=1600000060 dur=3600 ch=pos,hr");
    run_import(f, "w", &sum);
    assert_int_equal(sum.imported, 1); /* it stands; the GPX steps aside */
    assert_int_equal(sum.duplicates, 1);
    assert_int_equal(sum.activities, 0);
    import_summary_release(&sum);
    store_filter_init(&flt);
    assert_int_equal(store_list_activities(f->s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].format, "fit");
    free(v);
    /* a second, poorer copy afterwards is the duplicate */
    put(f, "x/other.tcx", "RCTEST start=1600000030 dur=3600 format=tcx "
                          "ch=pos");
    run_import(f, "x", &sum);
    assert_int_equal(sum.imported, 0);
    assert_int_equal(sum.duplicates, 1);
    import_summary_release(&sum);
    flt.duplicates = true;
    assert_int_equal(store_list_activities(f->s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 3);
    free(v);
}

static void test_import__runs_121_s_apart_are_two(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    put(f, "in/a.fit", "RCTEST start=1600000000 dur=36000 ch=hr");
    put(f, "in/b.fit", "RCTEST start=1600000121 dur=36000 ch=pos");
    put(f, "in/c.fit", "RCTEST start=1600100000 dur=36000 ch=hr");
    put(f, "in/d.fit", "RCTEST start=1600100120 dur=36000 ch=pos");
    run_import(f, "in", &sum);
    assert_int_equal(sum.activities, 3);
    assert_int_equal(sum.duplicates, 1);
    assert_int_equal(sum.totals.activities, 3);
    import_summary_release(&sum);
}

/* ---- archives ---- */

static void test_import__strava_zip_names_types_and_shoes(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct rc_buf gz1, gz2;
    struct store_filter flt;
    struct store_activity *v;
    struct store_shoe sh;
    struct rc_err err = RC_ERR_INIT;
    char path[1024], *desc, *notes;
    size_t n;
    const char *a1 = "RCTEST start=1600000000 ch=hr";
    const char *a2 = "RCTEST start=1600100000 ch=hr sport=generic";
    const char *a3 = "RCTEST start=1600200000 format=gpx ch=pos";
    const char *csv =
        "Activity ID,Activity Date,Activity Name,Activity Type,"
        "Activity Description,Elapsed Time,Distance,Activity Gear,"
        "Filename,Distance\r\n"
        "1,\"Sep 13, 2020\",Morning Run,Run,\"Easy, with \"\"strides\"\"\nand "
        "a hill\",3600,10.0,Pegasus 37,activities/1.fit.gz,10000\r\n"
        "2,\"Sep 14, 2020\",Track,Run,,3600,10.0,Pegasus 37,"
        "activities/2.fit.gz,10000\r\n"
        "3,\"Sep 15, 2020\",Commute,Ride,,3600,10.0,Bike,activities/3.gpx,0\r\n"
        "4,\"Sep 16, 2020\",Treadmill,Run,,1800,5.0,,,5000\r\n";
    test_gzip(a1, strlen(a1), &gz1);
    test_gzip(a2, strlen(a2), &gz2);
    {
        struct test_member m[] = {
            { "activities.csv", csv, strlen(csv) },
            { "activities/1.fit.gz", gz1.data, gz1.len },
            { "activities/2.fit.gz", gz2.data, gz2.len },
            { "activities/3.gpx", a3, strlen(a3) },
            { "profile.csv", "x", 1 },
        };
        snprintf(path, sizeof(path), "%s/export_1234.zip", f->dir);
        test_zip_write(path, m, RC_ARRAY_SIZE(m));
    }
    rc_buf_release(&gz1);
    rc_buf_release(&gz2);
    run_import(f, "export_1234.zip", &sum);
    assert_int_equal(sum.imported, 3);
    assert_int_equal(sum.skipped, 1);
    assert_int_equal(sum.strava_rows, 3);
    import_summary_release(&sum);
    store_filter_init(&flt);
    assert_int_equal(store_list_activities(f->s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].act.name, "Morning Run");
    assert_string_equal(v[0].shoe, "Pegasus 37");
    assert_string_equal(v[1].act.sport, "running"); /* from "Run" */
    assert_string_equal(v[2].act.sport, "cycling");
    assert_string_equal(v[2].shoe, ""); /* a bike is not a shoe */
    assert_int_equal(store_get_texts(f->s, v[0].id, &desc, &notes, &err), 0);
    assert_string_equal(desc, "Easy, with \"strides\"\nand a hill");
    free(desc);
    free(notes);
    free(v);
    assert_int_equal(store_shoe_get(f->s, "Pegasus 37", &sh, &err), 0);
    assert_int_equal(sh.runs, 2);
    assert_int_equal(store_shoe_get(f->s, "Bike", &sh, &err), -1);
    /* the same export again: nothing added, the names stay */
    run_import(f, "export_1234.zip", &sum);
    assert_int_equal(sum.imported, 0);
    assert_int_equal(sum.duplicates, 3);
    assert_int_equal(sum.totals.activities, 3);
    import_summary_release(&sum);
}

static void test_import__strava_folder_layout(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct store_filter flt;
    struct store_activity *v;
    struct rc_err err = RC_ERR_INIT;
    size_t n;
    put(f, "export/activities.csv",
        "Activity ID,Activity Name,Activity Type,Filename\n"
        "9,Long Run,Trail Run,activities/9.tcx\n");
    put(f, "export/activities/9.tcx",
        "RCTEST start=1600000000 format=tcx ch=pos");
    run_import(f, "export", &sum);
    assert_int_equal(sum.strava_rows, 1);
    import_summary_release(&sum);
    store_filter_init(&flt);
    assert_int_equal(store_list_activities(f->s, &flt, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].act.name, "Long Run");
    assert_string_equal(v[0].act.sub_sport, "trail");
    free(v);
}

static void test_import__garmin_export_nested_zips(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct rc_buf inner1, inner2;
    char path[1024];
    const char *a = "RCTEST start=1600000000 ch=hr";
    const char *b = "RCTEST start=1600100000 ch=hr";
    const char *c = "RCTEST start=1600200000 ch=hr";
    struct test_member in1[] = { { "1000_ACTIVITY.fit", a, strlen(a) },
                                 { "2000_ACTIVITY.fit", b, strlen(b) } };
    struct test_member in2[] = { { "3000_ACTIVITY.FIT", c, strlen(c) },
                                 { "settings.fit", "RCTEST-NOTACT", 13 } };
    test_zip_memory(in1, 2, &inner1);
    test_zip_memory(in2, 2, &inner2);
    {
        struct test_member m[] = {
            { "DI_CONNECT/DI-Connect-Fitness/x_summarizedActivities.json",
              "[]", 2 },
            { "DI_CONNECT/DI-Connect-Uploaded-Files/"
              "UploadedFiles_0-_Part1.zip", inner1.data, inner1.len },
            { "DI_CONNECT/DI-Connect-Uploaded-Files/"
              "UploadedFiles_0-_Part2.zip", inner2.data, inner2.len },
        };
        snprintf(path, sizeof(path), "%s/garmin.zip", f->dir);
        test_zip_write(path, m, RC_ARRAY_SIZE(m));
    }
    rc_buf_release(&inner1);
    rc_buf_release(&inner2);
    run_import(f, "garmin.zip", &sum);
    assert_int_equal(sum.imported, 3);
    assert_int_equal(sum.not_activities, 1);
    assert_int_equal(sum.skipped, 1);
    assert_int_equal(sum.failed, 0);
    import_summary_release(&sum);
}

/* ---- bad input: each fails alone, the rest imports ---- */

static void test_import__bad_members_fail_alone(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct rc_buf bomb_gz;
    char path[1024];
    const char *good = "RCTEST start=1600000000 ch=hr";
    size_t big = IMPORT_MAX_FILE_BYTES + 1;
    unsigned char *zeros = calloc(1, big);
    assert_non_null(zeros);
    test_gzip(zeros, big, &bomb_gz);
    free(zeros);
    {
        struct test_member m[] = {
            { "../../etc/evil.fit", good, strlen(good) },
            { "/abs/evil.fit", good, strlen(good) },
            { "bomb.fit.gz", bomb_gz.data, bomb_gz.len },
            { "junk.fit", "garbage", 7 },
            { "good.fit", good, strlen(good) },
        };
        snprintf(path, sizeof(path), "%s/bad.zip", f->dir);
        test_zip_write(path, m, RC_ARRAY_SIZE(m));
    }
    rc_buf_release(&bomb_gz);
    run_import(f, "bad.zip", &sum);
    assert_int_equal(sum.imported, 1);
    assert_int_equal(sum.failed, 4);
    assert_true(has_failure(&sum, "bad.zip:../../etc/evil.fit",
                            "leaves the archive"));
    assert_true(has_failure(&sum, "bad.zip:/abs/evil.fit",
                            "leaves the archive"));
    assert_true(has_failure(&sum, "bad.zip:bomb.fit.gz", "gzip bomb"));
    assert_true(has_failure(&sum, "bad.zip:junk.fit",
                            "offset 0: not a test activity"));
    import_summary_release(&sum);
}

static void test_import__zip_bomb_declared_size(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    char path[1024];
    size_t big = IMPORT_MAX_FILE_BYTES + 1;
    unsigned char *zeros = calloc(1, big);
    const char *good = "RCTEST start=1600000000 ch=hr";
    assert_non_null(zeros);
    {
        struct test_member m[] = { { "big.fit", zeros, big },
                                   { "good.fit", good, strlen(good) } };
        snprintf(path, sizeof(path), "%s/bomb.zip", f->dir);
        test_zip_write(path, m, 2);
    }
    free(zeros);
    run_import(f, "bomb.zip", &sum);
    assert_int_equal(sum.imported, 1);
    assert_true(has_failure(&sum, "bomb.zip:big.fit", "zip bomb"));
    import_summary_release(&sum);
}

static void test_import__corrupt_member_fails_alone(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct rc_buf zip;
    char path[1024], a[200], b[200];
    unsigned char *hit;
    snprintf(a, sizeof(a), "RCTEST start=1600000000 ch=hr %0150d", 0);
    snprintf(b, sizeof(b), "RCTEST start=1600100000 ch=hr %0150d", 1);
    {
        struct test_member m[] = { { "a.fit", a, strlen(a) },
                                   { "b.fit", b, strlen(b) } };
        test_zip_memory(m, 2, &zip);
    }
    /* damage the compressed data of a.fit: it follows the 30-byte local
     * header, the name and the extra field (lengths at bytes 26 and 28) */
    hit = zip.data + 30 + (zip.data[26] | zip.data[27] << 8) +
          (zip.data[28] | zip.data[29] << 8) + 10;
    for (int i = 0; i < 8; i++)
        hit[i] ^= 0x55;
    snprintf(path, sizeof(path), "%s/corrupt.zip", f->dir);
    test_write_file(path, zip.data, zip.len);
    rc_buf_release(&zip);
    run_import(f, "corrupt.zip", &sum);
    assert_true(sum.failed >= 1);
    assert_true(has_failure(&sum, "corrupt.zip:a.fit", "corrupt"));
    assert_int_equal(sum.imported, 1);
    import_summary_release(&sum);
}

static void test_import__not_a_zip_fails(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    put(f, "in/fake.zip", "this is not a zip at all");
    put(f, "in/good.fit", "RCTEST start=1600000000");
    run_import(f, "in", &sum);
    assert_int_equal(sum.imported, 1);
    assert_int_equal(sum.failed, 1);
    assert_true(has_failure(&sum, "in/fake.zip", "zip"));
    import_summary_release(&sum);
}

static void test_import__symlink_loops_fail_without_hanging(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    char link[1024], target[1024];
    put(f, "in/sub/good.fit", "RCTEST start=1600000000");
    snprintf(link, sizeof(link), "%s/in/sub/up", f->dir);
    snprintf(target, sizeof(target), "%s/in", f->dir);
    assert_int_equal(symlink(target, link), 0);
    snprintf(link, sizeof(link), "%s/in/self", f->dir);
    assert_int_equal(symlink(link, link), 0);
    run_import(f, "in", &sum);
    assert_int_equal(sum.imported, 1);
    assert_int_equal(sum.failed, 2);
    assert_true(has_failure(&sum, "in/sub/up", "symlink loop"));
    assert_true(has_failure(&sum, "in/self", "symlink loop"));
    import_summary_release(&sum);
}

static void test_import__missing_path_fails(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    run_import(f, "nothing-here.fit", &sum);
    assert_int_equal(sum.failed, 1);
    assert_true(has_failure(&sum, "nothing-here.fit",
                            "cannot open: No such file or directory"));
    import_summary_release(&sum);
}

static void test_import__bad_csv_names_its_line(void **state)
{
    struct strava_csv c;
    struct rc_err err = RC_ERR_INIT;
    const char *broken = "Filename,Activity Name\na.fit,ok\nb.fit,\"open\n";
    (void)state;
    assert_int_equal(
        import_strava_csv_parse(broken, strlen(broken), &c, &err), -1);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.msg, "quoted field is never closed");
    rc_err_clear(&err);
    assert_int_equal(import_strava_csv_parse("Name\nx\n", 7, &c, &err), -1);
    assert_int_equal(err.line, 1);
}

static void test_import__strava_manual_rows_have_date_time_distance(
    void **state)
{
    /* a newer export: Distance twice, the first in the runner's km, the
     * second in metres; Elapsed Time twice (the first wins) */
    const char *csv =
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed "
        "Time,Distance,Filename,Moving Time,Distance\n"
        "101,\"Nov 3, 2026, 5:30:12 PM\",Treadmill,Run,2700,8.02,,2640,"
        "\"8,020.5\"\n"
        "102,\"Jan 1, 2020, 12:05:00 AM\",Old,Run,60,x,a.fit,,\n";
    const char *old = "Activity ID,Activity Date,Filename,Distance\n"
                      "7,2023-05-01T06:00:00Z,,5.5\n";
    struct strava_csv c;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(import_strava_csv_parse(csv, strlen(csv), &c, &err), 0);
    assert_int_equal(c.nrows, 2);
    assert_string_equal(c.rows[0].id, "101");
    assert_string_equal(c.rows[0].filename, "");
    assert_true(c.rows[0].elapsed_s == 2700);
    assert_true(c.rows[0].moving_s == 2640);
    assert_true(c.rows[0].distance_m == 8020.5); /* the metres */
    assert_true(isnan(c.rows[1].distance_m));    /* empty */
    assert_true(isnan(c.rows[1].moving_s));
    /* Strava's dates are UTC, 12-hour */
    assert_true(import_strava_date(c.rows[0].date) == 1793727012.0);
    assert_true(import_strava_date(c.rows[1].date) == 1577837100.0);
    assert_true(isnan(import_strava_date("Feb 3, 2026, 13:00:00 PM")));
    assert_true(isnan(import_strava_date("Foo 3, 2026, 1:00:00 PM")));
    import_strava_csv_release(&c);
    /* a lone Distance column is km */
    assert_int_equal(import_strava_csv_parse(old, strlen(old), &c, &err), 0);
    assert_true(c.rows[0].distance_m == 5500);
    assert_true(import_strava_date(c.rows[0].date) == 1682920800.0);
    import_strava_csv_release(&c);
}

static void test_import__untouched_files_and_zips_are_known(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct rc_err err = RC_ERR_INIT;
    char path[1024];
    long n;
    const char *a = "RCTEST start=1600000000 ch=hr";
    const char *b = "RCTEST start=1600100000 ch=hr";
    struct test_member m[] = { { "a.fit", a, strlen(a) },
                               { "notes.txt", "x", 1 } };
    put(f, "in/a.fit", a);
    put(f, "in/b.fit", b);
    snprintf(path, sizeof(path), "%s/in/export.zip", f->dir);
    test_zip_write(path, m, 2);
    run_import(f, "in", &sum);
    assert_int_equal(sum.imported, 2);
    assert_int_equal(sum.duplicates, 1); /* a.fit in the zip */
    import_summary_release(&sum);
    /* again: the files by path, size and time, the zip whole */
    run_import(f, "in", &sum);
    assert_int_equal(sum.duplicates, 3);
    assert_int_equal(sum.skipped, 1); /* notes.txt, counted from the zip */
    assert_int_equal(sum.files, 4);
    assert_int_equal(store_import_count(f->s, sum.run, STORE_DUPLICATE, &n,
                                        &err), 0);
    assert_int_equal(n, 3); /* one log line for the whole zip */
    import_summary_release(&sum);
    /* a file changed on disk is read again: new content is imported */
    put(f, "in/b.fit", "RCTEST start=1600200000 ch=hr");
    run_import(f, "in", &sum);
    assert_int_equal(sum.imported, 1);
    assert_int_equal(sum.duplicates, 2);
    import_summary_release(&sum);
}

static void test_import__zip_with_a_failure_is_read_again(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    char path[1024];
    const char *a = "RCTEST start=1600000000 ch=hr";
    struct test_member m[] = { { "a.fit", a, strlen(a) },
                               { "bad.fit", "garbage", 7 } };
    snprintf(path, sizeof(path), "%s/x.zip", f->dir);
    test_zip_write(path, m, 2);
    run_import(f, "x.zip", &sum);
    assert_int_equal(sum.failed, 1);
    import_summary_release(&sum);
    run_import(f, "x.zip", &sum);
    assert_int_equal(sum.failed, 1); /* still said, not hidden */
    assert_int_equal(sum.duplicates, 1);
    import_summary_release(&sum);
}

/* Every allocation of the CSV parser failed in turn: an error each time,
 * nothing leaked (ASan's leak check in make check). */
static void test_import__csv_survives_each_failed_allocation(void **state)
{
    const char *csv = "Activity Name,Activity Type,Filename,Activity Gear\n"
                      "a,Run,activities/1.fit,x\nb,Ride,activities/2.fit,"
                      "\"y\"\"z\"\nc,Run,,\n";
    struct strava_csv c;
    struct rc_err err = RC_ERR_INIT;
    long count;
    (void)state;
    rc_alloc_fail_after(-1);
    assert_int_equal(import_strava_csv_parse(csv, strlen(csv), &c, &err), 0);
    count = rc_alloc_count();
    assert_int_equal(c.nrows, 3);
    assert_string_equal(c.rows[1].gear, "y\"z");
    import_strava_csv_release(&c);
    assert_true(count > 5);
    for (long k = 0; k < count; k++) {
        rc_err_clear(&err);
        rc_alloc_fail_after(k);
        assert_int_equal(
            import_strava_csv_parse(csv, strlen(csv), &c, &err), -1);
        assert_int_equal(err.status, RC_EENV);
    }
    rc_alloc_fail_after(-1);
}

static void test_import__gz_file_on_disk(void **state)
{
    struct test_db_fixture *f = *state;
    struct import_summary sum;
    struct rc_buf gz;
    char path[1024];
    const char *a = "RCTEST start=1600000000 ch=hr";
    test_gzip(a, strlen(a), &gz);
    snprintf(path, sizeof(path), "%s/run.fit.gz", f->dir);
    test_write_file(path, gz.data, gz.len - 3); /* cut off */
    run_import(f, "run.fit.gz", &sum);
    assert_int_equal(sum.failed, 1);
    assert_true(has_failure(&sum, "run.fit.gz", "gzip"));
    import_summary_release(&sum);
    test_write_file(path, gz.data, gz.len);
    rc_buf_release(&gz);
    run_import(f, "run.fit.gz", &sum);
    assert_int_equal(sum.imported, 1);
    import_summary_release(&sum);
}

int main(void)
{
#define T(name) \
    cmocka_unit_test_setup_teardown(name, test_db_setup, test_db_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import__same_run_start_within_120_s),
        cmocka_unit_test(
            test_import__strava_manual_rows_have_date_time_distance),
        cmocka_unit_test(test_import__same_run_needs_more_than_80_percent),
        cmocka_unit_test(test_import__same_run_needs_same_sport),
        cmocka_unit_test(test_import__richer_is_more_channels_then_fit),
        T(test_import__folder_then_again_adds_nothing),
        T(test_import__same_bytes_twice_in_one_run),
        T(test_import__new_log_is_filled_as_by_import_paths),
        T(test_import__new_log_made_meanwhile_gets_no_copies),
        T(test_import__new_log_not_opened_stops_the_threads),
        T(test_import__richer_recording_wins_either_order),
        T(test_import__runs_121_s_apart_are_two),
        T(test_import__strava_zip_names_types_and_shoes),
        T(test_import__strava_folder_layout),
        T(test_import__garmin_export_nested_zips),
        T(test_import__bad_members_fail_alone),
        T(test_import__zip_bomb_declared_size),
        T(test_import__corrupt_member_fails_alone),
        T(test_import__not_a_zip_fails),
        T(test_import__symlink_loops_fail_without_hanging),
        T(test_import__missing_path_fails),
        cmocka_unit_test(test_import__bad_csv_names_its_line),
        T(test_import__gz_file_on_disk),
        cmocka_unit_test(test_import__csv_survives_each_failed_allocation),
        T(test_import__untouched_files_and_zips_are_known),
        T(test_import__zip_with_a_failure_is_read_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
