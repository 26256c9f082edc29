-- 006_history.pg.sql - 006_history.sql for PostgreSQL, by athlete.
CREATE TABLE history_batches (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    id bigserial,
    at_s double precision NOT NULL,
    command text NOT NULL DEFAULT '',
    undoes bigint,
    undone_by bigint,
    PRIMARY KEY (athlete, id),
    FOREIGN KEY (athlete, undoes) REFERENCES history_batches (athlete, id),
    FOREIGN KEY (athlete, undone_by) REFERENCES history_batches (athlete, id)
);

CREATE TABLE history (
    athlete text NOT NULL DEFAULT current_setting('runcare.athlete'),
    id bigserial,
    batch bigint NOT NULL,
    kind text NOT NULL,
    entity_id bigint NOT NULL,
    action text NOT NULL CHECK (action IN ('add', 'edit', 'rm')),
    before_json text,
    after_json text,
    PRIMARY KEY (athlete, id),
    FOREIGN KEY (athlete, batch) REFERENCES history_batches (athlete, id)
);
CREATE INDEX history_batch ON history (athlete, batch);
CREATE INDEX history_entity ON history (athlete, kind, entity_id);

ALTER TABLE activities ADD COLUMN deleted bigint NOT NULL DEFAULT 0;
