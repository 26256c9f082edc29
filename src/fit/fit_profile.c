/* fit_profile.c - the small part of the FIT profile runcare needs: base type
 * sizes, the CRC, and names for file types, sports, sub-sports and
 * manufacturers (used by the decoder for output and by the encoder for
 * input). Our own tables of public numbers; numbers not listed decode as
 * "sport_53", "manufacturer_1052" and so on (see fit.c). */
#include <pthread.h>

#include "base/base.h"
#include "fit/fit_int.h"

const uint8_t fit_base_size[FIT_BASE_COUNT] = {
    [FIT_ENUM] = 1,    [FIT_SINT8] = 1,   [FIT_UINT8] = 1,
    [FIT_SINT16] = 2,  [FIT_UINT16] = 2,  [FIT_SINT32] = 4,
    [FIT_UINT32] = 4,  [FIT_STRING] = 1,  [FIT_FLOAT32] = 4,
    [FIT_FLOAT64] = 8, [FIT_UINT8Z] = 1,  [FIT_UINT16Z] = 2,
    [FIT_UINT32Z] = 4, [FIT_BYTE] = 1,    [FIT_SINT64] = 8,
    [FIT_UINT64] = 8,  [FIT_UINT64Z] = 8,
};

/* ---- CRC ----
 * CRC-16/ARC, computed 8 bytes at a time ("slicing by 8"): crc_tab[k][b] is
 * the CRC register after byte b followed by k zero bytes, so the eight
 * lookups of one step are independent and the CPU overlaps them. About 6x
 * the speed of the byte-at-a-time table; the decoder runs it over every
 * byte of every file. */
static uint16_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (unsigned b = 0; b < 256; b++) {
        uint16_t c = (uint16_t)b;
        for (int i = 0; i < 8; i++)
            c = (uint16_t)(c & 1 ? (c >> 1) ^ 0xA001 : c >> 1);
        crc_tab[0][b] = c;
    }
    for (unsigned k = 1; k < 8; k++)
        for (unsigned b = 0; b < 256; b++) {
            uint16_t c = crc_tab[k - 1][b];
            crc_tab[k][b] = (uint16_t)((c >> 8) ^ crc_tab[0][c & 0xFF]);
        }
}

uint16_t fit_crc16(uint16_t crc, const void *p, size_t n)
{
    const unsigned char *s = p;

    pthread_once(&crc_once, crc_init);
    while (n >= 8) {
        unsigned c = crc ^ (unsigned)(s[0] | s[1] << 8);
        crc = (uint16_t)(crc_tab[7][c & 0xFF] ^ crc_tab[6][c >> 8] ^
                         crc_tab[5][s[2]] ^ crc_tab[4][s[3]] ^
                         crc_tab[3][s[4]] ^ crc_tab[2][s[5]] ^
                         crc_tab[1][s[6]] ^ crc_tab[0][s[7]]);
        s += 8;
        n -= 8;
    }
    while (n--)
        crc = (uint16_t)((crc >> 8) ^ crc_tab[0][(crc ^ *s++) & 0xFF]);
    return crc;
}

/* ---- Names ---- */

struct fit_name {
    unsigned num;
    const char *name;
};

static const char *name_of(const struct fit_name *t, size_t n, unsigned num)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].num == num)
            return t[i].name;
    return NULL;
}

static int number_of(const struct fit_name *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].name, name))
            return (int)t[i].num;
    return -1;
}

static const struct fit_name file_types[] = {
    { 1, "device" },         { 2, "settings" },
    { 3, "sport" },          { 4, "activity" },
    { 5, "workout" },        { 6, "course" },
    { 7, "schedules" },      { 9, "weight" },
    { 10, "totals" },        { 11, "goals" },
    { 14, "blood_pressure" }, { 15, "monitoring_a" },
    { 20, "activity_summary" }, { 28, "monitoring_daily" },
    { 32, "monitoring_b" },  { 34, "segment" },
    { 35, "segment_list" },  { 40, "exd_configuration" },
};

const char *fit_file_type_name(unsigned type)
{
    return name_of(file_types, RC_ARRAY_SIZE(file_types), type);
}

