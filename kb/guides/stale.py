"""Stale flags: guide paragraphs whose tracked law articles changed after the guide's review.

A paragraph declares what it relies on (``<!-- relies: de-patg:§ 139 -->``). It is *stale*
when a change record of that source, detected after the guide's ``reviewed`` date, lists that
article (ids compared with whitespace removed), or when the source's page was removed. It stays
stale until a reviewer checks it and moves the ``reviewed`` date past the change.

A reviewer may also clear one flag without editing the file: ``ipwatch guides reviewed
FILE:LINE --by NAME`` records, in ``guide_reviews``, that the paragraph was checked against
those changes (:func:`mark_reviewed`); a later change flags it again.

``ipwatch guides check`` lists stale paragraphs and guides not reviewed for a year (markers are
checked against the registry, the splitter and the latest crawled text in
``ipwatch.guidecheck``); :func:`mark_stale` gives the guide pages their 待复核 markers, naming the law and the article
in Chinese and linking to the change; :func:`relying_paragraphs` lists, for a change page, the
guide paragraphs that rely on the changed articles.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from kb.core.errors import IpwatchError
from kb.core.settings import DEFAULTS
from kb.guides import Guide, article_key
from kb.core.store import Store



def review_interval_days(days: int | None = None) -> int:
    """The review interval: ``days`` if given (the effective setting), else the bundled default
    ``[guides] review_interval_days`` of ``kb/core/defaults.toml``."""
    return DEFAULTS["guides"]["review_interval_days"] if days is None else days


@dataclass(frozen=True)
class StaleParagraph:
    jurisdiction: str
    part: str
    file: str  # guides/<code>/<part>.md, relative to the guides folder's parent
    page: str  # site page (staging-relative Markdown path) with the section anchor
    heading: str
    line: int  # 1-based line of the paragraph in its file
    excerpt: str
    relies: str  # "source:article" as declared
    change_id: int
    detected_at: str
    change: str  # added / removed / modified (the article's change, or the page's)
    law: str = ""  # the source's Chinese title (德国《专利法》), "" when unknown
    article: str = ""  # the article id as declared
    change_page: str = ""  # site page of the change: changes/<cc>.md#change-<id>

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _changes_by_source(store: Store, sources: set[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in sources}
    if not sources:
        return out
    marks = ",".join("?" * len(sources))
    rows = store.conn.execute(
        f"SELECT c.id, c.source_id, c.detected_at, c.kind, c.articles, s.title, s.jurisdiction"
        f" FROM changes c JOIN sources s ON s.id = c.source_id"
        f" WHERE c.source_id IN ({marks}) ORDER BY c.detected_at, c.id",
        sorted(sources),
    )
    editorial = _editorial_articles(store, sources)
    for row in rows:
        out[row["source_id"]].append(
            {
                "id": row["id"],
                "detected_at": row["detected_at"],
                "kind": row["kind"],
                "law": row["title"],
                "page": f"changes/{row['jurisdiction'].lower()}.md#change-{row['id']}",
                "articles": {article_key(a["id"]): a["change"] for a in json.loads(row["articles"])
                             if (row["id"], a["id"]) not in editorial},
            }
        )
    return out


def _editorial_articles(store: Store, sources: set[str]) -> set[tuple[int, str]]:
    """(change id, article id) of editorial-only article edits: they never flag a paragraph."""
    marks = ",".join("?" * len(sources))
    rows = store.conn.execute(
        f"SELECT a.change_id, a.article_id FROM change_articles a JOIN changes c ON c.id = a.change_id"
        f" WHERE a.editorial = 1 AND c.source_id IN ({marks})", sorted(sources))
    return {(r["change_id"], r["article_id"]) for r in rows}


def _touch(change: dict[str, Any], article: str) -> str | None:
    """How ``change`` touches ``article``: the article's change, 'removed' page, or None."""
    found = change["articles"].get(article_key(article))
    if found:
        return found
    return "removed" if change["kind"] == "removed" else None


def _reviewed(store: Store) -> set[tuple[str, str, int]]:
    return {(r["file"], r["relies"], r["change_id"])
            for r in store.conn.execute("SELECT file, relies, change_id FROM guide_reviews")}


def stale_paragraphs(guides: list[Guide], store: Store) -> list[StaleParagraph]:
    """Every paragraph touched by a change newer than its guide's reviewed date and not
    recorded as reviewed against that change."""
    sources = {src for g in guides for s in g.sections for p in s.paragraphs for src, _ in p.relies}
    changes = _changes_by_source(store, sources)
    reviewed = _reviewed(store)
    return [h for h in _touched(guides, changes) if (h.file, h.relies, h.change_id) not in reviewed]


def _touched(guides: list[Guide], changes: dict[str, list[dict[str, Any]]]) -> list[StaleParagraph]:
    hits = []
    for guide in guides:
        reviewed = guide.reviewed.isoformat()
        for section in guide.sections:
            for paragraph in section.paragraphs:
                for source, article in paragraph.relies:
                    for change in changes.get(source, []):
                        how = _touch(change, article)
                        if how and change["detected_at"][:10] > reviewed:
                            hits.append(_hit(guide, section, paragraph, source, article, change, how))
    return hits


