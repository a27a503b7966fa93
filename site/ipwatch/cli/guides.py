"""``ipwatch guides check``: guide paragraphs to review (待复核) and guides not reviewed for a year."""
from __future__ import annotations

import typer

from ipwatch.cli import common
from kb.guides import load_guides
from kb.guides.stale import check_guides


def register(app: typer.Typer) -> None:
    guides_app = typer.Typer(help="国别指南的维护。\n\n示例：ipwatch guides check", no_args_is_help=True)
    app.add_typer(guides_app, name="guides")

    @guides_app.command("check")
    def check(fmt: str = common.format_option()) -> None:
        """列出待复核的段落（所依据的条款在复核日期之后有变化）和超过一年未复核的指南。

        这是一份报告：有待复核内容时退出码仍为 0。
        示例：ipwatch guides check --format json
        """
        with common.store() as store:
            report = check_guides(load_guides(), store)
        if fmt == "json":
            common.emit_json(report)
            return
        common.console.print(f"待复核段落：{len(report['stale'])}", markup=False)
        for hit in report["stale"]:
            common.console.print(
                f"- {hit['file']} 第{hit['line']}行〔{hit['heading']}〕依据 {hit['relies']}，"
                f"{hit['detected_at'][:10]} 变化 #{hit['change_id']}：{hit['excerpt']}",
                markup=False, highlight=False,
            )
        common.console.print(f"超过一年未复核的指南：{len(report['overdue'])}", markup=False)
        for guide in report["overdue"]:
            common.console.print(f"- {guide['file']}（复核日期 {guide['reviewed']}）", markup=False)
