/* fuzz_tcx.c - libFuzzer target for the TCX decoder and writer (the body
 * is fuzz_xml.h). make fuzz runs it from fuzz/corpus/tcx/; make check
 * replays that corpus and fuzz/crashes/tcx/ under ASan and UBSan. */
#include "base/base.h"
#include "tcx/tcx.h"
#include "tcx_write.h"
#include "fuzz_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The TCX writer carries every activity (each decoded one has a time). */
static size_t tcx_writable(const struct activity_file *f)
{
    return f->nacts;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct fuzz_xml_format tcx = { tcx_decode,
                                                tcx_write_activities,
                                                tcx_writable };
    return fuzz_xml_one(&tcx, data, size);
}
