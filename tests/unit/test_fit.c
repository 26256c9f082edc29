/* test_fit.c - the FIT decoder, one behaviour per test, on files runcare
 * writes itself: the encoder for whole activities, the low-level writer
 * (fit_int.h) for the odd and broken files real devices produce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "testlib.h"
#include "fitgen.h"
#include "decode/decode.h"
#include "fit/fit.h"
#include "fit/fit_int.h"

#define T0 (1550384804u - 631065600u) /* FITGEN_START in FIT seconds */

/* ---- helpers ---- */

struct hand {
    struct rc_buf b;
    struct rc_err err;
    struct fit_w w;
};

/* Start a hand-made file: 14-byte header and a file_id of type `type`. */
static void hand_begin(struct hand *h, uint8_t type)
{
    static const struct fit_w_field file_id[] = {
        { FIT_FILE_ID_TYPE, 1, FIT_BASE_BYTE(FIT_ENUM) },
        { FIT_FILE_ID_MANUFACTURER, 2, FIT_BASE_BYTE(FIT_UINT16) },
    };
    rc_buf_init(&h->b, 1 << 20);
    rc_err_clear(&h->err);
    fit_w_init(&h->w, &h->b, &h->err);
    fit_w_begin(&h->w, 14, 0x20, 2132, false);
    fit_w_def(&h->w, 0, FIT_MESG_FILE_ID, false, file_id, 2, NULL, 0);
    fit_w_data(&h->w, 0);
    fit_w_u8(&h->w, type);
    fit_w_u16(&h->w, 1);
}

static void hand_end(struct hand *h)
{
    assert_int_equal(fit_w_end(&h->w), 0);
}

/* Define local type `local` as a record with a timestamp and one field. */
static void def_record_one(struct hand *h, unsigned local, bool big,
                           uint8_t num, uint8_t size, uint8_t base)
{
    const struct fit_w_field f[] = {
        { FIT_FIELD_TIMESTAMP, 4, FIT_BASE_BYTE(FIT_UINT32) },
        { num, size, base },
    };
    fit_w_def(&h->w, local, FIT_MESG_RECORD, big, f, 2, NULL, 0);
}

static int decode(const struct hand *h, unsigned flags,
                  struct activity_file *f, struct rc_err *err)
{
    return fit_decode(h->b.data, h->b.len, flags, f, err);
}

