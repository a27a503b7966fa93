"""Cases: applications of 附件1 taken in by staff, and their workflow.

受理 (or 不予受理 with the reason, or 补充材料 with what is missing, then 收到补充材料) → 对接 → 会商 (which
departments took part) → 出具意见书 → 结案; a case may be 通报 (escalated) to the city, the
province or the national centre at any point while it is open. Every step is an event with
its time, its local date, who did it and a note. The contact person's data live in
``case_contacts`` (see ``kb.privacy``); nothing here logs them.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from kb.cases import form, workdays
from kb.disputes.records import add_dispute, remove_disputes
from kb.core import scrub
from kb.core.errors import IpwatchError
from kb.core.store import Store, utcnow


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    status: str  # the case's status after the step
    after: tuple[str, ...]  # statuses the step may follow


STEPS = (
    Step("accept", "受理", "accepted", ("received",)),
    Step("reject", "不予受理", "rejected", ("received", "materials_requested")),
    Step("request_materials", "补充材料", "materials_requested", ("received",)),
    Step("materials_received", "收到补充材料", "received", ("materials_requested",)),
    Step("contact", "对接", "contacted", ("accepted",)),
    Step("confer", "会商", "conferred", ("contacted",)),
    Step("opinion", "出具意见书", "opinion_issued", ("conferred",)),
    Step("close", "结案", "closed", ("opinion_issued",)),
)
STEP_BY_CODE = {s.code: s for s in STEPS}
STATUS_LABELS = {
    "received": "已收到申请", "materials_requested": "待补充材料", "accepted": "已受理",
    "contacted": "已对接", "conferred": "已会商", "opinion_issued": "已出具意见书",
    "closed": "已结案", "rejected": "不予受理", "withdrawn": "已撤销",
}
EVENT_LABELS = {"received": "收到申请", "escalate": "通报", "purge": "删除联系人信息", "draft_opinion": "起草意见书",
                "withdraw": "撤销案件", "amend": "更正申请",
                **{s.code: s.label for s in STEPS}}
TERMINAL = {"closed", "rejected", "withdrawn"}
NOTE_REQUIRED = {"reject": "不予受理的理由", "request_materials": "需补充的材料"}
ESCALATION_TARGETS = ("city", "province", "national")
ESCALATION_LABELS = {"city": ("市", "市级"), "province": ("省", "省级"), "national": ("国家", "国家中心")}
# Every case is counted in the dispute database (kb.disputes.records, de-identified) from its import.
LIST_FIELDS = ("dispute_types", "right_types", "countries")


def fingerprint(clean: dict) -> str:
    """The identity of an application: the same content imported twice is one case."""
    content = {k: clean[k] for k in sorted(clean) if k != "submitted_on"}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_time(on: date | str | None = None) -> str:
    """UTC time of a step: now, or 09:00 local time of the given date (recording late)."""
    if on is None:
        return utcnow()
    day = workdays.parse_day(on)
    if day > workdays.today():  # a step not done yet; its clock would also run off the calendar
        raise IpwatchError(f"--on 的日期 {day} 晚于今天（{workdays.today()}）：只能补录已经办理的步骤")
    local = datetime.combine(day, time(9, 0), tzinfo=workdays.LOCAL_TZ)
    return local.astimezone(timezone.utc).isoformat()


def _next_number(conn: sqlite3.Connection, year: int) -> str:
    row = conn.execute(
        "SELECT COUNT(*) FROM cases WHERE number LIKE ?", (f"{year}-%",)
    ).fetchone()
    return f"{year}-{row[0] + 1:04d}"


def stored_values(clean: dict) -> dict[str, str]:
    """The application's fields as the ``cases`` table stores them (lists as JSON), without
    the contact person's data, which live in ``case_contacts``."""
    return {f.key: json.dumps(clean[f.key]) if f.key in LIST_FIELDS else clean[f.key] or ""
            for f in form.FIELDS if f.key not in form.CONTACT_KEYS}


