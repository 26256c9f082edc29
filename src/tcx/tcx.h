/* tcx.h - the TCX decoder: bytes in, struct activity_file out. */
#ifndef RC_TCX_H
#define RC_TCX_H

#include "base/base.h"
#include "base/err.h"
#include "activity/activity.h"

/* Decode a whole TCX file (flags: enum decode_flags). Contract as
 * decode_buffer in decode/decode.h: 0 and *out filled, or -1 with err set
 * and *out untouched. */
int tcx_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err);

#endif
