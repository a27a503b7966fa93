"""Disclosure control (统计法 第二十五条): primary and complementary suppression, and its audit.

Published cells count distinct enterprises. A cell of 1 to ``min_enterprises - 1`` enterprises
is *sensitive*: it is never published (primary suppression, shown as ``*``). Zero is published
(it identifies no one).

**The attacker.** Someone who holds every table ever published (this report and all earlier
ones, for any overlapping period) and assumes they add up exactly — worst case, although
distinct counts may add up to more — along these relations, within one calendar year:

1. a table's total = the sum of its categories, for each dimension;
2. a cell for 全部 = the sum of the same cell over the industries (其他 included, unpublished);
3. a year's cell = the sum over its quarters; a quarter's = the sum over its months.

From the published values, each unpublished cell gets an interval: a suppressed cell is at
least 1, an unpublished one at least 0, and the relations are propagated until nothing
tightens (interval constraint propagation — this catches every recovery "by subtraction",
including chains of subtractions across tables, periods and reports).

**Protected** means: for every sensitive cell that is not published, the attacker's interval
holds at least ``min_enterprises`` values (``upper - lower >= min_enterprises - 1``): a
subtraction can neither give the cell back nor narrow it below the threshold.

**Complementary suppression** (:func:`protect`) suppresses, while some sensitive cell is not
protected, a further published cell of the new report (the smallest, categories before totals)
in a relation that pins it, and repeats. Cells published by earlier reports are fixed: a new
report adapts to them. :func:`audit` checks the property for the published cells alone; it
runs in the tests and at every site build.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from alerts.counts import ALL, DIMS, INDUSTRIES, Key, categories
from kb.core.periods import year_lattice

INF = float("inf")


def relations(year: int) -> list[tuple[Key, list[Key]]]:
    """Every additive relation among the cells of one calendar year (see the module text)."""
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


class View:
    """What the attacker knows of one year: an interval per cell, after propagation."""

    def __init__(self, year: int, published: dict[Key, int | None]):
        self.year = year
        st = structure(year)
        self.index, self.keys, self.rels, self.rels_of = st.index, st.keys, st.rels, st.rels_of
        self.lb = [0.0] * len(self.keys)
        self.ub = [INF] * len(self.keys)
        for key, value in published.items():
            i = self.index.get(key)
            if i is not None:
                self.lb[i], self.ub[i] = (1.0, INF) if value is None else (float(value), float(value))
        self.propagate()

    build = classmethod(lambda cls, year, published: cls(year, published))

    def by_id(self) -> list[Key]:
        return self.keys

    def width(self, key: Key) -> float:
        i = self.index[key]
        return self.ub[i] - self.lb[i]

    def propagate(self) -> None:
        """Tighten intervals relation by relation until nothing moves (a worklist)."""
        lb, ub = self.lb, self.ub
        pending = list(range(len(self.rels)))
        queued = set(pending)
        while pending:
            number = pending.pop()
            queued.discard(number)
            parent, children = self.rels[number]
            for moved in _tighten(lb, ub, parent, children):
                for other in self.rels_of[moved]:
                    if other not in queued:
                        queued.add(other)
                        pending.append(other)


def _tighten(lb: list[float], ub: list[float], parent: int, children: list[int]) -> list[int]:
    """One relation parent = sum(children): narrow every member's interval; return those moved."""
    if ub[parent] == lb[parent] and all(ub[c] == lb[c] for c in children):
        return []
    moved = []
    sum_lb = sum(lb[c] for c in children)
    finite_ub = [ub[c] for c in children if ub[c] != INF]
    n_inf = len(children) - len(finite_ub)
    sum_finite = sum(finite_ub)
    if _set(lb, ub, parent, sum_lb, INF if n_inf else sum_finite):
        moved.append(parent)
    for c in children:
        others_lb = sum_lb - lb[c]
        c_inf = ub[c] == INF
        others_ub = INF if n_inf - c_inf > 0 else sum_finite - (0.0 if c_inf else ub[c])
        if _set(lb, ub, c, lb[parent] - others_ub, ub[parent] - others_lb):
            moved.append(c)
    return moved


def _set(lb: list[float], ub: list[float], i: int, low: float, high: float) -> bool:
    low, high = max(lb[i], low), min(ub[i], high)
    if low > high:  # the published figures do not add up here (distinct counts): no inference
        return False
    if low != lb[i] or high != ub[i]:
        lb[i], ub[i] = low, high
        return True
    return False


