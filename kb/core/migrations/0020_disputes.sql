-- The dispute database (纠纷数据库) and what the risk reports published (for disclosure control).
--
-- One row per dispute, de-identified: the enterprise is a keyed hash (HMAC-SHA256 with the key
-- in <data>/keys/enterprise.key), never a name or a credit code. Multi-valued form fields
-- (dispute types, rights, countries) hold comma-separated codes of kb/choices.py.

CREATE TABLE disputes (
    id                  INTEGER PRIMARY KEY,
    natural_key         TEXT NOT NULL UNIQUE,      -- how a duplicate is recognised (kb/disputes/records.py)
    origin              TEXT NOT NULL CHECK (origin IN ('case', 'public', 'sample')),
    source_ref          TEXT NOT NULL DEFAULT '',  -- case number, docket number, sample number
    provenance          TEXT NOT NULL DEFAULT '{}', -- JSON: file, row, url, imported_at ...
    enterprise_hash     TEXT NOT NULL,
    dispute_types       TEXT NOT NULL,             -- "infringement,trade_fair"
    dispute_type_other  TEXT NOT NULL DEFAULT '',
    right_types         TEXT NOT NULL,             -- "invention_patent,trademark"
    right_other         TEXT NOT NULL DEFAULT '',
    countries           TEXT NOT NULL,             -- "US,DE" (ISO 3166-1 alpha-2) or "other"
    country_other       TEXT NOT NULL DEFAULT '',
    counterparty_type   TEXT NOT NULL,
    counterparty_other  TEXT NOT NULL DEFAULT '',
    field               TEXT NOT NULL,             -- 纠纷领域 = the key industry
    field_other         TEXT NOT NULL DEFAULT '',
    level               TEXT NOT NULL CHECK (level IN ('ordinary', 'major')),
    received_on         TEXT,                      -- YYYY-MM-DD: the bureau received it
    filed_on            TEXT,                      -- YYYY-MM-DD: the suit / complaint was filed
    closed_on           TEXT,
    outcome             TEXT NOT NULL DEFAULT 'pending',
    event_on            TEXT NOT NULL,             -- filed_on, else received_on: the report period date
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX disputes_by_origin_date ON disputes(origin, event_on);

-- Every cell a report published (value NULL = suppressed). Later reports for overlapping
-- periods are audited against these, so no subtraction across reports gives a cell back.
-- true_value is kept only here (the confidential store), for the audit.
CREATE TABLE published_cells (
    report_key   TEXT NOT NULL,     -- "<period>-<industry code>[-sample]"
    is_sample    INTEGER NOT NULL,
    period       TEXT NOT NULL,     -- the period the cell counts (may differ from the report's)
    industry     TEXT NOT NULL,     -- field code or "all"
    dim          TEXT NOT NULL,     -- total / country / right / dispute_type / counterparty / level
    category     TEXT NOT NULL,     -- choice code ("" for total)
    value        INTEGER,           -- published value, NULL when suppressed
    true_value   INTEGER NOT NULL,
    PRIMARY KEY (report_key, period, industry, dim, category)
);
CREATE INDEX published_cells_by_period ON published_cells(is_sample, period);
