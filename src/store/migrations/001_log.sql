-- 001_log.sql - the training log: shoes, source files, activities with
-- their totals, laps and the sample stream (one blob per activity, layout
-- in src/store/store.h). Applied by store_sqlite.c in one transaction, which
-- then sets PRAGMA user_version = 1.
CREATE TABLE shoes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    start_km REAL NOT NULL DEFAULT 0,
    limit_km REAL NOT NULL DEFAULT 700,
    retired INTEGER NOT NULL DEFAULT 0,
    is_default INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    sha256 BLOB NOT NULL UNIQUE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    format TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    imported_s REAL NOT NULL
);

-- Times are Unix seconds (UTC); NULL means not recorded. local_day is the
-- day number of the start in local time (UTC when the offset is unknown).
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    source_id INTEGER REFERENCES sources(id),
    format TEXT NOT NULL,
    sport TEXT NOT NULL,
    sub_sport TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    start_s REAL,
    utc_offset_s INTEGER,
    local_day INTEGER,
    elapsed_s REAL, timer_s REAL, moving_s REAL,
    distance_m REAL, ascent_m REAL, descent_m REAL,
    avg_hr_bpm REAL, max_hr_bpm REAL,
    avg_cadence_rpm REAL, max_cadence_rpm REAL,
    avg_power_w REAL, calories_kcal REAL,
    computed INTEGER NOT NULL DEFAULT 0,
    salvaged INTEGER NOT NULL DEFAULT 0,
    device_manufacturer TEXT NOT NULL DEFAULT '',
    device_product INTEGER NOT NULL DEFAULT 0,
    device_serial INTEGER NOT NULL DEFAULT 0,
    device_name TEXT NOT NULL DEFAULT '',
    channels INTEGER NOT NULL DEFAULT 0,
    nsamples INTEGER NOT NULL DEFAULT 0,
    nlaps INTEGER NOT NULL DEFAULT 0,
    rpe REAL CHECK (rpe IS NULL OR (rpe >= 0 AND rpe <= 10)),
    shoe_id INTEGER REFERENCES shoes(id) ON DELETE SET NULL,
    duplicate_of INTEGER REFERENCES activities(id)
);
CREATE INDEX activities_day ON activities(local_day);
CREATE INDEX activities_start ON activities(start_s);
CREATE INDEX activities_source ON activities(source_id);

CREATE TABLE laps (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start_s REAL, elapsed_s REAL, timer_s REAL,
    distance_m REAL, ascent_m REAL, descent_m REAL,
    avg_hr_bpm REAL, max_hr_bpm REAL,
    avg_cadence_rpm REAL, max_cadence_rpm REAL, calories_kcal REAL,
    PRIMARY KEY (activity_id, idx)
) WITHOUT ROWID;

-- One row per activity: the whole sample stream.
CREATE TABLE samples (
    activity_id INTEGER PRIMARY KEY
        REFERENCES activities(id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
