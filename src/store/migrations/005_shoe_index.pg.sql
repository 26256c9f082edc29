-- 005_shoe_index.pg.sql - 005_shoe_index.sql for PostgreSQL.
CREATE INDEX activities_shoe ON activities (athlete, shoe_id);
