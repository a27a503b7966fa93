"""The cells of one calendar year and the additive relations among them (the lattice).

A year's lattice: its 12 months, 4 quarters and the year; each industry (其他 included) and
全部; for each, the table of every dimension (涉及企业总数 and the categories).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from alerts.counts import ALL, DIMS, INDUSTRIES, Key, categories
from kb.core.periods import year_lattice


def relations(year: int) -> list[tuple[Key, list[Key]]]:
    """Every additive relation among the cells of one calendar year:

    a table's total and each dimension's categories; 全部 and the industries (其他 included);
    a year and its quarters, a quarter and its months."""
    out: list[tuple[Key, list[Key]]] = []
    industries = [*INDUSTRIES, ALL]
    cells = [("total", "")] + [(d, c) for d in DIMS for c in categories(d)]
    for period in year_lattice(year):
        p = period.code
        for ind in industries:
            for dim in DIMS:
                out.append(((p, ind, "total", ""), [(p, ind, dim, c) for c in categories(dim)]))
        for dim, cat in cells:
            out.append(((p, ALL, dim, cat), [(p, ind, dim, cat) for ind in INDUSTRIES]))
            for ind in industries if period.children() else []:
                out.append(((p, ind, dim, cat), [(ch.code, ind, dim, cat) for ch in period.children()]))
    return out


def year_of(key: Key) -> int:
    return int(key[0][:4])


@dataclass(frozen=True)
class Structure:
    """The relations of one year, with cells numbered (built once per year)."""

    index: dict[Key, int]
    keys: list[Key]
    rels: list[tuple[int, list[int]]]
    rels_of: list[list[int]]


@lru_cache(maxsize=8)
def structure(year: int) -> Structure:
    index: dict[Key, int] = {}
    rels: list[tuple[int, list[int]]] = []
    for parent, children in relations(year):
        ids = [index.setdefault(k, len(index)) for k in (parent, *children)]
        rels.append((ids[0], ids[1:]))
    rels_of: list[list[int]] = [[] for _ in index]
    for number, (parent, children) in enumerate(rels):
        for i in (parent, *children):
            rels_of[i].append(number)
    return Structure(index, list(index), rels, rels_of)


def sensitive(value: int, threshold: int) -> bool:
    return 1 <= value < threshold


def lattice_truth(year: int, counts: dict[Key, int]) -> dict[Key, int]:
    """The true count of every cell of the year's lattice (0 where nothing was counted)."""
    return {key: counts.get(key, 0) for key in structure(year).keys}


