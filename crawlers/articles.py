"""Split a law's normalised text into its own units (articles, sections, annexes).

A law is compared article by article, so each unit needs an id that stays the same from one
version of the page to the next whatever the typography. The splitter reads the text line by
line; a line that *looks like a heading* of the law's numbering style starts a new unit, and
everything up to the next heading belongs to it. The front matter is the unit ``__header__``
(title, dates, preamble or 序言, a title's notes; shown as ``HEADER_LABEL``): the text before
the first heading and the prose under division headings printed before the first article.
Markdown heading marks (``### § 1``) are ignored; when a text has Markdown article headings,
only those lines count as headings (a wrapped sentence starting with "§§ 160a, 162 …" is then
never a heading).

A heading must look like one: the number is followed by the end of the line, a full stop,
a dash, a colon, a bracket or a capitalised title — never by a lower-case word ("§ 91 ist
entsprechend anzuwenden" is a sentence, not a heading).

Canonical ids by numbering style (``numbering:`` in the source registry; without it the
style is detected, see ``detect_style``):

=============  ============================================  =====================
style          headings as printed                           canonical id
=============  ============================================  =====================
de_paragraph   § 16a Titel; §§ 18 und 19 (weggefallen);      ``§ 16a``; ``§§ 18, 19``;
               §§ 160 bis 163 (weggefallen)                  ``§§ 160-163``
fr_code        Article L613-2-2; Art. R. 613-1; Article       ``L613-2-2``; ``R613-1``;
               D712-1; Article 1er                           ``D712-1``; ``Article 1``
(de divisions) Teil 3; Zweiter Abschnitt - Patentamt         ``Teil 3``; ``Teil 3 Abschnitt 2``
ja_jo          第百九十六条の二; 第１条; 附則;                ``第196条の2``; ``第1条``; ``附則``;
               附則（平成二三年六月二四日法律第七四号）抄    ``附則(平成23年6月24日法律第74号)``
zh_tiao        第一百二十条; 第十条之一                      ``第120条``; ``第10条之1``
ko_jo          제128조의2(손해배상); 부칙 <제1234호, 2020.1.1.>  ``제128조의2``; ``부칙<제1234호,2020.1.1.>``
us_section     § 271. Infringement; Sec. 271.; SECTION 2.    ``§ 271``; ``§ 2``
uk_section     60 Meaning of infringement; Section 60A;        ``Section 60``; ``Section 60A``;
(UK, AU, IN)   104A. Burden of proof.—(1) In any suit …      ``Section 104A``
eu_article     Article 9; Article 9a                         ``Article 9``; ``Article 9a``
es_pt_article  Artículo 42 bis.; Art. 42-A.; Artigo 42.º;    ``Art. 42 bis``; ``Art. 42-A``; ``Art. 42``;
               Art. 1º; Art. 1.003. (Brazil)                 ``Art. 1``; ``Art. 1003``
cfr_section    § 1.16 National application filing … (eCFR);  ``§ 1.16``
               Sec. 1.16  National … (GPO)
dotted_rule    63.17A; 10.3 (1) The general rule …;          ``63.17A``; ``10.3``;
(CPR, AU FCR)  16.32 followed by the rule's caption           ``16.32``
uk_si_rule     17.—(1) Any notice …; 29.  Where …; Rule 17   ``Rule 17``
ru_statya      Статья 1229. Исключительное право; 1246.1     ``Статья 1229``; ``Статья 1246.1``
tr_madde       MADDE 7 –; Geçici Madde 1; EK MADDE 2         ``Madde 7``; ``Geçici Madde 1``; ``Ek Madde 2``
(every style)  Anlage 1 (zu § 2); ANNEX I; Schedule A1;      ``Anlage 1``; ``Annex I``; ``Schedule A1``;
               Annexe 2; Anexo I; 別表第一（第二条関係）;    ``Annexe 2``; ``Anexo I``; ``別表第1``;
               附則別表第二の二 (in a 附則 block); 별표 1;  ``附則(…)別表第2の2``; ``별표1``;
               Приложение 1                                  ``Приложение 1``
=============  ============================================  =====================

The last three (and uk_section) are used only when the registry names them: bare numbers
are too common to detect a style by.

Plain text (no Markdown headings) is read with four safeguards, in this order: a heading
inside the notes of a US section is text; a **table of contents** entry (a heading with no text
of its own whose heading recurs further down, or the 目次's closing "附則") is not a heading;
of the remaining article headings, only the **longest non-decreasing run** of numbers per
series counts (one misplaced or false heading cannot hide the ones after it); and division
headings (Titre, CHAPTER, Abschnitt, 第二章 — ``structure=True``) become **structure units**
(``kind`` "structure"), never part of an article's text.

Numerals written in kanji / hanzi (第百九十六条) become Arabic digits; full-width digits
become ASCII. Within a Japanese 附則 or Korean 부칙 block, article ids (and a 附則's own
附則別表) carry the block's id as a prefix (``附則第2条``), because every supplementary block
numbers from 1 again; the law's 別表, printed after all 附則 blocks, take no prefix. An id that
still occurs twice gets `` (2)``, `` (3)``… in order.

Ids are compared elsewhere with whitespace removed (``id_key``). ``zh_label`` gives the
readable Chinese form used in summaries (``§ 139`` → 第139条, ``第196条の2`` → 第196条之2).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from kb.core.numerals import kanji_number

HEADER_ID = "__header__"
# The front matter's Chinese label: title, enactment formula, preamble (序言), a title's notes.
HEADER_LABEL = "卷首（标题、序言与注释）"

KANJI_NUM = "〇零一二三四五六七八九十百千万两"  # the numerals of article numbers (no 億)
_NUM = rf"[0-9{KANJI_NUM}]+"
# one implementation for kb and crawlers (kb may not import crawlers): 百九十六 → 196
kanji_to_int = kanji_number


def _n(text: str) -> str:
    return str(kanji_to_int(text))


# After the number a heading shows the end of the line, punctuation, a bracket or a word that
# does not start in lower case ("§ 91 ist entsprechend anzuwenden" is a sentence).
_LOWER = "a-zäöüßàâçéèêëîïôûùÿñæœáíóúãõа-яё"
_HEAD_END = rf"(?=\s*$|\s*[.:–—\-(\[【]|\s+[^\s{_LOWER}])"

# A US section number is followed by a full stop, a dash or the end of the line, never by a
# bracket: "Sec. 4507(4)], …" is a wrapped line of a note, not a heading.
_US_END = r"(?=\.|\s*$|\s+[–—-]\s|\s+[A-Z][a-z])"

# German nouns are capitalised: "§ 14 Abs. 7 ist entsprechend anzuwenden" is a reference.
_DE_REFERENCE = r"(?!\s+(?:Abs\.|Absatz|Satz|Nr\.|Nummer|Buchstabe|Halbsatz|Anlage|Anhang)(?:\s|$))"


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    canon: Callable[[re.Match], str]
    block: bool = False      # a supplementary-provisions block (附則 / 부칙): prefixes what follows
    own_line: bool = True    # in plain text, must open a paragraph (follow a blank line)
    structure: bool = False  # a division heading (Titre, Chapter, 第一章): structure, not text
    preferred: bool = False  # when the text has several such headings, only these count


@dataclass(frozen=True)
class Article:
    id: str      # canonical id, e.g. "§ 16a"
    label: str   # the heading line as printed
    text: str    # the whole unit, heading line included
    kind: str = "article"  # article / header / structure (a division heading and its own text)

    @property
    def key(self) -> str:
        return id_key(self.id)


def id_key(article_id: str) -> str:
    """The form in which ids are compared: whitespace removed."""
    return re.sub(r"\s+", "", article_id)


def _p(regex: str, canon: Callable[[re.Match], str], **flags) -> Pattern:
    return Pattern(re.compile(regex), canon, **flags)


def _de_range(m: re.Match) -> str:
    sep = ", " if m.group(2) in ("und", ",") else "-"
    return f"§§ {m.group(1)}{sep}{m.group(3)}"


def _fr(m: re.Match) -> str:
    number = m.group(2) + (m.group(3) or "") + "".join(f" {g}" for g in m.group(4, 5) if g)
    return f"{m.group(1)}{number}" if m.group(1) else f"Article {number}"


def _structure(m: re.Match) -> str:
    """A division heading's id: its words, without the trailing title (Titre Ier, 第1章)."""
    text = re.sub(r"\s+", " ", m.group(0)).strip(" -—–:.")
    return re.sub(rf"[{KANJI_NUM}]+", lambda k: _n(k.group()), text)


