"""Site search: a section index of the built site, shipped as a script, searched in the page.

Why not Pagefind (used before, measured in benchmarks/site_search_bench.py): it loads its
index with ``fetch``, which Chromium refuses on ``file://`` (the site must work opened from
disk), it splits the query with its own rules rather than ours, and it ranks pages, listing
their sections in page order. So the build indexes the site itself:

- every built page's content (``data-search-body``, set in site/overrides/main.html) is cut
  into sections at its headings (``h1``–``h3`` with an ``id``): URL with anchor, title
  ("page · heading"), jurisdiction (from the guide or law-changes page), whether it is a
  guide section, and its text;
- each section's title and text go through the same analyzer as the staff search
  (``kb.guides.search_text.index_tokens``) into an inverted index (term → section, frequency);
- the index, the analyzer's data (thesaurus, dictionary, stop words) and the section texts are
  written as one script, ``search/ipw-index.js`` (``window.IPW_SEARCH_INDEX = …``), which the
  search page loads with a ``<script>`` element: that works from ``file://`` and under any
  sub-path. ``assets/ipw-search.js`` parses the query and ranks exactly as
  ``kb.guides.search_text.parse_query`` and ``kb.guides.ranking`` do.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

from kb.core.errors import IpwatchError
from kb.guides.search_text import analyzer_data, index_tokens

BUNDLE = "search"
INDEX_FILE = "ipw-index.js"
BODY_ATTR = "data-search-body"
SKIP_PAGES = {"search.html", "404.html"}
HEADINGS = {"h1", "h2", "h3"}
TEXT_CHARS = 4000  # kept per section for excerpts
_GUIDE = re.compile(r"^guides/([a-z]+)/([a-z]+)\.html$")
_CHANGES = re.compile(r"^changes/([a-z]+)\.html$")


@dataclass
class Section:
    url: str
    title: str
    jurisdiction: str
    guide: bool
    text: str


def page_sections(relative: str, page: str) -> list[Section]:
    """The sections of one built page (its content only, without the ¶ heading links)."""
    tree = lxml_html.fromstring(page)
    bodies = tree.xpath(f"//*[@{BODY_ATTR}]//article") or tree.xpath(f"//*[@{BODY_ATTR}]")
    if not bodies:
        return []
    for link in bodies[0].xpath(".//a[contains(@class, 'headerlink')]"):
        link.drop_tree()
    jurisdiction, guide = _place(relative)
    sections: list[Section] = []
    page_title = ""
    for element in bodies[0]:
        tag = element.tag if isinstance(element.tag, str) else ""
        text = " ".join(element.text_content().split())
        if tag in HEADINGS and element.get("id"):
            page_title = page_title or text
            title = text if tag == "h1" or text == page_title else f"{page_title} · {text}"
            anchor = "" if tag == "h1" else "#" + element.get("id")
            sections.append(Section(relative + anchor, title, jurisdiction, guide, ""))
        elif text and sections:
            sections[-1].text = f"{sections[-1].text} {text}".strip()
        elif text:
            sections.append(Section(relative, page_title, jurisdiction, guide, text))
    return [s for s in sections if s.text or s.title]


def _place(relative: str) -> tuple[str, bool]:
    guide = _GUIDE.match(relative)
    if guide:
        return guide.group(1).upper(), True
    changes = _CHANGES.match(relative)
    return (changes.group(1).upper() if changes else ""), False


def site_sections(folder: Path) -> list[Section]:
    sections: list[Section] = []
    for page in sorted(folder.rglob("*.html")):
        relative = page.relative_to(folder).as_posix()
        if relative in SKIP_PAGES or relative.startswith(BUNDLE + "/"):
            continue
        sections += page_sections(relative, page.read_text("utf-8"))
    return sections


def build_index(sections: list[Section]) -> dict:
    """The inverted index: per field, term → [section, frequency, section, frequency, …]."""
    postings: dict[str, dict[str, list[int]]] = {"title": {}, "body": {}}
    docs = []
    for number, section in enumerate(sections):
        body_terms = [t for t, _, _ in index_tokens(section.text)]
        for field, terms in (("title", [t for t, _, _ in index_tokens(section.title)]), ("body", body_terms)):
            for term, count in Counter(terms).items():
                postings[field].setdefault(term, []).extend((number, count))
        docs.append([section.url, section.title, section.jurisdiction, int(section.guide),
                     len(body_terms), section.text[:TEXT_CHARS]])
    lengths = [d[4] for d in docs] or [1]
    return {
        "version": 1,
        "docs": docs,
        "title": postings["title"],
        "body": postings["body"],
        "avgLength": sum(lengths) / len(lengths),
        "analyzer": analyzer_data(),
    }


def index_site(folder: Path) -> dict:
    """Index the built site in ``folder`` into ``folder/search/ipw-index.js`` (atomically)."""
    index = build_index(site_sections(folder.resolve()))
    target = folder / BUNDLE / INDEX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_suffix(".tmp")
    payload = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    temp.write_text(f"window.IPW_SEARCH_INDEX = {payload};\n", "utf-8")
    os.replace(temp, target)
    return {"sections": len(index["docs"]), "terms": len(index["body"]) + len(index["title"])}


def read_index(folder: Path) -> dict:
    target = folder / BUNDLE / INDEX_FILE
    if not target.exists():
        raise IpwatchError(f"站内搜索索引缺失：{target}")
    text = target.read_text("utf-8")
    return json.loads(text[text.index("=") + 1:].strip().rstrip(";"))


def search_index_check(folder: Path) -> None:
    """Post-build check: every guide page's sections are in the index."""
    from ipwatch.sitebuild import BuildError

    index = read_index(folder)
    indexed = {d[0].partition("#")[0] for d in index["docs"]}
    guides = {p.relative_to(folder).as_posix() for p in folder.glob("guides/*/*.html")}
    missing = sorted(p for p in guides if _GUIDE.match(p) and p not in indexed)
    if missing or not index["docs"]:
        raise BuildError(f"站内搜索索引不完整：缺少 {', '.join(missing[:5]) or '全部页面'}")
