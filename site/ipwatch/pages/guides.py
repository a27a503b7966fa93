"""国别指南: the index of jurisdictions, one page per jurisdiction and part, and the
cross-country comparison tables — all generated from ``kb/guides`` (nothing hand-typed here).

Two areas are filled by the search work (``kb.guides.related`` and ``kb.guides.stale``) when it is
present; until then :func:`related_box` and :func:`stale_hits` render nothing.
"""
from __future__ import annotations

import importlib.util
import posixpath
import re

from crawlers.registry import load_registry
from ipwatch import sitebuild
from ipwatch.pages.common import intake_cta, md_escape
from kb.guides import (
    FOLDERS, JURISDICTION_LABELS, PART_FILES, PART_LABELS, REQUIRED_PARTS, Guide,
    guides_by_jurisdiction, load_guides,
)
from kb.guides import fees, lint
from ipwatch.guidecheck import relies_problems
from kb.guides.checklist import load_checklist, unknown_sections
from kb.guides.comparison import Topic, load_comparison
from kb.guides.coverage import DEADLINE_HEADING
from kb.guides.services import bodies_for, load_service_bodies

SECTION = "国别指南"
INDEX = "guides/index.md"
COMPARE = "guides/compare.md"
_RELIES_LINE = re.compile(r"^\s*<!--\s*relies:.*-->\s*$")
_PART_STEM = {part: stem for stem, part in PART_FILES.items()}


def _rel(from_page: str, to_page: str) -> str:
    """Relative Markdown link from one staging page to another (anchors kept)."""
    target, sep, anchor = to_page.partition("#")
    return posixpath.relpath(target, posixpath.dirname(from_page)) + sep + anchor


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


# --- hooks filled by the search work (i4-search) ------------------------------------------


def stale_hits(ctx, guides: list[Guide]) -> list:
    """Stale paragraphs (``kb.guides.stale``); none while that module is absent."""
    if not _has_module("kb.guides.stale"):
        return []
    from kb.guides.stale import stale_paragraphs

    return stale_paragraphs(guides, ctx.store)


def marked_body(guide: Guide, hits: list) -> str:
    """The guide's body with 待复核 boxes around stale paragraphs, relies comments removed."""
    body = guide.body
    if hits:
        from crawlers.articles import zh_label
        from kb.guides.stale import mark_stale

        body = mark_stale(guide, hits, zh_label)
    return "\n".join(line for line in body.splitlines() if not _RELIES_LINE.match(line)) + "\n"


def related_box(ctx, guide: Guide) -> list[str]:
    """The 相关内容 box of a guide page (``kb.guides.related.related_for_guide``); empty if absent."""
    if not _has_module("kb.guides.related"):
        return []
    from kb.guides.related import related_for_guide

    found = related_for_guide(ctx.settings, ctx.store, guide)
    items = [_related_item(guide.page, item) for key in ("sections", "changes") for item in found.get(key, [])]
    items += [f"- [{md_escape(b['title'])}]({b['url']})" for b in found.get("bodies", [])[:3] if b.get("url")]
    if not items:
        return []
    return ['<div class="ipw-related" markdown="1">', "", "**相关内容**", "", *items, "", "</div>", ""]


def _related_item(page: str, item: dict) -> str:
    url = item["url"]
    target, sep, anchor = url.partition("#")
    if target.endswith(".html"):
        url = _rel(page, target[:-5] + ".md" + sep + anchor)
    return f"- [{md_escape(item['title'])}]({url})"


# --- pages ----------------------------------------------------------------------------------


def _part_page(code: str, part: str) -> str:
    return f"guides/{code}/{_PART_STEM[part]}.md"


def _parts_line(code: str, parts: dict[str, Guide], current: str) -> str:
    links = []
    for part in REQUIRED_PARTS:
        if part not in parts:
            continue
        label = PART_LABELS[part]
        target = _rel(_part_page(code, current), _part_page(code, part))
        links.append(f"**{label}**" if part == current else f"[{label}]({target})")
    return " · ".join(links)