def _hit(guide, section, paragraph, source, article, change, how) -> StaleParagraph:
    text = " ".join(paragraph.text.split())
    return StaleParagraph(
        jurisdiction=guide.jurisdiction,
        part=guide.part,
        file=f"{guide.code}/{guide.path.name}",
        page=section.anchor,
        heading=section.heading,
        line=paragraph.line,
        excerpt=text[:80] + ("…" if len(text) > 80 else ""),
        relies=f"{source}:{article}",
        change_id=change["id"],
        detected_at=change["detected_at"],
        change=how,
        law=change.get("law", ""),
        article=article,
        change_page=change.get("page", ""),
    )


def overdue_guides(guides: list[Guide], today: date | None = None,
                   interval_days: int | None = None) -> list[dict[str, Any]]:
    """Guides whose reviewed date is older than the review interval (``[guides]`` setting)."""
    limit = (today or date.today()) - timedelta(days=review_interval_days(interval_days))
    return [
        {
            "jurisdiction": g.jurisdiction,
            "part": g.part,
            "file": f"{g.code}/{g.path.name}",
            "reviewed": g.reviewed.isoformat(),
        }
        for g in guides
        if g.reviewed < limit
    ]


def check_guides(guides: list[Guide], store: Store, today: date | None = None,
                 interval_days: int | None = None) -> dict[str, Any]:
    """The report of ``ipwatch guides check``."""
    return {
        "stale": [h.as_dict() for h in stale_paragraphs(guides, store)],
        "overdue": overdue_guides(guides, today, interval_days),
    }


STALE_LABEL = "待复核"


def mark_stale(guide: Guide, hits: list[StaleParagraph],
               label: Callable[[str], str] = str) -> str:
    """The guide's body with each stale paragraph wrapped in a 待复核 box (CSS ``ipw-stale``)
    that names the law and the article in Chinese (``label``: article id → 第139条) and links
    to the change.

    The guide pages call this instead of using ``guide.body`` as it is; hits of other guides
    are ignored. Needs the ``md_in_html`` Markdown extension (enabled in mkdocs.yml).
    """
    file = f"{guide.code}/{guide.path.name}"
    by_line: dict[int, list[StaleParagraph]] = {}
    for hit in hits:
        if hit.file == file:
            by_line.setdefault(hit.line, []).append(hit)
    if not by_line:
        return guide.body
    lines = guide.body.splitlines()
    paragraphs = {p.line: p for s in guide.sections for p in s.paragraphs}
    # from the end, so that earlier insertions do not move later line numbers
    for line in sorted(by_line, reverse=True):
        start = line - guide.body_line
        end = start + len(paragraphs[line].text.rstrip("\n").splitlines())
        lines[start:end] = _wrap(lines[start:end], by_line[line], label)
    return "\n".join(lines) + "\n"


def reason(hit: StaleParagraph, label: Callable[[str], str] = str, to_root: str = "../../") -> str:
    """所依据的德国《专利法》第139条于 2026-12-02 修改（查看修改） — Markdown."""
    law = hit.law or hit.relies.split(":", 1)[0]
    what = _CHANGE_LABELS.get(hit.change, hit.change)
    text = f"所依据的{law}{label(hit.article)}于 {hit.detected_at[:10]} 发现{what}"
    return text + (f"（[查看修改]({to_root}{hit.change_page})）" if hit.change_page else "")


def _wrap(block: list[str], hits: list[StaleParagraph], label: Callable[[str], str]) -> list[str]:
    reasons = "；".join(reason(h, label) for h in hits)
    return [
        "",
        '<div class="ipw-stale" markdown="1">',
        "",
        f"**{STALE_LABEL}**：{reasons}，本段内容尚待复核。",
        "",
        *block,
        "",
        "</div>",
        "",
    ]


_CHANGE_LABELS = {"added": "新增", "removed": "删除", "modified": "修改"}


def mark_reviewed(store: Store, guides: list[Guide], where: str, by: str, on: date) -> list[StaleParagraph]:
    """Record that the flagged paragraph at ``where`` (``<cc>/<part>.md:LINE`` as listed by
    ``guides check``) was reviewed against the changes that flag it; return those flags."""
    file, _, line = where.rpartition(":")
    if not file or not line.isdigit():
        raise IpwatchError(f"段落位置「{where}」无效：应为 文件:行号，如 de/laws.md:14（见 ipwatch guides check）")
    if not by.strip():
        raise IpwatchError("须用 --by 写明复核人姓名")
    hits = [h for h in stale_paragraphs(guides, store) if h.file == file and h.line == int(line)]
    if not hits:
        raise IpwatchError(f"{where} 没有待复核的段落（用 ipwatch guides check 查看）")
    with store.write() as conn:
        for h in hits:
            conn.execute(
                "INSERT OR REPLACE INTO guide_reviews(file, relies, change_id, reviewer, reviewed_on, excerpt)"
                " VALUES (?, ?, ?, ?, ?, ?)", (h.file, h.relies, h.change_id, by.strip(), on.isoformat(), h.excerpt))
    return hits


def relying_paragraphs(guides: list[Guide], source_id: str, articles: list[str]) -> list[dict[str, Any]]:
    """The guide paragraphs that rely on any of ``articles`` of ``source_id`` (for a change
    page): ``page`` (section link), ``title``, ``heading``, ``article``."""
    keys = {article_key(a) for a in articles}
    found = []
    for guide in guides:
        for section in guide.sections:
            for paragraph in section.paragraphs:
                for source, article in paragraph.relies:
                    if source == source_id and article_key(article) in keys:
                        found.append({"page": section.anchor, "title": guide.title,
                                      "heading": section.heading, "article": article})
    return found
