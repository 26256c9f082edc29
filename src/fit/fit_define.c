/* fit_define.c - the FIT decoder's definition messages: what runcare reads
 * of each message kind (slot tables), and a definition compiled into the
 * list of read operations its data messages run (see fit.c, fit_dec.h;
 * the layout of a definition message is drawn in fit_int.h). */
#include "base/base.h"
#include "base/alloc.h"
#include "fit/fit_dec.h"

/* Reader of each base type, little- and big-endian (RD_NONE: not a number
 * runcare reads; string and byte fields are handled apart). */
static const uint8_t rd_of[FIT_BASE_COUNT][2] = {
    [FIT_ENUM] = { RD_U8, RD_U8 },
    [FIT_SINT8] = { RD_S8, RD_S8 },
    [FIT_UINT8] = { RD_U8, RD_U8 },
    [FIT_SINT16] = { RD_S16L, RD_S16B },
    [FIT_UINT16] = { RD_U16L, RD_U16B },
    [FIT_SINT32] = { RD_S32L, RD_S32B },
    [FIT_UINT32] = { RD_U32L, RD_U32B },
    [FIT_STRING] = { RD_NONE, RD_NONE },
    [FIT_FLOAT32] = { RD_F32L, RD_F32B },
    [FIT_FLOAT64] = { RD_F64L, RD_F64B },
    [FIT_UINT8Z] = { RD_U8Z, RD_U8Z },
    [FIT_UINT16Z] = { RD_U16ZL, RD_U16ZB },
    [FIT_UINT32Z] = { RD_U32ZL, RD_U32ZB },
    [FIT_BYTE] = { RD_NONE, RD_NONE },
    [FIT_SINT64] = { RD_S64L, RD_S64B },
    [FIT_UINT64] = { RD_U64L, RD_U64B },
    [FIT_UINT64Z] = { RD_U64ZL, RD_U64ZB },
};

/* ---- What runcare reads from each message: slot tables ----
 *
 * A slot table maps a field number to a slot (0 = not read); the slots
 * are in fit_dec.h. */

static const uint8_t file_id_slots[256] = {
    [FIT_FILE_ID_TYPE] = FS_TYPE,
    [FIT_FILE_ID_MANUFACTURER] = FS_MANUF,
    [FIT_FILE_ID_PRODUCT] = FS_PRODUCT,
    [FIT_FILE_ID_SERIAL] = FS_SERIAL,
    [FIT_FILE_ID_TIME_CREATED] = FS_CREATED,
    [FIT_FILE_ID_PRODUCT_NAME] = FS_PNAME,
};

static const uint8_t sport_slots[256] = {
    [FIT_SPORT_SPORT] = PS_SPORT,
    [FIT_SPORT_SUB_SPORT] = PS_SUB,
};

static const uint8_t session_slots[256] = {
    [FIT_SESSION_START_TIME] = SS_START,
    [FIT_SESSION_SPORT] = SS_SPORT,
    [FIT_SESSION_SUB_SPORT] = SS_SUB,
    [FIT_SESSION_ELAPSED] = SS_ELAPSED,
    [FIT_SESSION_TIMER] = SS_TIMER,
    [FIT_SESSION_DISTANCE] = SS_DIST,
    [FIT_SESSION_CALORIES] = SS_CAL,
    [FIT_SESSION_AVG_HR] = SS_AVGHR,
    [FIT_SESSION_MAX_HR] = SS_MAXHR,
    [FIT_SESSION_AVG_CADENCE] = SS_AVGCAD,
    [FIT_SESSION_MAX_CADENCE] = SS_MAXCAD,
    [FIT_SESSION_AVG_POWER] = SS_AVGPOW,
    [FIT_SESSION_ASCENT] = SS_ASC,
    [FIT_SESSION_DESCENT] = SS_DESC,
    [FIT_SESSION_MOVING] = SS_MOVING,
};

