/* test_fit_shared.c - the FIT decoder against the real files of
 * ../shared/data/activities, driven by MANIFEST.tsv: the counts in each
 * note (found by an independent walker, ../shared/bench/fitwalk.py) are
 * what the decoder must find. Skipped when the shared data is missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "testlib.h"
#include "decode/decode.h"
#include "fit/fit.h"

/* One FIT line of the manifest. */
struct entry {
    char file[256];   /* "fit/x.fit", relative to activities/ */
    char notes[2048];
};

struct manifest {
    struct entry *e;
    size_t n;
};

static bool is_fit_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && !strcasecmp(name + n - 4, ".fit");
}

static void manifest_load(const char *data, struct manifest *m)
{
    char path[1024];
    struct rc_buf b;
    char *line, *next;

    snprintf(path, sizeof(path), "%s/activities/MANIFEST.tsv", data);
    test_read_file(&b, path);
    m->e = NULL;
    m->n = 0;
    for (line = (char *)b.data; line && *line; line = next) {
        char *tab[7], *nl = strchr(line, '\n');
        int k = 0;
        next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        tab[k++] = line;
        for (char *c = line; *c && k < 7; c++)
            if (*c == '\t') {
                *c = '\0';
                tab[k++] = c + 1;
            }
        if (k < 7 || !is_fit_name(tab[0]))
            continue;
        m->e = realloc(m->e, (m->n + 1) * sizeof(*m->e));
        assert_non_null(m->e);
        snprintf(m->e[m->n].file, sizeof(m->e[0].file), "%s", tab[0]);
        snprintf(m->e[m->n].notes, sizeof(m->e[0].notes), "%s", tab[6]);
        m->n++;
    }
    rc_buf_release(&b);
    assert_true(m->n > 50);
}

/* The number just before `suffix` in the notes ("1391 record messages"),
 * or -1. */
static long count_before(const char *notes, const char *suffix)
{
    const char *s = strstr(notes, suffix);
    const char *d;
    if (!s || s == notes)
        return -1;
    d = s - 1;
    if (*d == ' ')
        d--;
    while (d > notes && d[-1] >= '0' && d[-1] <= '9')
        d--;
    if (*d < '0' || *d > '9')
        return -1;
    return strtol(d, NULL, 10);
}

/* The number just after `prefix` ("chained: 7 FIT files"), or -1. */
static long count_after(const char *notes, const char *prefix)
{
    const char *s = strstr(notes, prefix);
    if (!s)
        return -1;
    return strtol(s + strlen(prefix), NULL, 10);
}

static void read_entry(const char *data, const struct entry *e,
                       struct rc_buf *b)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/activities/%s", data, e->file);
    test_read_file(b, path);
}

static void test_fit_shared__valid_files_give_the_manifest_records(void **s)
{
    struct manifest m;
    size_t checked = 0;
    (void)s;
    TEST_SHARED_DATA_OR_SKIP(data);
    manifest_load(data, &m);
    for (size_t i = 0; i < m.n; i++) {
        const struct entry *e = &m.e[i];
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        struct rc_buf b;
        long want = count_before(e->notes, "record messages");
        size_t samples = 0;

        if (strncmp(e->file, "fit/", 4))
            continue;
        read_entry(data, e, &b);
        if (decode_buffer(b.data, b.len, 0, &f, &err) < 0)
            fail_msg("%s: offset %ld: %s", e->file, err.offset, err.msg);
        if (f.records != want)
            fail_msg("%s: %ld records, the manifest says %ld", e->file,
                     f.records, want);
        for (size_t k = 0; k < f.nacts; k++)
            samples += f.acts[k].nsamples;
        /* every record of an activity file is a sample of one activity */
        if (!strcmp(f.file_type, "activity") && samples != (size_t)want)
            fail_msg("%s: %zu samples for %ld records", e->file, samples,
                     want);
        assert_false(f.salvaged);
        activity_file_release(&f);
        rc_buf_release(&b);
        checked++;
    }
    assert_true(checked > 50);
    free(m.e);
}

