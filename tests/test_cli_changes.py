"""``ipwatch changes`` and ``ipwatch changes show`` on a store with recorded changes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from ipwatch.cli import app
from tests.lawdata_articles import populate

CONTRACT = ["id", "source_id", "url", "detected_at", "kind", "articles", "summary"]


def ipwatch(*args):
    """In-process run (fast); errors go through the real entry point in a subprocess below."""
    result = CliRunner().invoke(app, list(args), terminal_width=160)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr="")


@pytest.fixture
def recorded(store):
    return populate(store)


def test_changes_json_contract_and_filters(recorded):
    result = ipwatch("changes", "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)
    assert [c["source_id"] for c in changes] == ["us-hostile", "jp-tokkyo", "de-markeng", "de-patg"]
    for change in changes:
        assert list(change) == CONTRACT
        assert all(set(a) == {"id", "change"} for a in change["articles"])
    patg = changes[-1]
    assert {"id": "§ 145a", "change": "added"} in patg["articles"]
    assert patg["summary"].startswith("德国《专利法》")
    since = json.loads(ipwatch("changes", "--format", "json", "--since", "2026-11-22").stdout)
    assert [c["source_id"] for c in since] == ["us-hostile", "jp-tokkyo"]
    one = json.loads(ipwatch("changes", "--format", "json", "--source", "de-markeng").stdout)
    assert [c["articles"] for c in one] == [[{"id": "§ 125d", "change": "modified"},
                                             {"id": "§ 125e", "change": "modified"}]]


def test_changes_table_marks_editorial_changes(recorded):
    result = ipwatch("changes")
    assert result.returncode == 0, result.stderr
    assert "编辑性修改" in result.stdout and "实质性修改" in result.stdout


def test_changes_show_prints_the_redline(recorded):
    result = ipwatch("changes", "show", str(recorded["markeng"]))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "德国《商标法》第125d条、第125e条文字修正" in out
    assert "§ 125e（修改）" in out and "编辑性" in out
    # not a terminal: the plain-text redline, [-old-]{+new+}
    assert "{+ Gemeinschaftsmarkengerichte,+} Gemeinschaftsmarkenstreitsachen" in out
    assert "\x1b[" not in out
    japanese = ipwatch("changes", "show", str(recorded["tokkyo"])).stdout
    assert "第197条（修改）" in japanese and "[-懲役-]{+拘禁刑+}" in japanese
    assert "修改依据：" in out and "施行日期：" in out and "发现日期：" in out and "解读：待解读" in out


def test_changes_show_in_a_terminal_uses_colour_not_brackets(recorded, monkeypatch):
    from ipwatch.cli import changes, common
    from rich.console import Console
    import io
    buffer = io.StringIO()
    monkeypatch.setattr(common, "console", Console(file=buffer, force_terminal=True, width=160))
    for renderable in changes.show_change(changes.load_view(recorded["tokkyo"]), full=False):
        common.console.print(renderable)
    out = buffer.getvalue()
    assert "拘禁刑" in out and "\x1b[" in out and "{+" not in out


def test_changes_show_json_has_the_article_detail(recorded):
    result = ipwatch("changes", "show", str(recorded["tokkyo"]), "--format", "json")
    detail = json.loads(result.stdout)["details"]
    article = next(d for d in detail if d["id"] == "第197条")
    assert ["-", "懲役"] in article["ops"] and ["+", "拘禁刑"] in article["ops"]
    assert "懲役" in article["old_text"] and "拘禁刑" in article["new_text"]


def test_changes_show_unknown_id_is_one_clear_error(recorded):
    result = subprocess.run([sys.executable, "-m", "ipwatch", "changes", "show", "999"],
                            capture_output=True, text=True, timeout=300, env=os.environ)
    assert result.returncode == 1
    assert "999" in result.stderr and "Traceback" not in result.stderr


def test_changes_note_draft_review_publish(recorded, tmp_path):
    change = str(recorded["patg"])
    draft = json.loads(ipwatch("changes", "note", change, "--text", "第139条新增比例原则抗辩。",
                               "--by", "张三", "--on", "2026-12-01", "--format", "json").stdout)
    assert (draft["state"], draft["author"], draft["written_on"]) == ("draft", "张三", "2026-12-01")
    assert "解读：草稿（张三）" in ipwatch("changes", "show", change).stdout
    result = CliRunner().invoke(app, ["changes", "note", change, "--state", "published", "--by", "李四"])
    assert "须先审核" in str(result.exception)  # the entry point prints it and exits 1
    ipwatch("changes", "note", change, "--state", "reviewed", "--by", "李四", "--on", "2026-12-01")
    out = ipwatch("changes", "note", change, "--state", "published", "--by", "李四", "--on", "2026-12-02").stdout
    assert "已发布" in out and "审核 李四 2026-12-01" in out and "发布 2026-12-02" in out
    shown = json.loads(ipwatch("changes", "show", change, "--format", "json").stdout)
    assert shown["note"]["text"] == "第139条新增比例原则抗辩。"
    assert shown["meta"]["act_date"] == "2021-08-30" and shown["digest"]
    text_file = tmp_path / "note.txt"
    text_file.write_bytes(b"\xff\xfe bad")
    bad = CliRunner().invoke(app, ["changes", "note", change, "--file", str(text_file), "--by", "张三"])
    assert "读不了解读文件" in str(bad.exception)
