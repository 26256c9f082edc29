/* fit.h - the FIT decoder: bytes in, struct activity_file out. */
#ifndef RC_FIT_H
#define RC_FIT_H

#include "base/base.h"
#include "base/err.h"
#include "activity/activity.h"

/* Decode a whole FIT file (flags: enum decode_flags). Contract as
 * decode_buffer in decode/decode.h: 0 and *out filled, or -1 with err set
 * and *out untouched. */
int fit_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err);

#endif
