"""The corpus and query set shared by the search benchmarks (see search_queries.yaml).

Pages: the fixture guides (``sample/<code>/<part>``), a frozen copy of the first German guide
(``guides/de/laws``, benchmarks/data/de/laws.md) and the five parts of the notice (``notice/...``). Nothing here is
published; the benchmarks build throw-away sites and indexes in a temporary folder.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "site", ROOT / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from kb.guides import load_guides, parse_guide  # noqa: E402

QUERIES = Path(__file__).with_name("search_queries.yaml")
FIXTURE_GUIDES = ROOT / "tests" / "data" / "guides"
# kb/guides/de/laws.md as first committed (3f87f1c), frozen so that edits of the live guides
# do not change the relevance judgments of search_queries.yaml
FROZEN_GUIDE = Path(__file__).parent / "data" / "de" / "laws.md"
NOTICE = Path("/work/shared/seed/notice.md")
# the notice's parts: page name → (first heading, heading that ends it)
NOTICE_PARTS = {
    "notice/guiding": ("## 一、指导思想", "## 二、工作目标"),
    "notice/goals": ("## 二、工作目标", "## 三、工作机制"),
    "notice/mechanism": ("## 三、工作机制", "## （二）建立涉外企业"),
    "notice/channels": ("## （二）建立涉外企业", "## 四、工作保障"),
    "notice/support": ("## 四、工作保障", "- 附件："),
}


@dataclass(frozen=True)
class Page:
    name: str  # "sample/us/laws"; the site page is name + ".html"
    title: str
    markdown: str  # body without the title


def load_queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text("utf-8"))["queries"]


def _notice_pages(text: str) -> list[Page]:
    pages = []
    for name, (start, end) in NOTICE_PARTS.items():
        part = text[text.index(start): text.index(end)]
        title, _, body = part.partition("\n")
        body = re.sub(r"<[^>]+>", "", body).replace("## ", "### ")
        pages.append(Page(name, title.lstrip("# ").strip(), body.strip()))
    return pages


def corpus_pages(notice: Path = NOTICE) -> list[Page]:
    pages = [
        Page(f"sample/{g.code}/{g.path.stem}", g.title, g.body.strip())
        for g in load_guides(FIXTURE_GUIDES)
    ]
    frozen = parse_guide(FROZEN_GUIDE)
    pages.append(Page("guides/de/laws", frozen.title, frozen.body.strip()))
    return pages + _notice_pages(notice.read_text("utf-8"))


def sections(page: Page) -> list[tuple[str, str]]:
    """(heading, text) of each ``##`` section of a page; text before the first is the title's."""
    parts = re.split(r"^## +(.+)$", page.markdown, flags=re.M)
    out = [(page.title, parts[0])] if parts[0].strip() else []
    out += list(zip(parts[1::2], parts[2::2]))
    return out


def recall_and_mrr(ranked: dict[str, list[str]], queries: list[dict], k: int = 5):
    """recall@k and MRR (first relevant page within k) of result page lists per query."""
    hits, reciprocal = 0, 0.0
    for q in queries:
        pages = ranked[q["query"]][:k]
        rank = next((i for i, p in enumerate(pages, start=1) if p in q["pages"]), None)
        if rank:
            hits += 1
            reciprocal += 1 / rank
    return hits / len(queries), reciprocal / len(queries)
