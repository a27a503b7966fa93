"""法律动态: the index of detected law changes, one page per jurisdiction, Atom feeds.

- ``changes/index.md``: changes per jurisdiction, the latest changes, the feeds;
- ``changes/<cc>.md``: every change of one jurisdiction with its article list and, per
  article, an inline redline (``<ins class="ipw-added">`` / ``<del class="ipw-removed">``);
- ``feeds/changes-<cc>.xml`` and ``feeds/changes-right-<right>.xml``: Atom feeds of the
  substantive changes (an editorial-only change is shown on the pages, never fed as an alert).

Crawled text (article text, ids, summaries) is escaped and the rendered HTML is cleaned by
``ipwatch.redline.sanitise``; a post-build check makes sure no script, event handler or
``javascript:`` link reached the built change pages.
"""
from __future__ import annotations

import html
import re

from crawlers.articles import display_id
from ipwatch import sitebuild
from ipwatch.atom import write_feed
from ipwatch.pages.common import md_escape, place, when
from ipwatch.redline import redline_html, sanitise
from kb.laws.changes import change_articles, list_changes
from kb.core.choices import LAW_RIGHTS, jurisdiction_label, label
from kb.core.textnorm import safe_url

SECTION = "法律动态"
CHANGE_LABELS = {"added": "新增", "removed": "删除", "modified": "修改"}
CJK_JURISDICTIONS = ("JP", "KR", "CN")
LATEST = 20
OPEN_FIRST = 3  # the redlines of the first substantive articles of a change are shown unfolded


def page_of(jurisdiction: str) -> str:
    return f"{jurisdiction.lower()}.md"


def anchor(change: dict) -> str:
    return f"change-{change['id']}"


def change_line(change: dict, prefix: str = "changes/") -> str:
    """A table row: date, jurisdiction, summary (linked to the change), official source."""
    articles = change["articles"]
    detail = f"（{len(articles)}条）" if articles else ""
    nature = "" if change.get("substantive", True) else "〔编辑性〕"
    target = f"{prefix}{page_of(change['jurisdiction'])}#{anchor(change)}"
    return (f"| {when(change['detected_at'])} | {place(change['jurisdiction'])} | "
            f"[{md_escape(change['summary'])}]({target}){detail}{nature} | "
            f"[官方文本]({safe_url(change['url'])}) |")


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


def change_section(ctx, change: dict) -> list[str]:
    details = change_articles(ctx.store, change["id"])
    cjk = change["jurisdiction"] in CJK_JURISDICTIONS
    title = md_escape(change.get("title") or change["source_id"])
    nature = "实质性修改" if change["substantive"] else "编辑性修改（无实质变化，不发出预警）"
    lines = [
        f"## {when(change['detected_at'])} {title} {{#{anchor(change)}}}",
        "",
        f"**{md_escape(change['summary'])}**",
        "",
        f"- 性质：{nature}",
        f"- 涉及权利：{rights_text(change['rights'])}",
        f"- 官方文本：[{md_escape(change['url'])}]({safe_url(change['url'])})",
        f"- 发现时间：{change['detected_at']}",
    ]
    for kind, what in CHANGE_LABELS.items():
        ids = [md_escape(display_id(d["id"])) for d in details if d["change"] == kind]
        if ids:
            lines.append(f"- {what}条文（{len(ids)}）：{'、'.join(ids)}")
    if details:
        lines += ["", "修订对照（<del class=\"ipw-removed\">删除</del>、"
                  "<ins class=\"ipw-added\">新增</ins>；未修改的长段落以 … 省略；点击条文展开）：", ""]
        substantive = [d for d in details if not d["editorial"]][:OPEN_FIRST]
        lines += [article_block(d, cjk, d in substantive) + "\n" for d in details]
    return lines


