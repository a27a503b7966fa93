"""``ipwatch case import FILE``: the exported file of the web form, a filled copy of the Word
form, or a spreadsheet (XLSX) of many applications.

Every application is validated field by field first; a file with any error imports nothing
(the error list names each field and row). The same application imported twice is one case.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

from kb.cases import workflow as cases, form, formcheck, formdocx
from kb.core import textcheck
from kb.core.choices import DISPUTE_TYPE_SHORT
from kb.disputes.records import add_dispute
from kb.core.errors import FieldError, IpwatchError, ValidationError
from kb.core.store import Store
from kb.core.xlsxread import read_sheet

SEPARATORS = re.compile(r"[;；\n|]+")
SUFFIXES = {".json": "json", ".docx": "docx", ".xlsx": "xlsx"}


class _LongNumber:
    """A JSON number too long to be anything of the form (Python would refuse to convert one
    of 4,300 digits with a traceback): kept as its length only and refused by type."""

    def __init__(self, text: str):
        self.digits = len(text)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:  # a second value of a field must not silently win
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _number(text: str):
    return _LongNumber(text) if len(text) > 30 else (float(text) if "." in text or "e" in text.lower() else int(text))


def _parse_json(raw: bytes, name: str):
    try:
        return json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_no_duplicates,
                          parse_int=_number, parse_float=_number)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IpwatchError(f"文件 {name} 不是有效的 JSON（UTF-8）：{exc}") from None
    except _DuplicateKey as exc:
        raise ValidationError([FieldError(_field_name(str(exc)), "在文件中出现了两次，无法确定以哪个为准")],
                              title=f"文件 {name} 含有重复的键，未导入任何数据") from None
    except RecursionError:  # nesting no exported file has
        raise IpwatchError(f"文件 {name} 不是申请书导出文件（JSON 嵌套过深）") from None


def _field_name(key: str) -> str:
    f = form.BY_KEY.get(key)
    return f.label if f else textcheck.shown(key)


def _check_keys(application: dict, name: str) -> None:
    """Keys that cannot be shown (a lone surrogate) are refused before any message names them."""
    bad = [FieldError(textcheck.shown(k), "字段名含有无效的 Unicode 字符")
           for k in application if textcheck.has_lone_surrogate(k)]
    long = [FieldError(_field_name(k), f"是长达{v.digits}位的数字，不是申请书中的内容")
            for k, v in application.items() if isinstance(v, _LongNumber)]
    if bad or long:
        raise ValidationError(bad + long, title=f"文件 {name} 校验未通过，未导入任何数据")


def read_json(path: Path) -> list[tuple[int | None, dict]]:
    return [(None, parse_export(path.read_bytes(), path.name))]


def parse_export(raw: bytes, name: str) -> dict:
    """The application of an exported file's bytes (not yet validated); ``name`` for errors."""
    payload = _parse_json(raw, name)
    if not isinstance(payload, dict) or payload.get("format") != form.FORMAT_ID:
        raise IpwatchError(
            f"文件 {name} 不是申请书导出文件（缺少 \"format\": \"{form.FORMAT_ID}\"）"
        )
    if payload.get("version") != form.FORMAT_VERSION:
        shown = textcheck.shown(str(payload.get("version")))[:20]
        raise IpwatchError(f"文件 {name} 的版本 {shown} 不受支持")
    application = payload.get("application")
    if not isinstance(application, dict):
        raise IpwatchError(f"文件 {name} 缺少 \"application\" 对象")
    _check_keys(application, name)
    return application


def read_docx(path: Path) -> list[tuple[int | None, dict]]:
    return [(None, formdocx.read_filled_form(path))]


# ---------------------------------------------------------------- spreadsheets -------


def _header_map() -> dict[str, str]:
    """Column title → field key: the form's label, its group label, or the key itself."""
    names = {}
    for f in form.FIELDS:
        names[f.key] = f.key
        names[f.label] = f.key
        if f.group:
            names[f"{f.group}（{f.label}）"] = f.key
    return names


