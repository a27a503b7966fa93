"""Which law a citation's URL belongs to (issue 14, item 3: track what the guides rely on).

:func:`law_key` reduces an official URL to the law (or the part of a large one) it belongs to:
``https://www.gesetze-im-internet.de/zpo/__276.html`` → ``de:zpo``; an e-Gov article anchor →
``jp:<law id>``; a U.S. Code section → ``usc:35§271``. The same function applied to the URLs of
the crawler's source registry gives the laws the system tracks, so ``ipwatch guides check`` can
name every law a guide states a rule of that no crawl would ever see change (the ZPO was the
first). :func:`is_tracked` compares the two, where a tracked whole title covers its sections.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import yaml

from kb.guides import Guide
from kb.guides.citations import ARTICLE_LINKS_FILE, citations

# Légifrance article ids name no code: the ids list of article_links.yaml says which law each
# belongs to, and this maps the law to the code's text id (as the registry tracks it).
FR_CODES = {
    "CPI": "LEGITEXT000006069414",  # Code de la propriété intellectuelle
    "CPC": "LEGITEXT000006070716",  # Code de procédure civile
    "Code de commerce": "LEGITEXT000005634379",
}

_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"gesetze-im-internet\.de/([^/]+)/"), "de:{0}"),
    (re.compile(r"legislation\.gov\.uk/(?:id/)?([a-z]+/(?:[A-Za-z0-9]+/)?[\d-]+/\d+)"), "uk:{0}"),
    (re.compile(r"justice\.gov\.uk/courts/procedure-rules/civil/rules/part(\d+)"), "uk-cpr:{0}"),
    (re.compile(r"uscode\.house\.gov/.*granuleid:USC-prelim-title(\d+)-section(\w+)"), "usc:{0}§{1}"),
    (re.compile(r"uscode\.house\.gov/.*path=/prelim@title(\d+)"), "usc:{0}"),
    (re.compile(r"ecfr\.gov/.*title-(\d+)/(?:.*/)?(?:part-|section-)(\d+)"), "cfr:{0}/{1}"),
    (re.compile(r"laws\.e-gov\.go\.jp/(?:law|api/1/lawdata)/(\w+)"), "jp:{0}"),
    (re.compile(r"law\.go\.kr/법령/([^/?#]+)"), "kr:{0}"),
    (re.compile(r"legifrance\.gouv\.fr/codes/(?:texte_lc|id|section_lc)/(LEGITEXT\d+)"), "fr:{0}"),
    (re.compile(r"eur-lex\.europa\.eu/eli/(reg|dir|dec)/(\d{4})/(\d+)"), "eu:{0}{1}/{2}"),
    (re.compile(r"eur-lex\.europa\.eu/.*CELEX:(4\d{4}A\d{4}(?:%28|\()\d+(?:%29|\)))"), "eu:{0}"),
    (re.compile(r"planalto\.gov\.br/ccivil_03/(.+?\.htm)"), "br:{0}"),
    (re.compile(r"indiacode\.nic\.in/handle/123456789/(\d+)"), "in:{0}"),
    (re.compile(r"pravo\.gov\.ru/.*[?&]nd=(\d+)"), "ru:{0}"),
    (re.compile(r"mevzuat\.gov\.tr/.*MevzuatNo=(\d+)"), "tr:{0}"),
    (re.compile(r"legislation\.gov\.au/([CF]\d{4}[AL]\d{5})"), "au:{0}"),
    (re.compile(r"epo\.org/en/legal/epc"), "epc"),
    (re.compile(r"wipo\.int/pct/en/texts/"), "pct"),
]
# EUR-Lex names a regulation "R" in a CELEX number and "reg" in an ELI: one key for both
_CELEX = re.compile(r"eur-lex\.europa\.eu/.*CELEX:3(\d{4})([RLD])0*(\d+)")
_CELEX_KIND = {"R": "reg", "L": "dir", "D": "dec"}


@lru_cache(maxsize=1)
def _fr_ids() -> dict[str, str]:
    """Légifrance article id → the law it belongs to, from the ``ids`` list of article_links.yaml."""
    data = yaml.safe_load(ARTICLE_LINKS_FILE.read_text(encoding="utf-8")) or {}
    return {str(entry["id"]): str(entry["law"]) for entry in data.get("ids") or []}


def law_key(url: str) -> str | None:
    """The law ``url`` belongs to, or None for a page that is not a law text (an office's site)."""
    url = unquote(url)
    article = re.search(r"legifrance\.gouv\.fr/codes/(?:article_lc|id)/(LEGIARTI\d+)", url)
    if article:
        law = _fr_ids().get(article.group(1))
        return f"fr:{FR_CODES.get(law, law)}" if law else f"fr:{article.group(1)}"
    celex = _CELEX.search(url)
    if celex:
        year, kind, number = celex.groups()
        return f"eu:{_CELEX_KIND[kind]}{year}/{number}"
    for pattern, form in _RULES:
        match = pattern.search(url)
        if match:
            return form.format(*match.groups())
    return None


def is_tracked(key: str, tracked: set[str]) -> bool:
    """A law is tracked when the registry has it, or has the whole title a section belongs to."""
    return key in tracked or key.split("§")[0] in tracked


@dataclass(frozen=True)
class UntrackedCitation:
    guide: Guide
    line: int
    text: str
    url: str
    law: str


def untracked_citations(guides: list[Guide], tracked_urls: list[str]) -> list[UntrackedCitation]:
    """Citations naming an article of a law that no registry source tracks."""
    tracked = {key for key in map(law_key, tracked_urls) if key}
    out = []
    for guide in guides:
        for citation in citations(guide):
            if not citation.names_article:
                continue
            key = law_key(citation.url)
            if key and not is_tracked(key, tracked):
                out.append(UntrackedCitation(guide, citation.line, citation.text, citation.url, key))
    return out
