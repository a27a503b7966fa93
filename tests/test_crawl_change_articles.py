"""Through a real crawl of the loopback mirror: article-level change records, editorial flag."""
from crawlers.demo_mirror import demo_registry
from crawlers.run import run_crawl
from kb.laws.changes import change_articles, change_texts, list_changes
from kb.core.store import open_store
from kb.laws.meta import get_meta


def test_crawl_records_articles_redlines_and_the_editorial_repair(crawl_settings, demo_mirror):
    server, state1, state2 = demo_mirror
    assert run_crawl(crawl_settings, sources=demo_registry()).errors == 0
    server.set_layers([state2, state1])
    assert run_crawl(crawl_settings, sources=demo_registry()).errors == 0
    store = open_store(crawl_settings)
    changes = {c["source_id"]: c for c in list_changes(store)}

    markeng = changes["de-markeng"]
    assert markeng["substantive"] is False
    assert markeng["articles"] == [{"id": "§ 125d", "change": "modified"},
                                   {"id": "§ 125e", "change": "modified"}]
    assert all(d["editorial"] for d in change_articles(store, markeng["id"]))

    patg = changes["de-patg"]
    assert patg["substantive"] is True and patg["rights"] == ["patent"]
    added = {a["id"] for a in patg["articles"] if a["change"] == "added"}
    assert added == {"§ 26a", "§ 29a", "§ 31a", "§ 35a", "§ 145a"}
    assert "新增第26a条、第29a条、第31a条、第35a条、第145a条" in patg["summary"]
    detail = {d["id"]: d for d in change_articles(store, patg["id"])}
    assert detail["§ 145a"]["new_text"].startswith("§ 145a")
    assert any(op == "+" for op, _ in detail["§ 139"]["ops"])
    old, new = change_texts(store, patg["id"])
    assert "§ 145a" not in old and "§ 145a" in new
    # the page chrome ("Stand", counters, navigation) never reaches the articles
    assert all("Seitenaufruf" not in d["new_text"] for d in detail.values())
    # the amending act and its date, from the law text itself (issue 13); no in-force date stated
    assert get_meta(store, patg["id"]) == {"amending_act": "Art. 1 G v. 30.8.2021 I 4074 (Nr. 62)",
                                           "act_date": "2021-08-30", "in_force_on": "", "stand": ""}


def test_a_page_that_lost_most_articles_is_a_fetch_problem(crawl_settings, demo_mirror, tmp_path):
    """A selector that suddenly catches 20 of 169 sections is not a repeal of the law."""
    from crawlers.demo_mirror import history_root, render_law_page
    from crawlers.mirror import mirror_path
    from crawlers.registry import load_registry
    from kb.laws.snapshots import latest_snapshot

    server, state1, _ = demo_mirror
    assert run_crawl(crawl_settings, sources=demo_registry()).errors == 0
    patg = next(s for s in load_registry() if s.id == "de-patg")
    text = (history_root() / "patg__5710c0a6" / "new.md").read_text("utf-8")
    broken = tmp_path / "broken"
    page = broken / mirror_path(patg.url)
    page.parent.mkdir(parents=True)
    page.write_text(render_law_page(text.split("### § 20")[0], stand="x", counter=1), "utf-8")
    store = open_store(crawl_settings)
    kept = latest_snapshot(store, "de-patg", patg.url)
    server.set_layers([broken, state1])
    result = run_crawl(crawl_settings, sources=demo_registry())
    assert result.count("changes") == 0 and result.count("problem") == 1
    assert list_changes(store) == []
    assert latest_snapshot(store, "de-patg", patg.url).id == kept.id
    detail = store.conn.execute(
        "SELECT detail FROM fetch_log WHERE outcome = 'problem' AND source_id = 'de-patg'"
    ).fetchone()[0]
    assert detail  # the guard of crawlers.compare, or an earlier shrink check of the fetcher
