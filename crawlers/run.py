"""Run a crawl of the registry with ipwatch's settings, and keep its record and its log.

Scrapy's Twisted reactor runs once per process, so ``run_crawl`` starts each crawl in a child
process (``python -m crawlers.run``) and reads back its stats. A spider runs for each source
kind that has sources in the selection.

However the crawl ends, ``run_crawl`` returns a ``CrawlResult`` and the run is recorded
(``crawlers.runs``): the child's time limit passed (it is asked to stop, then killed), the
user pressed Ctrl-C or the process got SIGTERM (forwarded to the child, which closes its
spiders cleanly), or the child broke. The child's log and stderr go to
``<data>/logs/crawl-<time>.log``; its stdout carries one progress line per fetched page.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crawlers.fetchlog import PROGRESS_PREFIX as PROGRESS
from crawlers.registry import load_registry, select
from crawlers.runs import finish_run, mark_unfinished, new_log_path, start_run
from kb.core.settings import Settings
from kb.core.store import open_store
from kb.core.workdirs import work_dir

STOP_GRACE = 5.0  # seconds a stopping child gets at each step before it is stopped harder
Progress = Callable[[dict], None]


@dataclass
class CrawlResult:
    stats: dict
    sources: int
    status: str = "finished"  # finished / time_limit / interrupted / failed
    log: str = ""
    run_id: int = 0
    unfinished: int = 0

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
        "IPWATCH_HOST_BUDGET": float(crawl["host_budget"]),
        "IPWATCH_CONFIRM_PAUSE": float(crawl["confirm_pause"]),
        "IPWATCH_MIRROR": crawl["mirror"],
        "IPWATCH_STORE": str(store_path),
        "LOG_LEVEL": "INFO",
    }


class _Stopper:
    """SIGINT/SIGTERM while the child runs: remember it and ask the child to stop."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.signalled = False
        self._old: dict[int, object] = {}

    def __enter__(self) -> "_Stopper":
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)

    def _on_signal(self, signum, frame) -> None:
        self.signalled = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)


def _relay(stream, log, progress: Progress | None) -> None:
    for line in stream:
        if line.startswith(PROGRESS):
            if progress:
                progress(json.loads(line[len(PROGRESS):]))
        else:
            log.write(line)
            log.flush()


def _stop(proc: subprocess.Popen, asked: bool = False) -> None:
    """Stop the child: SIGTERM (Scrapy closes its spiders, waiting for downloads in flight),
    then a second SIGTERM (Scrapy stops at once, the stats are still written), then SIGKILL."""
    for step in ("term", "term", "kill"):
        if proc.poll() is not None:
            return
        if step == "kill":
            proc.kill()
        elif not asked:
            proc.send_signal(signal.SIGTERM)
        asked = False
        try:
            proc.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            continue


def _supervise(cmd: list[str], log_path: Path, timeout: float,
               progress: Progress | None) -> tuple[str, int]:
    """Run the child to its end; (status, exit code). Never raises for how it ended."""
    deadline = time.monotonic() + timeout
    with open(log_path, "a", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True,
                                start_new_session=True,  # Ctrl-C reaches it only through us
                                env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        reader = threading.Thread(target=_relay, args=(proc.stdout, log, progress), daemon=True)
        reader.start()
        status = "finished"
        with _Stopper(proc) as stopper:
            while proc.poll() is None:
                if stopper.signalled:
                    status = "interrupted"
                    _stop(proc, asked=True)
                elif time.monotonic() > deadline:
                    status = "time_limit"
                    _stop(proc)
                time.sleep(0.2)
            if stopper.signalled:
                status = "interrupted"
        reader.join(5)
    return status, proc.returncode


def run_crawl(settings: Settings, sources: str | Path | None = None, only: str | None = None,
              timeout: float | None = None, scrapy_overrides: dict | None = None,
              progress: Progress | None = None) -> CrawlResult:
    """Crawl the selected sources into the store of ``settings``; return the merged stats.

    ``timeout`` (default ``crawl.time_limit``) bounds the whole crawl; ``progress`` gets one
    dict per fetched page (``source_id, url, outcome, detail``); ``scrapy_overrides``
    (tests, benchmarks) are Scrapy settings applied last."""
    from crawlers.pipelines import sync_sources

    chosen = select(load_registry(sources), only)  # validate before starting anything
    timeout = float(timeout or settings["crawl"]["time_limit"])
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log_path = new_log_path(settings.data_dir)
    with open_store(settings) as store:
        sync_sources(store, chosen)  # so that an unfinished source can be recorded as such
        run_id, started = start_run(store, [s.id for s in chosen], log_path)
    with work_dir(settings.data_dir, "crawl") as tmp:
        out = tmp / "stats.json"
        job = tmp / "job.json"
        job.write_text(json.dumps({
            "settings": {**scrapy_settings(settings, settings.store_path),
                         "LOG_FILE": str(log_path), **(scrapy_overrides or {})},
            "sources": str(sources) if sources else None,
            "only": only,
            "stats_file": str(out),
        }), encoding="utf-8")
        status, code = _supervise([sys.executable, "-m", "crawlers.run", str(job)],
                                  log_path, timeout, progress)
        stats = json.loads(out.read_text("utf-8")) if out.exists() else {}
    if status == "finished" and (code != 0 or not stats):
        status = "failed"
    with open_store(settings) as store:
        unfinished = mark_unfinished(store, [(s.id, s.url) for s in chosen], started)
        finish_run(store, run_id, status, stats)
    return CrawlResult(stats=stats, sources=len(chosen), status=status, log=str(log_path),
                       run_id=run_id, unfinished=unfinished)


def _stop_when_orphaned(process) -> None:
    """An ``ipwatch crawl`` killed with -9 cannot stop its child: the child stops itself."""
    from twisted.internet import task

    parent = os.getppid()

    def check() -> None:
        if os.getppid() != parent:
            process.stop()

    task.LoopingCall(check).start(1.0, now=False)


def _child(job_file: str) -> None:
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings as ScrapySettings
    from scrapy.spiderloader import SpiderLoader

    job = json.loads(Path(job_file).read_text("utf-8"))
    scrapy_conf = ScrapySettings()
    scrapy_conf.setmodule("crawlers.settings", priority="project")
    scrapy_conf.update(job["settings"], priority="cmdline")
    chosen = select(load_registry(job["sources"]), job["only"])
    scrapy_conf.set("IPWATCH_TLS_INSECURE", [s.url for s in chosen if not s.tls_verify],
                    priority="cmdline")
    kinds = {s.kind for s in chosen}
    loader = SpiderLoader.from_settings(scrapy_conf)
    process = CrawlerProcess(scrapy_conf)
    crawlers = []
    for name in loader.list():
        spider_cls = loader.load(name)
        if getattr(spider_cls, "kind", "") in kinds:
            crawler = process.create_crawler(spider_cls)
            crawlers.append(crawler)
            process.crawl(crawler, sources=job["sources"], only=job["only"])
    _stop_when_orphaned(process)  # after crawl(): the reactor Scrapy asked for is installed
    process.start()
    merged: dict[str, int] = {}
    for crawler in crawlers:
        for key, value in (crawler.stats.get_stats() or {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
    Path(job["stats_file"]).write_text(json.dumps(merged), encoding="utf-8")


if __name__ == "__main__":
    _child(sys.argv[1])
