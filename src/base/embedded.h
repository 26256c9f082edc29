/* embedded.h - data files built into the binary (kb/, web/).
 *
 * tools/embed.c writes the table at build time from the files in the
 * source tree; the data is read-only and lives as long as the program. */
#ifndef RC_EMBEDDED_H
#define RC_EMBEDDED_H

#include "base/base.h"

struct rc_embedded {
    const char *path;          /* as in the source tree: "kb/sources.jsonl" */
    const unsigned char *data; /* NUL-terminated */
    size_t size;               /* without the NUL */
};

/* Every embedded file, ended by an entry whose path is NULL. */
extern const struct rc_embedded rc_embedded_files[];

/* The embedded file at path, or NULL. */
const struct rc_embedded *rc_embedded_find(const char *path);

#endif
