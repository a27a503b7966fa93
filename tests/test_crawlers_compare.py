"""Article-level comparison: which articles changed, redlines, editorial vs substantive, guard."""
from __future__ import annotations

import pytest

from crawlers.compare import compare_texts, redline
from tests.lawdata_articles import (
    GERMAN_CASES, division_heading_changes, fixture, german_case, ground_truth, keys,
)

MARKENG = {"id": "de-markeng", "jurisdiction": "DE", "title": "Markengesetz (MarkenG)",
           "title_zh": "德国《商标法》", "rights": ["trademark", "geographical_indication"],
           "language": "de", "numbering": "de_paragraph"}
PATG = dict(MARKENG, id="de-patg", title="Patentgesetz (PatG)", title_zh="德国《专利法》",
            rights=["patent"])


def source(style: str, language: str = "en") -> dict:
    return {"id": f"xx-{style}", "jurisdiction": "XX", "title": "Law", "title_zh": "某国《专利法》",
            "rights": ["patent"], "language": language, "numbering": style}


def changes(comparison, kind: str) -> set[str]:
    return keys(a["id"] for a in comparison.articles if a["change"] == kind)


@pytest.mark.parametrize("case", GERMAN_CASES)
def test_german_history_changes_match_ground_truth(case):
    old, new = german_case(case)
    result = compare_texts(old, new, MARKENG)
    truth = ground_truth(case)
    assert result.problem is None
    assert changes(result, "added") == truth["ADDED"]
    assert changes(result, "removed") == truth["REMOVED"]
    assert changes(result, "modified") == truth["CHANGED"] - division_heading_changes(case)
    assert all(set(a) == {"id", "change"} for a in result.articles)


def test_markeng_heading_repair_is_editorial_only():
    old, new = german_case("markeng__e3c6d7fe")
    result = compare_texts(old, new, MARKENG)
    assert result.articles == [{"id": "§ 125d", "change": "modified"},
                               {"id": "§ 125e", "change": "modified"}]
    assert result.substantive is False
    assert all(d.editorial for d in result.details)
    assert result.summary == "德国《商标法》第125d条、第125e条文字修正（编辑性修改，无实质变化）"
    heading = next(d for d in result.details if d.id == "§ 125e").ops
    assert ["+", " Gemeinschaftsmarkengerichte,"] in heading


def test_patg_update_is_substantive_with_summary():
    old, new = german_case("patg__5710c0a6")
    result = compare_texts(old, new, PATG)
    assert result.substantive is True
    assert result.rights == ["patent"]
    assert result.summary.startswith("德国《专利法》第2a条、第3条")
    assert "新增第26a条、第29a条、第31a条、第35a条、第145a条" in result.summary
    p139 = next(d for d in result.details if d.id == "§ 139")
    assert not p139.editorial and any(op == "+" for op, _ in p139.ops)
    # the redline gives the old and the new text back
    assert "".join(t for op, t in p139.ops if op != "+") == p139.old_text
    assert "".join(t for op, t in p139.ops if op != "-") == p139.new_text


def test_summary_names_modified_and_added_articles():
    old = "PatG\n\n§ 139\nAlt.\n\n§ 140\nGleich."
    new = "PatG\n\n§ 139\nNeu.\n\n§ 140\nGleich.\n\n§ 145a\nNeu eingefügt."
    result = compare_texts(old, new, PATG)
    assert result.summary == "德国《专利法》第139条修改，新增第145a条"


