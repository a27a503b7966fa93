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
5. BM25F over the matched terms (title weighted 2, expansions half).

The same order is computed by the site's ``ipw-search.js`` over its own index.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from whoosh.query import Or, Term

from kb.guides.search_text import Concept

EXPANSION_BOOST = 0.5


@dataclass
class Coverage:
    docs: set[int]  # sections covering the concept
    exact: set[int]  # … with the word as typed
    terms: dict[int, tuple[str, ...]]  # section → terms of the first alternative it matched


@dataclass
class RankResult:
    hits: list[tuple[int, float, list[str]]]  # docnum, score, matched terms
    missing: list[str]  # labels of concepts that no returned hit covers


def _term_docs(reader, term: str, cache: dict) -> set[int]:
    if term not in cache:
        docs: set[int] = set()
        for fieldname in ("title", "body"):
            if (fieldname, term) in reader:
                docs.update(reader.postings(fieldname, term).all_ids())
        cache[term] = docs
    return cache[term]


def coverage(reader, concept: Concept, allowed: set[int] | None, cache: dict) -> Coverage:
    if concept.jurisdiction:
        docs = _term_docs_field(reader, "jurisdiction", concept.jurisdiction.upper())
        docs = docs & allowed if allowed is not None else docs
        return Coverage(docs, docs, {})
    found: set[int] = set()
    exact: set[int] = set()
    terms: dict[int, tuple[str, ...]] = {}
    for number, alt in enumerate(concept.alts):
        docs = set.intersection(*(_term_docs(reader, t, cache) for t in alt))
        if allowed is not None:
            docs &= allowed
        if number == 0:
            exact = docs
        for doc in docs - found:
            terms[doc] = alt
        found |= docs
    return Coverage(found, exact, terms)


def _term_docs_field(reader, fieldname: str, text: str) -> set[int]:
    if (fieldname, text) not in reader:
        return set()
    return set(reader.postings(fieldname, text).all_ids())


def rank(searcher, concepts: list[Concept], flt, limit: int) -> RankResult:
    reader = searcher.reader()
    allowed = set(searcher.docs_for_query(flt)) if flt is not None else None
    cache: dict = {}
    covers = [coverage(reader, c, allowed, cache) for c in concepts]
    total = max(reader.doc_count(), 1)
    idf = [math.log(1 + total / (len(cov.docs) or 1)) for cov in covers]
    guides = _term_docs_field(reader, "kind", "guide")
    keys: dict[int, tuple] = {}
    for index, cov in enumerate(covers):
        for doc in cov.docs:
            count, weight, exact = keys.get(doc, (0, 0.0, 0))
            keys[doc] = (count + 1, weight + idf[index], exact + (doc in cov.exact))
    full = len(concepts)
    order = sorted(keys, key=lambda d: (-(keys[d][0] == full), -round(keys[d][1], 6), -keys[d][2],
                                        d not in guides, d))
    hits = _score_groups(searcher, order, keys, guides, concepts, covers, limit)
    covered = {i for _, _, _, idx in hits for i in idx}
    missing = [c.label for i, c in enumerate(concepts) if i not in covered]
    return RankResult([(d, s, m) for d, s, m, _ in hits], missing)


def _score_groups(searcher, order, keys, guides, concepts, covers, limit):
    """BM25F within each group of equal keys, groups in order, until ``limit`` hits."""
    out = []
    start = 0
    while start < len(order) and len(out) < limit:
        group_key = _group_key(order[start], keys, guides)
        end = start
        while end < len(order) and _group_key(order[end], keys, guides) == group_key:
            end += 1
        group = order[start:end]
        scores = _bm25(searcher, concepts, set(group), limit - len(out)) if len(group) > 1 else {}
        best = sorted(group, key=lambda d: (-scores.get(d, 0.0), d))[: limit - len(out)]
        for doc in best:
            matched = [t for cov in covers if doc in cov.terms for t in cov.terms[doc]]
            indexes = [i for i, cov in enumerate(covers) if doc in cov.docs]
            out.append((doc, round(scores.get(doc, 0.0) + 100.0 * keys[doc][0], 3), matched, indexes))
        start = end
    return out


def _group_key(doc, keys, guides):
    count, weight, exact = keys[doc]
    return count, round(weight, 6), exact, doc in guides


def _bm25(searcher, concepts: Iterable[Concept], group: set[int], limit: int) -> dict[int, float]:
    terms = []
    for concept in concepts:
        for number, alt in enumerate(concept.alts):
            boost = 1.0 if number == 0 else EXPANSION_BOOST
            for term in alt:
                terms += [Term("title", term, boost=2.0 * boost), Term("body", term, boost=boost)]
    if not terms:
        return {}
    results = searcher.search(Or(terms), filter=group, limit=limit)
    return {hit.docnum: hit.score for hit in results}
