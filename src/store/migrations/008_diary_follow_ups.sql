-- 008_diary_follow_ups.sql - the pain diary's follow-ups and corrections.
--  reports.follows_id  the check a follow-up follows up (runcare diary add);
--                      NULL for a check. No foreign key: a removed check
--                      stays in the table, only marked.
--  reports.deleted     a report the runner removed (runcare diary rm):
--                      kept, so that its id is never given to another
--                      report and undo can bring it back; left out of the
--                      diary.
ALTER TABLE reports ADD COLUMN follows_id INTEGER;
ALTER TABLE reports ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX reports_follows ON reports(follows_id);
