/* fuzz_tcx.c - libFuzzer target for the TCX decoder (and writer).
 *
 * Any bytes go through tcx_decode, plain and with DECODE_SALVAGE: each call
 * returns 0 with a file to release, or -1 with err set; never a crash, a
 * leak, a hang or unbounded memory. What decodes is written again with
 * tcx_write_activities and must decode again with as many activities:
 * the writer never produces a file its own decoder refuses.
 *
 * make fuzz runs it from fuzz/corpus/tcx/; make check replays that corpus
 * and fuzz/crashes/tcx/ under ASan and UBSan (fuzz/replay.c). */
#include "base/base.h"
#include "base/buf.h"
#include "decode/decode.h"
#include "tcx/tcx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Activities the TCX writer carries: all (each decoded one has a
 * time). */
static size_t writable(const struct activity_file *f)
{
    return f->nacts;
}

static void rewrite(const struct activity_file *f)
{
    struct rc_buf b;
    struct activity_file again;
    struct rc_err err = RC_ERR_INIT;

    if (!f->nacts)
        return;
    rc_buf_init(&b, (size_t)256 << 20);
    if (tcx_write_activities(f->acts, f->nacts, &b, &err) < 0)
        abort(); /* only memory can fail here */
    if (tcx_decode(b.data, b.len, 0, &again, &err) < 0) {
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
        if (tcx_decode(data, size, modes[i], &f, &err) < 0) {
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