def _services_directory(guide: Guide, bodies) -> list[str]:
    lines = ["## 服务机构名录", "",
             "本名录由本局维护，只列官方机构和公益性支持渠道。", ""]
    for body in bodies_for(guide.jurisdiction, bodies):
        name = f"[{md_escape(body.name)}]({body.url})" if body.url else md_escape(body.name)
        note = f"：{md_escape(body.note)}" if body.note else ""
        lines.append(f"- {name}（{body.kind_label}）{note}")
    return lines + [""]


def _deadline_jump(guide: Guide) -> list[str]:
    """On a practice page, a link straight to its deadlines table (read first on a phone)."""
    section = guide.section(DEADLINE_HEADING)
    return [f"**[先看：{section.heading}](#{section.slug})**", ""] if section else []


def _tracked_sources(guide: Guide) -> list[str]:
    """On a laws page, the registry sources of that jurisdiction the crawler watches."""
    sources = [s for s in load_registry() if s.jurisdiction == guide.jurisdiction]
    if not sources:
        return []
    lines = ["## 系统跟踪的法律文本", "",
             f"以下官方文本由本系统定期抓取比对，修改情况见[法律动态]({_rel(guide.page, 'changes/index.md')})；"
             "本页段落所依据的条文一旦修改，该段即标注「待复核」。", ""]
    lines += [f"- [{md_escape(s.title_zh or s.title)}（{md_escape(s.title)}）]({s.url})" for s in sources]
    return lines + [""]


def check_content(guides: list[Guide]) -> None:
    """Fail the build on guide content the tests would reject (parts, links, sources, the topic
    checklist, relies markers, review records, repository paths or staff notes on public pages,
    fee figures without their amount, official source or check date)."""
    problems = [
        *lint.missing_parts(guides), *lint.unofficial_links(guides), *lint.unsourced_sections(guides),
        *lint.staff_notes(guides), *lint.unrecorded_reviews(guides), *fees.table_problems(guides),
        *unknown_sections(load_checklist(), guides), *relies_problems(guides),
    ]
    if problems:
        raise sitebuild.BuildError("国别指南内容检查未通过：\n" + "\n".join(problems[:20]))


def part_page(ctx, guide: Guide, parts: dict[str, Guide], hits: list, bodies) -> str:
    code = guide.code
    lines = [
        f"# {guide.title}",
        "",
        f"{_parts_line(code, parts, guide.part)}",
        "",
        f"最后核对：{guide.reviewed.isoformat()}。本页每项事实均链接官方来源，内容以官方文本为准；"
        "法律修改后相关段落会标注「待复核」。",
        "",
        *_deadline_jump(guide),
        marked_body(guide, hits),
    ]
    if guide.part == "services":
        lines += _services_directory(guide, bodies)
    if guide.part == "laws":
        lines += _tracked_sources(guide)
    lines += related_box(ctx, guide)
    if guide.part == "practice":
        lines += ["", *intake_cta(ctx.settings, guide.page)]
    return "\n".join(lines) + "\n"


def _facts_of(jurisdiction: str, topics: list[Topic]) -> list[str]:
    lines = []
    for topic in topics:
        for fact in topic.facts:
            if fact.jurisdiction == jurisdiction:
                cite = f"[{md_escape(fact.cite)}]({fact.sources[0]})"
                lines.append(f"- {topic.title}：{md_escape(fact.value)}（{cite}）")
    return lines


def jurisdiction_page(code: str, parts: dict[str, Guide], topics: list[Topic]) -> str:
    jurisdiction = FOLDERS[code]
    page = f"guides/{code}/index.md"
    lines = [f"# {JURISDICTION_LABELS[jurisdiction]}", ""]
    if "practice" in parts:
        practice = _rel(page, parts["practice"].page)
        lines += [f"遇到纠纷？先读**[实务指引]({practice})**：收到什么文件、期限多长、先做什么。", ""]
    if "overview" in parts:
        lines += [marked_body(parts["overview"], []), ""]
    for part in REQUIRED_PARTS:
        guide = parts[part]
        lines += [f"## [{PART_LABELS[part]}]({_rel(page, guide.page)})", ""]
        lines += [f"- [{md_escape(s.heading)}]({_rel(page, s.anchor)})" for s in guide.sections if s.slug]
        lines.append("")
    facts = _facts_of(jurisdiction, topics)
    if facts:
        lines += ["## 要点速览", "", *facts, "", f"更多国家的对比见[国别比较]({_rel(page, COMPARE)})。", ""]
    return "\n".join(lines) + "\n"


