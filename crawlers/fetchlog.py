"""The fetch side of the item pipeline: fetch problems and 304s go to ``fetch_log`` only.

``FetchLogPipeline`` runs before the snapshot pipeline. An item with ``problem`` or
``not_modified`` is logged and dropped (counted as ``ipwatch/fetch_log/<outcome>``), so it can
never become a change nor replace the last good snapshot. A good law page whose text shrank
drastically against the last snapshot is turned into a problem here (the store knows the old
size; the spider does not).
"""
from __future__ import annotations

import sqlite3

from scrapy.exceptions import DropItem

from kb.snapshots import latest_snapshot
from kb.store import Store, utcnow

SHRINK_RATIO = 0.5  # a law page keeping less than half its text: a broken page, not a repeal


def log_fetch(conn: sqlite3.Connection, item: dict, outcome: str, detail: str = "") -> None:
    conn.execute(
        "INSERT INTO fetch_log(source_id, url, fetched_at, http_status, outcome, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (item["source_id"], item["url"], utcnow(), item.get("status"), outcome, detail),
    )


def ensure_source(conn: sqlite3.Connection, source) -> None:
    """Insert or refresh the ``sources`` row of a registry source."""
    import json

    conn.execute(
        "INSERT INTO sources(id, jurisdiction, kind, url, title, rights, language, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
        " jurisdiction=excluded.jurisdiction, kind=excluded.kind, url=excluded.url,"
        " title=excluded.title, rights=excluded.rights, language=excluded.language,"
        " updated_at=excluded.updated_at",
        (source.id, source.jurisdiction, source.kind, source.url, source.title,
         json.dumps(list(source.rights)), source.language, utcnow()),
    )


def shrink_problem(store: Store, item: dict, ratio: float = SHRINK_RATIO) -> str | None:
    if item.get("page_kind") != "page":
        return None
    last = latest_snapshot(store, item["source_id"], item["url"])
    if last is None:
        return None
    row = store.conn.execute("SELECT size FROM blobs WHERE hash = ?", (last.content_hash,)).fetchone()
    old = row[0] if row else 0
    new = len(item["text"].encode("utf-8"))
    return f"shrunk_{new}_of_{old}_bytes" if old and new < old * ratio else None


class FetchLogPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = Store(crawler.settings["IPWATCH_STORE"])
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        with self.store.write() as conn:
            for source in getattr(self.crawler.spider, "sources", []):
                ensure_source(conn, source)

    def close_spider(self, spider=None):
        self.store.close()

    def process_item(self, item, spider=None):
        if not item.get("problem") and not item.get("not_modified"):
            item["problem"] = shrink_problem(self.store, item)
        outcome = "not_modified" if item.get("not_modified") else "problem" if item.get("problem") else ""
        if not outcome:
            return item
        with self.store.write() as conn:
            log_fetch(conn, item, outcome, item.get("problem") or "")
        self.stats.inc_value(f"ipwatch/fetch_log/{outcome}")
        raise DropItem(f"{outcome}: {item.get('problem') or ''} {item['url']}")
