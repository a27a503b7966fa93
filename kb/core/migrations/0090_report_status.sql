-- A report's status (issue 16): a provisional report (初步数据) of a period that had not ended
-- when it was built, and a withdrawn report (its files leave the site; a notice with the date
-- and the reason stays). The cells a withdrawn report published stay in published_cells: a
-- reader may have kept them, so later reports are still protected against them.
-- data_until: YYYY-MM-DD, the day a provisional report's data run to; withdrawn_at: UTC, NULL
-- while the report stands; title: kept for the notice of a withdrawn report.
ALTER TABLE reports ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN data_until TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN withdrawn_at TEXT;
ALTER TABLE reports ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN title TEXT NOT NULL DEFAULT '';
