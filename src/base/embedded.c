/* embedded.c - look up files built into the binary (see embedded.h). */
#include "base/base.h"
#include "base/embedded.h"

const struct rc_embedded *rc_embedded_find(const char *path)
{
    for (const struct rc_embedded *e = rc_embedded_files; e->path; e++)
        if (!strcmp(e->path, path))
            return e;
    return NULL;
}
