/* test_import_shared.c - the whole of ../shared/data/activities (real
 * files from other people's devices) imported into one database and
 * counted against MANIFEST.tsv, then imported again with nothing added.
 *
 * What each file must become, from its MANIFEST notes: "INVALID..." fails
 * (three real exports that only strict XML parsers reject may instead be
 * imported: their notes say lenient importers accept them); "valid" with
 * "file type: activity", or no file type, and a TCX with an Activity, is
 * imported or a duplicate (the same bytes or the same run as another file);
 * any other FIT file type, a TCX course and a GPX without track points are
 * "not an activity" (or a duplicate of the same bytes); a GPX track may be
 * either (one without timestamps is not a workout). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/buf.h"
#include "import/import.h"
#include "store/store.h"
#include "testlib.h"

struct row {
    char file[256];
    enum { INVALID, LENIENT, ACTIVITY, OTHER, TRACK } want;
};

static size_t read_manifest(const char *data, struct row **out)
{
    struct rc_buf b;
    char path[1024];
    size_t n = 0, cap = 0;
    struct row *v = NULL;
    char *line, *save = NULL;
    snprintf(path, sizeof(path), "%s/activities/MANIFEST.tsv", data);
    test_read_file(&b, path);
    for (line = strtok_r((char *)b.data, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t'), *notes = line;
        struct row *r;
        if (!tab || !strncmp(line, "file\t", 5))
            continue;
        for (int i = 0; i < 6 && notes; i++) {
            notes = strchr(notes, '\t');
            if (notes)
                notes++;
        }
        assert_non_null(notes);
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            v = realloc(v, cap * sizeof(*v));
            assert_non_null(v);
        }
        r = &v[n++];
        {
            size_t k = (size_t)(tab - line);
            assert_true(k < sizeof(r->file));
            memcpy(r->file, line, k);
            r->file[k] = '\0';
        }
        if (strstr(notes, "INVALID"))
            r->want = strstr(notes, "INVALID XML") && strstr(notes, "real ") &&
                              strstr(notes, " export")
                          ? LENIENT : INVALID;
        else if (!strncmp(r->file, "gpx/", 4))
            r->want = strstr(notes, "; 0 trkpt") ? OTHER : TRACK;
        else if (!strncmp(r->file, "tcx/", 4))
            r->want = strstr(notes, " 0 Activity") ? OTHER : ACTIVITY;
        else if (!strstr(notes, "file type: ") ||
                 strstr(notes, "file type: activity"))
            r->want = ACTIVITY;
        else
            r->want = OTHER;
    }
    rc_buf_release(&b);
    *out = v;
    return n;
}

static void test_import_shared__manifest_then_nothing_added(void **state)
{
    char tmp[512], db[600], dir[1024];
    char *paths[1] = { dir };
    struct import_opts o = { 0 };
    struct import_summary sum;
    struct rc_err err = RC_ERR_INIT;
    struct store *s;
    struct row *rows;
    size_t n, counts[5] = { 0 };
    long first_total;
    int64_t run1;
    (void)state;
    TEST_SHARED_DATA_OR_SKIP(data);

    n = read_manifest(data, &rows);
    assert_true(n > 150);
    test_tmpdir(tmp, sizeof(tmp));
    snprintf(db, sizeof(db), "%s/runcare.db", tmp);
    snprintf(dir, sizeof(dir), "%s/activities", data);
    s = store_open(db, STORE_CREATE, &err);
    assert_non_null(s);
    assert_int_equal(import_paths(s, paths, 1, &o, &sum, &err), 0);
    run1 = sum.run;
    first_total = sum.totals.activities;
    assert_int_equal(store_check(s, &err), 0);
    /* MANIFEST.tsv and README.md are not activity files by name */
    assert_int_equal(sum.skipped, 2);
    assert_int_equal(sum.files, (long)n + 2);
    for (size_t i = 0; i < n; i++) {
        char path[1300];
        enum store_import_status st;
        bool ok;
        snprintf(path, sizeof(path), "%s/%s", dir, rows[i].file);
        assert_int_equal(store_import_status(s, run1, path, &st, &err), 1);
        switch (rows[i].want) {
        case INVALID: ok = st == STORE_FAILED; break;
        case LENIENT: ok = st == STORE_FAILED || st == STORE_IMPORTED; break;
        case ACTIVITY: ok = st == STORE_IMPORTED || st == STORE_DUPLICATE; break;
        case TRACK:
            ok = st == STORE_IMPORTED || st == STORE_DUPLICATE ||
                 st == STORE_NOT_ACTIVITY;
            break;
        default: ok = st == STORE_NOT_ACTIVITY || st == STORE_DUPLICATE; break;
        }
        /* well-formed, but every point is dated 1901-12-13 (a clock
         * never set): refused unless --salvage, never stored as 1901 */
        if (!strcmp(rows[i].file, "gpx/gpxpy__Mojstrovka.gpx"))
            ok = st == STORE_FAILED;
        if (!ok)
            fail_msg("%s: %s, MANIFEST says otherwise", rows[i].file,
                     store_import_status_name(st));
        counts[rows[i].want]++;
    }
    print_message("MANIFEST: %zu invalid, %zu lenient, %zu activity files, "
                  "%zu others, %zu GPX tracks; imported %ld files, %ld "
                  "activities\n",
                  counts[INVALID], counts[LENIENT], counts[ACTIVITY],
                  counts[OTHER], counts[TRACK], sum.imported,
                  sum.totals.activities);
    assert_true(sum.failed >= (long)counts[INVALID]);
    assert_true(sum.failed <= (long)(counts[INVALID] + counts[LENIENT]));
    assert_true(sum.not_activities >= (long)counts[OTHER] - sum.duplicates);
    assert_true(sum.not_activities <= (long)(counts[OTHER] + counts[TRACK]));
    import_summary_release(&sum);

    /* again: nothing added, every file that was stored is a duplicate */
    assert_int_equal(import_paths(s, paths, 1, &o, &sum, &err), 0);
    assert_int_equal(sum.imported, 0);
    assert_int_equal(sum.activities, 0);
    assert_int_equal(sum.totals.activities, first_total);
    assert_int_equal(sum.duplicates + sum.failed + sum.skipped, (long)n + 2);
    assert_int_equal(store_check(s, &err), 0);
    import_summary_release(&sum);
    store_close(s);
    free(rows);
    test_tmpdir_remove(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_shared__manifest_then_nothing_added),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
