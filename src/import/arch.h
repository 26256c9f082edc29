/* arch.h - libarchive, loaded when an import meets its first archive.
 * Include this instead of the library's header: its functions are
 * called through a table that rc_arch_load fills once (base/dl.h). */
#ifndef RC_ARCH_H
#define RC_ARCH_H

#include <archive.h>
#include <archive_entry.h>

#include "base/err.h"

struct rc_arch {
    __typeof__(archive_entry_filetype) *archive_entry_filetype;
    __typeof__(archive_entry_pathname) *archive_entry_pathname;
    __typeof__(archive_entry_size) *archive_entry_size;
    __typeof__(archive_entry_size_is_set) *archive_entry_size_is_set;
    __typeof__(archive_error_string) *archive_error_string;
    __typeof__(archive_filter_bytes) *archive_filter_bytes;
    __typeof__(archive_read_data) *archive_read_data;
    __typeof__(archive_read_data_skip) *archive_read_data_skip;
    __typeof__(archive_read_free) *archive_read_free;
    __typeof__(archive_read_new) *archive_read_new;
    __typeof__(archive_read_next_header) *archive_read_next_header;
    __typeof__(archive_read_open) *archive_read_open;
    __typeof__(archive_read_open_filename) *archive_read_open_filename;
    __typeof__(archive_read_support_format_zip)
        *archive_read_support_format_zip;
    __typeof__(archive_set_error) *archive_set_error;
};
extern struct rc_arch rc_arch;

/* Load the library once (thread-safe): 0, or -1 with err (RC_EENV)
 * naming the Debian package to install (libarchive13, for zip archives:
 * a Strava or Garmin export). */
int rc_arch_load(struct rc_err *err);

#ifndef RC_ARCH_H_LOADER
#define archive_entry_filetype (rc_arch.archive_entry_filetype)
#define archive_entry_pathname (rc_arch.archive_entry_pathname)
#define archive_entry_size (rc_arch.archive_entry_size)
#define archive_entry_size_is_set (rc_arch.archive_entry_size_is_set)
#define archive_error_string (rc_arch.archive_error_string)
#define archive_filter_bytes (rc_arch.archive_filter_bytes)
#define archive_read_data (rc_arch.archive_read_data)
#define archive_read_data_skip (rc_arch.archive_read_data_skip)
#define archive_read_free (rc_arch.archive_read_free)
#define archive_read_new (rc_arch.archive_read_new)
#define archive_read_next_header (rc_arch.archive_read_next_header)
#define archive_read_open (rc_arch.archive_read_open)
#define archive_read_open_filename (rc_arch.archive_read_open_filename)
#define archive_read_support_format_zip                                        \
    (rc_arch.archive_read_support_format_zip)
#define archive_set_error (rc_arch.archive_set_error)
#endif

#endif
