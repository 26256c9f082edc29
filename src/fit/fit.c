/* fit.c - placeholder until the FIT decoder lands: refuses every file. */
#include "base/base.h"
#include "fit/fit.h"

int fit_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err)
{
    (void)p;
    (void)n;
    (void)flags;
    (void)out;
    return rc_fail_at(err, 0, "FIT decoding is not implemented yet");
}
