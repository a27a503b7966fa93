"""Citations in the guides: which links name an article, and which reach it.

A *citation that names an article* is a Markdown link whose text names a unit of a law
(``PatG § 139``, ``EPC 第99条``, ``Section 60``, ``제128조``, ``Статья 1252``, ``Rule 23`` …).
It is *article-level* when its URL matches one of the forms in ``article_links.yaml``: the
address of that unit on the official site, or, where the official site has no finer address
than the document (pravo.gov.ru, mevzuat.gov.tr), the document's own id. The goal is that at
least :data:`ARTICLE_SHARE_GOAL` of the citations naming an article are article-level.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kb.guides import Guide

ARTICLE_LINKS_FILE = Path(__file__).resolve().parent / "article_links.yaml"
ARTICLE_SHARE_GOAL = 0.8

_MD_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
# the forms in which the guides name a unit of a law, in the languages they quote
NAMES_ARTICLE = re.compile(
    r"§|\bArt(?:icle|\.|igo|ículo)?\s*\d|\bArticles?\s+[LRD]?\d|\b[LRD]\.?\s?\d{3}-\d"
    r"|\bs\.\s?\d|\bss\.\s?\d|\bSections?\s+\d|\bRules?\s+\d|\bRegel\s+\d|\bCPR\s+\d"
    r"|第[0-9一二三四五六七八九十百千]+条|제\d+조|Стать[яи]\s+\d|\bMadde\s+\d|\bFRCP\s+\d"
    r"|\b\d+\s*U\.S\.C\.|\bCFR\s*§|\bUPCA\s"
)


@dataclass(frozen=True)
class Citation:
    text: str
    url: str
    names_article: bool
    article_level: bool


@lru_cache(maxsize=2)
def article_url_forms(path: Path = ARTICLE_LINKS_FILE) -> tuple[re.Pattern, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(re.compile(entry["pattern"]) for entry in data["forms"])


def is_article_url(url: str) -> bool:
    return any(form.search(url) for form in article_url_forms())


def _lead_in(body: str, start: int) -> str:
    """The words just before a link in its own clause: 第1229条（[pravo.gov.ru](…)） names Art. 1229."""
    before = body[max(0, start - 30):start]
    return re.split(r"[。；;\n]|\]\([^)]*\)", before)[-1]


def citations(guide: Guide) -> list[Citation]:
    """Every external link of the guide with what it names and where it leads."""
    out = []
    for match in _MD_LINK.finditer(guide.body):
        url = match.group("url")
        if not url.startswith(("http://", "https://")):
            continue
        text = match.group("text")
        named = NAMES_ARTICLE.search(_lead_in(guide.body, match.start()) + " " + text)
        out.append(Citation(text, url, bool(named), is_article_url(url)))
    return out


def article_share(guides: list[Guide]) -> tuple[int, int]:
    """(article-level citations, citations naming an article) over ``guides``."""
    named = [c for g in guides for c in citations(g) if c.names_article]
    return sum(c.article_level for c in named), len(named)


def landing_citations(guide: Guide) -> list[Citation]:
    """Citations that name an article but lead to a page above it (to fix or to explain)."""
    return [c for c in citations(guide) if c.names_article and not c.article_level]
