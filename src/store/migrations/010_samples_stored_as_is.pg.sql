-- 010_samples_stored_as_is.pg.sql - a run's sample blob is stored as it
-- is, out of line, without PostgreSQL's pglz compression (STORAGE
-- EXTERNAL): the blob is already delta- and varint-coded (store_blob.c),
-- pglz never made one smaller (pg_column_size equalled octet_length for
-- all 1,600 runs of the import benchmark), and trying took 11% of the
-- server's time with 8 importers at once (perf record -a). Rows written
-- before keep their storage; nothing is rewritten.
ALTER TABLE samples ALTER COLUMN data SET STORAGE EXTERNAL;
