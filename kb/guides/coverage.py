"""The content report of the guides, per jurisdiction (``ipwatch guides check``).

For each guide folder: checklist topics covered and reasoned 不适用, rows of the practice
page's deadline table and of its official-fee table, citations naming an article and how many reach it, and paragraphs
that declare the tracked articles they rely on. :func:`content_problems` lists what fails
the goals (the site build refuses guides with structural problems; the goals are reported).
"""
from __future__ import annotations

import re
from typing import Any

from kb.guides import FOLDERS, Guide, guides_by_jurisdiction
from kb.guides.checklist import Checklist, coverage
from kb.guides.citations import ARTICLE_SHARE_GOAL, article_share, exception_count
from kb.guides.fees import MIN_FEE_ROWS, fee_rows

DEADLINE_HEADING = "不可错过的期限"
MIN_DEADLINE_ROWS = 5
_TABLE_ROW = re.compile(r"^\s*\|(?!\s*:?-{3})")


def deadline_rows(guide: Guide) -> int:
    """Rows of the deadline table (header and rule excluded) of a practice page."""
    section = guide.section(DEADLINE_HEADING)
    if section is None:
        return 0
    rows = [line for line in section.text.splitlines() if _TABLE_ROW.match(line)]
    return max(len(rows) - 1, 0)


def relies_paragraphs(guides: list[Guide]) -> int:
    return sum(bool(p.relies) for g in guides for s in g.sections for p in s.paragraphs)


def jurisdiction_counts(parts: dict[str, Guide], checklist: Checklist, code: str) -> dict[str, Any]:
    guides = list(parts.values())
    reached, named = article_share(guides)
    excepted = exception_count(guides)
    practice = parts.get("practice")
    return {
        **coverage(checklist, code),
        "deadline_rows": deadline_rows(practice) if practice else 0,
        # rows of the official-fee table with amount, official source and check date (kb/guides/fees.py)
        "fee_rows": fee_rows(practice) if practice else 0,
        "article_citations": named,
        "article_level": reached,
        "article_link_share": round(reached / named, 3) if named else None,
        # citations reaching the finest address of a site that offers no article address
        # (article_links.yaml, kind "exception", each with its reason)
        "article_exceptions": excepted,
        "article_link_share_with_exceptions": round((reached + excepted) / named, 3) if named else None,
        "relies_paragraphs": relies_paragraphs(guides),
    }


def content_report(guides: list[Guide], checklist: Checklist) -> dict[str, dict[str, Any]]:
    """``{"US": {...counts...}, …}`` in site order."""
    by_jurisdiction = guides_by_jurisdiction(guides)
    return {
        jurisdiction: jurisdiction_counts(by_jurisdiction.get(jurisdiction, {}), checklist, code)
        for code, jurisdiction in FOLDERS.items()
    }


def goal_problems(report: dict[str, dict[str, Any]]) -> list[str]:
    """Jurisdictions below the goals: every topic, ≥ 5 deadline rows, an official fee figure
    with its source and date, ≥ 80 % article links (documented exceptions counted; the share
    without them is given in the message)."""
    problems = []
    for jurisdiction, c in report.items():
        if c["topics_open"]:
            problems.append(f"{jurisdiction}：{c['topics_open']} 个主题待补充（见主题清单 todo）")
        if c["deadline_rows"] < MIN_DEADLINE_ROWS:
            problems.append(f"{jurisdiction}：实务指引的期限表只有 {c['deadline_rows']} 行（至少 {MIN_DEADLINE_ROWS} 行）")
        if c["fee_rows"] < MIN_FEE_ROWS:
            problems.append(f"{jurisdiction}：实务指引的官方费用表没有注明来源和核对日期的费用数额")
        share = c["article_link_share_with_exceptions"]
        if share is not None and share < ARTICLE_SHARE_GOAL:
            problems.append(
                f"{jurisdiction}：指明条文的引用中链接到条文一级（含官方网站无条文地址的例外）的占 {share:.0%}"
                f"（不含例外 {c['article_link_share']:.0%}；目标 {ARTICLE_SHARE_GOAL:.0%}）"
            )
    return problems
