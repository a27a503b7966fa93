"""The risk early-warning report (风险预警报告), first version.

Counts distinct enterprises per key industry and country for one period, suppresses every
cell below the disclosure threshold, and writes the report as Markdown under
``<data>/reports/<period>-<industry>/`` with a row in the ``reports`` table. The demo builds it
from generated sample disputes, which are always labelled 示例数据.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from kb.choices import COUNTRIES, FIELDS, codes, label
from kb.errors import IpwatchError
from kb.settings import Settings
from kb.store import Store, utcnow

SAMPLE_LABEL = "示例数据"
_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Period:
    text: str
    start: date
    end: date  # exclusive


def parse_period(text: str) -> Period:
    """``2026Q3``, ``2026-09`` or ``2026``."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise IpwatchError(f"期间「{text}」格式错误：应为季度 2026Q3、月份 2026-09 或年份 2026")
    year, quarter, month = int(match.group(1)), match.group(2), match.group(3)
    if quarter:
        first = 3 * (int(quarter) - 1) + 1
        start, months = date(year, first, 1), 3
    elif month:
        start, months = date(year, int(month), 1), 1
    else:
        start, months = date(year, 1, 1), 12
    end_month = start.month - 1 + months
    end = date(year + end_month // 12, end_month % 12 + 1, 1)
    return Period(text.strip(), start, end)


def sample_disputes(period: Period, rows: int = 80, seed: int = 7) -> pd.DataFrame:
    """Generated disputes inside ``period`` (示例数据, not real records)."""
    rng = random.Random(seed)
    countries = [c for c in codes(COUNTRIES) if c != "other"]
    weights = [30, 12, 6, 8, 7, 5, 6, 4, 4, 3, 5]
    fields = [f for f in codes(FIELDS) if f != "other"]
    days = (period.end - period.start).days
    return pd.DataFrame({
        "enterprise": [f"S{rng.randint(1, 40):03d}" for _ in range(rows)],
        "received": [period.start.toordinal() + rng.randrange(days) for _ in range(rows)],
        "country": rng.choices(countries, weights=weights, k=rows),
        "field": rng.choices(fields, weights=[5, 6, 8, 3, 3, 4], k=rows),
    }).assign(received=lambda d: d["received"].map(date.fromordinal))


def _suppress(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    return table.astype(object).where(table >= threshold, "<" + str(threshold))


@dataclass(frozen=True)
class Report:
    id: int
    period: str
    industry: str
    folder: Path
    markdown: Path
    is_sample: bool


def build_report(settings: Settings, store: Store, period: str, industry: str | None = None,
                 sample: bool = False) -> Report:
    """Build the report of ``period`` for one key industry (code or label) or for all."""
    if not sample:
        raise IpwatchError("尚无纠纷数据库：目前只能用示例数据生成报告（--sample）")
    span = parse_period(period)
    industry_code = _industry_code(industry)
    data = sample_disputes(span)
    if industry_code:
        data = data[data["field"] == industry_code]
    threshold = settings["disclosure"]["min_enterprises"]
    table = data.pivot_table(index="country", columns="field", values="enterprise",
                             aggfunc="nunique", fill_value=0)
    table = table.rename(index=lambda c: label(COUNTRIES, c), columns=lambda f: label(FIELDS, f))
    industry_label = label(FIELDS, industry_code) if industry_code else "全部"
    folder = settings.data_dir / "reports" / f"{span.text}-{industry_label}{'-sample' if sample else ''}"
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join([
        f"# {span.text} 重点产业海外知识产权风险预警报告（{industry_label}）",
        "",
        f'<span class="ipw-sample">{SAMPLE_LABEL}</span> 本报告由生成的示例数据构建，不反映真实纠纷。' if sample else "",
        "",
        f"统计期间：{span.start.isoformat()} 至 {span.end.isoformat()}（不含）。"
        f"单位：涉及纠纷的企业数（去重）；少于 {threshold} 家企业的单元格不予公布。",
        "",
        "## 按国家和产业统计",
        "",
        _suppress(table, threshold).to_markdown() if not table.empty else "本期无纠纷记录。",
        "",
    ])
    target = folder / "report.md"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    with store.write() as conn:
        conn.execute(
            "INSERT INTO reports(period, industry, built_at, is_sample, folder, summary)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(period, industry, is_sample) DO UPDATE SET"
            " built_at = excluded.built_at, folder = excluded.folder, summary = excluded.summary",
            (span.text, industry_label, utcnow(), int(sample), str(folder),
             f"{span.text}{industry_label}产业风险预警"),
        )
        report_id = conn.execute(
            "SELECT id FROM reports WHERE period = ? AND industry = ? AND is_sample = ?",
            (span.text, industry_label, int(sample)),
        ).fetchone()[0]
    return Report(report_id, span.text, industry_label, folder, target, sample)


def _industry_code(industry: str | None) -> str | None:
    if not industry or industry in ("全部", "all"):
        return None
    for field in FIELDS:
        if industry in (field.code, field.label):
            return field.code
    options = "、".join(f.label for f in FIELDS if f.code != "other")
    raise IpwatchError(f"未知产业「{industry}」，可选：{options} 或 全部")
