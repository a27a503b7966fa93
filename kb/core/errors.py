"""Errors that reach a user: each carries a message in Chinese that names what is wrong.

The command line prints ``str(error)`` and exits non-zero; no traceback is shown for these.
Anything else that escapes is a programming error and keeps its traceback.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_SHOWN = 50  # errors listed in a message; the rest are counted (a junk file of 20,000 rows)


class IpwatchError(Exception):
    """A problem the user can fix (bad file, bad argument, missing data)."""


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with one field of one record."""

    field: str
    message: str
    row: int | None = None  # 1-based row of a spreadsheet / record number in a file
    line: int | None = None  # 1-based line of a text file

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.line is not None:
            where.append(f"第{self.line}行")
        prefix = "，".join(where)
        return f"{prefix + '，' if prefix else ''}字段「{self.field}」：{self.message}"


class ValidationError(IpwatchError):
    """A record or file failed validation; ``errors`` lists every field that is wrong."""

    def __init__(self, errors: list[FieldError], title: str = "数据校验未通过"):
        self.errors = list(errors)
        self.title = title
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [f"{self.title}（共{len(self.errors)}处错误）："]
        lines += [f"  - {e}" for e in self.errors[:MAX_SHOWN]]
        if len(self.errors) > MAX_SHOWN:
            lines.append(f"  …… 以上为前{MAX_SHOWN}处，其余{len(self.errors) - MAX_SHOWN}处未列出")
        return "\n".join(lines)
