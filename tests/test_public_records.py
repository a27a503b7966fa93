"""Issue 16 item 4: public records say what a published notice says (investigation number, the
Chinese party's role, complainant, respondents' countries, forum, trade secret / trade dress);
Section 337 notices import from the Federal Register API's JSON; the report keeps public records
apart from the district's cases in every table and sentence (page, report.md, DOCX, XLSX)."""
from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from alerts.report import build_report
from ipwatch.cli import app
from kb.core.errors import ValidationError
from kb.disputes import fedreg, importer, records as disputes

FIXTURE = Path(__file__).parent / "data" / "fedreg" / "documents-337.json"
AFTER = date(2027, 1, 4)


def _rows(store):
    return [dict(r) for r in store.conn.execute(
        "SELECT source_ref, case_number, chinese_role, complainant, respondent_countries, forum,"
        " right_types, countries, field, field_other, filed_on, provenance FROM disputes"
        " WHERE origin = 'public' ORDER BY source_ref, chinese_role")]


def test_federal_register_337_notices_become_public_records(store, tmp_path):
    done = fedreg.import_fedreg(store, FIXTURE)
    assert (done.notices, done.skipped, done.rows, done.added) == (4, 2, 3, 3)
    rows = _rows(store)
    assert [(r["case_number"], r["chinese_role"]) for r in rows] == [
        ("337-TA-9901", "respondent"), ("337-TA-9901", "respondent"), ("337-TA-9902", "complainant")]
    first = rows[0]
    assert first["source_ref"] == "337-TA-9901" and first["complainant"] == "Examplecorp Power Inc."
    assert first["respondent_countries"] == "CN,HK,TW" and first["forum"] == "美国国际贸易委员会（USITC）"
    assert first["right_types"] == "invention_patent" and first["countries"] == "US"
    assert first["filed_on"] == "2026-08-04"  # the complaint's date, not the notice's
    assert first["field"] == "other" and "Wireless Charging Modules" in first["field_other"]
    assert json.loads(first["provenance"])["document_number"] == "2026-90001"
    trade = rows[2]
    assert trade["right_types"] == "trade_secret,trade_dress" and trade["respondent_countries"] == "US"
    # no name reaches the store: enterprises are hashed
    dump = "\n".join(store.conn.iterdump())
    assert "Example Shenzhen Wireless" not in dump and "Sample Harbour" not in dump
    again = fedreg.import_fedreg(store, FIXTURE)
    assert (again.added, again.updated) == (0, 3)  # the same notices: updated, not duplicated

    broken = tmp_path / "broken.json"
    broken.write_text('{"count": 1}', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["disputes", "import", str(broken)])
    assert result.exit_code == 1 and "缺少 results 列表" in str(result.exception)


def test_csv_import_takes_the_new_columns_and_keeps_trade_secret_to_public_records(store, tmp_path):
    csv = tmp_path / "public.csv"
    csv.write_text(
        "调查/案件编号,中方当事人角色,申请人/原告,被申请人所在国家/地区,审理机构,企业,纠纷类型,权利类别,国家/地区,"
        "纠纷对象类型,纠纷领域,纠纷级别,立案日期\n"
        "1:26-cv-00001,被申请人,Example Plaintiff LLC,中国;US,美国特拉华州联邦地区法院,示例企业甲,侵权纠纷,"
        "商业外观,美国,竞争对手,机械,普通,2026-07-01\n", encoding="utf-8")
    result = importer.import_file(store, csv)
    assert result.added == 1
    [row] = _rows(store)
    assert (row["case_number"], row["chinese_role"], row["respondent_countries"], row["right_types"]) == (
        "1:26-cv-00001", "respondent", "CN,US", "trade_dress")
    bad = tmp_path / "bad.csv"
    bad.write_text(csv.read_text("utf-8").replace("被申请人,", "原告方,"), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"第2行.*中方当事人角色.*无法识别「原告方」"):
        importer.import_file(store, bad)
    _, errors = disputes.validate_record({
        "origin": "case", "enterprise": "甲", "dispute_types": "侵权纠纷", "right_types": "商业秘密",
        "countries": "美国", "counterparty_type": "竞争对手", "field": "通信", "level": "普通",
        "received_on": "2026-07-01"})
    assert any("只用于公开纠纷记录" in e.message for e in errors)  # the form has no such right


def _local_case(store, i):
    with store.write() as conn:
        disputes.add_dispute(conn, {
            "origin": "case", "source_ref": f"2026-{i:03d}", "enterprise": f"本区企业{i}",
            "dispute_types": "侵权纠纷", "right_types": "商标", "countries": "德国",
            "counterparty_type": "竞争对手", "field": "机械", "level": "普通",
            "received_on": f"2026-08-{i + 1:02d}"})


def test_report_keeps_public_records_apart_in_every_table_and_sentence(settings, store):
    fedreg.import_fedreg(store, FIXTURE)  # 3 public records (2026-08)
    for i in range(4):
        _local_case(store, i)  # 4 local cases
    report = build_report(settings, store, "2026Q3", today=AFTER)
    data = json.loads((report.folder / "report.json").read_text("utf-8"))
    sec = data["sections"][0]
    assert sec["total"]["current"] in (4, None)  # local only (None if withheld)
    assert sec["public"]["total"]["current"] == 3
    rights = {r["category"]: r["current"] for r in sec["public"]["tables"]["right"]}
    assert rights["trade_secret"] == 1 and rights["trade_dress"] == 1 and rights["invention_patent"] == 2
    assert "trade_secret" not in {r["category"] for r in sec["tables"]["right"]}  # the form's list only
    public_lines = sec["public"]["narrative"]
    assert public_lines[0].startswith("公开纠纷记录（来自已公开的纠纷信息") and "涉及中国企业 3 家" in public_lines[0]

    def check_sentences(lines):
        for line in lines:
            if "共有" in line:  # the district's own sentence: never the public count, nor a sum
                assert not re.search(r"(?<![\d])(3|7) 家", line), line
            if "涉及中国企业 3 家" in line:
                assert "不是本区受理的案件" in line and "本区各领域" not in line

    markdown = (report.folder / "report.md").read_text("utf-8")
    check_sentences(markdown.splitlines())
    assert "公开纠纷记录（来源：已公开的纠纷信息，不涉及保密）" in markdown and "| 商业秘密 | 1 |" in markdown
    paragraphs = [p.text for p in Document(str(report.folder / "report.docx")).paragraphs]
    check_sentences(paragraphs)
    assert any(p.startswith("（五）公开纠纷记录（非本区受理案件") for p in paragraphs)
    assert any("涉及中国企业 3 家" in p for p in paragraphs)
    tables = Document(str(report.folder / "report.docx")).tables
    assert any(any(cell.text == "商业外观" for cell in row.cells) for t in tables for row in t.rows)
    sheet = load_workbook(report.folder / "annex.xlsx")["统计表"]
    rows = list(sheet.iter_rows(values_only=True))
    sources = {r[-1] for r in rows[1:]}
    assert len(sources) == 2  # local and public figures, each row labelled with its source
    public_rights = [r for r in rows if r[2] == "商业秘密"]
    assert public_rights and all("公开" in r[-1] for r in public_rights)
