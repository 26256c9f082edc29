/* sha256.h - SHA-256 (FIPS 180-4), for recognising the same file twice.
 *
 * import/ hashes every activity file it reads (after gunzip, so a .fit and
 * the .fit.gz of the same bytes hash the same) and the store keeps the hash
 * of each source: re-importing a file is a hash look-up, not a decode.
 *
 * Streaming: rc_sha256_init, any number of rc_sha256_update,
 * rc_sha256_final. The context holds no pointers; copy it freely.
 * Allocates nothing. On x86-64 CPUs with the SHA extensions the block
 * function uses them (chosen once at run time); elsewhere the portable
 * code of FIPS 180-4 section 6.2. */
#ifndef RC_SHA256_H
#define RC_SHA256_H

#include "base/base.h"

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_LEN 65 /* 64 hex digits and the NUL */

struct rc_sha256 {
    uint32_t h[8];        /* the hash value H(i) */
    uint64_t len;         /* bytes hashed so far */
    unsigned char buf[64]; /* a partial block */
    size_t nbuf;
};

void rc_sha256_init(struct rc_sha256 *c);
void rc_sha256_update(struct rc_sha256 *c, const void *p, size_t n);
void rc_sha256_final(struct rc_sha256 *c, unsigned char out[SHA256_DIGEST_LEN]);

/* The digest of p[0..n) in one call. */
void rc_sha256(const void *p, size_t n, unsigned char out[SHA256_DIGEST_LEN]);

/* The digests of two messages at once: the same as two calls of
 * rc_sha256, and with the SHA extensions about 1.4 times as fast, since
 * the two interleave (their common length of whole blocks). */
void rc_sha256_pair(const void *pa, size_t na, const void *pb, size_t nb,
                    unsigned char out_a[SHA256_DIGEST_LEN],
                    unsigned char out_b[SHA256_DIGEST_LEN]);

/* Lower-case hex of a digest. Returns out. */
char *rc_sha256_hex(const unsigned char d[SHA256_DIGEST_LEN],
                    char out[SHA256_HEX_LEN]);

#ifdef RC_TEST
/* Use the portable block function even where the CPU has SHA instructions
 * (for tests that compare the two; test builds only). */
void rc_sha256_force_portable(bool on);
#endif

#endif
