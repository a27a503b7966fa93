"""kb.laws.quantities and kb.laws.digest: the Chinese digest, by rule, from the change itself."""
import pytest

from crawlers.articles import zh_label
from kb.laws.digest import change_digest, heading_of, quantity_changes, title_zh
from kb.laws.quantities import find, kanji_number


@pytest.mark.parametrize("text, value", [("百九十六", 196), ("一〇二", 102), ("三千万", 30_000_000),
                                         ("十億", 1_000_000_000), ("5", 5)])
def test_kanji_numbers(text, value):
    assert kanji_number(text) == value


@pytest.mark.parametrize("text, language, expected", [
    ("innerhalb von drei Monaten nach Zustellung", "de", [("period", "3个月")]),
    ("binnen einer Frist von einem Monat", "de", [("period", "1个月")]),
    ("Geldbuße bis zu 50 000 Euro", "de", [("amount", "50000欧元")]),
    ("30 000 euros d'amende et six mois", "fr", [("amount", "30000欧元"), ("period", "6个月")]),
    ("not more than $250,000 or treble damages", "en", [("amount", "250000美元"), ("multiplier", "3倍")]),
    ("十年以下の懲役若しくは二千万円以下の罰金", "ja", [("period", "10年"), ("amount", "20000000日元")]),
    ("平成二七年七月一〇日法律第五四号", "ja", []),  # a date, not a period of 27 years
    ("3배를 넘지 아니하는 범위에서", "ko", [("multiplier", "3倍")]),
    ("am 1. September 2021 in Kraft", "de", [("date", "2021-09-01")]),
])
def test_quantities(text, language, expected):
    assert [(q.kind, q.zh) for q in find(text, language)] == expected


def test_pairs_of_the_same_kind_read_as_old_to_new():
    changes = quantity_changes(find("innerhalb von drei Monaten", "de"), find("innerhalb von vier Monaten", "de"))
    assert changes == [{"kind": "period", "old": "3个月", "new": "4个月"}]


def test_unchanged_quantities_are_not_reported():
    text = "innerhalb von drei Monaten; Gebühr 100 Euro"
    assert quantity_changes(find(text, "de"), find(text + " und sonstigen", "de")) == []


@pytest.mark.parametrize("text, heading", [
    ("### § 31a Datenschutz\n\n(1) …", "Datenschutz"),
    ("### § 139\n\n(1) Wer …", ""),
    ("（定義）\n第二条　この法律において", "定義"),
    ("第二十二条　法人の代表者", ""),
    ("제128조(손해배상청구권 등) ①", "손해배상청구권 등"),
    ("Sec. 6. Time and occasions for display\n(a) It is", "Time and occasions for display"),
    ("# Article L311-4\n\nLe montant", ""),
])
def test_headings(text, heading):
    assert heading_of(text) == heading


def test_titles_from_the_glossary_and_unknown_headings_stay_original():
    assert title_zh("損害の額の推定等", "ja") == "损害额的推定等"
    assert title_zh("Unterlassungsanspruch; Schadensersatz", "de") == "停止侵害请求权；损害赔偿"
    assert title_zh("Kein bekannter Titel", "de") is None


def test_change_digest_of_a_real_japanese_amendment():
    """不正競争防止法 第二十一条 as amended by 平成27年法律第54号 (the fine raised from
    1000万円 to 2000万円), cut to the sentence that changed (e-Gov text)."""
    old = "（罰則）\n第二十一条　次の各号のいずれかに該当する者は、十年以下の懲役若しくは千万円以下の罰金に処し、又はこれを併科する。"
    new = "（罰則）\n第二十一条　次の各号のいずれかに該当する者は、十年以下の懲役若しくは二千万円以下の罰金に処し、又はこれを併科する。"
    details = [{"id": "第21条", "change": "modified", "old_text": old, "new_text": new, "editorial": False},
               {"id": "第22条", "change": "modified", "old_text": "x", "new_text": "y", "editorial": True}]
    [digest] = change_digest(details, "JP", zh_label)
    assert digest.line() == "修改第21条（罚则）：金额 10000000日元→20000000日元"


def test_offices_named_are_grouped_over_spellings():
    details = [{"id": "§ 4", "change": "modified", "editorial": False,
                "old_text": "### § 4\nbeim Deutschen Patent- und Markenamt", "new_text":
                "### § 4\nDas Deutsche Patent- und Markenamt und das Bundespatentgericht"}]
    [digest] = change_digest(details, "DE", zh_label)
    assert digest.facts == ["新增提及德国联邦专利法院"]


def test_added_article_with_an_unknown_heading_keeps_the_original():
    details = [{"id": "§ 145a", "change": "added", "editorial": False, "old_text": "",
                "new_text": "### § 145a Geheimnisschutz\n(1) In Patentstreitsachen"}]
    assert change_digest(details, "DE", zh_label)[0].line() == "新增第145a条（原文标题：Geheimnisschutz）"


def test_one_numeral_reader_for_kb_and_crawlers():
    # kb may not import crawlers: the article splitter uses kb's reader, not a copy of its own
    from crawlers import articles, lawmeta
    from kb.core.numerals import kanji_number as shared
    from kb.laws import quantities

    assert articles.kanji_to_int is shared and quantities.kanji_number is shared
    assert lawmeta.kanji_to_int is shared
