"""Shared helpers of the article tests: the German history and the written fixtures."""
from __future__ import annotations

import re
from pathlib import Path

from crawlers.articles import HEADER_ID, id_key, split_articles

ROOT = Path(__file__).resolve().parents[1]
LAW_HISTORY = ROOT / "crawlers" / "demo_data" / "law-history" / "de"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "laws"
GERMAN_CASES = sorted(p.name for p in LAW_HISTORY.iterdir() if p.is_dir())


def german_case(name: str) -> tuple[str, str]:
    folder = LAW_HISTORY / name
    return (folder / "old.md").read_text("utf-8"), (folder / "new.md").read_text("utf-8")


def ground_truth(name: str) -> dict[str, set[str]]:
    """ADDED / REMOVED / CHANGED of ground_truth_sections.txt, as id keys of our splitter."""
    truth: dict[str, set[str]] = {}
    text = (LAW_HISTORY / name / "ground_truth_sections.txt").read_text("utf-8")
    for line in text.splitlines():
        m = re.match(r"^(ADDED|REMOVED|CHANGED):(.*)$", line)
        if m:
            labels = [x.strip() for x in m.group(2).split(",") if x.strip()]
            truth[m.group(1)] = {_key(label) for label in labels}
    return truth


def _key(label: str) -> str:
    """The id our splitter gives the heading the ground truth names ("(XXXX) §§ 160 bis 163 …")."""
    if label == HEADER_ID:
        return HEADER_ID
    return split_articles(f"### {label}", "de_paragraph")[-1].key


def as_plain_text(markdown: str) -> str:
    """The Markdown law as the crawler sees a law page: heading marks gone."""
    return "\n".join(re.sub(r"^#+ ", "", line) for line in markdown.splitlines())


def fixture(style: str) -> tuple[str, str]:
    return ((FIXTURES / f"{style}_old.txt").read_text("utf-8"),
            (FIXTURES / f"{style}_new.txt").read_text("utf-8"))


def keys(ids) -> set[str]:
    return {id_key(i) for i in ids}
