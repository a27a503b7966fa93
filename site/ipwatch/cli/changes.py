"""``ipwatch changes``: the detected law changes, and one change with its redline."""
from __future__ import annotations

from typing import Optional

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from crawlers.articles import display_id
from ipwatch.cli import common
from ipwatch.redline import shorten
from kb.laws.changes import change_articles, get_change, list_changes
from kb.core.choices import LAW_RIGHTS, label
from kb.core.errors import IpwatchError
from kb.core.textnorm import visible_controls

CONTRACT_KEYS = ("id", "source_id", "url", "detected_at", "kind", "articles", "summary")
CHANGE_LABELS = {"added": "新增", "removed": "删除", "modified": "修改"}
STYLES = {"+": "bold green underline", "-": "red strike", "=": ""}


def nature(substantive: bool) -> str:
    return "实质性修改" if substantive else "编辑性修改"


def redline_text(ops: list[list[str]], full: bool, cjk: bool) -> Text:
    text = Text()
    for op, part in ops if full else shorten(ops, cjk):
        text.append(visible_controls(part), style=STYLES[op])
    return text


def show_change(change_id: int, full: bool) -> list:
    """The renderables of one change: its facts, its article list and each redline."""
    store = common.store()
    change = get_change(store, change_id)
    if change is None:
        raise IpwatchError(f"找不到编号为 {change_id} 的修改记录（用 ipwatch changes 查看编号）")
    facts = Table.grid(padding=(0, 2))
    rights = "、".join(label(LAW_RIGHTS, r) for r in change["rights"]) or "—"
    for name, value in (("摘要", change["summary"]), ("来源", change["source_id"]),
                        ("网址", change["url"]), ("发现时间", change["detected_at"]),
                        ("性质", nature(change["substantive"])), ("涉及权利", rights)):
        facts.add_row(name, Text(visible_controls(value)))
    details = change_articles(store, change_id)
    listing = Table("条文", "变化", "性质")
    for d in details:
        listing.add_row(Text(visible_controls(display_id(d["id"]))), CHANGE_LABELS[d["change"]],
                        "编辑性" if d["editorial"] else "实质性")
    cjk = change["jurisdiction"] in ("JP", "KR", "CN")
    panels = [Panel(redline_text(d["ops"], full, cjk),
                    title=Text(visible_controls(f"{display_id(d['id'])}（{CHANGE_LABELS[d['change']]}）")),
                    title_align="left")
              for d in details]
    return [facts, listing, *panels]


def register(app: typer.Typer) -> None:
    changes_app = typer.Typer(invoke_without_command=True)
    app.add_typer(changes_app, name="changes")

    @changes_app.callback()
    def changes(
        ctx: typer.Context,
        since: Optional[str] = typer.Option(None, "--since", metavar="DATE",
                                            help="只列出此日期（含）以后发现的修改，如 2026-10-01"),
        source: Optional[str] = typer.Option(None, "--source", metavar="ID", help="只列出此来源"),
        fmt: str = common.format_option(),
    ) -> None:
        """列出发现的法律修改（最新在前）；ipwatch changes show 编号 查看条文对照。

        示例：ipwatch changes --format json --since 2026-10-01
        """
        if ctx.invoked_subcommand:
            return
        records = list_changes(common.store(), since=since, source_id=source)
        if fmt == "json":
            common.emit_json([{k: r[k] for k in CONTRACT_KEYS} for r in records])
            return
        table = Table("编号", "发现时间", "来源")
        table.add_column("修改", overflow="fold", min_width=20, ratio=1)
        table.add_column("条文数")
        table.add_column("性质")
        for r in records:
            table.add_row(str(r["id"]), r["detected_at"][:10], r["source_id"], Text(visible_controls(r["summary"])),
                          str(len(r["articles"])), nature(r["substantive"]))
        common.console.print(table)

    @changes_app.command("show")
    def show(
        change_id: int = typer.Argument(..., metavar="ID", help="修改记录编号"),
        full: bool = typer.Option(False, "--full", help="显示条文全文（默认只显示修改处前后）"),
        fmt: str = common.format_option(),
    ) -> None:
        """显示一条法律修改：涉及的条文及每条的修订对照（删除为红色删除线，新增为绿色下划线）。

        示例：ipwatch changes show 3
        """
        if fmt == "json":
            store = common.store()
            change = get_change(store, change_id)
            if change is None:
                raise IpwatchError(f"找不到编号为 {change_id} 的修改记录")
            common.emit_json({**change, "details": change_articles(store, change_id)})
            return
        for renderable in show_change(change_id, full):
            common.console.print(renderable)
