-- The noise model of a source: lines of its text seen to change between two fetches a short
-- pause apart (a rotating block, a clock, a counter). They are left out when two states of a
-- page are compared, so they never raise a change.
CREATE TABLE volatile_lines (
    source_id  TEXT NOT NULL REFERENCES sources(id),
    line_hash  TEXT NOT NULL,
    learned_at TEXT NOT NULL,
    PRIMARY KEY (source_id, line_hash)
);
