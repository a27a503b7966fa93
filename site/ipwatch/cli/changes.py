from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from ipwatch.cli import common
from kb.changes import list_changes

CONTRACT_KEYS = ("id", "source_id", "url", "detected_at", "kind", "articles", "summary")


def register(app: typer.Typer) -> None:
    @app.command("changes")
    def changes(
        since: Optional[str] = typer.Option(None, "--since", metavar="DATE",
                                            help="只列出此日期（含）以后发现的修改，如 2026-10-01"),
        source: Optional[str] = typer.Option(None, "--source", metavar="ID", help="只列出此来源"),
        fmt: str = typer.Option("table", "--format", help=common.FORMAT_HELP),
    ) -> None:
        """列出发现的法律修改（最新在前）。

        示例：ipwatch changes --format json --since 2026-10-01
        """
        records = list_changes(common.store(), since=since, source_id=source)
        if fmt == "json":
            common.emit_json([{k: r[k] for k in CONTRACT_KEYS} for r in records])
            return
        table = Table("编号", "发现时间", "来源", "修改", "条文数")
        for r in records:
            table.add_row(str(r["id"]), r["detected_at"][:16], r["source_id"], r["summary"],
                          str(len(r["articles"])))
        common.console.print(table)
