-- 008_diary_follow_ups.pg.sql - 008_diary_follow_ups.sql for PostgreSQL.
ALTER TABLE reports ADD COLUMN follows_id bigint;
ALTER TABLE reports ADD COLUMN deleted bigint NOT NULL DEFAULT 0;
CREATE INDEX reports_follows ON reports (athlete, follows_id);
