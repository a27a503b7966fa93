"""Issue 16: a period that has not ended is refused unless provisional (初步数据 in every file);
the final build replaces it; a report is withdrawn with a notice that stays on the site, and its
published cells stay recorded."""
from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from alerts import charts
from alerts.report import build_report, withdraw_report
from ipwatch.cli import app
from ipwatch.sitebuild import build_site
from kb.core.errors import IpwatchError
from kb.disputes import records as disputes

DURING = date(2026, 12, 2)  # 2026Q4 has not ended
AFTER = date(2027, 1, 4)


def _add_cases(store, n=6, month="2026-10"):
    with store.write() as conn:
        for i in range(n):
            disputes.add_dispute(conn, {
                "origin": "case", "source_ref": f"2026-{i:03d}", "enterprise": f"企业{i}",
                "dispute_types": "侵权纠纷", "right_types": "发明专利", "countries": "美国",
                "counterparty_type": "竞争对手", "field": "通信", "level": "普通",
                "received_on": f"{month}-{i + 1:02d}"})


def _cells(store, key):
    return store.conn.execute("SELECT build, COUNT(*) FROM published_cells WHERE report_key = ?"
                              " GROUP BY build ORDER BY build", (key,)).fetchall()


def test_unfinished_period_is_refused_then_provisional_everywhere_then_final(settings, store):
    _add_cases(store)
    with pytest.raises(IpwatchError, match=r"报告期2026年第四季度尚未结束（截至 2026-12-31）.*--provisional"):
        build_report(settings, store, "2026Q4", today=DURING)
    with pytest.raises(IpwatchError, match="尚未结束"):
        build_report(settings, store, "2026", today=DURING)
    with pytest.raises(IpwatchError, match="已结束，应生成正式报告"):
        build_report(settings, store, "2026Q3", provisional=True, today=DURING)

    report = build_report(settings, store, "2026Q4", provisional=True, today=DURING)
    data = __import__("json").loads((report.folder / "report.json").read_text("utf-8"))
    assert data["provisional"] and data["data_until"] == "2026-12-02" and "（初步数据）" in data["title"]
    page = (report.folder / "report.md").read_text("utf-8")
    assert '!!! warning "初步数据"' in page and page.splitlines()[0].endswith("（初步数据）")
    docx_text = "\n".join(p.text for p in Document(str(report.folder / "report.docx")).paragraphs[:8])
    assert "初步数据" in docx_text and "数据截至 2026-12-02" in docx_text
    first = load_workbook(report.folder / "annex.xlsx").worksheets[0]
    assert any("初步数据" in str(row[0]) for row in first.iter_rows(values_only=True))
    assert charts._note(data).startswith("初步数据（截至 2026-12-02")
    row = store.conn.execute("SELECT provisional, data_until FROM reports").fetchone()
    assert tuple(row) == (1, "2026-12-02")

    out = build_site(settings, store, settings.data_dir.parent / "site")
    archive = (out / "reports" / "index.html").read_text("utf-8")
    assert "【初步数据】2026年第四季度" in archive

    _add_cases(store, 3, "2026-12")  # the rest of the quarter comes in
    final = build_report(settings, store, "2026Q4", today=AFTER)
    data = __import__("json").loads((final.folder / "report.json").read_text("utf-8"))
    assert not data["provisional"] and "初步数据" not in (final.folder / "report.md").read_text("utf-8")
    assert store.conn.execute("SELECT COUNT(*), MAX(provisional) FROM reports").fetchone()[:] == (1, 0)
    builds = _cells(store, "2026Q4-all")
    assert [b for b, _ in builds] == [1, 2]  # the provisional cells stay recorded


def test_withdraw_keeps_a_notice_on_the_site_and_every_cell_recorded(settings, store, monkeypatch):
    _add_cases(store, month="2026-08")
    report = build_report(settings, store, "2026Q3", today=DURING)
    cells = _cells(store, "2026Q3-all")
    monkeypatch.setattr("ipwatch.cli.common.settings", lambda: settings)
    runner = CliRunner()
    done = runner.invoke(app, ["report", "withdraw", "2026Q3", "--reason", "统计口径有误，更正后重新发布"])
    assert done.exit_code == 0, done.output
    assert "已撤回" in done.output
    assert not report.folder.exists()
    assert _cells(store, "2026Q3-all") == cells  # never deleted: readers still have them
    row = store.conn.execute("SELECT withdrawn_at, withdrawn_reason FROM reports").fetchone()
    assert row[0] and row[1] == "统计口径有误，更正后重新发布"
    summary = store.conn.execute("SELECT summary FROM reports").fetchone()[0]
    assert summary.startswith("【已撤回】") and "家" not in summary  # no figure of it is quoted any more

    again = runner.invoke(app, ["report", "withdraw", "2026Q3", "--reason", "再次"])
    assert again.exit_code == 1 and "不能重复撤回" in str(again.exception)
    unknown = runner.invoke(app, ["report", "withdraw", "2025Q1", "--reason", "无"])
    assert unknown.exit_code == 1 and "没有2025年第一季度（全部）的报告" in str(unknown.exception)
    listed = runner.invoke(app, ["report", "list"])
    assert "正式（已撤回）" in listed.output
    with pytest.raises(IpwatchError, match="不能为空"):
        withdraw_report(settings, store, "2026Q3", None, "  ")

    out = build_site(settings, store, settings.data_dir.parent / "site")
    page = (out / "reports" / "2026Q3-all.html").read_text("utf-8")
    assert "已撤回" in page and "统计口径有误，更正后重新发布" in page
    assert not (out / "reports" / "2026Q3-all").exists()  # the files left the site
    archive = (out / "reports" / "index.html").read_text("utf-8")
    assert "【已撤回】2026年第三季度" in archive and "2026Q3-all/annex.xlsx" not in archive
    feed = (out / "reports" / "feeds" / "all.xml").read_text("utf-8")
    assert "【已撤回】" in feed and "统计口径有误" in feed


@pytest.mark.parametrize("reason", ["数据有误，请联系 13812345678", "咨询电话 0751-8888888",
                                    "联系 clerk@example.gov.cn", "请联系 １３８１２３４５６７８"])
def test_a_withdrawal_reason_never_publishes_contact_data(settings, store, reason):
    """The reason is shown on the public site: a phone number or e-mail address in it is refused
    and the report stays as it was."""
    _add_cases(store, month="2026-08")
    report = build_report(settings, store, "2026Q3", today=DURING)
    with pytest.raises(IpwatchError, match="不得含联系方式"):
        withdraw_report(settings, store, "2026Q3", None, reason)
    assert report.folder.exists()
    assert store.conn.execute("SELECT withdrawn_at FROM reports").fetchone()[0] is None