static void expect_fail(const unsigned char *p, size_t n, long offset,
                        const char *text)
{
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    assert_int_equal(fit_decode(p, n, 0, &f, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    if (err.offset != offset || !strstr(err.msg, text))
        fail_msg("want offset %ld \"%s\", got offset %ld \"%s\"", offset,
                 text, err.offset, err.msg);
}

/* ---- headers and CRCs ---- */

static void test_fit__empty_input_fails_at_offset_0(void **state)
{
    (void)state;
    expect_fail((const unsigned char *)"", 0, 0, "empty file");
}

static void test_fit__short_file_fails_at_offset_0(void **state)
{
    const unsigned char five[] = { 14, 0x20, 0, 0, 0 };
    (void)state;
    expect_fail(five, sizeof(five), 0, "too short for a FIT header");
}

static void test_fit__header_size_below_12_fails(void **state)
{
    unsigned char h[14] = { 11, 0x20, 0, 0, 1, 0, 0, 0, '.', 'F', 'I', 'T' };
    (void)state;
    expect_fail(h, sizeof(h), 0, "header size 11 is less than 12");
}

static void test_fit__bad_signature_fails_at_offset_8(void **state)
{
    struct activity a;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 3, FITGEN_START);
    fitgen_encode(&a, 0, 0, &b);
    b.data[9] = 'G';
    expect_fail(b.data, b.len, 8, "signature \".GIT\" is not \".FIT\"");
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__data_size_zero_fails_after_header(void **state)
{
    struct activity a;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 3, FITGEN_START);
    fitgen_encode(&a, FIT_WRITE_HEADER_12, 0, &b);
    memset(b.data + 4, 0, 4);
    expect_fail(b.data, b.len, 12, "data size of 0");
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__header_crc_zero_is_accepted(void **state)
{
    struct activity a;
    struct activity_file f;
    struct fit_info info;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 3, FITGEN_START);
    fitgen_encode(&a, FIT_WRITE_HEADER_CRC_ZERO, 0, &b);
    fitgen_decode_ok(&b, 0, &f, &info);
    assert_int_equal(info.parts[0].header_crc, FIT_HEADER_CRC_ZERO);
    assert_false(f.salvaged);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__bad_header_crc_fails_at_offset_12(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 3, FITGEN_START);
    fitgen_encode(&a, 0, 0, &b);
    b.data[12] ^= 0x5A;
    expect_fail(b.data, b.len, 12, "header CRC");
    /* salvage: the header CRC guards the header only; records intact */
    assert_int_equal(fit_decode(b.data, b.len, ACTIVITY_SALVAGE, &f, &err), 0);
    assert_true(f.salvaged && f.acts[0].salvaged);
    assert_int_equal(f.acts[0].nsamples, 3);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__bad_file_crc_is_refused_then_salvaged(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 20, FITGEN_START);
    fitgen_encode(&a, 0, 0, &b);
    fitgen_flip_crc(&b);
    assert_int_equal(fit_decode(b.data, b.len, 0, &f, &err), -1);
    assert_int_equal(err.offset, (long)b.len - 2);
    assert_non_null(strstr(err.msg, "file CRC"));
    assert_non_null(strstr(err.msg, "--salvage keeps the 20 complete "
                                    "records"));
    rc_err_clear(&err);
    assert_int_equal(fit_decode(b.data, b.len, ACTIVITY_SALVAGE, &f, &err), 0);
    assert_true(f.salvaged);
    assert_int_equal(f.records, 20);
    assert_true(f.acts[0].salvaged);
    assert_int_equal(f.acts[0].nsamples, 20);
    assert_true(f.nwarnings >= 1);
    assert_non_null(strstr(f.warnings[0], "salvaged: offset"));
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

/* A file cut at any point: refused at the header's data size with the
 * salvage hint; salvaged, it keeps exactly the complete records before
 * the cut, equal to the originals. */
static void test_fit__cut_file_salvages_complete_records(void **state)
{
    struct activity a;
    struct rc_buf b;
    long prev = 0;
    (void)state;
    fitgen_run(&a, 100, FITGEN_START);
    fitgen_encode(&a, FIT_WRITE_NO_SUMMARY, 0, &b);
    for (size_t cut = 200; cut <= b.len - 2; cut += cut + 37 < b.len - 3
                                                     ? 37
                                                     : 1) {
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        assert_int_equal(fit_decode(b.data, cut, 0, &f, &err), -1);
        assert_int_equal(err.offset, 4);
        assert_non_null(strstr(err.msg, "cut off"));
        rc_err_clear(&err);
        if (fit_decode(b.data, cut, ACTIVITY_SALVAGE, &f, &err) < 0) {
            /* cut before the first record: nothing to keep */
            assert_int_equal(prev, 0);
            assert_int_equal(err.offset, 4);
            continue;
        }
        assert_true(f.records > 0);
        assert_true(f.records >= prev);
        prev = f.records;
        assert_int_equal(f.acts[0].nsamples, (size_t)f.records);
        for (long i = 0; i < f.records; i++)
            fitgen_assert_same_sample(&a.samples[i], &f.acts[0].samples[i]);
        /* no session: totals were computed and say so */
        assert_true(f.acts[0].computed & ACTIVITY_C_DISTANCE);
        activity_file_release(&f);
    }
    /* the last cut leaves all data but the CRC: every record */
    assert_int_equal(prev, 100);
    {
        /* half a CRC: the data is whole, every record is kept */
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        assert_int_equal(fit_decode(b.data, b.len - 1, ACTIVITY_SALVAGE, &f,
                                    &err),
                         0);
        assert_int_equal(f.records, 100);
        assert_int_equal(f.nwarnings, 1); /* the salvage, nothing else */
        activity_file_release(&f);
    }
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__message_cut_by_data_size_names_it(void **state)
{
    struct hand h;
    struct activity_file f;
    (void)state;
    hand_begin(&h, 4);
    def_record_one(&h, 1, false, FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8));
    fit_w_data(&h.w, 1);
    fit_w_u32(&h.w, T0);
    fit_w_u8(&h.w, 150);
    fit_w_data(&h.w, 1);
    fit_w_u32(&h.w, T0 + 1); /* its heart rate byte is missing */
    hand_end(&h);
    /* the message starts 5 bytes before the CRC; its content 4 */
    expect_fail(h.b.data, h.b.len, (long)h.b.len - 6,
                "data message (record, global 20) needs 5 bytes, only 4");
    rc_err_clear(&h.err);
    assert_int_equal(decode(&h, ACTIVITY_SALVAGE, &f, &h.err), 0);
    assert_int_equal(f.records, 1);
    activity_file_release(&f);
    rc_buf_release(&h.b);
}

static void test_fit__garbage_after_file_fails(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf b;
    size_t len;
    (void)state;
    fitgen_run(&a, 5, FITGEN_START);
    fitgen_encode(&a, 0, 0, &b);
    len = b.len;
    assert_int_equal(rc_buf_append(&b, "garbage!", 8, &err), 0);
    expect_fail(b.data, b.len, (long)len, "8 bytes of garbage");
    assert_int_equal(fit_decode(b.data, b.len, ACTIVITY_SALVAGE, &f, &err), 0);
    assert_true(f.salvaged);
    assert_int_equal(f.records, 5);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__trailing_zero_bytes_are_ignored(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf b;
    const unsigned char zeros[40] = { 0 };
    (void)state;
    fitgen_run(&a, 5, FITGEN_START);
    fitgen_encode(&a, 0, 0, &b);
    assert_int_equal(rc_buf_append(&b, zeros, sizeof(zeros), &err), 0);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_false(f.salvaged);
    assert_int_equal(f.nwarnings, 1);
    assert_non_null(strstr(f.warnings[0], "40 zero bytes"));
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

/* ---- chained files ---- */

static void test_fit__chained_parts_each_checked(void **state)
{
    struct activity a;
    struct activity_file f;
    struct fit_info info;
    struct rc_buf b;
    size_t end1;
    (void)state;
    fitgen_run(&a, 30, FITGEN_START);
    fitgen_encode(&a, 0, 3, &b);
    fitgen_decode_ok(&b, 0, &f, &info);
    assert_int_equal(info.nparts, 3);
    assert_int_equal(f.records, 30);
    activity_file_release(&f);
    /* break the CRC of the first part only */
    end1 = (size_t)info.parts[1].offset;
    b.data[end1 - 1] ^= 0x80;
    expect_fail(b.data, b.len, (long)end1 - 2, "file CRC");
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__chained_bad_second_header_fails(void **state)
{
    struct activity a;
    struct activity_file f;
    struct fit_info info;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 30, FITGEN_START);
    fitgen_encode(&a, FIT_WRITE_HEADER_12, 2, &b);
    fitgen_decode_ok(&b, 0, &f, &info);
    activity_file_release(&f);
    b.data[info.parts[1].offset + 8] = 'X';
    expect_fail(b.data, b.len, info.parts[1].offset + 8,
                "signature \"XFIT\"");
    activity_release(&a);
    rc_buf_release(&b);
}

/* ---- records, definitions, values ---- */

static void test_fit__undefined_local_type_fails_at_its_header(void **state)
{
    struct hand h;
    size_t at;
    (void)state;
    hand_begin(&h, 4);
    at = h.b.len;
    fit_w_data(&h.w, 7);
    fit_w_u32(&h.w, T0);
    hand_end(&h);
    expect_fail(h.b.data, h.b.len, (long)at,
                "data message for undefined local type 7");
    rc_buf_release(&h.b);
}

static void test_fit__compressed_header_for_undefined_type_fails(void **s)
{
    struct hand h;
    size_t at;
    (void)s;
    hand_begin(&h, 4);
    at = h.b.len;
    fit_w_data_compressed(&h.w, 2, 5);
    hand_end(&h);
    expect_fail(h.b.data, h.b.len, (long)at,
                "compressed-timestamp data message for undefined local "
                "type 2");
    rc_buf_release(&h.b);
}

static void test_fit__bad_architecture_byte_fails_at_it(void **state)
{
    struct hand h;
    size_t at;
    (void)state;
    hand_begin(&h, 4);
    def_record_one(&h, 1, false, FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8));
    at = h.b.len;
    def_record_one(&h, 2, false, FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8));
    h.b.data[at + 2] = 229;
    hand_end(&h);
    expect_fail(h.b.data, h.b.len, (long)at + 2,
                "architecture byte 229 is neither 0");
    rc_buf_release(&h.b);
}

static void test_fit__truncated_definition_fails(void **state)
{
    struct hand h;
    size_t at;
    (void)state;
    hand_begin(&h, 4);
    at = h.b.len;
    fit_w_u8(&h.w, 0x41); /* definition of local 1 ... */
    fit_w_u8(&h.w, 0);    /* ... with only 2 of its 5 bytes */
    fit_w_u8(&h.w, 0);
    hand_end(&h);
    expect_fail(h.b.data, h.b.len, (long)at + 1,
                "truncated definition message");
    rc_buf_release(&h.b);
}

static void test_fit__unknown_messages_and_fields_are_skipped(void **s)
{
    struct hand h;
    struct activity_file f;
    const struct fit_w_field odd[] = {
        { 0, 4, FIT_BASE_BYTE(FIT_UINT32) },
        { 9, 7, FIT_BASE_BYTE(FIT_STRING) },
    };
    const struct fit_w_field rec[] = {
        { FIT_FIELD_TIMESTAMP, 4, FIT_BASE_BYTE(FIT_UINT32) },
        { 200, 2, FIT_BASE_BYTE(FIT_UINT16) }, /* unknown field */
        { FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8) },
        { 201, 1, 0x1F }, /* unknown base type */
    };
    (void)s;
    hand_begin(&h, 4);
    fit_w_def(&h.w, 3, 9999, true, odd, 2, NULL, 0);
    fit_w_data(&h.w, 3);
    fit_w_u32(&h.w, 1);
    fit_w_str(&h.w, "hello", 7);
    fit_w_def(&h.w, 4, FIT_MESG_RECORD, false, rec, 4, NULL, 0);
    fit_w_data(&h.w, 4);
    fit_w_u32(&h.w, T0);
    fit_w_u16(&h.w, 77);
    fit_w_u8(&h.w, 151);
    fit_w_u8(&h.w, 9);
    hand_end(&h);
    assert_int_equal(decode(&h, 0, &f, &h.err), 0);
    assert_int_equal(f.records, 1);
    assert_true(f.acts[0].samples[0].hr_bpm == 151);
    assert_true(f.acts[0].samples[0].time_s == FITGEN_START);
    activity_file_release(&f);
    rc_buf_release(&h.b);
}

/* One base type at a time: the invalid sentinel reads as missing, the
 * value 100 as 100, in both byte orders. */
static void test_fit__invalid_sentinel_of_every_base_type(void **state)
{
    static const struct {
        enum fit_base base;
        uint64_t invalid;
    } types[] = {
        { FIT_ENUM, 0xFF },
        { FIT_SINT8, 0x7F },
        { FIT_UINT8, 0xFF },
        { FIT_SINT16, 0x7FFF },
        { FIT_UINT16, 0xFFFF },
        { FIT_SINT32, 0x7FFFFFFF },
        { FIT_UINT32, 0xFFFFFFFF },
        { FIT_FLOAT32, 0xFFFFFFFF },
        { FIT_FLOAT64, UINT64_MAX },
        { FIT_UINT8Z, 0 },
        { FIT_UINT16Z, 0 },
        { FIT_UINT32Z, 0 },
        { FIT_SINT64, 0x7FFFFFFFFFFFFFFF },
        { FIT_UINT64, UINT64_MAX },
        { FIT_UINT64Z, 0 },
    };
    (void)state;
    for (size_t i = 0; i < RC_ARRAY_SIZE(types); i++)
        for (int big = 0; big < 2; big++) {
            struct hand h;
            struct activity_file f;
            unsigned size = fit_base_size[types[i].base];
            uint64_t hundred = 100;
            if (types[i].base == FIT_FLOAT32) {
                float x = 100;
                uint32_t u;
                memcpy(&u, &x, 4);
                hundred = u;
            } else if (types[i].base == FIT_FLOAT64) {
                double x = 100;
                memcpy(&hundred, &x, 8);
            }
            hand_begin(&h, 4);
            def_record_one(&h, 1, big, FIT_RECORD_HR, (uint8_t)size,
                           FIT_BASE_BYTE(types[i].base));
            for (int k = 0; k < 2; k++) {
                uint64_t v = k ? hundred : types[i].invalid;
                fit_w_data(&h.w, 1);
                fit_w_u32(&h.w, T0 + (uint32_t)k);
                if (size == 1)
                    fit_w_u8(&h.w, (uint8_t)v);
                else if (size == 2)
                    fit_w_u16(&h.w, (uint16_t)v);
                else if (size == 4)
                    fit_w_u32(&h.w, (uint32_t)v);
                else
                    fit_w_u64(&h.w, v);
            }
            hand_end(&h);
            assert_int_equal(decode(&h, 0, &f, &h.err), 0);
            if (!isnan(f.acts[0].samples[0].hr_bpm) ||
                f.acts[0].samples[1].hr_bpm != 100)
                fail_msg("base type %d %s: got %g and %g", types[i].base,
                         big ? "big" : "little", f.acts[0].samples[0].hr_bpm,
                         f.acts[0].samples[1].hr_bpm);
            activity_file_release(&f);
            rc_buf_release(&h.b);
        }
}

static void test_fit__array_field_reads_its_first_element(void **state)
{
    struct hand h;
    struct activity_file f;
    (void)state;
    hand_begin(&h, 4);
    def_record_one(&h, 1, true, FIT_RECORD_POWER, 6,
                   FIT_BASE_BYTE(FIT_UINT16));
    fit_w_data(&h.w, 1);
    fit_w_u32(&h.w, T0);
    fit_w_u16(&h.w, 321);
    fit_w_u16(&h.w, 1);
    fit_w_u16(&h.w, 2);
    hand_end(&h);
    assert_int_equal(decode(&h, 0, &f, &h.err), 0);
    assert_true(f.acts[0].samples[0].power_w == 321);
    activity_file_release(&f);
    rc_buf_release(&h.b);
}

static void test_fit__misaligned_field_is_skipped_not_misread(void **s)
{
    struct hand h;
    struct activity_file f;
    struct fit_info info;
    const struct fit_w_field rec[] = {
        { FIT_FIELD_TIMESTAMP, 4, FIT_BASE_BYTE(FIT_UINT32) },
        { FIT_RECORD_DISTANCE, 3, FIT_BASE_BYTE(FIT_UINT32) }, /* 3 of 4 */
        { FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8) },
    };
    (void)s;
    hand_begin(&h, 4);
    fit_w_def(&h.w, 1, FIT_MESG_RECORD, false, rec, 3, NULL, 0);
    fit_w_data(&h.w, 1);
    fit_w_u32(&h.w, T0);
    fit_w_raw(&h.w, "\x10\x27\x00", 3);
    fit_w_u8(&h.w, 142);
    hand_end(&h);
    assert_int_equal(fit_decode_info(h.b.data, h.b.len, 0, &f, &info,
                                     &h.err),
                     0);
    assert_int_equal(info.misaligned_fields, 1);
    assert_true(isnan(f.acts[0].samples[0].dist_m));
    assert_true(f.acts[0].samples[0].hr_bpm == 142);
    activity_file_release(&f);
    rc_buf_release(&h.b);
}

