"""The fetch side of the item pipeline: fetch problems and 304s go to ``fetch_log`` only.

``FetchLogPipeline`` runs before the snapshot pipeline (``crawlers.pipelines``). An item with
a ``problem`` or ``not_modified`` is logged and dropped (counted as ``ipwatch/problem`` and
``ipwatch/not_modified``), so it can never become a change nor replace the last good
snapshot. A good law page whose text shrank drastically against the last snapshot is turned
into a problem here: the store knows the old size, the spider does not.
"""
from __future__ import annotations

import json
import sqlite3

from scrapy.exceptions import DropItem

from crawlers.items import PageItem
from kb.laws.snapshots import latest_snapshot
from kb.core.store import Store, utcnow

SHRINK_RATIO = 0.5  # a law page keeping less than half its text: a broken page, not a repeal


def log_fetch(conn: sqlite3.Connection, item: PageItem, outcome: str, detail: str = "") -> None:
    conn.execute(
        "INSERT INTO fetch_log(source_id, url, fetched_at, http_status, outcome, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (item.source_id, item.url, utcnow(), item.http_status, outcome, detail),
    )
    report_progress(item.source_id, item.url, outcome, detail)


PROGRESS_PREFIX = "IPWATCH-PROGRESS "  # read by crawlers.run (the crawl's parent process)


def report_progress(source_id: str, url: str, outcome: str, detail: str = "") -> None:
    """One line on stdout per fetched page, for the terminal of ``ipwatch crawl``."""
    line = json.dumps({"source_id": source_id, "url": url, "outcome": outcome,
                       "detail": detail}, ensure_ascii=False)
    print(PROGRESS_PREFIX + line, flush=True)


def shrink_problem(store: Store, item: PageItem, ratio: float = SHRINK_RATIO) -> str | None:
    """``shrunk_<new>_of_<old>_bytes`` when a law page lost most of its text, else None."""
    if item.page_kind != "page":
        return None
    last = latest_snapshot(store, item.source_id, item.url)
    if last is None:
        return None
    row = store.conn.execute("SELECT size FROM blobs WHERE hash = ?", (last.content_hash,)).fetchone()
    old = row[0] if row else 0
    new = len(item.text.encode("utf-8"))
    return f"shrunk_{new}_of_{old}_bytes" if old and new < old * ratio else None


class DroppedFetch(DropItem):
    """Not an error: the fetch was logged, nothing else is to be done with it."""

    def __init__(self, message: str):
        super().__init__(message, log_level="DEBUG")


class FetchLogPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = Store(crawler.settings["IPWATCH_STORE"])
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def close_spider(self, spider=None):
        self.store.close()

    def process_item(self, item: PageItem, spider=None) -> PageItem:
        if not item.problem and not item.not_modified:
            item.problem = shrink_problem(self.store, item)
        outcome = "not_modified" if item.not_modified else "problem" if item.problem else ""
        if not outcome:
            return item
        with self.store.write() as conn:
            log_fetch(conn, item, outcome, item.problem or "")
        self.stats.inc_value(f"ipwatch/{outcome}")
        raise DroppedFetch(f"{outcome}: {item.problem or ''} {item.url}")
