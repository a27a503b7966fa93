"""Staff search (``ipwatch search``): quality on the evaluation set, query latency, command time.

1. Quality: every question of search_eval.yaml against an index of the bundled guides
   (``kb.guides.search``), recall@5 and MRR, the development half and the held-out half
   printed separately (``--split``; the held-out half is scored once, at the end).
2. Latency: 10,000 synthetic guide-like sections (sentences of the bundled guides drawn at
   random, fixed seed); index build, refresh, then query latency — open the index, parse,
   rank, snippets: what one ``ipwatch search`` does — p50/p95 over the evaluation questions,
   and the same with the searcher kept open between searches (a site build, a long session).
   ``--profile`` prints where the time of those queries goes (cProfile).
3. The command: wall time of ``ipwatch search QUERY`` (index up to date) and of
   ``ipwatch search --help`` (start-up: imports and the command line, no index), medians.

With ``--demo``, quality is measured on the data folder of a fresh ``ipwatch demo`` (guides,
law changes, sample report). ``--compare BASE`` measures latency and build of this code and of
a baseline checkout in turns (see ``compare``).

Run: PYTHONPATH=$PWD:$PWD/site .venv/bin/python benchmarks/search_bench.py [--split both]
Baseline: the same script with PYTHONPATH pointing at a checkout of main before issue 12
(``git archive main | tar -x -C /tmp/base``; PYTHONPATH=/tmp/base:/tmp/base/site): the
search as it was; goals p95 ≤ 20 ms, held-out recall@5 ≥ 0.9 and MRR ≥ 0.8.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import search_eval
from search_eval import evaluate, load

from kb.guides import load_guides, search
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
        place, part = rng.choice(JURISDICTIONS), rng.choice(PARTS)
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


def quality(splits: list[str], demo_data: Path | None = None) -> None:
    """Against an index of the bundled guides; with ``demo_data`` (a data folder where
    ``ipwatch demo`` ran), against that folder's own index: guides, law changes, report."""
    with tempfile.TemporaryDirectory(prefix="ipw-search-quality-") as tmp:
        if demo_data is None:
            folder = Path(tmp) / "index"
            search.update_index(folder, search.guide_docs())
            label = "ipwatch search, "
        else:
            from kb.core.settings import load_settings
            from kb.core.store import open_store

            os.environ["IPWATCH_DATA"] = str(demo_data)
            settings = load_settings()
            with open_store(settings) as store:
                stats = search.refresh(settings, store)
            folder = search.index_dir(settings)
            label = f"ipwatch search on the demo's data ({stats.added + stats.updated + stats.unchanged} documents), "

        def hits_of(question: str) -> list[search_eval.Hit]:
            hits = search.search_index(folder, question, limit=10)
            return [(h["jurisdiction"], h["part"], h["title"].split(" · ", 1)[-1]) for h in hits]

        for split in splits:
            evaluate(split, hits_of, label)


def run_demo(data: Path) -> Path:
    """``ipwatch demo`` in a fresh data folder; returns the demo's own data folder."""
    env = {**os.environ, "IPWATCH_DATA": str(data)}
    subprocess.run([sys.executable, "-m", "ipwatch", "demo", "--out", str(data / "site")],
                   env=env, check=True, capture_output=True)
    return data / "demo"


def speed(count: int, rounds: int, profile: bool) -> None:
    docs = synthetic_docs(count)
    queries = [q["q"] for q in load()]
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
        # the latencies in a new process, as a command has it: not behind the ~300 MB of
        # objects the build leaves in this one (Python's collector walks them while a search
        # allocates, which made the figures of one build differ from the next)
        sys.stdout.flush()
        subprocess.run([sys.executable, __file__, "--index", str(folder), "--rounds", str(rounds)]
                       + (["--profile"] if profile else []), check=True)


def _latencies(folder: Path, queries: list[str], rounds: int, filters: dict,
               fresh: bool = True) -> list[tuple[float, float]]:
    """(wall, CPU) milliseconds per search: on a shared machine the wall time mostly measures
    the other processes; the CPU time of the process is the search's own cost. ``fresh``:
    every search opens the index (as a command does); otherwise the kept searcher is used.
    Posting lists are never kept from one search to the next."""
    close = getattr(search, "close_searchers", lambda: None)
    out = []
    for _ in range(rounds):
        for query in queries:
            if fresh:
                close()
            cpu = time.process_time()
            _, seconds = timed(search.search_index, folder, query, limit=10, **filters)
            out.append((seconds * 1000, (time.process_time() - cpu) * 1000))
    return out


