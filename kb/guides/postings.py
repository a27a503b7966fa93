"""Read a whoosh index's postings and field lengths a block at a time.

Profiling the ranking on 10,000 sections (benchmarks/search_bench.py --profile) showed ~90% of
a query's time in whoosh's matchers stepping through postings one document at a time in
Python (``Matcher.next``/``id``/``is_active`` and the collector), for frequent words thousands
of times per query. A whoosh 3 posting block already holds its document numbers and weights as
arrays; taking them whole, block after block, costs a fraction of that. So does reading the
one-byte length column of a segment in one call.

Both use attributes of whoosh's ``W3LeafMatcher`` and its column reader that are not public;
``postings`` and ``field_lengths`` fall back to the public per-document calls when an index
was written by another codec (``BLOCK_READS`` says which one ran, for the tests).
"""
from __future__ import annotations

from itertools import accumulate

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]
BLOCK_READS = {"postings": 0, "fallback": 0}


def postings(reader, fieldname: str, text: str) -> dict[int, float]:
    """{document number: weight (term frequency)} of a term, deleted documents left out."""
    ids, weights = posting_lists(reader, fieldname, text)
    return dict(zip(ids, weights))


def posting_lists(reader, fieldname: str, text: str) -> tuple[list[int], list[float]]:
    """Document numbers (ascending) and weights of a term, deleted documents left out: the
    ranking makes sets of the numbers and looks up only a few weights, so no dict is built.
    One look-up of the term per segment (asking first whether it is there cost two more)."""
    all_ids: list[int] = []
    all_weights: list[float] = []
    for leaf, offset in reader.leaf_readers():
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        ids, weights = _leaf_postings(matcher)
        if leaf.has_deletions():
            deleted = _deleted(leaf, ids)
            kept = [(i, w) for i, w in zip(ids, weights) if i not in deleted]
            ids, weights = [i for i, _ in kept], [w for _, w in kept]
        if offset:
            ids = [i + offset for i in ids]
        all_ids += ids
        all_weights += weights
    return all_ids, all_weights


def _deleted(leaf, ids) -> set[int]:
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is not None and hasattr(perdoc, "deleted_docs"):
        return set(perdoc.deleted_docs())
    return {i for i in ids if leaf.is_deleted(i)}


def _leaf_postings(matcher):
    inner = getattr(matcher, "child", matcher)  # a segment with deletions wraps it (handled above)
    if hasattr(inner, "_read_ids") and hasattr(inner, "_next_block"):
        matcher = inner
    else:  # not a whoosh 3 leaf matcher: the public, per-document way
        BLOCK_READS["fallback"] += 1
        items = list(matcher.items_as("weight")) if matcher.supports("weight") else \
            [(i, 1.0) for i in matcher.all_ids()]
        return [i for i, _ in items], [w for _, w in items]
    BLOCK_READS["postings"] += 1
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        block_ids, block_weights = _block(matcher)
        ids += block_ids
        weights += block_weights
        matcher._next_block()
    return ids, weights


def _block(matcher) -> tuple[list[int], list[float]]:
    """One block's document numbers and weights, decoded at C speed (whoosh decodes the
    delta-coded numbers with a Python generator, one posting at a time)."""
    if matcher._data is None:
        matcher._read_data()
    raw_ids, raw_weights = matcher._data[0], matcher._data[1]
    count = matcher._blocklength
    ids = list(raw_ids) if matcher._byteids else list(accumulate(raw_ids))
    if raw_weights is None:
        weights = [1.0] * count
    elif isinstance(raw_weights, float):
        weights = [raw_weights] * count
    else:
        weights = list(raw_weights)
    return ids, weights


class ByteLengths:
    """Field lengths kept as whoosh's length bytes, decoded when asked for (``lengths[doc]``)."""

    def __init__(self, raw: bytes):
        self.raw = raw

    def __getitem__(self, doc: int) -> int:
        return _LENGTH_OF_BYTE[self.raw[doc]] if doc < len(self.raw) else 0

    def by_byte(self, fn) -> list:
        """``fn(length)`` for each of the 256 length bytes: index it with ``raw[doc]``."""
        return [fn(n) for n in _LENGTH_OF_BYTE]


def field_lengths(reader, fieldname: str):
    """Length (in terms, as whoosh stores it: one byte, approximate) of a field, by document."""
    raws: list[bytes] = []
    for leaf, _ in reader.leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        column = perdoc.column_reader(_lenfield(fieldname), LENGTHS_COLUMN) \
            if perdoc is not None and perdoc.has_column(_lenfield(fieldname)) else None
        if column is None or not hasattr(column, "_dbfile"):  # not whoosh 3: per document
            BLOCK_READS["fallback"] += 1
            return ByteLengths(bytes(length_to_byte(reader.doc_field_length(d, fieldname, 0) or 0)
                                     for d in range(reader.doc_count_all())))
        count = leaf.doc_count_all()
        raw = bytes(column._dbfile.get(column._basepos, column._count))
        raws.append(raw[:count] + bytes(max(0, count - len(raw))))
    return ByteLengths(b"".join(raws))
