"""The ``ipwatch`` command line: a thin layer over functions in kb, crawlers and alerts.

Each area has a module here with ``register(app)``; add a module to ``MODULES`` to add
commands. A user error (``kb.core.errors.IpwatchError``) prints one clear message and exits 1.
"""
from __future__ import annotations

import importlib
import sys
from typing import Optional

import typer

from ipwatch.cli.common import err_console, set_config_path
from kb.core.errors import IpwatchError

MODULES = ["config", "crawl", "changes", "disputes", "report", "site", "demo", "search", "related", "guides",
           "case", "intake"]

app = typer.Typer(
    name="ipwatch",
    help="海外知识产权维权援助系统：跟踪国外知识产权法律修改、国别指南、纠纷申请受理、风险预警报告、发布网站。\n\n"
    "示例：ipwatch demo",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    config: Optional[str] = typer.Option(
        None, "--config", metavar="PATH", help="设置文件（TOML）；默认取环境变量 IPWATCH_CONFIG"
    ),
) -> None:
    set_config_path(config)


for _name in MODULES:
    importlib.import_module(f"ipwatch.cli.{_name}").register(app)


def main() -> None:
    try:
        app()
    except IpwatchError as error:
        err_console.print(f"错误：{error}", markup=False, highlight=False)
        sys.exit(1)