# German divisions: "Abschnitt 2 - Patentamt", "Teil 1 Anwendungsbereich", "Zweiter Abschnitt -
# Patentamt", "Erstes Buch". An ordinal becomes a number (Zweiter Abschnitt → Abschnitt 2), as
# a law may be republished with numbered divisions.
_DE_DIVISIONS = "Buch|Teil|Kapitel|Abschnitt|Unterabschnitt|Titel|Untertitel"
_DE_ORDINALS = ["Erst", "Zweit", "Dritt", "Viert", "Fünft", "Sechst", "Siebent", "Acht", "Neunt",
                "Zehnt", "Elft", "Zwölft", "Dreizehnt", "Vierzehnt", "Fünfzehnt", "Sechzehnt",
                "Siebzehnt", "Achtzehnt", "Neunzehnt", "Zwanzigst"]
_DE_ORDINAL = {stem: n for n, stem in enumerate(_DE_ORDINALS, 1)} | {"Siebt": 7}
_DE_RANK = {name: rank for rank, name in enumerate(_DE_DIVISIONS.split("|"))}


def _de_division(m: re.Match) -> str:
    if m.group(1):
        return f"{m.group(1)} {m.group(2)}"
    return f"{m.group(4)} {_DE_ORDINAL[m.group(3)]}"


