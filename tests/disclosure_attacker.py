"""An attacker that holds only the published XLSX annexes (written apart from alerts.disclosure).

It reads every annex it ever downloaded (统计表, local figures only), groups them by the data
state they were built from (``epoch``: the scenario knows when records arrived — side knowledge
that makes the attacker stronger, not weaker), and for every epoch has one unknown per cell of
each year: months, quarters, year × industries (其他 never shown) and 全部 × every table. It
assumes every relation adds up exactly (true of the generated data: one single-valued record
per enterprise) and that a later epoch's cell is at least the earlier one's (records are only
added). Then it bounds each suppressed sensitive cell by linear programming (HiGHS).
"""
from __future__ import annotations

import math
import re

import highspy
import numpy as np
from openpyxl import load_workbook

from alerts.counts import ALL, DIM_LABELS, DIMS, INDUSTRIES, categories, category_label, industry_label
from kb.core.periods import Period, year_lattice

_DIM = {label: dim for dim, label in DIM_LABELS.items()}
_IND = {industry_label(code): code for code in [*INDUSTRIES, ALL]}
_CAT = {(dim, category_label(dim, c)): c for dim in ["total", *DIMS] for c in categories(dim)}
_QUARTERS = "一二三四"


def period_code(label: str) -> str:
    if m := re.fullmatch(r"(\d{4})年第(.)季度", label):
        return Period("quarter", int(m[1]), _QUARTERS.index(m[2]) + 1).code
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月", label):
        return Period("month", int(m[1]), int(m[2])).code
    return Period("year", int(re.fullmatch(r"(\d{4})年", label)[1]), 0).code


def read_annex(path) -> dict:
    """key → value (None for *) of the local figures one annex shows."""
    sheet = load_workbook(path, read_only=True)["统计表"]
    rows = list(sheet.iter_rows(values_only=True))
    periods = [period_code(re.search(r"（(.+)）", h)[1]) for h in rows[0][3:6]]
    out = {}
    for industry, dim, cat, *values in rows[1:]:
        if values[3] != "本区受理案件":
            continue
        dim = _DIM[dim]
        for period, value in zip(periods, values[:3]):
            out[(period, _IND[industry], dim, _CAT[(dim, cat)])] = None if value == "*" else int(value)
    return out


def _relations(year: int):
    for period in year_lattice(year):
        p = period.code
        for ind in [*INDUSTRIES, ALL]:
            for dim in DIMS:
                yield (p, ind, "total", ""), [(p, ind, dim, c) for c in categories(dim)]
            for dim in ["total", *DIMS]:
                for c in categories(dim):
                    if period.children():
                        yield (p, ind, dim, c), [(ch.code, ind, dim, c) for ch in period.children()]
                    if ind == ALL:
                        yield (p, ALL, dim, c), [(p, i, dim, c) for i in INDUSTRIES]


def attack(epochs: list[dict], truths: list[dict], thresholds: list[int], years: list[int]) -> list[dict]:
    """``epochs[e]``: key → value/None as published at epoch e (merged over its annexes);
    ``truths[e]``: the true counts then. Returns one record per suppressed sensitive cell."""
    rels = [r for y in years for r in _relations(y)]
    keys = sorted({k for parent, children in rels for k in (parent, *children)})
    fixed: dict = {}
    lower: dict = {}
    for e, shown in enumerate(epochs):
        for k, v in shown.items():
            if v is None:
                lower[(e, k)] = 1.0
            else:
                fixed[(e, k)] = v
    rows = []
    for e in range(len(epochs)):
        rows += [([(e, parent)] + [(e, c) for c in children], [-1.0] + [1.0] * len(children), 0.0, 0.0)
                 for parent, children in rels]
        if e:
            rows += [([(e, k), (e - 1, k)], [1.0, -1.0], 0.0, highspy.kHighsInf) for k in keys]
    kept = []  # rows over unknowns only: published cells are numbers, not unknowns
    for members, coef, low, high in rows:
        free = [(m, c) for m, c in zip(members, coef) if m not in fixed]
        shift = sum(c * fixed[m] for m, c in zip(members, coef) if m in fixed)
        if free:
            kept.append((free, low - shift, high - shift))
    targets = [(e, k, truths[e].get(k, 0)) for e, shown in enumerate(epochs) for k, v in shown.items()
               if v is None and 1 <= truths[e].get(k, 0) < thresholds[e]]
    bounds = {}
    for part_rows, part_targets in _parts(kept, [(e, k) for e, k, _ in targets]):
        bounds.update(_attack_part(part_rows, part_targets, lower,
                                   {(e, k): true + thresholds[e] - 1 for e, k, true in targets}))
    out = []
    for e, k, true in targets:
        low, high = bounds.get((e, k), (1.0, math.inf))
        values = math.inf if high == math.inf else math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1
        out.append({"epoch": e, "key": k, "true": true, "low": low, "high": high,
                    "narrowed": values < thresholds[e], "recovered": values == 1})
    return out


