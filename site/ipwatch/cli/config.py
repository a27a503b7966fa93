from __future__ import annotations

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
        common.console.print(f"# 设置文件：{settings.source or '（未指定，使用默认值）'}", markup=False)
        common.console.print(_to_toml(settings.as_dict()), markup=False, highlight=False)


def _to_toml(values: dict) -> str:
    lines: list[str] = []
    tables = []
    for key, value in values.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_literal(value)}")
    for key, value in tables:
        for item in value if isinstance(value, list) else [value]:
            lines.append("")
            lines.append(f"[[{key}]]" if isinstance(value, list) else f"[{key}]")
            lines += [f"{k} = {_literal(v)}" for k, v in item.items()]
    return "\n".join(lines).strip()


def _literal(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)
