/* app_json.h - what every front end shows as JSON: an activity, a stored
 * activity, a shoe, an import's summary, a run's samples for a chart.
 * `list --json`, `shoe list --json`, `inspect --json` and the web page's
 * API (http/) print the same objects, so they are built once, here.
 *
 * Ownership: arguments are borrowed; every json_t returned is a new
 * reference (json_decref it). */
#ifndef RC_APP_JSON_H
#define RC_APP_JSON_H

#include <jansson.h>

#include "base/base.h"
#include "activity/activity.h"
#include "import/import.h"
#include "store/store.h"

/* A number rounded to `decimals` places, or JSON null when v is NAN. */
json_t *app_json_num(double v, int decimals);

/* A day as JSON: "2024-05-01", or null for LONG_MIN. */
json_t *app_json_day(long day);

/* One activity as in `inspect --json`: sport, start_utc, totals, laps and
 * sample counts, device, salvaged, and "computed": the totals runcare
 * worked out from the samples. */
json_t *app_activity_json(const struct activity *a);

/* A stored activity for `list --json` and the web page: the fields of
 * app_activity_json plus id, local_date, rpe, shoe, format and, for a
 * superseded recording, duplicate_of. */
json_t *app_stored_activity_json(const struct store_activity *sa);

/* A shoe as `shoe list --json` shows it: name, km, start_km, limit_km,
 * runs, retired, default, past_limit. */
json_t *app_shoe_json(const struct store_shoe *s);

/* The lines `runcare import` prints on stdout at the end ("imported 3
 * files (3 new activities), ..."), each ended by '\n', into out (cut at
 * n bytes). */
void app_import_summary_text(const struct import_summary *s, char *out,
                             size_t n);

/* An import's summary: its counts, the failures (path with prefix cut
 * from its start when it begins with it, reason), the log's totals after
 * it, and "text": app_import_summary_text's lines. */
json_t *app_import_summary_json(const struct import_summary *s,
                                const char *prefix);

/* A run's samples for charts over distance, at most max_points of them
 * (evenly picked): {"distance_km":[], "pace_s_per_km":[], "hr_bpm":[],
 * "alt_m":[], "track":[[x,y]...]} with null where a sample has no value;
 * the track is the positions projected to metres east and north of the
 * first one (no map needed), [] without positions. */
json_t *app_samples_json(const struct activity *full, size_t max_points);

#endif
