-- 007_shoe_dates.pg.sql - 007_shoe_dates.sql for PostgreSQL.
ALTER TABLE shoes ADD COLUMN since_day bigint;
ALTER TABLE shoes ADD COLUMN retired_day bigint;
