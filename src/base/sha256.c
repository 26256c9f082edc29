/* sha256.c - SHA-256 from FIPS 180-4 (see sha256.h).
 *
 * The portable block function follows section 6.2.2 word for word; the
 * x86-64 one computes the same rounds with the SHA extensions (two rounds
 * per sha256rnds2), about five times faster, which is what makes re-import
 * of a whole export cheap. The choice is made once, on first use. */
#include <pthread.h>

#include "base/base.h"
#include "base/sha256.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

/* Section 4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/* Section 6.2.2 for nblocks 64-byte blocks. */
static void blocks_portable(uint32_t h[8], const unsigned char *p,
                            size_t nblocks)
{
    uint32_t w[64];
    while (nblocks--) {
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
        uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int t = 0; t < 16; t++)
            w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
                   (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
        for (int t = 16; t < 64; t++)
            w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 = hh + BSIG1(e) + CH(e, f, g) + K[t] + w[t];
            uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
        p += 64;
    }
}

#ifdef SHA256_X86
/* The same rounds with the SHA extensions. The state is kept as the two
 * vectors the instructions want, ABEF and CDGH; each group of four rounds
 * takes its message words W[4g..4g+3] from the four groups before it. */
__attribute__((target("sha,sse4.1,ssse3"))) static void
blocks_x86(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
    const __m128i bswap =
        _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&h[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&h[4]);
    __m128i s0;

    tmp = _mm_shuffle_epi32(tmp, 0xB1);     /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);       /* EFGH */
    s0 = _mm_alignr_epi8(tmp, s1, 8);       /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);    /* CDGH */
    while (nblocks--) {
        __m128i save0 = s0, save1 = s1, w[4], msg;
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            if (g < 4) {
                w[g] = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
            } else {
                __m128i t = _mm_sha256msg1_epu32(w[g & 3], w[(g - 3) & 3]);
                t = _mm_add_epi32(
                    t, _mm_alignr_epi8(w[(g - 1) & 3], w[(g - 2) & 3], 4));
                w[g & 3] = _mm_sha256msg2_epu32(t, w[(g - 1) & 3]);
            }
            msg = _mm_add_epi32(w[g & 3],
                                _mm_loadu_si128((const __m128i *)&K[4 * g]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
            msg = _mm_shuffle_epi32(msg, 0x0E);
            s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
        }
        s0 = _mm_add_epi32(s0, save0);
        s1 = _mm_add_epi32(s1, save1);
        p += 64;
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);      /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);       /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xF0);    /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);       /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], s0);
    _mm_storeu_si128((__m128i *)&h[4], s1);
}

/* Two messages at once, block by block: sha256rnds2 waits about four
 * cycles for the result of the one before it, so one message leaves the
 * unit idle half the time; a second, interleaved, fills it (1.75 -> 2.5
 * GB/s here). The state of each is loaded and stored as in blocks_x86. */
#define SHA_X86_LOAD(h, s0, s1)                                          \
    do {                                                                 \
        __m128i t_ = _mm_loadu_si128((const __m128i *)&(h)[0]);          \
        s1 = _mm_loadu_si128((const __m128i *)&(h)[4]);                  \
        t_ = _mm_shuffle_epi32(t_, 0xB1);                                \
        s1 = _mm_shuffle_epi32(s1, 0x1B);                                \
        s0 = _mm_alignr_epi8(t_, s1, 8);                                 \
        s1 = _mm_blend_epi16(s1, t_, 0xF0);                              \
    } while (0)
