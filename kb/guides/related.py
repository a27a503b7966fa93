"""Related guidance for a case or a guide page: guide sections, recent law changes, service bodies.

:func:`related_guidance` is what the case-handling work calls to draft a guidance opinion
(《海外知识产权纠纷应对行政指导意见书》); :func:`related_for_guide` fills the 相关内容 box of a
guide page. Both return ``{"sections": [...], "changes": [...], "bodies": [...]}``, each item
``{"title", "url", "text"}`` (``url`` site-relative for sections and changes, the body's own
official site for bodies) plus a few item-specific fields.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh.query import And, Every, Or, Term

from kb.guides import search

from kb.core import choices
from kb.core.errors import IpwatchError
from kb.guides.services import SERVICE_BODIES_FILE, load_service_bodies
from kb.core.store import Store

# Words that find the guide sections about each dispute type (kb.core.choices.DISPUTE_TYPES codes).
DISPUTE_WORDS = {
    "validity": ["无效", "异议", "撤销", "有效性", "invalidation", "opposition", "cancellation"],
    "ownership": ["权属", "归属", "ownership"],
    "infringement": ["侵权", "诉讼", "警告函", "禁令", "infringement", "injunction"],
    "trade_investigation": ["337", "贸易调查", "调查", "investigation"],
    "licensing": ["许可", "license", "licence", "licensing"],
    "trade_fair": ["展会", "临时禁令", "trade fair"],
    "trade_secret": ["商业秘密", "保密", "trade secret"],
    "other": [],
}
# Law of the European Union applies in its member states among the tracked jurisdictions.
EU_MEMBERS = {"DE", "FR"}
TEXT_CHARS = 120


def dispute_code(value: str) -> str:
    """A dispute type given as a code, the form's label or the short label → the code."""
    for choice in choices.DISPUTE_TYPES:
        if value in (choice.code, choice.label, choices.DISPUTE_TYPE_SHORT[choice.code]):
            return choice.code
    known = "、".join(choices.DISPUTE_TYPE_SHORT.values())
    raise IpwatchError(f"参数「dispute」：未知纠纷类型「{value}」，可选：{known}")


def jurisdiction_code(value: str) -> str:
    """A jurisdiction given as a code (US, us) or a Chinese label (美国) → the upper-case code."""
    from kb.guides import JURISDICTION_LABELS

    labels = {c.code.upper(): c.label for c in choices.COUNTRIES + choices.EXTRA_JURISDICTIONS}
    labels.update(JURISDICTION_LABELS)
    for code, label in labels.items():
        if value.upper() == code or value == label:
            return code
    raise IpwatchError(f"参数「jurisdiction」：未知国家或地区「{value}」，可选：{'、'.join(labels)}")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"


# --- guide sections -------------------------------------------------------------------------


def _section_query(dispute_type: str | None, right: str | None):
    words: list[str] = []
    if dispute_type:
        words += DISPUTE_WORDS[dispute_type]
    if right:
        words += list(search.RIGHT_WORDS.get(right, ()))
    terms = []
    for word in words:
        for w in filter(None, (search.normalise_query_word(q) for q in search.query_words(word))):
            terms += [Term("title", w, boost=2.0), Term("body", w)]
    return Or(terms) if terms else Every()


def _find_sections(folder: Path, query, filters: list, limit: int, exclude: set[str]) -> list[dict]:
    ix = search.open_index(folder)
    with ix.searcher() as searcher:
        hits = searcher.search(query, filter=And(filters), limit=None)
        # practice sections first (they say what to do), then by score
        ranked = sorted(hits, key=lambda hit: (hit["part"] != "practice", -hit.score, hit.rank))
        out = [
            {
                "title": hit["title"],
                "url": hit["url"],
                "text": _short(hit["body"]),
                "jurisdiction": hit["jurisdiction"],
                "part": hit["part"],
            }
            for hit in ranked
            if hit["id"] not in exclude
        ]
    return out[:limit]


def related_sections(folder, *, jurisdiction, right=None, dispute_type=None, limit=5, exclude=()):
    """Guide sections of the jurisdiction that fit; the right filter is dropped if it finds none."""
    query = _section_query(dispute_type, right)
    base = [Term("kind", "guide"), Term("jurisdiction", jurisdiction)]
    found = []
    if right:
        found = _find_sections(folder, query, base + [Term("right", right)], limit, set(exclude))
    return found or _find_sections(folder, query, base, limit, set(exclude))


# --- law changes ----------------------------------------------------------------------------


