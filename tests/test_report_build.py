"""The report: built for a quarter, a month and a year; its XLSX annex and DOCX reopened."""
import json
from datetime import date
import subprocess
import sys

import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from alerts.report import build_report
from alerts.sample import generate, load_sample
from kb.core.settings import DEMO_MARKER
from kb.disputes import records as disputes
from kb.laws.changes import record_change
from kb.core.errors import IpwatchError

TRAP = '=HYPERLINK("http://evil.example/","点击")'


@pytest.fixture
def sample_store(store):
    load_sample(store, 2000)
    with store.write() as conn:
        conn.execute(
            "INSERT INTO sources(id, jurisdiction, kind, url, title, rights, language, updated_at)"
            " VALUES ('us-35usc', 'US', 'law_page', 'https://www.uspto.gov/', ?, '[\"patent\"]', 'en', '2026-08-01')",
            (TRAP,))
        record_change(conn, source_id="us-35usc", url="https://www.uspto.gov/", kind="modified",
                      old_snapshot=None, new_snapshot=None, articles=[{"id": "§ 271", "change": "modified"}],
                      summary="+cmd|' /C calc'!A0", detected_at="2026-08-15T08:00:00+00:00")
    return store


def test_quarter_report_files_reopen_with_annex_and_docx(settings, sample_store):
    report = build_report(settings, sample_store, "2026Q3", industry="通信", sample=True)
    assert report.folder.name == "2026Q3-通信-示例数据"
    assert {"report.md", "report.json", "annex.xlsx", "report.docx", "charts"} <= set(report.files)
    data = json.loads((report.folder / "report.json").read_text("utf-8"))
    assert data["is_sample"] and "示例数据" in (report.folder / "report.md").read_text("utf-8")
    assert data["sections"][0]["laws"][0]["title"] == TRAP
    assert data["sections"][0]["scores"] and data["sections"][0]["recommendations"]

    book = load_workbook(report.folder / "annex.xlsx")
    assert book.sheetnames == ["说明", "统计表", "风险评分", "法律修改", "应对建议"]
    assert any("示例数据" in str(c.value) for c in book["说明"]["A"])
    laws = book["法律修改"]
    assert laws["D2"].value == "'" + TRAP and laws["E2"].value.startswith("'+cmd")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)

    doc = Document(report.folder / "report.docx")
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    first = doc.paragraphs[0]
    assert first.text == "重点产业海外知识产权风险预警"  # the publication's red 版头, then its 期号
    assert str(first.runs[0].font.color.rgb) == "FF0000"
    assert doc.paragraphs[1].text == "2026年第3期（季报）"
    assert all(name in doc.paragraphs[2].text for name in (settings["office"]["name"], *settings["office"]["partners"]))
    texts = [p.text for p in doc.paragraphs]
    assert "区各有关企业：" in texts and any("示例数据" in t for t in texts)
    title = next(p for p in doc.paragraphs if p.text == data["title"])
    assert title.runs[0].font.size == Pt(22)
    body = doc.paragraphs[texts.index("区各有关企业：") + 1]
    fonts = body.runs[0]._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)
    # the closing block names every issuing department, as the 版头 does
    assert texts[-1].endswith("日") and texts[-4:-1] == [settings["office"]["name"], *settings["office"]["partners"]]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["维度", "类别", "本期", "上期", "环比", "去年同期", "同比"]
    widths = [c.width for c in table.columns]
    assert widths[1] > widths[2] and sum(w.mm for w in widths) <= 157  # fitted to content, within the type area


def test_month_and_year_reports_from_real_records_never_count_sample_data(settings, store):
    load_sample(store, 2000)
    with store.write() as conn:
        for i in range(4):
            disputes.add_dispute(conn, {
                "origin": "public", "source_ref": f"337-TA-{i}", "enterprise": f"企业{i}",
                "dispute_types": "贸易调查纠纷", "right_types": "发明专利", "countries": "美国",
                "counterparty_type": "竞争对手", "field": "通信", "level": "普通",
                "filed_on": f"2026-09-0{i + 1}"})
    month = build_report(settings, store, "2026-09", industry="通信")
    year = build_report(settings, store, "2026", industry="communication", today=date(2027, 1, 4))
    for report in (month, year):
        data = json.loads((report.folder / "report.json").read_text("utf-8"))
        assert not data["is_sample"] and "示例数据" not in (report.folder / "report.md").read_text("utf-8")
        # public records are counted apart from the local cases: their own table, not 本区's
        public = data["sections"][0]["public"]
        assert public["total"]["current"] == 4 and data["sections"][0]["total"]["current"] in (0, None)
        assert public["tables"]["country"][0] == {
            "category": "US", "label": "美国", "current": 4, "previous": 0, "last_year": 0}
    assert month.folder.name == "2026-09-通信" and year.folder.name == "2026-通信"
    rows = store.conn.execute("SELECT period, industry, is_sample FROM reports ORDER BY period").fetchall()
    assert [tuple(r) for r in rows] == [("2026", "通信", 0), ("2026-09", "通信", 0)]