#define SHA_X86_STORE(h, s0, s1)                                         \
    do {                                                                 \
        __m128i t_ = _mm_shuffle_epi32(s0, 0x1B);                        \
        s1 = _mm_shuffle_epi32(s1, 0xB1);                                \
        s0 = _mm_blend_epi16(t_, s1, 0xF0);                              \
        s1 = _mm_alignr_epi8(s1, t_, 8);                                 \
        _mm_storeu_si128((__m128i *)&(h)[0], s0);                        \
        _mm_storeu_si128((__m128i *)&(h)[4], s1);                        \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3"))) static void
blocks2_x86(uint32_t ha[8], const unsigned char *pa, uint32_t hb[8],
            const unsigned char *pb, size_t nblocks)
{
    const __m128i bswap =
        _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i a0, a1, b0, b1;

    SHA_X86_LOAD(ha, a0, a1);
    SHA_X86_LOAD(hb, b0, b1);
    while (nblocks--) {
        __m128i save_a0 = a0, save_a1 = a1, save_b0 = b0, save_b1 = b1;
        __m128i wa[4], wb[4], ma, mb, k;
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            if (g < 4) {
                wa[g] = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(pa + 16 * g)), bswap);
                wb[g] = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(pb + 16 * g)), bswap);
            } else {
                __m128i ta = _mm_sha256msg1_epu32(wa[g & 3], wa[(g - 3) & 3]);
                __m128i tb = _mm_sha256msg1_epu32(wb[g & 3], wb[(g - 3) & 3]);
                ta = _mm_add_epi32(
                    ta, _mm_alignr_epi8(wa[(g - 1) & 3], wa[(g - 2) & 3], 4));
                tb = _mm_add_epi32(
                    tb, _mm_alignr_epi8(wb[(g - 1) & 3], wb[(g - 2) & 3], 4));
                wa[g & 3] = _mm_sha256msg2_epu32(ta, wa[(g - 1) & 3]);
                wb[g & 3] = _mm_sha256msg2_epu32(tb, wb[(g - 1) & 3]);
            }
            k = _mm_loadu_si128((const __m128i *)&K[4 * g]);
            ma = _mm_add_epi32(wa[g & 3], k);
            mb = _mm_add_epi32(wb[g & 3], k);
            a1 = _mm_sha256rnds2_epu32(a1, a0, ma);
            b1 = _mm_sha256rnds2_epu32(b1, b0, mb);
            ma = _mm_shuffle_epi32(ma, 0x0E);
            mb = _mm_shuffle_epi32(mb, 0x0E);
            a0 = _mm_sha256rnds2_epu32(a0, a1, ma);
            b0 = _mm_sha256rnds2_epu32(b0, b1, mb);
        }
        a0 = _mm_add_epi32(a0, save_a0);
        a1 = _mm_add_epi32(a1, save_a1);
        b0 = _mm_add_epi32(b0, save_b0);
        b1 = _mm_add_epi32(b1, save_b1);
        pa += 64;
        pb += 64;
    }
    SHA_X86_STORE(ha, a0, a1);
    SHA_X86_STORE(hb, b0, b1);
}

static bool cpu_has_sha(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 19)) ||
        !(c & (1u << 9)))
        return false; /* SSE4.1, SSSE3 */
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    return (b & (1u << 29)) != 0; /* SHA */
}
#endif

/* Two messages' blocks, one after the other, where there is nothing
 * better. */
static void blocks2_portable(uint32_t ha[8], const unsigned char *pa,
                             uint32_t hb[8], const unsigned char *pb,
                             size_t nblocks)
{
    blocks_portable(ha, pa, nblocks);
    blocks_portable(hb, pb, nblocks);
}

typedef void (*blocks_fn)(uint32_t h[8], const unsigned char *p, size_t n);
typedef void (*blocks2_fn)(uint32_t ha[8], const unsigned char *pa,
                           uint32_t hb[8], const unsigned char *pb, size_t n);
static blocks_fn blocks_best = blocks_portable;
static blocks2_fn blocks2_best = blocks2_portable;
static pthread_once_t choose_once = PTHREAD_ONCE_INIT;

static void choose(void)
{
#ifdef SHA256_X86
    if (cpu_has_sha()) {
        blocks_best = blocks_x86;
        blocks2_best = blocks2_x86;
    }
#endif
}