def _parts(rows: list, targets: list):
    """The rows and targets of each connected group of unknowns that holds a target."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for free, _, _ in rows:
        root = find(free[0][0])
        for m, _ in free[1:]:
            other = find(m)
            if other != root:
                parent[other] = root
    by_root: dict = {}
    for t in targets:
        if t in parent:
            by_root.setdefault(find(t), ([], []))[1].append(t)
    for row in rows:
        root = find(row[0][0][0])
        if root in by_root:
            by_root[root][0].append(row)
    return by_root.values()


def _attack_part(rows: list, targets: list, lower: dict, goals: dict) -> dict:
    col: dict = {}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for free, low, high in rows:
        for m, _ in free:
            if m not in col:
                col[m] = len(col)
                h.addVar(lower.get(m, 0.0), highspy.kHighsInf)
        h.addRow(low, high, len(free), np.array([col[m] for m, _ in free], dtype=np.int32),
                 np.array([c for _, c in free]))
    wide = _wide_enough(h, [(col[t], goals[t]) for t in targets])
    h.setOptionValue("presolve", "off")  # from here each bound re-solves from the last basis
    out = {}
    for t in targets:
        # a cell shown ≥ true + threshold − 1 in some solution keeps ≥ threshold values: not narrowed
        out[t] = (1.0, math.inf) if col[t] in wide else _bounds(h, col[t])
    return out


def _wide_enough(h: highspy.Highs, goals: list[tuple[int, int]]) -> set[int]:
    """Columns shown to reach their goal in some solution of the published tables (then at
    least ``threshold`` values stay possible whatever the lower bound). Each solve maximises
    Σ min(x, goal) over the columns not yet shown; it stops when a solve shows none more."""
    if not goals:
        return set()
    first = h.getNumCol()
    for j, goal in goals:
        h.addVar(0.0, float(goal))
        h.changeColCost(h.getNumCol() - 1, -1.0)
        h.addRow(-highspy.kHighsInf, 0.0, 2, np.array([h.getNumCol() - 1, j], dtype=np.int32), np.array([1.0, -1.0]))
    shown: set[int] = set()
    while True:
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        x = np.asarray(h.getSolution().col_value)
        new = {j for j, goal in goals if j not in shown and x[j] >= goal - 1e-6}
        if not new:
            break
        shown |= new
        for number, (j, _) in enumerate(goals):
            if j in shown:
                h.changeColCost(first + number, 0.0)
    for number in range(len(goals)):
        h.changeColCost(first + number, 0.0)  # helpers at 0 never restrict the cells
    return shown


def _bounds(h: highspy.Highs, j: int) -> tuple[float, float]:
    result = []
    for sense in (1.0, -1.0):
        h.changeColCost(j, sense)
        h.run()
        status = h.getModelStatus()
        value = h.getInfo().objective_function_value
        h.changeColCost(j, 0.0)
        unbounded = status != highspy.HighsModelStatus.kOptimal
        result.append(math.inf if unbounded else sense * value)
    return result[0], result[1]
