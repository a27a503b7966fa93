"""法律动态: the index of detected law changes, one page per jurisdiction, Atom feeds.

- ``changes/index.md``: changes per jurisdiction, the latest changes, the feeds;
- ``changes/<cc>.md``: every change of one jurisdiction, ordered by entry into force where the
  source states it (else by the amending act's date, else by when it was found), each with
  修改依据 / 公布日期 / 施行日期 / 发现日期 apart (未载明 when the source says nothing), the
  staff 解读 when published (else 待解读), the 自动摘要 digest, the guide paragraphs that rely
  on its articles, the article list and, per article, an inline redline
  (``<ins class="ipw-added">`` / ``<del class="ipw-removed">``);
- ``feeds/changes-<cc>.xml`` and ``feeds/changes-right-<right>.xml``: Atom feeds of the
  substantive changes (an editorial-only change is shown on the pages, never fed as an alert).

Crawled text (article text, ids, summaries) is escaped and the rendered HTML is cleaned by
``ipwatch.redline.sanitise``; a post-build check makes sure no script, event handler or
``javascript:`` link reached the built change pages.
"""
from __future__ import annotations

import html
import re

from crawlers.articles import display_id, zh_label
from ipwatch import sitebuild
from ipwatch.atom import write_feed
from ipwatch.changeview import ChangeView, change_view
from ipwatch.pages.common import md_escape, place, when
from ipwatch.redline import redline_html, sanitise
from kb.core.choices import LAW_RIGHTS, jurisdiction_label, label
from kb.core.textnorm import safe_url
from kb.guides import load_guides
from kb.guides.stale import relying_paragraphs
from kb.laws.changes import list_changes
from kb.laws.digest import LABEL as DIGEST_LABEL
from kb.laws.notes import PENDING

SECTION = "法律动态"
CHANGE_LABELS = {"added": "新增", "removed": "删除", "modified": "修改"}
CJK_JURISDICTIONS = ("JP", "KR", "CN")
LATEST = 20
OPEN_FIRST = 3  # the redlines of the first substantive articles of a change are shown unfolded


def page_of(jurisdiction: str) -> str:
    return f"{jurisdiction.lower()}.md"


def anchor(change: dict) -> str:
    return f"change-{change['id']}"


def change_line(view: ChangeView, prefix: str = "changes/") -> str:
    """A table row: the date that matters, jurisdiction, summary (linked), official source."""
    change = view.change
    articles = change["articles"]
    detail = f"（{len(articles)}条）" if articles else ""
    nature = "" if change.get("substantive", True) else "〔编辑性〕"
    target = f"{prefix}{page_of(change['jurisdiction'])}#{anchor(change)}"
    return (f"| {date_label(view)} | {place(change['jurisdiction'])} | "
            f"[{md_escape(change['summary'])}]({target}){detail}{nature} | "
            f"[官方文本]({safe_url(change['url'])}) |")


def date_label(view: ChangeView) -> str:
    """The date a list shows, with what it is: 施行 / 公布 / 发现."""
    meta = view.meta
    if meta["in_force_on"]:
        return f"{meta['in_force_on']}（施行）"
    if meta["act_date"]:
        return f"{meta['act_date']}（公布）"
    return f"{when(view.change['detected_at'])}（发现）"


def sorted_views(views: list[ChangeView]) -> list[ChangeView]:
    """Newest first by the date that matters (in force, else act, else detected)."""
    return sorted(views, key=lambda v: (v.sort_date, v.change["detected_at"], v.change["id"]), reverse=True)


def rights_text(rights: list[str]) -> str:
    return "、".join(label(LAW_RIGHTS, r) for r in rights) or "—"


def article_block(detail: dict, cjk: bool, opened: bool) -> str:
    """One article: a collapsible block with its inline redline (sanitised)."""
    what = CHANGE_LABELS[detail["change"]]
    nature = "编辑性" if detail["editorial"] else "实质性"
    title = html.escape(f"{display_id(detail['id'])}（{what}，{nature}）")
    body = redline_html(detail["ops"], cjk=cjk, full=detail["change"] != "modified")
    block = sanitise(f'<details class="ipw-article"><summary>{title}</summary>{body}</details>')
    return block.replace("<details", "<details open", 1) if opened else block