static void test_fit__unterminated_string_is_bounded(void **state)
{
    struct hand h;
    struct activity_file f;
    const struct fit_w_field fid[] = {
        { FIT_FILE_ID_TYPE, 1, FIT_BASE_BYTE(FIT_ENUM) },
        { FIT_FILE_ID_PRODUCT_NAME, 8, FIT_BASE_BYTE(FIT_STRING) },
        { FIT_FILE_ID_SERIAL, 4, FIT_BASE_BYTE(FIT_UINT32Z) },
    };
    (void)state;
    rc_buf_init(&h.b, 1 << 16);
    rc_err_clear(&h.err);
    fit_w_init(&h.w, &h.b, &h.err);
    fit_w_begin(&h.w, 12, 0x10, 100, false);
    fit_w_def(&h.w, 0, FIT_MESG_FILE_ID, false, fid, 3, NULL, 0);
    fit_w_data(&h.w, 0);
    fit_w_u8(&h.w, 4);
    fit_w_raw(&h.w, "Edge\xff" "530", 8); /* no NUL; one invalid byte */
    fit_w_u32(&h.w, 777);
    def_record_one(&h, 1, false, FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8));
    fit_w_data(&h.w, 1);
    fit_w_u32(&h.w, T0);
    fit_w_u8(&h.w, 100);
    hand_end(&h);
    assert_int_equal(decode(&h, 0, &f, &h.err), 0);
    assert_string_equal(f.acts[0].device.product_name, "Edge?530");
    assert_int_equal(f.acts[0].device.serial, 777);
    activity_file_release(&f);
    rc_buf_release(&h.b);
}

