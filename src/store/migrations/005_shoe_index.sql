-- 005_shoe_index.sql - count each shoe's km without a temporary index:
-- listing shoes joined every activity to its shoe, and SQLite built an
-- automatic index on activities(shoe_id) for each query. With this one,
-- 'load' on a 10-year log (3,500 runs) costs 2.47 ms beyond opening the
-- database instead of 3.87 ms (build/bench/bench_load_db time DB 100,
-- the "from 400 days before" row).
CREATE INDEX activities_shoe ON activities(shoe_id);
