"""The demo end to end, through the installed command, then the commands on its data."""
import json
import os
import re
import subprocess
import sys

import pytest

from ipwatch.sitebuild import PUBLISHED_SUFFIXES

CONTRACT = {"source_id", "url", "detected_at", "kind", "articles", "summary"}


def ipwatch(*args, env=None):
    return subprocess.run([sys.executable, "-m", "ipwatch", *args], capture_output=True,
                          text=True, timeout=600, env=env)


def test_demo_builds_a_site_showing_the_law_changes(data_dir, tmp_path):
    out = tmp_path / "site"
    result = ipwatch("demo", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout and "ipwatch site serve" in result.stdout

    home = (out / "index.html").read_text("utf-8")
    for law in ("德国《专利法》", "德国《实用新型法》"):
        assert law in home
    # the demo's MarkenG change is an editorial repair: on the change pages, not on the home page
    assert "德国《商标法》" not in home
    assert "德国《商标法》" in (out / "changes" / "de.html").read_text("utf-8")
    assert "德国《外观设计法》" not in home  # unchanged between the two states
    assert "示例数据" in home  # the report is built from sample data and says so
    # issue 13: every change says its amending act and dates, a digest, and 待解读
    de = (out / "changes" / "de.html").read_text("utf-8")
    assert de.count("修改依据：") == 3 and de.count("施行日期：") == 3 and de.count("待解读") >= 3
    assert "修改依据：Art. 1 G v. 30.8.2021 I 4074 (Nr. 62)" in de and "自动摘要" in de

    assert not (data_dir / "ipwatch.sqlite3").exists()  # the official data folder is untouched
    demo_env = {**os.environ, "IPWATCH_DATA": str(data_dir / "demo")}
    changes = json.loads(ipwatch("changes", "--format", "json", env=demo_env).stdout)
    assert len(changes) == 3
    for change in changes:
        assert CONTRACT <= set(change)
        assert change["kind"] == "modified"
        assert change["url"].startswith("https://www.gesetze-im-internet.de/")

    reports = list((out / "reports").glob("*.html"))
    assert any("示例数据" in p.read_text("utf-8") for p in reports)
    published = {p.suffix for p in out.rglob("*") if p.is_file()}
    assert published <= PUBLISHED_SUFFIXES
    # no external resource: every src/href to another host is a plain link, never a script/style/font
    for page in out.rglob("*.html"):
        text = page.read_text("utf-8")
        assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', text), page


def test_demo_never_writes_the_real_store(data_dir, tmp_path, monkeypatch):
    """Without IPWATCH_DATA the demo uses its own folder, not the configured data folder."""
    real = tmp_path / "real"
    config = tmp_path / "ipwatch.toml"
    config.write_text(f'[data]\nfolder = "{real}"\n', encoding="utf-8")
    monkeypatch.delenv("IPWATCH_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    result = ipwatch("--config", str(config), "demo", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert not real.exists()
    assert (tmp_path / "home" / ".local" / "share" / "ipwatch-demo" / "ipwatch.sqlite3").exists()


def test_demo_keeps_out_of_an_official_record(data_dir, tmp_path, settings):
    """IPWATCH_DATA pointing at the official record: the demo works in its sub-folder ``demo``,
    and refuses a folder there that it did not make; sample data cannot enter the record."""
    from typer.testing import CliRunner

    from alerts.report import build_report
    from alerts.sample import load_sample
    from ipwatch.cli import app
    from ipwatch.pages.reports import report_rows
    from ipwatch.demo import demo_settings
    from kb.core.errors import IpwatchError
    from kb.core.store import open_store

    foreign = data_dir / "demo"
    foreign.mkdir(parents=True)
    (foreign / "notes.txt").write_text("staff notes", encoding="utf-8")
    with pytest.raises(IpwatchError, match="不会清空"):
        demo_settings(settings)
    assert (foreign / "notes.txt").read_text("utf-8") == "staff notes"

    runner = CliRunner()
    for args in (["disputes", "sample"], ["report", "build", "--period", "2026Q3", "--sample"]):
        result = runner.invoke(app, args)
        assert result.exit_code != 0 and "只能在演示数据目录中使用" in str(result.exception), args
    # a sample report already in an official store (as left by an older version) is not published
    with open_store(settings) as store:
        load_sample(store, 600)
        build_report(settings, store, "2026Q3", sample=True)
        assert [r["is_sample"] for r in report_rows(store)] == [1]
        assert report_rows(store, settings) == []