def jurisdiction_page(ctx, jurisdiction: str, changes: list[dict]) -> str:
    name = jurisdiction_label(jurisdiction)
    lines = [
        f"# {name}法律动态",
        "",
        f"系统跟踪的{name}（{jurisdiction}）知识产权法律文本的修改，按发现时间倒序；"
        "每处修改列出涉及的条文及修订对照。内容以官方发布为准。",
        "",
        f"订阅：[{name}法律动态 Atom 源](../feeds/changes-{jurisdiction.lower()}.xml)",
        "",
    ]
    for change in changes:
        lines += change_section(ctx, change)
    return "\n".join(lines) + "\n"


def index_page(changes: list[dict], by_place: dict[str, list[dict]], rights: list[str]) -> str:
    lines = ["# 法律动态", "",
             "本页列出系统跟踪的外国知识产权法律文本的修改，按发现时间倒序。每处修改标明涉及的条文、"
             "修改性质（实质性或编辑性）和修订对照，内容以各国官方发布为准。", ""]
    if not changes:
        return "\n".join(lines + ["暂未发现法律修改。"]) + "\n"
    lines += ["## 按国家/地区", "", "| 国家/地区 | 修改 | 其中实质性 | 最近发现 | 订阅 |",
              "|---|---|---|---|---|"]
    for code, items in sorted(by_place.items()):
        substantive = sum(1 for c in items if c["substantive"])
        lines.append(f"| [{place(code)}]({page_of(code)}) | {len(items)} | {substantive} | "
                     f"{when(items[0]['detected_at'])} | "
                     f"[Atom](../feeds/changes-{code.lower()}.xml) |")
    lines += ["", "## 最新修改", "", "| 发现日期 | 国家/地区 | 修改内容 | 来源 |",
              "|---|---|---|---|"]
    lines += [change_line(c, prefix="") for c in changes[:LATEST]]
    if rights:
        lines += ["", "## 按权利类别订阅", ""]
        lines += [f"- [{label(LAW_RIGHTS, r)}](../feeds/changes-right-{r}.xml)" for r in rights]
    return "\n".join(lines) + "\n"


def generate(ctx) -> None:
    changes = list_changes(ctx.store)
    by_place: dict[str, list[dict]] = {}
    for change in changes:
        by_place.setdefault(change["jurisdiction"], []).append(change)
    rights = sorted({r for c in changes for r in c["rights"]},
                    key=lambda r: [c.code for c in LAW_RIGHTS].index(r))
    ctx.write("changes/index.md", index_page(changes, by_place, rights))
    for code, items in sorted(by_place.items()):
        ctx.write(f"changes/{page_of(code)}", jurisdiction_page(ctx, code, items))
        ctx.add_nav(SECTION, jurisdiction_label(code), f"changes/{page_of(code)}")
        write_feed(ctx, f"feeds/changes-{code.lower()}.xml",
                   f"{jurisdiction_label(code)}法律动态", items, lambda c: change_section_html(ctx, c))
    for right in rights:
        items = [c for c in changes if right in c["rights"]]
        write_feed(ctx, f"feeds/changes-right-{right}.xml", f"{label(LAW_RIGHTS, right)}法律动态",
                   items, lambda c: change_section_html(ctx, c))


def change_section_html(ctx, change: dict) -> str:
    """The feed entry's content: the article list and the redlines, as sanitised HTML."""
    details = change_articles(ctx.store, change["id"])
    cjk = change["jurisdiction"] in CJK_JURISDICTIONS
    items = "".join(f"<li>{html.escape(display_id(d['id']))}：{CHANGE_LABELS[d['change']]}</li>"
                    for d in details)
    blocks = "".join(f"<h4>{html.escape(display_id(d['id']))}</h4>{redline_html(d['ops'], cjk=cjk)}"
                     for d in details if d["change"] == "modified" and not d["editorial"])
    return sanitise(f"<p>{html.escape(change['summary'])}</p><ul>{items}</ul>{blocks}")


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
