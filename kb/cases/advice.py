"""What the 意见书 says from the knowledge base: whole paragraphs of the guide sections that fit
the case, each cited by guide title, section and public address.

Sections come from ``related_guidance`` (country × right × dispute type); a section written
for another kind of counterparty (a section on NPEs when the other side is a competitor) is
left out; the text is taken paragraph by paragraph from the guide itself — never cut in the
middle of a sentence or a citation — with Markdown reduced to the words a reader sees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.guides import Section, load_guides
from kb.guides.search import page_url

# Words by which a section says which counterparty it is about (choices.COUNTERPARTY_TYPES).
COUNTERPARTY_WORDS = {
    "competitor": ("竞争对手",),
    "npe": ("NPE", "非专利实施实体"),
    "university": ("高校", "研究机构"),
    "individual": ("个人权利人",),
}
PARAGRAPH_CHARS = 700  # enough for two or three whole paragraphs; one is always taken whole

LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
MARKUP = re.compile(r"\*\*|__|`|<!--.*?-->|<[^>]+>", re.S)


@dataclass
class Advice:
    title: str  # the section heading
    guide: str  # the guide's title
    paragraphs: list[str]
    url: str  # site path of the section (page#anchor)


def plain(markdown: str) -> str:
    """Markdown as a reader of the page sees it: link texts, no markup, one line."""
    text = MARKUP.sub("", LINK.sub(r"\1", markdown))
    text = re.sub(r"^\s*[-*+]\s+|^\s*\d+\.\s+", "", text, flags=re.M)
    return " ".join(text.split())


def fits_counterparty(section: Section, counterparty: str) -> bool:
    heading = section.heading
    return not any(code != counterparty and any(word in heading for word in words)
                   for code, words in COUNTERPARTY_WORDS.items())


def whole_paragraphs(section: Section, limit: int = PARAGRAPH_CHARS) -> list[str]:
    """The section's prose paragraphs in order, whole, until ``limit`` characters (at least one);
    tables and headings are skipped (a table does not read as a sentence in a letter)."""
    out: list[str] = []
    used = 0
    for paragraph in section.paragraphs:
        raw = paragraph.text.strip()
        if not raw or raw.startswith(("|", "#", "!!!", ":::")):
            continue
        text = plain(raw)
        if out and used + len(text) > limit:
            break
        out.append(text)
        used += len(text)
    return out


def section_index(guides=None) -> dict[str, Section]:
    """Every guide section by its site URL (the ``url`` of ``related_guidance`` hits)."""
    return {page_url(s.anchor): s for g in (guides or load_guides()) for s in g.sections}


def advice_for(case: dict, hits: list[dict], sections: dict[str, Section]) -> list[Advice]:
    """The advice items of the case from the related sections ``hits``, in their order."""
    counterparty = case["counterparty_type"]
    out = []
    for hit in hits:
        section = sections.get(hit["url"])
        if section is None or not fits_counterparty(section, counterparty):
            continue
        paragraphs = whole_paragraphs(section)
        if paragraphs:
            out.append(Advice(section.heading, section.guide.title, paragraphs, hit["url"]))
    return out
