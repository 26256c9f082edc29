/* store_copy.c - one athlete's whole log from one store to another
 * (runcare migrate: a runner's SQLite file into a club's PostgreSQL),
 * row by row with their ids, so that every list, report and diary reads
 * the same after as before.
 *
 * The tables go parents first; the columns are those of the latest
 * schema, each with its type (i integer, r real, t text, b blob) so that
 * PostgreSQL gets typed values. Links that may point forward (a duplicate
 * to its winner, a batch to the undo that took it back) are written in a
 * second pass. All in one transaction of the destination: the copy is
 * whole or absent. */

#include "base/base.h"
#include "base/alloc.h"
#include "store/store_int.h"
#include "store/pq.h"

struct copy_table {
    const char *table;
    const char *cols;  /* comma-separated, the key first */
    const char *types; /* one letter per column */
    const char *later; /* a column written in the second pass, or NULL */
};

static const struct copy_table tables[] = {
    {"shoes",
     "id, name, start_km, limit_km, retired, is_default, since_day, "
     "retired_day",
     "itrriiii", NULL},
    {"sources",
     "id, sha256, path, size, format, device, note, imported_s, raw_sha256, "
     "seen_key",
     "ibtitttrbb", NULL},
    {"activities",
     "id, source_id, format, sport, sub_sport, name, description, notes, "
     "start_s, utc_offset_s, local_day, elapsed_s, timer_s, moving_s, "
     "distance_m, ascent_m, descent_m, avg_hr_bpm, max_hr_bpm, "
     "avg_cadence_rpm, max_cadence_rpm, avg_power_w, calories_kcal, "
     "computed, salvaged, device_manufacturer, device_product, "
     "device_serial, device_name, channels, nsamples, nlaps, rpe, shoe_id, "
     "deleted, duplicate_of",
     "iittttttriirrrrrrrrrrrriitiitiiiriii", "duplicate_of"},
    {"laps",
     "activity_id, idx, start_s, elapsed_s, timer_s, distance_m, ascent_m, "
     "descent_m, avg_hr_bpm, max_hr_bpm, avg_cadence_rpm, max_cadence_rpm, "
     "calories_kcal",
     "iirrrrrrrrrrr", NULL},
    {"samples", "activity_id, data", "ib", NULL},
    {"import_log",
     "id, run, path, sha256, size, status, reason, activity_id, at_s",
     "iitbittir", NULL},
    {"reports",
     "id, created_s, report_json, result_json, follows_id, deleted",
     "irttii", NULL},
    {"archives", "rowid, key, path, files, skipped, imported_s", "ibtiir",
     NULL},
    {"history_batches", "id, at_s, command, undoes, undone_by", "irtii",
     "undone_by"},
    {"history",
     "id, batch, kind, entity_id, action, before_json, after_json",
     "iitittt", NULL},
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* The number of columns of a comma-separated list. */
static int ncols(const char *cols)
{
    int n = 1;
    for (const char *p = cols; *p; p++)
        n += *p == ',';
    return n;
}

/* Bind column i of a source row as parameter i + 1 of ins, by type. */
static void bind_col(struct db_stmt *ins, struct db_stmt *sel, int i,
                     char type)
{
    if (db_col_null(sel, i)) {
        db_bind_null(ins, i + 1);
        return;
    }
    switch (type) {
    case 'i':
        db_bind_int64(ins, i + 1, db_col_int64(sel, i));
        break;
    case 'r':
        db_bind_double(ins, i + 1, db_col_double(sel, i));
        break;
    case 'b':
        db_bind_blob(ins, i + 1, db_col_blob(sel, i), db_col_bytes(sel, i));
        break;
    default:
        db_bind_text(ins, i + 1, db_col_text(sel, i));
    }
}

static int copy_table(struct store *from, struct store *to,
                      const struct copy_table *t, long *rows,
                      struct rc_err *err)
{
    char sel_sql[1024], ins_sql[1400], upd_sql[256];
    int n = ncols(t->cols), k;
    /* the second-pass column is the last one: left out of the insert */
    int nins = t->later ? n - 1 : n;
    struct db_stmt *sel, *ins = NULL, *upd = NULL;
    int rc = -1, step;

    snprintf(sel_sql, sizeof(sel_sql), "SELECT %s FROM %s ORDER BY 1",
             t->cols, t->table);
    k = snprintf(ins_sql, sizeof(ins_sql), "INSERT INTO %s (%.*s) VALUES (",
                 t->table,
                 t->later ? (int)(strrchr(t->cols, ',') - t->cols)
                          : (int)strlen(t->cols),
                 t->cols);
    for (int i = 0; i < nins; i++)
        k += snprintf(ins_sql + k, sizeof(ins_sql) - (size_t)k, "%s?",
                      i ? ", " : "");
    snprintf(ins_sql + k, sizeof(ins_sql) - (size_t)k, ")");
    if (t->later)
        snprintf(upd_sql, sizeof(upd_sql),
                 "UPDATE %s SET %s = ? WHERE id = ?", t->table, t->later);
    sel = db_prepare(from, sel_sql, false, err);
    if (!sel)
        return -1;
    ins = db_prepare(to, ins_sql, true, err);
    if (!ins || (t->later && !(upd = db_prepare(to, upd_sql, true, err))))
        goto out;
    while ((step = db_step(sel)) == DB_ROW) {
        db_reset(ins);
        db_clear_bindings(ins);
        for (int i = 0; i < nins; i++)
            bind_col(ins, sel, i, t->types[i]);
        if (store_sql_step_write(to, ins, err) < 0)
            goto out;
        (*rows)++;
    }
    if (step == DB_ERROR) {
        store_sql_fail(from, err, "read the log");
        goto out;
    }
    if (t->later) {
        /* the forward links, now that every row is there */
        db_reset(sel);
        while ((step = db_step(sel)) == DB_ROW) {
            if (db_col_null(sel, n - 1))
                continue;
            db_reset(upd);
            db_clear_bindings(upd);
            db_bind_int64(upd, 1, db_col_int64(sel, n - 1));
            db_bind_int64(upd, 2, db_col_int64(sel, 0));
            if (store_sql_step_write(to, upd, err) < 0)
                goto out;
        }
        if (step == DB_ERROR) {
            store_sql_fail(from, err, "read the log");
            goto out;
        }
    }
    rc = 0;
out:
    db_finalize(sel);
    db_finalize(ins);
    db_finalize(upd);
    return rc;
}

/* PostgreSQL: each table's id sequence past the ids copied, and past
 * any other athlete's (it is one sequence for all). */
static int advance_sequences(struct store *to, struct rc_err *err)
{
    for (size_t i = 0; i < NTABLES; i++) {
        char sql[512];
        const char *key = !strcmp(tables[i].table, "archives") ? "rowid"
                                                                : "id";
        if (!strcmp(tables[i].table, "laps") ||
            !strcmp(tables[i].table, "samples"))
            continue;
        snprintf(sql, sizeof(sql),
                 "SELECT setval(pg_get_serial_sequence('%s', '%s'), "
                 "GREATEST(nextval(pg_get_serial_sequence('%s', '%s')), "
                 "COALESCE((SELECT MAX(%s) FROM %s), 0) + 1))",
                 tables[i].table, key, tables[i].table, key, key,
                 tables[i].table);
        if (store_sql_exec(to, sql, err) < 0)
            return -1;
    }
    return 0;
}

/* Does the destination already hold something of this athlete's? */
static int dest_empty(struct store *to, struct rc_err *err)
{
    for (size_t i = 0; i < NTABLES; i++) {
        char sql[128];
        struct db_stmt *st;
        int step;
        snprintf(sql, sizeof(sql), "SELECT 1 FROM %s LIMIT 1",
                 tables[i].table);
        st = db_prepare(to, sql, false, err);
        if (!st)
            return -1;
        step = db_step(st);
        db_finalize(st);
        if (step == DB_ERROR)
            return store_sql_fail(to, err, "read the log");
        if (step == DB_ROW)
            return rc_fail(err, RC_EINPUT,
                           "%s already holds a log for athlete %s (table "
                           "%s): migrate only into an empty one",
                           to->path, to->athlete[0] ? to->athlete : "?",
                           tables[i].table);
    }
    return 0;
}

int store_copy_log(struct store *from, struct store *to, long *rows,
                   struct rc_err *err)
{
    long n = 0;
    int rc = -1;
    if (to->in_tx || from->in_tx)
        return rc_fail(err, RC_EENV, "migrate inside a transaction");
    if (store_begin(to, err) < 0)
        return -1;
    if (dest_empty(to, err) < 0)
        goto leave;
    for (size_t i = 0; i < NTABLES; i++)
        if (copy_table(from, to, &tables[i], &n, err) < 0)
            goto leave;
    if (to->pg && advance_sequences(to, err) < 0)
        goto leave;
    rc = 0;
leave:
    if (rc == 0)
        rc = store_commit(to, err);
    else
        store_rollback(to);
    if (rc == 0 && rows)
        *rows = n;
    return rc;
}
