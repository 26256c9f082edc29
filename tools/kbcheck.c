/* kbcheck.c - build-time check of the knowledge base built into runcare.
 * The Makefile runs it before it links runcare:
 *     BUILD/tools/kbcheck
 * runcare loads its built-in kb without the checks (kb_load_embedded, to
 * keep a check under 2 ms), so they run here instead, on the very bytes
 * embedded in librc: every check of `runcare check --kb DIR`, jparse and
 * Jansson reading every record alike, and the unchecked load
 * (kb_check_build in src/triage/triage.h). On a problem it prints
 *     kbcheck: kb/conditions.jsonl: line 14: unknown report field "/pain/scor"
 * and exits 1, which fails the build. */
#include "base/base.h"
#include "triage/triage.h"

int main(void)
{
    struct kb_text files[KB_FILES_MAX];
    struct rc_err err = RC_ERR_INIT;
    char text[512];
    size_t n = kb_embedded_texts(files, RC_ARRAY_SIZE(files));

    if (n > RC_ARRAY_SIZE(files)) {
        fprintf(stderr, "kbcheck: %zu kb files, more than %zu\n", n,
                RC_ARRAY_SIZE(files));
        return 1;
    }
    if (kb_check_build(files, n, &err) < 0) {
        fprintf(stderr, "kbcheck: %s\n",
                rc_err_format(&err, text, sizeof(text)));
        return 1;
    }
    return 0;
}
