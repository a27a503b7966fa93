"""Staff search (kb.guides.search, whoosh + rjieba): index build time, query latency, recall and MRR.

1. A synthetic corpus of 10,000 guide-like sections, made by drawing sentences of the bundled
   guides at random (fixed seed) and giving each a jurisdiction, right and part: time to build
   the index from nothing, to refresh it when nothing changed, and when one section changed;
   then query latency (open the index, search, highlight — what ``ipwatch search`` does),
   p50/p95 over the query set, several rounds. Goal: p95 ≤ 20 ms on this machine.
2. Quality on the query set (search_queries.yaml) over the benchmark corpus (search_corpus.py):
   recall@5 and MRR of the pages of the hits, as ``ipwatch search`` ranks them.

Run: PYTHONPATH=$PWD:$PWD/site /work/venv/bin/python benchmarks/search_bench.py [--sections N]
Baseline: the goal p95 ≤ 20 ms; recall@5 of the site search on the same set (site_search_bench).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from search_corpus import corpus_pages, load_queries, recall_and_mrr, sections

from kb.guides import search
from kb.guides import load_guides
from kb.guides.search import Doc

JURISDICTIONS = ["US", "EU", "DE", "FR", "GB", "JP", "KR", "IN", "BR", "RU", "TR", "AU", "INTL"]
RIGHTS = ["patent", "utility_model", "design", "trademark", "copyright", "trade_secret"]
PARTS = ["laws", "institutions", "practice", "services"]


def sentences() -> list[str]:
    text = "\n".join(search.plain_text(s.text) for g in load_guides() for s in g.sections)
    return [s.strip() for s in re.split(r"(?<=[。；！？])|\n", text) if len(s.strip()) > 8]


def synthetic_docs(count: int, seed: int = 7) -> list[Doc]:
    pool = sentences()
    rng = random.Random(seed)
    docs = []
    for number in range(count):
        body = "".join(rng.sample(pool, k=min(len(pool), rng.randint(3, 8))))
        place = rng.choice(JURISDICTIONS)
        part = rng.choice(PARTS)
        docs.append(Doc(
            id=f"synthetic:{number}", kind="guide", jurisdiction=place,
            right=" ".join(rng.sample(RIGHTS, k=2)), part=part, title=f"{place} {part} 第{number}节",
            body=body, url=f"guides/{place.lower()}/{part}.html#s{number}",
        ))
    return docs


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def speed(count: int, rounds: int) -> None:
    docs = synthetic_docs(count)
    queries = [q["query"] for q in load_queries()]
    with tempfile.TemporaryDirectory(prefix="ipw-search-bench-") as tmp:
        folder = Path(tmp) / "index"
        stats, built = timed(search.update_index, folder, docs)
        print(f"corpus: {count} sections, {sum(len(d.body) for d in docs) / count:.0f} chars each")
        print(f"index build from nothing: {built:.1f} s ({stats.added} added)")
        _, same = timed(search.update_index, folder, docs)
        print(f"refresh, nothing changed: {same * 1000:.0f} ms")
        edited = docs[:-1] + [Doc(**{**docs[-1].__dict__, "body": docs[-1].body + "新增一句。"})]
        stats, one = timed(search.update_index, folder, edited)
        print(f"refresh, one section changed: {one * 1000:.0f} ms ({stats.updated} replaced)")
        search.search_index(folder, "专利")  # warm the segmenter's dictionary and the OS cache
        latencies = []
        for _ in range(rounds):
            for query in queries:
                _, seconds = timed(search.search_index, folder, query, limit=10)
                latencies.append(seconds * 1000)
        cuts = statistics.quantiles(latencies, n=100)
        print(f"query latency over {len(latencies)} searches: p50 {cuts[49]:.1f} ms,"
              f" p95 {cuts[94]:.1f} ms, max {max(latencies):.1f} ms (goal p95 ≤ 20 ms;"
              f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        _filtered_latency(folder, queries)


def _filtered_latency(folder: Path, queries: list[str]) -> None:
    latencies = []
    for query in queries:
        _, seconds = timed(search.search_index, folder, query, jurisdiction="US", right="patent")
        latencies.append(seconds * 1000)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"with --jurisdiction US --right patent: p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms")


def quality() -> None:
    queries = load_queries()
    docs = [
        Doc(id=f"{page.name}#{number}", kind="guide", jurisdiction="", right="", part="laws",
            title=f"{page.title} · {heading}", body=search.plain_text(text), url=page.name)
        for page in corpus_pages()
        for number, (heading, text) in enumerate(sections(page))
    ]
    with tempfile.TemporaryDirectory(prefix="ipw-search-quality-") as tmp:
        folder = Path(tmp) / "index"
        search.update_index(folder, docs)
        ranked = {
            q["query"]: list(dict.fromkeys(h["url"] for h in search.search_index(folder, q["query"], limit=20)))
            for q in queries
        }
    recall, mrr = recall_and_mrr(ranked, queries)
    missed = [q["query"] for q in queries if not set(ranked[q["query"]][:5]) & set(q["pages"])]
    print(f"ipwatch search on {len(queries)} queries, {len(docs)} sections:"
          f" recall@5 = {recall:.3f}, MRR = {mrr:.3f}; missed: {' '.join(missed) or '—'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    quality()
    speed(args.sections, args.rounds)


if __name__ == "__main__":
    main()
