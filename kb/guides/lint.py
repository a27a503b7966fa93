"""Content checks of the guides, the service bodies and the comparison data.

Each check returns a list of problems in Chinese naming file and line; an empty list means
the content passes. The tests run them over the bundled guides; staff can run them after
editing a guide.
"""
from __future__ import annotations

import posixpath
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from kb.guides import FOLDERS, REQUIRED_PARTS, Guide
from kb.guides.domains import host_allowed, is_official, load_domains
from kb.guides.stale import review_interval_days


def missing_parts(guides: list[Guide]) -> list[str]:
    present = {(g.jurisdiction, g.part) for g in guides}
    return [
        f"{code}/：缺少「{part}」部分（{part}.md）"
        for code, jurisdiction in FOLDERS.items()
        for part in REQUIRED_PARTS
        if (jurisdiction, part) not in present
    ]


def is_internal(link: str) -> bool:
    """A relative link to another page of the site (``../eu/practice.md#…``)."""
    parts = urlsplit(link)
    return not parts.scheme and not parts.netloc


def _internal_problem(guide: Guide, link: str, anchors: dict[str, set[str]]) -> str | None:
    target, _, anchor = link.partition("#")
    page = posixpath.normpath(posixpath.join(posixpath.dirname(guide.page), target)) if target else guide.page
    if page not in anchors:
        return f"站内链接指向不存在的指南页面：{link}"
    if anchor and anchor not in anchors[page]:
        return f"站内链接的锚点不存在：{link}"
    return None


def unofficial_links(guides: list[Guide]) -> list[str]:
    """Links off the allow-list, and links to guide pages or anchors that do not exist."""
    anchors = {g.page: {s.slug for s in g.sections if s.slug} for g in guides}
    problems = []
    for guide in guides:
        for section in guide.sections:
            for link in section.links:
                if is_internal(link):
                    problem = _internal_problem(guide, link, anchors)
                    if problem:
                        problems.append(f"{guide.path}第{section.line}行「{section.heading}」：{problem}")
                elif not is_official(link, guide.jurisdiction):
                    problems.append(
                        f"{guide.path}第{section.line}行「{section.heading}」：链接不在"
                        f"{guide.jurisdiction}的官方域名名单上：{link}"
                    )
    return problems


def stale_reviews(guides: list[Guide], today: date | None = None,
                  interval_days: int | None = None) -> list[str]:
    """Guides past the review interval (``[guides] review_interval_days``) or dated in the future."""
    today = today or date.today()
    days = review_interval_days(interval_days)
    return [
        f"{g.path}：reviewed 日期 {g.reviewed} 已超过复核周期（{days} 天），须重新核对"
        for g in guides if today - g.reviewed > timedelta(days=days)
    ] + [f"{g.path}：reviewed 日期 {g.reviewed} 晚于今天" for g in guides if g.reviewed > today]


def unsourced_sections(guides: list[Guide]) -> list[str]:
    """Every ``##`` section must carry at least one official link (the intro may not).

    Links to other guide pages do not count as sources.
    """
    return [
        f"{g.path}第{s.line}行「{s.heading}」：本节没有任何官方来源链接"
        for g in guides for s in g.sections
        if s.slug and not [link for link in s.links if not is_internal(link)]
    ]


def unknown_relies(guides: list[Guide], source_ids: set[str]) -> list[str]:
    return [
        f"{g.path}第{p.line}行：relies 引用了来源登记中不存在的来源「{source}」"
        for g in guides for s in g.sections for p in s.paragraphs
        for source, _article in p.relies if source not in source_ids
    ]


def url_problem(url: str, jurisdiction: str) -> str | None:
    """Why ``url`` may not be used as a source for ``jurisdiction`` (None when fine).

    ``CN`` means a body of the Chinese support network, shown for every jurisdiction: only the global domains apply.
    """
    if jurisdiction == "CN":
        domains = frozenset.intersection(*load_domains().values())
        host = urlsplit(url).hostname or ""
        ok = urlsplit(url).scheme in ("http", "https") and host_allowed(host, domains)
    else:
        ok = is_official(url, jurisdiction)
    return None if ok else f"链接不在{jurisdiction}的官方域名名单上：{url}"


# Repository paths and staff instructions belong in the README or the CLI help, not on the
# public pages: a path of the project, a data file name, or a note addressed to staff.
_INTERNAL = re.compile(r"\b(?:kb|crawlers|site|alerts|tests)/[\w./-]+|\b[\w-]+\.(?:ya?ml|py|toml)\b|工作人员可")


def staff_notes(guides: list[Guide]) -> list[str]:
    """Public text that names a repository path, a data file or addresses staff."""
    return [
        f"{g.path}第{p.line}行：公开页面不应出现内部路径或工作人员说明「{m.group()}」"
        for g in guides for s in g.sections for p in s.paragraphs
        for m in _INTERNAL.finditer(_LINK_TARGETS.sub("", p.text))
    ]


_LINK_TARGETS = re.compile(r"\]\([^)]*\)")


def unrecorded_reviews(guides: list[Guide]) -> list[str]:
    """Guides whose front matter does not record who reviewed what (``review:``)."""
    return [f"{g.path}：头信息缺少 review（by 审核人、checked 核对内容）" for g in guides if not g.review]
