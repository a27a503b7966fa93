"""Reading the first sheet of an XLSX file without losing a row.

openpyxl's read-only mode trusts the ``<dimension>`` element a file stores: a file whose
dimension says ``A1:U2`` yields two rows however many it holds. The stored dimension is reset
before reading, so every row present is read; the count read is returned with the declared
one, so that an importer can report both.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.core.errors import IpwatchError
from kb.core.ziplimits import XLSX_LIMITS, check_archive


@dataclass(frozen=True)
class Sheet:
    rows: list[tuple[Any, ...]]
    declared_rows: int | None  # what the file's <dimension> claims (None: not stated)


def read_sheet(path: Path) -> Sheet:
    """Every row of the first sheet (values, not formulas)."""
    from openpyxl import load_workbook

    data = check_archive(path, XLSX_LIMITS, "XLSX")
    try:  # a read-only workbook parses its sheet while iterating: both steps can meet bad XML
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            declared = sheet.max_row
            sheet.reset_dimensions()
            rows = list(sheet.iter_rows(values_only=True))
        finally:
            book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, OSError, SyntaxError) as exc:
        raise IpwatchError(f"文件 {Path(path).name} 不是有效的 XLSX 文件：{exc}") from None
    return Sheet(rows, declared)
