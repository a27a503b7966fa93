-- Disclosure control keeps every version of every published cell forever (issue 11).
--
-- A version is one protected state of a calendar year's lattice (every month, quarter and the
-- year; every industry and 全部; every table), decided once per data state and threshold and
-- treated as published whole; reports read their cells from it. true_value stays here only
-- (the confidential store), for the audit.
CREATE TABLE disclosure_versions (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL,
    is_sample   INTEGER NOT NULL,
    threshold   INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX disclosure_versions_by_year ON disclosure_versions(is_sample, year, id);

CREATE TABLE disclosure_cells (
    version_id  INTEGER NOT NULL REFERENCES disclosure_versions(id),
    period      TEXT NOT NULL,
    industry    TEXT NOT NULL,
    dim         TEXT NOT NULL,
    category    TEXT NOT NULL,
    state       INTEGER NOT NULL,   -- 0 published, 1 suppressed (*), 2 not published (其他)
    value       INTEGER,            -- the published value (state 0)
    true_value  INTEGER NOT NULL,
    PRIMARY KEY (version_id, period, industry, dim, category)
) WITHOUT ROWID;

-- published_cells: what each build of a report showed. Rows are no longer replaced on a
-- rebuild: a build adds rows under a new build number (0 = before this migration).
CREATE TABLE published_cells_v2 (
    report_key   TEXT NOT NULL,
    build        INTEGER NOT NULL,
    version_id   INTEGER REFERENCES disclosure_versions(id),
    is_sample    INTEGER NOT NULL,
    period       TEXT NOT NULL,
    industry     TEXT NOT NULL,
    dim          TEXT NOT NULL,
    category     TEXT NOT NULL,
    value        INTEGER,
    true_value   INTEGER NOT NULL,
    PRIMARY KEY (report_key, build, period, industry, dim, category)
);
INSERT INTO published_cells_v2(report_key, build, version_id, is_sample, period, industry, dim,
                               category, value, true_value)
    SELECT report_key, 0, NULL, is_sample, period, industry, dim, category, value, true_value
    FROM published_cells;
DROP TABLE published_cells;
ALTER TABLE published_cells_v2 RENAME TO published_cells;
CREATE INDEX published_cells_by_period ON published_cells(is_sample, period);

-- Published is published: real records of what was published are never changed or deleted
-- (示例数据 may be withdrawn with the sample it was built from).
CREATE TRIGGER published_cells_keep_update BEFORE UPDATE ON published_cells
BEGIN SELECT RAISE(ABORT, '已发布单元格记录不可修改'); END;
CREATE TRIGGER published_cells_keep_delete BEFORE DELETE ON published_cells WHEN OLD.is_sample = 0
BEGIN SELECT RAISE(ABORT, '已发布单元格记录不可删除'); END;
CREATE TRIGGER disclosure_cells_keep_update BEFORE UPDATE ON disclosure_cells
BEGIN SELECT RAISE(ABORT, '已发布单元格记录不可修改'); END;
CREATE TRIGGER disclosure_cells_keep_delete BEFORE DELETE ON disclosure_cells
WHEN (SELECT is_sample FROM disclosure_versions WHERE id = OLD.version_id) = 0
BEGIN SELECT RAISE(ABORT, '已发布单元格记录不可删除'); END;
CREATE TRIGGER disclosure_versions_keep BEFORE DELETE ON disclosure_versions WHEN OLD.is_sample = 0
BEGIN SELECT RAISE(ABORT, '已发布版本记录不可删除'); END;
