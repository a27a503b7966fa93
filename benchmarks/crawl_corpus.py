"""The benchmark corpus: 1,000 law pages on 20 hosts, served by the loopback mirror.

Each page is a stretch of a real German law text (the demo's law history) rendered like
gesetze-im-internet.de, about 150 KB — the size of a mid-sized law's full-text page (the
live PatG page is larger). ``build(dest)`` writes the mirror folder and a registry
of 1,000 ``law_page`` sources; ``bench_settings`` gives ipwatch settings that point at it.
"""
from __future__ import annotations

import contextlib
import os
import tempfile

import resource
import subprocess
import sys
import time
from pathlib import Path

import yaml

import markdown

from crawlers.demo_mirror import PAGE, history_root
from crawlers.mirror import mirror_path

PAGES = 1000
HOSTS = 20
SLICE = 150_000  # characters of law-text HTML per page


def _bodies() -> list[list[str]]:
    """Each law text rendered once to HTML, as a list of block lines."""
    return [markdown.markdown(p.read_text("utf-8")).splitlines()
            for p in sorted(history_root().glob("*/new.md"))]


def _slice(lines: list[str], start: int) -> str:
    out, size = [], 0
    for line in lines[start:] + lines[:start]:
        out.append(line)
        size += len(line)
        if size >= SLICE:
            break
    return "\n".join(out)


def page_url(number: int) -> str:
    return f"https://law-{number % HOSTS:02d}.example/gesetz/{number:04d}.html"


def build(dest: Path) -> tuple[Path, Path]:
    """Write the mirror under ``dest/mirror`` and the registry ``dest/sources.yaml``."""
    mirror, bodies, sources = dest / "mirror", _bodies(), []
    for number in range(PAGES):
        lines = bodies[number % len(bodies)]
        body = f"<h1>Gesetz Nr. {number}</h1>\n" + _slice(lines, (number * 97) % len(lines))
        target = mirror / mirror_path(page_url(number))
        target.parent.mkdir(parents=True, exist_ok=True)
        page = PAGE.format(title=f"Gesetz {number}", stand="2026-01-01", counter=number, body=body)
        target.write_text(page, "utf-8")
        sources.append({"id": f"de-bench-{number:04d}", "kind": "law_page",
                        "title": f"Gesetz {number}", "url": page_url(number), "rights": ["patent"],
                        "language": "de", "extract": {"css": "div#paddingLR12"}})
    for host in range(HOSTS):
        robots = mirror / f"law-{host:02d}.example" / "robots.txt"
        robots.write_text("User-agent: *\nDisallow: /cgi-bin/\n", "utf-8")
    registry = dest / "sources.yaml"
    registry.write_text(yaml.safe_dump({"jurisdiction": "DE", "sources": sources}), "utf-8")
    return mirror, registry


# Same transport, concurrency and delay for ipwatch and the bare spider: only the work differs.
COMMON_SCRAPY = {
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "CONCURRENT_ITEMS": 8,  # ipwatch's setting; Scrapy's default (100) costs the bare spider
    "LOG_LEVEL": "WARNING",
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Timing:
    """Wall time and the CPU time of the child processes (the crawl) of one run."""

    def __init__(self, wall: float, cpu: float):
        self.wall, self.cpu = wall, cpu


def timed(fn, *args, **kwargs) -> tuple[Timing, object]:
    started, cpu = time.perf_counter(), _children_cpu()
    result = fn(*args, **kwargs)
    return Timing(time.perf_counter() - started, _children_cpu() - cpu), result


def run_bare(mirror_url: str) -> Timing:
    """A bare Scrapy spider over the corpus, in a subprocess like ipwatch's crawl."""
    script = Path(__file__).with_name("bare_spider.py")
    timing, _ = timed(subprocess.run, [sys.executable, str(script), mirror_url, str(PAGES)],
                      check=True)
    return timing


@contextlib.contextmanager
def served_corpus():
    """The corpus built in a temporary folder and served by the mirror, with crawl settings
    pointing at it (fresh data folder, no delay): yields ``(server, settings, registry)``."""
    with tempfile.TemporaryDirectory(prefix="ipwatch-bench-") as tmp:
        root = Path(tmp)
        os.environ["IPWATCH_DATA"] = str(root / "data")
        from crawlers.mirror import MirrorServer
        from kb.core.settings import load_settings

        mirror, registry = build(root)
        with MirrorServer([mirror]) as server:
            settings = load_settings().with_values(crawl={"mirror": server.url,
                                                          "download_delay": 0.001})
            yield server, settings, registry
