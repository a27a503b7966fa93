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
