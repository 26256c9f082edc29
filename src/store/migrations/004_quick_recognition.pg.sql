-- 004_quick_recognition.pg.sql - 004_quick_recognition.sql for PostgreSQL.
-- archives.rowid stands for SQLite's implicit rowid, which the history
-- names an archive by.
ALTER TABLE sources ADD COLUMN raw_sha256 bytea;
ALTER TABLE sources ADD COLUMN seen_key bytea;
CREATE INDEX sources_raw ON sources (athlete, raw_sha256);
CREATE INDEX sources_seen ON sources (athlete, seen_key);
CREATE TABLE archives (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    rowid bigserial,
    key bytea NOT NULL,
    path text NOT NULL,
    files bigint NOT NULL,
    skipped bigint NOT NULL,
    imported_s double precision NOT NULL,
    PRIMARY KEY (athlete, rowid),
    UNIQUE (athlete, key)
);
