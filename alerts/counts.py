"""Counting distinct enterprises per period × industry × dimension × category.

The unit of every published count is the *distinct enterprise* (its keyed hash): an enterprise
with three US suits in a quarter counts once for 美国 in that quarter. Because a dispute may
name several countries, rights or types, the categories of a dimension may add up to more than
the total — the disclosure audit nevertheless treats them as if they added up (worst case).

Counting is done with numpy on integer codes: each (enterprise, period, industry, category)
combination is made one int64, deduplicated with ``np.unique`` and tallied, for the months,
quarters and years of the calendar years a report touches.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alerts.periods import Period, year_lattice
from kb import choices
from kb.store import Store

# dimension → (column, choices, multi-valued)
DIMS: dict[str, tuple[str, tuple[choices.Choice, ...], bool]] = {
    "country": ("countries", choices.COUNTRIES, True),
    "right": ("right_types", choices.RIGHT_TYPES, True),
    "dispute_type": ("dispute_types", choices.DISPUTE_TYPES, True),
    "counterparty": ("counterparty_type", choices.COUNTERPARTY_TYPES, False),
    "level": ("level", choices.LEVELS, False),
}
DIM_LABELS = {"total": "涉及企业总数", "country": "纠纷国家/地区", "right": "权利类别",
              "dispute_type": "纠纷类型", "counterparty": "纠纷对象类型", "level": "纠纷级别"}
INDUSTRIES = choices.codes(choices.FIELDS)  # the form's fields, "other" included
KEY_INDUSTRIES = [c for c in INDUSTRIES if c != "other"]
ALL = "all"

Key = tuple[str, str, str, str]  # (period code, industry code or "all", dim, category code)


def categories(dim: str) -> list[str]:
    return [""] if dim == "total" else choices.codes(DIMS[dim][1])


def industry_label(code: str) -> str:
    return "全部" if code == ALL else choices.label(choices.FIELDS, code)


def category_label(dim: str, code: str) -> str:
    if dim == "total":
        return "合计"
    if dim == "dispute_type":
        return choices.DISPUTE_TYPE_SHORT[code]
    if dim == "counterparty" and code == "npe":
        return "NPE"
    return choices.label(DIMS[dim][1], code)


def load_frame(store: Store, sample: bool, years: list[int]) -> pd.DataFrame:
    """The disputes of these calendar years: real ones, or only 示例数据 when ``sample``."""
    origins = ("sample",) if sample else ("case", "public")
    sql = (
        "SELECT enterprise_hash AS ent, field,"
        " CAST(substr(event_on, 1, 4) AS INTEGER) * 12 + CAST(substr(event_on, 6, 2) AS INTEGER) - 1 AS m,"
        " countries, right_types, dispute_types, counterparty_type, level FROM disputes"
        f" WHERE origin IN ({','.join('?' * len(origins))}) AND event_on >= ? AND event_on < ?"
    )
    params = [*origins, f"{min(years)}-01-01", f"{max(years) + 1}-01-01"]
    return pd.read_sql_query(sql, store.conn, params=params)


def _codes(values: pd.Series, cats: list[str]) -> np.ndarray:
    return pd.Categorical(values, categories=cats).codes.astype(np.int64)


def _explode(df: pd.DataFrame, column: str, cats: list[str], multi: bool) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, category codes) with one pair per value of a multi-valued field."""
    values = df[column]
    rows = np.arange(len(df))
    if not multi:
        return rows, _codes(values, cats)
    several = values.str.contains(",", regex=False).to_numpy()
    parts = values[several].str.split(",").explode()
    index = np.concatenate([rows[~several], rows[several][np.repeat(
        np.arange(several.sum()), values[several].str.count(",").to_numpy() + 1)]])
    codes = np.concatenate([_codes(values[~several], cats), _codes(parts, cats)])
    return index, codes


@dataclass
class Counts:
    """True counts of every cell of the calendar years ``years`` (absent cells are 0)."""

    years: list[int]
    cells: dict[Key, int]

    def get(self, key: Key) -> int:
        return self.cells.get(key, 0)

    @property
    def periods(self) -> list[Period]:
        return [p for y in self.years for p in year_lattice(y)]


def _period_maps(years: list[int]) -> tuple[list[str], list[np.ndarray]]:
    """Period codes, and for each kind an array: month offset → period id."""
    codes: list[str] = []
    maps = []
    for kind in ("month", "quarter", "year"):
        ids = []
        for year in years:
            for month in range(12):
                number = {"month": month + 1, "quarter": month // 3 + 1, "year": 0}[kind]
                code = Period(kind, year, number).code
                if code not in codes:
                    codes.append(code)
                ids.append(codes.index(code))
        maps.append(np.array(ids, dtype=np.int64))
    return codes, maps


def _tally(ent, pid, ind, cat, sizes) -> tuple[np.ndarray, ...]:
    """Unique (enterprise, period, industry, category) combinations, counted per cell."""
    n_p, n_i, n_c = sizes
    combined = ((ent * n_p + pid) * n_i + ind) * n_c + cat
    unique = np.unique(combined)
    cell = unique % (n_p * n_i * n_c)
    counts = np.bincount(cell, minlength=n_p * n_i * n_c)
    nz = np.nonzero(counts)[0]
    return nz // (n_i * n_c), (nz // n_c) % n_i, nz % n_c, counts[nz]


def count_cells(df: pd.DataFrame, years: list[int]) -> Counts:
    years = sorted(years)
    ent = pd.factorize(df["ent"])[0].astype(np.int64)
    ind = _codes(df["field"], INDUSTRIES)
    ind[ind < 0] = INDUSTRIES.index("other")
    offset = (df["m"].to_numpy(dtype=np.int64) - years[0] * 12)
    period_codes, maps = _period_maps(years)
    cells: dict[Key, int] = {}
    for dim in ["total", *DIMS]:
        cats = categories(dim)
        if dim == "total":
            rows, cat = np.arange(len(df)), np.zeros(len(df), dtype=np.int64)
        else:
            column, _, multi = DIMS[dim]
            rows, cat = _explode(df, column, cats, multi)
        ok = cat >= 0
        rows, cat = rows[ok], cat[ok]
        for pmap in maps:
            pid = pmap[offset[rows]]
            n_i = len(INDUSTRIES)
            sizes = (len(period_codes), n_i + 1, len(cats))
            for all_industries in (False, True):
                industry = np.full(len(rows), n_i, dtype=np.int64) if all_industries else ind[rows]
                for p, i, c, n in zip(*_tally(ent[rows], pid, industry, cat, sizes)):
                    name = ALL if i == n_i else INDUSTRIES[i]
                    cells[(period_codes[p], name, dim, cats[c])] = int(n)
    return Counts(years, cells)


def counts_for(store: Store, sample: bool, years: list[int]) -> Counts:
    return count_cells(load_frame(store, sample, years), years)
