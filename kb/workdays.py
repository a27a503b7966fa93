"""The service-level clock in Chinese working days (public holidays and adjusted working days).

Working days come from the ``chinese_calendar`` package, which knows the State Council's
holiday arrangements only for the years it ships (``covered_years()``); a date outside them
is an error rather than a guess. Local dates are those of Asia/Shanghai.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar import constants

from kb.errors import IpwatchError

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def covered_years() -> tuple[int, int]:
    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return min(years), max(years)


def _check(day: date) -> None:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise IpwatchError(
            f"工作日日历（chinese_calendar {chinese_calendar.__version__}）只含 {first}—{last} 年的"
            f"节假日安排，无法计算 {day.isoformat()}；请升级 chinese_calendar 后重试"
        )


def is_workday(day: date) -> bool:
    _check(day)
    return chinese_calendar.is_workday(day)


def add_workdays(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is day 0)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]: 0 when end is start or earlier."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def local_date(utc_iso: str) -> date:
    return datetime.fromisoformat(utc_iso).astimezone(LOCAL_TZ).date()


def today() -> date:
    return datetime.now(LOCAL_TZ).date()