def insert_case(conn: sqlite3.Connection, clean: dict, *, source: str, department: str,
                actor: str, at: str) -> tuple[str, bool]:
    """Insert one cleaned application (inside the caller's write); (number, created)."""
    digest = fingerprint(clean)
    existing = conn.execute("SELECT number FROM cases WHERE fingerprint = ?", (digest,)).fetchone()
    if existing:
        return existing["number"], False
    on_date = workdays.local_date(at)
    number = _next_number(conn, on_date.year)
    stored = stored_values(clean)
    columns, values = list(stored), list(stored.values())
    cursor = conn.execute(
        f"INSERT INTO cases (number, fingerprint, received_at, received_on, source, department,"
        f" status, status_since, {', '.join(columns)})"
        f" VALUES (?, ?, ?, ?, ?, ?, 'received', ?, {', '.join('?' * len(columns))})",
        (number, digest, at, on_date.isoformat(), source, department, at, *values),
    )
    case_id = cursor.lastrowid
    conn.execute(
        "INSERT INTO case_contacts (case_id, contact_name, email, phone, address)"
        " VALUES (?, ?, ?, ?, ?)",
        (case_id, clean["contact_name"], clean["contact_email"], clean["contact_phone"],
         clean["address"]),
    )
    _add_event(conn, case_id, "received", at, actor, [department], f"来源：{source}")
    return number, True


def _add_event(conn, case_id: int, step: str, at: str, actor: str, departments, note: str,
               detail: dict | None = None) -> None:
    conn.execute(
        "INSERT INTO case_events (case_id, step, at, on_date, actor, departments, note, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (case_id, step, at, workdays.local_date(at).isoformat(), actor,
         json.dumps(list(departments)), note, json.dumps(detail or {}, ensure_ascii=False)),
    )


def _row(store: Store, number: str) -> sqlite3.Row:
    row = store.conn.execute("SELECT * FROM cases WHERE number = ?", (number,)).fetchone()
    if row is None:
        raise IpwatchError(f"找不到案件「{number}」，请用 ipwatch case list 查看案件编号")
    return row


def get_case(store: Store, number: str, *, with_contacts: bool = False) -> dict[str, Any]:
    """A case as a dict, its events in order, and (only when asked) the contact data."""
    row = _row(store, number)
    case = {k: row[k] for k in row.keys()}
    for key in LIST_FIELDS:
        case[key] = json.loads(case[key])
    case["events"] = [
        {**dict(e), "departments": json.loads(e["departments"]), "detail": json.loads(e["detail"])}
        for e in store.conn.execute(
            "SELECT step, at, on_date, actor, departments, note, detail FROM case_events"
            " WHERE case_id = ? ORDER BY id", (row["id"],)
        )
    ]
    if with_contacts:
        contact = store.conn.execute(
            "SELECT contact_name, email, phone, address, purge_after FROM case_contacts"
            " WHERE case_id = ?", (row["id"],)
        ).fetchone()
        case["contact"] = dict(contact) if contact else None
    return case


def list_cases(store: Store, status: str | None = None) -> list[dict[str, Any]]:
    if status:
        status = resolve_name("状态", status, status_names())
    sql = "SELECT number FROM cases" + (" WHERE status = ?" if status else "") + " ORDER BY id"
    return [get_case(store, r["number"]) for r in store.conn.execute(sql, (status,) if status else ())]


def resolve_name(what: str, value: str, names: dict[str, tuple[str, ...]]) -> str:
    """The code of ``value``, given as the code itself or one of its Chinese names.

    ``names`` maps each code to its Chinese names; an unknown or ambiguous value is an error
    listing every accepted form, so staff can type 受理 where the code is ``accept``.
    """
    value = value.strip()
    if value in names:
        return value
    found = {code for code, labels in names.items() if value in labels}
    if len(found) == 1:
        return found.pop()
    accepted = "、".join(f"{code}（{'/'.join(labels)}）" if labels else code for code, labels in names.items())
    raise IpwatchError(f"未知{what}「{value}」，可选：{accepted}")


def step_names() -> dict[str, tuple[str, ...]]:
    return {s.code: (s.label,) for s in STEPS}


