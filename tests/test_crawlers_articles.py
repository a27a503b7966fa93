"""The article splitter: canonical ids for every numbering style, on real and written laws."""
from __future__ import annotations

import re

import pytest

from crawlers.articles import (
    HEADER_ID, detect_style, id_key, kanji_to_int, split_articles, zh_label,
)
from tests.lawdata_articles import (
    GERMAN_CASES, as_plain_text, division_heading_changes, fixture, german_case, ground_truth,
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
    before = {a.key: a.text for a in split_articles(old) if a.kind != "structure"}
    after = {a.key: a.text for a in split_articles(new) if a.kind != "structure"}
    truth = ground_truth(case)
    assert set(after) - set(before) == truth["ADDED"]
    assert set(before) - set(after) == truth["REMOVED"]
    # a division heading ("## Teil 9 - …") is a structure unit here, text of a § in the truth
    assert {k for k in before.keys() & after.keys() if before[k] != after[k]} == (
        truth["CHANGED"] - division_heading_changes(case))


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
    "ja_jo": ["__header__", "第11章", "第196条", "第196条の2", "第197条", "第198条", "附則", "附則第1条"],
    "ko_jo": ["__header__", "제128조", "제128조의2", "제129조", "부칙<제17536호,2020.10.20.>",
              "부칙<제17536호,2020.10.20.>제1조"],
    "us_section": ["TITLE 35", "§ 271", "§ 272", "§ 273"],  # the title line is structure
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
    (HEADER_ID, "卷首（标题、序言与注释）"),
])
def test_chinese_labels(article_id, label):
    assert zh_label(article_id) == label


def test_id_key_ignores_whitespace():
    assert id_key("§ 16 a") == id_key("§16a") == "§16a"


# --- issue 10: article identity on real numbering styles --------------------------------------

def ids(text: str, style: str) -> list[str]:
    return [a.id for a in split_articles(text, style) if a.kind == "article"]


def test_japanese_table_of_contents_never_opens_a_supplementary_block():
    text = "目次\n附則\n\n第一条　この法律は、…を目的とする。\n\n第二条　定義\n\n附　則　抄\n\n第一条　施行期日"
    assert ids(text, "ja_jo") == ["第1条", "第2条", "附則", "附則第1条"]


def test_supplementary_blocks_are_identified_by_their_amending_act():
    text = ("第一条　本則\n\n附　則　（令和四年五月二五日法律第四八号）　抄\n\n"
            "（経過措置）\n第二条　経過措置の規定")
    assert ids(text, "ja_jo")[-1] == "附則(令和4年5月25日法律第48号)第2条"
    assert zh_label("附則(令和4年5月25日法律第48号)第2条") == "附则（令和4年5月25日法律第48号）第2条"


def test_japanese_cross_reference_sentence_is_not_a_heading():
    # e-Gov XML puts every <Sentence> on its own line
    text = ("第百三十八条\n裁判所は…\n第百三十九条\n"
            "第百三十九条（第六号及び第七号を除く。）の規定は、前条の場合に準用する。\n"
            "第百四十条\n次の各号…\n第百四十条の二\n規定")
    assert ids(text, "ja_jo") == ["第138条", "第139条", "第140条", "第140条の2"]


def test_one_out_of_order_heading_hides_nothing():
    # a regulatory article placed before a Titre in the official structure (issue 10, item 3)
    text = "\n\n".join(["Article D331-54-1", "texte", "Article D343-1", "texte"]
                         + [f"Article D{n}-1\n\ntexte" for n in range(332, 343)])
    assert ids(text, "fr_code") == ["D331-54-1"] + [f"D{n}-1" for n in range(332, 343)]
    us = "\n\n".join(["§ 211. A", "text", "Section 501(c) of the Internal Revenue Code applies.",
                      "§ 212. B", "text", "§ 213. C", "text"])
    assert ids(us, "us_section") == ["§ 211", "§ 212", "§ 213"]


def test_false_high_heading_does_not_hide_later_articles():
    text = "\n\n".join(["§ 1 Eins", "a", "§ 900 Zwei", "b", "§ 2 Drei", "c", "§ 3 Vier", "d"])
    assert ids(text, "de_paragraph") == ["§ 1", "§ 2", "§ 3"]


