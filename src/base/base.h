/* base.h - the first project header every runcare file includes.
 *
 * It brings in the C library headers used everywhere, then banned.h, so the
 * banned functions stay banned in every file that follows the rule "system
 * headers first, then base/base.h, then other project headers". */
#ifndef RC_BASE_H
#define RC_BASE_H

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/banned.h"

#define RC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__) || defined(__clang__)
#define RC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define RC_PRINTF(fmt, args)
#endif

#endif
