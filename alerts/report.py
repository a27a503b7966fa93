"""Build a periodic key-industry risk early-warning report (重点产业海外知识产权风险预警报告).

load → count → suppress → assemble → write, for one period and one industry (or all):

1. count distinct enterprises for every cell of the calendar years the report touches
   (:mod:`alerts.counts`), from real records — or only from 示例数据 when ``sample``;
2. take each year's protected version of the lattice (:mod:`alerts.versions`): the latest, or a
   new one when the counts or the threshold changed, decided against every earlier version
   (:mod:`alerts.disclosure`); the report's local figures are read from it;
3. assemble the content from the published cells only (:mod:`alerts.assemble`), with the
   figures of public records (not confidential, published as they are) in tables of their own;
4. write ``<data>/reports/<period>-<industry>[-示例数据]/``: ``report.json``, ``report.md``,
   ``charts/*.png``, ``annex.xlsx``, ``report.docx`` (a new folder replaces the old at once);
5. record the cells shown (table ``published_cells``, under a new build number) and the report
   (table ``reports``).

Rebuilding a report replaces its files but never its records: what was published stays
published, and every later version is protected against it.

A period that has not ended (``Period.end``, the first day after it, later than today) is
refused unless ``provisional``: such a report says 初步数据 in its title, page, DOCX, XLSX and
charts, and the final build of the same period later replaces it (a new build; the provisional
cells stay recorded). :func:`withdraw_report` takes a report's files off the site and leaves a
notice (date, reason) in its place; its published cells are never deleted.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import phonenumbers

from alerts import charts, disclosure, versions
from alerts.assemble import assemble
from alerts.counts import ALL, DIMS, LOCAL, PUBLIC, Counts, Key, categories, counts_for, industry_label
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
from kb.cases import workdays

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
    provisional: bool = False

    @property
    def markdown(self) -> Path:
        return self.folder / "report.md"

    def as_dict(self) -> dict:
        return {"id": self.id, "period": self.period, "industry": self.industry,
                "is_sample": self.is_sample, "folder": str(self.folder), "summary": self.summary,
                "files": sorted(self.files), "published_cells": self.published,
                "suppressed_cells": self.suppressed, "provisional": self.provisional}


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


def report_cells(period: Period, industry: str, counts: Counts, source: str = LOCAL) -> dict[Key, int]:
    """The cells a report publishes: each industry's tables for the period and its two comparisons."""
    out = {}
    for p in (period, period.previous(), period.same_last_year()):
        for ind in report_industries(industry):
            for dim in ["total", *DIMS]:
                for cat in categories(dim, source):
                    key = (p.code, ind, dim, cat)
                    out[key] = counts.get(key)
    return out


def _years(when: Period) -> list[int]:
    return sorted({when.year, when.previous().year, when.same_last_year().year})


