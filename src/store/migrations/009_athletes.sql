-- 009_athletes.sql - whose log this is. A SQLite file holds one athlete's
-- log: this table names that athlete (no row: not named yet, any name
-- will do). A club's log on PostgreSQL keeps many (009_athletes.pg.sql).
CREATE TABLE athletes (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL DEFAULT '',
    added_s REAL NOT NULL DEFAULT 0
);