@pytest.mark.parametrize("style, language, added, removed, modified, editorial", [
    ("ja_jo", "ja", {"第200条の2", "附則(令和4年6月17日法律第68号)"}, set(),
     {"第196条", "第196条の2", "第197条", "第198条"}, set()),
    ("ko_jo", "ko", {"부칙<제20322호,2024.2.20.>", "부칙<제20322호,2024.2.20.>제1조"}, set(),
     {"__header__", "제128조"}, {"__header__"}),
    ("us_section", "en", set(), set(), {"§ 271", "§ 272", "§ 273"}, {"§ 272", "§ 273"}),
    ("uk_section", "en", {"Section 62A"}, set(), {"Section 62"}, set()),
    ("in_section", "en", {"Section 104B"}, set(), {"Section 104A"}, set()),
    ("eu_article", "en", {"Article 9a"}, set(), {"Annex I"}, set()),
    ("fr_code", "fr", {"D613-1-1"}, set(), {"L613-4", "R613-1"}, {"L613-4"}),
    ("es_pt_article", "pt", {"Art. 43-A"}, set(), {"Art. 44"}, set()),
    ("es_article", "es", {"Art. 60 bis"}, {"Art. 61"}, set(), set()),
    ("ru_statya", "ru", {"Статья 1252.1"}, set(), {"Статья 1250"}, set()),
    ("tr_madde", "tr", {"Geçici Madde 2"}, set(), {"Madde 7"}, set()),
    ("zh_tiao", "zh", set(), set(), {"第71条"}, set()),
    ("de_paragraph", "de", set(), set(), {"§ 16a", "Anlage"}, set()),
])
def test_fixture_changes_per_style(style, language, added, removed, modified, editorial):
    old, new = fixture(style)
    named = {"es_article": "es_pt_article", "in_section": "uk_section"}.get(style, style)
    result = compare_texts(old, new, source(named, language))
    assert changes(result, "added") == keys(added)
    assert changes(result, "removed") == keys(removed)
    assert changes(result, "modified") == keys(modified)
    assert keys(d.id for d in result.details if d.editorial) == keys(editorial)
    assert result.substantive is True


def test_japanese_redline_is_by_character():
    old, new = fixture("ja_jo")
    result = compare_texts(old, new, source("ja_jo", "ja"))
    article = next(d for d in result.details if d.id == "第197条")
    assert ["-", "懲役"] in article.ops and ["+", "拘禁刑"] in article.ops
    assert "第197条" in result.summary and "第200条之2" in result.summary


def test_word_redline_keeps_words_whole():
    assert redline("the court may award damages", "the court shall award damages") == [
        ["=", "the court "], ["-", "may"], ["+", "shall"], ["=", " award damages"]]


def test_whitespace_and_punctuation_only_is_editorial():
    old = "Intro\n\n§ 1 Titel\nDer Satz, so wie er ist."
    new = "Intro\n\n§ 1 Titel\nDer  Satz so wie er ist ."
    result = compare_texts(old, new, PATG)
    assert result.substantive is False
    assert result.details[0].reason == "whitespace"


def test_repeal_in_heading_is_substantive():
    old = "Intro\n\n§ 5 Frist\nDie Frist beträgt drei Monate.\n\n§ 6 X\nY."
    new = "Intro\n\n§ 5 (weggefallen)\nDie Frist beträgt drei Monate.\n\n§ 6 X\nY."
    assert compare_texts(old, new, PATG).substantive is True


def test_broken_extraction_is_a_problem_not_a_repeal():
    old, new = german_case("patg__5710c0a6")
    broken = new.split("### § 20")[0]  # a selector that caught the first 20 sections only
    result = compare_texts(old, broken, PATG)
    assert result.problem and "条文大量消失" in result.problem
    assert result.articles == []
    empty = compare_texts(old, "Wartungsarbeiten. Bitte versuchen Sie es später.", PATG)
    assert empty.problem
    headings_only = "\n\n".join(line for line in new.splitlines() if line.startswith("#"))
    hollow = compare_texts(old, headings_only, PATG)
    assert hollow.problem and "条文内容大量缩减" in hollow.problem


def test_small_law_losing_an_article_is_a_change():
    old = "Intro\n\n§ 1\nA.\n\n§ 2\nB."
    result = compare_texts(old, "Intro\n\n§ 1\nA.", PATG)
    assert result.problem is None
    assert result.articles == [{"id": "§ 2", "change": "removed"}]