def test_french_suffixes_and_starred_ids():
    text = "Article L716-7-1\n\nx\n\nArticle L716-7-1 A\n\ny\n\nArticle R*716-8\n\nz"
    assert ids(text, "fr_code") == ["L716-7-1", "L716-7-1 A", "R716-8"]


def test_structure_headings_are_structure_not_article_text():
    text = ("Article L611-1\n\nTexte de l'article.\n\nChapitre II bis : Des brevets\n\n"
            "- Article L611-2\n\nArticle L611-2\n\nAutre texte.")
    units = split_articles(text, "fr_code")
    assert [(a.id, a.kind) for a in units] == [
        ("L611-1", "article"), ("Chapitre II bis", "structure"), ("L611-2", "article")]
    assert units[0].text == "Article L611-1\n\nTexte de l'article."
    ja = "第一条　目的\n\n第二章　差止請求\n\n第三条　請求"
    assert [(a.id, a.kind) for a in split_articles(ja, "ja_jo")] == [
        ("第1条", "article"), ("第2章", "structure"), ("第3条", "article")]


def test_contents_list_of_links_is_no_row_of_empty_articles():
    text = ("Section 2 : Transmission\n\nArticle L613-8\n\nArticle L613-9\n\n"
            "Article L613-8\n\nLes droits…\n\nArticle L613-9\n\nTous les actes…")
    units = split_articles(text, "fr_code")
    assert [a.id for a in units] == ["Section 2", "L613-8", "L613-9"]
    assert units[1].text == "Article L613-8\n\nLes droits…"


def test_us_citation_stamp_belongs_to_its_own_section():
    text = ("4 USC Sec. 1 01/03/2012 (112-90)\n\n§1. Flag; stripes and stars on\n\nThe flag…\n\n"
            "Editorial Notes\n\nPART I - DESIGN OF THE FLAG\n\nSection 1. The flag of…\n\n"
            "4 USC Sec. 2 01/03/2012 (112-90)\n\n§2. Same; additional stars\n\nOn the admission…")
    units = split_articles(text, "us_section")
    assert [a.id for a in units] == ["§ 1", "§ 2"]
    assert units[1].text.startswith("4 USC Sec. 2")
    assert "PART I - DESIGN OF THE FLAG" in units[0].text  # a quoted order's part, inside notes


# --- front matter before the first article (issue 10, US title notes) -------------------------

def test_title_notes_before_the_first_section_are_the_front_matter():
    text = ("4 USC TITLE 4 - FLAG AND SEAL 01/03/2012 (112-90)\n\nTITLE 4 - FLAG AND SEAL\n\n"
            "Editorial Notes\n\nTHIS TITLE WAS ENACTED BY ACT JULY 30, 1947\n\n"
            "4 USC CHAPTER 1 - THE FLAG 01/03/2012 (112-90)\n\nCHAPTER 1 - THE FLAG\n\n"
            "4 USC Sec. 1 01/03/2012 (112-90)\n\n§1. Flag; stripes and stars on\n\nThe flag…")
    units = split_articles(text, "us_section")
    assert [(a.id, a.kind) for a in units] == [
        (HEADER_ID, "header"), ("TITLE 4", "structure"), ("CHAPTER 1", "structure"),
        ("§ 1", "article")]
    assert units[0].text == "Editorial Notes\n\nTHIS TITLE WAS ENACTED BY ACT JULY 30, 1947"
    assert units[1].text == "4 USC TITLE 4 - FLAG AND SEAL 01/03/2012 (112-90)\n\nTITLE 4 - FLAG AND SEAL"


def test_a_reworded_title_note_is_reported_as_the_front_matter():
    from crawlers.compare import compare_texts

    def page(note: str) -> str:
        return (f"TITLE 4 - FLAG AND SEAL\n\nEditorial Notes\n\n{note}\n\n"
                "CHAPTER 1 - THE FLAG\n\n§1. Flag\n\nThe flag…\n\n§2. Same\n\nOn the admission…")

    result = compare_texts(page("This title was enacted by act July 30, 1947."),
                           page("This title was enacted by Act July 30, 1947, and amended."),
                           {"numbering": "us_section"})
    assert result.articles == [{"id": HEADER_ID, "change": "modified"}]
    assert not result.substantive  # a note: editorial, listed but no alert


