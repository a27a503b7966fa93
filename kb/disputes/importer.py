"""Import public dispute records from CSV (UTF-8, with or without BOM) or XLSX.

Column mapping — the first row names the columns, in Chinese or by the English key; order does
not matter; unknown columns are an error (a typo must not drop data silently):

=================  ==================  ===================================================
中文列名            key                 content
=================  ==================  ===================================================
编号               source_ref          docket / case number, e.g. 337-TA-1234 (optional)
企业               enterprise          credit code (preferred) or name — hashed, never stored
纠纷类型           dispute_types       form labels, short labels (侵权纠纷) or codes; ; separated
纠纷类型说明       dispute_type_other  text when 其他
权利类别           right_types         发明专利; 商标 ... or codes
权利类别说明       right_other         text when 其他
国家/地区          countries           美国; DE ... (a name not on the form becomes 其他 + name)
国家/地区说明      country_other       text when 其他
纠纷对象类型       counterparty_type   竞争对手 / 非专利实施实体（NPE） / NPE / 高校或研究机构 / 个人 / 其他
纠纷对象说明       counterparty_other
纠纷领域           field               机械 电学 通信 化学 光电 医药生物 其他
纠纷领域说明       field_other         required when 其他
纠纷级别           level               普通纠纷 / 重大/疑难纠纷 (also 普通 / 重大)
收到日期           received_on         YYYY-MM-DD (also 2026/9/3, 2026年9月3日, XLSX dates)
立案日期           filed_on            one of the two dates is required
结案日期           closed_on
结果               outcome             进行中 和解 胜诉或对方请求被驳回 败诉 对方撤回 达成许可 其他
来源链接           source_url          where the record was published (provenance)
调查/案件编号      case_number         337-TA-1234, a docket number (编号 defaults to it)
中方当事人角色     chinese_role        申请人 / 被申请人 / 第三方 (complainant / respondent / third_party)
申请人/原告        complainant         the complainant as published (a company, never a person's data)
被申请人所在国家/地区 respondent_countries  中国; 中国香港; US ... (ISO codes or names)
审理机构           forum               USITC, 美国特拉华州联邦地区法院 ...
=================  ==================  ===================================================

Rights may also be 商业秘密 and 商业外观 (trade secret, trade dress): public records only.

Rows are numbered as a spreadsheet shows them (the header is row 1). Every error of every row
is reported with its row number and column; a file with any error imports nothing. A record
already in the store (same natural key, see :mod:`kb.disputes.records`) is updated, not duplicated;
the same record twice in one file is an error.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.disputes import records as disputes
from kb.core.errors import FieldError, IpwatchError, ValidationError
from kb.core import textcheck
from kb.core.store import Store, utcnow
from kb.core.xlsxread import read_sheet

COLUMNS = {
    "编号": "source_ref", "企业": "enterprise", "纠纷类型": "dispute_types",
    "纠纷类型说明": "dispute_type_other", "权利类别": "right_types", "权利类别说明": "right_other",
    "国家/地区": "countries", "国家/地区说明": "country_other", "纠纷对象类型": "counterparty_type",
    "纠纷对象说明": "counterparty_other", "纠纷领域": "field", "纠纷领域说明": "field_other",
    "纠纷级别": "level", "收到日期": "received_on", "立案日期": "filed_on", "结案日期": "closed_on",
    "结果": "outcome", "来源链接": "source_url", "调查/案件编号": "case_number",
    "中方当事人角色": "chinese_role", "申请人/原告": "complainant", "被申请人所在国家/地区": "respondent_countries",
    "审理机构": "forum",
}
KEYS = set(COLUMNS.values())
LABELS = {key: label for label, key in COLUMNS.items()}


@dataclass
class ImportResult:
    file: str
    rows: int
    added: int
    updated: int

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "added": self.added, "updated": self.updated}


def _read_csv(path: Path) -> list[list[Any]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IpwatchError(f"文件 {path.name} 不是 UTF-8 编码的 CSV（请用 UTF-8 另存）") from None
    reader = csv.reader(io.StringIO(text))
    try:
        return [row for row in reader]
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        raise IpwatchError(f"文件 {path.name} 第{reader.line_num}行无法按 CSV 读取：{exc}") from None


def _read_xlsx(path: Path) -> list[list[Any]]:
    # every row present, whatever the file's stored <dimension> says
    return [list(row) for row in read_sheet(path).rows]


def _cell_errors(record: dict[str, Any], row: int) -> list[FieldError]:
    """What a clerk could not see or a spreadsheet mangled: invisible characters, a credit
    code stored as a number, an enterprise of spaces only."""
    errors = []
    for key, value in record.items():
        if isinstance(value, str) and textcheck.has_invisible(value):
            errors.append(FieldError(LABELS[key], "含有不可见字符（如零宽字符、软连字符、填充符或标签字符），请删除", row=row))
    enterprise = record.get("enterprise")
    if isinstance(enterprise, (int, float)) and not isinstance(enterprise, bool):
        errors.append(FieldError(LABELS["enterprise"], "统一社会信用代码被表格软件存成了数字（末几位可能已丢失），"
                                 "请把该列设为文本格式后重新填写", row=row))
    elif isinstance(enterprise, str) and enterprise and not textcheck.trim(enterprise):
        errors.append(FieldError(LABELS["enterprise"], "只有空白字符，请填写统一社会信用代码或名称", row=row))
    return errors


def read_table(path: Path) -> list[list[Any]]:
    if not path.is_file():
        raise IpwatchError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise IpwatchError(f"文件 {path.name}：只支持 CSV 或 XLSX")


def _header(row: list[Any], path: Path, table: list[list[Any]] = ()) -> list[str]:
    """The key of each column. A column of the same key twice, or data under no title, is an
    error: either would be dropped silently."""
    names = [str(c or "").strip() for c in row]
    names += [""] * (max((len(r) for r in table), default=0) - len(names))
    keys, errors, first = [], [], {}
    for number, name in enumerate(names, start=1):
        key = COLUMNS.get(name, name if name in KEYS else None)
        if key is None and name:
            errors.append(FieldError(name, f"第{number}列列名无法识别", row=1))
        elif key in first:
            errors.append(FieldError(name, f"第{number}列与第{first[key]}列是同一列", row=1))
        elif key:
            first[key] = number
        elif any(number <= len(r) and str(r[number - 1] or "").strip() for r in table[1:]):
            errors.append(FieldError(f"第{number}列", "有数据但没有列名", row=1))
        keys.append(key or "")
    for required in ("enterprise", "dispute_types", "right_types", "countries",
                     "counterparty_type", "field", "level"):
        if required not in keys:
            label = next(k for k, v in COLUMNS.items() if v == required)
            errors.append(FieldError(label, "缺少此列", row=1))
    if errors:
        raise ValidationError(errors, title=f"文件 {path.name} 的表头有误")
    return keys


def parse_file(path: Path, key: bytes, origin: str = "public") -> list[tuple]:
    """Read and validate the whole file; return prepared rows or raise with every error."""
    table = read_table(path)
    if not table:
        raise IpwatchError(f"文件 {path.name} 是空的")
    keys = _header(table[0], path, table)
    errors: list[FieldError] = []
    rows, seen = [], {}
    imported_at = utcnow()
    for number, values in enumerate(table[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        record = {k: v for k, v in zip(keys, values) if k}
        cell_errors = _cell_errors(record, number)
        if cell_errors:
            errors += cell_errors
            continue
        record["origin"] = origin
        record["provenance"] = {"file": path.name, "row": number, "imported_at": imported_at,
                                "url": str(record.pop("source_url", "") or "")}
        clean, row_errors = disputes.validate_record(record, row=number)
        errors += row_errors
        if row_errors:
            continue
        prepared = disputes.prepare(clean, key)
        if prepared[0] in seen:
            errors.append(FieldError("编号", f"与第{seen[prepared[0]]}行重复", row=number))
            continue
        seen[prepared[0]] = number
        rows.append(prepared)
    if errors:
        raise ValidationError(errors, title=f"文件 {path.name} 校验未通过，未导入任何记录")
    return rows


def import_file(store: Store, path: str | Path, origin: str = "public") -> ImportResult:
    """Import a CSV/XLSX of dispute records: all rows or, if any row is wrong, none."""
    path = Path(path)
    key = disputes.enterprise_key(store.path.parent)
    rows = parse_file(path, key, origin)
    with store.write() as conn:
        known = disputes.existing_keys(conn, [r[0] for r in rows])
        disputes.upsert_rows(conn, rows)
    return ImportResult(str(path), len(rows), len(rows) - len(known), len(known))
