"""The evaluation set of issue 12 (search_eval.yaml) and its scoring, shared by the benchmarks.

A hit is described by (jurisdiction, part, heading); it answers a question when one of the
question's answers names that jurisdiction (or ``*``) and part and one of its heading keywords
occurs in the heading.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "site", ROOT / "tests"):  # after PYTHONPATH: a baseline tree wins
    if str(extra) not in sys.path:
        sys.path.append(str(extra))

EVAL = Path(__file__).with_name("search_eval.yaml")
_GUIDE_URL = re.compile(r"guides/([a-z]+)/([a-z]+)\.html")


def load(split: str | None = None) -> list[dict]:
    queries = yaml.safe_load(EVAL.read_text("utf-8"))["queries"]
    return [q for q in queries if split is None or q["split"] == split]


def answers(question: dict, jurisdiction: str, part: str, heading: str) -> bool:
    for answer in question["answers"]:
        code, want_part, keywords = answer.split("/", 2)
        if code not in ("*", jurisdiction.upper()) or want_part != part:
            continue
        if any(k.lower() in heading.lower() for k in keywords.split("|")):
            return True
    return False


def url_place(url: str) -> tuple[str, str]:
    """(jurisdiction, part) of a guide page's URL, ("", "") for any other page."""
    match = _GUIDE_URL.search(url)
    return (match.group(1).upper(), match.group(2)) if match else ("", "")


def first_rank(question: dict, hits: list[tuple[str, str, str]]) -> int | None:
    """1-based rank of the first hit (jurisdiction, part, heading) that answers, else None."""
    for rank, hit in enumerate(hits, start=1):
        if answers(question, *hit):
            return rank
    return None


def score(ranks: list[int | None], k: int = 5) -> tuple[float, float]:
    """recall@k and MRR (over the first 10) of a list of first ranks."""
    if not ranks:
        return 0.0, 0.0
    recall = sum(1 for r in ranks if r is not None and r <= k) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None and r <= 10) / len(ranks)
    return round(recall, 3), round(mrr, 3)


Hit = tuple[str, str, str]  # (jurisdiction, part, heading) of one result


def evaluate(split: str, hits_of: Callable[[str], list[Hit]], label: str, indent: str = "") -> tuple[float, float]:
    """Ask every question of ``split`` (``hits_of``: question → results, best first), print
    recall@5 and MRR under ``label`` and each question not answered in the first 5."""
    ranks, missed = [], []
    for question in load(split):
        rank = first_rank(question, hits_of(question["q"])[:10])
        ranks.append(rank)
        if rank is None or rank > 5:
            missed.append(f"{question['q']} (rank {rank or '>10'})")
    recall, mrr = score(ranks)
    print(f"{indent}{label}{split} ({len(ranks)} questions): recall@5 {recall:.3f}, MRR {mrr:.3f}")
    for line in missed:
        print(f"{indent}  missed: {line}")
    return recall, mrr