def sensitive(value: int, threshold: int) -> bool:
    return 1 <= value < threshold


@dataclass(frozen=True)
class Violation:
    key: Key
    reason: str

    def __str__(self) -> str:
        period, industry, dim, cat = self.key
        return f"{period}/{industry}/{dim}/{cat or '合计'}：{self.reason}"


def _exposed(view: View, truth: dict[Key, int], published: dict[Key, int | None], threshold: int) -> list[Key]:
    out = []
    for key, i in view.index.items():
        value = truth.get(key, 0)
        if published.get(key) is not None:
            continue  # published as a number: not a secret (primary rule checked elsewhere)
        inside = view.lb[i] <= value <= view.ub[i]  # outside: the attacker's sum is wrong
        if sensitive(value, threshold) and inside and view.ub[i] - view.lb[i] < threshold - 1:
            out.append(key)
    return out


def audit(cells: dict[Key, tuple[int | None, int]], threshold: int) -> list[Violation]:
    """Check published cells ``key → (published value or None, true value)``; [] when safe."""
    problems = [Violation(k, f"公布值 {v} 低于阈值 {threshold}")
                for k, (v, _) in cells.items() if v is not None and sensitive(v, threshold)]
    published = {k: v for k, (v, _) in cells.items()}
    suppressed_truth = {k: t for k, (v, t) in cells.items() if v is None}
    for year in sorted({year_of(k) for k in cells}):
        view = View.build(year, published)
        for key in _exposed(view, suppressed_truth, published, threshold):
            i = view.index[key]
            problems.append(Violation(key, f"可由合计推算：区间 [{view.lb[i]:g}, {view.ub[i]:g}]"))
    return problems


def _cost(key: Key, value: int, hop: int) -> tuple:
    """Cheapest complement first: a category (not a total), of one industry (not 全部), in the
    relation itself (not one step further), the smallest."""
    return (key[2] == "total", key[1] == ALL, hop, value, key)


def _candidates(view: View, key: Key, free: set[Key]) -> list[tuple[Key, int]]:
    """Published cells of the new report whose suppression could unpin ``key``, with their hop."""
    by_id = view.by_id()
    target = view.index[key]
    out: list[tuple[Key, int]] = []
    for number in view.rels_of[target]:
        parent, children = view.rels[number]
        members = [parent, *children]
        out += [(by_id[m], 0) for m in members if by_id[m] in free]
        for m in members:  # a member pinned by another relation: unpin it there
            if m != target and by_id[m] not in free and view.ub[m] == view.lb[m]:
                for other in view.rels_of[m]:
                    if other != number:
                        p2, c2 = view.rels[other]
                        out += [(by_id[x], 1) for x in (p2, *c2) if by_id[x] in free]
    return out


def protect(new: dict[Key, int], truth: dict[Key, int], earlier: dict[Key, int | None],
            threshold: int, max_rounds: int = 500) -> dict[Key, int | None]:
    """Decide what the new report publishes: ``key → value`` or None (suppressed).

    ``new``: the report's cells with their true values; ``truth``: true values of every cell of
    the years concerned (for unpublished sensitive cells); ``earlier``: what earlier reports
    published (fixed).
    """
    result: dict[Key, int | None] = {}
    for key, value in new.items():
        if key in earlier and earlier[key] is None or sensitive(value, threshold):
            result[key] = None
        else:
            result[key] = value
    for year in sorted({year_of(k) for k in new}):
        unfixable: set[Key] = set()
        for _ in range(max_rounds):
            published = {**{k: v for k, v in earlier.items() if k not in new}, **result}
            view = View.build(year, published)
            exposed = [k for k in _exposed(view, truth, published, threshold) if k not in unfixable]
            if not exposed:
                break
            free = {k for k, v in result.items() if v is not None and year_of(k) == year and v > 0}
            touched: set[int] = set()
            for key in exposed:
                mine = set(view.rels_of[view.index[key]])
                if mine & touched:
                    continue  # a complement was just added in one of its relations: re-check first
                touched |= mine
                options = [(k, hop) for k, hop in _candidates(view, key, free) if result[k] is not None]
                if not options:
                    unfixable.add(key)  # pinned by earlier reports only: nothing this report can do
                    continue
                choice = min(options, key=lambda o: _cost(o[0], new[o[0]], o[1]))[0]
                result[choice] = None
                free.discard(choice)
                touched |= set(view.rels_of[view.index[choice]])
    return result
