"""Staff interpretation (解读) of a change, one per change: draft → reviewed → published.

Only a published interpretation reaches the site, the feeds and the home page (where it leads
the change); a change without one is shown as 待解读. Editing the text of a reviewed or
published interpretation sends it back to draft: what is published is what was reviewed.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from kb.core.errors import IpwatchError
from kb.core.store import Store

STATES = ("draft", "reviewed", "published")
STATE_LABELS = {"draft": "草稿", "reviewed": "已审核", "published": "已发布"}
PENDING = "待解读"
MAX_CHARS = 4000


def get_note(store: Store, change_id: int) -> dict[str, Any] | None:
    row = store.conn.execute("SELECT * FROM change_notes WHERE change_id = ?", (change_id,)).fetchone()
    return dict(row) if row else None


def published_note(store: Store, change_id: int) -> dict[str, Any] | None:
    note = get_note(store, change_id)
    return note if note and note["state"] == "published" else None


def _check_change(store: Store, change_id: int) -> None:
    if not store.conn.execute("SELECT 1 FROM changes WHERE id = ?", (change_id,)).fetchone():
        raise IpwatchError(f"找不到编号为 {change_id} 的修改记录（用 ipwatch changes 查看编号）")


def write_note(store: Store, change_id: int, text: str, author: str, on: date) -> dict[str, Any]:
    """Write or replace the interpretation's text; it becomes (again) a draft."""
    _check_change(store, change_id)
    text = text.strip()
    if not text:
        raise IpwatchError("解读内容不能为空（--text 或 --file）")
    if len(text) > MAX_CHARS:
        raise IpwatchError(f"解读内容过长：{len(text)} 字，上限 {MAX_CHARS} 字")
    if not author.strip():
        raise IpwatchError("须用 --by 写明撰写人")
    with store.write() as conn:
        conn.execute(
            "INSERT INTO change_notes(change_id, text, state, author, written_on) VALUES (?, ?, 'draft', ?, ?)"
            " ON CONFLICT(change_id) DO UPDATE SET text=excluded.text, state='draft',"
            " author=excluded.author, written_on=excluded.written_on, reviewer='', reviewed_on='',"
            " published_on=''",
            (change_id, text, author.strip(), on.isoformat()),
        )
    return get_note(store, change_id)


def advance_note(store: Store, change_id: int, state: str, by: str, on: date) -> dict[str, Any]:
    """Move the interpretation to ``reviewed`` (by a reviewer other than its author) or
    ``published`` (only after review)."""
    note = get_note(store, change_id)
    if note is None:
        raise IpwatchError(f"修改记录 {change_id} 还没有解读：先用 ipwatch changes note {change_id} --text 撰写")
    if state == "reviewed":
        if note["state"] != "draft":
            raise IpwatchError(f"解读当前为「{STATE_LABELS[note['state']]}」，只有草稿可以审核")
        if not by.strip() or by.strip() == note["author"]:
            raise IpwatchError("审核人须用 --by 写明，且不能是撰写人本人")
        sql, args = "UPDATE change_notes SET state='reviewed', reviewer=?, reviewed_on=?", [by.strip(), on.isoformat()]
    elif state == "published":
        if note["state"] != "reviewed":
            raise IpwatchError(f"解读当前为「{STATE_LABELS[note['state']]}」，须先审核才能发布")
        sql, args = "UPDATE change_notes SET state='published', published_on=?", [on.isoformat()]
    else:
        raise IpwatchError(f"状态「{state}」无效：可选 reviewed（审核）、published（发布）")
    with store.write() as conn:
        conn.execute(sql + " WHERE change_id = ?", (*args, change_id))
    return get_note(store, change_id)
