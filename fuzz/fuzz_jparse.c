/* fuzz_jparse.c - libFuzzer target for jparse (src/json/jparse.h), the
 * parser of the built-in knowledge base, checked against Jansson on the
 * same bytes. jparse must never crash, read past the input or leak; what
 * it accepts Jansson (json_loadb with JSON_REJECT_DUPLICATES) must accept
 * too, as the same value with its keys in the same order; and what
 * Jansson accepts jparse may refuse only as jparse.h says: a number longer
 * than JPARSE_NUMBER_MAX, nesting deeper than JPARSE_DEPTH_MAX, a NUL byte
 * outside a string (Jansson skips one after a number or a literal). Any
 * disagreement aborts, so the fuzzer reports it like a crash. */
#include "base/base.h"
#include "json/jparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jparse_error pe;
    json_error_t je;
    json_t *mine = jparse_load((const char *)data, size, &pe);
    json_t *theirs = json_loadb((const char *)data, size,
                                JSON_REJECT_DUPLICATES, &je);

    if (mine && (!theirs || !jparse_same(mine, theirs)))
        abort();
    if (!mine && (pe.offset > size || !pe.msg[0]))
        abort();
    if (!mine && theirs && !strstr(pe.msg, "number longer than") &&
        !strstr(pe.msg, "nesting deeper than") &&
        !(pe.offset < size && data[pe.offset] == '\0'))
        abort();
    json_decref(mine);
    json_decref(theirs);
    return 0;
}
