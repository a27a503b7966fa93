"""Item pipeline: keep a snapshot when a page's text changed, and record the change.

One decision per fetched page (``StorePipeline.judge``), in this order:
1. a fetch problem (no text, error page …) is logged; the last good snapshot stays;
2. text whose hash equals one of the page's last ``STATES_KEPT`` states is "unchanged" (a
   page flipping between known states never raises a change);
3. text equal to the last state once the source's volatile lines are left out is
   "unchanged" (``crawlers.noise``);
4. a page that lost most of its text and says it is gone, down or blocked (or lost its own
   title) is a fetch problem (``crawlers.fetchcheck.lost_page_problem``), as is a text the
   comparison calls broken;
5. otherwise a page with an earlier state is fetched again after ``IPWATCH_CONFIRM_PAUSE``
   seconds: the change is recorded only if the second fetch confirms it, else what differed
   between the two fetches is learned as volatile (``confirmation``);
6. a page's first state, or a confirmed change, is stored as a snapshot (``keep``).
The judging and comparing run outside any write transaction (the store stays usable while a
large page is compared); only the writes are short transactions.
Counts go to the crawler stats under ``ipwatch/``.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from crawlers.compare import compare_texts
from crawlers.fetchlog import report_progress
from crawlers.fetchcheck import lost_page_problem
from crawlers.lawmeta import change_meta
from crawlers.items import PageItem
from crawlers.noise import (
    STATES_KEPT, article_key, learn_volatile, replaced_by_volatile, store_shapes,
    volatile_shapes, without_volatile,
)
from crawlers.registry import Source
from kb.laws.changes import record_change
from kb.laws.meta import record_meta
from kb.laws.snapshots import add_snapshot, latest_snapshot, recent_hashes, snapshot_text
from kb.core.store import Store, utcnow
from kb.core.textnorm import content_hash


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
        self.pending: dict[str, tuple[str, tuple]] = {}  # url → first sighting to confirm
        self.confirm_pause = crawler.settings.getfloat("IPWATCH_CONFIRM_PAUSE", 120.0)

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
        report_progress(item_source, url, outcome, detail)

    def record_problem(self, source_id: str, url: str, detail: str, status: int | None = None):
        with self.store.write() as conn:
            self._log(conn, source_id, url, status, "problem", detail)

    def process_item(self, item: PageItem, spider=None) -> PageItem:
        if item.problem:
            self.record_problem(item.source_id, item.url, item.problem, item.http_status)
            return item
        # judge (and compare) outside any transaction: a large page may take seconds, and
        # other commands on the same store never wait on a comparison; then write briefly
        verdict = self.judge(item)
        if verdict.outcome == "pending":  # logged when the second fetch is judged
            return item
        with self.store.write() as conn:
            if verdict.outcome:
                self._log(conn, item.source_id, item.url, item.http_status, verdict.outcome,
                          verdict.detail)
                return item
            self.keep(conn, item, verdict)
        return item

    # --- the decision: unchanged, noise, a lost page, to confirm, or a change ----------------

    def judge(self, item: PageItem) -> "Verdict":
        """What this fetch means against the page's last good state (see ``crawlers.noise``)."""
        if content_hash(item.text) in recent_hashes(self.store, item.source_id, item.url,
                                                    STATES_KEPT):
            first = self.pending.pop(item.url, None) if item.confirm else None
            if first:  # the first fetch showed a state the second does not: noise
                with self.store.write() as conn:
                    learn_volatile(conn, item.source_id, first[0], item.text)
                return Verdict("unchanged", "unconfirmed")
            return Verdict("unchanged")
        previous = latest_snapshot(self.store, item.source_id, item.url)
        if previous is None:
            return Verdict()  # the first state of a page: kept, nothing to compare
        old = snapshot_text(self.store, previous.id)
        shapes = volatile_shapes(self.store.conn, item.source_id)
        around = replaced_by_volatile(old, item.text, shapes)
        if around:
            with self.store.write() as conn:
                store_shapes(conn, item.source_id, around)
            shapes |= around
        if without_volatile(old, shapes) == without_volatile(item.text, shapes):
            return Verdict("unchanged", "volatile")
        lost = lost_page_problem(old, item.text)
        if lost:
            return Verdict("problem", lost)
        source = self.sources[item.source_id].as_dict()
        comparison = compare_texts(without_volatile(old, shapes),
                                   without_volatile(item.text, shapes), source)
        if comparison.problem:
            return Verdict("problem", comparison.problem)
        if not self.confirm_pause:
            return Verdict(previous=previous, comparison=comparison)
        return self.confirmation(item, previous, comparison)

    def confirmation(self, item: PageItem, previous, comparison) -> "Verdict":
        """A first sighting asks for a second fetch; the second confirms it or is noise."""
        first = self.pending.pop(item.url, None)
        if not item.confirm or first is None:
            self.pending[item.url] = (item.text, article_key(comparison))
            self.request_confirmation(item)
            return Verdict("pending")
        text, key = first
        if text == item.text or (key and key == article_key(comparison)):
            self.stats.inc_value("ipwatch/confirmed")
            return Verdict(previous=previous, comparison=comparison)
        with self.store.write() as conn:
            learned = learn_volatile(conn, item.source_id, text, item.text)
        self.stats.inc_value("ipwatch/volatile_learned", learned)
        return Verdict("unchanged", "unconfirmed")

    def request_confirmation(self, item: PageItem) -> None:
        spider = self.crawler.spider
        source = self.sources[item.source_id]
        request = spider.request_for(
            source, item.url, item.page_kind, dont_filter=True, ipwatch_confirm=True,
            ipwatch_revalidated=True,  # no conditional request: the full text is compared
            ipwatch_not_before=time.monotonic() + self.confirm_pause)
        self.crawler.engine.crawl(request)
        self.stats.inc_value("ipwatch/confirm_requested")

    def keep(self, conn, item: PageItem, verdict: "Verdict") -> None:
        new_id = add_snapshot(conn, source_id=item.source_id, url=item.url, text=item.text,
                              http_status=item.http_status, headers=item.headers)
        self._log(conn, item.source_id, item.url, item.http_status, "stored")
        comparison, previous = verdict.comparison, verdict.previous
        if comparison is None:
            return
        change_id = record_change(conn, source_id=item.source_id, url=item.url, kind="modified",
                                  old_snapshot=previous.id, new_snapshot=new_id,
                                  articles=comparison.articles, summary=comparison.summary,
                                  details=[d.as_dict() for d in comparison.details],
                                  substantive=comparison.substantive, rights=comparison.rights)
        # the amending act and its dates, as the official text states them (crawlers.lawmeta)
        old_text = snapshot_text(self.store, previous.id)
        record_meta(conn, change_id, change_meta(old_text, item.text, self.sources[item.source_id].as_dict()).as_dict())
        self.stats.inc_value("ipwatch/changes")
        report_progress(item.source_id, item.url, "changed")


@dataclass
class Verdict:
    """``outcome`` set: log it and stop (``pending``: a confirmation was asked for, nothing
    is logged yet); else keep the snapshot and record ``comparison`` if there is one."""

    outcome: str = ""
    detail: str = ""
    previous: object = None
    comparison: object = None
