"""``ipwatch search``: staff search over guides, law changes and reports; ``search reindex``."""
from __future__ import annotations

from typing import Optional

import click
import typer
from typer.core import TyperGroup

from ipwatch.cli import common
from kb.guides import search as kb_search


class _QueryByDefault(TyperGroup):
    """``ipwatch search QUERY`` runs the ``query`` command; ``ipwatch search reindex`` reindexes."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["query", *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx, formatter):
        """``ipwatch search --help`` shows the query's arguments and options, then ``reindex``."""
        query = self.commands["query"]
        with click.Context(query, info_name=ctx.info_name, parent=ctx.parent) as sub:
            query.format_help(sub, formatter)
        formatter.write_paragraph()
        with formatter.section("子命令"):
            formatter.write_dl([("reindex [--full]", self.commands["reindex"].get_short_help_str(80))])


def register(app: typer.Typer) -> None:
    search_app = typer.Typer(
        cls=_QueryByDefault,
        help="检索国别指南、法律动态和风险预警报告（中文分词、英文词干）。\n\n示例：ipwatch search 展会临时禁令 --jurisdiction DE",
        no_args_is_help=True,
    )
    app.add_typer(search_app, name="search")

    @search_app.command("query")
    def query(
        words: list[str] = typer.Argument(..., metavar="QUERY...", help="查询词（可多个），如 专利侵权、337调查、infringement"),
        jurisdiction: Optional[str] = typer.Option(
            None, "--jurisdiction", help="国家或地区：代码或名称，如 US、DE、EU、INTL、英国、UK"),
        right: Optional[str] = typer.Option(None, "--right", help="权利类别代码，如 patent、trademark"),
        part: Optional[str] = typer.Option(None, "--part", help="部分：laws、institutions、practice、services、changes、reports"),
        limit: int = typer.Option(10, "--limit", min=1, help="最多显示条数"),
        fmt: str = common.format_option(),
    ) -> None:
        """检索（先增量更新索引）；匹配词在摘要中以【】标出。

        示例：ipwatch search 审查 --jurisdiction US --format json
        """
        with common.store() as store:
            ranked = kb_search.search(
                common.settings(), store, " ".join(words), jurisdiction=jurisdiction, right=right,
                part=part, limit=limit,
            )
        notice = kb_search.partial_notice(ranked)
        if fmt == "json":
            if notice:
                common.err_console.print(notice, markup=False, soft_wrap=True)
            common.emit_json(ranked.hits)
            return
        print_hits(ranked.hits, notice)

    @search_app.command("reindex")
    def reindex(
        full: bool = typer.Option(False, "--full", help="删除索引并从头重建（一般不需要）"),
        fmt: str = common.format_option(),
    ) -> None:
        """更新检索索引：只增加、替换、删除有变化的文档。

        示例：ipwatch search reindex
        """
        with common.store() as store:
            stats = kb_search.refresh(common.settings(), store, full=full)
        data = {k: v for k, v in vars(stats).items() if k != "changed_ids"}
        if fmt == "json":
            common.emit_json(data)
            return
        common.console.print(
            f"索引已更新：新增 {stats.added}，替换 {stats.updated}，删除 {stats.deleted}，未变 {stats.unchanged}",
            markup=False,
        )


def print_hits(hits: list[dict], notice: str) -> None:
    """One block per hit; never wrapped by the console (a pipe gets whole lines)."""
    if notice:
        common.console.print(notice, markup=False, soft_wrap=True)
    if not hits:
        common.console.print("没有找到结果。", markup=False)
    for number, hit in enumerate(hits, start=1):
        label = kb_search.PARTS.get(hit["part"], hit["part"])
        common.console.print(
            f"{number}. [{hit['jurisdiction'] or '—'} · {label}] {hit['title']}\n"
            f"   {hit['url']}\n   {hit['snippet']}",
            markup=False, highlight=False, soft_wrap=True,
        )
