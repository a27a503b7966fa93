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
        file: Path = typer.Argument(..., help="CSV（UTF-8）或 XLSX 文件（第一行为列名），或美国联邦公报 API 的 JSON"),
        level: str = typer.Option("普通纠纷", "--level", help="联邦公报 337 公告的纠纷级别（公告不载明）：普通纠纷 或 重大/疑难纠纷"),
        field: str = typer.Option("", "--field", help="联邦公报 337 公告的纠纷领域（公告不载明；默认“其他”并记产品名称）"),
        fmt: str = common.format_option(),
    ) -> None:
        """导入公开纠纷记录（如美国337调查立案公告、法院案件清单）。

        CSV/XLSX 的列名与取值见 README 的 “Dispute records and risk reports” 一节（含调查/案件编号、中方当事人角色、
        申请人/原告、被申请人所在国家/地区、审理机构；权利类别可为商业秘密、商业外观）。.json 文件按美国联邦公报 API
        （/api/v1/documents.json）的格式读取其中的 337 调查公告，每个中国（含港澳）当事人一条记录。
        任何一行有错则整个文件不导入，并逐行逐字段列出错误；已有记录（同一编号与企业）更新而不重复。
        企业只保存密钥散列，不保存名称。公开记录在报告中单独列表，不计入本区案件数据。

        示例：ipwatch disputes import 337案件.xlsx
        """
        if file.suffix.lower() == ".json":
            from kb.disputes.fedreg import import_fedreg
            done = import_fedreg(common.store(), file, level=level, field=field or None)
            if fmt == "json":
                common.emit_json(done.as_dict())
                return
            common.console.print(f"读取公告 {done.notices} 篇（非 337 公告或无中国当事人的 {done.skipped} 篇未导入）；"
                                 f"已导入 {done.rows} 条：新增 {done.added}，更新 {done.updated}", markup=False, soft_wrap=True)
            return
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
