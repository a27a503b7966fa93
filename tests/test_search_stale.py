"""Stale flags: a change to a relied-on article after the review date marks the paragraph."""
from __future__ import annotations

from datetime import date

import markdown
import pytest

from crawlers.articles import zh_label
from kb.core.settings import SettingsError
from kb.guides import load_guides
from kb.guides.stale import check_guides, mark_stale, stale_paragraphs
from search_helpers import add_change, guides_root, store  # noqa: F401 (fixtures)


def test_change_after_review_to_relied_article_is_stale(store, guides_root):
    # de/laws.md reviewed 2025-06-01 relies on de-patg:§ 139; the crawler writes "§139"
    before = add_change(store, "de-patg", ["§139"], when="2025-05-01T00:00:00+00:00")
    after = add_change(store, "de-patg", ["§139", "§ 140"], when="2025-09-01T08:00:00+00:00")
    add_change(store, "de-patg", ["§ 13"], when="2025-10-01T00:00:00+00:00")  # other article
    hits = stale_paragraphs(load_guides(guides_root), store)
    assert [(h.file, h.relies, h.change_id, h.change) for h in hits] == [
        ("de/laws.md", "de-patg:§ 139", after, "modified")
    ]
    assert hits[0].page == "guides/de/laws.md#专利法" and "停止侵害" in hits[0].excerpt
    assert before not in [h.change_id for h in hits]


def test_reviewing_again_clears_the_flag(store, guides_root):
    add_change(store, "us-35usc", ["§ 271"], when="2026-03-01T00:00:00+00:00")
    assert len(stale_paragraphs(load_guides(guides_root), store)) == 1
    path = guides_root / "us" / "laws.md"
    path.write_text(path.read_text("utf-8").replace("2026-01-15", "2026-03-02"), "utf-8")
    assert stale_paragraphs(load_guides(guides_root), store) == []


def test_removed_page_marks_every_paragraph_relying_on_it(store, guides_root):
    add_change(store, "us-35usc", [], when="2026-03-01T00:00:00+00:00", kind="removed")
    hits = stale_paragraphs(load_guides(guides_root), store)
    assert [(h.file, h.change) for h in hits] == [("us/laws.md", "removed")]


def test_check_lists_overdue_guides(store, guides_root):
    report = check_guides(load_guides(guides_root), store, today=date(2026, 11, 28))
    assert report["stale"] == []
    assert {g["file"] for g in report["overdue"]} == {
        "de/laws.md", "de/institutions.md", "de/practice.md", "de/services.md"
    }


def test_review_interval_is_one_setting_read_by_check_and_lint(store, guides_root, tmp_path):
    from kb.core.settings import DEFAULTS, load_settings
    from kb.guides import lint

    guides = load_guides(guides_root)
    assert DEFAULTS["guides"]["review_interval_days"] == 365
    # the DE guides (reviewed 2025-06-01) are 180 days old on 2025-11-28
    day = date(2025, 11, 28)
    assert check_guides(guides, store, today=day)["overdue"] == []
    assert [p for p in lint.stale_reviews(guides, today=day) if "复核周期" in p] == []
    config = tmp_path / "ipwatch.toml"
    config.write_text("[guides]\nreview_interval_days = 90\n", encoding="utf-8")
    days = load_settings(config)["guides"]["review_interval_days"]
    overdue = check_guides(guides, store, today=day, interval_days=days)["overdue"]
    assert {g["file"] for g in overdue} == {"de/laws.md", "de/institutions.md", "de/practice.md", "de/services.md"}
    flagged = [p for p in lint.stale_reviews(guides, today=day, interval_days=days) if "复核周期" in p]
    assert len(flagged) == 4 and all("复核周期（90 天）" in p for p in flagged)
    config.write_text("[guides]\nreview_interval_days = 0\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="guides.review_interval_days"):
        load_settings(config)


def test_marked_body_renders_a_review_box(store, guides_root):
    changed = add_change(store, "de-patg", ["§ 139"], when="2025-09-01T00:00:00+00:00")
    guides = load_guides(guides_root)
    guide = next(g for g in guides if g.path.name == "laws.md" and g.jurisdiction == "DE")
    body = mark_stale(guide, stale_paragraphs(guides, store), zh_label)
    html = markdown.markdown(body, extensions=["md_in_html"])
    box = html[html.index('<div class="ipw-stale">'):]
    box = box[: box.index("</div>")]
    # the law and the article in Chinese, a link to the change, no internal id
    assert "待复核" in box and "所依据的Patentgesetz第139条于 2025-09-01 发现修改" in box
    assert f'href="../../changes/de.md#change-{changed}"' in box and "de-patg:" not in box
    assert "<p>权利人可请求停止侵害（Unterlassung）。</p>" in box
    assert "第 139 条规定专利侵权" not in box  # the paragraph above is not marked
    other = next(g for g in guides if g.path.name == "laws.md" and g.jurisdiction == "US")
    assert mark_stale(other, stale_paragraphs(guides, store)) == other.body