def _ja_article(m: re.Match) -> str:
    subs = "".join(f"の{_n(s)}" for s in re.findall(rf"の({_NUM})", m.group(2)))
    return f"第{_n(m.group(1))}条{subs}"


def _zh_article(m: re.Match) -> str:
    return f"第{_n(m.group(1))}条" + (f"之{_n(m.group(2))}" if m.group(2) else "")


def _ja_block(m: re.Match) -> str:
    extra = re.sub(r"\s+", "", m.group(1) or "")
    return "附則" + re.sub(rf"[{KANJI_NUM}]+", lambda k: _n(k.group()), extra)


def _ko_block(m: re.Match) -> str:
    return "부칙" + re.sub(r"\s+", "", m.group(1) or "")


def _es_pt(m: re.Match) -> str:
    # Brazil groups thousands with a dot: "Art. 1.003" is article 1003
    return f"Art. {m.group(1).replace('.', '')}" + (f"-{m.group(2)}" if m.group(2) else "") + (
        f" {m.group(3)}" if m.group(3) else "")


def _tr(m: re.Match) -> str:
    kind = (m.group(1) or "").upper()
    return {"GEÇİCİ": "Geçici ", "GEÇICI": "Geçici ", "EK": "Ek "}.get(kind, "") + f"Madde {m.group(2)}"


ANNEXES = [
    _p(r"^(Anlage|Annexe|Annex|ANNEX|ANNEXE|ANLAGE|Schedule|SCHEDULE|Anexo|ANEXO|Приложение)"
       r"(?:\s+(?:No\.?\s*|Nr\.\s*)?([A-Z]?\d+[A-Z]?|[IVXLC]+))?(?=\s*$|\s*[.:–—\-(])",
       lambda m: m.group(1).capitalize() + (f" {m.group(2)}" if m.group(2) else "")),
    # Japan: 別表第一（第二条関係）, 別表（第十九条関係）, 別表第二の二; a 附則's own table is
    # 附則別表第一 (its id takes the 附則 block's). A caption in brackets may follow, then the line
    # ends or a space does: "別表第一（第二条関係）に掲げる…" is a sentence.
    _p(rf"^(附\s*則\s*)?別表(?:第({_NUM})((?:の{_NUM})*))?(?:\([^)]*\))?(?=$|\s)",
       lambda m: ("附則" if m.group(1) else "") + "別表" + (
           f"第{_n(m.group(2))}" + "".join(f"の{_n(x)}" for x in re.findall(_NUM, m.group(3)))
           if m.group(2) else ""), own_line=False),
    _p(r"^별표\s*(\d*)(?=$|[\s(<])", lambda m: "별표" + m.group(1), own_line=False),
]

