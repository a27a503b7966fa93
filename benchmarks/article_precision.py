"""Which article changed: precision / recall / F1 of ipwatch vs a line diff, on real histories.

Cases: ``data/law-history/cases.yaml`` (German, Japanese, French and US amendment histories,
split into a tuning and a held-out part before tuning; see ``lawcases.py``). Each version is
served as its official site renders it (``crawlers.lawpages``: gesetze-im-internet-like,
Légifrance-like, e-Gov page AND e-Gov API XML for Japan, uscode-like) with per-request noise.

- default (``--crawl``): three real ``ipwatch crawl`` runs through the loopback mirror with one
  registry entry per law page — the old versions, the new versions, then the new versions again
  with fresh noise (must give 0 alerts); the change records are read back from the store.
- ``--direct``: the same pages, extracted with the crawler's ``extract_body`` and compared with
  ``compare_texts`` in this process (fast, for tuning; same code path minus Scrapy and store).

Truth entries listed as ``artefacts`` in cases.yaml (not supported by the data set's own
rule) are scored as given, and the figures are printed again with them set aside.

Scored on the set of article keys reported (any change; the ``ipwatch changes`` list), and
on (key, added/removed/modified) pairs. Structure units (titre, chapter, 章) and Japanese 附則
blocks are outside the article list; 附則 blocks added are checked apart. The baseline is a
line diff with the obvious heading regex (``lawcases.baseline``), over the same extracted text.

Run: ``PYTHONPATH=. python benchmarks/article_precision.py [--direct]``
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lawcases import Case, Score, load_cases, baseline  # noqa: E402

from crawlers.articles import HEADER_ID, id_key  # noqa: E402
from crawlers.compare import compare_texts  # noqa: E402
from crawlers.extract import extract_body  # noqa: E402
from crawlers.lawpages import SOURCES, render  # noqa: E402
from crawlers.mirror import mirror_path  # noqa: E402

SEEDS = {"old": 11, "new": 22, "noise": 33}


def page_kinds(case: Case) -> list[str]:
    return ["jp", "jp-xml"] if case.jurisdiction == "jp" else [case.jurisdiction]


def source_entry(case: Case, kind: str) -> dict:
    ext = "xml" if kind.endswith("xml") else "html"
    return {"id": f"{kind}-{case.name}".replace("_", "-").lower(), "kind": "law_page",
            "title": case.name, "url": f"https://{kind}.law.example/{case.name}.{ext}",
            "rights": ["patent"], **SOURCES[kind]}


def page(case: Case, kind: str, state: str):
    text = case.old if state == "old" else case.new
    return render(case.jurisdiction, text, SEEDS[state], "xml" if kind.endswith("xml") else "html")


def extracted(case: Case, kind: str, state: str) -> str:
    from kb.core.textnorm import normalise

    served = page(case, kind, state)
    text, problem = extract_body(served.body, served.suffix == ".xml", SOURCES[kind]["extract"])
    assert problem is None, (case.name, kind, problem)
    return normalise(text)


class Result:
    def __init__(self, articles: list[dict], substantive: bool, seconds: float):
        self.articles, self.substantive, self.seconds = articles, substantive, seconds


def run_direct(cases: list[Case]) -> tuple[dict, dict]:
    results, noise = {}, {}
    for case in cases:
        for kind in page_kinds(case):
            source = source_entry(case, kind)
            old, new, again = (extracted(case, kind, s) for s in ("old", "new", "noise"))
            started = time.perf_counter()
            comparison = compare_texts(old, new, source)
            results[(case.name, kind)] = Result(comparison.articles, comparison.substantive,
                                                time.perf_counter() - started)
            noisy = new != again and compare_texts(new, again, source).substantive
            noise[(case.name, kind)] = int(noisy)
    return results, noise


def run_crawl(cases: list[Case]) -> tuple[dict, dict]:
    with tempfile.TemporaryDirectory(prefix="ipwatch-articles-") as tmp:
        root = Path(tmp)
        os.environ["IPWATCH_DATA"] = str(root / "data")
        from crawlers.mirror import MirrorServer
        from crawlers.run import run_crawl as crawl
        from kb.core.settings import load_settings
        from kb.core.store import open_store
        from kb.laws.changes import list_changes

        entries = {(c.name, k): source_entry(c, k) for c in cases for k in page_kinds(c)}
        registry = root / "sources.yaml"
        registry.write_text(yaml.safe_dump({"jurisdiction": "DE", "sources": list(entries.values())},
                                           allow_unicode=True), "utf-8")
        states = {s: _write_state(root / s, cases, entries, s) for s in ("old", "new", "noise")}
        counts = {}
        with MirrorServer([states["old"]]) as server:
            settings = load_settings().with_values(crawl={"mirror": server.url,
                                                          "download_delay": 0.001,
                                                          "confirm_pause": 0.05})
            overrides = {"DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 8,
                         "DOWNLOAD_MAXSIZE": 64 * 2**20, "LOG_LEVEL": "WARNING"}
            for state in ("old", "new", "noise"):
                server.set_layers([states[state]])
                started = time.perf_counter()
                run = crawl(settings, sources=registry, scrapy_overrides=overrides)
                counts[state] = (time.perf_counter() - started, run.count("changes"),
                                 run.count("problem"))
        print(f"crawls (wall s, changes, problems): {counts}")
        with open_store(settings) as store:
            changes = list_changes(store)
    by_source = {}
    for change in reversed(changes):  # oldest first
        by_source.setdefault(change["source_id"], []).append(change)
    results, noise = {}, {}
    for key, entry in entries.items():
        found = by_source.get(entry["id"], [])
        first = found[0] if found else {"articles": [], "substantive": False}
        results[key] = Result(first["articles"], first["substantive"], 0.0)
        noise[key] = sum(1 for c in found[1:] if c["substantive"])
    return results, noise


def _write_state(folder: Path, cases: list[Case], entries: dict, state: str) -> Path:
    for (name, kind), entry in entries.items():
        case = next(c for c in cases if c.name == name)
        target = folder / mirror_path(entry["url"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page(case, kind, state).body, "utf-8")
        (target.parent.parent / "robots.txt").write_text("User-agent: *\nDisallow:\n", "utf-8")
    return folder


def scores(case: Case, kind: str, result: Result) -> dict[str, Score]:
    ours = {(id_key(a["id"]), a["change"]) for a in result.articles}
    main = {(k, c) for k, c in ours if not k.startswith("附則")}
    truth_pairs = {(k, kind_) for kind_, keys in case.truth.items() for k in keys}
    truth_any = {k for k, _ in truth_pairs}
    base = baseline(kind, extracted(case, kind, "old"), extracted(case, kind, "new"))
    aside = set(case.artefacts)
    return {"any": Score().add({k for k, _ in main}, truth_any),
            "kind": Score().add(main, truth_pairs),
            "base": Score().add(base, truth_any),
            "clean": Score().add({k for k, _ in main} - aside, truth_any - aside),
            "base_clean": Score().add(base - aside, truth_any - aside)}


def _errors(case: Case, result: Result) -> str:
    ours = {id_key(a["id"]) for a in result.articles if not a["id"].startswith("附則")}
    truth = set().union(*case.truth.values())
    return f"FP {sorted(ours - truth)[:8]} FN {sorted(truth - ours)[:8]}"


def suppl_check(case: Case, result: Result) -> str:
    """Japan: every 附則 block the truth lists as new is among the blocks reported changed."""
    if case.jurisdiction != "jp":
        return ""
    touched = {re.sub(r"第\d+条.*$", "", id_key(a["id"])) for a in result.articles
               if a["id"].startswith("附則")}
    missing = case.suppl_added - touched
    return f"-{len(missing)}" if missing else "ok"


def report(cases: list[Case], results: dict, noise: dict) -> None:
    print(f"{'case':<42} {'part':<8} {'truth':>5}  {'ipwatch P/R/F1 (any)':>20}  "
          f"{'(kind)':>17}  {'line diff P/R/F1':>17}  {'s':>5}  附則  noise alerts")
    totals: dict[tuple[str, str], dict[str, Score]] = {}
    for case in cases:
        for kind in page_kinds(case):
            result = results[(case.name, kind)]
            score = scores(case, kind, result)
            for group in ((kind, case.part), (kind, "all")):
                bucket = totals.setdefault(group, {k: Score() for k in score})
                for k, s in score.items():
                    bucket[k] += s
            n = sum(len(v) for v in case.truth.values())
            worse = " <base" if score["any"].f1 < score["base"].f1 else ""
            if os.environ.get("ARTICLES_DEBUG"):
                worse += f" {_errors(case, result)}"
            print(f"{kind + ':' + case.name:<42} {case.part:<8} {n:>5}  {score['any'].cell():>20}"
                  f"  {score['kind'].cell():>17}  {score['base'].cell():>17}  {result.seconds:>5.2f}"
                  f"  {suppl_check(case, result):<4}  {noise[(case.name, kind)]}{worse}")
    print("\nper jurisdiction (micro): ipwatch P/R/F1 (any) | (kind) | line diff P/R/F1")
    for (kind, part), bucket in sorted(totals.items()):
        print(f"{kind:<7} {part:<8} {bucket['any'].cell()} | {bucket['kind'].cell()} | "
              f"{bucket['base'].cell()}")
    print("\nwith the truth artefacts of cases.yaml set aside: ipwatch P/R/F1 (any) | line diff")
    for (kind, part), bucket in sorted(totals.items()):
        print(f"{kind:<7} {part:<8} {bucket['clean'].cell()} | {bucket['base_clean'].cell()}")
    print(f"noise-only re-crawls with an alert: {sum(noise.values())} of {len(noise)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--direct", action="store_true", help="no Scrapy: compare in-process")
    parser.add_argument("--part", choices=["tuning", "held_out", "all"], default="all")
    parser.add_argument("--only", help="jurisdiction (de, fr, jp, us)")
    args = parser.parse_args()
    cases = [c for c in load_cases() if args.part in ("all", c.part)
             and args.only in (None, c.jurisdiction)]
    results, noise = (run_direct if args.direct else run_crawl)(cases)
    report(cases, results, noise)


if __name__ == "__main__":
    main()
