from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ipwatch.cli import common


def register(app: typer.Typer) -> None:
    run_app = typer.Typer(help="定期运行的工作（供 systemd 定时器或 cron 调用）。\n\n示例：ipwatch run weekly",
                          no_args_is_help=True)
    app.add_typer(run_app, name="run")

    @run_app.command("weekly")
    def weekly(
        out: Optional[Path] = typer.Option(None, "--out", help="网站输出目录；默认为数据目录下的 site"),
        sources: Optional[Path] = typer.Option(None, "--sources", help="来源登记文件或目录（格式同 ipwatch crawl --sources）"),
        fmt: str = common.format_option(),
    ) -> None:
        """每周例行工作：抓取 → 检查国别指南 → 列出超期案件 → 构建网站 → 有待办事项时发送邮件摘要。

        某一步失败时其余步骤照常进行，最后列出失败的步骤并以退出码 1 结束。

        示例：ipwatch run weekly --out /srv/ipwatch-site
        """
        from ipwatch.weekly import run_weekly  # imported here: keeps `ipwatch --help` fast

        result = run_weekly(common.settings(), out=out, sources=sources,
                            step=lambda text: common.err_console.print(f"… {text}", markup=False))
        if fmt == "json":
            common.emit_json(result.as_dict())
        else:
            crawl = result.crawl
            lines = [f"抓取：{crawl['sources']} 个来源，发现修改 {crawl['changes']}，抓取问题 {crawl['problem']}"
                     if crawl else "抓取：未完成",
                     f"法律实质性修改：{len(result.changes)} 项",
                     f"超期案件：{len(result.cases_overdue)} 件",
                     f"待复核段落：{len(result.stale)} 段；超过复核期的指南：{len(result.guides_overdue)} 篇",
                     f"网站：{result.site or '未构建'}",
                     f"邮件：{result.mail or '未发送'}"]
            lines += [f"失败：{failure}" for failure in result.failures]
            lines += [f"提醒：{warning}" for warning in result.warnings]
            common.console.print("\n".join(lines), markup=False, highlight=False)
        if not result.ok:
            raise typer.Exit(1)
