-- Issue 13: what a change means. Per change, the amending act and its dates as the official
-- text states them ("" = the source does not say: shown as 未载明, never guessed).
CREATE TABLE change_meta (
    change_id     INTEGER PRIMARY KEY REFERENCES changes(id) ON DELETE CASCADE,
    amending_act  TEXT NOT NULL DEFAULT '',   -- as the source writes it
    act_date      TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD the act is named by (公布日期)
    in_force_on   TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD of entry into force (施行日期)
    stand         TEXT NOT NULL DEFAULT ''    -- "up to date on" date the source states
);
