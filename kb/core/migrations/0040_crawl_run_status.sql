-- A crawl run is recorded when it starts and completed however it ends: finished, stopped by
-- its time limit, interrupted (Ctrl-C / SIGTERM) or failed; `log` names its log file.
ALTER TABLE crawl_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'finished';
ALTER TABLE crawl_runs ADD COLUMN log TEXT NOT NULL DEFAULT '';
ALTER TABLE crawl_runs ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
