from __future__ import annotations

from typing import Optional

import typer

from ipwatch.cli import common


def register(app: typer.Typer) -> None:
    @app.command("crawl")
    def crawl(
        sources: Optional[str] = typer.Option(None, "--sources", metavar="PATH",
                                              help="来源登记文件或目录（YAML）；默认为内置登记"),
        only: Optional[str] = typer.Option(None, "--only", metavar="SOURCE_ID",
                                           help="只抓取这一个来源"),
        fmt: str = common.format_option(),
    ) -> None:
        """抓取登记的法律来源，保存变化的页面快照并记录修改。

        示例：ipwatch crawl --only de-patg
        """
        from crawlers.run import run_crawl  # imported here: keeps `ipwatch --help` fast
        from kb.guides.search import refresh

        settings = common.settings()
        result = run_crawl(settings, sources=sources, only=only)
        if result.count("changes"):
            refresh(settings, common.store())  # new changes are searchable at once
        keys = ("stored", "unchanged", "not_modified", "changes", "problem")
        summary = {key: result.count(key) for key in keys}
        summary["sources"] = result.sources
        summary["errors"] = result.errors
        if fmt == "json":
            common.emit_json(summary)
        else:
            common.console.print(
                f"已抓取 {result.sources} 个来源：新快照 {summary['stored']}，未变化 {summary['unchanged']}，"
                f"未修改（304）{summary['not_modified']}，"
                f"发现修改 {summary['changes']}，抓取问题 {summary['problem']}。", markup=False)
        if result.errors:
            common.err_console.print(f"警告：抓取过程中记录了 {result.errors} 个错误，请查看日志。")
            raise typer.Exit(2)
