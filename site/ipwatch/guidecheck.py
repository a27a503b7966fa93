"""Checks of the guides that need the crawler too: every ``relies`` marker must name a law
text of the registry and an article id that the registry's article splitter produces for that
source's numbering style (``crawlers.articles.split_articles``). It lives above ``kb`` and
``crawlers`` because it wires the two together; the site build and ``ipwatch guides check``
run it.
"""
from __future__ import annotations

import re

from crawlers.articles import id_key, split_articles
from crawlers.registry import Source, load_registry
from kb.guides import Guide
from kb.guides.laws_cited import UntrackedCitation, untracked_citations

_FR_CODE_ID = re.compile(r"^[LRDA]\d")


def heading_for(article_id: str, style: str) -> str:
    """The heading line under which the law prints the article (``L613-3`` → ``Article L613-3``)."""
    return f"Article {article_id}" if style == "fr_code" and _FR_CODE_ID.match(article_id) else article_id


def splitter_ids(article_id: str, style: str) -> set[str]:
    """Ids the splitter gives a text whose one article is headed like ``article_id``."""
    text = f"{heading_for(article_id, style)}\n\nText.\n"
    return {a.key for a in split_articles(text, style)}


def relies_problems(guides: list[Guide], sources: list[Source] | None = None) -> list[str]:
    """Markers naming an unknown source, a source that is not a law text, or an article id
    that the splitter would never produce for that source."""
    by_id = {s.id: s for s in (sources if sources is not None else load_registry())}
    problems = []
    for guide in guides:
        for section in guide.sections:
            for paragraph in section.paragraphs:
                for source_id, article in paragraph.relies:
                    problem = _marker_problem(by_id.get(source_id), source_id, article)
                    if problem:
                        problems.append(f"{guide.path}第{paragraph.line}行 relies {source_id}:{article}：{problem}")
    return problems


def _marker_problem(source: Source | None, source_id: str, article: str) -> str | None:
    if source is None:
        return f"来源登记中没有来源「{source_id}」"
    if source.kind != "law_page" or not source.numbering:
        return "该来源不是按条文拆分的法律文本（kind: law_page，须有 numbering）"
    if id_key(article) not in splitter_ids(article, source.numbering):
        return f"条文拆分（{source.numbering}）不会产生此条文号"
    return None


def crawled_problems(store, guides: list[Guide], sources: list[Source] | None = None) -> list[str]:
    """Markers naming an article that the source's latest crawled text does not contain (its
    splitter's ids of the last snapshot): such a marker can never be flagged by a change."""
    from kb.laws.snapshots import latest_snapshot, snapshot_text

    problems, ids = [], {}
    for source in sources if sources is not None else load_registry():
        snapshot = latest_snapshot(store, source.id, source.url)
        if snapshot is not None and source.numbering:
            ids[source.id] = {a.key for a in split_articles(snapshot_text(store, snapshot.id), source.numbering)}
    for guide in guides:
        for section in guide.sections:
            for paragraph in section.paragraphs:
                for source_id, article in paragraph.relies:
                    if source_id in ids and id_key(article) not in ids[source_id]:
                        problems.append(f"{guide.path}第{paragraph.line}行 relies {source_id}:{article}："
                                        "该来源最近一次抓取的文本中没有此条文")
    return problems


def untracked_laws(guides: list[Guide], sources: list[Source] | None = None) -> list[UntrackedCitation]:
    """Citations naming an article of a law no registry source tracks: a change of that law
    would never flag the paragraph (issue 14: the ZPO was cited before it was tracked)."""
    sources = sources if sources is not None else load_registry()
    return untracked_citations(guides, [s.url for s in sources])


def untracked_goals(untracked: list[UntrackedCitation]) -> list[str]:
    """One line per jurisdiction naming the laws it cites that are not tracked."""
    laws: dict[str, dict[str, str]] = {}
    for hit in untracked:
        laws.setdefault(hit.guide.jurisdiction, {}).setdefault(hit.law, hit.text)
    return [
        f"{jurisdiction}：引用了 {len(found)} 部未在来源登记中跟踪的法律（"
        + "、".join(f"{text}〔{law}〕" for law, text in found.items())
        + "），这些条文修改时相关段落无法标注待复核"
        for jurisdiction, found in laws.items()
    ]
