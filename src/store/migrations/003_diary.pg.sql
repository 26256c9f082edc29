-- 003_diary.pg.sql - 003_diary.sql for PostgreSQL, by athlete.
CREATE TABLE reports (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    id bigserial,
    created_s double precision NOT NULL,
    report_json text NOT NULL,
    result_json text NOT NULL DEFAULT '',
    PRIMARY KEY (athlete, id)
);
CREATE INDEX reports_created ON reports (athlete, created_s);
