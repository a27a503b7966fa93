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
