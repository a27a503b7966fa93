"""Staff search over guide sections, law changes and reports (whoosh, Chinese-aware).

The index lives in ``<data>/index/``. Each document stores the hash of its content, so
``update_index`` adds, replaces and deletes only the documents whose content changed since
the last run; it never rebuilds from nothing unless the schema version changed or
``full=True``. Documents come from three places:

- guide sections (``kb.guides.load_guides``): ``kind=guide``, ``part`` = laws /
  institutions / practice / services;
- law changes (table ``changes`` joined with ``sources``): ``kind=change``, ``part=changes``;
- reports (table ``reports``): ``kind=report``, ``part=reports``.

``url`` is site-relative (page and anchor), so the result links into the published site.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec, W3PerDocWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from kb.core import choices
from kb.core.errors import IpwatchError
from kb.guides import ranking
from kb.guides.search_text import (  # noqa: F401 (normalise_query_word, query_words: related)
    Concept, make_analyzer, norm, normalise_query_word, parse_query, query_words, vocabulary,
)
from kb.core.store import Store

# 5: segments written by ``Codec`` (pickled by name in the index): code of version 4 rebuilds
# such an index instead of failing to open it, and this code rebuilds an index of version 4.
SCHEMA_VERSION = 5
INDEX_NAME = "ipwatch"

# Guide parts: code → Chinese label (the four parts of the notice) plus the other kinds.
PARTS = {
    "laws": "法律法规",
    "institutions": "制度环境",
    "practice": "实务指引",
    "services": "服务机构",
    "changes": "法律动态",
    "reports": "风险预警报告",
}

# Words in a text that name a right (LAW_RIGHTS codes); used when a section names no rights.
RIGHT_WORDS = {
    "patent": ("专利", "patent"),
    "utility_model": ("实用新型", "utility model", "gebrauchsmuster"),
    "design": ("外观设计", "industrial design"),
    "trademark": ("商标", "trademark", "trade mark"),
    "copyright": ("版权", "著作权", "copyright"),
    "trade_secret": ("商业秘密", "trade secret"),
    "geographical_indication": ("地理标志", "geographical indication"),
    "ic_layout": ("集成电路布图", "layout-design"),
    "customs": ("海关", "customs", "边境"),
}

# RIGHT_TYPES (the form) → LAW_RIGHTS (sources, guides).
_FORM_TO_LAW_RIGHT = {"invention_patent": "patent"}


def schema() -> Schema:
    analyzer = make_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        jurisdiction=ID(stored=True),
        right=KEYWORD(stored=True, commas=False, lowercase=True),
        part=ID(stored=True),
        title=TEXT(stored=True, analyzer=analyzer, field_boost=2.0, phrase=False),
        body=TEXT(stored=True, analyzer=analyzer, phrase=False),  # no positions: no phrase queries
        url=STORED(),
        date=STORED(),
        hash=STORED(),
    )


@dataclass(frozen=True)
class Doc:
    id: str
    kind: str
    jurisdiction: str
    right: str  # space-separated LAW_RIGHTS codes
    part: str
    title: str
    body: str
    url: str
    date: str = ""

    @property
    def hash(self) -> str:
        """sha256 over every field (in field order, unit-separated)."""
        data = "\x1f".join(str(value) for value in vars(self).values())
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


# --- codes given by users -----------------------------------------------------------------


def law_right(code: str) -> str:
    """A right given as a RIGHT_TYPES or LAW_RIGHTS code or label → the LAW_RIGHTS code."""
    for group in (choices.LAW_RIGHTS, choices.RIGHT_TYPES):
        for choice in group:
            if code in (choice.code, choice.label):
                return _FORM_TO_LAW_RIGHT.get(choice.code, choice.code)
    known = "、".join(choices.codes(choices.LAW_RIGHTS))
    raise IpwatchError(f"参数「right」：未知权利类别「{code}」，可选：{known}（或申请表的权利类别）")


def jurisdiction_code(value: str) -> str:
    """A jurisdiction given as a code or a name in any language (英国, UK → GB; 国际, INT → INTL)."""
    names = vocabulary().jurisdictions
    names = {**names, **{norm(code): code for code in names.values()}}
    code = names.get(norm(value.strip()))
    if code is None:
        known = "、".join(dict.fromkeys(names.values()))
        raise IpwatchError(f"参数「jurisdiction」：未知国家或地区「{value}」，可选：{known}（或其中文、英文名称）")
    return code


def part_code(code: str) -> str:
    for key, label in PARTS.items():
        if code in (key, label):
            return key
    raise IpwatchError(f"参数「part」：未知部分「{code}」，可选：{'、'.join(PARTS)}")


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(^|\s)[#>|*-]+\s|[*_`|]{1,3}|<[^>]+>|^\s*:?-{3,}:?\s*$", re.M)


def plain_text(markdown: str) -> str:
    """Markdown as searchable text: comments, link targets, tags and markup removed."""
    text = _COMMENT.sub(" ", markdown)
    text = _MD_LINK.sub(r"\1", text)
    return re.sub(r"[ \t]+", " ", _MD_MARKS.sub(" ", text)).strip()


def infer_rights(text: str, default: Iterable[str] = ()) -> list[str]:
    lowered = text.lower()
    found = [code for code, words in RIGHT_WORDS.items() if any(w in lowered for w in words)]
    return found or list(default)


# --- where documents come from --------------------------------------------------------------


def page_url(markdown_path: str) -> str:
    """Site URL of a staging-relative Markdown page (``use_directory_urls: false``)."""
    page, sep, anchor = markdown_path.partition("#")
    if page.endswith(".md"):
        page = page[:-3] + ".html"
    return page + sep + anchor


def change_url(jurisdiction: str, change_id: int) -> str:
    """Same page and anchor as ``ipwatch.pages.changes`` (one page per jurisdiction)."""
    return f"changes/{jurisdiction.lower()}.html#change-{change_id}"


def report_url(period: str, industry: str, is_sample: bool = False) -> str:
    """Same page name as ``ipwatch.pages.reports.report_page``: the industry as its FIELDS
    code (``all`` for 全部)."""
    code = next((c.code for c in choices.FIELDS if industry in (c.code, c.label)), "all")
    return f"reports/{period}-{code}{'-sample' if is_sample else ''}.html"


def guide_docs(guides_root: Path | None = None) -> Iterator[Doc]:
    from kb.guides import load_guides

    for guide in load_guides(guides_root):
        rights = list(getattr(guide, "rights", None) or [])
        for section in guide.sections:
            body = plain_text(section.text)
            text = f"{section.heading}\n{body}"
            yield Doc(
                id=f"guide:{guide.code}/{guide.path.stem}#{section.slug}",
                kind="guide",
                jurisdiction=guide.jurisdiction.upper(),
                right=" ".join(infer_rights(section.heading, infer_rights(text, rights))),
                part=guide.part,
                title=f"{guide.title} · {section.heading}",
                body=body,
                url=page_url(section.anchor),
                date=str(getattr(guide, "reviewed", "") or ""),
            )


def change_docs(store: Store) -> Iterator[Doc]:
    rows = store.conn.execute(
        "SELECT c.id, c.url, c.detected_at, c.articles, c.summary, s.jurisdiction, s.title,"
        " s.rights FROM changes c JOIN sources s ON s.id = c.source_id"
    )
    for row in rows:
        articles = " ".join(a.get("id", "") for a in json.loads(row["articles"] or "[]"))
        yield Doc(
            id=f"change:{row['id']}",
            kind="change",
            jurisdiction=row["jurisdiction"].upper(),
            right=" ".join(json.loads(row["rights"] or "[]")),
            part="changes",
            title=f"{row['title']}（{row['detected_at'][:10]}）",
            body=f"{row['summary']}\n{articles}".strip(),
            url=change_url(row["jurisdiction"], row["id"]),
            date=row["detected_at"],
        )


def report_docs(store: Store) -> Iterator[Doc]:
    rows = store.conn.execute("SELECT id, period, industry, built_at, summary, is_sample FROM reports")
    for row in rows:
        yield Doc(
            id=f"report:{row['id']}",
            kind="report",
            jurisdiction="",
            right="",
            part="reports",
            title=f"{row['period']} {row['industry']} 风险预警报告",
            body=row["summary"] or "",
            url=report_url(row["period"], row["industry"], bool(row["is_sample"])),
            date=row["built_at"],
        )


def all_docs(store: Store | None, guides_root: Path | None = None) -> Iterator[Doc]:
    yield from guide_docs(guides_root)
    if store is not None:
        yield from change_docs(store)
        yield from report_docs(store)


# --- the index ------------------------------------------------------------------------------


def index_dir(settings) -> Path:
    return Path(settings.data_dir) / "index"


def open_index(folder: Path, *, fresh: bool = False):
    """Open the index in ``folder``, creating it (or recreating it on a schema change)."""
    marker = folder / "schema_version"
    current = marker.read_text().strip() if marker.exists() else ""
    if fresh or current != str(SCHEMA_VERSION) or not windex.exists_in(folder, INDEX_NAME):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        ix = windex.create_in(folder, schema(), indexname=INDEX_NAME)
        marker.write_text(str(SCHEMA_VERSION))
        return ix
    # Without mmap: whoosh wraps each mapped file of a segment in a BytesIO, which copies it
    # whole at every opening (profiled: most of the time of opening a 10,000-section index).
    return FileStorage(str(folder), supports_mmap=False).open_index(INDEX_NAME)


@dataclass
class UpdateStats:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    changed_ids: tuple[str, ...] = ()


MANIFEST = "hashes.json"


def _known_hashes(ix, folder: Path) -> dict[str, str]:
    """{doc id: content hash} of the index: from the manifest written after the last commit,
    or, if it is missing or does not match the index, from the stored fields (slower)."""
    manifest = folder / MANIFEST
    if manifest.exists():
        known = json.loads(manifest.read_text("utf-8"))
        if len(known) == ix.doc_count():
            return known
    with ix.searcher() as searcher:
        return {f["id"]: f["hash"] for f in searcher.all_stored_fields()}


def _write_manifest(folder: Path, hashes: dict[str, str]) -> None:
    temp = folder / (MANIFEST + ".tmp")
    temp.write_text(json.dumps(hashes, ensure_ascii=False), "utf-8")
    os.replace(temp, folder / MANIFEST)


POSTING_BLOCK = 1024  # postings per block (whoosh: 128); see _writer


class Codec(W3Codec):
    """whoosh 3 that also writes where each document's stored fields start. Without them,
    whoosh derives the offsets of all documents from their lengths in a Python loop the first
    time a stored field is read — profiled: ~1–3 ms of every query on 10,000 sections. whoosh
    writes them itself above 32,768 documents, and reads them whenever they are there."""

    def per_document_writer(self, storage, segment):
        writer = W3PerDocWriter(self, storage, segment)
        stored = writer._colwriters.get("_stored")
        column = getattr(stored, "_child", stored)
        if hasattr(column, "cutoff"):
            column.cutoff = 0
        return writer


WRITER_MB = 256  # whoosh's estimate of the postings kept in memory before it sorts a run to disk


def _writer(ix):
    """A writer with long posting blocks: a query reads each block whole (kb.guides.postings),
    and unpickling one block per 128 postings was most of the time left for frequent words.
    With whoosh's default of 128 MB, a build of 10,000 sections wrote its postings to disk
    in sorted runs and merged them back (~20% of its CPU); 256 MB holds them (peak RSS
    ~280 MB instead of ~255 MB). One process: a second one did not finish sooner on 2 cores."""
    return ix.writer(timeout=30, codec=Codec(blocklimit=POSTING_BLOCK), limitmb=WRITER_MB)


def update_index(folder: Path, docs: Iterable[Doc], *, full: bool = False) -> UpdateStats:
    """Bring the index in ``folder`` in line with ``docs``, touching only what changed."""
    ix = open_index(folder, fresh=full)
    known = _known_hashes(ix, folder)
    stats, current, changed = UpdateStats(), {}, []
    writer = None
    try:
        for doc in docs:
            if doc.id in current:
                raise IpwatchError(f"索引文档编号重复：{doc.id}（同一指南中有同名小节？）")
            current[doc.id] = digest = doc.hash
            if known.get(doc.id) == digest:
                stats.unchanged += 1
                continue
            writer = writer or _writer(ix)
            if doc.id in known:
                writer.update_document(**asdict(doc), hash=digest)
                stats.updated += 1
            else:
                writer.add_document(**asdict(doc), hash=digest)
                stats.added += 1
            changed.append(doc.id)
        for gone in set(known) - set(current):
            writer = writer or _writer(ix)
            writer.delete_by_term("id", gone)
            changed.append(gone)
            stats.deleted += 1
    except BaseException:
        if writer is not None:
            writer.cancel()
        raise
    if writer is not None:
        writer.commit()
    if writer is not None or not (folder / MANIFEST).exists():
        _write_manifest(folder, current)
    stats.changed_ids = tuple(changed)
    return stats


INPUTS = "inputs.json"


def _inputs_signature(store: Store | None, guides_root: Path | None) -> list:
    """Cheap fingerprint of what the index is built from: the guide files' names, times and
    sizes, and per table a row count, the largest id and the total length of the texts."""
    from kb.guides import GUIDES_ROOT

    root = Path(guides_root or GUIDES_ROOT)
    files = [[str(p), p.stat().st_mtime_ns, p.stat().st_size] for p in sorted(root.rglob("*.md"))]
    rows: list = []
    if store is not None:
        rows = list(store.conn.execute(
            "SELECT (SELECT count(*) || ':' || ifnull(max(id), 0) || ':'"
            "        || total(length(summary) + length(articles)) FROM changes),"
            " (SELECT count(*) || ':' || ifnull(max(id), 0) || ':' || ifnull(max(built_at), '')"
            "        || ':' || total(length(summary)) FROM reports)"
        ).fetchone())
    return [str(root), files, rows, SCHEMA_VERSION]


def refresh(settings, store: Store | None, *, full: bool = False, guides_root=None) -> UpdateStats:
    """Update the project's index from the guides and the store.

    When the inputs' fingerprint equals the one recorded at the last update (same guide
    files, same rows), nothing is read: ``ipwatch search`` and a site build, which asks for
    related content once per guide page, then cost a few file stats and one query.
    """
    folder = index_dir(settings)
    signature = _inputs_signature(store, guides_root)
    recorded = folder / INPUTS
    if not full and recorded.exists() and (folder / MANIFEST).exists():
        last = json.loads(recorded.read_text("utf-8"))
        if last["signature"] == signature:
            return UpdateStats(unchanged=last["documents"])
    stats = update_index(folder, all_docs(store, guides_root), full=full)
    count = stats.added + stats.updated + stats.unchanged
    temp = folder / (INPUTS + ".tmp")
    temp.write_text(json.dumps({"signature": signature, "documents": count}), "utf-8")
    os.replace(temp, recorded)
    return stats


# --- queries --------------------------------------------------------------------------------


def known_word(reader) -> Callable[[str], bool]:
    """Whether the index has ``word`` as a term (the query splitter's vocabulary)."""
    return lambda w: ("body", w) in reader or ("title", w) in reader


def parse(reader, query: str) -> list[Concept]:
    concepts = parse_query(query, known_word(reader))
    if not concepts:
        raise IpwatchError("参数「query」：查询词为空（只有标点或常用虚词）")
    return concepts


def build_filter(*, jurisdiction=None, right=None, part=None, kind=None) -> list[tuple[str, str]]:
    """(field, value) pairs a hit must have; codes and names checked (an unknown one is an error)."""
    pairs = []
    if jurisdiction:
        pairs.append(("jurisdiction", jurisdiction_code(jurisdiction)))
    if right:
        pairs.append(("right", law_right(right)))
    if part:
        pairs.append(("part", part_code(part)))
    if kind:
        pairs.append(("kind", kind))
    return pairs


@dataclass
class Ranked:
    """Hits best first, and the query words no hit matched (``missing``: a partial match)."""

    hits: list[dict[str, Any]]
    missing: list[str]
    concepts: list[Concept]


def search_index(folder: Path, query: str, **options) -> list[dict[str, Any]]:
    """Hits, best first: fields, score and a highlighted ``snippet`` (matches in 【】)."""
    return search_ranked(folder, query, **options).hits


def search_ranked(
    folder: Path,
    query: str,
    *,
    jurisdiction: str | None = None,
    right: str | None = None,
    part: str | None = None,
    kind: str | None = None,
    limit: int = 10,
) -> Ranked:
    """Rank sections by the query's concepts (kb.guides.ranking): every word first, then
    partial matches by how many (and how rare) words they cover, exact words before
    expansions; BM25F orders sections that tie."""
    flt = build_filter(jurisdiction=jurisdiction, right=right, part=part, kind=kind)
    searcher = open_searcher(folder)
    concepts = parse(searcher.reader(), query)
    ranked = ranking.rank(searcher.reader(), concepts, flt, limit)
    hits = []
    for docnum, score, matched in ranked.hits:
        fields = searcher.stored_fields(docnum)
        hits.append(_hit(fields, score, _marker(matched or [c.label for c in concepts])))
    return Ranked(hits, ranked.missing, concepts)


_SEARCHERS: dict[str, tuple[tuple, Any]] = {}  # folder → (stamp of its index, open searcher)
_SEARCHERS_KEPT = 4


def _stamp(folder: Path) -> tuple | None:
    """Which index ``folder`` holds now: its latest table of contents (name, inode, time).
    Any commit, here or in another process, writes a new one; a rebuilt folder a new file."""
    prefix = f"_{INDEX_NAME}_"
    try:
        tocs = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".toc")]
    except FileNotFoundError:
        return None
    generations = [(int(n[len(prefix):-4]), n) for n in tocs if n[len(prefix):-4].isdigit()]
    if not generations:
        return None
    name = max(generations)[1]
    try:
        stat = os.stat(folder / name)
    except FileNotFoundError:
        return None
    return name, stat.st_ino, stat.st_mtime_ns, stat.st_size