def index_page(by_code: dict[str, dict[str, Guide]]) -> str:
    lines = [
        "# 国别指南",
        "",
        "主要贸易国家和地区的知识产权法律法规、制度环境、实务指引和服务机构。遇到海外纠纷时，"
        "先读所在国的「实务指引」：收到什么文件、期限多长、先做什么。每项事实均链接官方来源。",
        "",
        f"[国别比较：保护期、异议期、海关保护、答辩期限]({_rel(INDEX, COMPARE)})",
        "",
        '<div class="grid cards" markdown>',
        "",
    ]
    for code, parts in by_code.items():
        label = JURISDICTION_LABELS[FOLDERS[code]]
        links = " · ".join(f"[{PART_LABELS[p]}]({_rel(INDEX, parts[p].page)})" for p in REQUIRED_PARTS)
        lines += [f"-   **[{label}]({_rel(INDEX, f'guides/{code}/index.md')})**", "", f"    {links}", ""]
    lines += ["</div>", ""]
    return "\n".join(lines)


def compare_page(topics: list[Topic]) -> str:
    lines = [
        "# 国别比较",
        "",
        "下表每项均注明条文并链接官方来源；没有可靠来源的国家不列入该表。"
        "期限的起算点各国不同，以所引条文为准。",
        "",
    ]
    for topic in topics:
        lines += [f"## {topic.title}", "", "| 国家/地区 | 规定 | 依据 |", "|---|---|---|"]
        order = list(FOLDERS.values())
        for fact in sorted(topic.facts, key=lambda f: order.index(f.jurisdiction)):
            code = next(c for c, j in FOLDERS.items() if j == fact.jurisdiction)
            place = f"[{JURISDICTION_LABELS[fact.jurisdiction]}]({_rel(COMPARE, f'guides/{code}/index.md')})"
            cites = "、".join(
                f"[{md_escape(fact.cite) if i == 0 else f'来源{i + 1}'}]({url})" for i, url in enumerate(fact.sources)
            )
            lines.append(f"| {place} | {md_escape(fact.value)} | {cites} |")
        lines.append("")
    return "\n".join(lines)


def generate(ctx) -> None:
    guides = load_guides()
    check_content(guides)
    topics = load_comparison()
    bodies = load_service_bodies()
    hits = stale_hits(ctx, guides)
    by_jurisdiction = guides_by_jurisdiction(guides)
    by_code = {code: by_jurisdiction[j] for code, j in FOLDERS.items() if j in by_jurisdiction}
    ctx.write(INDEX, index_page(by_code))
    ctx.write(COMPARE, compare_page(topics))
    ctx.add_nav(SECTION, "国别比较", COMPARE)
    for code, parts in by_code.items():
        ctx.write(f"guides/{code}/index.md", jurisdiction_page(code, parts, topics))
        for guide in parts.values():
            if guide.part != "overview":
                ctx.write(guide.page, part_page(ctx, guide, parts, hits, bodies))
        children = [f"guides/{code}/index.md"] + [
            {PART_LABELS[p]: parts[p].page} for p in REQUIRED_PARTS
        ]
        ctx.add_nav(SECTION, JURISDICTION_LABELS[FOLDERS[code]], children)


@sitebuild.check
def guide_anchors(ctx) -> None:
    """Every guide section's anchor exists on its built page (search and related links use them)."""
    missing = []
    for guide in load_guides():
        if guide.part == "overview":
            continue
        html = (ctx.out / (guide.page[:-3] + ".html")).read_text(encoding="utf-8")
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        missing += [f"{guide.page}#{s.slug}" for s in guide.sections if s.slug and s.slug not in ids]
    if missing:
        raise sitebuild.BuildError(f"国别指南小节锚点缺失：{'、'.join(missing[:10])}")
