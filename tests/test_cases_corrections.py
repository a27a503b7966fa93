"""Withdrawing a case entered by mistake and amending a case with a corrected application:
the record stays true (reports, overdue list, supervision) and the history keeps what changed."""
from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from intake_helpers import case_settings, case_store, sample_application, write_export  # noqa: F401
from ipwatch.cli import app
from kb.cases import clock, importer
from kb.cases import stats as casestats
from kb.cases import workflow as cases
from kb.core.errors import IpwatchError

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def disputes(store) -> list[tuple]:
    return [tuple(r) for r in store.conn.execute("SELECT source_ref, countries FROM disputes WHERE origin = 'case'")]


def test_withdrawn_case_leaves_the_record_but_keeps_its_history(case_settings, case_store, tmp_path):
    run("case", "import", str(write_export(sample_application(), tmp_path / "a.json")), "--by", "李四", "--on", "2026-09-30")
    run("case", "import", str(write_export(sample_application(applicant_name="乙公司"), tmp_path / "b.json")),
        "--by", "李四", "--on", "2026-09-30")
    assert len(clock.overdue(case_store, case_settings, date(2026, 10, 20))) == 2
    assert casestats.case_stats(case_store, case_settings, "2026Q3", today=date(2026, 10, 20))["rows"][-1]["received"] == 2
    refused = runner.invoke(app, ["case", "withdraw", "2026-0002", "--reason", " ", "--by", "李四"])
    assert refused.exit_code == 1 and "理由" in str(refused.exception)
    assert "已撤销" in run("case", "withdraw", "2026-0002", "--reason", "与 2026-0001 重复", "--by", "李四",
                          "--on", "2026-10-09")
    case = cases.get_case(case_store, "2026-0002")
    assert case["status"] == "withdrawn"
    assert (case["events"][-1]["step"], case["events"][-1]["note"]) == ("withdraw", "与 2026-0001 重复")
    assert [d[0] for d in disputes(case_store)] == ["2026-0001"]  # out of the report's data
    assert [c["number"] for c in clock.overdue(case_store, case_settings, date(2026, 10, 20))] == ["2026-0001"]
    assert casestats.case_stats(case_store, case_settings, "2026Q3", today=date(2026, 10, 20))["rows"][-1]["received"] == 1
    assert "撤销案件" in run("case", "show", "2026-0002")
    with pytest.raises(IpwatchError, match="已撤销"):
        cases.withdraw(case_store, case_settings, "2026-0002", reason="x", actor="李四")
    with pytest.raises(IpwatchError, match="不能办理"):
        cases.advance(case_store, case_settings, "2026-0002", "accept", actor="李四")


def test_amend_corrects_without_a_duplicate_and_keeps_what_was_there(case_settings, case_store, tmp_path):
    original = sample_application()
    run("case", "import", str(write_export(original, tmp_path / "a.json")), "--by", "李四", "--on", "2026-09-30")
    corrected = write_export(sample_application(countries=["DE"], contact_phone="0751-6666259"), tmp_path / "b.json")
    out = run("case", "amend", "2026-0001", str(corrected), "--reason", "企业更正纠纷国家", "--by", "李四")
    assert "纠纷国家/地区" in out and "联系人信息" in out
    listed = json.loads(run("case", "list", "--format", "json"))
    assert [c["number"] for c in listed] == ["2026-0001"]  # corrected, not a second case
    case = cases.get_case(case_store, "2026-0001", with_contacts=True)
    assert case["countries"] == ["DE"] and case["contact"]["phone"] == "+867516666259"
    event = case["events"][-1]
    assert (event["step"], event["note"]) == ("amend", "企业更正纠纷国家")
    assert sorted(json.loads(event["detail"]["before"]["countries"])) == sorted(original["countries"])
    assert original["contact_phone"] not in json.dumps(event, ensure_ascii=False)  # contact data not copied
    assert disputes(case_store) == [("2026-0001", "DE")]  # the report's record follows the correction
    # the same file again: nothing to correct; a bad file: field-by-field error, nothing written
    again = runner.invoke(app, ["case", "amend", "2026-0001", str(corrected), "--reason", "x", "--by", "李四"])
    assert again.exit_code == 1 and "无需更正" in str(again.exception)
    bad = write_export(sample_application(uscc="123"), tmp_path / "bad.json")
    broken = runner.invoke(app, ["case", "amend", "2026-0001", str(bad), "--reason", "x", "--by", "李四"])
    assert broken.exit_code == 1 and "统一社会信用代码" in str(broken.exception)
    assert cases.get_case(case_store, "2026-0001")["countries"] == ["DE"]