static const struct fit_name sports[] = {
    { 0, "generic" },
    { 1, "running" },
    { 2, "cycling" },
    { 3, "transition" },
    { 4, "fitness_equipment" },
    { 5, "swimming" },
    { 6, "basketball" },
    { 7, "soccer" },
    { 8, "tennis" },
    { 9, "american_football" },
    { 10, "training" },
    { 11, "walking" },
    { 12, "cross_country_skiing" },
    { 13, "alpine_skiing" },
    { 14, "snowboarding" },
    { 15, "rowing" },
    { 16, "mountaineering" },
    { 17, "hiking" },
    { 18, "multisport" },
    { 19, "paddling" },
    { 20, "flying" },
    { 21, "e_biking" },
};

const char *fit_sport_name(unsigned sport)
{
    return name_of(sports, RC_ARRAY_SIZE(sports), sport);
}

int fit_sport_number(const char *name)
{
    return number_of(sports, RC_ARRAY_SIZE(sports), name);
}

static const struct fit_name sub_sports[] = {
    { 0, "generic" },
    { 1, "treadmill" },
    { 2, "street" },
    { 3, "trail" },
    { 4, "track" },
    { 5, "spin" },
    { 6, "indoor_cycling" },
    { 7, "road" },
    { 8, "mountain" },
    { 9, "downhill" },
    { 10, "recumbent" },
    { 11, "cyclocross" },
    { 12, "hand_cycling" },
    { 13, "track_cycling" },
    { 14, "indoor_rowing" },
    { 15, "elliptical" },
    { 16, "stair_climbing" },
    { 17, "lap_swimming" },
    { 18, "open_water" },
    { 19, "flexibility_training" },
    { 20, "strength_training" },
    { 21, "warm_up" },
    { 22, "match" },
    { 23, "exercise" },
    { 24, "challenge" },
    { 25, "indoor_skiing" },
    { 26, "cardio_training" },
    { 27, "indoor_walking" },
    { 45, "indoor_running" },
    { 58, "virtual_activity" },
};

const char *fit_sub_sport_name(unsigned sub)
{
    return name_of(sub_sports, RC_ARRAY_SIZE(sub_sports), sub);
}

int fit_sub_sport_number(const char *name)
{
    return number_of(sub_sports, RC_ARRAY_SIZE(sub_sports), name);
}

/* The makers of the watches, bike computers, apps and sensors found in
 * runners' files. */
static const struct fit_name manufacturers[] = {
    { 1, "garmin" },
    { 2, "garmin_fr405_antfs" },
    { 3, "zephyr" },
    { 6, "srm" },
    { 7, "quarq" },
    { 9, "saris" },
    { 11, "tanita" },
    { 13, "dynastream_oem" },
    { 15, "dynastream" },
    { 16, "timex" },
    { 23, "suunto" },
    { 32, "wahoo_fitness" },
    { 37, "magellan" },
    { 40, "concept2" },
    { 41, "shimano" },
    { 48, "pioneer" },
    { 63, "specialized" },
    { 68, "cateye" },
    { 69, "stages_cycling" },
    { 70, "sigmasport" },
    { 71, "tomtom" },
    { 76, "moxy" },
    { 86, "elite" },
    { 87, "nielsen_kellerman" },
    { 89, "tacx" },
    { 95, "stryd" },
    { 107, "magene" },
    { 115, "igpsport" },
    { 123, "polar_electro" },
    { 255, "development" },
    { 258, "lezyne" },
    { 260, "zwift" },
    { 263, "favero_electronics" },
    { 265, "strava" },
    { 267, "bryton" },
    { 268, "sram" },
    { 281, "trainer_road" },
    { 289, "hammerhead" },
    { 294, "coros" },
    { 307, "onelap" },
};

const char *fit_manufacturer_name(unsigned manufacturer)
{
    return name_of(manufacturers, RC_ARRAY_SIZE(manufacturers), manufacturer);
}

int fit_manufacturer_number(const char *name)
{
    return number_of(manufacturers, RC_ARRAY_SIZE(manufacturers), name);
}
