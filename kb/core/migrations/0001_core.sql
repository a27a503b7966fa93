-- Core tables: tracked sources, content-addressed snapshots, page-level changes, reports.

CREATE TABLE sources (
    id            TEXT PRIMARY KEY,          -- registry id, e.g. "de-patg"
    jurisdiction  TEXT NOT NULL,             -- "DE", "US", "EU", "WIPO", ...
    kind          TEXT NOT NULL,             -- law_page / listing / feed / json_api / guidance
    url           TEXT NOT NULL,
    title         TEXT NOT NULL,
    rights        TEXT NOT NULL DEFAULT '[]', -- JSON list: patent, utility_model, design, trademark, copyright, ...
    language      TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL
);

-- Normalised texts, stored once per content hash (sha256 of the UTF-8 text), zlib-compressed.
CREATE TABLE blobs (
    hash   TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    data   BLOB NOT NULL
);

CREATE TABLE snapshots (
    id             INTEGER PRIMARY KEY,
    source_id      TEXT NOT NULL REFERENCES sources(id),
    url            TEXT NOT NULL,
    fetched_at     TEXT NOT NULL,
    http_status    INTEGER NOT NULL,
    content_hash   TEXT NOT NULL REFERENCES blobs(hash),
    etag           TEXT,
    last_modified  TEXT,
    content_type   TEXT,
    headers        TEXT NOT NULL DEFAULT '{}'  -- JSON of the headers that matter
);
CREATE INDEX snapshots_by_page ON snapshots(source_id, url, id);

CREATE TABLE changes (
    id            INTEGER PRIMARY KEY,
    source_id     TEXT NOT NULL REFERENCES sources(id),
    url           TEXT NOT NULL,
    detected_at   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('added', 'removed', 'modified')),
    old_snapshot  INTEGER REFERENCES snapshots(id),
    new_snapshot  INTEGER REFERENCES snapshots(id),
    articles      TEXT NOT NULL DEFAULT '[]',  -- JSON [{"id": ..., "change": ...}]
    summary       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX changes_by_time ON changes(detected_at);

CREATE TABLE reports (
    id         INTEGER PRIMARY KEY,
    period     TEXT NOT NULL,               -- 2026Q3, 2026-09, 2026
    industry   TEXT NOT NULL DEFAULT '全部',
    built_at   TEXT NOT NULL,
    is_sample  INTEGER NOT NULL DEFAULT 0,  -- 1: built from 示例数据
    folder     TEXT NOT NULL,               -- folder under the data folder holding its files
    summary    TEXT NOT NULL DEFAULT '',
    UNIQUE (period, industry, is_sample)
);
