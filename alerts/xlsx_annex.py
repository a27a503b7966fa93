"""The report's XLSX annex (统计附表): the published tables, scores, law changes, recommendations.

Formula injection is neutralised: any text starting with ``= + - @`` (or a tab / carriage
return, which some spreadsheet programs strip first) is written as text with a leading
apostrophe, and every text cell is stored as a string, never as a formula.
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from alerts.render import DISCLOSURE_NOTE, provisional_note
from kb.cases.workdays import local_time
from kb.core import choices

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """A cell value that no spreadsheet program will evaluate."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 1.6))


LOCAL_SOURCE, PUBLIC_SOURCE = "本区受理案件", "公开纠纷记录"


def _stat_rows(data: dict) -> list[list]:
    """One row per figure, with its source: local cases (disclosure-controlled) or public records."""
    rows = []
    for sec in data["sections"]:
        parts = [(LOCAL_SOURCE, sec)] + ([(PUBLIC_SOURCE, sec["public"])] if sec.get("public") else [])
        for source, part in parts:
            for dim, table in [("total", [part["total"]]), *part["tables"].items()]:
                for r in table:
                    rows.append([sec["label"], data["dim_labels"][dim], r["label"],
                                 *("*" if r[k] is None else r[k] for k in ("current", "previous", "last_year")),
                                 source])
    return rows


def write_annex(data: dict, path: Path) -> Path:
    book = Workbook()
    info = book.active
    info.title = "说明"
    lines = [data["title"], f"报告期：{data['period_label']}", f"生成时间：{local_time(data['built_at'])}",
             DISCLOSURE_NOTE.format(t=data["threshold"])]
    if data["is_sample"]:
        lines.insert(1, "示例数据：本附表由示例数据生成，仅用于演示。")
    if data.get("provisional"):
        lines.insert(1, provisional_note(data))
    for line in lines:
        info.append([safe(line)])
    info.column_dimensions["A"].width = 100
    for row in info.iter_rows():
        row[0].alignment = Alignment(wrap_text=True)
    periods = data["periods"]
    _sheet(book, "统计表", ["行业", "维度", "类别", f"本期（{periods['current']}）",
                          f"上期（{periods['previous']}）", f"去年同期（{periods['last_year']}）", "数据来源"],
           _stat_rows(data))
    _sheet(book, "风险评分", ["行业", "国家/地区", "评分", "等级", "原因"],
           [[s_label, choices.label(choices.COUNTRIES, s["country"]), s["score"], s["level"], "；".join(s["reasons"])]
            for sec in data["sections"] for s_label, s in ((sec["label"], s) for s in sec["scores"])])
    _sheet(book, "法律修改", ["行业", "国家/地区", "日期", "法律/来源", "修改内容", "条文", "链接"],
           [[sec["label"], law["jurisdiction_label"], law["date"], law["title"], law["summary"],
             "、".join(law["articles"]), law["url"]] for sec in data["sections"] for law in sec["laws"]])
    _sheet(book, "应对建议", ["行业", "建议", "内容", "依据"],
           [[sec["label"], r["title"], r["text"], r.get("source_url", "")]
            for sec in data["sections"] for r in sec["recommendations"]])
    tmp = path.with_name(f".{path.name}.tmp")
    book.save(tmp)
    os.replace(tmp, path)
    return path
