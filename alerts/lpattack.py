"""The linear-programming attacker of disclosure control (used by the audit and by suppression).

The attacker holds every version of every table ever published for one calendar year and
knows how the cells relate (:func:`alerts.disclosure.relations`). For each version it has one
unknown per cell of the year's lattice; a published cell is fixed at its value, a suppressed
one (``*``) is at least 1, an unpublished one (the 其他 industry) at least 0. It then bounds
each sensitive cell from below and above by linear programming (HiGHS, via ``highspy``):

- **within a version**, each relation ``parent ~ Σ children`` is an equality where the true
  counts add up exactly, else the inequalities that hold (``parent ≤ Σ children``, and
  ``child ≤ parent``, always true of distinct-enterprise counts) — the attacker is assumed to
  know which, the strongest assumption consistent with the data;
- **across versions** (a rebuild after late records), a later version's cell is at least the
  earlier version's (records are only added) wherever that holds in the true counts.

A sensitive cell (1 … threshold−1 enterprises, under the threshold of the version that holds
it) is *exposed* when ``floor(max) − ceil(min) < threshold − 1``: fewer than ``threshold``
integer values remain possible. Any linear combination of published figures is covered: the
LP bound is the tightest such combination gives.

The system is split into connected components over the unknowns (after fixing the published
cells) and each component is solved with one HiGHS model, re-optimised per target cell.
"""
from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from alerts.counts import Key

INF = highspy.kHighsInf


