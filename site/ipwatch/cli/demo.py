from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ipwatch.cli import common


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(out: Optional[Path] = typer.Option(None, "--out", help="网站输出目录；默认为演示数据目录下的 site")) -> None:
        """用内置数据演示全流程（无需联网）：抓取本地镜像 → 发现修改 → 生成报告 → 示例申请与意见书 → 构建网站。

        未设置 IPWATCH_DATA 时使用独立的演示数据目录，不会写入正式数据库。

        示例：ipwatch demo --out demo-site
        """
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=common.err_console, transient=False) as progress:
            current: list[int] = []

            def step(text: str) -> None:
                if current:
                    progress.update(current[-1], completed=1, total=1)
                current.append(progress.add_task(text, total=None))

            from ipwatch.demo import run_demo  # imported here: keeps `ipwatch --help` fast
            result = run_demo(common.settings(), out, step)
            progress.update(current[-1], completed=1, total=1)
        common.console.print(
            f"演示完成：发现 {result.changes} 处法律修改，生成 {result.report_period} 报告（示例数据）。\n"
            f"示例案件 {result.case_number} 的意见书草稿：{result.opinion}\n"
            f"数据目录：{result.data_dir}\n网站：{result.site}\n"
            f"预览：IPWATCH_DATA={result.data_dir} ipwatch site serve --dir {result.site}",
            markup=False, soft_wrap=True)  # paths are copied whole: never wrapped
