"""The thesaurus (kb/guides/thesaurus.yaml): symmetric one-step expansion, exact words ranked
above expansions, a checked file; and the query splitting it drives."""
from __future__ import annotations

import pytest

from kb.core.errors import IpwatchError
from kb.guides import search
from kb.guides.search import Doc
from kb.guides.search_text import load_thesaurus, parse_query, term_list, vocabulary

ANYTHING = lambda w: True  # noqa: E731 (every word known)


def alts_of(word: str) -> list[tuple[str, ...]]:
    concepts = parse_query(word, ANYTHING)
    assert len(concepts) == 1, (word, concepts)
    return concepts[0].alts


def test_expansion_is_symmetric_and_one_step():
    vocab = vocabulary()
    typed = 0
    for group in vocab.groups:
        lists = {term_list(m, vocab) for m in group if m not in vocab.stop} - {()}
        for member in group:
            concepts = parse_query(member, ANYTHING)
            if len(concepts) != 1 or concepts[0].jurisdiction:
                continue  # 337调查 is typed as two words (337, 调查); each is searched
            typed += 1
            alts = set(concepts[0].alts)
            see_also = {term_list(w, vocab) for w in vocab.see_also.get(concepts[0].label, ())}
            assert alts <= lists | see_also, member  # nothing from another group: no drift
            assert lists <= alts, member  # symmetric: every member finds every other
    assert typed >= 0.95 * sum(len(g) for g in vocab.groups)


def test_examples_of_the_issue():
    assert ("警告函",) in alts_of("律师函")
    assert ("usitc",) in alts_of("ITC") and ("美国国际贸易委员会",) in alts_of("ITC")
    assert ("英国知识产权局",) in alts_of("UKIPO")
    assert ("扣留",) in alts_of("扣押")
    assert ("实用新型",) in alts_of("utility model") and ("实用新型",) in alts_of("Gebrauchsmuster")
    assert ("实用新型",) in alts_of("実用新案")
    assert ("异议",) in alts_of("抢注")  # see_also: answered by opposition sections


def test_content_gap_words_reach_the_guides_words():
    """The reader's words the evaluation found no guide using (issue 12's closing note)."""
    assert ("警告函",) in alts_of("律师信") and ("警告函",) in alts_of("警告信")
    for word in ("抢注", "恶意抢注", "被抢注"):
        assert ("恶意注册",) in alts_of(word) and ("撤销",) in alts_of(word), word
    assert ("电商平台",) in alts_of("亚马逊") and ("电商平台",) in alts_of("Amazon")
    for word in ("假处分", "仮処分", "가처분"):
        assert ("临时禁令",) in alts_of(word) and ("保全",) in alts_of(word), word
    assert ("欧盟", "外观设计") in alts_of("Community design")  # both words, in one section
    assert ("欧盟", "外观设计") in alts_of("RCD")
    assert ("展会",) in alts_of("汉诺威") and ("展会",) in alts_of("Hannover")


def test_splitting_keeps_no_stray_characters():
    known = {"专利", "法院", "专利法", "期限", "办理", "商标", "商标法", "德国"}.__contains__
    words = lambda q: [c.label for c in parse_query(q, known)]  # noqa: E731
    assert words("德国商标法院") == ["德国", "商标", "法院"]  # not 商标法 + 院
    assert words("德国专利法院") == ["德国", "专利法院"]  # a dictionary word stays whole
    assert words("商标期限") == ["商标", "期限"]
    assert words("怎么办理") == ["办理"]  # 怎么 a stop word; no stray 办
    assert [c.jurisdiction for c in parse_query("德国专利", known)] == ["DE", ""]
    assert words("专利 乌托邦") == ["专利", "乌托邦"]  # an unknown word is kept (and reported)


def test_an_exact_word_outranks_an_expansion(tmp_path):
    docs = [
        Doc(id="a", kind="guide", jurisdiction="US", right="", part="practice", title="甲",
            body="律师函一份。", url="a"),
        Doc(id="b", kind="guide", jurisdiction="US", right="", part="practice", title="警告函",
            body="警告函、警告函、警告函：收到警告函后请律师评估。", url="b"),
    ]
    search.update_index(tmp_path / "ix", docs)
    assert [h["id"] for h in search.search_index(tmp_path / "ix", "律师函")] == ["a", "b"]
    assert [h["id"] for h in search.search_index(tmp_path / "ix", "警告函")] == ["b", "a"]


def test_a_broken_thesaurus_is_an_error_naming_the_key(tmp_path):
    path = tmp_path / "thesaurus.yaml"
    path.write_text("jurisdictions: {}\nwords: []\nsynonyms:\n  - [只有一个]\n", "utf-8")
    with pytest.raises(IpwatchError, match="synonyms.*第 1 组"):
        load_thesaurus(path)
    path.write_text("jurisdictions: {}\nwords: 专利\nsynonyms: []\n", "utf-8")
    with pytest.raises(IpwatchError, match="「words」（第 2 行）"):
        load_thesaurus(path)
    path.write_text("synonyms: [a, b\n", "utf-8")
    with pytest.raises(IpwatchError, match="YAML"):
        load_thesaurus(path)
