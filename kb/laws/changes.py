"""Change records and their JSON form (the ``ipwatch changes --format json`` contract).

A record: ``source_id, url, detected_at, kind`` (added / removed / modified page),
``articles`` (a list of ``{"id": ..., "change": "added"|"removed"|"modified"}``) and a
readable ``summary``; ``id`` and the source's ``jurisdiction`` and ``title`` come along, with
``substantive`` (false: an editorial-only change, which never alerts) and ``rights``.

The article-level detail of a change (old and new text of each article, its redline as diff
operations, the editorial flag) is kept in ``change_articles`` (``change_articles()``); the
full old and new normalised texts are the change's snapshots (``change_texts()``).
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from kb.core.errors import IpwatchError
from kb.laws.snapshots import snapshot_text
from kb.core.store import Store, utcnow

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
    details: list[dict[str, Any]] | None = None,
    substantive: bool = True,
    rights: list[str] | tuple[str, ...] | None = None,
) -> int:
    """Insert a change (inside the caller's write transaction); return its id.

    ``details``: per article ``{"id", "change", "old_text", "new_text", "ops", "editorial",
    "reason"}`` (``crawlers.compare.ArticleChange.as_dict()``).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}: {kind!r}")
    for article in articles or []:
        if article.get("change") not in ARTICLE_CHANGES or not article.get("id"):
            raise ValueError(f"bad article entry {article!r}")
    cur = conn.execute(
        "INSERT INTO changes(source_id, url, detected_at, kind, old_snapshot, new_snapshot,"
        " articles, summary, substantive, rights) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            source_id,
            url,
            detected_at or utcnow(),
            kind,
            old_snapshot,
            new_snapshot,
            json.dumps(articles or [], ensure_ascii=False),
            summary,
            int(bool(substantive)),
            json.dumps(list(rights or []), ensure_ascii=False),
        ),
    )
    change_id = int(cur.lastrowid)
    for position, detail in enumerate(details or []):
        _insert_article(conn, change_id, position, detail)
    return change_id


def _insert_article(conn: sqlite3.Connection, change_id: int, position: int, detail: dict) -> None:
    if detail.get("change") not in ARTICLE_CHANGES or not detail.get("id"):
        raise ValueError(f"bad article detail {detail.get('id')!r}")
    conn.execute(
        "INSERT INTO change_articles(change_id, position, article_id, change, old_text, new_text,"
        " redline, editorial, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            change_id,
            position,
            detail["id"],
            detail["change"],
            detail.get("old_text", ""),
            detail.get("new_text", ""),
            json.dumps(detail.get("ops", []), ensure_ascii=False),
            int(bool(detail.get("editorial"))),
            detail.get("reason", ""),
        ),
    )


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
        "substantive": bool(row["substantive"]),
        "rights": json.loads(row["rights"]),
    }


def _check_since(since: str) -> None:
    """``since`` is compared as text with ISO times: anything but an ISO date would silently
    select nothing (or everything)."""
    try:
        datetime.fromisoformat(since)
        if since[4] != "-":  # 20261001 parses but does not compare with 2026-10-…
            raise ValueError(since)
    except (TypeError, ValueError, IndexError):
        raise IpwatchError(f"--since 的日期「{since}」无效：应为 YYYY-MM-DD，如 2026-10-01") from None


def _filtered(select: str, since: str | None, source_id: str | None) -> tuple[str, list[Any]]:
    """``select`` (over ``changes c``) narrowed to a start time and a source."""
    sql, args = select + " WHERE 1=1", []
    if since:
        _check_since(since)
        sql += " AND c.detected_at >= ?"
        args.append(since)
    if source_id:
        sql += " AND c.source_id = ?"
        args.append(source_id)
    return sql, args


def list_changes(
    store: Store,
    *,
    since: str | None = None,
    source_id: str | None = None,
    jurisdiction: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Change records, newest first."""
    sql, args = _filtered(
        "SELECT c.*, s.jurisdiction, s.title FROM changes c JOIN sources s ON s.id = c.source_id",
        since, source_id)
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


def change_articles(store: Store, change_id: int) -> list[dict[str, Any]]:
    """The article-level detail of a change, in order: id, change, texts, redline ops."""
    rows = store.conn.execute(
        "SELECT * FROM change_articles WHERE change_id = ? ORDER BY position", (change_id,)
    )
    return [
        {
            "id": row["article_id"],
            "change": row["change"],
            "old_text": row["old_text"],
            "new_text": row["new_text"],
            "ops": json.loads(row["redline"]),
            "editorial": bool(row["editorial"]),
            "reason": row["reason"],
        }
        for row in rows
    ]


def change_texts(store: Store, change_id: int) -> tuple[str, str]:
    """The old and the new normalised text of the page a change was detected on."""
    change = get_change(store, change_id)
    if change is None:
        raise KeyError(change_id)
    old = snapshot_text(store, change["old_snapshot"]) if change["old_snapshot"] else ""
    new = snapshot_text(store, change["new_snapshot"]) if change["new_snapshot"] else ""
    return old, new


def changed_articles(
    store: Store, *, since: str | None = None, source_id: str | None = None,
    substantive_only: bool = True,
) -> list[dict[str, Any]]:
    """Every article touched by a change, newest first: ``source_id, jurisdiction,
    article_id, key`` (the id without whitespace, for matching a guide's citation),
    ``change, editorial, change_id, detected_at``. Editorial-only edits are left out unless
    ``substantive_only`` is false."""
    sql, args = _filtered(
        "SELECT c.source_id, s.jurisdiction, a.article_id, a.change, a.editorial,"
        " c.id AS change_id, c.detected_at FROM change_articles a"
        " JOIN changes c ON c.id = a.change_id JOIN sources s ON s.id = c.source_id",
        since, source_id)
    if substantive_only:
        sql += " AND a.editorial = 0"
    sql += " ORDER BY c.detected_at DESC, c.id DESC, a.position"
    return [
        {**dict(row), "editorial": bool(row["editorial"]),
         "key": "".join(row["article_id"].split())}
        for row in store.conn.execute(sql, args)
    ]
