/* dl.c - loading a library when first needed (see dl.h). */
#include <dlfcn.h>

#include "base/base.h"
#include "base/dl.h"

int rc_dl_load(struct rc_dl *d, struct rc_err *err)
{
    int state;

    pthread_mutex_lock(&d->mu);
    if (d->state == 0) {
        /* RTLD_NOW: a missing symbol is found here, not at some later
         * call; the library stays loaded for the life of the process */
        void *h = dlopen(d->soname, RTLD_NOW | RTLD_LOCAL);
        const char *e = h ? NULL : dlerror();
#ifdef RC_TEST
        /* a test build can be told a library is not installed */
        const char *missing = getenv("RUNCARE_DL_MISSING");
        if (missing && !strcmp(missing, d->soname)) {
            h = NULL;
            e = "not installed (RUNCARE_DL_MISSING)";
        }
#endif
        for (size_t i = 0; h && i < d->nsyms; i++) {
            void *f = dlsym(h, d->syms[i].name);
            if (!f) {
                e = dlerror();
                break;
            }
            /* POSIX: a function's address from dlsym converts to its
             * pointer type */
            memcpy((char *)d->table + d->syms[i].offset, &f, sizeof(f));
        }
        if (e) {
            snprintf(d->why, sizeof(d->why), "%s", e);
            d->state = -1;
            memset(d->table, 0, d->nsyms * sizeof(void *));
        } else {
            d->state = 1;
        }
    }
    state = d->state;
    pthread_mutex_unlock(&d->mu);
    if (state > 0)
        return 0;
    return rc_fail(err, RC_EENV, "%s: cannot load %s (Debian package %s): %s",
                   d->what, d->soname, d->package, d->why);
}
