-- 006_history.sql - every change to the log, so that nothing is ever lost
-- and any change can be undone (store.h, "the change history").
--  history_batches  one runner's command (an edit, an rm, a whole import):
--                   what undo takes back in one step; undoes names the
--                   batch an undo took back, undone_by the undo that took
--                   this one back (NULL while it stands)
--  history          one row per thing changed: kind ('activity', 'shoe',
--                   'report', 'source', 'archive', 'import'), its id, the
--                   action ('add', 'edit', 'rm') and the row before and
--                   after as JSON objects of its columns (NULL: none)
--  activities.deleted  an activity the runner removed (runcare rm): kept,
--                   left out of every list, total and shoe; undo brings it
--                   back, and importing its file again does not, unless asked
CREATE TABLE history_batches (
    id INTEGER PRIMARY KEY,
    at_s REAL NOT NULL,
    command TEXT NOT NULL DEFAULT '',
    undoes INTEGER REFERENCES history_batches(id),
    undone_by INTEGER REFERENCES history_batches(id)
);

CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL REFERENCES history_batches(id),
    kind TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('add', 'edit', 'rm')),
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX history_batch ON history(batch);
CREATE INDEX history_entity ON history(kind, entity_id);

ALTER TABLE activities ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
