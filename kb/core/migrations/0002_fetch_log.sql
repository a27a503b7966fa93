-- Every fetch outcome that is not a clean snapshot: fetch problems are recorded, never
-- turned into changes, and never replace the last good snapshot.

CREATE TABLE fetch_log (
    id          INTEGER PRIMARY KEY,
    source_id   TEXT NOT NULL REFERENCES sources(id),
    url         TEXT NOT NULL,
    fetched_at  TEXT NOT NULL,
    http_status INTEGER,
    outcome     TEXT NOT NULL,   -- stored / unchanged / not_modified / problem
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fetch_log_by_source ON fetch_log(source_id, id);

CREATE TABLE crawl_runs (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    stats        TEXT NOT NULL DEFAULT '{}'
);
