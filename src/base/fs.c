/* fs.c - the file system helpers more than one module needs (fs.h). */
#include <sys/stat.h>

#include "base/base.h"
#include "base/fs.h"

int rc_make_parent(const char *path, struct rc_err *err)
{
    char dir[4096];
    char *slash;
    if (strlen(path) >= sizeof(dir))
        return rc_fail(err, RC_EENV, "cannot create the folder of %s: the "
                                     "name is too long", path);
    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return rc_fail(err, RC_EENV, "cannot create folder %s: %s", dir,
                           strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return rc_fail(err, RC_EENV, "cannot create folder %s: %s", dir,
                       strerror(errno));
    return 0;
}