def load_published(store: Store, sample: bool) -> dict[Key, tuple[int | None, int]]:
    """The cells of the latest build of every report: ``key → (value or None, true value)``."""
    rows = store.conn.execute(
        "SELECT period, industry, dim, category, value, true_value FROM published_cells p"
        " WHERE is_sample = ? AND build = (SELECT MAX(build) FROM published_cells q"
        " WHERE q.report_key = p.report_key)", (int(sample),))
    return {(r["period"], r["industry"], r["dim"], r["category"]): (r["value"], r["true_value"]) for r in rows}


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
            build = conn.execute("SELECT COALESCE(MAX(build), 0) + 1 FROM published_cells WHERE report_key = ?",
                                 (key,)).fetchone()[0]
            ids = {int(y): i for y, i in data["disclosure_versions"].items()}
            conn.executemany(
                "INSERT INTO published_cells(report_key, build, version_id, is_sample, period, industry, dim,"
                " category, value, true_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(key, build, ids[int(k[0][:4])], int(sample), *k, v, truth[k]) for k, v in published.items()])
            conn.execute(
                "INSERT INTO reports(period, industry, built_at, is_sample, folder, summary, provisional,"
                " data_until, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(period, industry, is_sample) DO UPDATE SET"
                " built_at = excluded.built_at, folder = excluded.folder, summary = excluded.summary,"
                " provisional = excluded.provisional, data_until = excluded.data_until,"
                " title = excluded.title, withdrawn_at = NULL, withdrawn_reason = ''",
                (data["period"], data["industry_label"], data["built_at"], int(sample),
                 str(folder.relative_to(settings.data_dir)), data["summary"], int(data["provisional"]),
                 data.get("data_until", ""), data["title"]))
            row = conn.execute("SELECT id FROM reports WHERE period = ? AND industry = ? AND is_sample = ?",
                               (data["period"], data["industry_label"], int(sample))).fetchone()
            files = _swap(building, folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return int(row[0]), files


PROVISIONAL = "初步数据"


def check_period_ended(when: Period, provisional: bool, today: date) -> None:
    """An unfinished period only as a provisional report; a finished one never as provisional."""
    last_day = date.fromordinal(when.end.toordinal() - 1)
    if when.end > today and not provisional:
        raise IpwatchError(f"报告期{when.label}尚未结束（截至 {last_day.isoformat()}），不能生成正式报告；"
                           f"如需发布{PROVISIONAL}，请加 --provisional")
    if provisional and when.end <= today:
        raise IpwatchError(f"报告期{when.label}已结束，应生成正式报告（去掉 --provisional）")


def mark_provisional(data: dict, today: date) -> None:
    """Say 初步数据 in the title and the summary; record until when the data run."""
    data["provisional"] = True
    data["data_until"] = today.isoformat()
    data["title"] = f"{data['title']}（{PROVISIONAL}）"
    data["summary"] = f"【{PROVISIONAL}，截至 {today.isoformat()}】{data['summary']}"


def build_report(settings: Settings, store: Store, period: str, industry: str | None = None,
                 sample: bool = False, provisional: bool = False, today: date | None = None) -> Report:
    """Build (or rebuild) the report of ``period`` for ``industry`` (None: all industries).
    ``today`` (default: the bureau's local date) decides whether the period has ended."""
    when = parse_period(period)
    code = resolve_industry(industry)
    today = today or workdays.today()
    check_period_ended(when, provisional, today)
    if sample:
        ensure_sample(store)
    threshold = settings["disclosure"]["min_enterprises"]
    years = _years(when)
    counts = counts_for(store, sample, years)
    lattice = {y: versions.current(store, y, sample, counts.cells, threshold) for y in years}
    key = report_key(when, code, sample)
    new = report_cells(when, code, counts)
    published = {k: lattice[int(k[0][:4])].values[k] for k in new}
    public = report_cells(when, code, counts_for(store, sample, years, PUBLIC), PUBLIC)
    data = assemble(published, when, code, period_changes(store, when), threshold, sample, utcnow(),
                    public=public)
    data["disclosure_versions"] = {str(y): v.id for y, v in lattice.items()}
    data["provisional"] = False
    if provisional:
        mark_provisional(data, today)
    folder = settings.data_dir / "reports" / (f"{when.code}-{industry_label(code)}" + (SAMPLE_SUFFIX if sample else ""))
    building = _write_files(settings, data, folder)
    report_id, files = _record(store, key, sample, published, new, data, folder, settings, building)
    suppressed = sum(v is None for v in published.values())
    return Report(report_id, when.code, industry_label(code), code, sample, folder, data["summary"], files,
                  suppressed, len(published) - suppressed, provisional)


def report_title(period: str, industry_code: str) -> str:
    """A report's title from its period and industry (for a withdrawn report, whose files are gone)."""
    from alerts.risk import industry_title
    return f"{parse_period(period).label}{industry_title(industry_code)}海外知识产权风险预警报告"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _refuse_contact_data(reason: str) -> None:
    """The reason is published on the site: no telephone number or e-mail address in it (the
    site's leak scan checks stored contacts too, but only when the site is built)."""
    text = unicodedata.normalize("NFKC", reason)
    if _EMAIL.search(text):
        raise IpwatchError("撤回原因中含电子邮箱地址：原因会在网站公布，不得含联系方式等个人信息")
    for match in phonenumbers.PhoneNumberMatcher(text, "CN", leniency=phonenumbers.Leniency.VALID):
        if len(phonenumbers.national_significant_number(match.number)) >= 7:
            raise IpwatchError(f"撤回原因中含电话号码（{match.raw_string}）：原因会在网站公布，不得含联系方式等个人信息")


def withdraw_report(settings: Settings, store: Store, period: str, industry: str | None, reason: str) -> dict:
    """Take a published report off the site: its files leave the data folder (so the next site
    build drops them), the row is marked withdrawn with the date and reason (the site shows a
    notice in its place). Its published cells stay recorded: whoever read it still has them."""
    when = parse_period(period)
    code = resolve_industry(industry)
    reason = " ".join((reason or "").split())
    if not reason:
        raise IpwatchError("撤回原因（--reason）不能为空")
    if len(reason) > 200:
        raise IpwatchError(f"撤回原因过长（{len(reason)} 字，最多 200 字）")
    _refuse_contact_data(reason)
    sample = settings.is_demo and not _has_report(store, when.code, industry_label(code), False)
    row = store.conn.execute("SELECT * FROM reports WHERE period = ? AND industry = ? AND is_sample = ?",
                             (when.code, industry_label(code), int(sample))).fetchone()
    name = f"{when.label}（{industry_label(code)}）"
    if row is None:
        raise IpwatchError(f"没有{name}的报告，无法撤回（可用 ipwatch report list 查看已生成的报告）")
    if row["withdrawn_at"]:
        raise IpwatchError(f"{name}的报告已于 {row['withdrawn_at'][:10]} 撤回，不能重复撤回")
    folder = settings.data_dir / row["folder"]
    title = row["title"] or report_title(when.code, code)
    now = utcnow()
    gone = folder.with_name(f".{folder.name}.withdrawn")
    shutil.rmtree(gone, ignore_errors=True)
    with store.write() as conn:
        # the summary (report list, staff search) becomes the notice, so nothing quotes the old figures
        conn.execute("UPDATE reports SET withdrawn_at = ?, withdrawn_reason = ?, title = ?, summary = ? WHERE id = ?",
                     (now, reason, title, f"【已撤回】{now[:10]} 撤回，原因：{reason}", row["id"]))
        if folder.exists():  # the last step before the commit: files and row change together
            os.replace(folder, gone)
    shutil.rmtree(gone, ignore_errors=True)
    return {"id": row["id"], "period": when.code, "industry": industry_label(code), "title": title,
            "withdrawn_at": now, "reason": reason}


def _has_report(store: Store, period: str, industry: str, sample: bool) -> bool:
    return store.conn.execute("SELECT 1 FROM reports WHERE period = ? AND industry = ? AND is_sample = ?",
                              (period, industry, int(sample))).fetchone() is not None


def audit_store(store: Store, threshold: int) -> list[disclosure.Violation]:
    """Attack every version of every year the store says was published (real and sample apart)."""
    problems = []
    for sample in (False, True):
        for year in versions.years_with_versions(store.conn, sample):
            problems += versions.audit_year(store.conn, year, sample, threshold)
    return problems


def list_reports(store: Store) -> list[dict]:
    rows = store.conn.execute("SELECT * FROM reports ORDER BY period DESC, industry, is_sample").fetchall()
    return [dict(r) for r in rows]


__all__ = ["Report", "build_report", "withdraw_report", "audit_store", "audit_files", "list_reports",
           "resolve_industry", "report_title"]


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


def _shown_mismatches(store: Store, data: dict, name: str) -> list[str]:
    """Cells a report file shows that differ from the version it says it was read from."""
    ids = data.get("disclosure_versions")
    if not ids:
        return [f"{name}：报告文件未记录披露控制版本（请重新生成该报告）"]
    out = []
    for key, value in cells_of(data).items():
        row = store.conn.execute(
            "SELECT state, value FROM disclosure_cells WHERE version_id = ? AND period = ? AND industry = ?"
            " AND dim = ? AND category = ?", (ids.get(key[0][:4]), *key)).fetchone()
        if row is None or row["state"] == versions.UNPUBLISHED or row["value"] != value:
            out.append(f"{name}：单元格 {'/'.join(key)} 与披露控制版本 {ids.get(key[0][:4])} 不一致")
    return out


def audit_files(settings: Settings, store: Store) -> list[str]:
    """Audit what the report files show against the versions they were read from, then attack
    every version ever published (:func:`audit_store`)."""
    threshold = settings["disclosure"]["min_enterprises"]
    problems: list[str] = []
    for row in store.conn.execute("SELECT * FROM reports"):
        path = settings.data_dir / row["folder"] / "report.json"
        if path.is_file():
            problems += _shown_mismatches(store, json.loads(path.read_text("utf-8")), path.parent.name)
    return problems + [str(v) for v in audit_store(store, threshold)]
