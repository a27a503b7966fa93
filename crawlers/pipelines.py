"""Item pipeline: keep a snapshot when a page's text changed, and record the change.

One decision per fetched page, in this order:
1. a fetch problem (no text, error page …) is logged; the last good snapshot stays;
2. text whose hash equals one of the page's last few states is "unchanged" (a page flipping
   between known states never raises a change);
3. otherwise the snapshot is stored; if the page had an earlier snapshot, the texts are
   compared and a change is recorded — unless the comparison says the new text is broken,
   which is logged as a fetch problem instead (and the snapshot is not kept).
Counts go to the crawler stats under ``ipwatch/``.
"""
from __future__ import annotations

import json
from pathlib import Path

from crawlers.compare import compare_texts
from crawlers.lawmeta import change_meta
from crawlers.items import PageItem
from crawlers.registry import Source
from kb.laws.changes import record_change
from kb.laws.meta import record_meta
from kb.laws.snapshots import add_snapshot, latest_snapshot, recent_hashes, snapshot_text
from kb.core.store import Store, utcnow
from kb.core.textnorm import content_hash

RECENT_STATES = 5


def sync_sources(store: Store, sources: list[Source]) -> None:
    """Insert or update the registry's sources in the store."""
    now = utcnow()
    with store.write() as conn:
        for s in sources:
            conn.execute(
                "INSERT INTO sources(id, jurisdiction, kind, url, title, rights, language, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                " jurisdiction=excluded.jurisdiction, kind=excluded.kind, url=excluded.url,"
                " title=excluded.title, rights=excluded.rights, language=excluded.language,"
                " updated_at=excluded.updated_at",
                (s.id, s.jurisdiction, s.kind, s.url, s.title_zh or s.title,
                 json.dumps(list(s.rights)), s.language, now),
            )


class StorePipeline:
    def __init__(self, store_path: str, crawler):
        self.store_path = store_path
        self.crawler = crawler
        self.stats = crawler.stats
        self.store: Store | None = None
        self.sources: dict[str, Source] = {}

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("IPWATCH_STORE")
        if not path:
            raise RuntimeError("IPWATCH_STORE is not set: run crawls through `ipwatch crawl`")
        return cls(path, crawler)

    def open_spider(self, spider=None) -> None:
        spider = spider or self.crawler.spider
        self.store = Store(Path(self.store_path))
        self.sources = {s.id: s for s in spider.sources}
        spider.store_pipeline = self
        sync_sources(self.store, spider.sources)

    def close_spider(self, spider=None) -> None:
        if self.store:
            self.store.close()

    def _log(self, conn, item_source: str, url: str, status: int | None, outcome: str,
             detail: str = "") -> None:
        conn.execute(
            "INSERT INTO fetch_log(source_id, url, fetched_at, http_status, outcome, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (item_source, url, utcnow(), status, outcome, detail),
        )
        self.stats.inc_value(f"ipwatch/{outcome}")

    def record_problem(self, source_id: str, url: str, detail: str, status: int | None = None):
        with self.store.write() as conn:
            self._log(conn, source_id, url, status, "problem", detail)

    def process_item(self, item: PageItem, spider=None) -> PageItem:
        if item.problem:
            self.record_problem(item.source_id, item.url, item.problem, item.http_status)
            return item
        digest = content_hash(item.text)
        with self.store.write() as conn:
            if digest in recent_hashes(self.store, item.source_id, item.url, RECENT_STATES):
                self._log(conn, item.source_id, item.url, item.http_status, "unchanged")
                return item
            previous = latest_snapshot(self.store, item.source_id, item.url)
            comparison = None
            if previous is not None:
                source = self.sources[item.source_id].as_dict()
                old_text = snapshot_text(self.store, previous.id)
                comparison = compare_texts(old_text, item.text, source)
                if comparison.problem:
                    self._log(conn, item.source_id, item.url, item.http_status, "problem",
                              comparison.problem)
                    return item
            new_id = add_snapshot(conn, source_id=item.source_id, url=item.url, text=item.text,
                                  http_status=item.http_status, headers=item.headers)
            self._log(conn, item.source_id, item.url, item.http_status, "stored")
            if comparison is not None:
                change_id = record_change(conn, source_id=item.source_id, url=item.url, kind="modified",
                              old_snapshot=previous.id, new_snapshot=new_id,
                              articles=comparison.articles, summary=comparison.summary,
                              details=[d.as_dict() for d in comparison.details],
                              substantive=comparison.substantive, rights=comparison.rights)
                record_meta(conn, change_id, change_meta(old_text, item.text, source).as_dict())
                self.stats.inc_value("ipwatch/changes")
        return item
