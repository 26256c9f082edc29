-- 007_shoe_dates.sql - a shoe counts the runs of the days it was in use:
--  since_day    its first day of use (a day number, the runner's local
--               day); NULL for a shoe added before runcare kept dates,
--               which is in use on any day
--  retired_day  its last day of use; NULL while it is in use (or, for an
--               old retired shoe, unknown)
-- A new activity goes to the default shoe when it was in use on that
-- day, else to the shoe with dates that was (the newest first).
ALTER TABLE shoes ADD COLUMN since_day INTEGER;
ALTER TABLE shoes ADD COLUMN retired_day INTEGER;
