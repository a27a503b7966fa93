"""Article-level precision and recall on the real German amendment history, vs a line diff.

Data: the five cases of ``crawlers/demo_data/law-history/de`` (two published versions of a
German IP law each, from bundestag/gesetze, with ``ground_truth_sections.txt``). Both methods
read the laws as the crawler sees a law page: plain text, Markdown heading marks removed.

- **ipwatch**: ``crawlers.compare.compare_texts`` (article splitter + per-article compare).
  Scored twice: on the set of articles reported as changed in any way, and on (article,
  added/removed/modified) pairs.
- **baseline, line diff**: what a page-change monitor gives — ``difflib`` over lines; each
  changed line is attributed to the section whose heading is the nearest line above it that
  starts with "§ <number>" (the obvious regex a user would configure). It reports touched
  sections; it cannot tell added from removed from modified, so it is scored on the first
  set only. Its "hunks" column is the number of diff hunks a reader has to go through.

Run: ``python benchmarks/article_precision.py`` (from the repository root).
"""
from __future__ import annotations

import difflib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.articles import HEADER_ID, id_key, split_articles  # noqa: E402
from crawlers.compare import compare_texts  # noqa: E402

CASES = ROOT / "crawlers" / "demo_data" / "law-history" / "de"
SOURCE = {"id": "de-law", "jurisdiction": "DE", "title": "law", "title_zh": "德国法律",
          "rights": ["patent"], "language": "de", "numbering": ""}
_NAIVE_HEADING = re.compile(r"^§+\s*(\d+[a-z]?)")


def plain(markdown: str) -> str:
    return "\n".join(re.sub(r"^#+ ", "", line) for line in markdown.splitlines())


def truth(case: Path) -> dict[str, set[str]]:
    found = {}
    for line in (case / "ground_truth_sections.txt").read_text("utf-8").splitlines():
        m = re.match(r"^(ADDED|REMOVED|CHANGED):(.*)$", line)
        if m:
            labels = [x.strip() for x in m.group(2).split(",") if x.strip()]
            found[m.group(1)] = {
                HEADER_ID if x == HEADER_ID else split_articles(f"### {x}", "de_paragraph")[-1].key
                for x in labels}
    return {"added": found["ADDED"], "removed": found["REMOVED"], "modified": found["CHANGED"]}


def section_of_lines(lines: list[str]) -> list[str]:
    current, owners = HEADER_ID, []
    for line in lines:
        m = _NAIVE_HEADING.match(line)
        if m:
            current = id_key(f"§{m.group(1)}")
        owners.append(current)
    return owners


def baseline(old: str, new: str) -> tuple[set[str], int]:
    a, b = old.splitlines(), new.splitlines()
    owner_a, owner_b = section_of_lines(a), section_of_lines(b)
    touched: set[str] = set()
    hunks = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        hunks += 1
        touched.update(owner_a[i1:i2] or owner_a[max(i1 - 1, 0):i1])
        touched.update(owner_b[j1:j2] or owner_b[max(j1 - 1, 0):j1])
    return touched, hunks


def score(found: set, expected: set) -> tuple[int, int, int]:
    return len(found & expected), len(found - expected), len(expected - found)


def ratio(tp: int, other: int) -> float:
    return tp / (tp + other) if tp + other else 1.0


def main() -> None:
    rows, totals = [], {"ours_any": [0, 0, 0], "ours_kind": [0, 0, 0], "base": [0, 0, 0]}
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        old, new = (plain((case / f).read_text("utf-8")) for f in ("old.md", "new.md"))
        expected = truth(case)
        started = time.perf_counter()
        result = compare_texts(old, new, SOURCE)
        seconds = time.perf_counter() - started
        ours_pairs = {(id_key(a["id"]), a["change"]) for a in result.articles}
        truth_pairs = {(k, kind) for kind, ids in expected.items() for k in ids}
        truth_any = {k for k, _ in truth_pairs}
        base, hunks = baseline(old, new)
        results = {"ours_any": score({k for k, _ in ours_pairs}, truth_any),
                   "ours_kind": score(ours_pairs, truth_pairs),
                   "base": score(base, truth_any)}
        for name, (tp, fp, fn) in results.items():
            totals[name] = [t + v for t, v in zip(totals[name], (tp, fp, fn))]
        rows.append((case.name, len(truth_any), results, hunks, seconds,
                     "editorial" if not result.substantive else "substantive"))
    print(f"{'case':<20} {'truth':>5}  {'ipwatch P/R (any)':>18}  {'ipwatch P/R (kind)':>18}"
          f"  {'line diff P/R':>14}  {'hunks':>5}  {'ipwatch s':>9}  verdict")
    for name, n, res, hunks, seconds, verdict in rows:
        cells = [f"{ratio(tp, fp):.3f}/{ratio(tp, fn):.3f}" for tp, fp, fn in res.values()]
        print(f"{name:<20} {n:>5}  {cells[0]:>18}  {cells[1]:>18}  {cells[2]:>14}  {hunks:>5}"
              f"  {seconds:>9.2f}  {verdict}")
    cells = [f"{ratio(tp, fp):.3f}/{ratio(tp, fn):.3f}" for tp, fp, fn in totals.values()]
    print(f"{'all (micro)':<20} {'':>5}  {cells[0]:>18}  {cells[1]:>18}  {cells[2]:>14}")


if __name__ == "__main__":
    main()
