/* fs.h - the file system helpers more than one module needs. */
#ifndef RC_FS_H
#define RC_FS_H

#include "base/err.h"

/* mkdir -p of the folder that holds path (mode 0700 for the folders it
 * makes). 0, or -1 with err (RC_EENV) naming the folder it could not
 * make. */
int rc_make_parent(const char *path, struct rc_err *err);

#endif
