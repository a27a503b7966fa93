"""The command line: every command's help, one-line errors, JSON output."""
import json
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from ipwatch.cli import app

runner = CliRunner()


def all_commands(group, prefix=()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            yield from all_commands(command, path)


COMMANDS = list(all_commands(typer.main.get_command(app)))


def ipwatch(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "ipwatch", *args], capture_output=True,
                          text=True, **kwargs)


def test_the_expected_commands_exist():
    names = {" ".join(c) for c in COMMANDS}
    for expected in ("config show", "crawl", "changes", "report build", "site build",
                     "site serve", "demo"):
        assert expected in names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_every_command_help_ends_with_an_example(path):
    result = runner.invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "示例：ipwatch" in result.output


def test_user_error_is_one_message_and_exit_1():
    result = ipwatch("report", "build", "--period", "2026Q5", "--sample")
    assert result.returncode == 1
    assert "2026Q5" in result.stderr and "格式错误" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_settings_file_through_the_cli(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[crawl]\ntimeout = 'x'\n", encoding="utf-8")
    result = ipwatch("--config", str(bad), "config", "show")
    assert result.returncode == 1
    assert "第2行" in result.stderr and "crawl.timeout" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_show_json_reflects_environment(data_dir):
    result = ipwatch("config", "show", "--format", "json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["data"]["folder"] == str(data_dir.resolve())
    assert shown["departments"][1]["phone"] == "0751-6666259"


def test_unknown_source_is_a_clear_error():
    result = ipwatch("crawl", "--only", "xx-nothing")
    assert result.returncode == 1
    assert "xx-nothing" in result.stderr and "Traceback" not in result.stderr


def test_changes_json_is_an_empty_array_on_a_new_store():
    result = ipwatch("changes", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_unknown_output_format_is_refused():
    result = ipwatch("changes", "--format", "xml")
    assert result.returncode != 0
    assert "xml" in result.stderr and "table 或 json" in result.stderr
