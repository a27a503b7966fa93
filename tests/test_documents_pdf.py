"""The drafted 意见书 as it prints: rendered to PDF by LibreOffice, read back with poppler."""
from __future__ import annotations

import re
import subprocess

from intake_helpers import case_settings, case_store, sample_application, write_export  # noqa: F401
from kb.cases import documents as casedocs
from kb.cases import importer, workflow
from kb.core import docxutil

HEADING = re.compile(r"^\s*([一二三四五六七八九十]、|（[一二三四五六七八九十]）)")
PAGE_NUMBER = re.compile(r"^\s*—\s*\d+\s*—\s*$")


def to_pdf(docx, tmp_path):
    profile = (tmp_path / "lo-profile").as_uri()  # a profile of its own: parallel tests never share one
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180)
    return docx.with_suffix(".pdf")


def pages(pdf) -> list[list[str]]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [[line for line in page.splitlines() if line.strip()] for page in text.split("\f") if page.strip()]


def test_opinion_prints_without_orphaned_headings(case_settings, case_store, tmp_path):
    settings = case_settings.with_values(cases={"site_url": "https://ipwatch.example.gov.cn"})
    path = write_export(sample_application(counterparty_type="competitor"), tmp_path / "a.json")
    [row] = importer.import_file(case_store, settings, path, actor="李四", on="2026-09-30")
    for step, on, extra in (("accept", "2026-10-08", {}), ("contact", "2026-10-09", {}),
                            ("confer", "2026-10-12", {"departments": ["amr", "copyright"], "note": "先核实专利状态"})):
        workflow.advance(case_store, settings, row["number"], step, actor="李四", on=on, **extra)
    docx = docxutil.save_atomic(casedocs.draft_opinion(settings, case_store, row["number"]), tmp_path / "opinion.docx")
    pdf = to_pdf(docx, tmp_path)
    printed = pages(pdf)
    assert 2 <= len(printed) <= 15
    assert "海外知识产权纠纷应对行政指导意见书" in "".join(printed[0])
    assert any("会商意见" in line for line in printed[0] + printed[1])  # the first pages carry the case
    for number, lines in enumerate(printed, start=1):
        assert PAGE_NUMBER.match(lines[-1]) and str(number) in lines[-1]  # 「— N —」 on every page
        assert not HEADING.match(lines[-2]), f"page {number} ends with a heading: {lines[-2]}"
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "CJK" in fonts  # the Chinese text is set in a CJK font, not boxes


def test_report_prints_with_content_on_page_one_and_every_issuer_at_the_end(settings, store, tmp_path):
    from alerts.report import build_report
    from alerts.sample import load_sample
    from kb.core.settings import DEMO_MARKER

    (settings.data_dir / DEMO_MARKER).write_text("demo", encoding="utf-8")
    load_sample(store, 1500)
    report = build_report(settings, store, "2026Q3", sample=True)  # 全部: the longest summary
    docx = tmp_path / "report.docx"
    docx.write_bytes((report.folder / "report.docx").read_bytes())
    printed = pages(to_pdf(docx, tmp_path))
    first = "".join(printed[0])
    assert "重点产业海外知识产权风险预警" in first and "2026年第3期（季报）" in first.replace(" ", "")
    assert len(printed[0]) >= 12  # the first page carries the summary, not a lone header
    images = subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", str(docx.with_suffix(".pdf"))],
                            check=True, capture_output=True, text=True).stdout.splitlines()
    assert len(images) > 2, "the trend chart stands on page 1 under the summary"
    for number, lines in enumerate(printed, start=1):
        assert PAGE_NUMBER.match(lines[-1])
        assert not HEADING.match(lines[-2]), f"page {number} ends with a heading: {lines[-2]}"
    last = [line.strip() for line in printed[-1]]
    office = settings["office"]
    for name in (office["name"], *office["partners"]):
        assert name in last  # the closing block names every issuing department
    assert len(last) > 6  # and never stands alone on the last page
    fonts = subprocess.run(["pdffonts", str(docx.with_suffix(".pdf"))], check=True, capture_output=True, text=True).stdout
    assert "CJK" in fonts


def test_annual_report_compares_with_last_year_only(settings, store):
    from docx import Document

    from alerts.charts import comparisons
    from alerts.report import build_report
    from alerts.sample import load_sample
    from kb.core.settings import DEMO_MARKER

    (settings.data_dir / DEMO_MARKER).write_text("demo", encoding="utf-8")
    load_sample(store, 1500)
    report = build_report(settings, store, "2025", sample=True)
    table = Document(report.folder / "report.docx").tables[0]
    assert [c.text for c in table.rows[0].cells] == ["维度", "类别", "本年", "上年", "同比"]
    import json
    data = json.loads((report.folder / "report.json").read_text("utf-8"))
    assert [key for key, _ in comparisons(data)] == ["last_year", "current"]


def test_charts_mark_withheld_values_and_never_draw_them_as_zero(monkeypatch, tmp_path):
    from alerts import charts

    drawn = {}
    monkeypatch.setattr(charts, "_save", lambda fig, path, note, left=0.2: drawn.update(fig=fig, note=note))
    rows = [{"label": "美国", "current": 12}, {"label": "德国", "current": None}, {"label": "法国", "current": 0}]
    section = {"label": "通信", "industry": "communication", "tables": {"country": rows}}
    data = {"periods": {"current": "2026年第三季度"}, "is_sample": False}
    charts.country_chart(section, data, tmp_path / "c.png")
    ax = drawn["fig"].axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["德国", "美国"]  # a zero is left out, a withheld value is shown
    texts = [t.get_text().strip() for t in ax.texts]
    assert "*（不予公布）" in texts and "12" in texts
    assert "不是 0" in drawn["note"]
    charts.risk_chart({"sections": [{"industry": "all", "scores": []}], "is_sample": False}, tmp_path / "r.png")
    assert "单位：家" not in drawn["note"] and "评分" in drawn["note"]