def interpretation_lines(view: ChangeView) -> list[str]:
    """The published 解读 (it leads the change), or 待解读."""
    note = view.published
    if not note:
        return [f"**解读**：{PENDING}（工作人员尚未发布解读；下方为系统按规则生成的自动摘要）", ""]
    quoted = [f"> {md_escape(line)}" if line.strip() else ">" for line in note["text"].splitlines()]
    return ([f"**解读**（{note['published_on']} 发布，审核：{md_escape(note['reviewer'])}）：", "", *quoted, ""])


def digest_lines(view: ChangeView) -> list[str]:
    lines = view.digest_lines()
    if not lines:
        return []
    return [f"**{DIGEST_LABEL}**（按规则从修改本身生成，仅供参考，以官方文本为准）：", "",
            *(f"- {md_escape(line)}" for line in lines), ""]


def relying_lines(view: ChangeView, guides) -> list[str]:
    """The guide paragraphs that rely on the articles this change touched."""
    articles = [d["id"] for d in view.details if not d["editorial"]]
    found = relying_paragraphs(guides, view.change["source_id"], articles) if articles else []
    if not found:
        return []
    return ["**依据本次修改条文的指南段落**（已标记待复核）：", "",
            *(f"- [{md_escape(f['title'])} · {md_escape(f['heading'])}](../{f['page']})"
              f"（依据{md_escape(zh_label(f['article']))}）" for f in found), ""]


def change_section(ctx, view: ChangeView, guides=()) -> list[str]:
    change, details = view.change, view.details
    cjk = change["jurisdiction"] in CJK_JURISDICTIONS
    title = md_escape(change.get("title") or change["source_id"])
    nature = "实质性修改" if change["substantive"] else "编辑性修改（无实质变化，不发出预警）"
    lines = [
        f"## {date_label(view)} {title} {{#{anchor(change)}}}",
        "",
        f"**{md_escape(change['summary'])}**",
        "",
        *interpretation_lines(view),
        *(f"- {name}：{md_escape(value)}" for name, value in view.meta_lines()),
        f"- 性质：{nature}",
        f"- 涉及权利：{rights_text(change['rights'])}",
        f"- 官方文本：[{md_escape(change['url'])}]({safe_url(change['url'])})",
    ]
    for kind, what in CHANGE_LABELS.items():
        ids = [md_escape(display_id(d["id"])) for d in details if d["change"] == kind]
        if ids:
            lines.append(f"- {what}条文（{len(ids)}）：{'、'.join(ids)}")
    lines += ["", *digest_lines(view), *relying_lines(view, guides)]
    if details:
        lines += ["修订对照（<del class=\"ipw-removed\">删除</del>、"
                  "<ins class=\"ipw-added\">新增</ins>；未修改的长段落以 … 省略；点击条文展开）：", ""]
        substantive = [d for d in details if not d["editorial"]][:OPEN_FIRST]
        lines += [article_block(d, cjk, d in substantive) + "\n" for d in details]
    return lines


def jurisdiction_page(ctx, jurisdiction: str, views: list[ChangeView], guides=()) -> str:
    name = jurisdiction_label(jurisdiction)
    lines = [
        f"# {name}法律动态",
        "",
        f"系统跟踪的{name}（{jurisdiction}）知识产权法律文本的修改，按施行日期倒序（官方文本未载明施行日期的，"
        "按修改法令的公布日期，再按本系统发现日期）；每处修改列出修改依据、日期、解读或自动摘要、涉及的条文及修订对照。"
        "内容以官方发布为准。",
        "",
        f"订阅：[{name}法律动态 Atom 源](../feeds/changes-{jurisdiction.lower()}.xml)",
        "",
    ]
    for view in sorted_views(views):
        lines += change_section(ctx, view, guides)
    return "\n".join(lines) + "\n"


