"""The service-level clock in Chinese working days (public holidays and adjusted working days).

Working days come from the ``chinese_calendar`` package, which knows the State Council's
holiday arrangements only for the years it ships (``covered_years()``). When the State
Council publishes a later year's arrangement before the package does, staff add that year to
the settings' ``[calendar]`` section (its holidays and adjusted working days); a date outside
both is an error rather than a guess. Local dates are those of Asia/Shanghai.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar import constants

from kb.core.errors import IpwatchError

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ExtraYears:
    """Holiday arrangements of years the package does not ship yet (from the settings)."""

    years: frozenset[int] = frozenset()
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


NO_EXTRA = ExtraYears()


def extra_from(settings) -> ExtraYears:
    """The ``[calendar]`` section of the settings as ``ExtraYears`` (checked)."""
    section = settings["calendar"]

    def dates(key: str) -> frozenset[date]:
        out = set()
        for text in section[key]:
            try:
                day = date.fromisoformat(str(text))
            except ValueError:
                raise IpwatchError(f"设置项「calendar.{key}」中的「{text}」不是日期（应为 2027-01-01 格式）") from None
            if day.year not in section["years"]:
                raise IpwatchError(f"设置项「calendar.{key}」中的 {text} 不在「calendar.years」所列年份内")
            out.add(day)
        return frozenset(out)

    return ExtraYears(frozenset(section["years"]), dates("holidays"), dates("workdays"))


def parse_day(text: date | str | None, option: str = "--on") -> date | None:
    """A date typed by a user (YYYY-MM-DD) or None; an unreadable date is a user error naming
    the option, never a ValueError with a traceback."""
    if text is None or isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise IpwatchError(f"{option} 的日期「{text}」无效：应为 YYYY-MM-DD，如 2026-10-09") from None


def covered_years() -> tuple[int, int]:
    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return min(years), max(years)


def calendar_gap(today: date, extra: ExtraYears = NO_EXTRA, horizon_days: int = 60) -> int | None:
    """The first year within ``horizon_days`` of ``today`` whose holiday arrangement is known
    neither to chinese_calendar nor to the settings' ``[calendar]`` (None: all known). Case
    deadlines run up to a few weeks ahead, so staff must be told before the year turns."""
    first, last = covered_years()
    for year in range(today.year, (today + timedelta(days=horizon_days)).year + 1):
        if not (first <= year <= last) and year not in extra.years:
            return year
    return None


def is_workday(day: date, extra: ExtraYears = NO_EXTRA) -> bool:
    first, last = covered_years()
    if first <= day.year <= last:
        return chinese_calendar.is_workday(day)
    if day.year in extra.years:
        if day in extra.holidays:
            return False
        return day in extra.workdays or day.weekday() < 5
    raise IpwatchError(
        f"工作日日历（chinese_calendar {chinese_calendar.__version__}）只含 {first}—{last} 年的"
        f"节假日安排，无法计算 {day.isoformat()}；请升级 chinese_calendar，或在设置文件的"
        f" [calendar] 中按国务院办公厅公布的安排填写 {day.year} 年的节假日和调休上班日"
    )


def add_workdays(start: date, days: int, extra: ExtraYears = NO_EXTRA) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is day 0)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day, extra):
            counted += 1
    return day


def workdays_between(start: date, end: date, extra: ExtraYears = NO_EXTRA) -> int:
    """Working days in (start, end]: 0 when end is start or earlier."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day, extra):
            count += 1
    return count


def local_date(utc_iso: str) -> date:
    return datetime.fromisoformat(utc_iso).astimezone(LOCAL_TZ).date()


def local_time(utc_iso: str) -> str:
    """A stored UTC timestamp as the bureau reads it: 2026-12-03 01:45（北京时间）."""
    return datetime.fromisoformat(utc_iso).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M（北京时间）")


def today() -> date:
    return datetime.now(LOCAL_TZ).date()
