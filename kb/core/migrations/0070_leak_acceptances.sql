-- Staff decisions on leak-scan hits (issue 11): a hit of one case's field in one published
-- file that a named staff member examined and accepted, with the reason. The acceptance holds
-- only while the value is the same (value_digest: sha256 of its normalised form).

CREATE TABLE leak_acceptances (
    id           INTEGER PRIMARY KEY,
    case_number  TEXT NOT NULL,
    field        TEXT NOT NULL,     -- applicant_name / uscc / contact_name / email / phone / address
    path         TEXT NOT NULL,     -- published file, relative to the site folder
    value_digest TEXT NOT NULL,
    accepted_by  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    accepted_at  TEXT NOT NULL,     -- UTC
    UNIQUE (case_number, field, path, value_digest)
);
