/* fuzz_gpx.c - libFuzzer target for the GPX decoder and writer (the body
 * is fuzz_xml.h). make fuzz runs it from fuzz/corpus/gpx/; make check
 * replays that corpus and fuzz/crashes/gpx/ under ASan and UBSan. */
#include "base/base.h"
#include "gpx/gpx.h"
#include "fuzz_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Activities the GPX writer can carry: a GPX point needs a position, and
 * a track a timed point to be an activity again. */
static size_t gpx_writable(const struct activity_file *f)
{
    size_t k = 0;
    for (size_t i = 0; i < f->nacts; i++)
        for (size_t j = 0; j < f->acts[i].nsamples; j++) {
            const struct activity_sample *s = &f->acts[i].samples[j];
            if (activity_known(s->time_s) && activity_known(s->lat_deg) &&
                activity_known(s->lon_deg)) {
                k++;
                break;
            }
        }
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct fuzz_xml_format gpx = { gpx_decode,
                                                gpx_write_activities,
                                                gpx_writable };
    return fuzz_xml_one(&gpx, data, size);
}
