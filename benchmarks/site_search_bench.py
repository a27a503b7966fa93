"""Site search in headless Chromium: the evaluation questions typed into the search box.

Builds the site from the bundled guides (a fresh data folder: no law changes, no reports; with
``--demo``, the site ``ipwatch demo`` builds, with its crawled law changes and sample report),
opens its search page over http (at a sub-path, as a site published in a folder) and from
disk (file://), types every question of search_eval.yaml into the box as keyboard input and
reads the result links in the order shown. Prints recall@5 and MRR per origin, development
half and held-out half separately (``--split``), and the time from the last keystroke to the
frame showing the results (debounce included; goal ≤ 400 ms).

Run: PYTHONPATH=$PWD:$PWD/site .venv/bin/python benchmarks/site_search_bench.py [--split both]
Baseline (``--baseline DIR``): a site built by main before issue 12 (Pagefind with the old
word splitting), e.g. ``git archive main | tar -x -C /tmp/base`` then
``PYTHONPATH=/tmp/base:/tmp/base/site IPWATCH_DATA=$(mktemp -d) python -m ipwatch site build
--out /tmp/base-site``; its results are Pagefind's section links in the order shown.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

import search_eval
from search_eval import evaluate, url_place

from search_browser import Browser, SiteServer  # tests/search_browser.py

PREFIX = "amt/ipwatch"


def build(out: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="ipw-site-bench-") as data:
        env = {**os.environ, "IPWATCH_DATA": data}
        subprocess.run([sys.executable, "-m", "ipwatch", "site", "build", "--out", str(out)],
                       env=env, check=True, capture_output=True)
    return out


def build_demo(out: Path, data: Path) -> Path:
    """The site as a new user gets it: ``ipwatch demo`` (crawl of the bundled mirror, sample
    report, site) in a fresh data folder; its law changes and report pages are searched too."""
    env = {**os.environ, "IPWATCH_DATA": str(data)}
    subprocess.run([sys.executable, "-m", "ipwatch", "demo", "--out", str(out)],
                   env=env, check=True, capture_output=True)
    return out


def shipped_hits(browser: Browser, question: str) -> list[tuple[str, str, str]]:
    results = browser.site_search(question)
    return [(*url_place(unquote(r["href"])), r["title"].split(" · ", 1)[-1]) for r in results]


def pagefind_hits(browser: Browser, question: str, timeout: float = 15.0) -> list[tuple[str, str, str]]:
    """The baseline's Pagefind UI: section links (and page links) in the order shown."""
    browser.wait_for("!!document.querySelector('.pagefind-ui__search-input')", 20)
    browser.type_into(".pagefind-ui__search-input", question)
    try:
        browser.wait_for(
            "(() => { const m = document.querySelector('.pagefind-ui__message');"
            f" if (!m || !m.textContent.includes({json.dumps(question)})) return false;"
            " const n = Number((m.textContent.match(/\\d+/) || ['0'])[0]);"
            " const shown = [...document.querySelectorAll('.pagefind-ui__result')];"
            " return shown.length >= Math.min(n, 5); })()", timeout)
    except TimeoutError:
        return []
    links = browser.evaluate(
        "[...document.querySelectorAll('.pagefind-ui__result a.pagefind-ui__result-link')]"
        ".map(a => [a.href, a.textContent.trim()])")
    # section links only: a page's own link (first of each result) answers no question, and
    # counting it would push every section down by one
    return [(*url_place(unquote(href)), text) for href, text in links if "#" in href]


def run(browser: Browser, start_url: str, hits_of, splits: list[str]) -> list[float]:
    browser.goto(start_url)
    latencies = []

    def typed(question: str) -> list[search_eval.Hit]:
        hits = hits_of(browser, question)
        latencies.append(getattr(browser, "last_latency_ms", None) or 0.0)
        return hits

    for split in splits:
        evaluate(split, typed, "", indent="  ")
    return latencies


def latency_report(latencies: list[float]) -> None:
    values = [v for v in latencies if v > 0]
    if len(values) < 2:
        return
    cuts = statistics.quantiles(values, n=100)
    print(f"  last keystroke → results shown (debounce included): p50 {cuts[49]:.0f} ms,"
          f" p95 {cuts[94]:.0f} ms, max {max(values):.0f} ms over {len(values)} (goal ≤ 400 ms;"
          f" load average {os.getloadavg()[0]:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "held_out", "both"), default="dev")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--demo", action="store_true",
                        help="score the site built by `ipwatch demo` in a fresh data folder")
    parser.add_argument("--baseline", type=Path, help="a site built by main (Pagefind) to compare")
    parser.add_argument("--baseline-only", action="store_true")
    args = parser.parse_args()
    splits = ["dev", "held_out"] if args.split == "both" else [args.split]
    print(f"questions: {search_eval.EVAL.name}")
    with tempfile.TemporaryDirectory(prefix="ipw-site-bench-") as tmp, Browser() as browser:
        if args.baseline:
            with SiteServer(args.baseline, prefix=PREFIX) as server:
                print(f"baseline (Pagefind, {args.baseline}), http under /{PREFIX}/:")
                run(browser, server.url + "search.html", pagefind_hits, splits)
            browser.goto(args.baseline.resolve().as_uri() + "/search.html")
            time.sleep(5)
            shown = browser.evaluate("document.querySelectorAll('.pagefind-ui__search-input').length")
            print(f"baseline from file://: search box present: {bool(shown)}; "
                  f"results for 专利: {len(pagefind_hits(browser, '专利', timeout=10)) if shown else 0}")
        if args.baseline_only:
            return
        if args.site:
            site = args.site
        elif args.demo:
            started = time.perf_counter()
            site = build_demo(Path(tmp) / "site", Path(tmp) / "data")
            print(f"site built by `ipwatch demo` in {time.perf_counter() - started:.0f} s")
        else:
            site = build(Path(tmp) / "site")
        with SiteServer(site, prefix=PREFIX) as server:
            print(f"shipped, http under /{PREFIX}/:")
            latency_report(run(browser, server.url + "search.html", shipped_hits, splits))
        print("shipped, file://:")
        latency_report(run(browser, site.resolve().as_uri() + "/search.html", shipped_hits, splits))


if __name__ == "__main__":
    main()