def _choice_map(f: form.Field) -> dict[str, str]:
    names = {c.label: c.code for c in f.choices} | {c.code: c.code for c in f.choices}
    if f.key == "dispute_types":
        names |= {label: code for code, label in DISPUTE_TYPE_SHORT.items()}
    return names


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_value(f: form.Field, value):
    if f.kind == "uscc" and isinstance(value, (int, float)):
        return value  # a credit code Excel stored as a number: formcheck says so
    text = _cell_text(value)
    if not f.choices:
        return text
    names = _choice_map(f)
    picked = [names.get(part.strip(), part.strip()) for part in SEPARATORS.split(text) if part.strip()]
    if f.multiple:
        return picked
    return picked[0] if len(picked) == 1 else picked


def _header_keys(rows: list[tuple], path: Path) -> list[str | None]:
    """The field of each column; every column that holds data must name one field, once
    (a second column of the same field, or data under no title, would be dropped silently)."""
    names = _header_map()
    header = [_cell_text(h).strip() for h in rows[0]]
    width = max(len(r) for r in rows)
    header += [""] * (width - len(header))
    errors, first = [], {}
    for column, title in enumerate(header, start=1):
        key = names.get(title)
        if title and key is None:
            errors.append(FieldError(title, "不是申请书中的列名", row=1))
        elif key in first:
            errors.append(FieldError(title, f"第{column}列与第{first[key]}列是同一字段", row=1))
        elif key:
            first[key] = column
        elif any(column <= len(r) and _cell_text(r[column - 1]).strip() for r in rows[1:]):
            errors.append(FieldError(f"第{column}列", "有数据但没有列名", row=1))
    if errors:
        raise ValidationError(errors, title=f"{path.name} 的表头有误")
    return [names.get(h) for h in header]


def read_xlsx(path: Path) -> list[tuple[int | None, dict]]:
    rows = read_sheet(path).rows  # every row present, whatever the stored <dimension> says
    if not rows:
        raise IpwatchError(f"文件 {path.name} 是空表")
    keys = _header_keys(rows, path)
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if all(_cell_text(v).strip() == "" for v in row):
            continue
        data = {k: _cell_value(form.BY_KEY[k], v) for k, v in zip(keys, row) if k}
        out.append((number, data))
    if not out:
        raise IpwatchError(f"文件 {path.name} 没有数据行")
    return out


def xlsx_template_rows() -> list[str]:
    """The column titles of the spreadsheet of many applications (the form's labels)."""
    return [f.label for f in form.FIELDS]


READERS = {"json": read_json, "docx": read_docx, "xlsx": read_xlsx}


def read_applications(path: Path) -> tuple[str, list[tuple[int | None, dict]]]:
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise IpwatchError(
            f"不支持的文件类型「{path.suffix}」：请导入申请书导出文件（.json）、Word 申请书（.docx）"
            f"或申请汇总表（.xlsx）"
        )
    if not path.is_file():
        raise IpwatchError(f"找不到文件：{path}")
    return kind, READERS[kind](path)


def validate_all(records: list[tuple[int | None, dict]]) -> list[tuple[int | None, dict]]:
    """Clean every record, or raise one ValidationError listing every error of every row."""
    cleaned, errors = [], []
    for row, data in records:
        clean, found = formcheck.check_application(data, row=row)
        cleaned.append((row, clean))
        errors += found
    if errors:
        raise ValidationError(errors, title="申请书校验未通过，未导入任何数据")
    return cleaned


def read_one(path: Path) -> dict:
    """The one application of ``path``, validated (a correction is one application)."""
    _kind, records = read_applications(path)
    cleaned = validate_all(records)
    if len(cleaned) != 1:
        raise IpwatchError(f"{path} 中有 {len(cleaned)} 份申请；更正时只能提供一份")
    return cleaned[0][1]


def import_file(store: Store, settings, path: Path, *, actor: str, department: str = "amr",
                on: date | str | None = None) -> list[dict]:
    """Import every application of ``path`` in one transaction; one result per record.

    Each new case is also added, de-identified, to the dispute database (``kb.disputes.records``)."""
    department = settings.department(department)["id"]
    if not actor.strip():
        raise IpwatchError("请用 --by 写明办理人")
    kind, records = read_applications(path)
    cleaned = validate_all(records)
    at = cases.event_time(on)
    results = []
    with store.write() as conn:
        for row, clean in cleaned:
            number, created = cases.insert_case(conn, clean, source=kind, department=department,
                                                actor=actor, at=at)
            if created:
                add_dispute(conn, cases.dispute_record_of(conn, number))
            results.append({"row": row, "number": number, "created": created})
    return results
