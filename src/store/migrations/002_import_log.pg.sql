-- 002_import_log.pg.sql - 002_import_log.sql for PostgreSQL, by athlete.
CREATE TABLE import_log (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    id bigserial,
    run bigint NOT NULL,
    path text NOT NULL,
    sha256 bytea,
    size bigint,
    status text NOT NULL CHECK (status IN ('imported', 'salvaged',
        'duplicate', 'not_activity', 'skipped', 'failed')),
    reason text NOT NULL DEFAULT '',
    activity_id bigint,
    at_s double precision NOT NULL,
    PRIMARY KEY (athlete, id)
);
CREATE INDEX import_log_run ON import_log (athlete, run, status);
CREATE INDEX import_log_path ON import_log (athlete, run, path);
