"""示例数据: synthetic dispute records for the demo and the benchmarks.

Always stored with ``origin = 'sample'`` and a natural key ``sample:<seed>:<n>``; reports built
from them are flagged ``is_sample`` and every page says 示例数据. Real reports never read them.

The distributions are plausible, not measured: industries weighted toward the district's
machinery and electrical makers; the US the most frequent country (as in national figures,
where US suits dominate), NPEs bringing a large share of patent suits in communication and
electrical; trade-fair disputes mostly in Germany; Section 337 investigations only in the US;
about one dispute in eight 重大/疑难; a yearly growth of about 10 % and seasonality (spring
and autumn trade fairs, year-end).
"""
from __future__ import annotations

import hashlib

import numpy as np

from kb.disputes import records as disputes

from kb.core import choices
from kb.core.store import Store, utcnow

FIELD_W = {"mechanical": 22, "electrical": 20, "communication": 18, "chemical": 10,
           "optoelectronic": 12, "biomedical": 10, "other": 8}
COUNTRY_W = {"US": 38, "DE": 10, "GB": 6, "FR": 4, "JP": 8, "KR": 6, "IN": 7, "BR": 4,
             "RU": 3, "TR": 3, "AU": 4, "other": 7}
OTHER_COUNTRIES = ["越南", "墨西哥", "印度尼西亚", "阿联酋", "南非"]
DISPUTE_W = {"infringement": 58, "validity": 10, "trade_investigation": 7, "licensing": 7,
             "trade_fair": 7, "ownership": 5, "trade_secret": 4, "other": 2}
# rights per industry: invention, utility, design, trademark, GI, IC layout, copyright, other
RIGHT_W = {
    "mechanical": [30, 20, 20, 25, 0, 0, 3, 2], "electrical": [40, 15, 10, 20, 0, 10, 4, 1],
    "communication": [55, 5, 5, 15, 0, 10, 9, 1], "chemical": [50, 5, 2, 35, 3, 0, 3, 2],
    "optoelectronic": [45, 15, 10, 15, 0, 12, 2, 1], "biomedical": [55, 3, 2, 30, 5, 0, 3, 2],
    "other": [20, 10, 15, 40, 5, 0, 8, 2],
}
# month weights (seasonality): spring fairs (3-4), autumn fairs (9-10), year-end (11-12)
MONTH_W = [6, 5, 9, 10, 8, 7, 7, 7, 10, 10, 10, 11]
YEARS = (2024, 2025, 2026)
GROWTH = 1.10


def _pick(rng: np.random.Generator, weights: dict | list, size: int) -> np.ndarray:
    keys = list(weights) if isinstance(weights, dict) else list(range(len(weights)))
    w = np.array(list(weights.values()) if isinstance(weights, dict) else weights, float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=w / w.sum())]


def _dates(rng: np.random.Generator, size: int) -> np.ndarray:
    year_w = np.array([GROWTH ** i for i in range(len(YEARS))])
    years = np.array(YEARS)[rng.choice(len(YEARS), size=size, p=year_w / year_w.sum())]
    mw = np.array(MONTH_W, float)
    months = rng.choice(12, size=size, p=mw / mw.sum()) + 1
    days = rng.integers(1, 29, size=size)
    return np.array([f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in zip(years, months, days)], dtype=object)


def _rights(rng: np.random.Generator, fields: np.ndarray) -> np.ndarray:
    codes = np.array(choices.codes(choices.RIGHT_TYPES), dtype=object)
    out = np.empty(len(fields), dtype=object)
    for field, weights in RIGHT_W.items():
        mask = fields == field
        w = np.array(weights, float)
        out[mask] = codes[rng.choice(len(codes), size=int(mask.sum()), p=w / w.sum())]
    return out


