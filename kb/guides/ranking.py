"""Ranking of sections by the query's concepts (issue 12), over a whoosh index.

A section *covers* a concept when it has every term of one of the concept's alternatives (in
its title or body) — or, for a jurisdiction concept, when it belongs to that jurisdiction.
Sections are ordered by:

1. whether they cover every concept;
2. the summed rarity (idf, from the number of sections covering the concept) of the concepts
   they cover — a partial match that covers rarer words ranks higher;
3. how many concepts they cover with the word as typed (so an expansion never outranks the
   exact word: two sections that cover the same concepts differ here first);
4. guide sections before the other kinds (law changes, reports) that cover as much;
5. BM25 over the matched terms (title weighted 2, expansions half).

Postings are read a block at a time (kb.guides.postings): whoosh's own matchers step through
them one document at a time in Python, which was most of a query's time. The same order is
computed by the site's ``ipw-search.js`` over its own index.
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from kb.guides.postings import field_lengths, postings
from kb.guides.search_text import Concept

EXPANSION_BOOST = 0.5
OTHER_KINDS = ("change", "report")  # kb.guides.search: every kind of document but "guide"
TITLE_BOOST = 2.0
K1, B = 1.2, 0.75


@dataclass
class Coverage:
    docs: set[int]  # sections covering the concept
    exact: set[int]  # … with the word as typed
    terms: dict[int, tuple[str, ...]]  # section → terms of the first alternative it matched


@dataclass
class RankResult:
    hits: list[tuple[int, float, list[str]]]  # docnum, score, matched terms
    missing: list[str]  # labels of concepts that no returned hit covers


class Postings:
    """Postings of the terms a query needs, each read once."""

    def __init__(self, reader):
        self.reader = reader
        self._cache: dict[tuple[str, str], dict[int, float]] = {}
        self._lengths = None

    @property
    def lengths(self):
        if self._lengths is None:
            self._lengths = field_lengths(self.reader, "body")
        return self._lengths

    def others(self) -> set[int]:
        """Sections that are not guide sections (law changes, reports): few, so read those
        rather than the postings of kind=guide, which name almost every section."""
        found: set[int] = set()
        for kind in OTHER_KINDS:
            found |= self.get("kind", kind).keys()
        return found

    def get(self, fieldname: str, term: str) -> dict[int, float]:
        key = (fieldname, term)
        if key not in self._cache:
            self._cache[key] = postings(self.reader, fieldname, term)
        return self._cache[key]

    def docs(self, term: str) -> set[int]:
        return self.get("title", term).keys() | self.get("body", term).keys()


def coverage(store: Postings, concept: Concept, allowed: set[int] | None) -> Coverage:
    if concept.jurisdiction:
        docs = set(store.get("jurisdiction", concept.jurisdiction.upper()))
        docs = docs & allowed if allowed is not None else docs
        return Coverage(docs, docs, {})
    found: set[int] = set()
    exact: set[int] = set()
    terms: dict[int, tuple[str, ...]] = {}
    for number, alt in enumerate(concept.alts):
        docs = set.intersection(*(store.docs(t) for t in alt))
        if allowed is not None:
            docs &= allowed
        if number == 0:
            exact = docs
        for doc in docs - found:
            terms[doc] = alt
        found |= docs
    return Coverage(found, exact, terms)


def allowed_docs(store: Postings, filters: list[tuple[str, str]]) -> set[int] | None:
    """Sections passing every (field, value) filter; None without filters."""
    allowed = None
    for fieldname, value in filters:
        docs = set(store.get(fieldname, value))
        allowed = docs if allowed is None else allowed & docs
    return allowed


def rank(reader, concepts: list[Concept], filters: list[tuple[str, str]], limit: int) -> RankResult:
    store = Postings(reader)
    allowed = allowed_docs(store, filters)
    covers = [coverage(store, c, allowed) for c in concepts]
    total = max(reader.doc_count(), 1)
    idf = [math.log(1 + total / (len(cov.docs) or 1)) for cov in covers]
    full = set.intersection(*(cov.docs for cov in covers)) if covers else set()
    candidates = full if len(full) >= limit else set().union(*(cov.docs for cov in covers))
    groups = _groups(candidates, covers, idf, store.others())
    hits = _best(store, concepts, groups, limit)
    covered = {i for doc, _ in hits for i, cov in enumerate(covers) if doc in cov.docs}
    out = [(doc, score, [t for cov in covers if doc in cov.terms for t in cov.terms[doc]])
           for doc, score in hits]
    return RankResult(out, [c.label for i, c in enumerate(concepts) if i not in covered])


def _groups(candidates: set[int], covers: list[Coverage], idf: list[float], others: set[int]) -> dict:
    """Sections split into groups of equal key (see the module's docstring), by set operations
    only: each coverage splits every part in two (a Python loop over sections took longer
    than reading their postings)."""
    parts: dict[tuple, set[int]] = {((), ()): candidates} if candidates else {}
    for index, cov in enumerate(covers):
        refined: dict[tuple, set[int]] = {}
        for (inside, exact), docs in parts.items():
            hit = docs & cov.docs
            for key, part in (((inside + (index,), exact), hit), ((inside, exact), docs - hit)):
                if part:
                    refined[key] = part
        parts = {}
        for (inside, exact), docs in refined.items():
            if inside and inside[-1] == index:
                hit = docs & cov.exact
                for key, part in (((inside, exact + (index,)), hit), ((inside, exact), docs - hit)):
                    if part:
                        parts[key] = part
            else:
                parts[(inside, exact)] = docs
    groups: dict[tuple, set[int]] = {}
    for (inside, exact), docs in parts.items():
        base = (len(inside) == len(covers), round(sum(idf[i] for i in inside), 6), len(exact))
        for guide, part in ((True, docs - others), (False, docs & others)):
            if part:
                groups.setdefault(base + (guide,), set()).update(part)
    return groups


def _best(store: Postings, concepts: list[Concept], groups: dict, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best sections: by group key, then BM25 within the group that reaches the cut."""
    chosen: list[int] = []
    key_of: dict[int, tuple] = {}
    for group_key in sorted(groups, reverse=True):
        group = sorted(groups[group_key])
        if len(chosen) + len(group) > limit:
            scores = bm25(store, concepts, group)
            group = heapq.nlargest(limit - len(chosen), group, key=lambda d: (scores.get(d, 0.0), -d))
        chosen += group
        key_of.update(dict.fromkeys(group, group_key))
        if len(chosen) >= limit:
            break
    scores = bm25(store, concepts, chosen)
    chosen.sort(key=lambda d: (key_of[d], scores.get(d, 0.0), -d), reverse=True)
    return [(d, round(scores.get(d, 0.0), 3)) for d in chosen]


def bm25(store: Postings, concepts: list[Concept], docs: list[int]) -> dict[int, float]:
    """BM25 of ``docs`` over the concepts' terms (title ×2 without length normalisation;
    expansions ×0.5)."""
    wanted = set(docs)
    lengths = store.lengths if len(wanted) > 1 else None
    total = max(store.reader.doc_count(), 1)
    average = max(store.reader.field_length("body") / total, 1.0)
    scores: dict[int, float] = {}
    for concept in concepts:
        for number, alt in enumerate(concept.alts):
            boost = 1.0 if number == 0 else EXPANSION_BOOST
            for term in alt:
                for fieldname, weight in (("title", TITLE_BOOST), ("body", 1.0)):
                    found = store.get(fieldname, term)
                    idf = math.log(1 + (total - len(found) + 0.5) / (len(found) + 0.5))
                    for doc in wanted.intersection(found):
                        tf = found[doc]
                        norm = 1.0 if fieldname == "title" or lengths is None else \
                            1 - B + B * lengths[doc] / average
                        scores[doc] = scores.get(doc, 0.0) + boost * weight * idf * tf * (K1 + 1) / (tf + K1 * norm)
    return scores