static void test_fit__enhanced_fields_win_over_16_bit(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 4, FITGEN_START);
    a.samples[1].speed_mps = 70.0f;  /* 16-bit speed tops out at 65.534 */
    a.samples[2].alt_m = 13000.0f;   /* 16-bit altitude at 12607 m */
    fitgen_encode(&a, FIT_WRITE_ENHANCED, 0, &b);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_true(fabs(f.acts[0].samples[1].speed_mps - 70.0) < 1e-3);
    assert_true(fabs(f.acts[0].samples[2].alt_m - 13000.0) < 0.2);
    activity_file_release(&f);
    rc_buf_release(&b);
    /* without them, the 16-bit fields saturate: the test above can fail */
    fitgen_encode(&a, 0, 0, &b);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_true(f.acts[0].samples[1].speed_mps < 65.6);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__compressed_speed_distance(void **state)
{
    struct hand h;
    struct activity_file f;
    (void)state;
    hand_begin(&h, 4);
    def_record_one(&h, 0, false, FIT_RECORD_COMPRESSED_SPEED_DISTANCE, 3,
                   FIT_BASE_BYTE(FIT_BYTE));
    /* speed 3.54 m/s, distance 4090/16 m; then 3.55 m/s and a distance
     * that rolled over 4096 to 10/16 m: 16 sixteenths further */
    fit_w_data(&h.w, 0);
    fit_w_u32(&h.w, T0);
    fit_w_raw(&h.w, "\x62\xA1\xFF", 3);
    fit_w_data(&h.w, 0);
    fit_w_u32(&h.w, T0 + 1);
    fit_w_raw(&h.w, "\x63\xA1\x00", 3);
    fit_w_data(&h.w, 0);
    fit_w_u32(&h.w, T0 + 2);
    fit_w_raw(&h.w, "\xFF\xFF\xFF", 3); /* invalid */
    hand_end(&h);
    assert_int_equal(decode(&h, 0, &f, &h.err), 0);
    assert_true(fabs(f.acts[0].samples[0].speed_mps - 3.54) < 1e-4);
    assert_true(fabs(f.acts[0].samples[0].dist_m - 4090 / 16.0) < 1e-3);
    assert_true(fabs(f.acts[0].samples[1].speed_mps - 3.55) < 1e-4);
    assert_true(fabs(f.acts[0].samples[1].dist_m - 4106 / 16.0) < 1e-3);
    assert_true(isnan(f.acts[0].samples[2].speed_mps));
    assert_true(isnan(f.acts[0].samples[2].dist_m));
    activity_file_release(&f);
    rc_buf_release(&h.b);
}