def _counterparties(rng: np.random.Generator, fields: np.ndarray, countries: np.ndarray) -> np.ndarray:
    roll = rng.random(len(fields))
    npe_share = np.where(np.isin(fields, ["communication", "electrical"]) & (countries == "US"), 0.45, 0.10)
    rest = _pick(rng, {"competitor": 80, "university": 6, "individual": 9, "other": 5}, len(fields))
    return np.where(roll < npe_share, "npe", rest)


def generate(rows: int, seed: int = 2026) -> list[tuple]:
    """``rows`` prepared dispute rows (see :func:`kb.disputes.records.prepare`), deterministic per seed."""
    rng = np.random.default_rng(seed)
    n_ent = max(5, rows // 4)
    ent_field = _pick(rng, FIELD_W, n_ent)
    # skewed: a few enterprises have many disputes, most have one or two
    ent = (n_ent * rng.random(rows) ** 2).astype(np.int64)
    fields = ent_field[ent]
    countries = _pick(rng, COUNTRY_W, rows)
    second = _pick(rng, COUNTRY_W, rows)
    two = (rng.random(rows) < 0.08) & (second != countries)
    dtypes = _pick(rng, DISPUTE_W, rows)
    dtypes = np.where((dtypes == "trade_investigation") & (countries != "US"), "infringement", dtypes)
    fair = rng.random(rows) < 0.25
    dtypes = np.where(fair & (countries == "DE") & (dtypes == "infringement"), "trade_fair", dtypes)
    rights = _rights(rng, fields)
    counterparty = _counterparties(rng, fields, countries)
    level = np.where(rng.random(rows) < 0.12, "major", "ordinary")
    filed = _dates(rng, rows)
    other_pick = np.array(OTHER_COUNTRIES, dtype=object)[rng.integers(0, len(OTHER_COUNTRIES), rows)]
    now = utcnow()
    hashes = [hashlib.sha256(f"sample-enterprise-{seed}-{e}".encode()).hexdigest()[:32] for e in range(n_ent)]
    out = []
    provenance = '{"generator": "alerts.sample", "label": "示例数据"}'
    for i in range(rows):
        country = countries[i] + ("," + second[i] if two[i] else "")
        out.append((
            f"sample:{seed}:{i}", "sample", f"S{seed}-{i}", provenance, hashes[ent[i]],
            dtypes[i], "其他纠纷" if dtypes[i] == "other" else "", rights[i],
            "其他权利" if rights[i] == "other" else "", country,
            other_pick[i] if "other" in country else "", counterparty[i], "", fields[i],
            "其他领域" if fields[i] == "other" else "", level[i], filed[i], filed[i], None,
            "pending", filed[i], "", "", "", "", "", now, now,  # no public-record fields
        ))
    return out


DEFAULT_ROWS = 4000


def ensure_sample(store: Store, rows: int = DEFAULT_ROWS) -> int:
    """Generate 示例数据 if the store has none yet; return how many sample records it holds."""
    have = store.conn.execute("SELECT COUNT(*) FROM disputes WHERE origin = 'sample'").fetchone()[0]
    return have or load_sample(store, rows)


def load_sample(store: Store, rows: int, seed: int = 2026) -> int:
    """Replace the store's 示例数据 with ``rows`` freshly generated records; real ones untouched."""
    data = generate(rows, seed)
    with store.write() as conn:
        conn.execute("DELETE FROM disputes WHERE origin = 'sample'")
        # reports of the previous sample data are withdrawn with it
        conn.execute("DELETE FROM published_cells WHERE is_sample = 1")
        conn.execute("DELETE FROM disclosure_cells WHERE version_id IN"
                     " (SELECT id FROM disclosure_versions WHERE is_sample = 1)")
        conn.execute("DELETE FROM disclosure_versions WHERE is_sample = 1")
        conn.execute("DELETE FROM reports WHERE is_sample = 1")
        for start in range(0, len(data), 50_000):
            disputes.upsert_rows(conn, data[start:start + 50_000])
    return len(data)