#ifdef RC_TEST
static bool force_portable;

void rc_sha256_force_portable(bool on)
{
    force_portable = on;
}

static void blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
    pthread_once(&choose_once, choose);
    (force_portable ? blocks_portable : blocks_best)(h, p, n);
}

static void blocks2(uint32_t ha[8], const unsigned char *pa, uint32_t hb[8],
                    const unsigned char *pb, size_t n)
{
    pthread_once(&choose_once, choose);
    (force_portable ? blocks2_portable : blocks2_best)(ha, pa, hb, pb, n);
}
#else
static void blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
    pthread_once(&choose_once, choose);
    blocks_best(h, p, n);
}

static void blocks2(uint32_t ha[8], const unsigned char *pa, uint32_t hb[8],
                    const unsigned char *pb, size_t n)
{
    pthread_once(&choose_once, choose);
    blocks2_best(ha, pa, hb, pb, n);
}
#endif

void rc_sha256_init(struct rc_sha256 *c)
{
    /* Section 5.3.3: the first 32 bits of the fractional parts of the
     * square roots of the first 8 primes. */
    static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                    0xa54ff53a, 0x510e527f, 0x9b05688c,
                                    0x1f83d9ab, 0x5be0cd19 };
    memcpy(c->h, h0, sizeof(h0));
    c->len = 0;
    c->nbuf = 0;
}

void rc_sha256_update(struct rc_sha256 *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->len += n;
    if (c->nbuf) {
        size_t k = 64 - c->nbuf < n ? 64 - c->nbuf : n;
        memcpy(c->buf + c->nbuf, p, k);
        c->nbuf += k;
        p += k;
        n -= k;
        if (c->nbuf < 64)
            return;
        blocks(c->h, c->buf, 1);
        c->nbuf = 0;
    }
    if (n >= 64) {
        blocks(c->h, p, n / 64);
        p += n / 64 * 64;
        n %= 64;
    }
    memcpy(c->buf, p, n);
    c->nbuf = n;
}

void rc_sha256_final(struct rc_sha256 *c, unsigned char out[SHA256_DIGEST_LEN])
{
    /* Section 5.1.1: a 1 bit, zeros to 448 mod 512, the length in bits. */
    uint64_t bits = c->len * 8;
    c->buf[c->nbuf++] = 0x80;
    if (c->nbuf > 56) {
        memset(c->buf + c->nbuf, 0, 64 - c->nbuf);
        blocks(c->h, c->buf, 1);
        c->nbuf = 0;
    }
    memset(c->buf + c->nbuf, 0, 56 - c->nbuf);
    for (int i = 0; i < 8; i++)
        c->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    blocks(c->h, c->buf, 1);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
}

void rc_sha256(const void *p, size_t n, unsigned char out[SHA256_DIGEST_LEN])
{
    struct rc_sha256 c;
    rc_sha256_init(&c);
    rc_sha256_update(&c, p, n);
    rc_sha256_final(&c, out);
}

void rc_sha256_pair(const void *pa, size_t na, const void *pb, size_t nb,
                    unsigned char out_a[SHA256_DIGEST_LEN],
                    unsigned char out_b[SHA256_DIGEST_LEN])
{
    struct rc_sha256 a, b;
    size_t common = (na < nb ? na : nb) / 64 * 64;

    rc_sha256_init(&a);
    rc_sha256_init(&b);
    if (common) {
        blocks2(a.h, pa, b.h, pb, common / 64);
        a.len = b.len = common;
    }
    rc_sha256_update(&a, (const unsigned char *)pa + common, na - common);
    rc_sha256_update(&b, (const unsigned char *)pb + common, nb - common);
    rc_sha256_final(&a, out_a);
    rc_sha256_final(&b, out_b);
}

char *rc_sha256_hex(const unsigned char d[SHA256_DIGEST_LEN],
                    char out[SHA256_HEX_LEN])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_LEN; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
    return out;
}
