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
from bisect import bisect_left
from dataclasses import dataclass

from kb.guides.postings import field_lengths, posting_lists
from kb.guides.search_text import Concept

EXPANSION_BOOST = 0.5
OTHER_KINDS = ("change", "report")  # kb.guides.search: every kind of document but "guide"
TITLE_BOOST = 2.0
K1, B = 1.2, 0.75


@dataclass
class Coverage:
    docs: set[int]  # sections covering the concept
    exact: set[int]  # … with the word as typed
    alts: list[tuple[tuple[str, ...], set[int]]]  # each alternative's terms and sections

    def terms(self, doc: int) -> tuple[str, ...]:
        """Terms of the first alternative that ``doc`` matches (() for none)."""
        return next((terms for terms, docs in self.alts if doc in docs), ())


@dataclass
class RankResult:
    hits: list[tuple[int, float, list[str]]]  # docnum, score, matched terms
    missing: list[str]  # labels of concepts that no returned hit covers


class Postings:
    """Postings of the terms a query needs, each read once."""

    def __init__(self, reader):
        self.reader = reader
        self._lists: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        self._dicts: dict[tuple[str, str], dict[int, float]] = {}
        self._docs: dict[str, set[int]] = {}
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
            found.update(self.lists("kind", kind)[0])
        return found

    def lists(self, fieldname: str, term: str) -> tuple[list[int], list[float]]:
        """Document numbers (ascending) and weights of a term in a field."""
        key = (fieldname, term)
        if key not in self._lists:
            self._lists[key] = posting_lists(self.reader, fieldname, term)
        return self._lists[key]

    def get(self, fieldname: str, term: str) -> dict[int, float]:
        key = (fieldname, term)
        if key not in self._dicts:
            self._dicts[key] = dict(zip(*self.lists(fieldname, term)))
        return self._dicts[key]

    def weights(self, fieldname: str, term: str, docs: set[int]) -> list[tuple[int, float]]:
        """(doc, weight) of the ``docs`` that have the term: a few are looked up by bisection
        in the sorted numbers (no dict of a frequent word's thousands of postings)."""
        ids, weights = self.lists(fieldname, term)
        if not ids:
            return []
        if (fieldname, term) in self._dicts or len(docs) * 16 > len(ids):
            found = self.get(fieldname, term)
            return [(d, found[d]) for d in docs.intersection(found)]
        out = []
        for doc in docs:
            at = bisect_left(ids, doc)
            if at < len(ids) and ids[at] == doc:
                out.append((doc, weights[at]))
        return out

    def docs(self, term: str) -> set[int]:
        """Sections with ``term`` in title or body (shared: never change the set returned)."""
        if term not in self._docs:
            found = set(self.lists("body", term)[0])
            found.update(self.lists("title", term)[0])
            self._docs[term] = found
        return self._docs[term]


def coverage(store: Postings, concept: Concept, allowed: set[int] | None) -> Coverage:
    if concept.jurisdiction:
        docs = set(store.lists("jurisdiction", concept.jurisdiction.upper())[0])
        docs = docs & allowed if allowed is not None else docs
        return Coverage(docs, docs, [])
    alts = []
    for alt in concept.alts:
        docs = store.docs(alt[0])
        for term in alt[1:]:
            docs = docs & store.docs(term)
        if allowed is not None:
            docs = docs & allowed
        alts.append((alt, docs))
    found = set().union(*(docs for _, docs in alts)) if len(alts) > 1 else set(alts[0][1])
    return Coverage(found, alts[0][1], alts)


def allowed_docs(store: Postings, filters: list[tuple[str, str]]) -> set[int] | None:
    """Sections passing every (field, value) filter; None without filters."""
    allowed = None
    for fieldname, value in filters:
        docs = set(store.lists(fieldname, value)[0])
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
    out = [(doc, score, [t for cov in covers for t in cov.terms(doc)]) for doc, score in hits]
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
        group = groups[group_key]
        if len(chosen) + len(group) > limit:
            scores = bm25(store, concepts, group)
            best = heapq.nlargest(limit - len(chosen), [(scores.get(d, 0.0), -d) for d in group])
            group = [-negative for _, negative in best]
        chosen += group
        key_of.update(dict.fromkeys(group, group_key))
        if len(chosen) >= limit:
            break
    scores = bm25(store, concepts, chosen)
    chosen.sort(key=lambda d: (key_of[d], scores.get(d, 0.0), -d), reverse=True)
    return [(d, round(scores.get(d, 0.0), 3)) for d in chosen]


def bm25(store: Postings, concepts: list[Concept], docs) -> dict[int, float]:
    """BM25 of ``docs`` over the concepts' terms (title ×2 without length normalisation;
    expansions ×0.5)."""
    wanted = set(docs)
    total = max(store.reader.doc_count(), 1)
    average = max(store.reader.field_length("body") / total, 1.0)
    lengths = store.lengths if len(wanted) > 1 else None
    if lengths is not None:
        raw = lengths.raw  # one length byte per section (kb.guides.postings.field_lengths)
        k1_norm = lengths.by_byte(lambda n: K1 * (1 - B + B * n / average))
    scores: dict[int, float] = dict.fromkeys(wanted, 0.0)
    for concept in concepts:
        for number, alt in enumerate(concept.alts):
            boost = 1.0 if number == 0 else EXPANSION_BOOST
            for term in alt:
                for fieldname, weight in (("title", TITLE_BOOST), ("body", 1.0)):
                    count = len(store.lists(fieldname, term)[0])
                    if not count:
                        continue
                    idf = math.log(1 + (total - count + 0.5) / (count + 0.5))
                    factor = boost * weight * idf * (K1 + 1)
                    found = store.weights(fieldname, term, wanted)
                    if fieldname == "title" or lengths is None:
                        for doc, tf in found:
                            scores[doc] += factor * tf / (tf + K1)
                    else:  # k1 × BM25's length norm, by the length byte of the section
                        for doc, tf in found:
                            scores[doc] += factor * tf / (tf + k1_norm[raw[doc]])
    return {d: s for d, s in scores.items() if s}
