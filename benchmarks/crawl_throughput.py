"""Pipeline throughput vs a bare Scrapy spider on the same 1,000-page loopback corpus.

Baseline: ``bare_spider.py`` (Scrapy fetching the pages and taking their text, nothing else).
Measured: ``ipwatch crawl`` (``crawlers.run.run_crawl``) — robots.txt per RFC 9309, host guard,
pacer, revalidation, decoding, extraction, fetch-problem checks, snapshots in SQLite.
Both run in a subprocess with the same transport, concurrency and zero delay.
Figure: ratio = ipwatch pages/s ÷ bare pages/s (goal ≥ 0.7).

    PYTHONPATH=.:site python benchmarks/crawl_throughput.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from crawl_corpus import COMMON_SCRAPY, PAGES, run_bare, served_corpus, timed  # noqa: E402


def main() -> None:
    from crawlers.run import run_crawl

    with served_corpus() as (server, settings, registry):
        bare = run_bare(server.url)
        ours, result = timed(run_crawl, settings, sources=registry,
                             scrapy_overrides=COMMON_SCRAPY)
    stored = result.count("stored")
    if stored != PAGES:
        raise SystemExit("the crawl did not store every page: figures would be meaningless")
    print(f"corpus: {PAGES} pages on loopback (same transport and concurrency, no delay)")
    print(f"baseline bare Scrapy spider: {bare.wall:.1f} s wall ({PAGES / bare.wall:.0f} pages/s),"
          f" {bare.cpu:.1f} s CPU")
    print(f"ipwatch crawl pipeline:      {ours.wall:.1f} s wall ({PAGES / ours.wall:.0f} pages/s),"
          f" {ours.cpu:.1f} s CPU; {stored} snapshots stored, {result.count('problem')} problems")
    print(f"throughput ratio ipwatch/bare: wall {bare.wall / ours.wall:.2f},"
          f" CPU {bare.cpu / ours.cpu:.2f}  (goal >= 0.7)")


if __name__ == "__main__":
    main()
