from __future__ import annotations

from pathlib import Path

import typer

from alerts.sample import DEFAULT_ROWS, load_sample
from ipwatch.cli import common
from kb.disputes.records import count_disputes
from kb.disputes.importer import import_file


def register(app: typer.Typer) -> None:
    disputes_app = typer.Typer(help="海外知识产权纠纷数据库。\n\n示例：ipwatch disputes import 337案件.xlsx",
                               no_args_is_help=True)
    app.add_typer(disputes_app, name="disputes")

    @disputes_app.command("import")
    def import_(
        file: Path = typer.Argument(..., help="CSV（UTF-8）或 XLSX 文件，第一行为列名"),
        fmt: str = common.format_option(),
    ) -> None:
        """导入公开纠纷记录（如美国337调查立案公告、法院案件清单）。

        列名与取值见 README 的 “Dispute records and risk reports” 一节；任何一行有错则整个文件不导入，并逐行逐字段列出错误；
        已有记录（同一编号与企业）更新而不重复。企业只保存密钥散列，不保存名称。

        示例：ipwatch disputes import 337案件.xlsx
        """
        result = import_file(common.store(), file)
        if fmt == "json":
            common.emit_json(result.as_dict())
            return
        common.console.print(f"已导入 {result.rows} 条：新增 {result.added}，更新 {result.updated}", markup=False)

    @disputes_app.command("sample")
    def sample(rows: int = typer.Option(DEFAULT_ROWS, "--rows", min=1, help="生成的记录条数")) -> None:
        """生成示例纠纷数据（标注“示例数据”，与真实记录分开保存；替换已有示例数据）。

        示例：ipwatch disputes sample --rows 4000
        """
        settings = common.settings()
        settings.require_demo("示例纠纷数据")
        count = load_sample(common.store(), rows)
        common.console.print(f"已生成示例数据 {count} 条（origin = sample）", markup=False)

    @disputes_app.command("stats")
    def stats(fmt: str = common.format_option()) -> None:
        """按来源统计纠纷记录条数。

        示例：ipwatch disputes stats --format json
        """
        counts = count_disputes(common.store().conn)
        if fmt == "json":
            common.emit_json(counts)
            return
        for origin, n in sorted(counts.items()):
            common.console.print(f"{origin}\t{n}", markup=False)