/* ---- time ---- */

static void test_fit__compressed_timestamps_roll_over(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 40, FITGEN_START);
    for (size_t i = 0; i < 40; i++) /* 0, 7, 14, ... crosses 32 often */
        a.samples[i].time_s = FITGEN_START + 7.0 * (double)i;
    a.elapsed_s = 7 * 39;
    fitgen_encode(&a, FIT_WRITE_COMPRESSED_TIME | FIT_WRITE_BIG_ENDIAN, 0,
                  &b);
    fitgen_decode_ok(&b, 0, &f, NULL);
    for (size_t i = 0; i < 40; i++)
        assert_true(f.acts[0].samples[i].time_s == a.samples[i].time_s);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__compressed_before_any_timestamp_has_no_time(void **s)
{
    struct hand h;
    struct activity_file f;
    const struct fit_w_field rec[] = {
        { FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8) },
    };
    (void)s;
    hand_begin(&h, 4);
    fit_w_def(&h.w, 2, FIT_MESG_RECORD, false, rec, 1, NULL, 0);
    fit_w_data_compressed(&h.w, 2, 3);
    fit_w_u8(&h.w, 120);
    def_record_one(&h, 1, false, FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8));
    fit_w_data(&h.w, 1);
    fit_w_u32(&h.w, T0);
    fit_w_u8(&h.w, 121);
    fit_w_data_compressed(&h.w, 2, (T0 + 2) & 0x1F);
    fit_w_u8(&h.w, 122);
    hand_end(&h);
    assert_int_equal(decode(&h, 0, &f, &h.err), 0);
    assert_int_equal(f.acts[0].nsamples, 3);
    assert_true(isnan(f.acts[0].samples[0].time_s));
    assert_true(f.acts[0].samples[0].hr_bpm == 120);
    assert_true(f.acts[0].samples[2].time_s == FITGEN_START + 2);
    assert_int_equal(f.nwarnings, 1);
    assert_non_null(strstr(f.warnings[0], "compressed timestamp before any "
                                          "full timestamp: 1 messages"));
    activity_file_release(&f);
    rc_buf_release(&h.b);
}