def close_searchers() -> None:
    """Close the searchers kept open (the next query opens its index again)."""
    while _SEARCHERS:
        _SEARCHERS.popitem()[1][1].close()


def open_searcher(folder: Path):
    """A searcher of the index in ``folder``, kept open for the next query of this process
    while the index is unchanged (a site build or a long session asks many): opening the
    index and its segments again was ~1.5 ms of each query on 10,000 sections."""
    key = os.path.abspath(folder)
    stamp = _stamp(Path(folder))  # before opening: a commit in between only reopens next time
    cached = _SEARCHERS.pop(key, None)
    if cached is not None:
        if stamp is not None and cached[0] == stamp:
            _SEARCHERS[key] = cached  # most recently used last
            return cached[1]
        cached[1].close()
    searcher = open_index(folder).searcher()
    stamp = stamp or _stamp(Path(folder))
    if stamp is not None:
        while len(_SEARCHERS) >= _SEARCHERS_KEPT:
            _SEARCHERS.pop(next(iter(_SEARCHERS)))[1].close()
        _SEARCHERS[key] = (stamp, searcher)
    return searcher


def _marker(words: Iterable[str]) -> re.Pattern:
    """Matches every matched term in a text: Chinese as is, English stems with their endings."""
    parts = [
        re.escape(w) + (r"\w*" if w.isascii() and w.isalpha() else "")
        for w in sorted(set(words), key=len, reverse=True) if w
    ]
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


