"""Build a periodic key-industry risk early-warning report (重点产业海外知识产权风险预警报告).

load → count → suppress → assemble → write, for one period and one industry (or all):

1. count distinct enterprises for every cell of the calendar years the report touches
   (:mod:`alerts.counts`), from real records — or only from 示例数据 when ``sample``;
2. decide what is published: primary and complementary suppression against everything
   earlier reports published (:mod:`alerts.disclosure`), then audit the result;
3. assemble the content from the published cells only (:mod:`alerts.assemble`);
4. write ``<data>/reports/<period>-<industry>[-示例数据]/``: ``report.json``, ``report.md``,
   ``charts/*.png``, ``annex.xlsx``, ``report.docx`` (a new folder replaces the old at once);
5. record the published cells (table ``published_cells``) and the report (table ``reports``).

Rebuilding a report (same period, industry and sample flag) replaces its record of published
cells: the earlier version is taken as withdrawn. Other reports' records always constrain it.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from alerts import charts, disclosure
from alerts.assemble import assemble
from alerts.counts import ALL, DIMS, Counts, Key, categories, counts_for, industry_label
from alerts.docx_report import write_docx
from kb.core.periods import Period, parse_period
from alerts.render import render_markdown
from alerts.risk import period_changes, report_industries
from alerts.sample import ensure_sample
from alerts.xlsx_annex import write_annex
from kb.core import choices
from kb.core.errors import IpwatchError
from kb.core.settings import Settings
from kb.core.store import Store, utcnow

SAMPLE_SUFFIX = "-示例数据"


@dataclass
class Report:
    id: int
    period: str
    industry: str  # 全部 / 机械 / ...
    industry_code: str  # all / mechanical / ...
    is_sample: bool
    folder: Path
    summary: str
    files: dict[str, Path] = field(default_factory=dict)
    suppressed: int = 0
    published: int = 0

    @property
    def markdown(self) -> Path:
        return self.folder / "report.md"

    def as_dict(self) -> dict:
        return {"id": self.id, "period": self.period, "industry": self.industry,
                "is_sample": self.is_sample, "folder": str(self.folder), "summary": self.summary,
                "files": sorted(self.files), "published_cells": self.published,
                "suppressed_cells": self.suppressed}


def resolve_industry(industry: str | None) -> str:
    """An industry given as a label (通信), a code (communication) or None/全部 → its code."""
    if industry in (None, "", "全部", ALL):
        return ALL
    for choice in choices.FIELDS:
        if industry in (choice.code, choice.label) and choice.code != "other":
            return choice.code
    names = "、".join(c.label for c in choices.FIELDS if c.code != "other")
    raise IpwatchError(f"行业「{industry}」无法识别，可选：全部、{names}")


def report_key(period: Period, industry: str, sample: bool) -> str:
    return f"{period.code}-{industry}" + ("-sample" if sample else "")


def report_cells(period: Period, industry: str, counts: Counts) -> dict[Key, int]:
    """The cells a report publishes: each industry's tables for the period and its two comparisons."""
    out = {}
    for p in (period, period.previous(), period.same_last_year()):
        for ind in report_industries(industry):
            for dim in ["total", *DIMS]:
                for cat in categories(dim):
                    key = (p.code, ind, dim, cat)
                    out[key] = counts.get(key)
    return out


def load_published(store: Store, sample: bool, years: list[int] | None = None,
                   exclude: str | None = None) -> dict[Key, tuple[int | None, int]]:
    """What reports published: ``key → (value or None, true value)``; a value seen wins."""
    rows = store.conn.execute(
        "SELECT report_key, period, industry, dim, category, value, true_value FROM published_cells"
        " WHERE is_sample = ?", (int(sample),))
    out: dict[Key, tuple[int | None, int]] = {}
    for row in rows:
        key = (row["period"], row["industry"], row["dim"], row["category"])
        if row["report_key"] == exclude or (years and int(key[0][:4]) not in years):
            continue
        if key not in out or out[key][0] is None:
            out[key] = (row["value"], row["true_value"])
    return out


