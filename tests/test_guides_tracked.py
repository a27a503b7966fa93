"""Issue 14, item 3: every law a guide cites by article is tracked by the crawler's registry,
so a change of it flags the paragraph. ``law_key`` reduces official URLs to their law; the
check names each untracked law with the citation, file and line."""
from __future__ import annotations

import shutil

import pytest

from crawlers.registry import load_registry
from ipwatch.guidecheck import untracked_goals, untracked_laws
from kb.guides import GUIDES_ROOT, load_guides, parse_guide
from kb.guides.laws_cited import is_tracked, law_key


@pytest.mark.parametrize("url,key", [
    ("https://www.gesetze-im-internet.de/zpo/__276.html", "de:zpo"),
    ("https://www.gesetze-im-internet.de/zpo/BJNR005330950.html", "de:zpo"),
    ("https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title35-section271&num=0&edition=prelim", "usc:35§271"),
    ("https://uscode.house.gov/view.xhtml?path=/prelim@title15/chapter22&edition=prelim", "usc:15"),
    ("https://www.ecfr.gov/current/title-37/section-1.16", "cfr:37/1"),
    ("https://www.ecfr.gov/current/title-19/part-133", "cfr:19/133"),
    ("https://laws.e-gov.go.jp/law/334AC0000000121#Mp-At_107", "jp:334AC0000000121"),
    ("https://laws.e-gov.go.jp/api/1/lawdata/334AC0000000121", "jp:334AC0000000121"),
    ("https://www.law.go.kr/법령/특허법/제128조", "kr:특허법"),
    ("https://www.law.go.kr/%EB%B2%95%EB%A0%B9/%ED%8A%B9%ED%97%88%EB%B2%95", "kr:특허법"),
    ("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32017R1001#art_9", "eu:reg2017/1001"),
    ("https://eur-lex.europa.eu/eli/reg/2017/1001/oj", "eu:reg2017/1001"),
    ("https://www.legislation.gov.uk/ukpga/1977/37/section/60", "uk:ukpga/1977/37"),
    ("https://www.legislation.gov.uk/ukpga/Geo6/12-13-14/88", "uk:ukpga/Geo6/12-13-14/88"),
    ("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006279566", "fr:LEGITEXT000006069414"),
    ("https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070716/", "fr:LEGITEXT000006070716"),
    ("http://pravo.gov.ru/proxy/ips/?docbody=&nd=102110716", "ru:102110716"),
    ("https://www.inpi.fr/", None),
])
def test_law_key_reduces_an_official_url_to_its_law(url, key):
    assert law_key(url) == key


def test_a_tracked_title_covers_its_sections_but_one_tracked_section_does_not_cover_others():
    tracked = {"usc:35", "usc:19§1337"}
    assert is_tracked("usc:35§271", tracked) and is_tracked("usc:19§1337", tracked)
    assert not is_tracked("usc:19§1526", tracked)


def test_every_law_the_guides_cite_by_article_is_tracked():
    assert [f"{u.guide.path}:{u.line} {u.text} {u.law}" for u in untracked_laws(load_guides())] == []


def test_an_untracked_law_is_named_with_file_line_and_citation(tmp_path):
    root = tmp_path / "guides"
    shutil.copytree(GUIDES_ROOT / "de", root / "de")
    path = root / "de" / "practice.md"
    text = path.read_text("utf-8")
    path.write_text(text + "\n## 新增\n\n见 [HGB § 377](https://www.gesetze-im-internet.de/hgb/__377.html)。\n", "utf-8")
    guide = parse_guide(path)
    before = {h.law for h in untracked_laws([parse_guide(GUIDES_ROOT / "de" / "practice.md")])}
    hits = [h for h in untracked_laws([guide]) if h.law not in before]
    assert [(h.law, h.text, h.line) for h in hits] == [("de:hgb", "HGB § 377", len(text.splitlines()) + 4)]
    (goal,) = untracked_goals(hits)
    assert goal.startswith("DE：引用了 1 部") and "HGB § 377〔de:hgb〕" in goal
    # the same page with the registry lacking the ZPO: its citations are named too
    without_zpo = [s for s in load_registry() if s.id != "de-zpo"]
    assert {h.law for h in untracked_laws([guide], without_zpo)} - before == {"de:hgb", "de:zpo"}


# Written for the test in the typography of the sources (Ministry of Justice CPR page, e-Gov
# text, eCFR part page): abridged, not a source of law.
CPR_63 = """PART 63 – INTELLECTUAL PROPERTY CLAIMS

Scope of this Section

63.17

This Part, as modified by this Section, applies to claims in the Intellectual Property Enterprise Court.

63.17A

(1) In proceedings in the Intellectual Property Enterprise Court a claim for damages shall not exceed £500,000.

63.18

(1) Rule 30.2 applies to the transfer of proceedings.
"""
KANZEI = """関税法

第六十九条の十一　次に掲げる貨物は、輸入してはならない。

第六十九条の十二　税関長は、この章に定める貨物があると思料するときは、認定手続を執らなければならない。

第六十九条の十三　特許権者等は、輸入差止申立てをすることができる。
"""
CFR_210 = """PART 210—ADJUDICATION AND ENFORCEMENT

§ 210.12 The complaint.

(a) Contents of the complaint.

§ 210.13 The response.

(a) Time for response. Each respondent shall respond to each allegation within 20 days after service.

§ 210.14 Amendments to pleadings.

(a) Complaint.
"""


@pytest.mark.parametrize("source_id, old, old_words, new_words, article, guide", [
    ("gb-cpr-part63", CPR_63, "£500,000", "£750,000", "63.17A", "gb/institutions.md"),
    ("jp-kanzei", KANZEI, "認定手続を執らなければならない", "認定手続を執る", "第69条の12", "jp/practice.md"),
    ("us-19cfr210", CFR_210, "within 20 days", "within 30 days", "§ 210.13", "us/practice.md"),
])
def test_a_change_of_a_newly_tracked_law_flags_the_guide_paragraph_stating_its_rule(
        store, source_id, old, old_words, new_words, article, guide):
    """The registry's numbering style splits the law as the guides' markers name its rules, so
    an amended rule (the CPR's IPEC cap, the 関税法 認定手続, the 337 response period) flags the
    paragraph that states it — and only rules that changed."""
    from kb.guides.stale import stale_paragraphs
    from tests.lawdata_articles import record_comparison

    source = {s.id: s for s in load_registry()}[source_id]
    record_comparison(store, source, old, old.replace(old_words, new_words), "2099-01-01T08:00:00+00:00")
    hits = [h for h in stale_paragraphs(load_guides(), store) if h.relies.startswith(f"{source_id}:")]
    assert hits and {h.relies for h in hits} == {f"{source_id}:{article}"}
    assert guide in {h.file for h in hits}
    assert all(h.law == source.title_zh for h in hits)
