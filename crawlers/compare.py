"""Compare two normalised texts of one tracked page.

The pipeline calls ``compare_texts`` when a page's text differs from every recent state.
This first version works at page level: it reports the page as modified, with the number of
lines added and removed. (Article-level comparison replaces its body; the signature stays.)
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass
class Comparison:
    articles: list[dict] = field(default_factory=list)  # [{"id": ..., "change": ...}]
    summary: str = ""
    substantive: bool = True
    problem: str | None = None  # set when the new text looks broken, not changed


def compare_texts(old_text: str, new_text: str, source: dict) -> Comparison:
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    name = source.get("title_zh") or source.get("title") or source.get("id", "")
    return Comparison(summary=f"{name}页面内容修改：新增{added}行，删除{removed}行")
