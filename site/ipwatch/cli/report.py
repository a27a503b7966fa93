from __future__ import annotations

from typing import Optional

import typer

from alerts.report import build_report
from ipwatch.cli import common


def register(app: typer.Typer) -> None:
    report_app = typer.Typer(help="风险预警报告。\n\n示例：ipwatch report build --period 2026Q3",
                             no_args_is_help=True)
    app.add_typer(report_app, name="report")

    @report_app.command("build")
    def build(
        period: str = typer.Option(..., "--period", help="期间：季度 2026Q3、月份 2026-09 或年份 2026"),
        industry: Optional[str] = typer.Option(None, "--industry", help="重点产业，如 通信；默认全部"),
        sample: bool = typer.Option(False, "--sample", help="使用示例数据（报告会标注“示例数据”）"),
    ) -> None:
        """生成一期重点产业海外知识产权风险预警报告。

        示例：ipwatch report build --period 2026Q3 --industry 通信
        """
        settings = common.settings()
        report = build_report(settings, common.store(), period, industry=industry, sample=sample)
        common.console.print(f"已生成报告：{report.markdown}", markup=False)
