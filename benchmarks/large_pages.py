"""Re-crawl time of large changed pages (issue 9 item 4, issue 10 item 2), by real crawls.

Pages, each crawled once (first state) and then re-crawled after a change, through
``ipwatch crawl``'s code (``crawlers.run.run_crawl``) and the loopback mirror:

- ``one-unit-590k``: a 590 KB page without any article heading (one unit), one word changed;
- ``one-line-5m``: a 5 MB page that is a single line, one word changed;
- ``patg-one-unit``: the real PatG (two published versions) read with a numbering style that
  finds no heading, so the whole law is one unit;
- ``us-title``: a whole US Code title laid out like uscode.house.gov (Title 4's sections
  repeated under new numbers up to the size of Title 35), a new release (every section
  restamped, a few sections amended).

Figure: wall time of the re-crawl (goal: ≤ 5 s for the first two, ≤ 30 s for the US title),
beside the crawl's own elapsed time and an unchanged re-crawl (a 304: the fixed cost of
starting a crawl process on this machine).
Baseline: the comparison these pages got before (one ``difflib`` word diff over the whole unit),
timed on the same texts in a child process and stopped at ``BASELINE_LIMIT`` seconds.

    PYTHONPATH=. python benchmarks/large_pages.py
"""
from __future__ import annotations

import gzip
import multiprocessing
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crawlers.lawpages import SOURCES, olrc_blocks, render  # noqa: E402
from crawlers.mirror import mirror_path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BASELINE_LIMIT = 60.0
SENTENCE = "The court may award damages adequate to compensate for the infringement"


def _filler(size: int, separator: str) -> str:
    parts, total, n = [], 0, 0
    while total < size:
        part = f"{SENTENCE} under paragraph {n} of this part."
        parts.append(part)
        total += len(part) + 1
        n += 1
    return separator.join(parts)


