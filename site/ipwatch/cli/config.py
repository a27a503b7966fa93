from __future__ import annotations

import sys

import tomli_w
import typer

from ipwatch.cli import common


def register(app: typer.Typer) -> None:
    config_app = typer.Typer(help="查看设置。\n\n示例：ipwatch config show", no_args_is_help=True)
    app.add_typer(config_app, name="config")

    @config_app.command("show")
    def show(fmt: str = typer.Option("toml", "--format", help="输出格式：toml 或 json")) -> None:
        """显示生效的设置（默认值 < 设置文件 < 环境变量）。

        示例：ipwatch --config ipwatch.toml config show --format json
        """
        settings = common.settings()
        if fmt == "json":
            common.emit_json(settings.as_dict())
            return
        # straight to stdout: a console would wrap long values and break the TOML
        sys.stdout.write(f"# 设置文件：{settings.source or '（未指定，使用默认值）'}\n")
        sys.stdout.write(tomli_w.dumps(settings.as_dict()))
