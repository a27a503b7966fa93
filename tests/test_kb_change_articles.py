"""Article-level change records in the store (migration 0010) and their JSON contract."""
from __future__ import annotations

import pytest

from crawlers.compare import compare_texts
from kb.laws.changes import (
    change_articles, change_texts, changed_articles, get_change, list_changes, record_change,
)
from kb.core.errors import IpwatchError
from kb.laws.snapshots import add_snapshot
from kb.core.store import Store
from tests.lawdata_articles import german_case

SOURCE = {"id": "de-markeng", "jurisdiction": "DE", "title": "Markengesetz (MarkenG)",
          "title_zh": "德国《商标法》", "rights": ["trademark"], "language": "de",
          "numbering": "de_paragraph"}


def record(store: Store, old: str, new: str, detected_at: str) -> int:
    result = compare_texts(old, new, SOURCE)
    with store.write() as conn:
        a = add_snapshot(conn, source_id=SOURCE["id"], url="https://x.test/markeng", text=old,
                         http_status=200)
        b = add_snapshot(conn, source_id=SOURCE["id"], url="https://x.test/markeng", text=new,
                         http_status=200)
        return record_change(conn, source_id=SOURCE["id"], url="https://x.test/markeng",
                             kind="modified", old_snapshot=a, new_snapshot=b,
                             articles=result.articles, summary=result.summary,
                             detected_at=detected_at, substantive=result.substantive,
                             rights=result.rights,
                             details=[d.as_dict() for d in result.details])


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "kb.sqlite") as opened:
        with opened.write() as conn:
            conn.execute(
                "INSERT INTO sources(id, jurisdiction, kind, url, title, rights, language,"
                " updated_at) VALUES ('de-markeng', 'DE', 'law_page', 'https://x.test/markeng',"
                " 'Markengesetz (MarkenG)', '[\"trademark\"]', 'de', '2026-01-01T00:00:00+00:00')"
            )
        yield opened


def test_article_detail_round_trip(store):
    old, new = german_case("markeng__e3c6d7fe")
    change_id = record(store, old, new, "2026-11-01T10:00:00+00:00")
    detail = change_articles(store, change_id)
    assert [(d["id"], d["change"], d["editorial"]) for d in detail] == [
        ("§ 125d", "modified", True), ("§ 125e", "modified", True)]
    assert detail[1]["ops"][1] == ["+", " Gemeinschaftsmarkengerichte,"]
    assert "Gemeinschaftsmarkenstreitsachen" in detail[1]["old_text"]
    assert change_texts(store, change_id) == (old, new)
    record_ = get_change(store, change_id)
    assert record_["substantive"] is False and record_["rights"] == ["trademark"]


def test_list_changes_keeps_the_json_contract(store):
    old, new = german_case("markeng__5710c0a6")
    record(store, old, new, "2026-10-01T10:00:00+00:00")
    record(store, *german_case("markeng__e3c6d7fe"), "2026-11-01T10:00:00+00:00")
    records = list_changes(store)
    assert [r["detected_at"][:7] for r in records] == ["2026-11", "2026-10"]
    for r in records:
        assert {"source_id", "url", "detected_at", "kind", "articles", "summary"} <= set(r)
        assert all(set(a) == {"id", "change"} for a in r["articles"])
    assert len(list_changes(store, since="2026-10-15")) == 1
    assert {"id": "§ 106a", "change": "added"} in records[1]["articles"]


def test_bad_article_detail_is_refused(store):
    with pytest.raises(ValueError), store.write() as conn:
        record_change(conn, source_id="de-markeng", url="u", kind="modified", old_snapshot=None,
                      new_snapshot=None, details=[{"id": "§ 1", "change": "renamed"}])
    assert list_changes(store) == []


def test_changed_articles_for_citation_matching(store):
    record(store, *german_case("markeng__5710c0a6"), "2026-10-01T10:00:00+00:00")
    record(store, *german_case("markeng__e3c6d7fe"), "2026-11-01T10:00:00+00:00")
    touched = changed_articles(store, source_id="de-markeng")
    keys = {t["key"] for t in touched}
    assert "§14a" in keys and "§125e" in keys  # § 125e was amended in substance in 2018
    assert all(not t["editorial"] for t in touched)
    assert len(changed_articles(store, since="2026-10-15")) == 0  # only the editorial repair
    repairs = changed_articles(store, since="2026-10-15", substantive_only=False)
    assert {t["article_id"] for t in repairs} == {"§ 125d", "§ 125e"}


@pytest.mark.parametrize("bad", ["bad", "2026-13-01", "20261001", ""])
def test_since_that_is_not_a_date_is_a_user_error(store, bad):
    if not bad:  # empty means no filter
        assert list_changes(store, since=bad) == []
        return
    with pytest.raises(IpwatchError, match="--since"):
        list_changes(store, since=bad)
    with pytest.raises(IpwatchError, match="--since"):
        changed_articles(store, since=bad)