static const uint8_t lap_slots[256] = {
    [FIT_LAP_START_TIME] = LS_START,
    [FIT_LAP_ELAPSED] = LS_ELAPSED,
    [FIT_LAP_TIMER] = LS_TIMER,
    [FIT_LAP_DISTANCE] = LS_DIST,
    [FIT_LAP_CALORIES] = LS_CAL,
    [FIT_LAP_AVG_HR] = LS_AVGHR,
    [FIT_LAP_MAX_HR] = LS_MAXHR,
    [FIT_LAP_AVG_CADENCE] = LS_AVGCAD,
    [FIT_LAP_MAX_CADENCE] = LS_MAXCAD,
    [FIT_LAP_ASCENT] = LS_ASC,
    [FIT_LAP_DESCENT] = LS_DESC,
};

static const uint8_t record_slots[256] = {
    [FIT_RECORD_LAT] = RS_LAT,
    [FIT_RECORD_LON] = RS_LON,
    [FIT_RECORD_ALTITUDE] = RS_ALT,
    [FIT_RECORD_HR] = RS_HR,
    [FIT_RECORD_CADENCE] = RS_CAD,
    [FIT_RECORD_DISTANCE] = RS_DIST,
    [FIT_RECORD_SPEED] = RS_SPEED,
    [FIT_RECORD_POWER] = RS_POWER,
    [FIT_RECORD_COMPRESSED_SPEED_DISTANCE] = RS_CSD,
    [FIT_RECORD_TEMPERATURE] = RS_TEMP,
    [FIT_RECORD_FRACTIONAL_CADENCE] = RS_FCAD,
    [FIT_RECORD_ENHANCED_SPEED] = RS_ESPEED,
    [FIT_RECORD_ENHANCED_ALTITUDE] = RS_EALT,
};

static const uint8_t event_slots[256] = {
    [FIT_EVENT_EVENT] = ES_EVENT,
    [FIT_EVENT_TYPE] = ES_TYPE,
};

static const uint8_t device_info_slots[256] = {
    [FIT_DEVICE_INFO_INDEX] = DS_INDEX,
    [FIT_DEVICE_INFO_MANUFACTURER] = DS_MANUF,
    [FIT_DEVICE_INFO_SERIAL] = DS_SERIAL,
    [FIT_DEVICE_INFO_PRODUCT] = DS_PRODUCT,
    [FIT_DEVICE_INFO_PRODUCT_NAME] = DS_PNAME,
};

static const uint8_t activity_slots[256] = {
    [FIT_ACTIVITY_TIMER] = AS_TIMER,
    [FIT_ACTIVITY_NUM_SESSIONS] = AS_NSESS,
    [FIT_ACTIVITY_LOCAL_TIMESTAMP] = AS_LOCAL,
};

static const uint8_t field_desc_slots[256] = {
    [FIT_FIELD_DESC_DEV_INDEX] = XS_DEVIDX,
    [FIT_FIELD_DESC_FIELD_NUM] = XS_FNUM,
    [FIT_FIELD_DESC_BASE_TYPE] = XS_BASE,
    [FIT_FIELD_DESC_NAME] = XS_NAME,
    [FIT_FIELD_DESC_SCALE] = XS_SCALE,
    [FIT_FIELD_DESC_OFFSET] = XS_OFFSET,
    [FIT_FIELD_DESC_UNITS] = XS_UNITS,
    [FIT_FIELD_DESC_NATIVE_MESG] = XS_NMESG,
    [FIT_FIELD_DESC_NATIVE_FIELD] = XS_NFIELD,
};

static const uint8_t dev_data_id_slots[256] = {
    [FIT_DEV_DATA_ID_DEV_INDEX] = YS_DEVIDX,
};

static const struct {
    const uint8_t *slots;
    uint8_t nslots; /* numeric slots are 1 .. nslots - 1 */
} kinds[K_COUNT] = {
    [K_OTHER] = { NULL, 1 },
    [K_FILE_ID] = { file_id_slots, FS_N },
    [K_SPORT] = { sport_slots, PS_N },
    [K_SESSION] = { session_slots, SS_N },
    [K_LAP] = { lap_slots, LS_N },
    [K_RECORD] = { record_slots, RS_N },
    [K_EVENT] = { event_slots, ES_N },
    [K_DEVICE_INFO] = { device_info_slots, DS_N },
    [K_ACTIVITY] = { activity_slots, AS_N },
    [K_FIELD_DESC] = { field_desc_slots, XS_N },
    [K_DEV_DATA_ID] = { dev_data_id_slots, YS_N },
};

