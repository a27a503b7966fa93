"""Run a crawl of the registry with ipwatch's settings.

Scrapy's Twisted reactor runs once per process, so ``run_crawl`` starts each crawl in a child
process (``python -m crawlers.run``) and reads back its stats. A spider runs for each source
kind that has sources in the selection.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from crawlers.registry import load_registry, select
from kb.core.errors import IpwatchError
from kb.core.settings import Settings
from kb.core.store import open_store, utcnow


@dataclass
class CrawlResult:
    stats: dict
    sources: int

    def count(self, key: str) -> int:
        return int(self.stats.get(f"ipwatch/{key}", 0))

    @property
    def errors(self) -> int:
        """Errors Scrapy logged (a failing pipeline or spider): the crawl is not trustworthy."""
        return int(self.stats.get("log_count/ERROR", 0))


def scrapy_settings(settings: Settings, store_path: Path) -> dict:
    crawl = settings["crawl"]
    return {
        "USER_AGENT": crawl["user_agent"],
        "DOWNLOAD_DELAY": float(crawl["download_delay"]),
        "DOWNLOAD_TIMEOUT": int(crawl["timeout"]),
        "DOWNLOAD_MAXSIZE": int(crawl["max_bytes"]),
        "CLOSESPIDER_PAGECOUNT": int(crawl["page_budget"]),
        "DEPTH_LIMIT": int(crawl["depth_limit"]),
        "RETRY_TIMES": int(crawl["retry_times"]),
        "IPWATCH_RETRY_AFTER_CAP": float(crawl["retry_after_cap"]),
        "IPWATCH_CRAWL_DELAY_CAP": float(crawl["crawl_delay_cap"]),
        "IPWATCH_MIRROR": crawl["mirror"],
        "IPWATCH_STORE": str(store_path),
        "LOG_LEVEL": "WARNING",
    }


def run_crawl(settings: Settings, sources: str | Path | None = None, only: str | None = None,
              timeout: float = 3600, scrapy_overrides: dict | None = None) -> CrawlResult:
    """Crawl the selected sources into the store of ``settings``; return the merged stats.

    ``scrapy_overrides`` (tests, benchmarks) are Scrapy settings applied last."""
    chosen = select(load_registry(sources), only)  # validate before starting anything
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    started = utcnow()
    with tempfile.TemporaryDirectory(prefix="ipwatch-crawl-") as tmp:
        job = Path(tmp) / "job.json"
        out = Path(tmp) / "stats.json"
        job.write_text(json.dumps({
            "settings": {**scrapy_settings(settings, settings.store_path),
                         **(scrapy_overrides or {})},
            "sources": str(sources) if sources else None,
            "only": only,
            "stats_file": str(out),
        }), encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "crawlers.run", str(job)],
                              capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        if proc.returncode != 0 or not out.exists():
            tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
            raise IpwatchError(f"抓取进程失败（退出码 {proc.returncode}）：\n{tail}")
        stats = json.loads(out.read_text("utf-8"))
    with open_store(settings) as store, store.write() as conn:
        conn.execute("INSERT INTO crawl_runs(started_at, finished_at, stats) VALUES (?, ?, ?)",
                     (started, utcnow(), json.dumps(stats, sort_keys=True)))
    return CrawlResult(stats=stats, sources=len(chosen))


def _child(job_file: str) -> None:
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings as ScrapySettings
    from scrapy.spiderloader import SpiderLoader

    job = json.loads(Path(job_file).read_text("utf-8"))
    scrapy_conf = ScrapySettings()
    scrapy_conf.setmodule("crawlers.settings", priority="project")
    scrapy_conf.update(job["settings"], priority="cmdline")
    kinds = {s.kind for s in select(load_registry(job["sources"]), job["only"])}
    loader = SpiderLoader.from_settings(scrapy_conf)
    process = CrawlerProcess(scrapy_conf)
    crawlers = []
    for name in loader.list():
        spider_cls = loader.load(name)
        if getattr(spider_cls, "kind", "") in kinds:
            crawler = process.create_crawler(spider_cls)
            crawlers.append(crawler)
            process.crawl(crawler, sources=job["sources"], only=job["only"])
    process.start()
    merged: dict[str, int] = {}
    for crawler in crawlers:
        for key, value in (crawler.stats.get_stats() or {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
    Path(job["stats_file"]).write_text(json.dumps(merged), encoding="utf-8")


if __name__ == "__main__":
    _child(sys.argv[1])
