-- 003_diary.sql - the pain diary: each symptom report and its triage result
-- as JSON (domain/report.schema.json, domain/result.schema.json).
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    created_s REAL NOT NULL,
    report_json TEXT NOT NULL,
    result_json TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reports_created ON reports(created_s);
