-- 004_quick_recognition.sql - what lets an import recognise files it has
-- seen without unpacking or reading them again:
--  raw_sha256  the SHA-256 of a source's bytes as read (a .fit.gz), beside
--              sha256, the hash of its content (the .fit); NULL when the
--              file was not compressed;
--  seen_key    SHA-256 of "file", its path, size and modification time
--              (nanoseconds) when it was read from disk: the same file,
--              untouched, is a duplicate without being read;
--  archives    zips imported in full (every member stored, none failed),
--              by the same kind of key: imported again, skipped whole.
ALTER TABLE sources ADD COLUMN raw_sha256 BLOB;
ALTER TABLE sources ADD COLUMN seen_key BLOB;
CREATE INDEX sources_raw ON sources(raw_sha256);
CREATE INDEX sources_seen ON sources(seen_key);
CREATE TABLE archives (
    key BLOB PRIMARY KEY,
    path TEXT NOT NULL,
    files INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    imported_s REAL NOT NULL
);
