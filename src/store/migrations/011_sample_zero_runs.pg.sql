-- 011_sample_zero_runs.pg.sql - no table changes: sample blobs may code
-- zero deltas as runs from this version on (011_sample_zero_runs.sql);
-- the number keeps an older runcare from a log it cannot read. The
-- column says where its format is written down.
COMMENT ON COLUMN samples.data IS
    'RCS1 sample blob (src/store/store.h, store_blob.c); column kinds with runs of zeros since schema 11';
