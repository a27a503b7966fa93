"""The amending act and dates of a change, as the official text states them (table
``change_meta``; parsed by ``crawlers.lawmeta``). ``""`` means the source does not say: shown
as 未载明 (:data:`UNSTATED`), never guessed.

Ordering by meaning: a change is placed by its entry into force where stated, else by the
act's date, else by the date it was detected (:func:`effective_date`).
"""
from __future__ import annotations

import sqlite3

from kb.core.store import Store

FIELDS = ("amending_act", "act_date", "in_force_on", "stand")
UNSTATED = "未载明"
LABELS = {"amending_act": "修改依据", "act_date": "公布日期", "in_force_on": "施行日期"}


def record_meta(conn: sqlite3.Connection, change_id: int, meta: dict[str, str]) -> None:
    """Store what the source states (inside the caller's write transaction)."""
    unknown = set(meta) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown change_meta fields {sorted(unknown)}")
    conn.execute(
        "INSERT OR REPLACE INTO change_meta(change_id, amending_act, act_date, in_force_on, stand)"
        " VALUES (?, ?, ?, ?, ?)",
        (change_id, *(meta.get(f, "") or "" for f in FIELDS)),
    )


def get_meta(store: Store, change_id: int) -> dict[str, str]:
    """The stated metadata of a change; every field "" when nothing was stated."""
    row = store.conn.execute("SELECT * FROM change_meta WHERE change_id = ?", (change_id,)).fetchone()
    return {f: (row[f] if row else "") for f in FIELDS}


def effective_date(change: dict, meta: dict[str, str]) -> str:
    """The date a reader should sort by: in force, else act date, else detected."""
    return meta.get("in_force_on") or meta.get("act_date") or change["detected_at"][:10]


def shown(value: str) -> str:
    return value or UNSTATED


def meta_lines(change: dict, meta: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) pairs in reading order, 发现日期 last and apart from the law's dates."""
    pairs = [(LABELS[f], shown(meta.get(f, ""))) for f in ("amending_act", "act_date", "in_force_on")]
    return pairs + [("发现日期", f"{change['detected_at'][:10]}（本系统抓取发现，非法律生效日）")]