static void test_fit__power_on_timestamps_give_no_start(void **state)
{
    struct hand h;
    struct activity_file f;
    (void)state;
    hand_begin(&h, 4);
    def_record_one(&h, 1, false, FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8));
    for (uint32_t t = 0; t < 3; t++) {
        fit_w_data(&h.w, 1);
        fit_w_u32(&h.w, 0x0FFFFFF0u + t * 10); /* below 0x10000000 */
        fit_w_u8(&h.w, 100);
    }
    hand_end(&h);
    assert_int_equal(decode(&h, 0, &f, &h.err), 0);
    assert_true(isnan(f.acts[0].start_s));
    assert_false(f.acts[0].computed & ACTIVITY_C_START);
    assert_true(f.acts[0].elapsed_s == 20);
    assert_non_null(strstr(f.warnings[0], "since the device was switched "
                                          "on"));
    activity_file_release(&f);
    rc_buf_release(&h.b);
}

static void test_fit__first_absolute_timestamp_is_a_date(void **state)
{
    struct hand h;
    struct activity_file f;
    (void)state;
    hand_begin(&h, 4);
    def_record_one(&h, 1, false, FIT_RECORD_HR, 1, FIT_BASE_BYTE(FIT_UINT8));
    fit_w_data(&h.w, 1);
    fit_w_u32(&h.w, 0x10000000u);
    fit_w_u8(&h.w, 100);
    hand_end(&h);
    assert_int_equal(decode(&h, 0, &f, &h.err), 0);
    assert_true(f.acts[0].start_s == 0x10000000u + 631065600.0);
    assert_int_equal(f.nwarnings, 0);
    activity_file_release(&f);
    rc_buf_release(&h.b);
}

static void test_fit__utc_offset_from_local_timestamp(void **state)
{
    static const int32_t offsets[] = { -25200, 0, 20700, 50400 };
    (void)state;
    for (size_t i = 0; i < RC_ARRAY_SIZE(offsets); i++) {
        struct activity a;
        struct activity_file f;
        struct rc_buf b;
        fitgen_run(&a, 3, FITGEN_START);
        a.utc_offset_s = offsets[i];
        fitgen_encode(&a, 0, 0, &b);
        fitgen_decode_ok(&b, 0, &f, NULL);
        assert_true(f.acts[0].has_utc_offset);
        assert_int_equal(f.acts[0].utc_offset_s, offsets[i]);
        activity_file_release(&f);
        activity_release(&a);
        rc_buf_release(&b);
    }
}

