"""The service-level clock of cases: due dates, overdue cases, time taken per step.

Days are Chinese working days (``kb.cases.workdays``), counted from the local date a case entered
its status; the days allowed per status are ``settings["service_level"]``.
"""
from __future__ import annotations

from datetime import date

from kb.cases import workflow as cases, workdays
from kb.core.errors import IpwatchError
from kb.core.store import Store

# status → the settings key of the days allowed before the next step
SLA_KEYS = {
    "received": "accept_days",
    "accepted": "contact_days",
    "contacted": "confer_days",
    "conferred": "opinion_days",
    "opinion_issued": "close_days",
}


def due_date(case: dict, settings) -> date | None:
    """The last working day for the case's next step; None when no clock runs."""
    key = SLA_KEYS.get(case["status"])
    if key is None:
        return None
    since = workdays.local_date(case["status_since"])
    return workdays.add_workdays(since, settings["service_level"][key], workdays.extra_from(settings))


def overdue(store: Store, settings, today: date | None = None) -> list[dict]:
    """Open cases with a working day gone by after their due date, most late first."""
    today = today or workdays.today()
    extra = workdays.extra_from(settings)
    late = []
    for case in cases.list_cases(store):
        try:
            due = due_date(case, settings)
        except IpwatchError as exc:  # the calendar does not reach the due date yet
            raise IpwatchError(f"案件 {case['number']}：{exc}") from None
        if due is not None and workdays.workdays_between(due, today, extra) > 0:
            late.append({
                "number": case["number"], "status": case["status"],
                "status_label": cases.STATUS_LABELS[case["status"]],
                "since": workdays.local_date(case["status_since"]).isoformat(),
                "due": due.isoformat(), "late_workdays": workdays.workdays_between(due, today, extra),
                "department": case["department"],
            })
    late.sort(key=lambda item: (-item["late_workdays"], item["number"]))
    return late


def step_times(case: dict, settings) -> list[dict]:
    """Each workflow step: working days it took from the previous status, allowed, late."""
    status, since = "received", None
    out = []
    for event in case["events"]:
        step = cases.STEP_BY_CODE.get(event["step"])
        if event["step"] == "received":
            since = date.fromisoformat(event["on_date"])
        if step is None or since is None:
            continue
        day = date.fromisoformat(event["on_date"])
        key = SLA_KEYS.get(status)
        took = workdays.workdays_between(since, day, workdays.extra_from(settings))
        allowed = settings["service_level"][key] if key else None
        out.append({"step": step.code, "on_date": event["on_date"], "workdays": took,
                    "allowed": allowed, "late": allowed is not None and took > allowed})
        status, since = step.status, day
    return out


def workdays_to(case: dict, step_code: str,
                extra: workdays.ExtraYears = workdays.NO_EXTRA) -> int | None:
    """Working days from receipt to the first event of ``step_code`` (None if not reached)."""
    received = date.fromisoformat(case["received_on"])
    for event in case["events"]:
        if event["step"] == step_code:
            return workdays.workdays_between(received, date.fromisoformat(event["on_date"]), extra)
    return None
