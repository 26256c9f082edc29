-- 001_log.pg.sql - 001_log.sql for PostgreSQL: the same tables, each keyed
-- by athlete. Every row carries its athlete (the session's runcare.athlete,
-- set by runcare when it connects), which leads every primary key and
-- every foreign key: the distribution column when Citus spreads the tables
-- over several servers. Ids come from one sequence per table, so an id
-- names one row of the whole database; queries by id need no athlete.
CREATE TABLE shoes (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    id bigserial,
    name text NOT NULL,
    start_km double precision NOT NULL DEFAULT 0,
    limit_km double precision NOT NULL DEFAULT 700,
    retired bigint NOT NULL DEFAULT 0,
    is_default bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (athlete, id)
);
CREATE UNIQUE INDEX shoes_name ON shoes (athlete, lower(name));

CREATE TABLE sources (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    id bigserial,
    sha256 bytea NOT NULL,
    path text NOT NULL,
    size bigint NOT NULL,
    format text NOT NULL,
    device text NOT NULL DEFAULT '',
    note text NOT NULL DEFAULT '',
    imported_s double precision NOT NULL,
    PRIMARY KEY (athlete, id),
    UNIQUE (athlete, sha256)
);

CREATE TABLE activities (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    id bigserial,
    source_id bigint,
    format text NOT NULL,
    sport text NOT NULL,
    sub_sport text NOT NULL DEFAULT '',
    name text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    notes text NOT NULL DEFAULT '',
    start_s double precision,
    utc_offset_s bigint,
    local_day bigint,
    elapsed_s double precision, timer_s double precision,
    moving_s double precision,
    distance_m double precision, ascent_m double precision,
    descent_m double precision,
    avg_hr_bpm double precision, max_hr_bpm double precision,
    avg_cadence_rpm double precision, max_cadence_rpm double precision,
    avg_power_w double precision, calories_kcal double precision,
    computed bigint NOT NULL DEFAULT 0,
    salvaged bigint NOT NULL DEFAULT 0,
    device_manufacturer text NOT NULL DEFAULT '',
    device_product bigint NOT NULL DEFAULT 0,
    device_serial bigint NOT NULL DEFAULT 0,
    device_name text NOT NULL DEFAULT '',
    channels bigint NOT NULL DEFAULT 0,
    nsamples bigint NOT NULL DEFAULT 0,
    nlaps bigint NOT NULL DEFAULT 0,
    rpe double precision CHECK (rpe IS NULL OR (rpe >= 0 AND rpe <= 10)),
    shoe_id bigint,
    duplicate_of bigint,
    PRIMARY KEY (athlete, id),
    FOREIGN KEY (athlete, source_id) REFERENCES sources (athlete, id),
    FOREIGN KEY (athlete, shoe_id) REFERENCES shoes (athlete, id)
        ON DELETE SET NULL (shoe_id),
    FOREIGN KEY (athlete, duplicate_of) REFERENCES activities (athlete, id)
);
CREATE INDEX activities_day ON activities (athlete, local_day);
CREATE INDEX activities_start ON activities (athlete, start_s);
CREATE INDEX activities_source ON activities (athlete, source_id);

CREATE TABLE laps (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    activity_id bigint NOT NULL,
    idx bigint NOT NULL,
    start_s double precision, elapsed_s double precision,
    timer_s double precision,
    distance_m double precision, ascent_m double precision,
    descent_m double precision,
    avg_hr_bpm double precision, max_hr_bpm double precision,
    avg_cadence_rpm double precision, max_cadence_rpm double precision,
    calories_kcal double precision,
    PRIMARY KEY (athlete, activity_id, idx),
    FOREIGN KEY (athlete, activity_id) REFERENCES activities (athlete, id)
        ON DELETE CASCADE
);

CREATE TABLE samples (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    activity_id bigint NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (athlete, activity_id),
    FOREIGN KEY (athlete, activity_id) REFERENCES activities (athlete, id)
        ON DELETE CASCADE
);
