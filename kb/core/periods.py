"""Periods of reports and of supervision statistics: a month ``2026-09``, a quarter
``2026Q3`` or a year ``2026``. Defined once here, on the ground floor, for alerts and kb.

A period is a half-open range of dates [start, end). Months nest in quarters, quarters in
years; the disclosure audit relies on that nesting (a year's cell is bounded by its quarters').
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kb.core.errors import IpwatchError

_CN_DIGITS = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    kind: str  # month / quarter / year
    year: int
    number: int  # month 1-12, quarter 1-4, 0 for a year

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年第{_CN_DIGITS[self.number - 1]}季度"
        return f"{self.year}年"

    @property
    def first_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number - 2, "year": 1}[self.kind]

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        index = self.year * 12 + self.first_month - 1 + self.months
        return date(index // 12, index % 12 + 1, 1)

    def shifted(self, steps: int) -> "Period":
        """The period ``steps`` periods of the same kind later (negative: earlier)."""
        if self.kind == "year":
            return Period("year", self.year + steps, 0)
        size = 12 if self.kind == "month" else 4
        index = self.year * size + self.number - 1 + steps
        return Period(self.kind, index // size, index % size + 1)

    def previous(self) -> "Period":
        return self.shifted(-1)

    def same_last_year(self) -> "Period":
        return Period(self.kind, self.year - 1, self.number)

    def children(self) -> list["Period"]:
        """The periods that exactly tile this one (year → quarters, quarter → months)."""
        if self.kind == "year":
            return [Period("quarter", self.year, q) for q in range(1, 5)]
        if self.kind == "quarter":
            return [Period("month", self.year, self.first_month + i) for i in range(3)]
        return []

    def overlaps(self, other: "Period") -> bool:
        return self.start < other.end and other.start < self.end


def year_lattice(year: int) -> list[Period]:
    """A year with its quarters and months: every period the audit relates to that year."""
    out = [Period("year", year, 0)]
    out += [Period("quarter", year, q) for q in range(1, 5)]
    out += [Period("month", year, m) for m in range(1, 13)]
    return out


def parse_period(text: str) -> Period:
    value = str(text).strip().upper()
    if re.match(r"0\d{3}", value):  # the report compares with the previous year: year 1 at least
        raise IpwatchError(f"期间「{text}」的年份不对：应为月份 2026-09、季度 2026Q3 或年份 2026")
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return Period("month", year, month)
    elif match := re.fullmatch(r"(\d{4})Q([1-4])", value):
        return Period("quarter", int(match.group(1)), int(match.group(2)))
    elif re.fullmatch(r"\d{4}", value):
        return Period("year", int(value), 0)
    raise IpwatchError(f"期间「{text}」格式错误：应为月份 2026-09、季度 2026Q3 或年份 2026")