def _report(label: str, latencies: list[tuple[float, float]]) -> None:
    wall = statistics.quantiles([w for w, _ in latencies], n=100)
    cpu = statistics.quantiles([c for _, c in latencies], n=100)
    print(f"{label} over {len(latencies)} searches: wall p50 {wall[49]:.1f} ms, p95 {wall[94]:.1f} ms;"
          f" CPU p50 {cpu[49]:.1f} ms, p95 {cpu[94]:.1f} ms (goal p95 ≤ 20 ms; load average"
          f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def latency_only(folder: Path, rounds: int, profile: bool = False) -> None:
    """Query latency on an index built earlier (by ``speed`` or by the baseline's code)."""
    queries = [q["q"] for q in load()]
    search.search_index(folder, "专利")  # warm the OS cache
    _report("query latency, index opened for each search (one `ipwatch search` command)",
            _latencies(folder, queries, rounds, {}, fresh=True))
    _report("with --jurisdiction US --right patent",
            _latencies(folder, queries, 1, {"jurisdiction": "US", "right": "patent"}, fresh=True))
    if hasattr(search, "open_searcher"):
        _report("query latency, searcher kept open (many searches in one process: site build)",
                _latencies(folder, queries, rounds, {}, fresh=False))
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(_latencies, folder, queries, 1, {}, fresh=True)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def build_only(folder: Path, count: int) -> None:
    """Build the synthetic index in ``folder`` (``--build``; used by ``compare``)."""
    _, built = timed(search.update_index, folder, synthetic_docs(count))
    print(json.dumps({"build_s": built}))


def one_pass(folder: Path, mode: str) -> None:
    """One pass over the questions (``--pass``; used by ``compare``): (wall, CPU) ms as JSON."""
    queries = [q["q"] for q in load()]
    search.search_index(folder, "专利")  # warm the OS cache
    print(json.dumps(_latencies(folder, queries, 1, {}, fresh=(mode == "fresh"))))


def compare(base: Path, count: int, pairs: int) -> None:
    """This code against the code in ``base``, measured in turns: on a machine whose load
    swings from one minute to the next, two runs one after the other compare the minutes,
    not the code. Each tree builds its own index (in a new process, timed); then ``pairs``
    times a pass of this tree and a pass of the base's, each in a new process."""
    here = Path(search.__file__).resolve().parents[2]
    trees = {"this version": here, f"base ({base})": base.resolve()}
    started = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="ipw-search-compare-") as tmp:
        runs: dict[str, dict] = {}
        for label, root in trees.items():
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "site")])}
            folder = Path(tmp) / f"index-{len(runs)}"
            out = subprocess.run([sys.executable, __file__, "--build", str(folder), "--sections", str(count)],
                                 env=env, check=True, capture_output=True, text=True).stdout
            runs[label] = {"env": env, "folder": folder, "build": json.loads(out.splitlines()[-1])["build_s"],
                           "fresh": [], "kept": []}
        for _ in range(pairs):
            for label, run in runs.items():
                for mode in ("fresh", "kept"):
                    out = subprocess.run([sys.executable, __file__, "--pass", mode, "--index", str(run["folder"])],
                                         env=run["env"], check=True, capture_output=True, text=True).stdout
                    run[mode] += json.loads(out.splitlines()[-1])
    print(f"{count} sections, {pairs} passes of each in turns (load average {started:.1f} at the start)")
    for label, run in runs.items():
        print(f"{label}: index build from nothing {run['build']:.1f} s")
        _report(f"  {label}, index opened for each search", run["fresh"])
        _report(f"  {label}, searcher kept open (where the code keeps it)", run["kept"])


def command(runs: int) -> None:
    """Wall time of the whole command, in fresh processes (the index brought up to date first)."""
    root = Path(search.__file__).resolve().parents[2]  # the code measured (this tree or a baseline)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "site")])}
    with tempfile.TemporaryDirectory(prefix="ipw-search-cmd-") as data:
        env["IPWATCH_DATA"] = data
        run = [sys.executable, "-m", "ipwatch", "search"]
        subprocess.run(run + ["reindex"], env=env, check=True, capture_output=True)
        for label, args in (("ipwatch search 美国律师函", ["美国律师函"]), ("ipwatch search --help", ["--help"])):
            walls = []
            for _ in range(runs):
                _, seconds = timed(subprocess.run, run + args, env=env, check=True, capture_output=True)
                walls.append(seconds)
            print(f"{label}: median {statistics.median(walls):.2f} s, min {min(walls):.2f} s over {runs}"
                  f" runs (load average {os.getloadavg()[0]:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "held_out", "both"), default="dev")
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only", choices=("quality", "speed", "command"))
    parser.add_argument("--index", type=Path, help="measure query latency on this index only")
    parser.add_argument("--compare", type=Path, metavar="BASE",
                        help="latency of this code and of the code in BASE (a checkout), in turns")
    parser.add_argument("--pairs", type=int, default=6, help="passes of each in --compare")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pass", dest="one_pass", choices=("fresh", "kept"), help=argparse.SUPPRESS)
    parser.add_argument("--demo", action="store_true",
                        help="quality on the data of a fresh `ipwatch demo` (guides, law changes, report)")
    parser.add_argument("--demo-data", type=Path, help="quality on this demo data folder (…/demo)")
    args = parser.parse_args()
    if args.build:
        build_only(args.build, args.sections)
        return
    if args.one_pass:
        one_pass(args.index, args.one_pass)
        return
    if args.compare:
        compare(args.compare, args.sections, args.pairs)
        return
    if args.index:
        latency_only(args.index, args.rounds, args.profile)
        return
    print(f"search code: {Path(search.__file__).resolve()}; questions: {search_eval.EVAL.name}")
    if args.only in (None, "quality"):
        splits = ["dev", "held_out"] if args.split == "both" else [args.split]
        if args.demo and not args.demo_data:
            with tempfile.TemporaryDirectory(prefix="ipw-search-demo-") as data:
                quality(splits, run_demo(Path(data)))
        else:
            quality(splits, args.demo_data)
    if args.only in (None, "speed"):
        speed(args.sections, args.rounds, args.profile)
    if args.only in (None, "command"):
        command(args.runs)


if __name__ == "__main__":
    main()