@dataclass
class Version:
    """One published state of a year's tables (``values``: key → value, None = ``*``; a key not
    in ``values`` was not published) with the true counts it was built from (``truth``; keys
    missing there are unknown, as for records older than versioning)."""

    id: int
    threshold: int
    values: dict[Key, int | None]
    truth: dict[Key, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    version: int
    key: Key
    low: float
    high: float
    true: int
    threshold: int
    # published cells of the newest version whose fixing binds the attacker's bound, strongest
    # first (from the LP's row duals): suppressing one of them is the complement most likely to help
    hints: tuple[Key, ...] = ()

    @property
    def exposed(self) -> bool:
        return _values(self.low, self.high) < self.threshold


def _values(low: float, high: float) -> float:
    """How many integer values lie in [low, high] (inf when unbounded above)."""
    return INF if high >= INF else math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1


def quiet_highs() -> highspy.Highs:
    """A HiGHS instance without its banner (printed to file descriptor 1 at the first start,
    which would corrupt the command line's JSON output)."""
    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        solver = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("presolve", "off")  # re-solved per target from the last basis
    solver.setOptionValue("simplex_strategy", 4)  # primal: a new cost keeps the basis feasible
    return solver


class System:
    """Every version's constraints for one year, the published cells substituted."""

    def __init__(self, rels: list[tuple[int, list[int]]], keys: list[Key], versions: list[Version]):
        self.keys, self.versions = keys, versions
        n = len(keys)
        self.fixed = np.full(len(versions) * n, np.nan)
        self.lower = np.zeros(len(versions) * n)
        for v, version in enumerate(versions):
            for i, key in enumerate(keys):
                if key in version.values:
                    value = version.values[key]
                    self.lower[v * n + i] = 1.0 if value is None else value
                    if value is not None:
                        self.fixed[v * n + i] = value
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.fixed_in: list[dict[int, float]] = []  # per row: the published cells folded into its bounds
        for v, version in enumerate(versions):
            truth = [version.truth.get(k) for k in keys]
            for parent, children in rels:
                self._relation(v * n, parent, children, truth)
        self._links(n)

    def _add(self, coef: dict[int, float], low: float, high: float) -> None:
        free: dict[int, float] = {}
        folded: dict[int, float] = {}
        for col, c in coef.items():
            value = self.fixed[col]
            if np.isnan(value):
                free[col] = c
            else:
                low, high = low - c * value, high - c * value
                folded[col] = c
        if free:
            self.rows.append((free, low, high))
            self.fixed_in.append(folded)

    def _relation(self, base: int, parent: int, children: list[int], truth: list) -> None:
        members = [truth[parent], *(truth[c] for c in children)]
        coef = {base + c: 1.0 for c in children}
        coef[base + parent] = -1.0
        if None not in members and members[0] == sum(members[1:]):
            self._add(coef, 0.0, 0.0)
            return
        if None in members or members[0] <= sum(members[1:]):
            self._add(coef, 0.0, INF)  # parent ≤ Σ children
        for c in children:
            if None in members or truth[c] <= members[0]:
                self._add({base + c: 1.0, base + parent: -1.0}, -INF, 0.0)

    def _links(self, n: int) -> None:
        for v in range(1, len(self.versions)):
            before, after = self.versions[v - 1].truth, self.versions[v].truth
            for i, key in enumerate(self.keys):
                if key in before and key in after and after[key] >= before[key]:
                    self._add({v * n + i: 1.0, (v - 1) * n + i: -1.0}, 0.0, INF)

    def components(self) -> dict[int, list[int]]:
        """Row numbers per component (keyed by a representative column)."""
        parent = list(range(len(self.fixed)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for coef, _, _ in self.rows:
            cols = list(coef)
            root = find(cols[0])
            for col in cols[1:]:
                other = find(col)
                if other != root:
                    parent[other] = root
        self.root = find
        groups: dict[int, list[int]] = {}
        for number, (coef, _, _) in enumerate(self.rows):
            groups.setdefault(find(next(iter(coef))), []).append(number)
        return groups


def _model(system: System, rows: list[int]) -> tuple[highspy.Highs, dict[int, int]]:
    cols = sorted({c for r in rows for c in system.rows[r][0]})
    local = {c: j for j, c in enumerate(cols)}
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cols), len(rows)
    lp.col_cost_ = np.zeros(len(cols))
    lp.col_lower_ = system.lower[cols]
    lp.col_upper_ = np.full(len(cols), INF)
    lp.row_lower_ = np.array([system.rows[r][1] for r in rows])
    lp.row_upper_ = np.array([system.rows[r][2] for r in rows])
    starts, index, value = [0], [], []
    for r in rows:
        for col, c in system.rows[r][0].items():
            index.append(local[col])
            value.append(c)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, index, value
    solver = quiet_highs()
    solver.passModel(lp)
    return solver, local


def _bound(solver: highspy.Highs, j: int, sense: float) -> tuple[float, np.ndarray]:
    """min (sense 1) or −max (sense −1) of column j (−inf when unbounded), with the row duals
    of that solution (which rows bind it)."""
    solver.changeColCost(j, sense)
    solver.run()
    status = solver.getModelStatus()
    value = solver.getInfo().objective_function_value  # read before the cost is reset
    duals = np.asarray(solver.getSolution().row_dual)
    solver.changeColCost(j, 0.0)
    if status == highspy.HighsModelStatus.kOptimal:
        return value, duals
    if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return -INF, duals  # the true counts are a solution: never infeasible
    raise RuntimeError(f"LP attack: unexpected HiGHS status {status}")


def targets(versions: list[Version]) -> list[tuple[int, Key]]:
    """(version position, key) of every sensitive cell not published as a number."""
    out = []
    for v, version in enumerate(versions):
        for key, true in version.truth.items():
            if 1 <= true < version.threshold and version.values.get(key, None) is None:
                out.append((v, key))
    return out


def attack(rels: list[tuple[int, list[int]]], keys: list[Key], versions: list[Version],
           only: set[tuple[int, Key]] | None = None, stop_at_first: bool = False) -> list[Finding]:
    """Bound every sensitive unpublished cell (or those in ``only``); return the bounds."""
    system = System(rels, keys, versions)
    groups = system.components()
    index = {k: i for i, k in enumerate(keys)}
    n = len(keys)
    by_group: dict[int, list[tuple[int, Key]]] = {}
    for v, key in targets(versions):
        if only is None or (v, key) in only:
            by_group.setdefault(system.root(v * n + index[key]), []).append((v, key))
    out: list[Finding] = []
    for root, items in by_group.items():
        out += _solve_group(system, groups.get(root, []), items, index, n)
        if stop_at_first and any(f.exposed for f in out):
            break
    return out


def _solve_group(system: System, rows: list[int], items: list[tuple[int, Key]],
                 index: dict[Key, int], n: int) -> list[Finding]:
    if not rows:  # no relation touches the cell: only its own bound is known
        return [_finding(system, v, key, system.lower[v * n + index[key]], INF) for v, key in items]
    solver, local = _model(system, rows)
    cols = np.array([local[v * n + index[key]] for v, key in items])
    goal = np.array([system.versions[v].truth[key] + system.versions[v].threshold - 1 for v, key in items])
    proven = _prove_many(solver, cols, goal.astype(float))
    out = []
    for number, (v, key) in enumerate(items):
        if proven[number]:  # a solution already found reaches true + threshold − 1: safe
            out.append(_finding(system, v, key, float(system.versions[v].truth[key]), float(goal[number])))
            continue
        low, high, duals = _interval(solver, int(cols[number]), system.versions[v], key)
        finding = _finding(system, v, key, low, high)
        if finding.exposed and duals is not None:
            finding = replace(finding, hints=_hints(system, rows, duals, n))
        out.append(finding)
        if high < INF:
            proven |= np.asarray(solver.getSolution().col_value)[cols] >= goal - 1e-6
    return out


def _hints(system: System, rows: list[int], duals: np.ndarray, n: int) -> tuple[Key, ...]:
    """Published cells of the newest version ranked by how much freeing each would loosen the
    bound: |Σ over the rows it was folded into of row dual × coefficient|."""
    newest = (len(system.versions) - 1) * n
    gain: dict[int, float] = {}
    for local_row, r in enumerate(rows):
        d = duals[local_row]
        if abs(d) < 1e-9:
            continue
        for col, c in system.fixed_in[r].items():
            if col >= newest:
                gain[col] = gain.get(col, 0.0) + d * c
    ranked = sorted((col for col, g in gain.items() if abs(g) > 1e-9), key=lambda col: -abs(gain[col]))
    return tuple(system.keys[col - newest] for col in ranked)


def _prove_many(solver: highspy.Highs, cols: np.ndarray, goal: np.ndarray) -> np.ndarray:
    """One LP for all targets: maximise Σ min(x_c, goal_c) (a helper y_c ≤ x_c, y_c ≤ goal_c
    per target). Every target reaching its goal in that solution is safe; the helpers are then
    left at cost 0 (y = 0 is always feasible, so they never restrict the cells)."""
    first = solver.getNumCol()
    for c, g in zip(cols, goal):
        solver.addCol(-1.0, 0.0, float(g), 0, np.array([], dtype=np.int32), np.array([]))
        solver.addRow(-INF, 0.0, 2, np.array([solver.getNumCol() - 1, int(c)], dtype=np.int32),
                      np.array([1.0, -1.0]))
    helpers = np.arange(first, solver.getNumCol(), dtype=np.int32)
    reached = np.zeros(len(cols), dtype=bool)
    while True:  # targets proven drop out of the objective, so the next solve pushes the others
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        x = np.asarray(solver.getSolution().col_value)
        now = (x[helpers] >= goal - 1e-6) | (x[cols] >= goal - 1e-6)
        if not (now & ~reached).any():
            break
        reached |= now
        done = helpers[reached]
        solver.changeColsCost(len(done), done, np.zeros(len(done)))
        if reached.all():
            break
    solver.changeColsCost(len(helpers), helpers, np.zeros(len(helpers)))
    return reached


def _interval(solver: highspy.Highs, j: int, version: Version, key: Key) -> tuple[float, float, np.ndarray | None]:
    """The attacker's [min, max] of one cell, with the second LP only when it can matter: the
    true value is feasible, so max ≥ true + threshold − 1 proves protection by itself."""
    true, lower = version.truth[key], (1.0 if key in version.values else 0.0)
    negative_high, duals = _bound(solver, j, -1.0)
    high = -negative_high
    if high >= INF:
        return true, high, None
    if high >= true + version.threshold - 1 or high < lower + version.threshold - 1:
        return lower, high, duals
    return _bound(solver, j, 1.0)[0], high, duals


def _finding(system: System, v: int, key: Key, low: float, high: float) -> Finding:
    version = system.versions[v]
    return Finding(version.id, key, low, high, version.truth[key], version.threshold)