def test_preamble_under_the_first_division_heading_is_front_matter_contents_stay_structure():
    zh_ja = "第一章　総則\n\nこの法律の前文である。\n\n第一条　目的"
    units = split_articles(zh_ja, "ja_jo")
    assert [(a.id, a.kind, a.text) for a in units] == [
        (HEADER_ID, "header", "この法律の前文である。"), ("第1章", "structure", "第一章　総則"),
        ("第1条", "article", "第一条　目的")]
    # a Légifrance division's contents (its subdivisions, links to its articles) stay its own
    fr = ("Livre IV : Organisation\n\nTitre Ier : Institutions\n\nTitre II : Qualification\n\n"
          "Titre Ier : Institutions\n\nArticle L411-1\n\nArticle L411-1\n\nTexte.\n\n"
          "Titre II : Qualification\n\nArticle L421-1\n\nAutre texte.")
    units = split_articles(fr, "fr_code")
    assert units[0].id == "Livre IV" and "Titre II : Qualification" in units[0].text
    assert all(a.id != HEADER_ID for a in units)


# --- German divisions (Teil / Abschnitt / …) are structure -----------------------------------

@pytest.mark.parametrize("form", ["markdown", "plain"])
def test_german_divisions_are_structure_never_text_of_the_section_before(form):
    # the real MarkenG (data set of /work/shared/data/law-history, as copied with the demo)
    _, new = german_case("markeng__5710c0a6")
    if form == "plain":
        new = as_plain_text(new)
    units = split_articles(new, "de_paragraph")
    structure = [a.id for a in units if a.kind == "structure"]
    # every Teil numbers its Abschnitte from 1 again: the id names the enclosing Teil
    assert structure[:4] == ["Teil 1", "Teil 2", "Teil 2 Abschnitt 1", "Teil 2 Abschnitt 2"]
    assert len(structure) == len(set(structure))
    articles = [a for a in units if a.kind == "article"]
    assert not any(re.search(r"^(?:#+ )?(?:Teil|Abschnitt) \d+ -", a.text, re.M) for a in articles)
    by_id = {a.id: a for a in units}
    assert by_id["Teil 9"].label.startswith("Teil 9 - Straf- und Bußgeldvorschriften")
    # the truth keys on § lines, so it counts a renamed division as a change of the § before
    assert division_heading_changes("markeng__5710c0a6") == {"§129", "§142"}


def test_german_ordinal_divisions_and_references():
    text = ("Erster Abschnitt - Das Patent\n\n§ 1\n\nText.\n\nZweites Kapitel\n\n§ 2 Titel\n\n"
            "Abschnitt 3 Satz 1 gilt entsprechend.\n\nAbschnitt 2a Neue Vorschriften\n\n§ 3\n\nText.")
    units = split_articles(text, "de_paragraph")
    assert [(a.id, a.kind) for a in units] == [
        ("Abschnitt 1", "structure"), ("§ 1", "article"), ("Kapitel 2", "structure"),
        ("§ 2", "article"), ("Kapitel 2 Abschnitt 2a", "structure"), ("§ 3", "article")]
    assert "Abschnitt 3 Satz 1 gilt entsprechend." in units[3].text  # a reference, not a heading
    text = "§ 1\n\nText.\n\nTeil 2 Abschnitt 3 der Anlage gilt entsprechend.\n\n§ 2\n\nText."
    assert [a.id for a in split_articles(text, "de_paragraph")] == ["§ 1", "§ 2"]


def test_chinese_preamble_is_front_matter_and_chapters_are_structure():
    text = ("中华人民共和国某法\n\n序言\n\n本法序言的文字。\n\n第一章　总则\n\n"
            "第一条　为了保护专利权人的合法权益，制定本法。\n\n第二章　专利权\n\n第二条　本法所称发明创造。")
    units = split_articles(text, "zh_tiao")
    assert [(a.id, a.kind) for a in units] == [
        (HEADER_ID, "header"), ("第1章", "structure"), ("第1条", "article"),
        ("第2章", "structure"), ("第2条", "article")]
    assert "本法序言的文字。" in units[0].text
    assert units[2].text == "第一条　为了保护专利权人的合法权益，制定本法。"  # no chapter heading in it


