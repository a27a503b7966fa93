"""Stale flags: guide paragraphs whose tracked law articles changed after the guide's review.

A paragraph declares what it relies on (``<!-- relies: de-patg:§ 139 -->``). It is *stale*
when a change record of that source, detected after the guide's ``reviewed`` date, lists that
article (ids compared with whitespace removed), or when the source's page was removed. It stays
stale until a reviewer checks it and moves the ``reviewed`` date past the change.

``ipwatch guides check`` lists stale paragraphs and guides not reviewed for a year;
:func:`mark_stale` gives the guide pages their 待复核 markers.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from kb.guides import Guide, article_key
from kb.core.store import Store

REVIEW_MAX_AGE_DAYS = 365


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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _changes_by_source(store: Store, sources: set[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in sources}
    if not sources:
        return out
    marks = ",".join("?" * len(sources))
    rows = store.conn.execute(
        f"SELECT id, source_id, detected_at, kind, articles FROM changes"
        f" WHERE source_id IN ({marks}) ORDER BY detected_at, id",
        sorted(sources),
    )
    for row in rows:
        out[row["source_id"]].append(
            {
                "id": row["id"],
                "detected_at": row["detected_at"],
                "kind": row["kind"],
                "articles": {article_key(a["id"]): a["change"] for a in json.loads(row["articles"])},
            }
        )
    return out


def _touch(change: dict[str, Any], article: str) -> str | None:
    """How ``change`` touches ``article``: the article's change, 'removed' page, or None."""
    found = change["articles"].get(article_key(article))
    if found:
        return found
    return "removed" if change["kind"] == "removed" else None


def stale_paragraphs(guides: list[Guide], store: Store) -> list[StaleParagraph]:
    """Every paragraph touched by a change newer than its guide's reviewed date."""
    sources = {src for g in guides for s in g.sections for p in s.paragraphs for src, _ in p.relies}
    changes = _changes_by_source(store, sources)
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
    )


def overdue_guides(guides: list[Guide], today: date | None = None) -> list[dict[str, Any]]:
    """Guides whose reviewed date is more than a year old."""
    limit = (today or date.today()) - timedelta(days=REVIEW_MAX_AGE_DAYS)
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


def check_guides(guides: list[Guide], store: Store, today: date | None = None) -> dict[str, Any]:
    """The report of ``ipwatch guides check``."""
    return {
        "stale": [h.as_dict() for h in stale_paragraphs(guides, store)],
        "overdue": overdue_guides(guides, today),
    }


STALE_LABEL = "待复核"


def mark_stale(guide: Guide, hits: list[StaleParagraph]) -> str:
    """The guide's body with each stale paragraph wrapped in a 待复核 box (CSS ``ipw-stale``).

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
        lines[start:end] = _wrap(lines[start:end], by_line[line])
    return "\n".join(lines) + "\n"


def _wrap(block: list[str], hits: list[StaleParagraph]) -> list[str]:
    reasons = "；".join(
        f"所依据的 {h.relies} 于 {h.detected_at[:10]} 有变化（{_CHANGE_LABELS.get(h.change, h.change)}）"
        for h in hits
    )
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
