/* activity.h - the one model of a recorded activity, whatever file it came
 * from (FIT, GPX, TCX) or none (a run logged by hand).
 *
 * Data flow: decoders (fit/, gpx/, tcx/) fill a struct activity_file with one
 * struct activity per session; import/ hands the activities to store/; load/
 * reads their totals. Nothing here parses or prints.
 *
 * Missing values: every measurement is a float or double and NAN means "not
 * recorded" (test with isnan or activity_known). An invalid sentinel in a
 * file must become NAN, never a number. Identifiers use 0 or "" for unknown.
 *
 * Ownership: an activity owns its laps and samples, an activity_file owns its
 * activities; the _release functions free them and leave empty structs. */
#ifndef RC_ACTIVITY_H
#define RC_ACTIVITY_H

#include "base/base.h"
#include "base/err.h"

/* Hard caps against hostile input (a day at 1 Hz is 86,400 samples). */
#define ACTIVITY_MAX_SAMPLES 4000000
#define ACTIVITY_MAX_LAPS 20000
#define ACTIVITY_FILE_MAX_ACTIVITIES 1000
#define ACTIVITY_FILE_MAX_WARNINGS 8

/* Thresholds used when totals are computed from samples (activity_fill_totals).
 * Moving: a sample counts as moving when its speed is at least this; 0.5 m/s
 * is a slow walk (1.8 km/h), below it GPS drift while standing dominates. */
#define ACTIVITY_MOVING_MPS 0.5
/* Without a speed, a step is judged by the distance since the last point
 * whose distance grew: a GPS that repeats its fix for a few seconds is
 * still moving; no distance for this long is a stop. */
#define ACTIVITY_STOP_S 10.0
/* Ascent/descent: altitude changes smaller than this are GPS/barometer noise
 * and are not counted (hysteresis: climb is counted once the altitude has
 * moved this far from the last turning point). */
#define ACTIVITY_ELEVATION_NOISE_M 3.0
/* Distance from positions: a fix closer than this to the last position
 * counted is GPS noise and adds nothing (hysteresis, as for elevation: the
 * distance grows once the runner is this far from the last counted point).
 * A standing watch's fix wanders by a few metres; summing every step of it
 * made a Forerunner 945 run's GPX 1.06% longer than the watch's own
 * distance, 2 m brings it to 0.62% (shared/data 6782987395; over 13 real
 * TCX files with device distances it never moves the sum by more than
 * 0.2% from plain summing, except for noisy tracks, which it improves). */
#define ACTIVITY_POSITION_NOISE_M 2.0
/* A gap between samples longer than this is a pause, not movement. */
#define ACTIVITY_PAUSE_S 30.0

/* How a decoder reads a file (the flags of every decoder, of decode_buffer
 * and of the registry's decode functions). */
enum activity_decode_flags {
    /* Keep every complete record before the damage of a file cut off or
     * with a bad CRC; the activity_file and its activities are marked
     * salvaged. Without it such a file is an error. */
    ACTIVITY_SALVAGE = 1 << 0,
};

/* Totals that were computed from the samples rather than read from the file;
 * a bit set in struct activity.computed. */
enum activity_computed {
    ACTIVITY_C_START = 1 << 0,
    ACTIVITY_C_ELAPSED = 1 << 1,
    ACTIVITY_C_TIMER = 1 << 2,
    ACTIVITY_C_MOVING = 1 << 3,
    ACTIVITY_C_DISTANCE = 1 << 4,
    ACTIVITY_C_ASCENT = 1 << 5,
    ACTIVITY_C_DESCENT = 1 << 6,
    ACTIVITY_C_HR = 1 << 7,
    ACTIVITY_C_CADENCE = 1 << 8,
};

struct activity_sample {
    double time_s;           /* Unix seconds, UTC */
    double lat_deg, lon_deg; /* WGS-84 degrees */
    float alt_m;             /* metres above sea level */
    float dist_m;            /* distance from the start, metres */
    float speed_mps;
    float hr_bpm;
    float cadence_rpm; /* as devices record it: revolutions (cycling) or
                          strides of one foot (running) per minute */
    float power_w;
    float temp_c;
};

struct activity_lap {
    double start_s; /* Unix seconds, UTC */
    double elapsed_s, timer_s, distance_m, ascent_m, descent_m;
    float avg_hr_bpm, max_hr_bpm, avg_cadence_rpm, max_cadence_rpm;
    float calories_kcal;
};

struct activity_device {
    char manufacturer[32]; /* "garmin", "suunto", ...; "" unknown */
    uint32_t product;      /* the maker's product number; 0 unknown */
    uint32_t serial;       /* 0 unknown */
    char product_name[64]; /* "Forerunner 945", GPX creator; "" unknown */
};

