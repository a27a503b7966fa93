"""Disclosure control: try to get suppressed cells back from published totals, and fail.

The attacker here is written independently of alerts.disclosure: it knows the published cells
of every report and solves, again and again, any additive relation with exactly one unknown
(a table's total, the all-industry sum, a quarter = its months, a year = its quarters).
"""
import hashlib

from alerts import disclosure
from alerts.counts import ALL, DIMS, INDUSTRIES, categories, counts_for
from kb.core.periods import parse_period, year_lattice
from alerts.report import audit_store, build_report, load_published, report_cells
from kb.disputes import records as disputes


def ent(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:32]


def record(name: str, day: str, country: str = "US", field: str = "communication", **extra) -> dict:
    return {"origin": "case", "source_ref": f"{name}-{day}-{country}", "enterprise_hash": ent(name),
            "dispute_types": "infringement", "right_types": "invention_patent", "countries": country,
            "counterparty_type": "competitor", "field": field, "level": "ordinary", "filed_on": day, **extra}


def add(store, records):
    with store.write() as conn:
        for r in records:
            disputes.add_dispute(conn, r)


def attacker_relations(year: int):
    for period in year_lattice(year):
        p = period.code
        for ind in [*INDUSTRIES, ALL]:
            for dim in DIMS:
                yield (p, ind, "total", ""), [(p, ind, dim, c) for c in categories(dim)]
            if period.children():
                for dim in ["total", *DIMS]:
                    for c in categories(dim):
                        yield (p, ind, dim, c), [(ch.code, ind, dim, c) for ch in period.children()]
        for dim in ["total", *DIMS]:
            for c in categories(dim):
                yield (p, ALL, dim, c), [(p, i, dim, c) for i in INDUSTRIES]


def subtract_all(published: dict, years) -> dict:
    """Everything the attacker can compute by repeated subtraction."""
    known = {k: v for k, v in published.items() if v is not None}
    relations = [r for y in years for r in attacker_relations(y)]
    progress = True
    while progress:
        progress = False
        for parent, children in relations:
            members = [parent, *children]
            unknown = [m for m in members if m not in known]
            if len(unknown) != 1:
                continue
            target = unknown[0]
            if target == parent:
                known[target] = sum(known[c] for c in children)
            else:
                known[target] = known[parent] - sum(known[c] for c in children if c != target)
            progress = True
    return known


def recovered_secrets(published: dict, truth: dict, years, threshold: int = 3) -> list:
    known = subtract_all(published, years)
    return [k for k, v in truth.items()
            if 1 <= v < threshold and published.get(k) is None and known.get(k) == v]


def test_audit_catches_one_suppressed_cell_beside_its_total():
    cells = {("2026Q3", ALL, "total", ""): (12, 12), ("2026Q3", ALL, "level", "ordinary"): (10, 10),
             ("2026Q3", ALL, "level", "major"): (None, 2)}
    problems = disclosure.audit(cells, 3)
    assert [p.key for p in problems] == [("2026Q3", ALL, "level", "major")]
    assert "可由合计推算" in str(problems[0])


def test_audit_rejects_a_published_value_below_the_threshold():
    problems = disclosure.audit({("2026-09", ALL, "country", "US"): (2, 2)}, 3)
    assert problems and "低于阈值" in str(problems[0])


def test_protect_adds_complements_so_that_subtraction_fails(store):
    add(store, [record(f"e{i}", "2026-08-10") for i in range(9)]
        + [record("lonely", "2026-08-11", level="major")])
    counts = counts_for(store, False, [2025, 2026])
    period = parse_period("2026Q3")
    new = report_cells(period, "communication", counts)
    published = disclosure.protect(new, counts.cells, {}, 3)
    assert published[("2026Q3", "communication", "level", "major")] is None
    assert published[("2026Q3", "communication", "level", "ordinary")] is None  # the complement
    assert recovered_secrets(published, counts.cells, [2025, 2026]) == []
    assert disclosure.audit({k: (v, new[k]) for k, v in published.items()}, 3) == []


def test_months_published_earlier_do_not_give_back_a_month_through_the_quarter(store, settings):
    """July and August are published; the quarter must not reveal September (Q3 − Jul − Aug)."""
    add(store, [record(f"jul{i}", "2026-07-05") for i in range(5)]
        + [record(f"aug{i}", "2026-08-05") for i in range(4)]
        + [record("sep0", "2026-09-05")])
    for period in ("2026-07", "2026-08", "2026Q3"):
        build_report(settings, store, period, industry="通信")
    published = {k: v for k, (v, _) in load_published(store, False).items()}
    truth = counts_for(store, False, [2025, 2026]).cells
    assert truth[("2026-09", "communication", "country", "US")] == 1
    assert published[("2026-07", "communication", "country", "US")] == 5  # months are published
    assert published[("2026Q3", "communication", "country", "US")] is None  # so the quarter is not
    assert recovered_secrets(published, truth, [2025, 2026]) == []
    assert audit_store(store, 3) == []


def test_other_industry_is_not_revealed_by_all_minus_key_industries():
    """全部 − the six key industries = 其他, which no report shows: it must stay hidden too."""
    p = "2026Q3"
    truth = {}
    for ind, n in {"mechanical": 5, "electrical": 6, "communication": 7, "chemical": 4,
                   "optoelectronic": 3, "biomedical": 8, "other": 1}.items():
        for dim in ["total", *DIMS]:
            first = categories(dim)[0]
            truth[(p, ind, dim, first)] = n
            truth[(p, ALL, dim, first)] = truth.get((p, ALL, dim, first), 0) + n
    new = {k: v for k, v in truth.items() if k[1] != "other"}
    published = disclosure.protect(new, truth, {}, 3)
    assert recovered_secrets(published, truth, [2026]) == []
    assert any(v is None for k, v in published.items() if k[1] != "other")


def test_narrative_never_names_a_small_combination(store, settings):
    add(store, [record(f"c{i}", "2026-08-03", country="US", field="chemical") for i in range(6)]
        + [record(f"d{i}", "2026-08-03", country="DE", field="chemical") for i in range(3)]
        + [record("ru-only", "2026-08-04", country="RU", field="chemical")])
    report = build_report(settings, store, "2026Q3", industry="化学")
    import json
    data = json.loads((report.folder / "report.json").read_text("utf-8"))
    section = data["sections"][0]
    words = " ".join(section["narrative"] + [r for s in section["scores"] for r in s["reasons"]]
                     + [s["country"] for s in section["scores"]] + [r["text"] for r in section["recommendations"]])
    assert "美国" in words and "俄罗斯" not in words and "RU" not in words
    assert next(r for r in section["tables"]["country"] if r["category"] == "RU")["current"] is None
    assert section["total"]["current"] == 10
