"""Change records and their JSON form (the ``ipwatch changes --format json`` contract).

A record: ``source_id, url, detected_at, kind`` (added / removed / modified page),
``articles`` (a list of ``{"id": ..., "change": "added"|"removed"|"modified"}``) and a
readable ``summary``; ``id`` and the source's ``jurisdiction`` and ``title`` come along.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from kb.store import Store, utcnow

KINDS = ("added", "removed", "modified")
ARTICLE_CHANGES = ("added", "removed", "modified")


def record_change(
    conn: sqlite3.Connection,
    *,
    source_id: str,
    url: str,
    kind: str,
    old_snapshot: int | None,
    new_snapshot: int | None,
    articles: list[dict[str, Any]] | None = None,
    summary: str = "",
    detected_at: str | None = None,
) -> int:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}: {kind!r}")
    for article in articles or []:
        if article.get("change") not in ARTICLE_CHANGES or not article.get("id"):
            raise ValueError(f"bad article entry {article!r}")
    cur = conn.execute(
        "INSERT INTO changes(source_id, url, detected_at, kind, old_snapshot, new_snapshot,"
        " articles, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            source_id,
            url,
            detected_at or utcnow(),
            kind,
            old_snapshot,
            new_snapshot,
            json.dumps(articles or [], ensure_ascii=False),
            summary,
        ),
    )
    return int(cur.lastrowid)


def _as_record(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "source_id": row["source_id"],
        "jurisdiction": row["jurisdiction"],
        "title": row["title"],
        "url": row["url"],
        "detected_at": row["detected_at"],
        "kind": row["kind"],
        "articles": json.loads(row["articles"]),
        "summary": row["summary"],
        "old_snapshot": row["old_snapshot"],
        "new_snapshot": row["new_snapshot"],
    }


def list_changes(
    store: Store,
    *,
    since: str | None = None,
    source_id: str | None = None,
    jurisdiction: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Change records, newest first."""
    sql = (
        "SELECT c.*, s.jurisdiction, s.title FROM changes c JOIN sources s ON s.id = c.source_id"
        " WHERE 1=1"
    )
    args: list[Any] = []
    if since:
        sql += " AND c.detected_at >= ?"
        args.append(since)
    if source_id:
        sql += " AND c.source_id = ?"
        args.append(source_id)
    if jurisdiction:
        sql += " AND s.jurisdiction = ?"
        args.append(jurisdiction.upper())
    sql += " ORDER BY c.detected_at DESC, c.id DESC"
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    return [_as_record(r) for r in store.conn.execute(sql, args)]


def get_change(store: Store, change_id: int) -> dict[str, Any] | None:
    row = store.conn.execute(
        "SELECT c.*, s.jurisdiction, s.title FROM changes c JOIN sources s ON s.id = c.source_id"
        " WHERE c.id = ?",
        (change_id,),
    ).fetchone()
    return _as_record(row) if row else None
