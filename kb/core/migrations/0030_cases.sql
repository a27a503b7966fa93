-- Cases: applications of 附件1 imported by staff, their workflow events, and the contact
-- person's personal data in a table of its own with a purge date (PIPL).

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,       -- 2026-0001 (year of receipt, sequence)
    fingerprint        TEXT NOT NULL UNIQUE,       -- sha256 of the cleaned application: one case per application
    received_at        TEXT NOT NULL,              -- UTC, kb.store.utcnow()
    received_on        TEXT NOT NULL,              -- local (Asia/Shanghai) date of receipt, YYYY-MM-DD
    source             TEXT NOT NULL,              -- json / docx / xlsx
    department         TEXT NOT NULL,              -- id of the department handling it (settings departments)
    status             TEXT NOT NULL,              -- see kb.cases.workflow.STEPS
    status_since       TEXT NOT NULL,              -- UTC time the status was entered
    applicant_type     TEXT NOT NULL,
    applicant_name     TEXT NOT NULL,              -- confidential: never published
    uscc               TEXT NOT NULL,              -- confidential: never published
    dispute_types      TEXT NOT NULL,              -- JSON list of kb.choices codes
    right_types        TEXT NOT NULL,
    right_other        TEXT NOT NULL DEFAULT '',
    countries          TEXT NOT NULL,
    country_other      TEXT NOT NULL DEFAULT '',
    counterparty_type  TEXT NOT NULL,
    counterparty_other TEXT NOT NULL DEFAULT '',
    field              TEXT NOT NULL,
    field_other        TEXT NOT NULL DEFAULT '',
    request            TEXT NOT NULL,
    impact             TEXT NOT NULL,
    level              TEXT NOT NULL,
    other_requests     TEXT NOT NULL DEFAULT '',
    submitted_on       TEXT NOT NULL DEFAULT '',
    escalated          INTEGER NOT NULL DEFAULT 0,
    contacts_purged_at TEXT
);
CREATE INDEX cases_by_status ON cases(status);
CREATE INDEX cases_by_received ON cases(received_on);

CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    step         TEXT NOT NULL,                    -- received / accept / reject / request_materials / contact / confer / opinion / close / escalate / purge
    at           TEXT NOT NULL,                    -- UTC
    on_date      TEXT NOT NULL,                    -- local date of the step (the working-day clock counts these)
    actor        TEXT NOT NULL,                    -- staff member who did it
    departments  TEXT NOT NULL DEFAULT '[]',       -- JSON list of department ids taking part
    note         TEXT NOT NULL DEFAULT '',         -- reason, missing materials, escalation target...
    detail       TEXT NOT NULL DEFAULT '{}'        -- JSON
);
CREATE INDEX case_events_by_case ON case_events(case_id, id);

-- Personal information of the contact person (个人信息保护法): kept apart, purged after
-- settings privacy.retention_days from the day the case ended.
CREATE TABLE case_contacts (
    case_id       INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    contact_name  TEXT NOT NULL,
    email         TEXT NOT NULL,
    phone         TEXT NOT NULL,                   -- E.164
    address       TEXT NOT NULL,
    purge_after   TEXT                             -- local date; NULL while the case is open
);
