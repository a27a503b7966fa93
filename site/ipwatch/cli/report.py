from __future__ import annotations

from typing import Optional

import typer

from ipwatch.cli import common
from kb.core.periods import parse_period


def register(app: typer.Typer) -> None:
    report_app = typer.Typer(help="风险预警报告。\n\n示例：ipwatch report build --period 2026Q3",
                             no_args_is_help=True)
    app.add_typer(report_app, name="report")

    @report_app.command("build")
    def build(
        period: str = typer.Option(..., "--period", help="期间：季度 2026Q3、月份 2026-09 或年份 2026"),
        industry: Optional[str] = typer.Option(None, "--industry", help="重点产业，如 通信；默认全部产业"),
        sample: bool = typer.Option(False, "--sample", help="使用示例数据（报告会标注“示例数据”）"),
        provisional: bool = typer.Option(False, "--provisional",
                                         help="报告期尚未结束时生成初步数据报告（各文件均标注“初步数据”）"),
        fmt: str = common.format_option(),
    ) -> None:
        """生成一期重点产业海外知识产权风险预警报告（网页、图表、XLSX 附表、DOCX 打印版）。

        统计单位为不同企业数；少于阈值的数据及可推算它们的数据自动不予公布，并经审核。
        尚未结束的报告期只能加 --provisional 生成初步数据报告，期末后再生成正式报告替换它。

        示例：ipwatch report build --period 2026Q3 --industry 通信
        """
        settings = common.settings()
        parse_period(period)  # a malformed period is the first thing to say
        if sample:
            settings.require_demo("示例数据（--sample）")
        from alerts.report import build_report  # imported here: keeps `ipwatch --help` fast
        report = build_report(settings, common.store(), period, industry=industry, sample=sample,
                              provisional=provisional)
        if fmt == "json":
            common.emit_json(report.as_dict())
            return
        common.console.print(
            f"已生成报告：{report.folder}\n公布单元格 {report.published} 个，不予公布 {report.suppressed} 个"
            f"{'（示例数据）' if report.is_sample else ''}{'（初步数据）' if report.provisional else ''}",
            markup=False)

    @report_app.command("withdraw")
    def withdraw(
        period: str = typer.Argument(..., help="期间：季度 2026Q3、月份 2026-09 或年份 2026"),
        industry: Optional[str] = typer.Option(None, "--industry", help="重点产业，如 通信；默认全部产业"),
        reason: str = typer.Option(..., "--reason", help="撤回原因（在网站的撤回说明中公布）"),
        fmt: str = common.format_option(),
    ) -> None:
        """撤回一期已发布的报告：其文件从网站撤下，原位置保留撤回说明（日期、原因）。

        已公布的数据仍记入披露控制记录，此后的报告继续据此防止推算。

        示例：ipwatch report withdraw 2026Q3 --reason 数据有误，更正后重新发布
        """
        parse_period(period)
        from alerts.report import withdraw_report
        done = withdraw_report(common.settings(), common.store(), period, industry, reason)
        if fmt == "json":
            common.emit_json(done)
            return
        common.console.print(f"已撤回：{done['title']}（{done['withdrawn_at'][:10]}）。"
                             "重新生成网站后，原页面显示撤回说明。", markup=False, soft_wrap=True)

    @report_app.command("list")
    def list_(fmt: str = common.format_option()) -> None:
        """列出已生成的报告。

        示例：ipwatch report list --format json
        """
        from alerts.report import list_reports
        rows = list_reports(common.store())
        if fmt == "json":
            common.emit_json(rows)
            return
        if not rows:
            common.console.print("没有已生成的报告。", markup=False)
            return
        common.print_table(("期间", "产业", "数据", "生成日期", "摘要"),
                           [[row["period"], row["industry"], _status(row), row["built_at"][:10], row["summary"]]
                            for row in rows])

    def _status(row: dict) -> str:
        kind = "示例数据" if row["is_sample"] else "初步数据" if row.get("provisional") else "正式"
        return f"{kind}（已撤回）" if row.get("withdrawn_at") else kind

    @report_app.command("audit")
    def audit() -> None:
        """审核全部已发布报告的披露控制：任何不予公布的数据都不能由公布的合计推算出来。

        示例：ipwatch report audit
        """
        from alerts.report import audit_files
        problems = audit_files(common.settings(), common.store())
        if problems:
            for line in problems:
                common.err_console.print(line, markup=False)
            raise typer.Exit(1)
        common.console.print("披露控制审核通过。", markup=False)
