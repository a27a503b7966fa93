"""The command line speaks Chinese: usage errors, help, names of steps and departments,
tables with headers, settings printed as valid TOML, one line and exit 1 for every failure."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import tomllib

import pytest
from typer.testing import CliRunner

from intake_helpers import case_settings, sample_application, write_export  # noqa: F401
from ipwatch.cli import app, zh
from kb.core.settings import load_settings

runner = CliRunner()
ENGLISH = ("Usage:", "Error:", "Try '", "Missing", "Show this message", "No such", "Traceback")


def ipwatch(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "ipwatch", *args], capture_output=True, text=True, **kwargs)


def run(*args):
    result = runner.invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args,expected", [
    (("report", "build"), "错误：缺少选项 '--period'。"),
    (("nosuch",), "错误：没有命令 'nosuch'。"),
    (("case", "advance"), "错误：缺少参数 'number'。"),
    (("report", "build", "--period", "2026Q3", "--bogus"), "错误：没有选项 --bogus。"),
    (("report", "build", "--period"), "错误：选项 '--period' 需要一个值。"),
    (("disputes", "sample", "--rows", "x"), "错误：'--rows' 的值无效：应为有效的整数。"),
])
def test_usage_errors_are_chinese_with_exit_1(args, expected):
    result = ipwatch(*args)
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr
    for word in ENGLISH:
        assert word not in result.stderr, result.stderr


def test_help_is_chinese():
    shown = run("case", "advance", "--help")
    assert "用法：ipwatch case advance" in shown and "显示本帮助并退出。" in shown
    assert "选项" in shown and "参数" in shown and "必填" in shown
    assert "Show this message" not in shown and "Usage:" not in shown


def test_every_message_pattern_translates():
    assert zh.translate("Missing option '--to'.") == "缺少选项 '--to'。"
    assert zh.translate("Got unexpected extra argument (x)") == "多余的参数：x"
    assert zh.translate("Invalid value for '--rows': 'x' is not a valid integer.") == "'--rows' 的值无效：'x' 不是有效的整数。"
    assert zh.translate("something new") == "something new"  # unknown: kept, never lost


def test_steps_statuses_and_departments_by_chinese_name(case_settings, tmp_path):
    write_export(sample_application(), tmp_path / "a.json")
    run("case", "import", str(tmp_path / "a.json"), "--by", "李四", "--on", "2026-09-30", "--dept", "版权局")
    case = json.loads(run("case", "show", "2026-0001", "--format", "json"))
    assert case["department"] == "copyright"
    run("case", "advance", "2026-0001", "受理", "--by", "李四", "--on", "2026-10-12")
    run("case", "advance", "2026-0001", "对接", "--by", "王五", "--on", "2026-10-13")
    run("case", "advance", "2026-0001", "会商", "--dept", "市场监管局", "--dept", "工信局",
        "--dept", "industry", "--by", "王五", "--on", "2026-10-14", "--note", "三局会商")
    case = json.loads(run("case", "show", "2026-0001", "--format", "json"))
    assert case["status"] == "conferred"
    assert case["events"][-1]["departments"] == ["amr", "industry"]
    listed = run("case", "list", "--status", "已会商")
    assert "2026-0001" in listed and run("case", "list", "--status", "conferred") == listed
    assert "没有案件" in run("case", "list", "--status", "受理")  # 受理 leads to 已受理, which this case has left
    wrong = runner.invoke(app, ["case", "advance", "2026-0001", "出具", "--by", "李四"])
    assert wrong.exit_code != 0 and "opinion（出具意见书）" in str(wrong.exception)


def test_case_listing_and_view_have_headers_and_the_whole_application(case_settings, tmp_path):
    write_export(sample_application(), tmp_path / "a.json")
    run("case", "import", str(tmp_path / "a.json"), "--by", "李四", "--on", "2026-09-30")
    lines = run("case", "list").splitlines()
    assert lines[0].split() == ["编号", "收到日期", "状态", "级别", "纠纷国家/地区"]
    assert set(lines[1]) <= {"-", " "} and lines[2].startswith("2026-0001")
    shown = run("case", "show", "2026-0001", "--contacts")
    application = sample_application()
    assert f"纠纷应对指导申请事项：{application['request']}" in shown
    assert f"纠纷影响预估：{application['impact']}" in shown
    assert "联系人：" in shown and "联系电话：" in shown and "contact_name" not in shown


def test_table_columns_line_up_with_chinese_text(capsys):
    from ipwatch.cli.common import display_width, print_table
    print_table(("部门", "n"), [["韶关市曲江区版权局", 1], ["amr", 22]])
    lines = capsys.readouterr().out.splitlines()
    starts = {display_width(line[:line.rindex(value)]) for line, value in zip(lines[:1] + lines[2:], ("n", "1", "22"))}
    assert len(starts) == 1  # the second column starts at the same screen column on every line
    assert "韶关市曲江区版权局" in lines[2]  # never cut


def test_config_show_writes_valid_toml_when_piped(data_dir):
    result = ipwatch("config", "show")
    assert result.returncode == 0, result.stderr
    parsed = tomllib.loads(result.stdout)
    assert parsed == json.loads(json.dumps(load_settings(None).as_dict()))


def test_site_serve_on_a_busy_port_is_one_chinese_line(data_dir):
    site = data_dir / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<p>x</p>", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = ipwatch("site", "serve", "--port", str(port), timeout=30)
    assert result.returncode == 1
    assert f"无法在 127.0.0.1:{port} 上预览网站" in result.stderr and "Traceback" not in result.stderr


def test_a_long_user_error_is_one_line_whatever_the_width(data_dir):
    result = ipwatch("disputes", "sample", env={**__import__("os").environ, "COLUMNS": "40"})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and str(data_dir) in result.stderr  # never wrapped
