"""The article splitter: canonical ids for every numbering style, on real and written laws."""
from __future__ import annotations

import pytest

from crawlers.articles import (
    HEADER_ID, detect_style, id_key, kanji_to_int, split_articles, zh_label,
)
from tests.lawdata_articles import (
    GERMAN_CASES, as_plain_text, fixture, german_case, ground_truth,
)


@pytest.mark.parametrize("kanji, number", [
    ("一", 1), ("十", 10), ("十一", 11), ("百九十六", 196), ("二百", 200), ("千二百三十四", 1234),
    ("一〇二", 102), ("二万三千", 23000), ("１２", 12),
])
def test_kanji_numerals(kanji, number):
    assert kanji_to_int(kanji) == number


@pytest.mark.parametrize("case", GERMAN_CASES)
@pytest.mark.parametrize("form", ["markdown", "plain"])
def test_german_history_sections_match_ground_truth(case, form):
    old, new = german_case(case)
    if form == "plain":
        old, new = as_plain_text(old), as_plain_text(new)
    before = {a.key: a.text for a in split_articles(old)}
    after = {a.key: a.text for a in split_articles(new)}
    truth = ground_truth(case)
    assert set(after) - set(before) == truth["ADDED"]
    assert set(before) - set(after) == truth["REMOVED"]
    assert {k for k in before.keys() & after.keys() if before[k] != after[k]} == truth["CHANGED"]


def test_german_ranges_and_repealed_sections():
    old, _ = german_case("patg__5710c0a6")
    ids = [a.id for a in split_articles(old)]
    assert ids[0] == HEADER_ID
    assert "§§ 18, 19" in ids and "§ 16a" in ids and "§ 139" in ids
    assert ids.index("§ 17") < ids.index("§§ 18, 19") < ids.index("§ 20")
    _, new = german_case("markeng__5710c0a6")
    assert "§§ 160-163" in [a.id for a in split_articles(new)]


def test_german_cross_references_are_not_headings():
    old, _ = fixture("de_paragraph")
    articles = split_articles(old, "de_paragraph")
    assert [a.id for a in articles] == [HEADER_ID, "§ 16a", "§ 17", "§§ 18, 19", "§ 20", "Anlage"]
    assert "§ 16a Abs. 1 gilt entsprechend." in articles[4].text


EXPECTED_IDS = {
    "ja_jo": ["__header__", "第196条", "第196条の2", "第197条", "第198条", "附則", "附則第1条"],
    "ko_jo": ["__header__", "제128조", "제128조의2", "제129조", "부칙<제17536호,2020.10.20.>",
              "부칙<제17536호,2020.10.20.>제1조"],
    "us_section": ["__header__", "§ 271", "§ 272", "§ 273"],
    "uk_section": ["__header__", "Section 60", "Section 61", "Section 62", "Schedule A1"],
    "in_section": ["__header__", "Section 48", "Section 104A"],
    "eu_article": ["__header__", "Article 9", "Article 10", "Annex I"],
    "fr_code": ["__header__", "L613-2-2", "L613-3", "L613-4", "R613-1"],
    "es_pt_article": ["__header__", "Art. 42", "Art. 43", "Art. 44"],
    "es_article": ["__header__", "Art. 59", "Art. 60", "Art. 61"],
    "ru_statya": ["__header__", "Статья 1229", "Статья 1250", "Статья 1252"],
    "tr_madde": ["__header__", "Madde 7", "Madde 8", "Geçici Madde 1"],
    "zh_tiao": ["__header__", "第11条", "第12条", "第71条"],
    "de_paragraph": ["__header__", "§ 16a", "§ 17", "§§ 18, 19", "§ 20", "Anlage"],
}
# uk_section is only used when named; "§ 271." alone is German and US alike (same ids)
DETECTED = {"es_article": "es_pt_article", "uk_section": None, "us_section": None,
            "in_section": None}
NAMED = {"in_section": "uk_section"}  # India's sections are read with the Commonwealth style


@pytest.mark.parametrize("style", sorted(EXPECTED_IDS))
def test_fixture_ids_per_style(style):
    old, _ = fixture(style)
    named = DETECTED.get(style, style)
    assert [a.id for a in split_articles(old, named or NAMED.get(style, style))] == EXPECTED_IDS[style]
    if named:
        assert detect_style(old) == named


def test_us_sec_headings_are_detected():
    _, new = fixture("us_section")
    assert detect_style(new) == "us_section"
    assert [a.id for a in split_articles(new)] == EXPECTED_IDS["us_section"]


def test_japanese_caption_belongs_to_its_article():
    old, _ = fixture("ja_jo")
    articles = {a.id: a for a in split_articles(old)}
    assert articles["第197条"].text.startswith("（詐欺の行為の罪）\n第百九十七条")
    assert articles["第196条の2"].label.startswith("第百九十六条の二")
    assert "（詐欺の行為の罪）" not in articles["第196条の2"].text


def test_japanese_supplementary_blocks_number_apart():
    _, new = fixture("ja_jo")
    ids = [a.id for a in split_articles(new)]
    assert ids[-3:] == ["附則", "附則第1条", "附則(令和4年6月17日法律第68号)"]
    assert "第200条の2" in ids


def test_sentences_are_not_headings():
    text = "Title\n\nSection 273 of this title applies.\n\nстатья 1252 настоящего Кодекса\n\n§ 91 ist anzuwenden."
    assert [a.id for a in split_articles(text, "us_section")] == [HEADER_ID]
    assert [a.id for a in split_articles(text, "ru_statya")] == [HEADER_ID]
    assert [a.id for a in split_articles(text, "de_paragraph")] == [HEADER_ID]


def test_duplicate_ids_are_numbered_and_no_text_is_lost():
    text = "Intro\n\n§ 1 A\nx\n\n§ 1 A\ny"
    articles = split_articles(text, "de_paragraph")
    assert [a.id for a in articles] == [HEADER_ID, "§ 1", "§ 1 (2)"]
    assert "".join(a.text for a in articles).replace("\n", "") == text.replace("\n", "")


def test_unknown_style_is_refused():
    with pytest.raises(ValueError, match="unknown numbering style"):
        split_articles("§ 1", "xx_style")


@pytest.mark.parametrize("article_id, label", [
    ("§ 139", "第139条"), ("§ 16a", "第16a条"), ("§§ 160-163", "第160至163条"),
    ("§§ 18, 19", "第18、19条"), ("L613-2-2", "第L613-2-2条"), ("第196条の2", "第196条之2"),
    ("제128조의2", "第128条之2"), ("Article 9", "第9条"), ("Статья 1229", "第1229条"),
    ("Madde 7", "第7条"), ("Annex I", "附件I"), ("附則第1条", "附则第1条"),
    (HEADER_ID, "标题与前言"),
])
def test_chinese_labels(article_id, label):
    assert zh_label(article_id) == label


def test_id_key_ignores_whitespace():
    assert id_key("§ 16 a") == id_key("§16a") == "§16a"
