"""The store: one SQLite file with ordered, recorded migrations.

- WAL journal, foreign keys on, a busy timeout;
- every write goes through ``Store.write()``, which begins ``IMMEDIATE`` so that two writers
  queue on the busy timeout instead of failing with "database is locked" (a deferred
  transaction that reads first and then writes cannot be retried by SQLite);
- migrations are the files ``kb/core/migrations/NNNN_name.sql``, applied in number order; the
  applied ones are recorded in ``schema_migrations``, so opening an older store upgrades it.
  Number ranges per area keep parallel work apart: 0001–0009 core, 0010–0019 law changes,
  0020–0029 disputes/reports, 0030–0039 cases/intake, 0040–0049 guides/search,
  0080–0089 what a law change means (amending act and dates, 解读, guide reviews).
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from kb.core.errors import IpwatchError

BUSY_TIMEOUT_MS = 30_000
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    found = []
    for entry in resources.files("kb.core.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(versions) != len(set(versions)):
        raise IpwatchError(f"数据库迁移编号重复：{versions}")
    return found


def utcnow() -> str:
    """Current UTC time as ISO 8601 with seconds, the store's one timestamp format."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """An open store. Read with ``store.conn.execute``; write inside ``with store.write():``."""

    def __init__(self, path: str | Path, migrate: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        # deleted rows (purged contact data) are overwritten, not left in free pages
        self.conn.execute("PRAGMA secure_delete = ON")
        if migrate:
            self.migrate()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): all of it is committed, or none."""
        if self.conn.in_transaction:
            raise RuntimeError("nested write transaction")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def applied_versions(self) -> set[int]:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        ).fetchone()
        if not exists:
            return set()
        return {row[0] for row in self.conn.execute("SELECT version FROM schema_migrations")}

    @property
    def schema_version(self) -> int:
        return max(self.applied_versions(), default=0)

    def pending_migrations(self) -> list[Migration]:
        """Migrations not yet recorded (a plain read: no transaction, no lock taken)."""
        applied = self.applied_versions()
        return [m for m in available_migrations() if m.version not in applied]

    def migrate(self) -> list[int]:
        """Apply every migration not yet recorded, in order, each in its own transaction.

        Opening an up-to-date store only reads ``schema_migrations``: a reader never waits for
        (nor blocks) a crawl that is writing.
        """
        applied_now = []
        for migration in self.pending_migrations():
            with self.write() as conn:
                # re-read inside the lock: another process may have migrated meanwhile
                if migration.version in self.applied_versions():
                    continue
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                for statement in _split_sql(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utcnow()),
                )
                applied_now.append(migration.version)
        return applied_now


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit our transaction)."""
    statements, buffer = [], []
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        buffer.append(line)
        candidate = "\n".join(buffer).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buffer = []
    rest = "\n".join(buffer).strip()
    if rest:
        statements.append(rest)
    return statements


def open_store(settings) -> Store:
    """Open (creating and migrating as needed) the store of these settings."""
    return Store(settings.store_path)