def test_page_without_articles_is_compared_as_one_unit():
    notices = {"id": "de-dpma-news", "title_zh": "德国专利商标局公告", "rights": ["patent"],
               "language": "de", "numbering": ""}
    old = "Aktuelles\n\n01.10.2026 Neue Gebühren\n\n01.09.2026 Sommerpause"
    new = "Aktuelles\n\n15.11.2026 Änderung der Patentverordnung\n\n01.10.2026 Neue Gebühren"
    result = compare_texts(old, new, notices)
    assert result.substantive is True
    assert result.articles == [{"id": "__header__", "change": "modified"}]
    assert result.summary == "德国专利商标局公告页面内容更新（未分条文）"
    same = compare_texts(old, old.replace("Neue Gebühren", "Neue  Gebühren."), notices)
    assert same.substantive is False


def test_unknown_numbering_falls_back_to_detection():
    old, new = fixture("ja_jo")
    result = compare_texts(old, new, source("jp_unknown_style", "ja"))
    assert result.style == "ja_jo"
    assert {"id": "第200条の2", "change": "added"} in result.articles


def test_paragraph_moved_to_the_next_article_is_substantive():
    para = "(3) Die Frist beträgt drei Monate und beginnt mit der Zustellung des Beschlusses."
    old = f"Intro\n\n§ 5 Frist\n(1) A.\n\n(2) B.\n\n{para}\n\n§ 6 Form\n(1) C."
    new = f"Intro\n\n§ 5 Frist\n(1) A.\n\n(2) B.\n\n§ 6 Form\n{para}\n\n(1) C."
    result = compare_texts(old, new, PATG)
    assert result.substantive is True
    assert not any(d.editorial for d in result.details)


# --- issue 10: real histories of other numbering styles, stamps, notes, bounded diffs --------

@pytest.mark.parametrize("kind", ["jp", "jp-xml", "fr", "us"])
def test_real_histories_give_the_changed_articles(kind):
    from crawlers.lawpages import SOURCES
    from tests.lawdata_articles import history_cases, served_text

    cases = [c for c in history_cases("tuning") if c.jurisdiction == kind.split("-")[0]]
    assert cases
    for case in cases:
        old, new = served_text(case, kind, "old"), served_text(case, kind, "new")
        result = compare_texts(old, new, {"id": "x", "title": "x", **SOURCES[kind]})
        found = {(a["id"].replace(" ", ""), a["change"]) for a in result.articles
                 if not a["id"].startswith("附則")}
        # truth artefacts (cases.yaml): e.g. a chapter heading printed after 第31条 in the new
        # version counts as a change of 第31条 there for a truth cut at article lines only
        truth = {(k, change) for change, ids in case.truth.items() for k in ids
                 if k not in case.artefacts}
        assert found == truth, case.name


def test_german_truth_artefacts_are_exactly_the_division_heading_changes():
    from tests.lawdata_articles import history_cases

    cases = [c for part in ("tuning", "held_out") for c in history_cases(part)
             if c.jurisdiction == "de"]
    assert {c.name for c in cases} == set(GERMAN_CASES)
    for case in cases:
        assert set(case.artefacts) == division_heading_changes(case.name), case.name
        assert set(case.artefacts) <= case.truth["modified"]


def test_us_truth_artefact_is_only_a_release_stamp():
    """The held-out US case lists the title block as changed; its CITE block differs only in
    the release stamp, which the data set's own rule ignores (so it is set aside, not hidden)."""
    import gzip
    import re

    from tests.lawdata_articles import ROOT, history_cases

    case = next(c for c in history_cases("held_out") if c.jurisdiction == "us")
    assert set(case.artefacts) == {"__header__"} and "__header__" in case.truth["modified"]
    folder = ROOT / "benchmarks" / "data" / "law-history" / "us"
    blocks = []
    for date in case.name.split("__")[1].split("-"):
        with gzip.open(folder / f"title04_{date}.txt.gz", "rt", encoding="utf-8") as handle:
            title = re.split(r"^-CITE-\s*$", handle.read(), flags=re.M)[1]
        blocks.append(title)
    assert blocks[0] != blocks[1]
    stamp = re.compile(r"\d{2}/\d{2}/\d{4}(?:\s*\(\d+-\d+\))?")
    without_stamp = [" ".join(stamp.sub("", block).split()) for block in blocks]
    assert without_stamp[0] == without_stamp[1]