struct activity {
    char sport[24];     /* "running", "cycling", "swimming", ... ("generic") */
    char sub_sport[32]; /* "generic", "trail", "treadmill", ... */
    char name[128];     /* the runner's title, "" if none */
    double start_s;     /* Unix seconds, UTC */
    int32_t utc_offset_s; /* local time - UTC at the start */
    bool has_utc_offset;
    double elapsed_s; /* wall clock, start to end */
    double timer_s;   /* the watch's timer: elapsed minus pauses */
    double moving_s;  /* time actually moving */
    double distance_m, ascent_m, descent_m;
    float avg_hr_bpm, max_hr_bpm, avg_cadence_rpm, max_cadence_rpm;
    float avg_power_w, calories_kcal;
    unsigned computed;  /* enum activity_computed bits */
    bool salvaged;      /* kept from a damaged file (--salvage) */
    struct activity_device device;
    struct activity_lap *laps;
    size_t nlaps, laps_cap;
    struct activity_sample *samples;
    size_t nsamples, samples_cap;
};

/* What decoding one file gives: its format and type, and the activities in
 * it (none for a settings, course or route file: not an error).
 *
 * Every decoder (fit_decode, gpx_decode, tcx_decode, decode_buffer) keeps
 * one contract: it decodes the whole file in p[0..n) with flags (enum
 * activity_decode_flags); on success it fills *out (which the caller later
 * releases with activity_file_release) and returns 0, and a file that is
 * not an activity (settings, course, route) is a success with no
 * activities and out->note saying why. On failure it returns -1 with err
 * set (a byte offset or a line, and what was wrong) and *out untouched:
 * nothing half-built escapes. */
struct activity_file {
    char format[8];     /* "fit", "gpx", "tcx" */
    char file_type[24]; /* "activity", "course", "settings", "route", ... */
    char note[128];     /* why it is not an activity, "" if it is one */
    long records;       /* FIT record messages, GPX trkpt, TCX Trackpoint */
    bool salvaged;      /* something was damaged and left out (--salvage) */
    struct activity *acts;
    size_t nacts, acts_cap;
    unsigned nwarnings;
    char warnings[ACTIVITY_FILE_MAX_WARNINGS][200]; /* repairs made */
};

static inline bool activity_known(double v)
{
    return !isnan(v);
}

/* Set up an empty activity: every measurement NAN. Allocates nothing. */
void activity_init(struct activity *a);

/* Free laps and samples; the activity is empty (as after init) again. */
void activity_release(struct activity *a);

/* Set up a sample or lap with every value NAN. */
void activity_sample_init(struct activity_sample *s);
void activity_lap_init(struct activity_lap *l);

/* Append a new sample (all NAN) or lap and return it; NULL with err set when
 * the cap is reached (RC_EINPUT) or memory runs out (RC_EENV). The pointer
 * is valid until the next append. */
struct activity_sample *activity_add_sample(struct activity *a,
                                            struct rc_err *err);
struct activity_lap *activity_add_lap(struct activity *a, struct rc_err *err);

/* Fill every total that is still NAN from the samples, and mark it in
 * a->computed: start, elapsed, timer (elapsed minus gaps over
 * ACTIVITY_PAUSE_S), moving (ACTIVITY_MOVING_MPS), distance (the last
 * dist_m, else the sum of great-circle steps between positions, steps under
 * ACTIVITY_POSITION_NOISE_M held back as noise), ascent and descent
 * (ACTIVITY_ELEVATION_NOISE_M), heart rate and cadence averages and maxima.
 * Also fills the samples' dist_m from positions when no sample has one.
 * Totals the file gave are never changed. */
void activity_fill_totals(struct activity *a);

/* Great-circle distance in metres between two WGS-84 points, by the
 * haversine formula on a sphere of the mean Earth radius (6,371,008.8 m).
 * Against the WGS-84 ellipsoid it errs by at most ~0.5%, less than GPS noise
 * over a run, and it is fast and needs no iteration. */
double activity_geo_distance_m(double lat1, double lon1, double lat2,
                               double lon2);

/* Name of a sport for people ("running" -> "Run"). */
const char *activity_sport_label(const char *sport);

/* The sport a runner means, in any case: "run", "Run", "running", "jog"
 * -> "running"; "ride", "bike", "cycling" -> "cycling"; "walk" ->
 * "walking"; "hike" -> "hiking"; "swim" -> "swimming"; the labels of
 * activity_sport_label too. NULL when it is none of these. */
const char *activity_sport_parse(const char *text);

/* The sports activity_sport_parse knows, for an error message. */
const char *activity_sport_words(void);

void activity_file_init(struct activity_file *f);
void activity_file_release(struct activity_file *f);

/* Append a new activity (initialised) and return it; NULL with err set past
 * ACTIVITY_FILE_MAX_ACTIVITIES or when memory runs out. */
struct activity *activity_file_add(struct activity_file *f,
                                   struct rc_err *err);

/* Record a repair made while decoding ("undeclared prefix 'gpxdata' at line
 * 17: read without namespaces"); past the cap the last one says so. */
void activity_file_warn(struct activity_file *f, const char *fmt, ...)
    RC_PRINTF(2, 3);

#endif
