"""`ipwatch search`, `search reindex`, `related` and `guides check` over the bundled guides."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from typer.testing import CliRunner

from ipwatch.cli import app
from search_helpers import add_change, store  # noqa: F401 (fixtures)

runner = CliRunner()


def run_json(*args):
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_and_reindex(store):
    stats = run_json("search", "reindex")
    assert stats["added"] > 100 and stats["deleted"] == 0
    # options may come before the query
    hits = run_json("search", "--jurisdiction", "US", "337调查")
    assert hits and {h["jurisdiction"] for h in hits} == {"US"}
    assert hits[0]["url"].startswith("guides/us/") and "【" in hits[0]["snippet"]
    again = run_json("search", "reindex")
    assert again["added"] == again["updated"] == again["deleted"] == 0
    table = runner.invoke(app, ["search", "展会临时禁令", "--jurisdiction", "DE", "--part", "实务指引"])
    assert table.exit_code == 0 and "guides/de/practice.html#" in table.stdout


def test_related_accepts_chinese_labels(store):
    out = run_json("related", "--jurisdiction", "美国", "--right", "发明专利", "--dispute", "侵权纠纷")
    assert out["sections"] and all(s["url"].startswith("guides/us/") for s in out["sections"])
    names = [b["title"] for b in out["bodies"]]
    assert "国家海外知识产权纠纷应对指导中心" in names and names[0].startswith("美国")


def test_guides_check_lists_stale_paragraphs(store):
    # kb/guides/de/laws.md relies on de-patg:§ 139; a later change of § 139 makes it stale
    change = add_change(store, "de-patg", ["§139"], when="2099-01-01T00:00:00+00:00")
    report = run_json("guides", "check")
    hits = [h for h in report["stale"] if h["change_id"] == change]
    assert "de/laws.md" in {h["file"] for h in hits}
    assert {h["relies"] for h in hits} == {"de-patg:§ 139"}
    assert all(h["jurisdiction"] == "DE" for h in hits)


def test_unknown_right_is_one_line_error(settings):
    result = subprocess.run(
        [sys.executable, "-m", "ipwatch", "search", "专利", "--right", "nonsense"],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("错误：参数「right」") and "Traceback" not in result.stderr


def test_search_help_shows_the_query_options():
    result = runner.invoke(app, ["search", "--help"])
    assert result.exit_code == 0
    for option in ("--jurisdiction", "--right", "--part", "--limit", "--format", "reindex"):
        assert option in result.stdout


def test_jurisdiction_names_and_aliases(store):
    for name, code in (("英国", "GB"), ("UK", "GB"), ("gb", "GB"), ("国际", "INTL"), ("INT", "INTL")):
        hits = run_json("search", "海关", "--jurisdiction", name) if code != "INTL" else \
            run_json("search", "仲裁", "--jurisdiction", name)
        assert hits and {h["jurisdiction"] for h in hits} == {code}, name


def test_unknown_codes_are_errors_listing_the_valid_ones(settings):
    for option, value, listed in (("--jurisdiction", "XX", "INTL"), ("--part", "nope", "practice"),
                                  ("--right", "nope", "trademark")):
        result = subprocess.run([sys.executable, "-m", "ipwatch", "search", "专利", option, value],
                                capture_output=True, text=True)
        assert result.returncode == 1 and value in result.stderr and listed in result.stderr
        assert "Traceback" not in result.stderr


def test_piped_output_is_not_wrapped_and_partial_matches_are_announced(settings):
    result = subprocess.run(
        [sys.executable, "-m", "ipwatch", "search", "德国", "警告函", "乌托邦", "--limit", "3"],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "40"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("注意：") and "乌托邦" in lines[0]
    assert lines[1].startswith("1. [DE · 实务指引]") and "警告函" in lines[1]
    urls = [line.strip() for line in lines if line.strip().startswith("guides/")]
    assert len(urls) == 3 and all("#" in url for url in urls)  # a URL never broken across lines
    assert max(len(line) for line in lines) > 40  # long lines kept whole
