"""crawlers.lawmeta: the amending act and its dates, from each kind of official text."""
from pathlib import Path

import pytest

from crawlers.lawmeta import change_meta, de_date, en_date, fr_date, ja_date, ko_date, law_meta

DATA = Path(__file__).parent / "data" / "lawmeta"


def read(name: str) -> str:
    return (DATA / name).read_text("utf-8")


@pytest.mark.parametrize("parse, text, expected", [
    (de_date, "10.8.2021", "2021-08-10"),
    (de_date, "31.2.2021", ""),
    (fr_date, "1er janvier 2012", "2012-01-01"),
    (fr_date, "20 décembre 2011", "2011-12-20"),
    (en_date, "Aug. 9, 2022", "2022-08-09"),
    (en_date, "02 December 2026", "2026-12-02"),
    (ja_date, "令和五年六月一四日", "2023-06-14"),
    (ja_date, "平成二十七年七月十日", "2015-07-10"),
    (ja_date, "令和元年5月1日", "2019-05-01"),
    (ko_date, "2024. 8. 28.", "2024-08-28"),
])
def test_dates(parse, text, expected):
    assert parse(text) == expected


def test_german_change_takes_the_newest_act_the_new_text_lists():
    meta = change_meta(read("de_patg_old_header.md"), read("de_patg_new_header.md"),
                       {"jurisdiction": "DE"})
    assert meta.amending_act == "Art. 1 G v. 30.8.2021 I 4074 (Nr. 62)"
    assert meta.act_date == "2021-08-30"
    assert meta.in_force_on == ""  # not stated: never guessed


def test_german_inline_stand_line_and_mwv():
    text = ("Stand: Neugefasst durch Bek. v. 16.12.1980 I 1; zuletzt geändert durch "
            "Art. 1 G v. 10.8.2021 I 3490 mWv 18.8.2021\n")
    meta = law_meta(text, {"jurisdiction": "DE"})
    assert (meta.amending_act, meta.act_date, meta.in_force_on) == (
        "Art. 1 G v. 10.8.2021 I 3490", "2021-08-10", "2021-08-18")


def test_japanese_latest_supplementary_provision_names_the_act():
    meta = change_meta(read("jp_fuseikyoso_20150801_suppl.txt"),
                       read("jp_fuseikyoso_20160101_suppl.txt"), {"jurisdiction": "JP"})
    assert meta.amending_act == "平成二七年七月一〇日法律第五四号"
    assert meta.act_date == "2015-07-10"
    assert meta.in_force_on == ""


def test_japanese_stated_enforcement_date():
    text = read("jp_fuseikyoso_20160101_suppl.txt") + "\n施行日：平成二十八年一月一日\n"
    assert law_meta(text, {"jurisdiction": "JP"}).in_force_on == "2016-01-01"


def test_french_legifrance_block():
    meta = law_meta(read("fr_legifrance.txt"), {"jurisdiction": "FR"})
    assert meta.amending_act == "LOI n°2011-1898 du 20 décembre 2011"
    assert (meta.act_date, meta.in_force_on) == ("2011-12-20", "2011-12-22")


def test_us_latest_public_law_across_line_breaks():
    meta = law_meta(read("us_t04_sec6_2009.txt"), {"jurisdiction": "US"})
    assert (meta.amending_act, meta.act_date) == ("Pub. L. 110-239", "2008-06-03")


def test_federal_register_effective_date():
    text = "Changes to Implement the First Inventor To File Provisions\nDATES: This rule is effective March 16, 2013.\n"
    meta = law_meta(text, {"jurisdiction": "US"})
    assert (meta.amending_act, meta.in_force_on) == ("", "2013-03-16")


def test_korean_header():
    meta = law_meta(read("kr_header.txt"), {"jurisdiction": "KR"})
    assert meta.amending_act == "법률 제20322호（일부개정）"
    assert (meta.act_date, meta.in_force_on) == ("2024-02-27", "2024-08-28")


def test_uk_annotation_and_up_to_date_line():
    meta = law_meta(read("gb_annotations.txt"), {"jurisdiction": "GB"})
    assert meta.amending_act == "Intellectual Property Act 2014 (c. 18)"
    assert (meta.act_date, meta.in_force_on, meta.stand) == ("", "2014-10-01", "2026-12-01")


def test_unknown_source_kind_states_nothing():
    assert not law_meta("Madde 1 - Bu Kanun 10.1.2017 tarihinde", {"jurisdiction": "TR"})


@pytest.mark.parametrize("jurisdiction, text, expected", [
    ("RU", "(в ред. Федеральных законов от 18.12.2006 N 231-ФЗ, от 22.07.2024 N 123-ФЗ)",
     ("Федеральный закон от 22.07.2024 N 123-ФЗ", "2024-07-22", "")),
    ("BR", "Art. 1º (Redação dada pela Lei nº 14.195, de 2021)\nArt. 2º (Incluído pela Lei nº 10.196, de 14.2.2001)",
     ("Lei nº 14.195, de 2021", "", "")),  # the later act, though only its year is stated
    ("EU", "Amended by:\n►M1 Regulation (EU) 2015/2424 of the European Parliament and of the Council of 16 December 2015",
     ("Regulation (EU) 2015/2424", "2015-12-16", "")),
    ("AU", "Compilation No. 55\nCompilation date: 1 July 2023\nIncludes amendments up to: Act No. 61, 2023",
     ("Act No. 61, 2023", "", "")),
])
def test_more_source_kinds(jurisdiction, text, expected):
    """Layouts of pravo.gov.ru, planalto.gov.br, EUR-Lex and legislation.gov.au, typed for the
    test (illustrative numbers and dates, not facts about a particular law)."""
    meta = law_meta(text, {"jurisdiction": jurisdiction})
    assert (meta.amending_act, meta.act_date, meta.in_force_on) == expected


def test_australian_compilation_date_is_the_stand():
    assert law_meta("Compilation date: 1 July 2023", {"jurisdiction": "AU"}).stand == "2023-07-01"
