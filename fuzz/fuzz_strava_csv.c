/* fuzz_strava_csv.c - libFuzzer target for the parser of Strava's
 * activities.csv (src/import/strava_csv.c) and of its dates: any bytes
 * must give rows or a line-numbered error, never a crash, a hang or a
 * leak; a manual row's numbers are absent or not below zero. */
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
            double t;
            if (!c.rows[i].filename || !c.rows[i].gear || !c.rows[i].id ||
                !c.rows[i].date)
                abort();
            (void)import_strava_sport(c.rows[i].type, &sub);
            /* a manual row's numbers: not there, or plain and not below 0 */
            if (c.rows[i].distance_m < 0 || c.rows[i].elapsed_s < 0 ||
                c.rows[i].moving_s < 0)
                abort();
            t = import_strava_date(c.rows[i].date);
            if (!isnan(t) && !isfinite(t))
                abort();
        }
        import_strava_csv_release(&c);
    } else if (err.status == RC_OK || !err.msg[0]) {
        abort(); /* a failure must say why */
    }
    return 0;
}
