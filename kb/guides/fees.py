"""The official-fee table of a practice page (issue 14: "official fees and typical cost ranges
with their source and date").

Each practice page has one section whose heading starts with ``官方费用`` holding a table of
four columns — 项目 | 官方费用 | 依据 | 核对日期. A row counts when its amount names a number and
a currency (or, for a cost the law fixes as a share of the value in dispute, a percentage), its source is a link to an official site, and its check date says when the figure
was checked (``YYYY-MM-DD``) and, in brackets, against which version of the text: fees change,
so a figure without the version it was read from cannot be trusted later.

:func:`fee_rows` gives the counting rows; :func:`table_problems` names, by file and line, every
row that does not meet the form (the site build refuses them, so a figure never reaches the
public site without its source and date).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.guides import Guide
from kb.guides.domains import is_official

FEE_HEADING = "官方费用"
COLUMNS = ("项目", "官方费用", "依据", "核对日期")
MIN_FEE_ROWS = 1

CURRENCIES = (
    "欧元", "美元", "英镑", "日元", "韩元", "卢比", "雷亚尔", "卢布", "里拉", "澳元", "瑞士法郎", "人民币",
    "EUR", "USD", "GBP", "JPY", "KRW", "INR", "BRL", "RUB", "TRY", "AUD", "CHF", "CNY",
)
_AMOUNT = re.compile(r"\d")
# a currency, or a percentage: costs the law fixes as a share of the value (loser-pays fees)
_CURRENCY = re.compile("|".join(re.escape(c) for c in CURRENCIES) + r"|\d\s*%")
_LINK = re.compile(r"\]\((?P<url>[^)\s]+)\)")
_CHECKED = re.compile(r"\b(?P<date>\d{4}-\d{2}-\d{2})\b.*[（(](?P<version>[^）)]+)[）)]")
_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
_RULE = re.compile(r"^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$")


@dataclass(frozen=True)
class FeeRow:
    line: int
    item: str
    amount: str
    source: str
    checked: str


def _cells(line: str) -> list[str] | None:
    match = _ROW.match(line)
    if not match or _RULE.match(line):
        return None
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", match["cells"])]


def table_rows(guide: Guide) -> tuple[list[FeeRow], list[str]]:
    """The rows of the fee table and the problems of its form (header, column count)."""
    section = guide.section(FEE_HEADING)
    if section is None:
        return [], []
    rows, problems, header_seen = [], [], False
    lines = [(p.line + i, text) for p in section.paragraphs for i, text in enumerate(p.text.splitlines())]
    for number, line in lines:
        cells = _cells(line)
        if cells is None:
            continue
        if not header_seen:
            header_seen = True
            if tuple(cells) != COLUMNS:
                problems.append(f"{guide.path}第{number}行：官方费用表的表头应为「{' | '.join(COLUMNS)}」")
            continue
        if len(cells) != len(COLUMNS):
            problems.append(f"{guide.path}第{number}行：官方费用表应有 {len(COLUMNS)} 列，本行 {len(cells)} 列")
            continue
        rows.append(FeeRow(number, *cells))
    return rows, problems


def row_problems(guide: Guide, row: FeeRow) -> list[str]:
    where = f"{guide.path}第{row.line}行「{row.item}」"
    problems = []
    if not (_AMOUNT.search(row.amount) and _CURRENCY.search(row.amount)):
        problems.append(f"{where}：官方费用须写明数额和币种（如「850 欧元」）或法定比例（如「10%—20%」）")
    urls = [m["url"] for m in _LINK.finditer(row.source)]
    if not urls:
        problems.append(f"{where}：依据须链接到官方来源")
    elif not all(is_official(url, guide.jurisdiction) for url in urls):
        problems.append(f"{where}：依据的链接不在{guide.jurisdiction}的官方域名名单上")
    if not _CHECKED.search(row.checked):
        problems.append(f"{where}：核对日期须写明日期（YYYY-MM-DD）并在括号内注明核对的文本版本")
    return problems


def table_problems(guides: list[Guide]) -> list[str]:
    """Every fee row that lacks an amount with its currency, an official source, or its check
    date and version; and tables of the wrong form."""
    problems = []
    for guide in guides:
        rows, form = table_rows(guide)
        problems += form
        for row in rows:
            problems += row_problems(guide, row)
    return problems


def fee_rows(guide: Guide) -> int:
    """Rows of the fee table that meet the form."""
    rows, _ = table_rows(guide)
    return sum(not row_problems(guide, row) for row in rows)
