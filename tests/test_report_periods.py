"""Periods, the industry → rights filter of law changes, and the documented risk score."""
from datetime import date

import pytest

from alerts import risk
from kb.core.periods import parse_period
from kb.core.errors import IpwatchError


@pytest.mark.parametrize("text, start, end, prev, last", [
    ("2026-09", date(2026, 9, 1), date(2026, 10, 1), "2026-08", "2025-09"),
    ("2026-01", date(2026, 1, 1), date(2026, 2, 1), "2025-12", "2025-01"),
    ("2026Q3", date(2026, 7, 1), date(2026, 10, 1), "2026Q2", "2025Q3"),
    ("2026q1", date(2026, 1, 1), date(2026, 4, 1), "2025Q4", "2025Q1"),
    ("2026", date(2026, 1, 1), date(2027, 1, 1), "2025", "2025"),
])
def test_periods(text, start, end, prev, last):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert (period.previous().code, period.same_last_year().code) == (prev, last)


def test_children_tile_the_parent():
    year = parse_period("2026")
    assert [q.code for q in year.children()] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert [m.code for m in parse_period("2026Q4").children()] == ["2026-10", "2026-11", "2026-12"]
    assert parse_period("2026-10").label == "2026年10月" and parse_period("2026Q4").label == "2026年第四季度"


@pytest.mark.parametrize("bad", ["2026Q5", "2026-13", "26Q1", "Q3"])
def test_bad_periods(bad):
    with pytest.raises(IpwatchError, match="格式错误"):
        parse_period(bad)


def change(jurisdiction, rights):
    return {"jurisdiction": jurisdiction, "rights": set(rights)}


def test_law_changes_concern_an_industry_by_rights_and_country():
    changes = [change("US", ["patent"]), change("US", ["design"]), change("EU", ["trademark"]),
               change("JP", ["patent"]), change("WIPO", ["procedure"])]
    chemical = risk.changes_for(changes, "chemical", {"US", "DE"})
    assert chemical == [changes[0], changes[2], changes[4]]  # no design law; EU via DE; WIPO always
    assert risk.changes_for(changes, "mechanical", {"US"}) == [changes[0], changes[1], changes[4]]


def test_risk_score_follows_the_documented_formula():
    p = parse_period("2026Q3")
    cells = {
        ("2026Q3", "communication", "country", "US"): 10, ("2026Q2", "communication", "country", "US"): 5,
        ("2025Q3", "communication", "country", "US"): None,
        ("2026Q3", "communication", "total", ""): 20, ("2026Q3", "communication", "counterparty", "npe"): 8,
        ("2026Q3", "communication", "level", "major"): None,
    }
    score = risk.score_country(cells, p, "communication", "US", law_count=1, n_max=10)
    # 35·(10/10) + 20·min(1, 100 %) + 15·(8/20) + 15·0 (suppressed) + 15·(1/3)
    assert score.score == round(35 + 20 + 6 + 0 + 5)
    assert score.level == "高"
    assert score.reasons == ["本期涉及企业 10 家", "较上期增长 100%", "本行业 NPE 纠纷企业占比 40%",
                             "本期相关法律修改 1 项"]
    assert risk.score_country(cells, p, "communication", "DE", 0, 10) is None  # nothing published


@pytest.mark.parametrize("bad", ["0000Q1", "0000", "0001-01"])
def test_year_zero_is_a_user_error(bad):
    with pytest.raises(IpwatchError, match="年份"):
        parse_period(bad).previous().start
