"""Real crawls for the fetch tests, through ``crawlers.run.run_crawl`` (a subprocess each).

``crawl(tmp_path, sources, **scrapy_settings)`` writes the sources as a registry file and
crawls them into the test's store (IPWATCH_DATA is a temporary folder, see conftest.py);
Scrapy settings given here override ipwatch's (tests lower delays and budgets this way).
"""
from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import yaml

from crawlers.run import CrawlResult, run_crawl
from kb.core.settings import load_settings

TEST_SCRAPY = {"DOWNLOAD_DELAY": 0.05, "DOWNLOAD_TIMEOUT": 5, "IPWATCH_CONFIRM_PAUSE": 0.2}
_numbers = itertools.count()


def source(id: str, url: str, kind: str = "law_page", language: str = "en", **extra) -> dict:
    entry = {"id": id, "kind": kind, "title": id, "url": url, "rights": ["patent"],
             "language": language}
    entry.update({k: v for k, v in extra.items() if v or v is False})
    return entry


def write_registry(tmp_path: Path, sources: list[dict]) -> Path:
    registry = tmp_path / f"sources-{next(_numbers)}.yaml"
    registry.write_text(yaml.safe_dump({"jurisdiction": "DE", "sources": sources},
                                       allow_unicode=True), encoding="utf-8")
    return registry


def crawl_result(tmp_path: Path, sources: list[dict], timeout: float = 120,
                 **scrapy_settings) -> CrawlResult:
    return run_crawl(load_settings(), sources=write_registry(tmp_path, sources),
                     timeout=timeout, scrapy_overrides={**TEST_SCRAPY, **scrapy_settings})


def crawl(tmp_path: Path, sources: list[dict], **scrapy_settings) -> dict:
    result = crawl_result(tmp_path, sources, **scrapy_settings)
    assert result.errors == 0, result.stats
    assert result.status == "finished", result.status
    return result.stats


def store_conn() -> sqlite3.Connection:
    return sqlite3.connect(load_settings().store_path)


def fetch_log() -> dict[str, tuple[str, str]]:
    """URL path → (outcome, detail) of each page's last fetch_log row."""
    rows = store_conn().execute("SELECT url, outcome, detail FROM fetch_log ORDER BY id")
    return {url.split("/", 3)[3]: (outcome, detail) for url, outcome, detail in rows}


def snapshot_texts() -> dict[str, str]:
    """URL path → text of each page's last snapshot."""
    from kb.laws.snapshots import blob_text
    from kb.core.store import Store

    with Store(load_settings().store_path) as store:
        rows = store.conn.execute("SELECT url, content_hash FROM snapshots ORDER BY id").fetchall()
        return {url.split("/", 3)[3]: blob_text(store, digest) for url, digest in rows}


def changes() -> int:
    return store_conn().execute("SELECT count(*) FROM changes").fetchone()[0]
