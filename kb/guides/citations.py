"""Citations in the guides: which links name an article, and which reach it.

A *citation that names an article* is a Markdown link whose text names a unit of a law
(``PatG § 139``, ``EPC 第99条``, ``Section 60``, ``제128조``, ``Статья 1252``, ``Rule 23`` …).
It is *article-level* when its URL matches an ``article`` form of ``article_links.yaml``: the
address of that unit on the official site. It is an *exception* when its URL matches an
``exception`` form: the official site offers no article address (or none could be confirmed),
and the link reaches the finest address it does offer (the document on pravo.gov.ru or
mevzuat.gov.tr, the Part of TRIPS on wto.org …); each exception form states its reason.
Exceptions are never counted as article-level: the report gives the share both ways, and the
goal — at least :data:`ARTICLE_SHARE_GOAL` of the citations naming an article — is checked on
the share that counts documented exceptions.
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


KINDS = ("article", "exception")


@dataclass(frozen=True)
class Citation:
    text: str
    url: str
    names_article: bool
    article_level: bool
    exception: bool = False  # the site's finest address, where it offers no article address
    line: int = 0  # 1-based line of the file


@dataclass(frozen=True)
class UrlForm:
    site: str
    kind: str  # "article" or "exception"
    pattern: re.Pattern
    reason: str = ""


@lru_cache(maxsize=2)
def url_forms(path: Path = ARTICLE_LINKS_FILE) -> tuple[UrlForm, ...]:
    """The URL forms of ``article_links.yaml``; an exception without its reason is an error."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    forms = []
    for number, entry in enumerate(data["forms"], start=1):
        kind = entry.get("kind")
        if kind not in KINDS:
            raise ValueError(f"{path}：第{number}个链接形式（{entry.get('site')}）的 kind 应为 article 或 exception")
        if kind == "exception" and not str(entry.get("reason", "")).strip():
            raise ValueError(f"{path}：第{number}个链接形式（{entry['site']}）是例外，须写明 reason")
        forms.append(UrlForm(entry["site"], kind, re.compile(entry["pattern"]), entry.get("reason", "")))
    return tuple(forms)


def url_kind(url: str) -> str | None:
    """"article", "exception" or None (a page above the article, with no documented reason)."""
    for form in url_forms():
        if form.pattern.search(url):
            return form.kind
    return None


def is_article_url(url: str) -> bool:
    return url_kind(url) == "article"


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
        kind = url_kind(url)
        line = guide.body_line + guide.body.count("\n", 0, match.start())
        out.append(Citation(text, url, bool(named), kind == "article", kind == "exception", line))
    return out


def article_share(guides: list[Guide]) -> tuple[int, int]:
    """(article-level citations, citations naming an article) over ``guides``."""
    named = [c for g in guides for c in citations(g) if c.names_article]
    return sum(c.article_level for c in named), len(named)


def exception_count(guides: list[Guide]) -> int:
    """Citations naming an article that reach a documented exception's finest address."""
    return sum(c.exception for g in guides for c in citations(g) if c.names_article)


def landing_citations(guide: Guide) -> list[Citation]:
    """Citations that name an article but lead to a page above it with no documented reason."""
    return [c for c in citations(guide) if c.names_article and not c.article_level and not c.exception]