SNIPPET_CHARS = 160


def snippet(text: str, marker: re.Pattern) -> str:
    """A window of ``text`` around the first match, every match marked 【like this】."""
    text = " ".join(text.split())
    first = marker.search(text)
    start = max(0, (first.start() if first else 0) - SNIPPET_CHARS // 4)
    window = text[start:start + SNIPPET_CHARS]
    marked = marker.sub(lambda m: f"【{m.group(0)}】", window)
    return ("…" if start else "") + marked + ("…" if start + SNIPPET_CHARS < len(text) else "")


def _hit(fields: dict[str, Any], score: float, marker: re.Pattern) -> dict[str, Any]:
    return {
        "id": fields["id"],
        "kind": fields["kind"],
        "jurisdiction": fields["jurisdiction"],
        "right": fields["right"].split(),
        "part": fields["part"],
        "title": fields["title"],
        "url": fields["url"],
        "date": fields.get("date", ""),
        "score": round(score, 3),
        "snippet": snippet(fields["body"], marker),
    }


def search(settings, store: Store | None, query: str, *, refresh_first: bool = True, **filters) -> Ranked:
    """Search the project's index, first bringing it up to date (cheap when nothing changed)."""
    if refresh_first:
        refresh(settings, store)
    return search_ranked(index_dir(settings), query, **filters)


def partial_notice(ranked: Ranked) -> str:
    """The notice shown when no hit matched every query word ("" when one did or none came)."""
    if not ranked.hits or not ranked.missing:
        return ""
    return f"注意：没有同时匹配全部查询词的结果，以下结果未匹配：{'、'.join(ranked.missing)}"