STYLES: dict[str, list[Pattern]] = {
    "de_paragraph": [
        _p(r"^§§\s*(\d+[a-z]?)\s*(bis|und|,|-|–)\s*(\d+[a-z]?)(?=\s*(?:\(|$))", _de_range),
        _p(r"^§\s*(\d+[a-z]?)" + _HEAD_END + _DE_REFERENCE, lambda m: f"§ {m.group(1)}"),
        # "Teil 2 Abschnitt 3 der Anlage gilt" is a reference: no division word may follow
        _p(rf"^(?:({_DE_DIVISIONS})\s+(\d+[a-z]?)|({'|'.join(_DE_ORDINAL)})(?:er|es|e)\s+"
           rf"({_DE_DIVISIONS}))(?=\s*$|\s*[-–—:.]|\s+[A-ZÄÖÜ])(?!\s+(?:{_DE_DIVISIONS})\b)"
           + _DE_REFERENCE,
           _de_division, structure=True),
    ],
    "es_pt_article": [
        _p(r"^(?:Art\.|Artículo|Articulo|Artigo|ARTÍCULO|ARTIGO)\s*"
           r"(\d{1,3}(?:\.\d{3})+(?!\d)|\d+(?!\.\d{3}(?!\d)))[o°]?"
           r"(?:[-‑]([A-Z])|\s+(bis|ter|quater|quinquies))?" + _HEAD_END, _es_pt),
    ],
    "eu_article": [
        _p(r"^Article\s+(\d+[a-z]?)" + _HEAD_END, lambda m: f"Article {m.group(1)}"),
    ],
    "fr_code": [
        _p(r"^Art(?:icle|\.)\s+(?:([LRDA])\s*\.?\s*\*?\s*)?(\d+(?:-\d+)*)(?:er|([a-z]))?"
           r"(?:\s+(bis|ter|quater))?(?:\s+([A-Z])(?=\s*$|\s*[.:–—]))?" + _HEAD_END, _fr),
        _p(r"^(?:(?:Partie|Livre|Titre|Chapitre|Section|Sous-section|Paragraphe|Sous-paragraphe)"
           r"\s+(?:[IVXLC]+|\d+|unique|préliminaire|[A-Z][a-zé]+)(?:er|e)?(?:\s+(?:bis|ter|quater))?"
           r"|(?:Première|Deuxième|Troisième|Quatrième|Cinquième)\s+partie)(?=\s*$|\s*[:.–—-])",
           _structure, structure=True),
    ],
    "ja_jo": [
        # a caption in brackets may follow, but then the line ends or a space does: a sentence
        # opening with a cross-reference ("第百三十九条（第六号を除く。）の規定は") is no heading
        _p(rf"^第({_NUM})条((?:の{_NUM})*)(?:\([^)]*\))?(?=$|\s)", _ja_article, own_line=False),
        _p(r"^附\s*則\s*(\([^)]*\))?\s*(?:抄)?\s*$", _ja_block, block=True, own_line=False),
        _p(rf"^第{_NUM}(?:編|章|節|款|目)(?:の{_NUM})*(?=$|\s)", _structure, own_line=False,
           structure=True),
    ],
    "zh_tiao": [
        _p(rf"^第({_NUM})条(?:之({_NUM}))?(?=$|[\s(【])", _zh_article, own_line=False),
        _p(r"^附\s*则\s*$", lambda m: "附则", block=True, own_line=False),
        _p(rf"^第{_NUM}(?:编|分编|章|节)(?=$|\s)", _structure, own_line=False, structure=True),
    ],
    "ko_jo": [
        _p(r"^제\s*(\d+)\s*조(?:\s*의\s*(\d+))?(?=$|[\s(])",
           lambda m: f"제{m.group(1)}조" + (f"의{m.group(2)}" if m.group(2) else ""), own_line=False),
        _p(r"^부\s*칙\s*(<[^>]*>)?\s*$", _ko_block, block=True, own_line=False),
    ],
    "us_section": [
        # uscode.house.gov prints "§271. Infringement of patent"; notes quote "Section 1." of
        # executive orders and acts: when the page has § headings, only those count
        _p(r"^§\s*(\d+[a-z]?(?:-\d+)?)" + _US_END, lambda m: f"§ {m.group(1)}", preferred=True),
        _p(r"^(?:Sec\.|SEC\.|Section|SECTION)\s*(\d+[a-z]?(?:-\d+)?)" + _US_END,
           lambda m: f"§ {m.group(1)}"),
        _p(r"^(?:TITLE|SUBTITLE|PART|SUBPART|CHAPTER|SUBCHAPTER)\s+[0-9IVXLC]+[A-Z]?\s*[-—–]",
           _structure, structure=True),
    ],
    "uk_section": [  # also Australia and India (Commonwealth drafting)
        _p(r"^Section\s+(\d+[A-Z]{0,2})" + _HEAD_END, lambda m: f"Section {m.group(1)}"),
        _p(r"^(\d+[A-Z]{0,2})\.?\s+(?=[A-Z(][^.;,]*\.?$)", lambda m: f"Section {m.group(1)}"),
        # India: "104A. Burden of proof in case of suits concerning infringement.—(1) In any…"
        _p(r"^(\d+[A-Z]{0,2})\.\s+(?=[A-Z][^.]*\.\s*[—–-])", lambda m: f"Section {m.group(1)}"),
    ],
    # US Code of Federal Regulations (eCFR, one part per page): "§ 1.16 National application
    # filing, search, and examination fees." — the part number, a dot and the section's
    "cfr_section": [
        # GPO's printed CFR writes "Sec. 1.16  National application filing fees."
        _p(r"^(?:§|Sec\.)\s*(\d+\.\d+[a-z]?(?:-\d+)?)" + _US_END, lambda m: f"§ {m.group(1)}"),
        _p(r"^(?:PART|Part|SUBPART|Subpart)\s+[0-9A-Z]+\s*[-—–]", _structure, structure=True),
    ],
    # Rules numbered within their part: England's Civil Procedure Rules ("63.17A" on its own
    # line, or "10.3 (1) The general rule…") and Australia's Federal Court Rules 2011
    # ("16.32" and the rule's caption). The bare number is the id, as the rules are cited.
    "dotted_rule": [
        _p(r"^(\d+\.\d+[A-Z]{0,2})(?=\s*$|\.?\s*[–—]|\s+\(|\s+[A-Z])", lambda m: m.group(1)),
        _p(r"^(?:Part|PART|Division|Subdivision|Section|SECTION)\s+(?:\d+(?:\.\d+)*[A-Z]?|[IVXLC]+)"
           r"(?=\s*$|\s*[-—–:])", _structure, structure=True),
    ],
    # UK statutory instruments on legislation.gov.uk: "17.—(1) Any notice …", "29.  Where an
    # application …" (the heading line above is the rule's caption, text of the rule before).
    "uk_si_rule": [
        _p(r"^(\d+[A-Z]{0,2})\.(?=\s*[–—]|\s+[A-Z(])", lambda m: f"Rule {m.group(1)}"),
        _p(r"^Rule\s+(\d+[A-Z]{0,2})(?=\s*$|\s*[.:–—-])", lambda m: f"Rule {m.group(1)}"),
    ],
    "ru_statya": [
        _p(r"^Статья\s+(\d+(?:\.\d+)?)" + _HEAD_END, lambda m: f"Статья {m.group(1)}"),
    ],
    "tr_madde": [
        _p(r"^(GEÇİCİ|GEÇICI|Geçici|EK|Ek)?\s*(?:MADDE|Madde)\s+(\d+)(?=\s*$|\s*[-–—(/])", _tr),
    ],
}

