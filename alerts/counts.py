"""Counting distinct enterprises per period × industry × dimension × category.

Local cases and public records are counted apart (``source``): only local figures are
confidential; public records (e.g. published Section 337 notices) are published as they are.

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

from kb.core.periods import Period, year_lattice
from kb.core import choices
from kb.core.store import Store

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



LOCAL, PUBLIC = "local", "public"


def categories(dim: str, source: str = LOCAL) -> list[str]:
    """A dimension's categories; public records' rights add 商业秘密 and 商业外观, which the
    form (so every local case, and the disclosure lattice) does not have."""
    if dim == "right" and source == PUBLIC:
        return choices.codes(choices.RECORD_RIGHT_TYPES)
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
    if dim == "right":
        return choices.label(choices.RECORD_RIGHT_TYPES, code)
    return choices.label(DIMS[dim][1], code)


# Each row is read as two values: the enterprise hash and one packed integer that SQLite
# computes from the codes (reading fewer Python objects is what makes 1M rows fast):
#   bits 0-4 month offset in the years read, 5-7 field, 8-10 counterparty, 11 level,
#   12-23 countries (a bit per code), 24-33 rights (public records have 10), 34-41 dispute types.
_SINGLE = {"field": (INDUSTRIES, 5), "counterparty": (choices.codes(choices.COUNTERPARTY_TYPES), 8),
           "level": (choices.codes(choices.LEVELS), 11)}
_MULTI = {"country": 12, "right": 24, "dispute_type": 34}


def _case(column: str, codes: list[str], shift: int) -> str:
    whens = " ".join(f"WHEN '{code}' THEN {i << shift}" for i, code in enumerate(codes))
    return f"(CASE {column} {whens} ELSE {(len(codes) - 1) << shift} END)"


def _bits(column: str, codes: list[str], shift: int) -> str:
    """A bit per code; one value (the usual case) by a cheap CASE, several by instr()."""
    several = " + ".join(f"((instr(',' || {column} || ',', ',{code},') > 0) << {i + shift})"
                         for i, code in enumerate(codes))
    whens = " ".join(f"WHEN '{code}' THEN {1 << (i + shift)}" for i, code in enumerate(codes))
    return f"(CASE {column} {whens} ELSE {several} END)"


def _packed_sql(first_year: int, source: str = LOCAL) -> str:
    month = f"(CAST(substr(event_on, 1, 4) AS INTEGER) - {first_year}) * 12 + CAST(substr(event_on, 6, 2) AS INTEGER) - 1"
    parts = [f"({month})", _case("field", *_SINGLE["field"]),
             _case("counterparty_type", *_SINGLE["counterparty"]), _case("level", *_SINGLE["level"])]
    parts += [_bits(DIMS[dim][0], categories(dim, source), shift) for dim, shift in _MULTI.items()]
    return " + ".join(parts)



def origins_of(sample: bool, source: str) -> tuple[str, ...]:
    """The record origins a figure is counted from: local cases (本区受理案件, disclosure-
    controlled; 示例数据 stands in for them) or public records (公开纠纷记录, published as is)."""
    if source == PUBLIC:
        return () if sample else ("public",)
    return ("sample",) if sample else ("case",)


def load_frame(store: Store, sample: bool, years: list[int], source: str = LOCAL) -> pd.DataFrame:
    """The disputes of these calendar years (enterprise hash, packed codes) of one source (local
    cases — or only 示例数据 when ``sample`` — or public records). A full scan: a report reads
    most rows of its years anyway."""
    origins = origins_of(sample, source)
    if not origins:  # 示例数据 has no public records: no scan at all
        return pd.DataFrame({"ent": pd.Series(dtype=object), "packed": pd.Series(dtype="int64")})
    sql = (
        f"SELECT enterprise_hash AS ent, {_packed_sql(min(years), source)} AS packed FROM disputes NOT INDEXED"
        f" WHERE origin IN ({','.join('?' * len(origins))}) AND event_on >= ? AND event_on < ?"
    )
    params = [*origins, f"{min(years)}-01-01", f"{max(years) + 1}-01-01"]
    return pd.read_sql_query(sql, store.conn, params=params)


def _unpack(packed: np.ndarray, dim: str, source: str = LOCAL) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, category codes) of a dimension, one pair per value of the row."""
    if dim == "total":
        return np.arange(len(packed)), np.zeros(len(packed), dtype=np.int64)
    if dim in _SINGLE:
        codes, shift = _SINGLE[dim]
        width = (len(codes) - 1).bit_length()
        return np.arange(len(packed)), (packed >> shift) & ((1 << width) - 1)
    shift = _MULTI[dim]
    rows, cats = [], []
    for i in range(len(categories(dim, source))):
        hit = np.nonzero((packed >> (shift + i)) & 1)[0]
        rows.append(hit)
        cats.append(np.full(len(hit), i, dtype=np.int64))
    return np.concatenate(rows), np.concatenate(cats)


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


def _unique_sorted(values: np.ndarray) -> np.ndarray:
    """Distinct values (sort-based: several times faster here than np.unique's hashing)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _tally(ent, pid, ind, cat, sizes) -> tuple[np.ndarray, ...]:
    """Unique (enterprise, period, industry, category) combinations, counted per cell."""
    n_p, n_i, n_c = sizes
    cell_space = n_p * n_i * n_c
    unique = _unique_sorted(ent * cell_space + (pid * n_i + ind) * n_c + cat)
    counts = np.bincount(unique % cell_space, minlength=cell_space)
    nz = np.nonzero(counts)[0]
    return nz // (n_i * n_c), (nz // n_c) % n_i, nz % n_c, counts[nz]


def count_cells(df: pd.DataFrame, years: list[int], source: str = LOCAL) -> Counts:
    years = sorted(years)
    if years[-1] - years[0] > 1:
        raise ValueError("at most two consecutive calendar years (5 bits of month offset)")
    ent = pd.factorize(df["ent"])[0].astype(np.int64)
    packed = df["packed"].to_numpy(dtype=np.int64)
    ind = (packed >> _SINGLE["field"][1]) & 7
    offset = packed & 31
    period_codes, maps = _period_maps(years)
    n_i = len(INDUSTRIES)
    cells: dict[Key, int] = {}
    for dim in ["total", *DIMS]:
        cats = categories(dim, source)
        rows, cat = _unpack(packed, dim, source)
        for pmap in maps:
            pid = pmap[offset[rows]]
            sizes = (len(period_codes), n_i + 1, len(cats))
            for all_industries in (False, True):
                industry = np.full(len(rows), n_i, dtype=np.int64) if all_industries else ind[rows]
                for p, i, c, n in zip(*_tally(ent[rows], pid, industry, cat, sizes)):
                    name = ALL if i == n_i else INDUSTRIES[i]
                    cells[(period_codes[p], name, dim, cats[c])] = int(n)
    return Counts(years, cells)


def counts_for(store: Store, sample: bool, years: list[int], source: str = LOCAL) -> Counts:
    return count_cells(load_frame(store, sample, years, source), years, source)