def _one_word(text: str) -> str:
    at = text.index(" may ", len(text) // 2)
    return text[:at] + " shall " + text[at + 5:]


def _page(body: str) -> str:
    return f"<html><body><main><p>{body}</p></main></body></html>"


def _us_title(text: str, copies: int) -> str:
    """Title 4's release text with its section blocks repeated ``copies`` times, renumbered."""
    head, _, rest = text.partition("-CITE-")
    blocks = ["-CITE-" + b for b in rest.split("-CITE-")]
    out = [head]
    for copy in range(copies):
        for block in blocks:
            out.append(re.sub(r"\bSec\. (\d+)", lambda m: f"Sec. {int(m.group(1)) + 1000 * copy}",
                              block))
    return "".join(out)


def cases() -> dict[str, tuple[dict, str, str]]:
    """name → (registry entry without id/url, old page, new page)."""
    one_unit = _filler(590_000, "\n")
    one_line = _filler(5_000_000, " ")
    patg = ROOT / "crawlers/demo_data/law-history/de/patg__5710c0a6"
    us = ROOT / "benchmarks/data/law-history/us"
    title_old = _us_title(gzip.open(us / "title04_20120414.txt.gz", "rt").read(), 12)
    title_new = _us_title(gzip.open(us / "title04_20130423.txt.gz", "rt").read(), 12)
    plain = {"language": "en", "numbering": "tr_madde"}  # no heading of this style anywhere
    return {
        "one-unit-590k": (plain, _page(one_unit), _page(_one_word(one_unit))),
        "one-line-5m": (plain, _page(one_line), _page(_one_word(one_line))),
        "patg-one-unit": ({"language": "de", "numbering": "tr_madde"},
                          render("de", (patg / "old.md").read_text("utf-8"), 1).body,
                          render("de", (patg / "new.md").read_text("utf-8"), 2).body),
        "us-title": (SOURCES["us"], render("us", title_old, 1).body, render("us", title_new, 2).body),
    }


def crawl_times(pages: dict[str, tuple[dict, str, str]]) -> dict[str, tuple[float, float, int]]:
    from crawlers.mirror import MirrorServer
    from crawlers.run import run_crawl
    from kb.core.settings import load_settings

    times = {}
    with tempfile.TemporaryDirectory(prefix="ipwatch-large-") as tmp:
        root = Path(tmp)
        for name, (entry, old, new) in pages.items():
            os.environ["IPWATCH_DATA"] = str(root / name / "data")
            url = f"https://{name}.law.example/law.html"
            registry = root / name / "sources.yaml"
            source = {"id": name, "kind": "law_page", "title": name, "url": url,
                      "rights": ["patent"], **entry}
            registry.parent.mkdir(parents=True)
            registry.write_text(yaml.safe_dump({"jurisdiction": "US", "sources": [source]}), "utf-8")
            states = [_state(root / name / s, url, page) for s, page in (("1", old), ("2", new))]
            with MirrorServer([states[0]]) as server:
                # the confirming second fetch is made and counted, without its 120 s politeness pause
                settings = load_settings().with_values(crawl={"mirror": server.url, "confirm_pause": 0.05})
                overrides = {"DOWNLOAD_DELAY": 0, "DOWNLOAD_MAXSIZE": 64 * 2**20}
                started = time.perf_counter()
                run_crawl(settings, sources=registry, scrapy_overrides=overrides)
                first = time.perf_counter() - started
                server.set_layers([states[1]])
                started = time.perf_counter()
                result = run_crawl(settings, sources=registry, scrapy_overrides=overrides)
                again = time.perf_counter() - started
                started = time.perf_counter()
                run_crawl(settings, sources=registry, scrapy_overrides=overrides)  # a 304
                unchanged = time.perf_counter() - started
                times[name] = (first, again, result.stats.get("elapsed_time_seconds", 0.0),
                               unchanged, result.count("changes"))
    return times


def _state(folder: Path, url: str, page: str) -> Path:
    target = folder / mirror_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, "utf-8")
    (target.parent / "robots.txt").write_text("User-agent: *\nDisallow:\n", "utf-8")
    return folder


def _old_redline(old: str, new: str) -> None:
    """The comparison before: one difflib word diff over the whole unit."""
    import difflib

    words = re.compile(r"\s+|\w+|[^\w\s]")
    difflib.SequenceMatcher(None, words.findall(old), words.findall(new), autojunk=False).get_opcodes()


def baseline_seconds(old_page: str, new_page: str) -> str:
    from crawlers.extract import extract

    old, new = extract(old_page).text, extract(new_page).text
    child = multiprocessing.Process(target=_old_redline, args=(old, new))
    started = time.perf_counter()
    child.start()
    child.join(BASELINE_LIMIT)
    if child.is_alive():
        child.terminate()
        child.join()
        return f"> {BASELINE_LIMIT:.0f} s"
    return f"{time.perf_counter() - started:.1f} s"


def main() -> None:
    pages = cases()
    times = crawl_times(pages)
    print(f"{'page':<15} {'size':>8}  {'first crawl':>11}  {'re-crawl':>8}  {'in Scrapy':>9}"
          f"  {'304 re-crawl':>12}  changes  baseline (whole-unit word diff)")
    for name, (first, again, inside, unchanged, changes) in times.items():
        size = len(pages[name][2].encode()) / 1e6
        baseline = baseline_seconds(pages[name][1], pages[name][2])
        print(f"{name:<15} {size:>6.2f}MB  {first:>9.1f} s  {again:>6.1f} s  {inside:>7.1f} s"
              f"  {unchanged:>10.1f} s  {changes:>7}  {baseline}")
    print("re-crawl: wall time of `ipwatch crawl`'s run (child process start included); in Scrapy:"
          " the crawl's own elapsed time; 304 re-crawl: the same page unchanged (fixed cost)")


if __name__ == "__main__":
    main()