def test_us_release_stamp_alone_is_no_change_and_notes_alone_are_editorial():
    old = ("4 USC Sec. 1 01/08/2008\n\n§1. Flag; stripes and stars on\n\nThe flag of the United "
           "States shall be thirteen horizontal stripes.\n\nEditorial Notes\n\nShort title of 2007.")
    restamped = old.replace("01/08/2008", "01/05/2009")
    src = source("us_section")
    assert compare_texts(old, restamped, src).articles == []
    notes = compare_texts(old, restamped.replace("2007", "2009 amendment"), src)
    assert notes.articles == [{"id": "§ 1", "change": "modified"}]
    assert notes.substantive is False and notes.details[0].reason == "notes"
    text = compare_texts(old, old.replace("thirteen", "fourteen"), src)
    assert text.substantive is True


def test_structure_change_alone_is_not_an_article_change():
    old = "Article L611-1\n\nTexte.\n\nChapitre II : Titre ancien\n\nArticle L611-2\n\nAutre."
    result = compare_texts(old, old.replace("Titre ancien", "Titre nouveau"), source("fr_code", "fr"))
    assert result.articles == [] and result.substantive is False


def test_supplementary_provisions_are_summarised_apart():
    old = "第一条　目的\n\n第二条　定義\n\n附　則　抄\n\n第一条　施行"
    new = old.replace("定義", "定義の改正") + "\n\n附　則　（令和四年五月二五日法律第四八号）\n\n第一条　施行期日"
    result = compare_texts(old, new, dict(source("ja_jo", "ja"), title_zh="日本《专利法》"))
    assert result.summary == ("日本《专利法》第2条修改；附则：新增附则（令和4年5月25日法律第48号）、"
                              "附则（令和4年5月25日法律第48号）第1条")


def test_egov_xml_keeps_each_supplementary_block_apart():
    from crawlers.extract import extract_body
    from crawlers.lawpages import render

    text = ("特許法\n（昭和三十四年法律第百二十一号）\n\n目次\n  第一章　総則（第一条）\n  附則\n\n"
            "      第一章　総則\n\n  （目的）\n第一条　この法律は、発明の保護を図る。\n\n"
            "      附　則　（令和四年五月二五日法律第四八号）　抄\n\n第一条　施行する。\n")
    page = render("jp", text, 1, "xml")
    body, problem = extract_body(page.body, True, {"xpath": "//LawBody"})
    assert problem is None and "附　則　（令和四年五月二五日法律第四八号）　抄" in body
    from crawlers.articles import split_articles
    assert [a.id for a in split_articles(body, "ja_jo") if a.kind == "article"] == [
        "第1条", "附則(令和4年5月25日法律第48号)", "附則(令和4年5月25日法律第48号)第1条"]


@pytest.mark.parametrize("size, separator", [(590_000, "\n"), (5_000_000, " ")])
def test_large_unit_with_one_word_changed_gives_a_one_word_redline(size, separator):
    sentence = "The court may award damages for the infringement of a patent under this title."
    old = separator.join(f"{sentence} ({n})" for n in range(size // (len(sentence) + 8)))
    middle = old.index("may", len(old) // 2)
    new = old[:middle] + "shall" + old[middle + 3:]
    ops = redline(old, new)
    assert [op for op in ops if op[0] != "="] == [["-", "may"], ["+", "shall"]]
    assert "".join(t for op, t in ops if op != "+") == old
    assert "".join(t for op, t in ops if op != "-") == new


def test_bounded_redline_falls_back_to_whole_stretches_but_stays_exact(monkeypatch):
    import crawlers.redline as module

    monkeypatch.setattr(module, "MAX_CELLS", 100)
    old = "alpha beta gamma delta epsilon. " * 40
    new = old.replace("gamma", "GAMMA")
    ops = module.redline(old, new)
    assert "".join(t for op, t in ops if op != "+") == old
    assert "".join(t for op, t in ops if op != "-") == new
    assert len([op for op in ops if op[0] != "="]) <= 80 * 2