def status_names() -> dict[str, tuple[str, ...]]:
    """A status by its code, its label (已受理) or the step that leads to it (受理)."""
    return {code: (label, *(s.label for s in STEPS if s.status == code and s.label != label))
            for code, label in STATUS_LABELS.items()}


def _check_departments(settings, departments) -> list[str]:
    return list(dict.fromkeys(settings.department(dept)["id"] for dept in departments))


def _check_order(store: Store, case_id: int, at: str) -> None:
    last = store.conn.execute(
        "SELECT MAX(on_date) FROM case_events WHERE case_id = ? AND step != 'draft_opinion'", (case_id,)
    ).fetchone()[0]
    if last and workdays.local_date(at).isoformat() < last:
        raise IpwatchError(f"办理日期 {workdays.local_date(at)} 早于上一步骤的日期 {last}")


def advance(store: Store, settings, number: str, step_code: str, *, actor: str, note: str = "",
            departments: list[str] | tuple = (), on: date | str | None = None) -> dict:
    """Record one workflow step; returns the case after it."""
    step_code = resolve_name("步骤", step_code, step_names())
    step = STEP_BY_CODE[step_code]
    if not actor.strip():
        raise IpwatchError("请用 --by 写明办理人")
    if step_code in NOTE_REQUIRED and not note.strip():
        raise IpwatchError(f"「{step.label}」须用 --note 写明{NOTE_REQUIRED[step_code]}")
    if step_code == "confer" and not departments:
        raise IpwatchError("「会商」须用 --dept 写明参加会商的部门（可多次使用）")
    depts = _check_departments(settings, departments)
    at = event_time(on)
    with store.write() as conn:
        row = _row(store, number)
        if row["status"] not in step.after:
            raise IpwatchError(
                f"案件 {number} 当前为「{STATUS_LABELS[row['status']]}」，不能办理「{step.label}」"
            )
        _check_order(store, row["id"], at)
        detail = _issued_draft(conn, row["id"], number) if step_code == "opinion" else None
        _add_event(conn, row["id"], step_code, at, actor, depts or [row["department"]], note, detail)
        conn.execute("UPDATE cases SET status = ?, status_since = ? WHERE id = ?",
                     (step.status, at, row["id"]))
        if step.status in TERMINAL:
            _set_purge_date(conn, settings, row["id"], workdays.local_date(at))
        if step_code == "close":  # the dispute database learns the closing date
            add_dispute(conn, dispute_record_of(conn, number))
    return get_case(store, number)


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def record_draft(store: Store, number: str, path: Path, *, actor: str, on: date | str | None = None) -> None:
    """Note that the 意见书 of the case was drafted to ``path`` (its hash as drafted)."""
    with store.write() as conn:
        row = _row(store, number)
        _add_event(conn, row["id"], "draft_opinion", event_time(on), actor, [row["department"]], "",
                   {"path": str(Path(path).resolve()), "sha256": file_hash(path)})


def _issued_draft(conn, case_id: int, number: str) -> dict:
    """What 出具意见书 records: the drafted file as it is now (staff may have edited it)."""
    row = conn.execute("SELECT detail FROM case_events WHERE case_id = ? AND step = 'draft_opinion'"
                       " ORDER BY id DESC LIMIT 1", (case_id,)).fetchone()
    if row is None:
        raise IpwatchError(f"案件 {number} 还没有起草意见书：请先运行 ipwatch case opinion {number}，"
                           "审阅定稿后再办理「出具意见书」")
    path = Path(json.loads(row["detail"])["path"])
    if not path.is_file():
        raise IpwatchError(f"找不到案件 {number} 的意见书草稿 {path}：请重新起草（ipwatch case opinion {number}）")
    return {"document": str(path), "sha256": file_hash(path)}


def _set_purge_date(conn, settings, case_id: int, ended: date) -> None:
    purge_after = ended + timedelta(days=settings["privacy"]["retention_days"])
    conn.execute("UPDATE case_contacts SET purge_after = ? WHERE case_id = ?",
                 (purge_after.isoformat(), case_id))


