"""``ipwatch changes``: the detected law changes, and one change with its redline."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Optional

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from crawlers.articles import display_id
from ipwatch.cli import common
from ipwatch.changeview import ChangeView, change_view
from ipwatch.redline import plain_redline, readable_ops, shorten
from kb.laws.changes import change_articles, get_change, list_changes
from kb.laws.notes import PENDING, STATE_LABELS, advance_note, get_note, write_note
from kb.core.choices import LAW_RIGHTS, label
from kb.core.errors import IpwatchError
from kb.core.textnorm import visible_controls

CONTRACT_KEYS = ("id", "source_id", "url", "detected_at", "kind", "articles", "summary")
CHANGE_LABELS = {"added": "新增", "removed": "删除", "modified": "修改"}
STYLES = {"+": "bold green underline", "-": "red strike", "=": ""}
CJK = ("JP", "KR", "CN")
DIGEST_TITLE = "自动摘要（按规则从修改本身生成，以官方文本为准）"


def nature(substantive: bool) -> str:
    return "实质性修改" if substantive else "编辑性修改"


def redline_text(ops: list[list[str]], full: bool, cjk: bool) -> Text:
    text = Text()
    for op, part in readable_ops(ops, cjk) if full else shorten(ops, cjk):
        text.append(visible_controls(part), style=STYLES[op])
    return text


def load_view(change_id: int) -> ChangeView:
    store = common.store()
    change = get_change(store, change_id)
    if change is None:
        raise IpwatchError(f"找不到编号为 {change_id} 的修改记录（用 ipwatch changes 查看编号）")
    return change_view(store, change)


def facts_of(view: ChangeView) -> list[tuple[str, str]]:
    change = view.change
    rights = "、".join(label(LAW_RIGHTS, r) for r in change["rights"]) or "—"
    note = view.note
    note_state = f"{STATE_LABELS[note['state']]}（{note['author']}）" if note else PENDING
    return [("摘要", change["summary"]), ("来源", change["source_id"]), ("网址", change["url"]),
            *view.meta_lines(), ("性质", nature(change["substantive"])), ("涉及权利", rights),
            ("解读", note_state)]


def show_change(view: ChangeView, full: bool) -> list:
    """The renderables of one change: its facts, digest, article list and each redline."""
    facts = Table.grid(padding=(0, 2))
    for name, value in facts_of(view):
        facts.add_row(name, Text(visible_controls(value)))
    digest = Panel(Text(visible_controls("\n".join(view.digest_lines())) or "（无实质性条文修改）"),
                   title=DIGEST_TITLE, title_align="left")
    listing = Table("条文", "变化", "性质")
    for d in view.details:
        listing.add_row(Text(visible_controls(display_id(d["id"]))), CHANGE_LABELS[d["change"]],
                        "编辑性" if d["editorial"] else "实质性")
    cjk = view.change["jurisdiction"] in CJK
    panels = [Panel(redline_text(d["ops"], full, cjk),
                    title=Text(visible_controls(f"{display_id(d['id'])}（{CHANGE_LABELS[d['change']]}）")),
                    title_align="left")
              for d in view.details]
    return [facts, digest, listing, *panels]


def plain_change(view: ChangeView, full: bool) -> str:
    """The same as plain text, redlines as ``[-old-]{+new+}``: for files and pipes."""
    lines = [f"{name}：{value}" for name, value in facts_of(view)]
    lines += ["", f"{DIGEST_TITLE}：", *(f"- {line}" for line in view.digest_lines())]
    if view.published:
        lines += ["", f"解读（{view.published['published_on']} 发布）：", view.published["text"]]
    cjk = view.change["jurisdiction"] in CJK
    for d in view.details:
        nature_ = "编辑性" if d["editorial"] else "实质性"
        lines += ["", f"== {display_id(d['id'])}（{CHANGE_LABELS[d['change']]}）〔{nature_}〕 ==",
                  plain_redline(d["ops"], cjk, full)]
    return visible_controls("\n".join(lines)) + "\n"


def note_command(change_id: int, text: str | None, file: Path | None, state: str | None,
                 by: str, on: str | None) -> dict:
    """Write the interpretation (``--text``/``--file``) or move it on (``--state``)."""
    store = common.store()
    day = parse_day(on)
    if state:
        return advance_note(store, change_id, state, by, day)
    if file is not None:
        try:
            text = file.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise IpwatchError(f"读不了解读文件 {file}：{error}") from None
    if text is None:
        note = get_note(store, change_id)
        if note is None:
            raise IpwatchError(f"修改记录 {change_id} 还没有解读：用 --text 或 --file 撰写")
        return note
    return write_note(store, change_id, text, by, day)


def parse_day(on: str | None) -> date:
    if not on:
        return date.today()
    try:
        return date.fromisoformat(on)
    except ValueError:
        raise IpwatchError(f"--on 的日期「{on}」无效：应为 YYYY-MM-DD") from None


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
            view = change_view(store, change)
            common.emit_json({**change, "details": change_articles(store, change_id), "meta": view.meta,
                              "digest": view.digest_lines(), "note": view.published})
            return
        view = load_view(change_id)
        if not sys.stdout.isatty():
            sys.stdout.write(plain_change(view, full))
            return
        for renderable in show_change(view, full):
            common.console.print(renderable)

    @changes_app.command("note")
    def note(
        change_id: int = typer.Argument(..., metavar="ID", help="修改记录编号"),
        text: Optional[str] = typer.Option(None, "--text", help="解读内容（中文）；写入后为草稿"),
        file: Optional[Path] = typer.Option(None, "--file", help="从 UTF-8 文本文件读入解读内容"),
        state: Optional[str] = typer.Option(None, "--state", help="reviewed（审核）或 published（发布）"),
        by: str = typer.Option("", "--by", help="撰写人或审核人姓名"),
        on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help="日期，默认今天"),
        fmt: str = common.format_option(),
    ) -> None:
        """撰写、审核、发布一条修改的解读：草稿 → 已审核 → 已发布；只有已发布的解读才上网站。

        修改已审核或已发布的解读内容会使其退回草稿。审核人不能是撰写人本人。
        示例：ipwatch changes note 3 --text "……" --by 张三；ipwatch changes note 3 --state reviewed --by 李四；
        ipwatch changes note 3 --state published --by 李四
        """
        result = note_command(change_id, text, file, state, by, on)
        if fmt == "json":
            common.emit_json(result)
            return
        common.console.print(f"修改 {change_id} 的解读：{STATE_LABELS[result['state']]}"
                             f"（撰写 {result['author']} {result['written_on']}"
                             + (f"，审核 {result['reviewer']} {result['reviewed_on']}" if result["reviewer"] else "")
                             + (f"，发布 {result['published_on']}" if result["published_on"] else "") + "）",
                             markup=False, highlight=False, soft_wrap=True)
