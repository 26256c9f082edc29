/* fuzz_fit.c - libFuzzer target for the FIT decoder: any bytes, strict and
 * salvage mode. The decoder must return 0 or -1 with an error, never
 * crash, read out of bounds, leak or hang; on success the output must be
 * consistent (samples of all activities never more than the records). */
#include "base/base.h"
#include "fit/fit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, unsigned flags)
{
    struct activity_file f;
    struct fit_info info;
    struct rc_err err = RC_ERR_INIT;
    size_t samples = 0;

    if (fit_decode_info(data, size, flags, &f, &info, &err) < 0) {
        if (err.status == RC_OK || !err.msg[0])
            abort(); /* a failure must say what went wrong */
        return;
    }
    for (size_t i = 0; i < f.nacts; i++)
        samples += f.acts[i].nsamples;
    if (samples > (size_t)f.records || info.records != f.records)
        abort();
    activity_file_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size, 0);
    one(data, size, ACTIVITY_SALVAGE);
    return 0;
}