# Auto-detection: the style with most headings wins; on a tie the earlier one here (a
# Brazilian "Art. 1o" matches es_pt and fr_code alike). uk_section (bare numbers) only when named.
# The rule styles (bare numbers too) are likewise used only when named.
DETECTABLE = [s for s in STYLES if s not in ("uk_section", "cfr_section", "dotted_rule", "uk_si_rule")]

_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_PLACEHOLDER = re.compile(r"^\(X+\)\s+")  # "(XXXX) §§ 18 und 19" in bundestag/gesetze
_CAPTION = re.compile(r"^\([^()]{1,40}\)$")  # a Japanese article caption: （目的）
_KANA = re.compile(r"[\u3040-\u309f]")


def _heading_text(line: str) -> str:
    line = unicodedata.normalize("NFKC", _MD_HEADING.sub("", line.strip()))
    return _MD_PLACEHOLDER.sub("", line)


def _match(line: str, patterns: list[Pattern]) -> tuple[Pattern, re.Match] | None:
    text = _heading_text(line)
    for pattern in patterns:
        m = pattern.regex.match(text)
        if m:
            return pattern, m
    return None


def _opens_paragraph(lines: list[str], i: int) -> bool:
    return i == 0 or not lines[i - 1].strip() or bool(_CAPTION.match(_heading_text(lines[i - 1])))


def _candidates(lines: list[str], patterns: list[Pattern]) -> list[tuple[int, Pattern, re.Match]]:
    found = [(i, *hit) for i, line in enumerate(lines) if (hit := _match(line, patterns))]
    in_markdown = [c for c in found if _MD_HEADING.match(lines[c[0]])]
    if in_markdown:
        return in_markdown
    found = [c for c in found if not c[1].own_line or _opens_paragraph(lines, c[0])]
    preferred = [c for c in found if c[1].preferred]
    if len(preferred) > 1:
        found = [c for c in found if c[1].preferred or not _is_article(c[1])]
    return _in_order(_without_contents(lines, _outside_notes(lines, found)))


# Notes printed under a US Code section (uscode.house.gov's headings). An executive order quoted
# there has its own "PART I - DESIGN OF THE FLAG": inside notes that is text, not structure.
NOTES_HEADING = re.compile(r"^(?:Editorial Notes|Statutory Notes and Related Subsidiaries|"
                           r"Executive Documents|Notes)$")


