"""Checks of the bundled guide content: parts, official links, review dates, sources, relies
markers, the service bodies directory and the comparison data. Each check is also shown to
catch a bad example, so none of them passes vacuously."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from crawlers.registry import load_registry
from kb.core.choices import LAW_RIGHTS, codes
from kb.core.errors import ValidationError
from kb.guides import FOLDERS, REQUIRED_PARTS, article_key, load_guides, parse_guide
from kb.guides import lint
from kb.guides.comparison import load_comparison
from kb.guides.domains import is_official, load_domains
from kb.guides.services import bodies_for, load_service_bodies

GUIDES = load_guides()


def test_every_jurisdiction_has_the_four_parts():
    assert lint.missing_parts(GUIDES) == []
    assert {g.jurisdiction for g in GUIDES} == set(FOLDERS.values())
    without_us = [g for g in GUIDES if not (g.jurisdiction == "US" and g.part == "practice")]
    assert lint.missing_parts(without_us) == ["us/：缺少「practice」部分（practice.md）"]


def test_every_link_is_on_an_official_domain_of_its_jurisdiction():
    assert lint.unofficial_links(GUIDES) == []
    assert sum(len(g.links) for g in GUIDES) > 400


def test_allow_list_is_per_jurisdiction():
    assert is_official("https://www.gesetze-im-internet.de/patg/__139.html", "DE")
    assert is_official("https://eur-lex.europa.eu/eli/reg/2013/608/oj", "DE")  # DE includes EU
    assert is_official("https://www.wipo.int/pct/en/", "JP")  # global
    assert not is_official("https://www.gesetze-im-internet.de/patg/__139.html", "US")
    assert not is_official("https://uspto.gov.example.com/", "US")
    assert not is_official("javascript:alert(1)", "US")
    assert set(load_domains()) == set(FOLDERS.values())


def test_unofficial_link_is_reported_with_file_and_line(tmp_path):
    text = (Path(GUIDES[0].path)).read_text(encoding="utf-8")
    bad = tmp_path / GUIDES[0].code / GUIDES[0].path.name
    bad.parent.mkdir()
    bad.write_text(text.replace("https://uscode.house.gov/", "https://www.example-law-firm.com/", 1), encoding="utf-8")
    problems = lint.unofficial_links([parse_guide(bad)])
    assert len(problems) == 1 and str(bad) in problems[0] and "example-law-firm" in problems[0]


def test_reviewed_dates_are_recent():
    assert lint.stale_reviews(GUIDES) == []
    assert {g.reviewed for g in GUIDES} <= {date(2026, 11, 28), date(2026, 12, 2)}
    late = GUIDES[0].reviewed + timedelta(days=400)
    assert len(lint.stale_reviews(GUIDES, today=late)) == len(GUIDES)


def test_no_section_without_a_source_link():
    assert lint.unsourced_sections(GUIDES) == []
    section = GUIDES[0].sections[1]
    section.links, saved = [], section.links
    try:
        assert lint.unsourced_sections(GUIDES) == [
            f"{GUIDES[0].path}第{section.line}行「{section.heading}」：本节没有任何官方来源链接"
        ]
    finally:
        section.links = saved


def test_front_matter_is_valid_everywhere():
    for guide in GUIDES:
        assert guide.title and guide.rights
        assert set(guide.rights) <= set(codes(LAW_RIGHTS))
        assert guide.part in REQUIRED_PARTS + ("overview",)


def test_relies_markers_name_registry_sources():
    source_ids = {s.id for s in load_registry()}
    assert lint.unknown_relies(GUIDES, source_ids) == []
    relied = {(s, article_key(a)) for g in GUIDES for sec in g.sections for s, a in sec.relies}
    assert ("de-patg", "§139") in relied and len(relied) >= 10
    assert len(lint.unknown_relies(GUIDES, source_ids - {"de-patg"})) >= 5


def test_service_bodies_directory():
    bodies = load_service_bodies()
    assert {b.jurisdiction for b in bodies} >= set(FOLDERS.values()) - {"INTL"} | {"CN"}
    us = bodies_for("US", bodies)
    assert us[0].jurisdiction == "US" and us[-1].jurisdiction == "CN"
    assert any("国家海外知识产权纠纷应对指导中心" in b.name for b in us)


def test_service_bodies_reject_unofficial_or_unknown(tmp_path):
    path = tmp_path / "bodies.yaml"
    path.write_text(
        "bodies:\n"
        "- {name: 某律所, jurisdiction: US, kind: office, url: 'https://www.some-firm.com/'}\n"
        "- {name: 某机构, jurisdiction: XX, kind: nope}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        load_service_bodies(path)
    assert [(e.field, e.row) for e in info.value.errors] == [("url", 1), ("jurisdiction", 2), ("kind", 2)]


def test_comparison_facts_are_sourced():
    topics = load_comparison()
    ids = [t.id for t in topics]
    for wanted in ("patent_term", "trademark_opposition", "utility_model", "customs", "response_deadline"):
        assert wanted in ids
    assert all(t.facts for t in topics)


def test_comparison_rejects_unsourced_or_foreign_source(tmp_path):
    path = tmp_path / "cmp.yaml"
    path.write_text(
        "topics:\n- id: t\n  title: T\n  facts:\n"
        "  - {jurisdiction: DE, value: x, cite: y, source: 'https://uscode.house.gov/'}\n"
        "  - {jurisdiction: US, value: x, cite: y}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        load_comparison(path)
    assert [e.field for e in info.value.errors] == ["topics[t].facts[1].source", "topics[t].facts[2].source"]


def test_links_between_guides_must_reach_a_page_and_anchor():
    de = next(g for g in GUIDES if g.page == "guides/de/practice.md")
    assert any(link.startswith("../eu/practice.md#") for link in de.links)
    section = de.sections[1]
    saved = section.links
    section.links = saved + ["../eu/nowhere.md", "../eu/practice.md#no-such-anchor", "services.md"]
    try:
        problems = lint.unofficial_links(GUIDES)
    finally:
        section.links = saved
    assert len(problems) == 2
    assert "不存在的指南页面：../eu/nowhere.md" in problems[0]
    assert "锚点不存在：../eu/practice.md#no-such-anchor" in problems[1]


def test_links_between_guides_are_not_sources():
    section = GUIDES[0].sections[1]
    saved = section.links
    section.links = ["../eu/laws.md"]
    try:
        assert len(lint.unsourced_sections(GUIDES)) == 1
    finally:
        section.links = saved
