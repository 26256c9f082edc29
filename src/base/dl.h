/* dl.h - a library loaded when first needed (dlopen), not at every start.
 *
 * libpq, libmicrohttpd and libarchive bring 33 more shared libraries
 * with them (GnuTLS, Kerberos, LDAP, ICU ...): a runcare that linked them
 * took 26 ms to start here where one without them takes 4, for every
 * command, though most use none of them. Each is now a table of function
 * pointers (store/pq.h, http/mhd.h, import/arch.h) filled the first time
 * a PostgreSQL log, the web server or an archive needs it; the code that
 * calls them is unchanged (its calls go through the table by macro).
 * The library's soname comes from the -dev package at build time. */
#ifndef RC_DL_H
#define RC_DL_H

#include <pthread.h>
#include <stddef.h>

#include "base/err.h"

struct rc_dl_sym {
    const char *name;
    size_t offset; /* of its pointer in the table */
};

struct rc_dl {
    const char *soname;  /* "libpq.so.5" */
    const char *package; /* the Debian package that has it: "libpq5" */
    const char *what;    /* what needs it: "PostgreSQL logs" */
    const struct rc_dl_sym *syms;
    size_t nsyms;
    void *table; /* filled with each sym's address */
    pthread_mutex_t mu;
    int state; /* 0: not tried, 1: loaded, -1: cannot be */
    char why[256];
};

#define RC_DL_INIT(soname, package, what, syms, table)                         \
    {                                                                          \
        soname, package, what, syms, sizeof(syms) / sizeof((syms)[0]), table,  \
            PTHREAD_MUTEX_INITIALIZER, 0, ""                                   \
    }

/* Load d once (thread-safe); later calls answer at once. 0, or -1 with
 * err (RC_EENV) saying what cannot run without which package. */
int rc_dl_load(struct rc_dl *d, struct rc_err *err);

#endif
