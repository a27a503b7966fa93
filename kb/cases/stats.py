"""Supervision (考核) of case handling: per department and period, applications received,
accepted, median working days to first contact and to the opinion, overdue, escalated.

A case belongs to the period in which it was received and to the department handling it;
"参与会商" counts the cases whose 会商 a department took part in. "超期" counts the cases
with a step done later than the service level allows or with the next step now overdue.
"""
from __future__ import annotations

import statistics
from datetime import date
from pathlib import Path

from kb.cases import clock as caseclock, workflow as cases, workdays
from kb.core.periods import parse_period
from kb.core.store import Store

COLUMNS = [
    ("department", "部门"), ("received", "收到申请"), ("accepted", "受理"), ("rejected", "不予受理"),
    ("conferred_in", "参与会商"), ("median_to_contact", "收到至对接中位工作日"),
    ("median_to_opinion", "收到至出具意见书中位工作日"), ("overdue", "超期"),
    ("escalated", "通报"), ("closed", "结案"),
]


def period_range(period: str) -> tuple[date, date]:
    """'2026Q3', '2026-09' or '2026' → (first day, last day)."""
    span = parse_period(period)
    return span.start, date.fromordinal(span.end.toordinal() - 1)


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def _is_overdue(case: dict, settings, today: date) -> bool:
    if any(step["late"] for step in caseclock.step_times(case, settings)):
        return True
    due = caseclock.due_date(case, settings)
    return due is not None and workdays.workdays_between(due, today, workdays.extra_from(settings)) > 0


def _row(name: str, group: list[dict], conferred_in: int, settings, today: date) -> dict:
    accepted = [c for c in group if any(e["step"] == "accept" for e in c["events"])]
    to_contact = [d for d in (caseclock.workdays_to(c, "contact", workdays.extra_from(settings)) for c in group) if d is not None]
    to_opinion = [d for d in (caseclock.workdays_to(c, "opinion", workdays.extra_from(settings)) for c in group) if d is not None]
    return {
        "department": name,
        "received": len(group),
        "accepted": len(accepted),
        "rejected": sum(c["status"] == "rejected" for c in group),
        "conferred_in": conferred_in,
        "median_to_contact": _median(to_contact),
        "median_to_opinion": _median(to_opinion),
        "overdue": sum(_is_overdue(c, settings, today) for c in group),
        "escalated": sum(bool(c["escalated"]) for c in group),
        "closed": sum(c["status"] == "closed" for c in group),
    }


def case_stats(store: Store, settings, period: str, today: date | None = None) -> dict:
    start, end = period_range(period)
    today = today or workdays.today()
    chosen = [  # a withdrawn case was entered by mistake: it is not part of the record
        c for c in cases.list_cases(store)
        if start.isoformat() <= c["received_on"] <= end.isoformat() and c["status"] != "withdrawn"
    ]
    rows = []
    for dept in settings["departments"]:
        group = [c for c in chosen if c["department"] == dept["id"]]
        conferred = sum(
            any(e["step"] == "confer" and dept["id"] in e["departments"] for e in c["events"])
            for c in chosen
        )
        rows.append(_row(dept["name"], group, conferred, settings, today))
    total_conferred = sum(any(e["step"] == "confer" for e in c["events"]) for c in chosen)
    rows.append(_row("合计", chosen, total_conferred, settings, today))
    return {"period": period, "start": start.isoformat(), "end": end.isoformat(),
            "as_of": today.isoformat(), "rows": rows}


def write_stats_xlsx(stats: dict, path: Path) -> Path:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from kb.core.docxutil import check_target, write_atomic

    check_target(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "考核统计"
    sheet.append([f"海外知识产权纠纷应对指导申请办理情况 {stats['period']}"
                  f"（{stats['start']} 至 {stats['end']}，统计日 {stats['as_of']}）"])
    sheet.append([label for _, label in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in stats["rows"]:
        sheet.append([row[key] for key, _ in COLUMNS])
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(path, buffer.getvalue())
