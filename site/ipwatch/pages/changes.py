"""法律动态: the list of detected law changes, newest first."""
from __future__ import annotations

from ipwatch.pages.common import md_escape, place, when
from kb.changes import list_changes


def change_line(change: dict) -> str:
    articles = change["articles"]
    detail = f"（{len(articles)}条）" if articles else ""
    return (f"| {when(change['detected_at'])} | {place(change['jurisdiction'])} | "
            f"{md_escape(change['summary'])}{detail} | [官方文本]({change['url']}) |")


def generate(ctx) -> None:
    changes = list_changes(ctx.store)
    lines = ["# 法律动态", "",
             "本页列出系统跟踪的外国知识产权法律文本的修改，按发现时间倒序。内容以各国官方发布为准。", ""]
    if not changes:
        lines.append("暂未发现法律修改。")
    else:
        lines += ["| 发现日期 | 国家/地区 | 修改内容 | 来源 |", "|---|---|---|---|"]
        lines += [change_line(c) for c in changes]
    ctx.write("changes/index.md", "\n".join(lines) + "\n")