def escalate(store: Store, settings, number: str, target: str, *, actor: str, note: str = "",
             on: date | str | None = None) -> dict:
    """Record a 通报 of an open case to the city, the province or the national centre."""
    target = resolve_name("通报对象", target, ESCALATION_LABELS)
    if not actor.strip():
        raise IpwatchError("请用 --by 写明办理人")
    at = event_time(on)
    with store.write() as conn:
        row = _row(store, number)
        if row["status"] in TERMINAL or row["status"] in ("received", "materials_requested"):
            raise IpwatchError(
                f"案件 {number} 当前为「{STATUS_LABELS[row['status']]}」，只有已受理、未结案的案件可以通报"
            )
        _check_order(store, row["id"], at)
        recipient = settings["escalation"][target]
        _add_event(conn, row["id"], "escalate", at, actor, [row["department"]], note,
                   {"target": target, "recipient": recipient})
        conn.execute("UPDATE cases SET escalated = 1 WHERE id = ?", (row["id"],))
    return get_case(store, number)


def withdraw(store: Store, settings, number: str, *, reason: str, actor: str,
             on: date | str | None = None) -> dict:
    """Withdraw a case entered by mistake (a duplicate, a sample, a wrong application): it
    leaves the dispute database, the overdue list and the supervision figures; its history
    stays, and its contact data are purged like those of any ended case."""
    if not reason.strip():
        raise IpwatchError("撤销案件须用 --reason 写明理由")
    if not actor.strip():
        raise IpwatchError("请用 --by 写明办理人")
    at = event_time(on)
    with store.write() as conn:
        row = _row(store, number)
        if row["status"] == "withdrawn":
            raise IpwatchError(f"案件 {number} 已撤销")
        _check_order(store, row["id"], at)
        _add_event(conn, row["id"], "withdraw", at, actor, [row["department"]], reason,
                   {"status_before": row["status"]})
        conn.execute("UPDATE cases SET status = 'withdrawn', status_since = ? WHERE id = ?", (at, row["id"]))
        _set_purge_date(conn, settings, row["id"], workdays.local_date(at))
        remove_disputes(conn, "case", number)
    return get_case(store, number)


def amend(store: Store, settings, number: str, clean: dict, *, reason: str, actor: str,
          on: date | str | None = None) -> dict:
    """Correct a case's application with a validated corrected one (``clean``); the fields
    that changed and their earlier values are kept in the case's history."""
    if not reason.strip():
        raise IpwatchError("更正申请须用 --reason 写明理由")
    if not actor.strip():
        raise IpwatchError("请用 --by 写明办理人")
    at = event_time(on)
    with store.write() as conn:
        row = _row(store, number)
        if row["status"] in TERMINAL:
            raise IpwatchError(f"案件 {number} 当前为「{STATUS_LABELS[row['status']]}」，不能更正")
        digest = fingerprint(clean)
        other = conn.execute("SELECT number FROM cases WHERE fingerprint = ? AND id != ?",
                             (digest, row["id"])).fetchone()
        if other:
            raise IpwatchError(f"更正后的申请与案件 {other['number']} 完全相同")
        new = stored_values(clean)
        columns = list(new)
        changed = {k: row[k] for k in columns if row[k] != new[k]}
        contact = conn.execute("SELECT contact_name, email, phone, address FROM case_contacts WHERE case_id = ?",
                               (row["id"],)).fetchone()
        new_contact = (clean["contact_name"], clean["contact_email"], clean["contact_phone"], clean["address"])
        contact_changed = contact is not None and tuple(contact) != new_contact
        if not changed and not contact_changed:
            raise IpwatchError(f"更正后的申请与案件 {number} 现有内容相同，无需更正")
        conn.execute(f"UPDATE cases SET fingerprint = ?, {', '.join(f'{k} = ?' for k in columns)} WHERE id = ?",
                     (digest, *new.values(), row["id"]))
        conn.execute("UPDATE case_contacts SET contact_name = ?, email = ?, phone = ?, address = ? WHERE case_id = ?",
                     (*new_contact, row["id"]))
        labels = {f.key: f.label for f in form.FIELDS}
        fields = [labels[k] for k in changed] + (["联系人信息"] if contact_changed else [])
        # earlier values stay in the history, but not the applicant's identity or contact data:
        # a case's events reach listings, which never show who applied
        before = {k: v for k, v in changed.items() if k not in ("applicant_name", "uscc")}
        _add_event(conn, row["id"], "amend", at, actor, [row["department"]], reason,
                   {"fields": fields, "before": before})
        remove_disputes(conn, "case", number)
        add_dispute(conn, dispute_record_of(conn, number))
    return get_case(store, number)


