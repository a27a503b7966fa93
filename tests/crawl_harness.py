"""Run a real crawl in a subprocess (one Twisted reactor per process) for the fetch tests.

``crawl(tmp_path, sources, **settings)`` writes the job as JSON, runs this file as a script
and returns the crawl's stats, with the store at ``tmp_path / "store.sqlite3"``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

FETCH_SETTINGS = {
    "ROBOTSTXT_OBEY": True,
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "crawlers.middlewares.HostGuardMiddleware": 50,
        "crawlers.middlewares.Rfc9309RobotsMiddleware": 100,
        "crawlers.middlewares.PacerMiddleware": 560,
        "crawlers.middlewares.RevalidateMiddleware": 570,
    },
    "ITEM_PIPELINES": {"crawlers.fetchlog.FetchLogPipeline": 100},
    "DOWNLOAD_DELAY": 0.05,
    "DOWNLOAD_DELAY_JITTER": 0,
    "REDIRECT_MAX_TIMES": 5,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "DOWNLOAD_TIMEOUT": 5,
    "RETRY_TIMES": 2,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "USER_AGENT": "ipwatch-test/0.1",
}


def source(id: str, url: str, kind: str = "law_page", language: str = "en", **extra) -> dict:
    return {"id": id, "url": url, "kind": kind, "language": language, "jurisdiction": "DE",
            "title": id, "rights": ["patent"], "extract": {}, "options": {}, "allowed_hosts": [],
            **extra}


def crawl(tmp_path: Path, sources: list[dict], timeout: float = 60, **settings) -> dict:
    job = tmp_path / f"job-{time.monotonic_ns()}.json"
    stats_file = job.with_suffix(".stats.json")
    items_file = job.with_suffix(".items.jsonl")
    merged = {**FETCH_SETTINGS, "IPWATCH_STORE": str(tmp_path / "store.sqlite3"),
              "FEEDS": {str(items_file): {"format": "jsonlines"}}, **settings}
    job.write_text(json.dumps({"sources": sources, "settings": merged, "stats": str(stats_file)}))
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}"}
    proc = subprocess.run([sys.executable, __file__, str(job)], env=env, timeout=timeout,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-4000:]
    stats = json.loads(stats_file.read_text())
    stats["_log"] = proc.stderr
    lines = items_file.read_text().splitlines() if items_file.exists() else []
    stats["_items"] = [json.loads(line) for line in lines]
    return stats


def _as_source(data: dict) -> SimpleNamespace:
    ns = SimpleNamespace(**data)
    ns.hosts = (urlsplit(data["url"]).hostname,) + tuple(data.get("allowed_hosts", ()))
    return ns


def _main(job_path: str) -> None:
    from scrapy.crawler import CrawlerRunner
    from scrapy.utils.reactor import install_reactor

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import defer, reactor

    from crawlers.spiders.catalog import plan

    job = json.loads(Path(job_path).read_text())
    sources = [_as_source(s) for s in job["sources"]]
    runner = CrawlerRunner(job["settings"])
    collected: dict = {}

    @defer.inlineCallbacks
    def run_all():
        for spider, group in plan(sources):
            crawler = runner.create_crawler(spider)
            yield runner.crawl(crawler, sources=group)
            for key, value in crawler.stats.get_stats().items():
                if isinstance(value, (int, float)):
                    collected[key] = collected.get(key, 0) + value

    d = run_all()
    d.addBoth(lambda _: reactor.stop())
    reactor.run()
    Path(job["stats"]).write_text(json.dumps(collected))


if __name__ == "__main__":
    _main(sys.argv[1])