def _outside_notes(lines: list[str], found: list[tuple[int, Pattern, re.Match]]
                   ) -> list[tuple[int, Pattern, re.Match]]:
    """Drop structure headings inside a section's notes (which end at the next article
    heading or citation line)."""
    if not any(NOTES_HEADING.match(line) for line in lines):
        return found
    articles = {i for i, pattern, _ in found if _is_article(pattern)}
    in_notes, inside = False, set()
    for i, line in enumerate(lines):
        if i in articles or _LEAD_IN.match(line):
            in_notes = False
        elif NOTES_HEADING.match(line):
            in_notes = True
        elif in_notes:
            inside.add(i)
    return [c for c in found if not (c[1].structure and c[0] in inside)]


def article_body(text: str) -> str:
    """An article's text without the notes printed under it (US Code)."""
    for m in re.finditer(r"^.*$", text, re.M):
        if NOTES_HEADING.match(m.group()):
            return text[: m.start()]
    return text


def _is_article(pattern: Pattern) -> bool:
    return not (pattern.block or pattern.structure or pattern in ANNEXES)


def _without_contents(lines: list[str], found: list[tuple[int, Pattern, re.Match]]
                      ) -> list[tuple[int, Pattern, re.Match]]:
    """Drop the entries of a table of contents: a heading with no text of its own (the next
    non-blank line is another heading) whose id occurs again further down the page.

    So the 目次 line "附則" never opens a supplementary block, and the list of links to a
    chapter's articles on a Légifrance page never becomes a row of empty articles."""
    keys = [_contents_key(lines[i], pattern, m) for i, pattern, m in found]
    later: Counter = Counter(keys)
    kept = []
    for n, (i, pattern, m) in enumerate(found):
        later[keys[n]] -= 1
        end = found[n + 1][0] if n + 1 < len(found) else len(lines)
        # a 附則 with no text before a division heading, with at most other text-less entries
        # (別表) between: the 目次's last lines (附則 blocks follow the main provisions, never
        # precede a chapter)
        before_division = pattern.block and _contents_until_division(lines, found, n + 1)
        if not ((later[keys[n]] > 0 or before_division) and _no_text(lines, i, end, pattern, m)):
            kept.append((i, pattern, m))
    return kept


def _contents_until_division(lines: list[str], found: list[tuple[int, Pattern, re.Match]],
                             start: int) -> bool:
    """Whether a division heading follows ``found[start - 1]`` with only text-less annex
    entries between (the end of a Japanese 目次: "附則", "別表", then "第一章　総則")."""
    for n in range(start, len(found)):
        i, pattern, m = found[n]
        if pattern.structure:
            return True
        end = found[n + 1][0] if n + 1 < len(found) else len(lines)
        if pattern not in ANNEXES or not _no_text(lines, i, end, pattern, m):
            return False
    return False


def _contents_key(line: str, pattern: Pattern, m: re.Match) -> str:
    """What a contents entry shares with the heading it points to: an article's or a 附則
    block's id; a division's whole heading line ("Section 2 : Transmission et perte des
    droits" — "Section 2" alone recurs in every chapter), without the article range a Japanese
    目次 adds."""
    if not pattern.structure:
        return pattern.canon(m)
    return re.sub(r"\s+|\([^()]*\)$", "", _heading_text(line))


# A contents entry of a compiled Australian text: caption, then the page number ("Name of Rules 35").
_PAGE_NUMBER = re.compile(r"^[A-Z][^.;:]*[A-Za-z)]\s+\d{1,4}$")


def _no_text(lines: list[str], head: int, end: int, pattern: Pattern, m: re.Match) -> bool:
    """Whether a heading has no text of its own: nothing after the number on its line (a
    division's title, or an article's caption followed by the page number of a printed table
    of contents — "16.32 Time for filing defence 187" — does not count) and only blank lines or
    captions up to the next one."""
    rest = _heading_text(lines[head])[m.end():].strip()
    if rest and _is_article(pattern) and not _PAGE_NUMBER.search(rest):
        return False
    return all(not line.strip() or _CAPTION.match(_heading_text(line)) for line in lines[head + 1:end])


def _in_order(found: list[tuple[int, Pattern, re.Match]]) -> list[tuple[int, Pattern, re.Match]]:
    """Plain text: keep the longest run of article headings whose numbers never go down.

    A heading numbered out of order is a cross-reference or a misplaced article; taking the
    longest non-decreasing run (rather than comparing with the last heading kept) means one
    false heading with a high number cannot hide every real heading after it. Each series
    ("L", "R", "Madde ", "Geçici Madde ") is ordered on its own; numbering starts again in
    each supplementary block (附則); structure headings and annexes are not numbered."""
    segments: dict[tuple[int, str], list[int]] = {}
    block = 0
    for n, (_, pattern, m) in enumerate(found):
        if pattern.block:
            block += 1
        elif _is_article(pattern):
            series, number = _series_number(pattern.canon(m))
            segments.setdefault((block, series), []).append(n)
    dropped: set[int] = set()
    for members in segments.values():
        numbers = [_series_number(found[n][1].canon(found[n][2]))[1] for n in members]
        keep = set(_longest_non_decreasing(numbers))
        dropped.update(n for k, n in enumerate(members) if k not in keep)
    return [c for n, c in enumerate(found) if n not in dropped]


