/* mhd.c - the table of mhd.h, filled by dlopen (base/dl.h). */
#define RC_MHD_H_LOADER
#include "base/base.h"
#include "base/dl.h"
#include "http/mhd.h"

#ifndef RC_SONAME_MHD
#error "RC_SONAME_MHD (the library's soname) comes from tools/deps.sh"
#endif

struct rc_mhd rc_mhd;

/* each function by name, and where its pointer goes */
#define SYM(f) { #f, offsetof(struct rc_mhd, f) }
static const struct rc_dl_sym syms[] = {
    SYM(MHD_add_response_header),
    SYM(MHD_create_response_from_buffer),
    SYM(MHD_destroy_response),
    SYM(MHD_get_connection_values),
    SYM(MHD_lookup_connection_value),
    SYM(MHD_queue_response),
    SYM(MHD_quiesce_daemon),
    SYM(MHD_start_daemon),
    SYM(MHD_stop_daemon),
};
#undef SYM

static struct rc_dl lib = RC_DL_INIT(RC_SONAME_MHD, "libmicrohttpd12",
                                     "runcare serve", syms, &rc_mhd);

int rc_mhd_load(struct rc_err *err)
{
    return rc_dl_load(&lib, err);
}
