-- Article-level detail of law changes (issue 3): per change, per article, what changed,
-- the old and the new text of the article, the redline as diff operations (rendered later by
-- the CLI, the site and the feeds) and whether the change is editorial only.

-- 1: some article changed in substance (or was added/removed); 0: editorial only
-- (whitespace, punctuation, heading repair). Editorial-only changes never alert.
ALTER TABLE changes ADD COLUMN substantive INTEGER NOT NULL DEFAULT 1;
-- JSON list of the rights the source concerns (kb.choices.LAW_RIGHTS codes).
ALTER TABLE changes ADD COLUMN rights TEXT NOT NULL DEFAULT '[]';

CREATE TABLE change_articles (
    id          INTEGER PRIMARY KEY,
    change_id   INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,             -- order in the change (the new text's order)
    article_id  TEXT NOT NULL,                -- canonical id, see crawlers/articles.py
    change      TEXT NOT NULL CHECK (change IN ('added', 'removed', 'modified')),
    old_text    TEXT NOT NULL DEFAULT '',
    new_text    TEXT NOT NULL DEFAULT '',
    redline     TEXT NOT NULL DEFAULT '[]',   -- JSON [["=" | "-" | "+", text], ...]
    editorial   INTEGER NOT NULL DEFAULT 0,
    reason      TEXT NOT NULL DEFAULT '',     -- why editorial: whitespace / heading / boundary / header
    UNIQUE (change_id, position)
);
CREATE INDEX change_articles_by_article ON change_articles(article_id);