def test_brazilian_article_numbers():
    text = ("CÓDIGO CIVIL\n\nArt. 1º Toda pessoa é capaz.\n\nArt. 10-A. Texto inserido.\n\n"
            "Art. 999. Texto.\n\nArt. 1.003. A cessão de quota.\n\nParágrafo único. Até dois anos.\n\n"
            "Art. 1.003-A. Texto novo.\n\nArt. 1.004. Texto.\n\nArtigo 42.º O titular.")
    assert ids(text, "es_pt_article") == [
        "Art. 1", "Art. 10-A", "Art. 999", "Art. 1003", "Art. 1003-A", "Art. 1004"]
    assert detect_style(text) == "es_pt_article"
    assert zh_label("Art. 1003") == "第1003条"
    # "6.000" is one number: a sentence "Art. 6.000 reais…" is not read as a heading "Art. 6."
    assert ids("Art. 5. Texto.\n\nArt. 6.000 reais de multa.", "es_pt_article") == ["Art. 5"]


# --- Japanese 別表 (appended tables) ---------------------------------------------------------

def test_japanese_appended_tables_in_each_style():
    text = ("特許法\n\n目次\n第一章　総則（第一条）\n附則\n別表\n\n第一章　総則\n\n"
            "第一条　別表第一に掲げる者は、別表第一（第二条関係）に掲げる手数料を納付する。\n\n"
            "附　則　（令和四年五月二五日法律第四八号）　抄\n\n第一条　施行する。\n\n"
            "附則別表第一（附則第一条関係）\n経過措置の表\n\n"
            "別表第一（第一条関係）\n一　出願　一件につき\n\n別表第二の二　（第一条関係）\n二　請求\n\n"
            "別表（第十九条関係）\n三　登録")
    units = split_articles(text, "ja_jo")
    assert [a.id for a in units if a.kind == "article"] == [
        "第1条", "附則(令和4年5月25日法律第48号)", "附則(令和4年5月25日法律第48号)第1条",
        "附則(令和4年5月25日法律第48号)別表第1", "別表第1", "別表第2の2", "別表"]
    by_id = {a.id: a for a in units}
    # a sentence citing a table is text of its article, never a heading
    assert "別表第一（第二条関係）に掲げる" in by_id["第1条"].text
    assert by_id["別表第1"].text == "別表第一（第一条関係）\n一　出願　一件につき"
    assert zh_label("別表第2の2") == "附表第2之2"
    assert zh_label("附則(令和4年5月25日法律第48号)別表第1") == "附则（令和4年5月25日法律第48号）附表第1"


def test_a_changed_appended_table_is_reported_by_its_id():
    from crawlers.compare import compare_texts

    old = "第一条　手数料は別表に定める。\n\n別表第一（第一条関係）\n一　出願　一件につき　一万四千円"
    result = compare_texts(old, old.replace("一万四千円", "一万五千円"),
                           {"numbering": "ja_jo", "language": "ja", "title_zh": "日本《特许法》"})
    assert result.articles == [{"id": "別表第1", "change": "modified"}]
    assert result.substantive and result.summary == "日本《特许法》附表第1修改"


# --- issue 14: rule-numbered laws the guides rely on (eCFR, CPR, Federal Court Rules, UK SIs) --

# Written for the tests in the typography of eCFR / GPO, the CPR pages, legislation.gov.au and
# legislation.gov.uk: abridged and paraphrased, not a source of law.
CFR_PART = """PART 1—RULES OF PRACTICE IN PATENT CASES

Subpart A—General Provisions

§ 1.1 Addresses for correspondence with the Office.

(a) Correspondence shall be addressed as set out below.

§ 1.16 National application filing, search, and examination fees.

(a) Basic fee for filing each application for an original patent:
§ 1.17(b) applies to the fees of paragraph (a).

§ 1.16a Reserved.

Sec. 1.17  Patent application and reexamination processing fees.

(a) Extension fees (Sec. 1.27(a)) as printed by GPO.
"""

