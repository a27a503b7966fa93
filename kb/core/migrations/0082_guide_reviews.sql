-- Issue 13: a flagged (待复核) guide paragraph checked by staff against one change, without
-- editing the guide file: the flag of that change on that paragraph is then cleared.
CREATE TABLE guide_reviews (
    file          TEXT NOT NULL,      -- <cc>/<part>.md
    relies        TEXT NOT NULL,      -- "source:article" as declared
    change_id     INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
    reviewer      TEXT NOT NULL,
    reviewed_on   TEXT NOT NULL,      -- YYYY-MM-DD
    excerpt       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (file, relies, change_id)
);