/* Data messages, definitions, byte orders, compressed timestamps,
 * developer fields, parts and headers: as fitwalk.py counted them. */
static void test_fit_shared__framing_matches_the_manifest(void **s)
{
    struct manifest m;
    (void)s;
    TEST_SHARED_DATA_OR_SKIP(data);
    manifest_load(data, &m);
    for (size_t i = 0; i < m.n; i++) {
        const struct entry *e = &m.e[i];
        struct activity_file f;
        struct fit_info info;
        struct rc_err err = RC_ERR_INIT;
        struct rc_buf b;
        long v;
        const char *ft;

        if (strncmp(e->file, "fit/", 4))
            continue;
        read_entry(data, e, &b);
        if (fit_decode_info(b.data, b.len, 0, &f, &info, &err) < 0)
            fail_msg("%s: %s", e->file, err.msg);
        v = count_before(e->notes, "data messages");
        if (v >= 0 && info.messages != v)
            fail_msg("%s: %ld data messages, want %ld", e->file,
                     info.messages, v);
        v = count_after(e->notes, "big-endian definitions: ");
        if (v >= 0 && info.big_endian_definitions != v)
            fail_msg("%s: %ld big-endian definitions, want %ld", e->file,
                     info.big_endian_definitions, v);
        if (v < 0 && info.big_endian_definitions != 0)
            fail_msg("%s: big-endian definitions the notes do not list",
                     e->file);
        v = count_after(e->notes, "compressed timestamps: ");
        if (info.compressed_timestamps != (v < 0 ? 0 : v))
            fail_msg("%s: %ld compressed timestamps, want %ld", e->file,
                     info.compressed_timestamps, v);
        v = count_after(e->notes, "developer fields: ");
        if (info.dev_field_definitions != (v < 0 ? 0 : v))
            fail_msg("%s: %ld developer field definitions, want %ld",
                     e->file, info.dev_field_definitions, v);
        v = count_after(e->notes, "chained: ");
        if ((long)info.nparts != (v < 0 ? 1 : v))
            fail_msg("%s: %u parts, want %ld", e->file, info.nparts, v);
        if (strstr(e->notes, "12-byte header"))
            assert_int_equal(info.parts[0].header_size, 12);
        if (strstr(e->notes, "header CRC 0x0000"))
            assert_int_equal(info.parts[0].header_crc, FIT_HEADER_CRC_ZERO);
        ft = strstr(e->notes, "file type: ");
        if (ft) {
            char want[32], got[40];
            size_t n = strcspn(ft + 11, ";");
            snprintf(want, sizeof(want), "%.*s", (int)n, ft + 11);
            if (want[0] >= '0' && want[0] <= '9')
                snprintf(got, sizeof(got), "type_%s", want);
            else
                snprintf(got, sizeof(got), "%s", want);
            if (strcmp(f.file_type, got))
                fail_msg("%s: file type %s, want %s", e->file, f.file_type,
                         got);
        }
        activity_file_release(&f);
        rc_buf_release(&b);
    }
    free(m.e);
}

/* The manufacturer named in "device: NAME ..." is the one we name. */
static void test_fit_shared__manufacturer_names_match(void **s)
{
    struct manifest m;
    size_t checked = 0;
    (void)s;
    TEST_SHARED_DATA_OR_SKIP(data);
    manifest_load(data, &m);
    for (size_t i = 0; i < m.n; i++) {
        const struct entry *e = &m.e[i];
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        struct rc_buf b;
        const char *dev = strstr(e->notes, "device: ");
        char want[48];

        if (strncmp(e->file, "fit/", 4) || !dev)
            continue;
        snprintf(want, sizeof(want), "%.*s", (int)strcspn(dev + 8, " ;"),
                 dev + 8);
        if (!strcmp(want, "manufacturer"))
            snprintf(want, sizeof(want), "manufacturer_%ld",
                     count_after(e->notes, "device: manufacturer "));
        read_entry(data, e, &b);
        assert_int_equal(decode_buffer(b.data, b.len, 0, &f, &err), 0);
        if (f.nacts) {
            if (strcmp(f.acts[0].device.manufacturer, want))
                fail_msg("%s: manufacturer %s, want %s", e->file,
                         f.acts[0].device.manufacturer, want);
            checked++;
        }
        activity_file_release(&f);
        rc_buf_release(&b);
    }
    assert_true(checked > 40);
    free(m.e);
}

