/* gpx.c - placeholder until the GPX decoder lands: refuses every file. */
#include "base/base.h"
#include "gpx/gpx.h"

int gpx_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err)
{
    (void)p;
    (void)n;
    (void)flags;
    (void)out;
    return rc_fail_at(err, 0, "GPX decoding is not implemented yet");
}
