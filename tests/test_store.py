import multiprocessing
import sqlite3

from kb.core.store import Store, available_migrations


def test_new_store_has_every_migration(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        assert store.applied_versions() == {m.version for m in available_migrations()}
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_older_store_is_upgraded_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    first = available_migrations()[0]
    conn = sqlite3.connect(path)
    conn.executescript(first.sql)
    conn.executescript(
        "CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL);"
        f"INSERT INTO schema_migrations VALUES ({first.version}, '{first.name}', '2025-01-01');"
        "INSERT INTO sources(id, jurisdiction, kind, url, title, updated_at)"
        " VALUES ('de-patg', 'DE', 'law_page', 'https://example.org', 'PatG', '2025-01-01');"
    )
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.schema_version == max(m.version for m in available_migrations())
        assert store.conn.execute("SELECT title FROM sources").fetchone()[0] == "PatG"
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert "fetch_log" in tables


def test_failed_write_leaves_nothing(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        try:
            with store.write() as conn:
                conn.execute("INSERT INTO crawl_runs(started_at) VALUES ('x')")
                raise ValueError("boom")
        except ValueError:
            pass
        assert store.conn.execute("SELECT COUNT(*) FROM crawl_runs").fetchone()[0] == 0


def _writer(path: str, worker: int, rows: int) -> None:
    with Store(path) as store:
        for i in range(rows):
            # read-then-write: the pattern that fails with "database is locked" unless IMMEDIATE
            with store.write() as conn:
                count = conn.execute("SELECT COUNT(*) FROM crawl_runs").fetchone()[0]
                conn.execute("INSERT INTO crawl_runs(started_at, stats) VALUES (?, ?)",
                             (f"w{worker}-{i}", str(count)))


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "s.sqlite3")
    Store(path).close()
    rows = 300
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, w, rows)) for w in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    with Store(path) as store:
        counts = [int(r[0]) for r in store.conn.execute("SELECT stats FROM crawl_runs ORDER BY id")]
        assert len(counts) == 2 * rows
        # every transaction saw all earlier ones: the counts are exactly 0, 1, 2, ...
        assert counts == list(range(2 * rows))


def _hold_write_lock(path):
    """Another connection in the middle of a write transaction (a crawl recording a change)."""
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO sources(id, jurisdiction, kind, url, title, updated_at)"
                   " VALUES ('x', 'DE', 'law_page', 'https://example.org', 'x', '2025-01-01')")
    return writer


def test_opening_an_up_to_date_store_never_waits_for_a_writer(tmp_path, monkeypatch):
    import kb.core.store as store_module

    path = tmp_path / "s.sqlite3"
    Store(path).close()
    writer = _hold_write_lock(path)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 300)  # a writer would fail fast
    try:
        with Store(path) as reader:
            assert reader.pending_migrations() == []
            assert reader.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_pipeline_compares_outside_its_write_transaction(tmp_path, monkeypatch):
    """While a page is compared, another process can write to the store."""
    from types import SimpleNamespace

    import crawlers.pipelines as pipelines
    from crawlers.items import PageItem
    from crawlers.registry import Source

    path = tmp_path / "s.sqlite3"
    source = Source(id="de-x", jurisdiction="DE", kind="law_page", title="x", rights=("patent",),
                    url="https://law.example.org/x", language="de")
    stats = SimpleNamespace(inc_value=lambda *a, **k: None)
    no_confirmation = SimpleNamespace(getfloat=lambda name, default: 0.0)  # IPWATCH_CONFIRM_PAUSE = 0
    pipeline = pipelines.StorePipeline(str(path), SimpleNamespace(stats=stats, settings=no_confirmation))
    pipeline.open_spider(SimpleNamespace(sources=[source]))
    writes_during_compare = []
    real_compare = pipelines.compare_texts

    def compare_while_writing(old, new, src):
        other = sqlite3.connect(path, timeout=0.3, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if the pipeline holds it
        other.execute("ROLLBACK")
        other.close()
        writes_during_compare.append(True)
        return real_compare(old, new, src)

    monkeypatch.setattr(pipelines, "compare_texts", compare_while_writing)
    for text in ("§ 1 Alt\n\nText eins. Der Inhaber des Patents hat das Recht.",
                 "§ 1 Alt\n\nText zwei. Der Inhaber des Patents hat das Recht."):
        pipeline.process_item(PageItem("de-x", source.url, 200, text))
    pipeline.close_spider()
    assert writes_during_compare == [True]
    with Store(path) as store:
        assert store.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == 1
