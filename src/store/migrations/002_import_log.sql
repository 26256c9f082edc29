-- 002_import_log.sql - every file an import saw and what became of it.
CREATE TABLE import_log (
    id INTEGER PRIMARY KEY,
    run INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 BLOB,
    size INTEGER,
    status TEXT NOT NULL CHECK (status IN ('imported', 'salvaged',
        'duplicate', 'not_activity', 'skipped', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    activity_id INTEGER,
    at_s REAL NOT NULL
);
CREATE INDEX import_log_run ON import_log(run, status);
CREATE INDEX import_log_path ON import_log(run, path);