CPR_PART = """PART 63 – INTELLECTUAL PROPERTY CLAIMS

Scope of this Part and interpretation

63.1

(1) This Part applies to claims under the Patents Act 1977.

Section V – Intellectual Property Enterprise Court

Scope of this Section

63.17

This Part, as modified by this Section, applies to claims in the Court.

63.17A

(1) A claim for damages shall not exceed the amount set by this rule.

2.5 times the amount is not a rule number.

63.18 (1) Where a claim is transferred, rule 30.2 applies.
"""

FCR_PART = """Part 16—Pleadings

Division 16.3—Defences

16.32  Time for filing defence

A respondent must file a defence within the period set by this rule.

16.33  Reply

An applicant may file a reply.
"""

SI_RULES = """Opposition proceedings: filing of notice of opposition; section 38(2) (Form TM7)

17.—(1) Any notice to the registrar of opposition shall be filed on Form TM7.

(2) The time prescribed for filing the notice is a period of months.

Filing of regulations for collective marks

29.  Where an application for a collective mark is filed, the applicant shall file Form TM35.
"""


@pytest.mark.parametrize("text, style, expected", [
    (CFR_PART, "cfr_section", ["§ 1.1", "§ 1.16", "§ 1.16a", "§ 1.17"]),
    (CPR_PART, "dotted_rule", ["63.1", "63.17", "63.17A", "63.18"]),
    (FCR_PART, "dotted_rule", ["16.32", "16.33"]),
    (SI_RULES, "uk_si_rule", ["Rule 17", "Rule 29"]),
])
def test_rule_numbered_laws_split_by_their_rule_numbers(text, style, expected):
    assert ids(text, style) == expected


def test_rule_styles_keep_references_and_divisions_out_of_the_ids():
    cfr = {a.id: a for a in split_articles(CFR_PART, "cfr_section")}
    assert "§ 1.17(b) applies" in cfr["§ 1.16"].text  # a reference opening a line is text
    assert {a.id for a in cfr.values() if a.kind == "structure"} == {"PART 1", "Subpart A"}
    cpr = {a.id: a for a in split_articles(CPR_PART, "dotted_rule")}
    assert "2.5 times" in cpr["63.17A"].text
    assert cpr["Section V"].kind == "structure" and "Section V" not in cpr["63.1"].text
    fcr = {a.id: a for a in split_articles(FCR_PART, "dotted_rule")}
    assert fcr["Division 16.3"].kind == "structure"
    assert fcr["16.32"].text.startswith("16.32  Time for filing defence")
    assert "(2) The time prescribed" in {a.id: a for a in split_articles(SI_RULES, "uk_si_rule")}["Rule 17"].text


def test_rule_styles_are_used_only_when_named():
    # bare rule numbers are too common to detect a style by: existing detection is unchanged
    assert detect_style(CPR_PART) != "dotted_rule" and detect_style(SI_RULES) != "uk_si_rule"
    assert detect_style(CFR_PART) != "cfr_section"


@pytest.mark.parametrize("article_id, label", [
    ("§ 1.16", "第1.16条"), ("63.17A", "第63.17A条"), ("16.32", "第16.32条"), ("Rule 17", "第17条"),
])
def test_chinese_labels_of_rule_ids(article_id, label):
    assert zh_label(article_id) == label


def test_printed_contents_entries_with_page_numbers_are_not_rules():
    """A compiled Australian text opens with its contents: caption and page number per rule.
    Such an entry (no text of its own, its rule printed further down) is no heading, so the
    first rule keeps its id instead of becoming "16.32 (2)"."""
    contents = "Contents\n\nDivision 16.3—Defences 101\n\n16.32 Time for filing defence 187\n\n16.33 Reply 188"
    units = split_articles(contents + "\n\n" + FCR_PART, "dotted_rule")
    assert [a.id for a in units if a.kind == "article"] == ["16.32", "16.33"]
    assert {a.id: a for a in units}["16.32"].text.startswith("16.32  Time for filing defence\n")
    # the same line with text of its own below it is a rule
    assert ids("16.32 Time for filing defence 187\n\nA respondent must file a defence.", "dotted_rule") == ["16.32"]
    act = "13 Exclusive rights given by patent 25\n\n13 Exclusive rights given by patent\n\n(1) A patent gives rights."
    assert [a.id for a in split_articles(act, "uk_section") if a.kind == "article"] == ["Section 13"]
