/* arch.c - the table of arch.h, filled by dlopen (base/dl.h). */
#define RC_ARCH_H_LOADER
#include "base/base.h"
#include "base/dl.h"
#include "import/arch.h"

#ifndef RC_SONAME_ARCHIVE
#error "RC_SONAME_ARCHIVE (the library's soname) comes from tools/deps.sh"
#endif

struct rc_arch rc_arch;

/* each function by name, and where its pointer goes */
#define SYM(f) { #f, offsetof(struct rc_arch, f) }
static const struct rc_dl_sym syms[] = {
    SYM(archive_entry_filetype),
    SYM(archive_entry_pathname),
    SYM(archive_entry_size),
    SYM(archive_entry_size_is_set),
    SYM(archive_error_string),
    SYM(archive_filter_bytes),
    SYM(archive_read_data),
    SYM(archive_read_data_skip),
    SYM(archive_read_free),
    SYM(archive_read_new),
    SYM(archive_read_next_header),
    SYM(archive_read_open),
    SYM(archive_read_open_filename),
    SYM(archive_read_support_format_zip),
    SYM(archive_set_error),
};
#undef SYM

static struct rc_dl lib =
    RC_DL_INIT(RC_SONAME_ARCHIVE, "libarchive13",
               "zip archives (Strava and Garmin exports)", syms, &rc_arch);

int rc_arch_load(struct rc_err *err)
{
    return rc_dl_load(&lib, err);
}