def _longest_non_decreasing(values: list[tuple]) -> list[int]:
    """Indexes of a longest non-decreasing subsequence (patience sorting, O(n log n))."""
    tails: list[tuple] = []       # smallest tail value of a run of each length
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        k = bisect.bisect_right(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[k], tail_index[k] = value, i
        previous[i] = tail_index[k - 1] if k else -1
    run, i = [], tail_index[-1] if tail_index else -1
    while i >= 0:
        run.append(i)
        i = previous[i]
    return run[::-1]


def _series_number(canon: str) -> tuple[str, tuple]:
    """("L", ((613, ""), (2, ""), (2, ""))) for L613-2-2: the series and the number to order by."""
    m = re.search(r"\d", canon)
    if not m:
        return canon, ()
    return canon[: m.start()], tuple((int(d), x) for d, x in re.findall(r"(\d+)([a-z]*)", canon))


def detect_style(text: str) -> str:
    """The numbering style whose headings occur most often in ``text`` (see ``DETECTABLE``)."""
    lines = text.splitlines()
    counts = Counter({name: len(_candidates(lines, STYLES[name])) for name in DETECTABLE})
    if counts["ja_jo"] and _KANA.search(text) is None:
        counts["ja_jo"] = 0  # no kana: Chinese, not Japanese
    best = max(DETECTABLE, key=lambda name: counts[name])
    return best if counts[best] else "de_paragraph"


def split_articles(text: str, style: str | None = None) -> list[Article]:
    """Split ``text`` into units: ``__header__`` (the front matter), articles and structure
    units (a division heading with its own text, e.g. its list of contents).

    The front matter is the text before the first heading and, up to the first article, every
    line under a division heading that is neither a heading of the law's style (a contents
    entry) nor its citation line: a title's notes (US Code), a preamble or 序言 printed under
    the first division heading. So a change there is reported (as the ``__header__`` unit)
    rather than absorbed by a structure unit, whose changes are never listed."""
    style = style or detect_style(text)
    if style not in STYLES:
        raise ValueError(f"unknown numbering style {style!r}; known: {', '.join(STYLES)}")
    lines = text.splitlines()
    patterns = STYLES[style] + ANNEXES
    heads = _candidates(lines, patterns)
    starts = [_unit_start(lines, i, heads[n - 1][0] if n else -1) for n, (i, _, _) in enumerate(heads)]
    units = [[HEADER_ID, "", range(0, starts[0] if starts else len(lines)), "header"]]
    block, divisions = "", {}
    for n, (i, pattern, m) in enumerate(heads):
        canon = pattern.canon(m)
        if pattern.block:
            block = canon
        elif block and (_is_article(pattern) or canon.startswith(_SUPPLEMENTARY_TABLE)):
            canon = block + canon.removeprefix("附則")
        elif pattern.structure:
            canon = _nested(canon, divisions)
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        kind = "structure" if pattern.structure else "article"
        units.append([canon, _heading_text(lines[i]), range(starts[n], end), kind])
    _gather_front_matter(units, lines, patterns, [i for i, _, _ in heads])
    articles = [Article(uid, label, _joined(lines, rows), kind)
                for uid, label, rows, kind in _dedupe(units)]
    return [a for a in articles if a.id != HEADER_ID or a.text]


_SUPPLEMENTARY_TABLE = "附則別表"


def _nested(canon: str, divisions: dict[int, str]) -> str:
    """A German division's id within its enclosing ones: every Teil numbers its Abschnitte
    from 1 again, so the second "Abschnitt 1" is "Teil 3 Abschnitt 1". Other ids unchanged."""
    rank = _DE_RANK.get(canon.split(" ")[0])
    if rank is None:
        return canon
    for lower in [r for r in divisions if r >= rank]:
        del divisions[lower]
    nested = " ".join([divisions[r] for r in sorted(divisions)] + [canon])
    divisions[rank] = canon
    return nested


def _joined(lines: list[str], rows: range | list[int]) -> str:
    if isinstance(rows, range):  # most units: one slice of the page
        return "\n".join(lines[rows.start:rows.stop]).strip()
    return "\n".join(lines[k] for k in rows).strip()


def _gather_front_matter(units: list[list], lines: list[str], patterns: list[Pattern],
                         head_lines: list[int]) -> None:
    """Move the prose under the division headings that precede the first article into the
    header unit (see ``split_articles``). A structure unit keeps its lead-in and heading
    lines and its contents entries; notes (from an "Editorial Notes" line on) are prose."""
    heads = set(head_lines)
    header = list(units[0][2])
    for unit in units[1:]:
        if unit[3] != "structure":
            break
        rows, kept, in_notes, owner_kept = unit[2], [], False, True
        head_seen = False
        for k in rows:
            line = lines[k]
            if not head_seen:
                kept.append(k)
                head_seen = k in heads
                continue
            if not line.strip():
                (kept if owner_kept else header).append(k)
                continue
            in_notes = in_notes or bool(NOTES_HEADING.match(line.strip()))
            owner_kept = not in_notes and _match(line, patterns) is not None
            (kept if owner_kept else header).append(k)
        unit[2] = kept
    units[0][2] = header


# Lines printed just before a heading that belong to its unit: a Japanese caption (（目的）) and
# the US Code's citation line with its release date stamp ("35 USC Sec. 271  01/03/2012").
_LEAD_IN = re.compile(r"^\d+ U\.?S\.?C\.?\s")


def _unit_start(lines: list[str], head: int, previous_head: int) -> int:
    """A unit starts at its heading, or at the lead-in line just before it (blank lines
    between allowed)."""
    if _MD_HEADING.match(lines[head]):
        return head
    j = head - 1
    while j > previous_head and not lines[j].strip():
        j -= 1
    if j > previous_head and (_CAPTION.match(_heading_text(lines[j])) or _LEAD_IN.match(lines[j])):
        return j
    return head


def _dedupe(units: list[list]) -> list[list]:
    seen: Counter = Counter()
    result = []
    for uid, label, rows, kind in units:
        seen[id_key(uid)] += 1
        count = seen[id_key(uid)]
        result.append([uid if count == 1 else f"{uid} ({count})", label, rows, kind])
    return result


def display_id(article_id: str) -> str:
    """The id as shown to readers: the law's own form, ``__header__`` as ``HEADER_LABEL``."""
    return HEADER_LABEL if article_id == HEADER_ID else article_id


def zh_label(article_id: str) -> str:
    """Readable Chinese form of a canonical id: § 139 → 第139条, Annex I → 附件I."""
    if article_id == HEADER_ID:
        return HEADER_LABEL
    for pattern, repl in _ZH_FORMS:
        m = pattern.match(article_id)
        if m:
            return repl(m)
    return article_id


_ZH_FORMS: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (re.compile(r"^§§ (\S+)-(\S+)$"), lambda m: f"第{m.group(1)}至{m.group(2)}条"),
    (re.compile(r"^§§ (\S+), (\S+)$"), lambda m: f"第{m.group(1)}、{m.group(2)}条"),
    (re.compile(r"^(?:§|Art\.|Article|Section|Rule|Статья|Madde) (\S+)( bis| ter)?$"),
     lambda m: f"第{m.group(1)}{m.group(2) or ''}条"),
    (re.compile(r"^([LRDA]\d[\d-]*)$"), lambda m: f"第{m.group(1)}条"),
    (re.compile(r"^(\d+\.\d+[A-Z]{0,2})$"), lambda m: f"第{m.group(1)}条"),  # CPR 63.17A
    (re.compile(r"^Geçici Madde (\d+)$"), lambda m: f"临时第{m.group(1)}条"),
    (re.compile(r"^Ek Madde (\d+)$"), lambda m: f"附加第{m.group(1)}条"),
    (re.compile(r"^(?:附則|부칙|附则)(\(.*?\)|<.*?>)?(.*)$"),
     lambda m: "附则" + (f"（{m.group(1)[1:-1]}）" if m.group(1) else "")
     + (zh_label(m.group(2)) if m.group(2) else "")),
    (re.compile(r"^第(\d+)条((?:の\d+)*)$"), lambda m: f"第{m.group(1)}条" + m.group(2).replace("の", "之")),
    (re.compile(r"^제(\d+)조(?:의(\d+))?$"),
     lambda m: f"第{m.group(1)}条" + (f"之{m.group(2)}" if m.group(2) else "")),
    (re.compile(r"^別表(.*)$"), lambda m: "附表" + m.group(1).replace("の", "之")),
    (re.compile(r"^(?:Anlage|Annex|Annexe|Schedule|Anexo|Приложение|별표)\s*(?:第)?(.*)$"),
     lambda m: f"附件{m.group(1)}"),
]
