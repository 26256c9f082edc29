/* bench_expat_floor.c - the floor under any Expat-based GPX/TCX decoder:
 * Expat parsing the same bytes with empty handlers, set up as runcare's
 * reader sets it up (src/xml/xml.c: no namespace processing, the whole file
 * in one XML_Parse call, element and character-data handlers installed),
 * reading each file the same way (rc_buf_read_file). bench/bench_gpx.sh
 * times it beside `runcare inspect --json` on the same corpus.
 *
 *     bench_expat_floor FILE...     exit 1 if a file is not well-formed
 *
 * Prints nothing but errors: the handlers do no work at all. */
#include <expat.h>

#include "base/base.h"
#include "base/buf.h"

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **attrs)
{
    (void)ud;
    (void)name;
    (void)attrs;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    (void)ud;
    (void)s;
    (void)len;
}

int main(int argc, char **argv)
{
    struct rc_buf b;
    int status = 0;

    rc_buf_init(&b, (size_t)512 << 20);
    for (int i = 1; i < argc; i++) {
        struct rc_err err = RC_ERR_INIT;
        XML_Parser p;
        if (rc_buf_read_file(&b, argv[i], &err) < 0 || b.len > INT_MAX) {
            fprintf(stderr, "bench_expat_floor: %s: %s\n", argv[i],
                    err.msg[0] ? err.msg : "too large");
            status = 1;
            continue;
        }
        p = XML_ParserCreate(NULL);
        if (!p)
            return 3;
        XML_SetElementHandler(p, on_start, on_end);
        XML_SetCharacterDataHandler(p, on_text);
        if (XML_Parse(p, (const char *)b.data, (int)b.len, XML_TRUE) !=
            XML_STATUS_OK) {
            fprintf(stderr, "bench_expat_floor: %s: line %lu: %s\n", argv[i],
                    (unsigned long)XML_GetErrorLineNumber(p),
                    XML_ErrorString(XML_GetErrorCode(p)));
            status = 1;
        }
        XML_ParserFree(p);
    }
    rc_buf_release(&b);
    return status;
}