/* Every offset the note gives ("offset N: ..."). */
static size_t note_offsets(const char *notes, long *out, size_t max)
{
    size_t n = 0;
    for (const char *s = strstr(notes, "offset "); s && n < max;
         s = strstr(s + 7, "offset "))
        if (s[7] >= '0' && s[7] <= '9')
            out[n++] = strtol(s + 7, NULL, 10);
    return n;
}

static void test_fit_shared__invalid_files_fail_at_a_manifest_offset(void **s)
{
    struct manifest m;
    size_t checked = 0;
    (void)s;
    TEST_SHARED_DATA_OR_SKIP(data);
    manifest_load(data, &m);
    for (size_t i = 0; i < m.n; i++) {
        const struct entry *e = &m.e[i];
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        struct rc_buf b;
        long offs[8];
        size_t n = note_offsets(e->notes, offs, 8), k;

        if (strncmp(e->file, "invalid/", 8))
            continue;
        assert_true(n > 0);
        read_entry(data, e, &b);
        if (decode_buffer(b.data, b.len, 0, &f, &err) == 0)
            fail_msg("%s: decoded, the manifest says invalid", e->file);
        assert_int_equal(err.status, RC_EINPUT);
        for (k = 0; k < n && offs[k] != err.offset; k++)
            ;
        if (k == n)
            fail_msg("%s: failed at offset %ld (%s), not at one the "
                     "manifest gives",
                     e->file, err.offset, err.msg);
        rc_buf_release(&b);
        checked++;
    }
    assert_int_equal(checked, 12);
    free(m.e);
}

/* Where the note counts records before the damage, --salvage keeps
 * exactly those and marks them; where it counts none, salvage fails. */
static void test_fit_shared__invalid_files_salvage_intact_records(void **s)
{
    struct manifest m;
    size_t salvaged = 0;
    (void)s;
    TEST_SHARED_DATA_OR_SKIP(data);
    manifest_load(data, &m);
    for (size_t i = 0; i < m.n; i++) {
        const struct entry *e = &m.e[i];
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        struct rc_buf b;
        long want = count_before(e->notes, "record messages");

        if (strncmp(e->file, "invalid/", 8))
            continue;
        read_entry(data, e, &b);
        if (want <= 0) {
            assert_int_equal(
                decode_buffer(b.data, b.len, ACTIVITY_SALVAGE, &f, &err), -1);
        } else {
            if (decode_buffer(b.data, b.len, ACTIVITY_SALVAGE, &f, &err) < 0)
                fail_msg("%s: not salvaged: %s", e->file, err.msg);
            if (f.records != want)
                fail_msg("%s: salvaged %ld records, the manifest says %ld",
                         e->file, f.records, want);
            assert_true(f.salvaged);
            assert_true(f.nacts > 0);
            for (size_t k = 0; k < f.nacts; k++)
                assert_true(f.acts[k].salvaged);
            activity_file_release(&f);
            salvaged++;
        }
        rc_buf_release(&b);
    }
    assert_int_equal(salvaged, 10);
    free(m.e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_shared__valid_files_give_the_manifest_records),
        cmocka_unit_test(test_fit_shared__framing_matches_the_manifest),
        cmocka_unit_test(test_fit_shared__manufacturer_names_match),
        cmocka_unit_test(
            test_fit_shared__invalid_files_fail_at_a_manifest_offset),
        cmocka_unit_test(
            test_fit_shared__invalid_files_salvage_intact_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
