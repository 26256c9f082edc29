/* fuzz_strava_csv.c - libFuzzer target for the parser of Strava's
 * activities.csv (src/import/strava_csv.c): any bytes must give rows or a
 * line-numbered error, never a crash, a hang or a leak. */
#include "base/base.h"
#include "import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct strava_csv c;
    struct rc_err err = RC_ERR_INIT;
    if (import_strava_csv_parse((const char *)data, size, &c, &err) == 0) {
        for (size_t i = 0; i < c.nrows; i++) {
            const char *sub;
            if (!c.rows[i].filename || !c.rows[i].gear)
                abort();
            (void)import_strava_sport(c.rows[i].type, &sub);
        }
        import_strava_csv_release(&c);
    } else if (err.status == RC_OK || !err.msg[0]) {
        abort(); /* a failure must say why */
    }
    return 0;
}
