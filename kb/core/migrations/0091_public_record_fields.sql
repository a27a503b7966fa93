-- Public dispute records (issue 16): what a published notice says beyond the form's fields.
-- These are public facts (an investigation number, a court, the complainant's published name);
-- the Chinese enterprise itself is still kept only as its keyed hash.
-- case_number: 337-TA-1234 or a docket number; chinese_role: complainant / respondent /
-- third_party; respondent_countries: ISO codes ("CN,HK"), a name when not on the list;
-- forum: USITC, a district court ...
ALTER TABLE disputes ADD COLUMN case_number TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN chinese_role TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN complainant TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN respondent_countries TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN forum TEXT NOT NULL DEFAULT '';
