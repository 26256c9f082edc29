/* fuzz_samples.c - libFuzzer target for the sample blob decoder
 * (store_samples_decode): a damaged database must give an error with an
 * offset, never a crash, and samples are allocated only for a count its
 * columns really hold (runs of zeros included). A blob that
 * decodes must encode again to a blob that decodes to as many samples (or
 * none, when float rounding at the edge of the range leaves no value). */
#include "base/base.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct activity a, b;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf blob;
    unsigned ch;

    activity_init(&a);
    if (store_samples_decode(data, size, &a, &err) < 0) {
        if (a.nsamples || err.status != RC_EINPUT)
            abort();
        activity_release(&a);
        return 0;
    }
    rc_buf_init(&blob, (size_t)1 << 30);
    activity_init(&b);
    if (store_samples_encode(&a, &blob, &ch, &err) < 0 ||
        store_samples_decode(blob.data, blob.len, &b, &err) < 0 ||
        b.nsamples != (ch ? a.nsamples : 0))
        abort();
    rc_buf_release(&blob);
    activity_release(&a);
    activity_release(&b);
    return 0;
}
