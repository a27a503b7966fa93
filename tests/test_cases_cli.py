"""ipwatch case ...: the commands over the case functions, as staff use them."""
from __future__ import annotations

import json

from openpyxl import load_workbook
from typer.testing import CliRunner

from intake_helpers import case_settings, sample_application, write_export  # noqa: F401
from ipwatch.cli import app
from kb.core.errors import IpwatchError

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def test_case_commands(case_settings, tmp_path, monkeypatch):
    config = tmp_path / "ipwatch.toml"
    config.write_text('[cases]\nsite_url = "https://ipwatch.example.gov.cn"\n', encoding="utf-8")
    monkeypatch.setenv("IPWATCH_CONFIG", str(config))
    path = write_export(sample_application(), tmp_path / "a.json")
    imported = json.loads(run("case", "import", str(path), "--by", "李四", "--on", "2026-09-30",
                              "--format", "json"))
    assert imported == [{"row": None, "number": "2026-0001", "created": True}]
    assert "2026-0001" in run("case", "list") and "已收到申请" in run("case", "list")
    late = json.loads(run("case", "overdue", "--on", "2026-10-12", "--format", "json"))
    assert [(x["number"], x["due"]) for x in late] == [("2026-0001", "2026-10-10")]
    run("case", "advance", "2026-0001", "accept", "--by", "李四", "--on", "2026-10-12")
    run("case", "advance", "2026-0001", "contact", "--by", "王五", "--on", "2026-10-13")
    run("case", "advance", "2026-0001", "confer", "--dept", "amr", "--dept", "industry",
        "--by", "王五", "--on", "2026-10-14", "--note", "三局会商")
    shown = run("case", "show", "2026-0001")
    assert "会商  王五（三局会商）  [用时1个工作日，时限10]" in shown
    assert "受理  李四  [用时4个工作日，时限3，超期]" in shown and "下一步办理时限：2026-10-28" in shown
    assert "示例联系人" not in shown and "示例联系人" in run("case", "show", "2026-0001", "--contacts")
    data = json.loads(run("case", "show", "2026-0001", "--format", "json"))
    assert data["status"] == "conferred" and "contact" not in data and "fingerprint" not in data
    assert "审阅定稿后办理" in run("case", "opinion", "2026-0001", "--out", str(tmp_path / "意见书.docx"), "--by", "李四")
    run("case", "advance", "2026-0001", "opinion", "--by", "李四", "--on", "2026-10-15")
    run("case", "advance", "2026-0001", "close", "--by", "李四", "--on", "2026-10-16")
    xlsx = tmp_path / "考核.xlsx"
    stats = json.loads(run("case", "stats", "--period", "2026Q3", "--xlsx", str(xlsx), "--format", "json"))
    total = stats["rows"][-1]
    assert (total["received"], total["accepted"], total["closed"], total["overdue"]) == (1, 1, 1, 1)
    assert total["median_to_contact"] == 5 and total["median_to_opinion"] == 7
    assert load_workbook(xlsx).active["A6"].value == "合计"
    assert "合计" in run("case", "stats", "--period", "2026Q3")
    assert "无" in run("case", "purge", "--on", "2026-10-17")
    assert "2026-0001" in run("case", "purge", "--on", "2027-10-16")
    blank = tmp_path / "blank.docx"
    run("case", "form", str(blank))
    assert blank.stat().st_size > 5000


def test_case_command_errors(case_settings, tmp_path):
    result = runner.invoke(app, ["case", "advance", "2026-0404", "accept", "--by", "李四"])
    assert result.exit_code != 0 and "找不到案件「2026-0404」" in str(result.exception)


def test_case_list_does_not_show_applicant_identity(case_settings, tmp_path):
    data = sample_application()
    path = write_export(data, tmp_path / "a.json")
    run("case", "import", str(path), "--by", "李四", "--on", "2026-09-30")
    for output in (run("case", "list"), run("case", "list", "--format", "json")):
        assert "2026-0001" in output
        assert data["applicant_name"] not in output and data["uscc"] not in output
    assert data["applicant_name"] in run("case", "show", "2026-0001")  # the staff view of one case
    shown = json.loads(run("case", "show", "2026-0001", "--format", "json"))
    assert shown["uscc"] == data["uscc"]


def test_bad_dates_are_user_errors(case_settings, tmp_path):
    path = write_export(sample_application(), tmp_path / "a.json")
    for args in (("case", "import", str(path), "--by", "李四", "--on", "2026-13-45"),
                 ("case", "overdue", "--on", "bad"), ("case", "purge", "--on", "2026/10/01")):
        result = runner.invoke(app, list(args))
        assert result.exit_code != 0 and "应为 YYYY-MM-DD" in str(result.exception), args
    run("case", "import", str(path), "--by", "李四", "--on", "2026-09-30")
    for args in (("case", "advance", "2026-0001", "accept", "--by", "李四", "--on", "bad"),
                 ("case", "escalate", "2026-0001", "--to", "city", "--by", "李四", "--on", "2026-02-30")):
        result = runner.invoke(app, list(args))
        assert result.exit_code != 0 and "--on 的日期" in str(result.exception), args
    assert json.loads(run("case", "show", "2026-0001", "--format", "json"))["status"] == "received"


def test_outputs_that_cannot_be_written_are_user_errors(case_settings, tmp_path):
    path = write_export(sample_application(), tmp_path / "a.json")
    run("case", "import", str(path), "--by", "李四", "--on", "2026-09-30")
    run("case", "advance", "2026-0001", "accept", "--by", "李四", "--on", "2026-10-09")
    folder = tmp_path / "out"
    folder.mkdir()
    (tmp_path / "plain.txt").write_text("x", "utf-8")
    for args in (("case", "stats", "--period", "2026Q3", "--xlsx", str(folder)),
                 ("case", "opinion", "2026-0001", "--out", str(tmp_path / "plain.txt" / "x.docx")),
                 ("case", "escalate", "2026-0001", "--to", "city", "--by", "李四", "--out", str(folder))):
        result = runner.invoke(app, list(args))
        assert result.exit_code != 0 and str(folder.parent) in str(result.exception), args
        assert isinstance(result.exception, IpwatchError), (args, result.exception)
    assert list(folder.iterdir()) == [] and [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert json.loads(run("case", "show", "2026-0001", "--format", "json"))["escalated"] == 0  # nothing recorded
    result = runner.invoke(app, ["case", "list", "--status", "bogus"])
    assert result.exit_code != 0 and "未知状态「bogus」" in str(result.exception)


def test_a_step_dated_in_the_future_is_refused(case_settings, tmp_path):
    from datetime import timedelta

    from kb.cases import workdays

    tomorrow = (workdays.today() + timedelta(days=1)).isoformat()
    path = write_export(sample_application(), tmp_path / "a.json")
    result = runner.invoke(app, ["case", "import", str(path), "--by", "李四", "--on", tomorrow])
    assert result.exit_code != 0 and "晚于今天" in str(result.exception)
    assert "没有案件" in run("case", "list")
    run("case", "import", str(path), "--by", "李四", "--on", "2026-09-30")
    result = runner.invoke(app, ["case", "advance", "2026-0001", "accept", "--by", "李四", "--on", "2099-01-05"])
    assert result.exit_code != 0 and "晚于今天" in str(result.exception)
    assert "已收到申请" in run("case", "show", "2026-0001")  # and the case can still be shown
