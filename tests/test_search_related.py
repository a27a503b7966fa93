"""kb.guides.related: guide sections, recent changes and service bodies that fit a case."""
from __future__ import annotations

from pathlib import Path

import pytest

from kb.guides import related
from kb.core.errors import IpwatchError
from kb.guides import load_guides
from search_helpers import add_change, guides_root, store  # noqa: F401 (fixtures)

BODIES = Path(__file__).parent / "data" / "service_bodies.yaml"


@pytest.fixture(autouse=True)
def bodies(monkeypatch):
    monkeypatch.setattr(related, "SERVICE_BODIES", BODIES)


def titles(items):
    return [i["title"] for i in items]


def test_us_patent_infringement(settings, store, guides_root):
    old = add_change(store, "us-35usc", ["§ 271"], when="2026-01-01T00:00:00+00:00", summary="旧")
    new = add_change(store, "us-35usc", ["§ 284"], when="2026-06-01T00:00:00+00:00", summary="损害赔偿条款修改")
    add_change(store, "us-lanham", ["§ 1114"], when="2026-07-01T00:00:00+00:00")  # trademark
    add_change(store, "de-patg", ["§ 139"], when="2026-07-01T00:00:00+00:00")  # another country
    out = related.related_guidance(
        settings, store, jurisdiction="US", right="patent", dispute_type="侵权纠纷",
        guides_root=guides_root,
    )
    assert set(out) == {"sections", "changes", "bodies"}
    assert {s["url"] for s in out["sections"][:2]} == {
        "guides/us/practice.html#被诉专利侵权", "guides/us/practice.html#收到警告函怎么办"
    }
    assert out["sections"][2]["url"] != "guides/us/services.html#官方机构"
    assert all(s["jurisdiction"] == "US" for s in out["sections"])
    assert [c["id"] for c in out["changes"]] == [new, old]
    assert out["changes"][0]["text"] == "损害赔偿条款修改"
    assert titles(out["bodies"]) == ["美国专利商标局（USPTO）", "国家海外知识产权纠纷应对指导中心"]
    for item in out["sections"] + out["changes"] + out["bodies"]:
        assert item["title"] and item["url"] and len(item["text"]) <= related.TEXT_CHARS


def test_labels_and_form_codes_are_accepted(settings, store, guides_root):
    by_code = related.related_guidance(
        settings, store, jurisdiction="DE", right="invention_patent", dispute_type="trade_fair",
        guides_root=guides_root,
    )
    by_label = related.related_guidance(
        settings, store, jurisdiction="德国", right="发明专利", dispute_type="展会知识产权纠纷",
        guides_root=guides_root,
    )
    assert by_code == by_label
    assert titles(by_code["sections"])[:2] == [
        "德国纠纷应对实务指引（测试数据） · 展会临时禁令的应对",
        "德国知识产权制度环境（测试数据） · 展会与临时禁令",
    ]


def test_eu_changes_count_for_member_states(settings, store, guides_root):
    eu = add_change(store, "eu-eutmr", ["Art. 9"], when="2026-02-01T00:00:00+00:00")
    out = related.related_guidance(settings, store, jurisdiction="DE", guides_root=guides_root)
    assert [(c["id"], c["jurisdiction"]) for c in out["changes"]] == [(eu, "EU")]
    assert related.related_guidance(settings, store, jurisdiction="US", guides_root=guides_root)["changes"] == []


def test_other_country_still_gets_the_chinese_network(settings, store, guides_root):
    out = related.related_guidance(settings, store, jurisdiction="其他", guides_root=guides_root)
    assert out["sections"] == [] and out["changes"] == []
    assert titles(out["bodies"]) == ["国家海外知识产权纠纷应对指导中心"]


def test_unknown_values_are_user_errors(settings, store, guides_root):
    with pytest.raises(IpwatchError, match="jurisdiction"):
        related.related_guidance(settings, store, jurisdiction="XX", guides_root=guides_root)
    with pytest.raises(IpwatchError, match="dispute"):
        related.related_guidance(settings, store, jurisdiction="US", dispute_type="吵架", guides_root=guides_root)


def test_related_for_guide_page(settings, store, guides_root):
    guide = next(g for g in load_guides(guides_root) if g.jurisdiction == "US" and g.part == "laws")
    out = related.related_for_guide(settings, store, guide, guides_root=guides_root)
    urls = [s["url"] for s in out["sections"]]
    assert urls and not any(u.startswith("guides/us/laws.html") for u in urls)
    assert all(u.startswith("guides/us/") for u in urls)
    assert urls[0].startswith("guides/us/practice.html")
    assert titles(out["bodies"])[0] == "美国专利商标局（USPTO）"


def test_member_states_get_eu_bodies(settings, store, guides_root):
    out = related.related_guidance(settings, store, jurisdiction="DE", guides_root=guides_root)
    assert titles(out["bodies"]) == [
        "德国专利商标局（DPMA）", "欧盟知识产权局（EUIPO）", "国家海外知识产权纠纷应对指导中心"
    ]
    assert out["bodies"][1]["text"] == "知识产权主管机关"  # no note: the kind's label
