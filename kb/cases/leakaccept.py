"""Staff acceptance of a leak-scan hit: who accepted which hit (case, field, published file)
and why. The site build's leak scan (``ipwatch.leakscan``) skips an accepted hit as long as
the value is unchanged; every acceptance stays in the store as the record of the decision.
"""
from __future__ import annotations

import hashlib
import unicodedata

from kb.core.errors import IpwatchError
from kb.core.store import Store, utcnow

# Personal or identifying data of a case: key → (label, column of the query below).
PERSONAL_FIELDS = {
    "applicant_name": "申请人", "uscc": "统一社会信用代码", "contact_name": "联系人",
    "email": "联系人邮箱", "phone": "联系电话", "address": "详细联系地址",
}
CASE_VALUES_SQL = (
    "SELECT c.number, c.applicant_name, c.uscc, p.contact_name, p.email, p.phone, p.address"
    " FROM cases c LEFT JOIN case_contacts p ON p.case_id = c.id"
)


def value_digest(value: str) -> str:
    text = "".join(unicodedata.normalize("NFKC", value).split()).casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def field_key(name: str) -> str:
    """The field's key from its key or its label (联系人 → contact_name)."""
    for key, label in PERSONAL_FIELDS.items():
        if name in (key, label):
            return key
    raise IpwatchError(f"未知字段「{name}」，可选：{'、'.join(PERSONAL_FIELDS.values())}")


def _current_value(store: Store, number: str, key: str) -> str:
    row = store.conn.execute(CASE_VALUES_SQL + " WHERE c.number = ?", (number,)).fetchone()
    if row is None:
        raise IpwatchError(f"没有编号为 {number} 的案件")
    if not row[key]:
        raise IpwatchError(f"案件 {number} 的「{PERSONAL_FIELDS[key]}」为空（或已删除），无需确认")
    return row[key]


def accept_hit(store: Store, *, number: str, field: str, path: str, by: str, reason: str) -> dict:
    """Record that ``by`` examined the hit of ``field`` of case ``number`` in ``path`` and
    found it not to be personal data of the case (``reason``)."""
    key = field_key(field)
    if not by.strip() or not reason.strip():
        raise IpwatchError("请用 --by 写明确认人，用 --reason 写明理由（将记录在案）")
    path = path.strip().lstrip("/")
    if not path:
        raise IpwatchError("请用 --file 写明命中的发布文件（如 guides/us/practice/index.html）")
    digest = value_digest(_current_value(store, number, key))
    record = {"case_number": number, "field": key, "path": path, "value_digest": digest,
              "accepted_by": by.strip(), "reason": reason.strip(), "accepted_at": utcnow()}
    with store.write() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO leak_acceptances (case_number, field, path, value_digest,"
            " accepted_by, reason, accepted_at) VALUES (:case_number, :field, :path, :value_digest,"
            " :accepted_by, :reason, :accepted_at)", record)
    return record


def accepted_hits(store: Store) -> set[tuple[str, str, str, str]]:
    """(case number, field, path, value digest) of every accepted hit."""
    rows = store.conn.execute("SELECT case_number, field, path, value_digest FROM leak_acceptances")
    return {tuple(r) for r in rows}
