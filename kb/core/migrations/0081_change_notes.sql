-- Issue 13: staff interpretation (解读) of a change: draft → reviewed → published.
CREATE TABLE change_notes (
    change_id     INTEGER PRIMARY KEY REFERENCES changes(id) ON DELETE CASCADE,
    text          TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('draft', 'reviewed', 'published')),
    author        TEXT NOT NULL,
    written_on    TEXT NOT NULL,            -- YYYY-MM-DD
    reviewer      TEXT NOT NULL DEFAULT '',
    reviewed_on   TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD
    published_on  TEXT NOT NULL DEFAULT ''  -- YYYY-MM-DD
);
