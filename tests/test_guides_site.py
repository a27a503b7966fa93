"""The 国别指南 pages through a real MkDocs build: index, per-jurisdiction and per-part pages,
comparison tables, nav, anchors that match kb.guides slugs, no relies comments leaked."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipwatch import sitebuild
from ipwatch.pages import guides as guide_pages
from kb.guides import FOLDERS, load_guides
from kb.guides.comparison import load_comparison
from kb.core.settings import load_settings
from kb.core.store import Store


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("guides-site")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPWATCH_DATA", str(base / "data"))
        mp.delenv("IPWATCH_CONFIG", raising=False)
        settings = load_settings()
        with Store(settings.store_path) as store:
            return sitebuild.build_site(settings, store, base / "site")


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_every_jurisdiction_and_part_is_a_page(site):
    for code in FOLDERS:
        for stem in ("index", "laws", "institutions", "practice", "services"):
            assert (site / "guides" / code / f"{stem}.html").is_file(), (code, stem)
    index = read(site, "guides/index.html")
    for label in ("美国", "欧盟", "德国", "土耳其", "澳大利亚", "国际途径"):
        assert label in index
    assert 'href="compare.html"' in index


def test_nav_has_the_guides_section(site):
    home = read(site, "index.html")
    assert "国别指南" in home and "guides/us/practice.html" in home


def test_section_anchors_match_the_loader_slugs(site):
    guides = load_guides()
    for guide in guides:
        html = read(site, guide.page[:-3] + ".html")
        for section in guide.sections:
            if section.slug:
                assert f'id="{section.slug}"' in html, section.anchor


def test_anchor_check_fails_on_a_missing_anchor(site, tmp_path):
    copy = tmp_path / "out"
    guide = load_guides()[0]
    page = copy / (guide.page[:-3] + ".html")
    for g in load_guides():
        target = copy / (g.page[:-3] + ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(read(site, g.page[:-3] + ".html"), encoding="utf-8")
    slug = guide.sections[1].slug
    page.write_text(page.read_text(encoding="utf-8").replace(f'id="{slug}"', 'id="gone"'), encoding="utf-8")

    class Ctx:
        out = copy

    with pytest.raises(sitebuild.BuildError, match=re.escape(slug)):
        guide_pages.guide_anchors(Ctx())


def test_relies_comments_do_not_reach_the_site(site):
    for code in FOLDERS:
        for stem in ("laws", "institutions", "practice"):
            assert "relies:" not in read(site, f"guides/{code}/{stem}.html")


def test_practice_page_leads_to_its_deadlines(site):
    html = read(site, "guides/us/practice.html")
    assert "先看：不可错过的期限" in html and "FRCP 12(a)" in html and "337" in html


def test_services_page_lists_the_directory(site):
    html = read(site, "guides/de/services.html")
    assert "服务机构名录" in html and "https://www.dpma.de/" in html
    assert "国家海外知识产权纠纷应对指导中心" in html and "https://www.ccpit.org/" in html


def test_comparison_tables_come_from_the_data(site):
    html = read(site, "guides/compare.html")
    topics = load_comparison()
    for topic in topics:
        assert topic.title in html
    rows = sum(len(t.facts) for t in topics)
    assert html.count("<tr>") == rows + len(topics)  # one header row per table
    assert "https://www.gesetze-im-internet.de/patg/__59.html" in html


def test_jurisdiction_page_has_parts_sections_and_key_facts(site):
    html = read(site, "guides/de/index.html")
    assert "要点速览" in html and "PatG § 16" in html
    assert 'href="practice.html#' in html


def test_laws_page_lists_the_tracked_sources(site):
    html = read(site, "guides/de/laws.html")
    assert "系统跟踪的法律文本" in html and "德国《专利法》" in html
    assert "https://www.gesetze-im-internet.de/patg/BJNR201170936.html" in html
    assert 'href="../../changes/index.html"' in html


def test_build_refuses_guides_with_unofficial_links():
    guides = load_guides()
    section = guides[0].sections[1]
    section.links = section.links + ["https://www.some-law-firm.example/"]
    with pytest.raises(sitebuild.BuildError, match="some-law-firm"):
        guide_pages.check_content(guides)


def test_public_guide_pages_carry_no_repository_paths_or_staff_notes(site):
    pages = sorted((site / "guides").rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"kb/guides|crawlers/|\.yaml\b|工作人员可", text), page


def test_de_practice_page_states_the_one_month_defence_notice(site):
    html = read(site, "guides/de/practice.html")
    assert "起诉状须在国外送达的（如送达到中国），表明应诉的期间为一个月" in html
    assert "https://www.gesetze-im-internet.de/zpo/__276.html" in html
    assert "统一专利法院" in html


def test_build_refuses_staff_notes_and_bad_relies_markers():
    guides = load_guides()
    paragraph = guides[0].sections[1].paragraphs[0]
    paragraph.text += "本局工作人员可在 kb/guides/service_bodies.yaml 中补充。\n"
    with pytest.raises(sitebuild.BuildError, match="内部路径"):
        guide_pages.check_content(guides)
    guides = load_guides()
    guides[0].sections[1].paragraphs[0].relies = [("us-35usc", "Article 271")]
    with pytest.raises(sitebuild.BuildError, match="不会产生此条文号"):
        guide_pages.check_content(guides)
