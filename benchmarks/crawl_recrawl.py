"""Re-crawl of the unchanged corpus vs the first crawl (same 1,000-page loopback corpus).

Baseline: the first ``ipwatch crawl`` of the corpus (every page fetched, extracted, stored).
Measured: the second crawl of the unchanged corpus — conditional requests from the store's
last snapshot (If-None-Match / If-Modified-Since), answered 304 by the mirror; a page without
validators would cost a hash compare. Figure: ratio = second ÷ first wall time (goal ≤ 0.15).

    PYTHONPATH=.:site python benchmarks/crawl_recrawl.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from crawl_corpus import COMMON_SCRAPY, PAGES, served_corpus, timed  # noqa: E402


def main() -> None:
    from crawlers.run import run_crawl

    with served_corpus() as (server, settings, registry):
        first, one = timed(run_crawl, settings, sources=registry, scrapy_overrides=COMMON_SCRAPY)
        second, two = timed(run_crawl, settings, sources=registry, scrapy_overrides=COMMON_SCRAPY)
    if one.count("stored") != PAGES:
        raise SystemExit("the crawl did not store every page: figures would be meaningless")
    print(f"corpus: {PAGES} pages on loopback (same transport and concurrency, no delay)")
    print(f"baseline first crawl:  {first.wall:.1f} s wall, {first.cpu:.1f} s CPU"
          f"  ({one.count('stored')} stored)")
    print(f"re-crawl, unchanged:   {second.wall:.1f} s wall, {second.cpu:.1f} s CPU"
          f"  ({two.count('not_modified')} not modified, {two.count('unchanged')} unchanged"
          f" by hash, {two.count('stored')} stored, {two.count('changes')} changes)")
    got = [r.stats.get("downloader/response_bytes", 0) / 1e6 for r in (one, two)]
    print(f"bytes received: first {got[0]:.1f} MB, re-crawl {got[1]:.2f} MB")
    inner = [r.stats.get("elapsed_time_seconds", 0) for r in (one, two)]
    print(f"re-crawl ratio second/first: wall {second.wall / first.wall:.2f},"
          f" CPU {second.cpu / first.cpu:.2f}, inside Scrapy {inner[1] / inner[0]:.2f}"
          f"  (goal <= 0.15)")


if __name__ == "__main__":
    main()