static void test_fit__utc_offset_beyond_14_hours_is_ignored(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 3, FITGEN_START);
    a.utc_offset_s = 50400 + 900; /* 14:15 */
    fitgen_encode(&a, 0, 0, &b);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_false(f.acts[0].has_utc_offset);
    assert_non_null(strstr(f.warnings[0], "UTC offset ignored"));
    activity_file_release(&f);
    rc_buf_release(&b);
    a.has_utc_offset = false;
    fitgen_encode(&a, 0, 0, &b);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_false(f.acts[0].has_utc_offset);
    assert_int_equal(f.nwarnings, 0);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

/* ---- developer fields ---- */

static void test_fit__developer_field_named_and_mirrored(void **state)
{
    struct activity a;
    struct activity_file f;
    struct fit_info info;
    struct rc_buf b;
    double sum = 0;
    (void)state;
    fitgen_run(&a, 50, FITGEN_START);
    fitgen_encode(&a, FIT_WRITE_DEVELOPER, 0, &b);
    fitgen_decode_ok(&b, 0, &f, &info);
    assert_int_equal(info.ndev, 1);
    assert_string_equal(info.dev[0].name, "Power");
    assert_string_equal(info.dev[0].units, "W");
    assert_int_equal(info.dev[0].native_mesg, FIT_MESG_RECORD);
    assert_int_equal(info.dev[0].native_field, FIT_RECORD_POWER);
    assert_int_equal(info.dev[0].values, 50);
    for (size_t i = 0; i < 50; i++) {
        assert_true(f.acts[0].samples[i].power_w == a.samples[i].power_w);
        sum += a.samples[i].power_w;
    }
    assert_true(fabs(info.dev[0].sum - sum) < 1e-6);
    assert_true(info.dev[0].min == 240 && info.dev[0].max == 264);
    /* the undescribed 3-byte field was walked past on every record */
    assert_int_equal(info.dev_field_definitions, 2);
    assert_int_equal(info.dev_field_messages, 50);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__developer_field_described_after_first_use(void **s)
{
    struct activity a;
    struct activity_file f;
    struct fit_info info;
    struct rc_buf b;
    (void)s;
    fitgen_run(&a, 5, FITGEN_START);
    fitgen_encode(&a, FIT_WRITE_DEVELOPER | FIT_WRITE_DEV_LATE, 0, &b);
    fitgen_decode_ok(&b, 0, &f, &info);
    assert_true(isnan(f.acts[0].samples[0].power_w)); /* not yet described */
    for (size_t i = 1; i < 5; i++)
        assert_true(f.acts[0].samples[i].power_w == a.samples[i].power_w);
    assert_int_equal(info.dev[0].values, 4);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

/* ---- file types and sessions ---- */

static void test_fit__course_file_is_not_an_activity(void **state)
{
    struct activity a;
    struct activity_file f;
    struct fit_write_opts o = { 0 };
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    fitgen_run(&a, 8, FITGEN_START);
    o.file_type = 6;
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(fit_write_activity(&a, &o, &b, &err), 0);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_string_equal(f.file_type, "course");
    assert_string_equal(f.note, "a course file, not an activity");
    assert_int_equal(f.nacts, 0);
    assert_int_equal(f.records, 8);
    activity_file_release(&f);
    rc_buf_release(&b);
    /* a type runcare has no name for */
    o.file_type = 8;
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(fit_write_activity(&a, &o, &b, &err), 0);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_string_equal(f.file_type, "type_8");
    assert_int_equal(f.nacts, 0);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__activity_without_session_computes_totals(void **s)
{
    struct activity a;
    struct activity_file f;
    struct rc_buf b;
    const struct activity *g;
    (void)s;
    fitgen_run(&a, 120, FITGEN_START);
    a.samples[60].time_s = FITGEN_START + 200; /* a 141 s pause */
    for (size_t i = 61; i < 120; i++)
        a.samples[i].time_s = FITGEN_START + 200 + (double)(i - 60);
    fitgen_encode(&a, FIT_WRITE_NO_SUMMARY, 0, &b);
    fitgen_decode_ok(&b, 0, &f, NULL);
    g = &f.acts[0];
    assert_string_equal(g->sport, "generic");
    assert_true(g->start_s == FITGEN_START);
    assert_true(g->elapsed_s == 259);
    /* the timer started by the start event runs to the last record */
    assert_true(g->timer_s == 259);
    assert_true(g->computed & ACTIVITY_C_TIMER);
    assert_true(g->computed & ACTIVITY_C_ELAPSED);
    assert_true(fabs(g->distance_m - 3 * 119) < 0.01);
    assert_true(g->computed & ACTIVITY_C_DISTANCE);
    assert_true(g->computed & ACTIVITY_C_HR);
    assert_int_equal(g->nlaps, 0);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

static void test_fit__records_go_to_the_session_holding_them(void **s)
{
    struct activity legs[2];
    struct activity_file f;
    struct fit_write_opts o = { 0 };
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)s;
    fitgen_run(&legs[0], 30, FITGEN_START);
    fitgen_run(&legs[1], 20, FITGEN_START + 100);
    snprintf(legs[1].sport, sizeof(legs[1].sport), "cycling");
    snprintf(legs[1].sub_sport, sizeof(legs[1].sub_sport), "road");
    rc_buf_init(&b, 1 << 20);
    /* summaries after the records, byte orders mixed */
    o.flags = FIT_WRITE_BIG_ENDIAN;
    assert_int_equal(fit_write_activities(legs, 2, &o, &b, &err), 0);
    fitgen_decode_ok(&b, 0, &f, NULL);
    assert_int_equal(f.nacts, 2);
    assert_string_equal(f.acts[0].sport, "running");
    assert_string_equal(f.acts[1].sport, "cycling");
    assert_string_equal(f.acts[1].sub_sport, "road");
    assert_int_equal(f.acts[0].nsamples, 30);
    assert_int_equal(f.acts[1].nsamples, 20);
    assert_true(f.acts[1].samples[0].time_s == FITGEN_START + 100);
    assert_int_equal(f.acts[0].nlaps, 2);
    assert_int_equal(f.acts[1].nlaps, 2);
    assert_true(f.acts[1].laps[0].start_s == FITGEN_START + 100);
    activity_file_release(&f);
    activity_release(&legs[0]);
    activity_release(&legs[1]);
    rc_buf_release(&b);
}

static void test_fit__decode_buffer_routes_fit_here(void **state)
{
    struct activity a;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf b;
    (void)state;
    fitgen_run(&a, 3, FITGEN_START);
    fitgen_encode(&a, 0, 0, &b);
    assert_ptr_equal(decode_sniff(b.data, b.len), decode_find("fit"));
    assert_int_equal(decode_buffer(b.data, b.len, 0, &f, &err), 0);
    assert_int_equal(f.records, 3);
    activity_file_release(&f);
    activity_release(&a);
    rc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit__empty_input_fails_at_offset_0),
        cmocka_unit_test(test_fit__short_file_fails_at_offset_0),
        cmocka_unit_test(test_fit__header_size_below_12_fails),
        cmocka_unit_test(test_fit__bad_signature_fails_at_offset_8),
        cmocka_unit_test(test_fit__data_size_zero_fails_after_header),
        cmocka_unit_test(test_fit__header_crc_zero_is_accepted),
        cmocka_unit_test(test_fit__bad_header_crc_fails_at_offset_12),
        cmocka_unit_test(test_fit__bad_file_crc_is_refused_then_salvaged),
        cmocka_unit_test(test_fit__cut_file_salvages_complete_records),
        cmocka_unit_test(test_fit__message_cut_by_data_size_names_it),
        cmocka_unit_test(test_fit__garbage_after_file_fails),
        cmocka_unit_test(test_fit__trailing_zero_bytes_are_ignored),
        cmocka_unit_test(test_fit__chained_parts_each_checked),
        cmocka_unit_test(test_fit__chained_bad_second_header_fails),
        cmocka_unit_test(test_fit__undefined_local_type_fails_at_its_header),
        cmocka_unit_test(test_fit__compressed_header_for_undefined_type_fails),
        cmocka_unit_test(test_fit__bad_architecture_byte_fails_at_it),
        cmocka_unit_test(test_fit__truncated_definition_fails),
        cmocka_unit_test(test_fit__unknown_messages_and_fields_are_skipped),
        cmocka_unit_test(test_fit__invalid_sentinel_of_every_base_type),
        cmocka_unit_test(test_fit__array_field_reads_its_first_element),
        cmocka_unit_test(test_fit__misaligned_field_is_skipped_not_misread),
        cmocka_unit_test(test_fit__unterminated_string_is_bounded),
        cmocka_unit_test(test_fit__enhanced_fields_win_over_16_bit),
        cmocka_unit_test(test_fit__compressed_speed_distance),
        cmocka_unit_test(test_fit__compressed_timestamps_roll_over),
        cmocka_unit_test(test_fit__compressed_before_any_timestamp_has_no_time),
        cmocka_unit_test(test_fit__power_on_timestamps_give_no_start),
        cmocka_unit_test(test_fit__first_absolute_timestamp_is_a_date),
        cmocka_unit_test(test_fit__utc_offset_from_local_timestamp),
        cmocka_unit_test(test_fit__utc_offset_beyond_14_hours_is_ignored),
        cmocka_unit_test(test_fit__developer_field_named_and_mirrored),
        cmocka_unit_test(test_fit__developer_field_described_after_first_use),
        cmocka_unit_test(test_fit__course_file_is_not_an_activity),
        cmocka_unit_test(test_fit__activity_without_session_computes_totals),
        cmocka_unit_test(test_fit__records_go_to_the_session_holding_them),
        cmocka_unit_test(test_fit__decode_buffer_routes_fit_here),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