def test_bad_period_and_industry_are_user_errors(settings, store):
    with pytest.raises(IpwatchError, match="格式错误"):
        build_report(settings, store, "2026Q5")
    with pytest.raises(IpwatchError, match="航天"):
        build_report(settings, store, "2026Q3", industry="航天")


def test_sample_generator_is_labelled_and_plausible():
    rows = generate(3000, seed=1)
    assert len({r[0] for r in rows}) == 3000 and {r[1] for r in rows} == {"sample"}
    countries = [r[9].split(",")[0] for r in rows]
    assert max(set(countries), key=countries.count) == "US"
    npe = lambda pick: sum(r[11] == "npe" for r in pick) / max(1, len(pick))  # noqa: E731
    comm_us = [r for r in rows if r[13] == "communication" and r[9].startswith("US")]
    others = [r for r in rows if r[13] == "mechanical"]
    assert npe(comm_us) > 2 * npe(others)
    assert all("示例数据" in r[3] for r in rows)


def test_cli_import_error_lists_rows_and_exits_1(tmp_path, data_dir):
    bad = tmp_path / "bad.csv"
    bad.write_text("企业,纠纷类型,权利类别,国家/地区,纠纷对象类型,纠纷领域,纠纷级别,立案日期\n"
                   "甲,侵权纠纷,发明专利,美国,NPE,通信,普通,2026-02-30\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ipwatch", "disputes", "import", str(bad)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "第2行" in result.stderr and "立案日期" in result.stderr and "Traceback" not in result.stderr


def test_cli_sample_build_json_and_audit(data_dir):
    from typer.testing import CliRunner

    from ipwatch.cli import app

    runner = CliRunner()
    refused = runner.invoke(app, ["disputes", "sample", "--rows", "800"])
    assert refused.exit_code != 0 and "只能在演示数据目录中使用" in str(refused.exception)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / DEMO_MARKER).write_text("demo", encoding="utf-8")  # sample data live only in a demo folder
    assert runner.invoke(app, ["disputes", "sample", "--rows", "800"]).exit_code == 0
    result = runner.invoke(app, ["report", "build", "--period", "2026-09", "--industry", "化学",
                                 "--sample", "--format", "json"])
    assert result.exit_code == 0, result.output
    built = json.loads(result.output)
    assert built["is_sample"] and built["industry"] == "化学" and "annex.xlsx" in built["files"]
    listed = json.loads(runner.invoke(app, ["report", "list", "--format", "json"]).output)
    assert [(r["period"], r["industry"]) for r in listed] == [("2026-09", "化学")]
    audit = runner.invoke(app, ["report", "audit"])
    assert audit.exit_code == 0 and "审核通过" in audit.output


def test_files_are_not_swapped_in_when_the_register_cannot_be_written(settings, sample_store, monkeypatch):
    """The files of a report and the register of its published cells change together: files
    shown without their cells registered would let a later report give a cell back."""
    import sqlite3

    import alerts.report

    first = build_report(settings, sample_store, "2026Q3", industry="通信", sample=True)
    before = json.loads((first.folder / "report.json").read_text("utf-8"))["built_at"]
    monkeypatch.setattr(alerts.report, "utcnow", lambda: "2099-01-01T00:00:00+00:00")
    with sample_store.write() as conn:
        conn.execute("CREATE TRIGGER full BEFORE INSERT ON published_cells BEGIN"
                     " SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        build_report(settings, sample_store, "2026Q3", industry="通信", sample=True)
    assert json.loads((first.folder / "report.json").read_text("utf-8"))["built_at"] == before
    row = sample_store.conn.execute("SELECT built_at FROM reports WHERE id = ?", (first.id,)).fetchone()
    assert row["built_at"] == before
    assert sorted(p.name for p in first.folder.parent.iterdir()) == [first.folder.name]