def case_dispute_record(case: dict) -> dict:
    """The case as a de-identified record of the dispute database (``kb.disputes.records``).

    The enterprise goes in as its credit code, which ``kb.disputes.records`` turns into a keyed hash;
    no name, contact or free text of the application is included.
    """
    closed = next((e["on_date"] for e in case.get("events", []) if e["step"] == "close"), None)
    record = {
        "origin": "case",
        "source_ref": case["number"],
        "enterprise": case["uscc"],
        "dispute_types": case["dispute_types"],
        "right_types": case["right_types"],
        "countries": case["countries"],
        "counterparty_type": case["counterparty_type"],
        "field": case["field"],
        "level": case["level"],
        "received_on": case["received_on"],
        # the form's 其他___ texts: short classifications, kept so that 其他 can be counted
        **{key: case[key] for key in ("right_other", "country_other", "counterparty_other",
                                      "field_other")},
    }
    if closed:
        record["closed_on"] = closed
    return record


def dispute_record_of(conn, number: str) -> dict:
    """``case_dispute_record`` read through a connection inside a write transaction."""
    row = conn.execute("SELECT * FROM cases WHERE number = ?", (number,)).fetchone()
    case = {k: row[k] for k in row.keys()}
    for key in LIST_FIELDS:
        case[key] = json.loads(case[key])
    case["events"] = [dict(e) for e in conn.execute(
        "SELECT step, on_date FROM case_events WHERE case_id = ? ORDER BY id", (row["id"],))]
    return case_dispute_record(case)


PURGED_COLUMNS = ("contact_name", "email", "phone", "address")


def purge_contacts(store: Store, today: date | None = None, *, actor: str = "system",
                   wait_seconds: float = 30) -> list[str]:
    """Delete the contact data of cases whose purge date has come; the case numbers purged.

    The store is taken for sole use first (waiting up to ``wait_seconds`` for other readers,
    else an error and nothing deleted), and success is reported only once the purged values'
    bytes are verified gone from the store's files (``kb.core.scrub``)."""
    day = (today or workdays.today()).isoformat()
    at = utcnow()
    scrub.wait_for_sole_use(store, wait_seconds)
    with store.write() as conn:
        due = conn.execute(
            "SELECT c.id, c.number, p.contact_name, p.email, p.phone, p.address FROM case_contacts p"
            " JOIN cases c ON c.id = p.case_id"
            " WHERE p.purge_after IS NOT NULL AND p.purge_after <= ? ORDER BY c.id", (day,)
        ).fetchall()
        for row in due:
            conn.execute("DELETE FROM case_contacts WHERE case_id = ?", (row["id"],))
            conn.execute("UPDATE cases SET contacts_purged_at = ? WHERE id = ?", (at, row["id"]))
            _add_event(conn, row["id"], "purge", at, actor, [], "联系人信息已按保存期限删除")
    scrub.scrub(store, _purged_values(store, due), wait_seconds)
    return [row["number"] for row in due]


def _purged_values(store: Store, due) -> set[str]:
    """The purged values no other case still holds (those must stay in the file)."""
    values = {row[c] for row in due for c in PURGED_COLUMNS if row[c]}
    held = set()
    for value in values:
        found = store.conn.execute(
            "SELECT 1 FROM case_contacts WHERE ? IN (contact_name, email, phone, address)"
            " UNION ALL SELECT 1 FROM cases WHERE ? IN (applicant_name, uscc) LIMIT 1", (value, value)
        ).fetchone()
        if found:
            held.add(value)
    return values - held

