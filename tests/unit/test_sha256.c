/* test_sha256.c - SHA-256 against the FIPS 180-4 examples (NIST's
 * "Example Algorithm" vectors) and the portable code against the x86 one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/sha256.h"
#include "testlib.h"

static void expect_hex(const void *p, size_t n, const char *want)
{
    unsigned char d[SHA256_DIGEST_LEN];
    char hex[SHA256_HEX_LEN];
    rc_sha256(p, n, d);
    assert_string_equal(rc_sha256_hex(d, hex), want);
}

static void both(void (*fn)(void))
{
    rc_sha256_force_portable(false);
    fn();
    rc_sha256_force_portable(true);
    fn();
    rc_sha256_force_portable(false);
}

static void abc(void)
{
    expect_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223"
                         "b00361a396177a9cb410ff61f20015ad");
}

static void test_sha256__abc(void **state)
{
    (void)state;
    both(abc);
}

static void empty(void)
{
    expect_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb924"
                      "27ae41e4649b934ca495991b7852b855");
}

static void test_sha256__empty(void **state)
{
    (void)state;
    both(empty);
}

static void two_blocks(void)
{
    const char *m =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    expect_hex(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039"
                             "a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256__448_bit_message(void **state)
{
    (void)state;
    both(two_blocks);
}

static void long_msg(void)
{
    const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    expect_hex(m, strlen(m), "cf5b16a778af8380036ce59e7b0492370b249b11e8f"
                             "07a51afac45037afee9d1");
}

static void test_sha256__896_bit_message(void **state)
{
    (void)state;
    both(long_msg);
}

static void million_a(void)
{
    /* fed in uneven pieces to exercise the partial-block path */
    static char a[1000];
    struct rc_sha256 c;
    unsigned char d[SHA256_DIGEST_LEN];
    char hex[SHA256_HEX_LEN];
    size_t done = 0, step = 1;
    memset(a, 'a', sizeof(a));
    rc_sha256_init(&c);
    while (done < 1000000) {
        size_t k = step % 997 + 1;
        if (k > 1000000 - done)
            k = 1000000 - done;
        rc_sha256_update(&c, a, k);
        done += k;
        step = step * 31 + 7;
    }
    rc_sha256_final(&c, d);
    assert_string_equal(rc_sha256_hex(d, hex),
                        "cdc76e5c9914fb9281a1c7e284d73e67"
                        "f1809a48a497200e046d39ccc7112cd0");
}

static void test_sha256__million_a_in_pieces(void **state)
{
    (void)state;
    both(million_a);
}

static void test_sha256__portable_equals_fast_for_every_length(void **state)
{
    unsigned char data[300], d1[32], d2[32];
    uint32_t x = 12345;
    (void)state;
    for (size_t i = 0; i < sizeof(data); i++) {
        x = x * 1103515245 + 12345;
        data[i] = (unsigned char)(x >> 16);
    }
    for (size_t n = 0; n <= sizeof(data); n++) {
        rc_sha256_force_portable(true);
        rc_sha256(data, n, d1);
        rc_sha256_force_portable(false);
        rc_sha256(data, n, d2);
        assert_memory_equal(d1, d2, 32);
    }
}

/* A pair hashed together gives what each gives alone: every pair of
 * lengths around the block edges (both shorter, one longer, equal), both
 * with the SHA extensions interleaved and with the portable code. */
static void pairs_equal_singles(void)
{
    static const size_t lengths[] = { 0, 1, 55, 56, 63, 64, 65, 127, 128,
                                      129, 1000, 4096, 70001 };
    static unsigned char a[70001], b[70001];
    uint32_t x = 777;
    for (size_t i = 0; i < sizeof(a); i++) {
        x = x * 1103515245 + 12345;
        a[i] = (unsigned char)(x >> 16);
        b[i] = (unsigned char)(x >> 8);
    }
    for (size_t i = 0; i < RC_ARRAY_SIZE(lengths); i++)
        for (size_t j = 0; j < RC_ARRAY_SIZE(lengths); j++) {
            unsigned char pa[32], pb[32], sa[32], sb[32];
            size_t na = lengths[i], nb = lengths[j];
            rc_sha256_pair(a, na, b, nb, pa, pb);
            rc_sha256(a, na, sa);
            rc_sha256(b, nb, sb);
            assert_memory_equal(pa, sa, 32);
            assert_memory_equal(pb, sb, 32);
        }
    {
        /* the same message twice, and NIST's "abc" beside a long one */
        unsigned char pa[32], pb[32];
        char hex[SHA256_HEX_LEN];
        rc_sha256_pair("abc", 3, a, sizeof(a), pa, pb);
        assert_string_equal(rc_sha256_hex(pa, hex),
                            "ba7816bf8f01cfea414140de5dae2223"
                            "b00361a396177a9cb410ff61f20015ad");
        rc_sha256_pair(a, sizeof(a), a, sizeof(a), pa, pb);
        assert_memory_equal(pa, pb, 32);
    }
}

static void test_sha256__pair_equals_two_singles(void **state)
{
    (void)state;
    both(pairs_equal_singles);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256__abc),
        cmocka_unit_test(test_sha256__empty),
        cmocka_unit_test(test_sha256__448_bit_message),
        cmocka_unit_test(test_sha256__896_bit_message),
        cmocka_unit_test(test_sha256__million_a_in_pieces),
        cmocka_unit_test(test_sha256__portable_equals_fast_for_every_length),
        cmocka_unit_test(test_sha256__pair_equals_two_singles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
