"""Guides wired to tracked laws outside Germany: stale flags from real change records, the
public flag naming the law and article in Chinese with a link, marker checks against the
registry and the splitter, and a reviewer clearing a flag without editing the file."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import markdown
import pytest
from typer.testing import CliRunner

import kb.guides
from crawlers.articles import zh_label
from crawlers.registry import load_registry
from ipwatch.cli import app
from ipwatch.guidecheck import crawled_problems, relies_problems
from kb.core.errors import IpwatchError
from kb.guides import load_guides
from kb.guides.stale import mark_reviewed, mark_stale, relying_paragraphs, stale_paragraphs
from tests.lawdata_articles import fixture, record_comparison

GUIDES = Path(__file__).parent / "data" / "guides_relies"
# registry source → the law-text fixture that amends it
AMENDED = {"fr-cpi": "fr_code", "jp-tokkyo": "ja_jo", "kr-patent-act": "ko_jo", "us-35usc": "us_section"}


@pytest.fixture
def guides_root(tmp_path) -> Path:
    root = tmp_path / "guides"
    shutil.copytree(GUIDES, root)
    return root


@pytest.fixture
def changed(store) -> dict[str, int]:
    registry = {s.id: s for s in load_registry()}
    return {sid: record_comparison(store, registry[sid], *fixture(style), "2026-11-30T08:00:00+00:00")
            for sid, style in AMENDED.items()}


def test_changes_flag_paragraphs_in_four_non_german_guides(store, guides_root, changed):
    hits = stale_paragraphs(load_guides(guides_root), store)
    assert sorted((h.file, h.relies, h.change_id) for h in hits) == sorted([
        ("fr/laws.md", "fr-cpi:R613-1", changed["fr-cpi"]),
        ("jp/laws.md", "jp-tokkyo:第196条", changed["jp-tokkyo"]),
        ("kr/laws.md", "kr-patent-act:제128조", changed["kr-patent-act"]),
        ("us/laws.md", "us-35usc:§ 271", changed["us-35usc"]),
    ])  # fr L613-4 changed only editorially: no flag


def test_public_flag_names_law_and_article_in_chinese_and_links_the_change(store, guides_root, changed):
    guides = load_guides(guides_root)
    japan = next(g for g in guides if g.code == "jp")
    html = markdown.markdown(mark_stale(japan, stale_paragraphs(guides, store), zh_label),
                             extensions=["md_in_html"])
    assert "所依据的日本《专利法》第196条于 2026-11-30 发现修改" in html
    assert f'href="../../changes/jp.md#change-{changed["jp-tokkyo"]}"' in html
    box = html[html.index('<div class="ipw-stale">'):]
    assert "jp-tokkyo:" not in box[: box.index("</div>")]  # (the page strips relies comments)
    korea = next(g for g in guides if g.code == "kr")
    html = markdown.markdown(mark_stale(korea, stale_paragraphs(guides, store), zh_label),
                             extensions=["md_in_html"])
    assert "韩国《专利法》第128条" in html


def test_change_page_lists_the_relying_paragraphs(guides_root):
    found = relying_paragraphs(load_guides(guides_root), "jp-tokkyo", ["第196条", "第197条"])
    assert [(f["page"], f["article"]) for f in found] == [("guides/jp/laws.md#专利法", "第196条")]


def test_markers_are_checked_against_registry_splitter_and_the_crawled_text(store, guides_root, changed):
    path = guides_root / "jp" / "laws.md"
    text = path.read_text("utf-8").replace("jp-tokkyo:第20条", "jp-tokkyo:第百九十六条")
    path.write_text(text.replace("## 专利法", "## 专利法\n\n<!-- relies: jp-nosuch:第1条 -->\n未知来源的测试段落。"), "utf-8")
    guides = load_guides(guides_root)
    problems = "\n".join(relies_problems(guides) + crawled_problems(store, guides))
    assert "relies jp-nosuch:第1条：来源登记中没有来源「jp-nosuch」" in problems
    assert "relies jp-tokkyo:第百九十六条：条文拆分（ja_jo）不会产生此条文号" in problems
    # a well-formed id that the crawled text of the source does not contain
    assert "relies us-35usc:§ 101：该来源最近一次抓取的文本中没有此条文" in problems
    for good in ("jp-tokkyo:第196条", "kr-patent-act:제128조", "fr-cpi:R613-1"):
        assert f"relies {good}：" not in problems


def test_reviewer_clears_one_flag_and_a_later_change_raises_it_again(store, guides_root, changed):
    guides = load_guides(guides_root)
    line = next(h.line for h in stale_paragraphs(guides, store) if h.file == "jp/laws.md")
    with pytest.raises(IpwatchError, match="--by"):
        mark_reviewed(store, guides, f"jp/laws.md:{line}", "", date(2026, 12, 1))
    cleared = mark_reviewed(store, guides, f"jp/laws.md:{line}", "张三", date(2026, 12, 1))
    assert [h.change_id for h in cleared] == [changed["jp-tokkyo"]]
    assert "jp/laws.md" not in {h.file for h in stale_paragraphs(guides, store)}
    row = store.conn.execute("SELECT reviewer, reviewed_on FROM guide_reviews").fetchone()
    assert tuple(row) == ("张三", "2026-12-01")
    new, old = fixture("ja_jo")  # the law changes back: flagged again
    record_comparison(store, next(s for s in load_registry() if s.id == "jp-tokkyo"), old, new,
                      "2026-12-02T08:00:00+00:00")
    assert "jp/laws.md" in {h.file for h in stale_paragraphs(guides, store)}


def test_guides_reviewed_command(store, guides_root, changed, monkeypatch):
    monkeypatch.setattr(kb.guides, "GUIDES_ROOT", guides_root)
    line = next(h.line for h in stale_paragraphs(load_guides(guides_root), store) if h.file == "kr/laws.md")
    result = CliRunner().invoke(app, ["guides", "reviewed", f"kr/laws.md:{line}", "--by", "李四",
                                      "--on", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "韩国《专利法》第128条" in result.output and "李四" in result.output
    again = CliRunner().invoke(app, ["guides", "reviewed", f"kr/laws.md:{line}", "--by", "李四"])
    assert "没有待复核的段落" in str(again.exception)  # the entry point prints it, exit 1
    report = CliRunner().invoke(app, ["guides", "check", "--format", "json"])
    assert report.exit_code == 0 and '"relies_problems"' in report.output


CHANGES = Path(__file__).parent / "data" / "guide_changes"


def test_real_guides_outside_germany_are_flagged(store):
    """The bundled guides (their relies markers are written with the guides): a real French
    amendment (CPI L712-4, ordonnance 2008-1301), a Japanese 第102条 change and the Korean
    제128조 fixture flag paragraphs in three non-German guides, each naming the law in Chinese."""
    registry = {s.id: s for s in load_registry()}
    amendments = {
        "fr-cpi": ((CHANGES / "fr_cpi_l712_old.md").read_text("utf-8"), (CHANGES / "fr_cpi_l712_new.md").read_text("utf-8")),
        "jp-tokkyo": ((CHANGES / "jp_tokkyo_102_old.txt").read_text("utf-8"), (CHANGES / "jp_tokkyo_102_new.txt").read_text("utf-8")),
        "kr-patent-act": fixture("ko_jo"),
    }
    for source_id, (old, new) in amendments.items():
        record_comparison(store, registry[source_id], old, new, "2099-01-01T08:00:00+00:00")
    hits = stale_paragraphs(load_guides(), store)
    flagged = {h.jurisdiction for h in hits}
    assert {"FR", "JP", "KR"} <= flagged
    relies = {h.relies.split(":", 1)[1] for h in hits}
    assert {"L712-4", "第102条", "제128조"} <= relies
    assert {h.law for h in hits} >= {"法国《知识产权法典》", "日本《专利法》", "韩国《专利法》"}
