"""Issue 13 measured on real amendments: per case, the amending act and dates found, article
titles given in Chinese, and period/amount/percentage/multiplier/date changes found (precision
and recall) — against the baseline "no digest, dates = crawl date".

Cases: ../shared/data/law-history (override with IPWATCH_LAW_HISTORY), split into
development and held-out before tuning (benchmarks/lawchanges/split.yaml); truth written by
hand (benchmarks/lawchanges/truth.yaml).

    PYTHONPATH=.:site python benchmarks/law_digest_bench.py [development|held_out]
"""
from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import yaml

from crawlers.articles import zh_label
from crawlers.compare import compare_texts
from crawlers.lawmeta import change_meta
from kb.guides import article_key
from kb.laws.digest import LANGUAGE_OF, article_digest

HERE = Path(__file__).parent / "lawchanges"
HISTORY = Path(os.environ.get("IPWATCH_LAW_HISTORY", "/work/shared/data/law-history"))
META_FIELDS = ("amending_act", "act_date", "in_force_on")


def load_case(case: str) -> tuple[str, str, str]:
    folder = HISTORY / case
    old = next(folder.glob("old.*")).read_text("utf-8")
    new = next(folder.glob("new.*")).read_text("utf-8")
    return case.split("/")[0].upper(), old, new


def meta_scores(found: dict, expected: dict, baseline: dict) -> dict[str, tuple[int, int, int]]:
    """Per field: (assessed, correct, baseline correct); None in the truth = not assessed."""
    out = {}
    for name in META_FIELDS:
        truth = expected.get(name)
        if truth is None:
            out[name] = (0, 0, 0)
            continue
        out[name] = (1, int(found[name] == truth), int(baseline[name] == truth))
    return out


def fact_key(change: dict) -> str:
    return f"{change['kind']}:{change['old']}->{change['new']}"


def quantity_scores(details: list, truth: dict, language: str) -> tuple[int, int, int]:
    """(true positives, found, expected) over the sampled articles."""
    by_key = {article_key(d.id): d for d in details}
    tp = found = expected = 0
    for article, facts in truth.items():
        detail = by_key.get(article_key(article))
        got = set()
        if detail is not None:
            got = {fact_key(c) for c in article_digest(detail.as_dict(), language, zh_label).quantities}
        tp += len(got & set(facts))
        found += len(got)
        expected += len(facts)
    return tp, found, expected


def title_scores(details: list, language: str) -> tuple[int, int]:
    """(articles with a heading, of which given a Chinese title) over substantive changes."""
    digests = [article_digest(d.as_dict(), language, zh_label) for d in details
               if not d.editorial and d.id != "__header__"]
    headed = [d for d in digests if d.heading]
    return len(headed), sum(1 for d in headed if d.title)


def run_case(case: str, truth: dict) -> dict:
    jurisdiction, old, new = load_case(case)
    source = {"jurisdiction": jurisdiction}
    found = change_meta(old, new, source).as_dict()
    crawl_day = date.today().isoformat()
    baseline = {"amending_act": "", "act_date": crawl_day, "in_force_on": crawl_day}
    result = {"case": case, "meta": meta_scores(found, truth["meta"], baseline), "found": found,
              "quantities": None, "titles": None}
    if truth.get("quantities") is not None:
        language = LANGUAGE_OF[jurisdiction]
        details = compare_texts(old, new, {**source, "language": language}).details
        result["quantities"] = quantity_scores(details, truth["quantities"], language)
        result["titles"] = title_scores(details, language)
    return result


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "—"


def print_split(name: str, results: list[dict]) -> None:
    print(f"\n## {name}\n")
    print("| case | amending act / act date / in force (ipwatch · baseline) | found | titles zh | quantities P / R |")
    print("|---|---|---|---|---|")
    totals = {f: [0, 0, 0] for f in META_FIELDS}
    q_total, t_total = [0, 0, 0], [0, 0]
    for r in results:
        cells = []
        for f in META_FIELDS:
            assessed, ok, base = r["meta"][f]
            totals[f] = [a + b for a, b in zip(totals[f], (assessed, ok, base))]
            cells.append(f"{ok}/{assessed}·{base}/{assessed}" if assessed else "n/a")
        titles = quantities = "n/a"
        if r["quantities"] is not None:
            tp, found, expected = r["quantities"]
            q_total = [a + b for a, b in zip(q_total, r["quantities"])]
            quantities = f"{ratio(tp, found)} / {ratio(tp, expected)} ({tp}/{found}/{expected})"
            headed, titled = r["titles"]
            t_total = [t_total[0] + headed, t_total[1] + titled]
            titles = f"{titled}/{headed}"
        shown = "; ".join(r["found"][f] or "未载明" for f in META_FIELDS)
        print(f"| {r['case']} | {' · '.join(cells)} | {shown} | {titles} | {quantities} |")
    meta = " · ".join(f"{f} {totals[f][1]}/{totals[f][0]} (baseline {totals[f][2]}/{totals[f][0]})"
                      for f in META_FIELDS)
    tp, found, expected = q_total
    print(f"\n{name} totals: {meta}; titles in Chinese {t_total[1]}/{t_total[0]} (baseline 0); "
          f"quantities precision {ratio(tp, found)} recall {ratio(tp, expected)} "
          f"(baseline no digest: recall 0.00)")


def main() -> int:
    split = yaml.safe_load((HERE / "split.yaml").read_text("utf-8"))
    truth = yaml.safe_load((HERE / "truth.yaml").read_text("utf-8"))
    if not HISTORY.is_dir():
        print(f"law history not found: {HISTORY} (set IPWATCH_LAW_HISTORY)", file=sys.stderr)
        return 1
    print("Baseline: no digest; amending act not shown; dates = crawl date.")
    # tune on the development part alone (argument "development"); held_out is scored once
    for name in sys.argv[1:] or ("development", "held_out"):
        print_split(name, [run_case(case, truth[name][case]) for case in split[name]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