static enum fit_kind kind_of(unsigned global)
{
    switch (global) {
    case FIT_MESG_FILE_ID:
        return K_FILE_ID;
    case FIT_MESG_SPORT:
        return K_SPORT;
    case FIT_MESG_SESSION:
        return K_SESSION;
    case FIT_MESG_LAP:
        return K_LAP;
    case FIT_MESG_RECORD:
        return K_RECORD;
    case FIT_MESG_EVENT:
        return K_EVENT;
    case FIT_MESG_DEVICE_INFO:
        return K_DEVICE_INFO;
    case FIT_MESG_ACTIVITY:
        return K_ACTIVITY;
    case FIT_MESG_FIELD_DESCRIPTION:
        return K_FIELD_DESC;
    case FIT_MESG_DEVELOPER_DATA_ID:
        return K_DEV_DATA_ID;
    default:
        return K_OTHER;
    }
}

const char *fit_kind_name(enum fit_kind k)
{
    static const char *const names[K_COUNT] = {
        [K_OTHER] = "message",        [K_FILE_ID] = "file_id",
        [K_SPORT] = "sport",          [K_SESSION] = "session",
        [K_LAP] = "lap",              [K_RECORD] = "record",
        [K_EVENT] = "event",          [K_DEVICE_INFO] = "device_info",
        [K_ACTIVITY] = "activity",    [K_FIELD_DESC] = "field_description",
        [K_DEV_DATA_ID] = "developer_data_id",
    };
    return names[k];
}

/* ---- Definitions ---- */

void fit_compile_dev(struct fit_dec *d, struct fit_def *def)
{
    uint32_t off = def->dev_start;
    def->ndevops = 0;
    def->has_mirror = false;
    def->dev_gen = d->dev_gen;
    for (unsigned i = 0; i < def->ndev; i++) {
        uint8_t num = def->dev->raw[i][0], size = def->dev->raw[i][1];
        uint8_t idx = def->dev->raw[i][2];
        for (unsigned k = 0; k < d->ndescs; k++) {
            const struct fit_desc *x = &d->descs[k];
            unsigned base = x->base & 0x1F, bs;
            if (x->dev_index != idx || x->field_num != num)
                continue;
            if (base >= FIT_BASE_COUNT)
                break;
            bs = fit_base_size[base];
            if (rd_of[base][0] == RD_NONE || size < bs || size % bs)
                break;
            def->dev->ops[def->ndevops].off = off;
            def->dev->ops[def->ndevops].rd = rd_of[base][def->big];
            def->dev->ops[def->ndevops].desc = (uint8_t)k;
            def->ndevops++;
            if (x->mirror && def->kind == K_RECORD)
                def->has_mirror = true;
            break;
        }
        off += size;
    }
}

/* One field definition (number, size, base type at f) of def, whose
 * value starts at byte off of its data messages: an operation when
 * runcare reads the field, the timestamp's place, or nothing. */
static void define_field(struct fit_dec *d, struct fit_def *def,
                         const uint8_t *slots, const unsigned char *f,
                         uint32_t off)
{
    unsigned num = f[0], fsize = f[1], base = f[2] & 0x1F;
    unsigned bs = base < FIT_BASE_COUNT ? fit_base_size[base] : 1;
    unsigned slot = slots ? slots[num] : 0;
    struct fit_op *op;

    if (fsize % bs || fsize < bs) {
        if (fsize)
            d->info.misaligned_fields++;
        return;
    }
    if (base >= FIT_BASE_COUNT)
        return;
    if (num == FIT_FIELD_TIMESTAMP) {
        if (fsize == 4 && (base == FIT_UINT32 || base == FIT_UINT32Z))
            def->ts_off = (int32_t)off;
        return;
    }
    if (!slot)
        return;
    if (slot & STR) {
        op = &def->sops[def->nsops];
        if (base != FIT_STRING || def->nsops == MAX_STRS)
            return;
        op->off = (uint16_t)off;
        op->slot = (uint8_t)(slot & ~STR);
        op->len = (uint8_t)fsize;
        op->rd = RD_STR;
        def->nsops++;
        return;
    }
    if (def->nops == MAX_OPS)
        return;
    op = &def->ops[def->nops];
    op->off = (uint16_t)off;
    op->slot = (uint8_t)slot;
    op->len = (uint8_t)fsize;
    if (def->kind == K_RECORD && slot == RS_CSD) {
        if (base != FIT_BYTE || fsize != 3)
            return;
        op->rd = RD_CSD;
    } else {
        op->rd = rd_of[base][def->big];
        if (op->rd == RD_NONE)
            return;
    }
    if (def->kind == K_RECORD) {
        def->roff[op->slot] = op->off;
        def->rrd[op->slot] = op->rd;
    }
    def->nops++;
}

