"""Real Scrapy crawls of the bundled loopback mirror (each crawl in its own process)."""
import concurrent.futures
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from crawlers.demo_mirror import demo_registry
from crawlers.mirror import mirror_path
from crawlers.registry import load_registry
from crawlers.run import run_crawl
from kb.laws.changes import list_changes
from kb.laws.snapshots import latest_snapshot
from kb.core.store import open_store

CHANGED = {"de-patg", "de-gebrmg", "de-markeng"}  # de-designg is the same in both states


def crawl(settings):
    result = run_crawl(settings, sources=demo_registry())
    assert result.errors == 0
    return result


def test_demo_registry_is_the_bundled_german_sources():
    bundled = {s.id: s for s in load_registry()}
    for source in load_registry(demo_registry()):
        assert source.as_dict() | {"origin": ""} == bundled[source.id].as_dict() | {"origin": ""}


def test_first_crawl_is_a_baseline_and_a_repeat_changes_nothing(crawl_settings, demo_mirror):
    first = crawl(crawl_settings)
    assert first.count("stored") == 4 and first.count("changes") == 0
    second = crawl(crawl_settings)
    assert second.count("not_modified") == 4  # conditional requests: the mirror answers 304
    assert second.count("stored") == 0 and second.count("changes") == 0
    store = open_store(crawl_settings)
    assert list_changes(store) == []
    # robots.txt was asked for first, on the real host's path
    assert demo_mirror[0].requests[0] == "/www.gesetze-im-internet.de/robots.txt"


def test_later_state_records_exactly_the_pages_that_changed(crawl_settings, demo_mirror):
    server, state1, state2 = demo_mirror
    crawl(crawl_settings)
    server.set_layers([state2, state1])
    result = crawl(crawl_settings)
    assert result.count("changes") == 3 and result.count("unchanged") == 1
    store = open_store(crawl_settings)
    changes = list_changes(store)
    assert {c["source_id"] for c in changes} == CHANGED
    sources = {s.id: s for s in load_registry()}
    for change in changes:
        assert change["url"] == sources[change["source_id"]].url  # the real URL, not the mirror
        assert change["kind"] == "modified"
        assert change["summary"]
    # the flipped-back page is a known state: nothing new is recorded
    server.set_layers([state1])
    assert crawl(crawl_settings).count("changes") == 0


def test_a_missing_page_is_a_fetch_problem_not_a_change(crawl_settings, demo_mirror, tmp_path):
    server, state1, _ = demo_mirror
    crawl(crawl_settings)
    empty = tmp_path / "empty"
    (empty / "www.gesetze-im-internet.de").mkdir(parents=True)
    (empty / "www.gesetze-im-internet.de" / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    server.set_layers([empty])
    result = crawl(crawl_settings)
    assert result.count("problem") == 4 and result.count("changes") == 0
    store = open_store(crawl_settings)
    patg = next(s for s in load_registry() if s.id == "de-patg")
    kept = latest_snapshot(store, "de-patg", patg.url)
    assert kept is not None and kept.http_status == 200
    problems = store.conn.execute("SELECT COUNT(*) FROM fetch_log WHERE outcome = 'problem'")
    assert problems.fetchone()[0] == 4


def test_snapshot_keeps_provenance(crawl_settings):
    crawl(crawl_settings)
    store = open_store(crawl_settings)
    row = store.conn.execute("SELECT * FROM snapshots WHERE source_id = 'de-patg'").fetchone()
    assert row["http_status"] == 200
    assert row["url"].startswith("https://www.gesetze-im-internet.de/")
    assert len(row["content_hash"]) == 64
    assert "text/html" in json.loads(row["headers"])["content-type"]


def test_mirror_bears_concurrent_load(demo_mirror):
    server = demo_mirror[0]
    patg = next(s for s in load_registry() if s.id == "de-patg")
    url = f"{server.url}/{mirror_path(patg.url)}"

    def fetch(_):
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status

    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        statuses = list(pool.map(fetch, range(400)))
    assert statuses == [200] * 400


def test_robots_txt_is_obeyed_and_the_bureau_is_named(crawl_settings, demo_mirror, tmp_path):
    server, state1, _ = demo_mirror
    closed = tmp_path / "closed" / "www.gesetze-im-internet.de"
    closed.mkdir(parents=True)
    (closed / "robots.txt").write_text("User-agent: *\nDisallow: /patg/\n", encoding="utf-8")
    server.set_layers([tmp_path / "closed", state1])
    result = crawl(crawl_settings)
    assert result.count("stored") == 3
    assert not any(path.startswith("/www.gesetze-im-internet.de/patg/") for path in server.requests)
    assert all("Qujiang" in agent for agent in server.user_agents)


def test_cli_crawl_makes_new_changes_searchable(settings, demo_mirror, tmp_path):
    from kb.guides.search import index_dir

    server, state1, state2 = demo_mirror
    config = tmp_path / "ipwatch.toml"
    config.write_text(f'[crawl]\nmirror = "{server.url}"\ndownload_delay = 0.02\nconfirm_pause = 0.02\n', "utf-8")
    demo_sources = "crawlers/demo_data/sources.yaml"

    def cli_crawl():
        result = subprocess.run(
            [sys.executable, "-m", "ipwatch", "--config", str(config), "crawl", "--sources",
             demo_sources, "--format", "json"],
            capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], timeout=300)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert cli_crawl()["changes"] == 0
    assert not index_dir(settings).exists()  # nothing new to index
    server.set_layers([state2, state1])
    assert cli_crawl()["changes"] == 3
    assert index_dir(settings).exists()  # indexed right after the crawl, before any search