def related_changes(store: Store, *, jurisdiction: str, right: str | None = None, limit: int = 5):
    """Recent changes of the jurisdiction (and of the EU for its members), newest first."""
    places = [jurisdiction] + (["EU"] if jurisdiction in EU_MEMBERS else [])
    sql = (
        "SELECT c.id, c.detected_at, c.summary, c.articles, s.jurisdiction, s.title, s.rights"
        f" FROM changes c JOIN sources s ON s.id = c.source_id"
        f" WHERE s.jurisdiction IN ({','.join('?' * len(places))})"
    )
    args: list[Any] = list(places)
    if right:
        sql += " AND EXISTS (SELECT 1 FROM json_each(s.rights) WHERE json_each.value = ?)"
        args.append(right)
    sql += " ORDER BY c.detected_at DESC, c.id DESC LIMIT ?"
    args.append(limit)
    return [_change_item(row) for row in store.conn.execute(sql, args)]


def _change_item(row) -> dict[str, Any]:
    articles = [a["id"] for a in json.loads(row["articles"] or "[]")]
    text = row["summary"] or ("涉及条款：" + "、".join(articles) if articles else "")
    return {
        "id": row["id"],
        "title": f"{row['title']}（{row['detected_at'][:10]}）",
        "url": search.change_url(row["jurisdiction"], row["id"]),
        "text": _short(text),
        "jurisdiction": row["jurisdiction"],
        "detected_at": row["detected_at"],
        "articles": articles,
    }


# --- service bodies -------------------------------------------------------------------------


SERVICE_BODIES = None  # None: the bundled kb/guides/service_bodies.yaml


@lru_cache(maxsize=4)
def _load_bodies(path: Path, mtime_ns: int) -> tuple:
    return tuple(load_service_bodies(path))


def _bodies(path: Path) -> tuple:
    """The directory, read again only when the file changed (a site build asks per page)."""
    return _load_bodies(path, path.stat().st_mtime_ns)


def related_bodies(jurisdiction: str, *, path: Path | None = None) -> list[dict[str, Any]]:
    """Service bodies of the jurisdiction (and of the EU for its members), then the Chinese
    support network (jurisdiction CN), from the directory kept with the guides."""
    places = [jurisdiction] + (["EU"] if jurisdiction in EU_MEMBERS else []) + ["CN"]
    bodies = _bodies(Path(path or SERVICE_BODIES or SERVICE_BODIES_FILE))
    return [
        {
            "title": body.name,
            "url": body.url,
            "text": _short(body.note or body.kind_label),
            "jurisdiction": body.jurisdiction,
            "kind": body.kind,
        }
        for place in places
        for body in bodies
        if body.jurisdiction == place
    ]


# --- the two entry points -------------------------------------------------------------------


def related_guidance(
    settings,
    store: Store,
    *,
    jurisdiction: str,
    right: str | None = None,
    dispute_type: str | None = None,
    limit: int = 5,
    guides_root: Path | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Guide sections, recent law changes and service bodies that fit a case.

    ``jurisdiction``: a code or Chinese label (US, 美国); ``right``: a kb.core.choices RIGHT_TYPES or
    LAW_RIGHTS code or label; ``dispute_type``: a DISPUTE_TYPES code or label (侵权纠纷).
    """
    code = jurisdiction_code(jurisdiction)
    law_right = search.law_right(right) if right else None
    dispute = dispute_code(dispute_type) if dispute_type else None
    search.refresh(settings, store, guides_root=guides_root)
    return {
        "sections": related_sections(
            search.index_dir(settings), jurisdiction=code, right=law_right,
            dispute_type=dispute, limit=limit,
        ),
        "changes": related_changes(store, jurisdiction=code, right=law_right, limit=limit),
        "bodies": related_bodies(code),
    }


def related_for_guide(settings, store: Store, guide, *, limit: int = 5, guides_root=None):
    """The 相关内容 box of a guide page: the jurisdiction's other sections that share the
    page's rights (practice first), its recent law changes, and its service bodies."""
    search.refresh(settings, store, guides_root=guides_root)
    page = search.page_url(guide.page)
    own = {f"guide:{guide.code}/{guide.path.stem}#{s.slug}" for s in guide.sections}
    sections = related_sections(
        search.index_dir(settings), jurisdiction=guide.jurisdiction, limit=limit, exclude=own,
    )
    return {
        "sections": [s for s in sections if not s["url"].startswith(page)],
        "changes": related_changes(store, jurisdiction=guide.jurisdiction, limit=limit),
        "bodies": related_bodies(guide.jurisdiction) if guide.part != "services" else [],
    }
