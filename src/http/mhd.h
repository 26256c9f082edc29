/* mhd.h - libmicrohttpd, loaded when runcare serve starts.
 * Include this instead of the library's header: its functions are
 * called through a table that rc_mhd_load fills once (base/dl.h). */
#ifndef RC_MHD_H
#define RC_MHD_H

#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <stdint.h>
#include <microhttpd.h>

#include "base/err.h"

struct rc_mhd {
    __typeof__(MHD_add_response_header) *MHD_add_response_header;
    __typeof__(MHD_create_response_from_buffer)
        *MHD_create_response_from_buffer;
    __typeof__(MHD_destroy_response) *MHD_destroy_response;
    __typeof__(MHD_get_connection_values) *MHD_get_connection_values;
    __typeof__(MHD_lookup_connection_value) *MHD_lookup_connection_value;
    __typeof__(MHD_queue_response) *MHD_queue_response;
    __typeof__(MHD_quiesce_daemon) *MHD_quiesce_daemon;
    __typeof__(MHD_start_daemon) *MHD_start_daemon;
    __typeof__(MHD_stop_daemon) *MHD_stop_daemon;
};
extern struct rc_mhd rc_mhd;

/* Load the library once (thread-safe): 0, or -1 with err (RC_EENV)
 * naming the Debian package to install (libmicrohttpd12, for runcare serve). */
int rc_mhd_load(struct rc_err *err);

#ifndef RC_MHD_H_LOADER
#define MHD_add_response_header (rc_mhd.MHD_add_response_header)
#define MHD_create_response_from_buffer (rc_mhd.MHD_create_response_from_buffer)
#define MHD_destroy_response (rc_mhd.MHD_destroy_response)
#define MHD_get_connection_values (rc_mhd.MHD_get_connection_values)
#define MHD_lookup_connection_value (rc_mhd.MHD_lookup_connection_value)
#define MHD_queue_response (rc_mhd.MHD_queue_response)
#define MHD_quiesce_daemon (rc_mhd.MHD_quiesce_daemon)
#define MHD_start_daemon (rc_mhd.MHD_start_daemon)
#define MHD_stop_daemon (rc_mhd.MHD_stop_daemon)
#endif

#endif
