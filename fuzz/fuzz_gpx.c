/* fuzz_gpx.c - libFuzzer target for the GPX decoder (and writer).
 *
 * Any bytes go through gpx_decode, plain and with DECODE_SALVAGE: each call
 * returns 0 with a file to release, or -1 with err set; never a crash, a
 * leak, a hang or unbounded memory. What decodes is written again with
 * gpx_write_activities and must decode again, with every activity that
 * has a timed point with a position: the writer never produces a file its
 * own decoder refuses.
 *
 * make fuzz runs it from fuzz/corpus/gpx/; make check replays that corpus
 * and fuzz/crashes/gpx/ under ASan and UBSan (fuzz/replay.c). */
#include "base/base.h"
#include "base/buf.h"
#include "decode/decode.h"
#include "gpx/gpx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Activities the GPX writer can carry: a GPX point needs a position,
 * and a track a timed point to be an activity again. */
static size_t writable(const struct activity_file *f)
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

static void rewrite(const struct activity_file *f)
{
    struct rc_buf b;
    struct activity_file again;
    struct rc_err err = RC_ERR_INIT;

    if (!f->nacts)
        return;
    rc_buf_init(&b, (size_t)256 << 20);
    if (gpx_write_activities(f->acts, f->nacts, &b, &err) < 0)
        abort(); /* only memory can fail here */
    if (gpx_decode(b.data, b.len, 0, &again, &err) < 0) {
        fprintf(stderr, "rewritten file refused: line %ld col %ld: %s\n",
                err.line, err.column, err.msg);
        abort();
    }
    if (again.nacts != writable(f))
        abort();
    activity_file_release(&again);
    rc_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned modes[] = { 0, DECODE_SALVAGE };
    for (size_t i = 0; i < RC_ARRAY_SIZE(modes); i++) {
        struct activity_file f;
        struct rc_err err = RC_ERR_INIT;
        if (gpx_decode(data, size, modes[i], &f, &err) < 0) {
            if (err.status == RC_OK || !err.msg[0])
                abort(); /* a failure must say why */
            continue;
        }
        if (modes[i] == 0)
            rewrite(&f);
        activity_file_release(&f);
    }
    return 0;
}