/* The developer field definitions of def, from *q: kept raw, compiled
 * with the descriptions known now; *size grows by their bytes. */
static int define_dev(struct fit_dec *d, struct fit_def *def, size_t *q,
                      size_t end, uint32_t *size, struct rc_err *err)
{
    const unsigned char *p = d->p;
    unsigned nd;

    if (end - *q < 1)
        return fit_damage(d, (long)*q, "truncated developer field count");
    nd = p[(*q)++];
    if (end - *q < 3 * (size_t)nd)
        return fit_damage(d, (long)*q,
                          "truncated developer field "
                          "definitions: %u fields need %u "
                          "bytes, %zu remain",
                          nd, 3 * nd, end - *q);
    if (nd && !def->dev) {
        def->dev = rc_malloc(sizeof(*def->dev));
        if (!def->dev) {
            d->hard_fail = true;
            return rc_fail(err, RC_EENV, "out of memory for developer "
                                         "fields");
        }
    }
    def->dev_start = *size;
    def->ndev = (uint8_t)nd;
    for (unsigned i = 0; i < nd; i++, *q += 3) {
        memcpy(def->dev->raw[i], p + *q, 3);
        *size += p[*q + 1];
    }
    d->info.dev_field_definitions += nd;
    fit_compile_dev(d, def);
    return 0;
}

int fit_define(struct fit_dec *d, size_t q, size_t end, unsigned local,
               bool has_dev, size_t *next, struct rc_err *err)
{
    const unsigned char *p = d->p;
    struct fit_def *def = &d->defs[local];
    const uint8_t *slots;
    unsigned arch, nf, global;
    uint32_t size = 0;

    if (end - q < 5)
        return fit_damage(d, (long)q,
                          "truncated definition message: %zu "
                          "of at least 5 bytes before the end "
                          "of the data",
                          end - q);
    arch = p[q + 1];
    if (arch > 1)
        return fit_damage(d, (long)q + 1,
                          "architecture byte %u is neither "
                          "0 (little-endian) nor 1 "
                          "(big-endian)",
                          arch);
    global = arch ? be16(p + q + 2) : le16(p + q + 2);
    nf = p[q + 4];
    q += 5;
    if (end - q < 3 * (size_t)nf)
        return fit_damage(d, (long)q,
                          "truncated field definitions: %u "
                          "fields need %u bytes, %zu remain",
                          nf, 3 * nf, end - q);

    def->defined = true;
    def->big = arch == 1;
    def->global = (uint16_t)global;
    def->kind = (uint8_t)kind_of(global);
    def->ts_off = -1;
    def->nops = 0;
    def->nsops = 0;
    def->ndev = 0;
    memset(def->rrd, RD_NONE, sizeof(def->rrd));
    def->ndevops = 0;
    def->has_mirror = false;
    slots = kinds[def->kind].slots;
    for (unsigned i = 0; i < nf; i++, q += 3) {
        define_field(d, def, slots, p + q, size);
        size += p[q + 1];
    }
    if (has_dev && define_dev(d, def, &q, end, &size, err) < 0)
        return -1;
    def->size = size;
    d->info.definitions++;
    if (def->big)
        d->info.big_endian_definitions++;
    *next = q;
    return 0;
}
