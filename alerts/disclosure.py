"""Disclosure control (统计法 第二十五条): one protected lattice per year, versions kept forever.

Published cells count distinct enterprises of *local cases* (public records are published as
they are, see :mod:`alerts.report`). A cell of 1 to ``threshold - 1`` enterprises is
*sensitive*: never published (primary suppression, ``*``). Zero is published.

**One lattice per year.** Suppression is decided once per calendar year and data state over
the whole year: its 12 months, 4 quarters and the year, each industry and 全部, every table.
That decision (a *version*) is treated as published whole — whichever reports are built from
it, in whatever order (months then the year, or the year first) — so every report of the year
reads its cells from the same protected pattern and none can be refused because another was
built first. A version is kept forever (table ``disclosure_cells``; deletes and updates are
refused by triggers). When the counts change (a late record) or the threshold changes, the
next build makes a new version, protected together with all earlier ones.

**The attacker** (:mod:`alerts.lpattack`) holds every version and bounds each sensitive cell by
linear programming, with the relations of :func:`relations` within a version and "a later
version's cell is at least the earlier one's" across versions. A cell is protected when at
least ``threshold`` values stay possible.

**Suppression** (:func:`protect`): primary cells, plus the cells the previous version
suppressed (a stable pattern gives a revision less to compare), then complementary cells
first so that no relation has a lone unknown (:mod:`alerts.screen`), then greedily — the
cheapest published cell of the new version in a relation of an exposed cell (a category
before a total, one industry before 全部, nearest first, smallest value) — until the attacker
finds nothing. Headline totals (全部, 合计) are the last cells ever chosen.
"""
from __future__ import annotations

from dataclasses import dataclass

from alerts.screen import cost as _cost, screen
from alerts.counts import ALL, Key
from alerts.lattice import Structure, lattice_truth, relations, sensitive, structure, year_of
from alerts.lpattack import Finding, Version, attack

UNPUBLISHED = "other"  # the 其他 industry has no report of its own
__all__ = ["audit", "protect", "lattice_truth", "relations", "structure", "year_of", "Violation"]
NEW = -1  # id of a version being decided


@dataclass(frozen=True)
class Violation:
    key: Key
    reason: str
    version: int = 0

    def __str__(self) -> str:
        period, industry, dim, cat = self.key
        where = f"（版本 {self.version}）" if self.version > 0 else ""
        return f"{period}/{industry}/{dim}/{cat or '合计'}{where}：{self.reason}"


def _violation(f: Finding) -> Violation:
    high = "∞" if f.high == float("inf") else f"{f.high:g}"
    return Violation(f.key, f"可由已公布数据推算：线性规划区间 [{f.low:g}, {high}]，"
                            f"少于 {f.threshold} 个可能值", f.version)


def audit(year: int, versions: list[Version]) -> list[Violation]:
    """Attack every version of one year at once; [] when every sensitive cell is protected."""
    problems = [Violation(k, f"公布值 {v} 低于阈值 {ver.threshold}", ver.id)
                for ver in versions for k, v in ver.values.items()
                if v is not None and sensitive(v, ver.threshold)]
    st = structure(year)
    found = attack(st.rels, st.keys, versions)
    return problems + [_violation(f) for f in found if f.exposed]


def primary(year: int, truth: dict[Key, int], threshold: int,
            previous: Version | None) -> dict[Key, int | None]:
    """The starting pattern: sensitive cells and the previous version's suppressions hidden,
    the 其他 industry unpublished, everything else published."""
    values: dict[Key, int | None] = {}
    for key in structure(year).keys:
        if key[1] == UNPUBLISHED:
            continue
        value = truth.get(key, 0)
        values[key] = None if sensitive(value, threshold) else value
    if previous is not None:
        for key, old in previous.values.items():
            if old is None and truth.get(key, 0) > 0 and key in values:
                values[key] = None
    return values


def _candidates(st: Structure, key: Key, values: dict, max_hop: int = 3) -> list[tuple[Key, int]]:
    """Published non-zero cells reachable from ``key`` through relations, with their hop."""
    seen_rels: set[int] = set()
    frontier = {st.index[key]}
    out: list[tuple[Key, int]] = []
    for hop in range(max_hop):
        nxt: set[int] = set()
        for cell in frontier:
            for number in st.rels_of[cell]:
                if number in seen_rels:
                    continue
                seen_rels.add(number)
                parent, children = st.rels[number]
                nxt.update((parent, *children))
        out += [(st.keys[m], hop) for m in nxt if values.get(st.keys[m])]
        if any(not _headline(k) for k, _ in out):  # a headline total only when nothing else is near
            return out
        frontier = nxt
    return out


def _complements(st: Structure, exposed: list[Finding], values: dict) -> list[Key]:
    """One complement per exposed cell, skipping cells whose relations just got one."""
    touched: set[int] = set()
    chosen: list[Key] = []
    for finding in sorted(exposed, key=lambda f: f.key):
        mine = set(st.rels_of[st.index[finding.key]])
        if mine & touched:
            continue
        choice = _choose(st, finding, values)
        if choice is None:
            continue
        values[choice] = None
        chosen.append(choice)
        touched |= mine | set(st.rels_of[st.index[choice]])
    return chosen


def _choose(st: Structure, finding: Finding, values: dict) -> Key | None:
    """The complement for one exposed cell. First the published cells the LP's row duals name
    as binding its bound (``finding.hints``, strongest first), then the cells of its relations
    (nearest first); a headline total (全部, 合计) only when nothing else is left. Among equals:
    a category before a total, one industry before 全部, the smallest value, the strongest."""
    rank = {k: i for i, k in enumerate(finding.hints)}

    def cheapest(options: list[Key]) -> Key:
        return min(options, key=lambda k: (_cost(k, values[k]), rank.get(k, len(rank))))

    hinted = [k for k in finding.hints if values.get(k)]
    if options := [k for k in hinted if not _headline(k)]:
        return cheapest(options)  # the usual case: no walk through the relations needed
    near = [k for k, _ in _candidates(st, finding.key, values)]
    for options in ([k for k in near if not _headline(k)], hinted, near):
        if options:
            return cheapest(options)
    return None


def _headline(key: Key) -> bool:
    return key[1] == ALL and key[2] == "total"


def protect(year: int, truth: dict[Key, int], earlier: list[Version], threshold: int,
            max_rounds: int = 200) -> tuple[dict[Key, int | None], list[Violation]]:
    """Decide a new version of one year's lattice (``truth``: :func:`lattice_truth`):
    ``key → value or None``, and what the attacker still finds (then nothing may be published)."""
    st = structure(year)
    start = primary(year, truth, threshold, earlier[-1] if earlier else None)
    values = dict(start)
    screen(st, values, truth, threshold)
    new = Version(NEW, threshold, values, truth)
    versions = [*earlier, new]
    pending: set | None = None  # targets not yet proven safe (more suppression keeps them safe)
    exposed: list[Finding] = []
    for _ in range(max_rounds):
        exposed = [f for f in attack(st.rels, st.keys, versions, only=pending) if f.exposed]
        if not exposed or not _complements(st, exposed, values):
            break
        pending = {(versions.index(_by_id(versions, f.version)), f.key) for f in exposed}
    return values, [_violation(f) for f in exposed]


def _by_id(versions: list[Version], number: int) -> Version:
    return next(v for v in versions if v.id == number)