def index_page(views: list[ChangeView], by_place: dict[str, list[ChangeView]], rights: list[str]) -> str:
    lines = ["# 法律动态", "",
             "本页列出系统跟踪的外国知识产权法律文本的修改，按施行日期倒序（未载明的按公布日期，再按发现日期）。"
             "每处修改标明修改依据、日期、涉及的条文、修改性质（实质性或编辑性）和修订对照，内容以各国官方发布为准。", ""]
    changes = [v.change for v in views]
    if not changes:
        return "\n".join(lines + ["暂未发现法律修改。"]) + "\n"
    lines += ["## 按国家/地区", "", "| 国家/地区 | 修改 | 其中实质性 | 最近发现 | 订阅 |",
              "|---|---|---|---|---|"]
    for code, items in sorted(by_place.items()):
        substantive = sum(1 for v in items if v.change["substantive"])
        latest = max(v.change["detected_at"] for v in items)
        lines.append(f"| [{place(code)}]({page_of(code)}) | {len(items)} | {substantive} | "
                     f"{when(latest)} | "
                     f"[Atom](../feeds/changes-{code.lower()}.xml) |")
    lines += ["", "## 最新修改", "", "| 日期 | 国家/地区 | 修改内容 | 来源 |",
              "|---|---|---|---|"]
    lines += [change_line(v, prefix="") for v in sorted_views(views)[:LATEST]]
    if rights:
        lines += ["", "## 按权利类别订阅", ""]
        lines += [f"- [{label(LAW_RIGHTS, r)}](../feeds/changes-right-{r}.xml)" for r in rights]
    return "\n".join(lines) + "\n"


def generate(ctx) -> None:
    views = [change_view(ctx.store, c) for c in list_changes(ctx.store)]
    guides = load_guides()
    by_place: dict[str, list[ChangeView]] = {}
    for view in views:
        by_place.setdefault(view.change["jurisdiction"], []).append(view)
    rights = sorted({r for v in views for r in v.change["rights"]},
                    key=lambda r: [c.code for c in LAW_RIGHTS].index(r))
    ctx.write("changes/index.md", index_page(views, by_place, rights))
    for code, items in sorted(by_place.items()):
        ctx.write(f"changes/{page_of(code)}", jurisdiction_page(ctx, code, items, guides))
        ctx.add_nav(SECTION, jurisdiction_label(code), f"changes/{page_of(code)}")
        write_feed(ctx, f"feeds/changes-{code.lower()}.xml", f"{jurisdiction_label(code)}法律动态",
                   sorted_views(items), change_section_html)
    for right in rights:
        items = [v for v in views if right in v.change["rights"]]
        write_feed(ctx, f"feeds/changes-right-{right}.xml", f"{label(LAW_RIGHTS, right)}法律动态",
                   sorted_views(items), change_section_html)


def change_section_html(view: ChangeView) -> str:
    """The feed entry's content: the published 解读 first (else 待解读), the dates, the
    digest, the article list and the redlines, as sanitised HTML."""
    details = view.details
    cjk = view.change["jurisdiction"] in CJK_JURISDICTIONS
    note = view.published
    lead = (f"<p><strong>解读</strong>：{html.escape(note['text'])}</p>" if note
            else f"<p><strong>解读</strong>：{PENDING}</p>")
    facts = "".join(f"<li>{html.escape(name)}：{html.escape(value)}</li>" for name, value in view.meta_lines())
    digest = "".join(f"<li>{html.escape(line)}</li>" for line in view.digest_lines())
    items = "".join(f"<li>{html.escape(display_id(d['id']))}：{CHANGE_LABELS[d['change']]}</li>"
                    for d in details)
    blocks = "".join(f"<h4>{html.escape(display_id(d['id']))}</h4>{redline_html(d['ops'], cjk=cjk)}"
                     for d in details if d["change"] == "modified" and not d["editorial"])
    return sanitise(f"{lead}<p>{html.escape(view.change['summary'])}</p><ul>{facts}</ul>"
                    f"<p>{DIGEST_LABEL}：</p><ul>{digest}</ul><ul>{items}</ul>{blocks}")


_CONTENT = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_UNSAFE = re.compile(
    r"<(?:script|iframe|object|embed|img|style|form|input)\b|<[^>]*\son[a-z]+\s*="
    r"|<[^>]*(?:href|src|action)\s*=\s*[\"']?\s*(?:javascript|vbscript|data):", re.I)


@sitebuild.check
def change_pages_are_clean(ctx) -> None:
    """No crawled script, event handler, image or dangerous link in the built change pages."""
    for page in sorted((ctx.out / "changes").glob("*.html")):
        for content in _CONTENT.findall(page.read_text("utf-8")):
            found = _UNSAFE.search(content)
            if found:
                raise sitebuild.BuildError(
                    f"法律动态页面 {page.name} 含不安全内容：{found.group(0)}")