def _write_files(settings: Settings, data: dict, folder: Path) -> Path:
    """Write every file into a fresh folder beside ``folder``; :func:`_swap` puts it in place."""
    building = folder.with_name(f".{folder.name}.building")
    shutil.rmtree(building, ignore_errors=True)
    try:
        (building / "charts").mkdir(parents=True)
        charts.draw_all(data, building / "charts")
        (building / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        (building / "report.md").write_text(render_markdown(data), encoding="utf-8")
        write_annex(data, building / "annex.xlsx")
        write_docx(data, settings, building / "charts", building / "report.docx")
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return building


def _swap(building: Path, folder: Path) -> dict[str, Path]:
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(building, folder)
    shutil.rmtree(old, ignore_errors=True)
    return {p.name: folder / p.name for p in folder.iterdir()}


def _record(store: Store, key: str, sample: bool, published: dict, truth: dict, data: dict,
            folder: Path, settings: Settings, building: Path) -> tuple[int, dict[str, Path]]:
    """Register the published cells and the report, and put the files in place, in one
    transaction: files shown without their cells registered would let a later report give
    a suppressed cell back by difference. The swap is the last step before the commit."""
    try:
        with store.write() as conn:
            conn.execute("DELETE FROM published_cells WHERE report_key = ?", (key,))
            conn.executemany(
                "INSERT INTO published_cells(report_key, is_sample, period, industry, dim, category, value,"
                " true_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(key, int(sample), *k, v, truth[k]) for k, v in published.items()])
            conn.execute(
                "INSERT INTO reports(period, industry, built_at, is_sample, folder, summary)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(period, industry, is_sample) DO UPDATE SET"
                " built_at = excluded.built_at, folder = excluded.folder, summary = excluded.summary",
                (data["period"], data["industry_label"], data["built_at"], int(sample),
                 str(folder.relative_to(settings.data_dir)), data["summary"]))
            row = conn.execute("SELECT id FROM reports WHERE period = ? AND industry = ? AND is_sample = ?",
                               (data["period"], data["industry_label"], int(sample))).fetchone()
            files = _swap(building, folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return int(row[0]), files


def build_report(settings: Settings, store: Store, period: str, industry: str | None = None,
                 sample: bool = False) -> Report:
    """Build (or rebuild) the report of ``period`` for ``industry`` (None: all industries)."""
    when = parse_period(period)
    code = resolve_industry(industry)
    if sample:
        ensure_sample(store)
    threshold = settings["disclosure"]["min_enterprises"]
    years = sorted({when.year, when.previous().year, when.same_last_year().year})
    counts = counts_for(store, sample, years)
    key = report_key(when, code, sample)
    new = report_cells(when, code, counts)
    earlier = load_published(store, sample, years, exclude=key)
    published = disclosure.protect(new, counts.cells, {k: v for k, (v, _) in earlier.items()}, threshold)
    problems = disclosure.audit({**earlier, **{k: (v, new[k]) for k, v in published.items()}}, threshold)
    if problems:
        raise IpwatchError("披露控制审核未通过，报告未生成：" + "；".join(map(str, problems[:5])))
    data = assemble(published, when, code, period_changes(store, when), threshold, sample, utcnow())
    folder = settings.data_dir / "reports" / (f"{when.code}-{industry_label(code)}" + (SAMPLE_SUFFIX if sample else ""))
    building = _write_files(settings, data, folder)
    report_id, files = _record(store, key, sample, published, new, data, folder, settings, building)
    suppressed = sum(v is None for v in published.values())
    return Report(report_id, when.code, industry_label(code), code, sample, folder, data["summary"], files,
                  suppressed, len(published) - suppressed)


def audit_store(store: Store, threshold: int) -> list[disclosure.Violation]:
    """Audit everything the store says was published (real and sample reports separately)."""
    problems = []
    for sample in (False, True):
        problems += disclosure.audit(load_published(store, sample), threshold)
    return problems


def list_reports(store: Store) -> list[dict]:
    rows = store.conn.execute("SELECT * FROM reports ORDER BY period DESC, industry, is_sample").fetchall()
    return [dict(r) for r in rows]


__all__ = ["Report", "build_report", "audit_store", "audit_files", "list_reports", "resolve_industry"]


def cells_of(data: dict) -> dict[Key, int | None]:
    """The cells a report's content shows (what its page, annex and DOCX print)."""
    when = parse_period(data["period"])
    codes = {"current": when.code, "previous": when.previous().code, "last_year": when.same_last_year().code}
    out: dict[Key, int | None] = {}
    for sec in data["sections"]:
        for dim, rows in [("total", [sec["total"]]), *sec["tables"].items()]:
            for row in rows:
                for column, period_code in codes.items():
                    out[(period_code, sec["industry"], dim, row["category"])] = row[column]
    return out


def audit_files(settings: Settings, store: Store) -> list[str]:
    """Audit what the report files show, against the store's record of each published cell."""
    threshold = settings["disclosure"]["min_enterprises"]
    problems: list[str] = []
    for sample in (False, True):
        recorded = load_published(store, sample)
        shown: dict[Key, tuple[int | None, int]] = {}
        for row in store.conn.execute("SELECT * FROM reports WHERE is_sample = ?", (int(sample),)):
            path = settings.data_dir / row["folder"] / "report.json"
            if not path.is_file():
                continue  # a report of an earlier version: the site does not publish it
            for key, value in cells_of(json.loads(path.read_text("utf-8"))).items():
                if key not in recorded:
                    problems.append(f"{path.parent.name}：单元格 {key} 未记录在发布登记中")
                elif value is not None and (key not in shown or shown[key][0] is None):
                    shown[key] = (value, recorded[key][1])
                else:
                    shown.setdefault(key, (value, recorded[key][1]))
        problems += [str(v) for v in disclosure.audit({**recorded, **shown}, threshold)]
    return problems
