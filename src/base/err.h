/* err.h - the one error value of runcare: what went wrong and where.
 *
 * Every function that can fail takes `struct rc_err *err` last and returns -1
 * (or NULL) after filling it, so a failure is one `return rc_fail(...)`. The
 * first failure wins: later calls do not overwrite it, so callers only add
 * what they know (import adds the file name with rc_err_file). The status is
 * the process exit code (DESIGN.md): 0 ok, 1 bad input, 2 usage, 3 environment.
 *
 * Where: a byte offset (FIT), a line and column (GPX/TCX, JSON Lines) or a
 * field (a JSON pointer such as /screen/urine, or a name such as pain.score).
 * Formatted, it reaches the runner as
 *     runcare: run.fit: offset 8: missing ".FIT" signature
 *     runcare: kb/conditions.jsonl: line 14: unknown report field "/pain/scor"
 *     runcare: report.json: /screen/urine: "brown" is not one of ...
 * Messages say what is wrong first, lower case, no full stop, with values. */
#ifndef RC_ERR_H
#define RC_ERR_H

#include "base/base.h"

enum rc_status {
    RC_OK = 0,     /* success */
    RC_EINPUT = 1, /* bad input: a file, a report, a value on the command line */
    RC_EUSAGE = 2, /* the command line itself is wrong */
    RC_EENV = 3,   /* the environment: database, permissions, memory, disk */
};

struct rc_err {
    enum rc_status status;
    long offset;        /* byte offset, -1 if unknown */
    long line, column;  /* 1-based, 0 if unknown */
    char file[256];     /* "" if none */
    char field[64];     /* "/screen/urine" or "pain.score"; "" if none */
    char msg[256];
};

#define RC_ERR_INIT { .status = RC_OK, .offset = -1 }

/* Reset to RC_ERR_INIT. */
void rc_err_clear(struct rc_err *err);

/* Record a failure with status st unless one is already recorded. Returns -1.
 * err may be NULL (the failure is then only returned). */
int rc_fail(struct rc_err *err, enum rc_status st, const char *fmt, ...)
    RC_PRINTF(3, 4);

/* An input failure at a byte offset (RC_EINPUT). Returns -1. */
int rc_fail_at(struct rc_err *err, long offset, const char *fmt, ...)
    RC_PRINTF(3, 4);

/* An input failure at a line and column (column 0 if unknown). Returns -1. */
int rc_fail_line(struct rc_err *err, long line, long column,
                 const char *fmt, ...) RC_PRINTF(4, 5);

/* An input failure in a field: a JSON pointer or a dotted name. Returns -1. */
int rc_fail_field(struct rc_err *err, const char *field, const char *fmt, ...)
    RC_PRINTF(3, 4);

/* Name the file the failure is in, unless a file is already named. */
void rc_err_file(struct rc_err *err, const char *file);

/* Write "FILE: offset N: message" (the parts that are known) into out,
 * always NUL-terminated. Returns out. */
char *rc_err_format(const struct rc_err *err, char *out, size_t n);

#endif
