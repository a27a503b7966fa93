"""The ``ipwatch`` command line: a thin layer over functions in kb, crawlers and alerts.

Each area has a module here with ``register(app)``; add a module to ``MODULES`` to add
commands. A user error (``kb.core.errors.IpwatchError``) prints one clear message and exits 1.
``main`` imports only the module of the command asked for (start-up without the others'
imports); ``ipwatch.cli.app`` has every command.
"""
from __future__ import annotations

import importlib
import sys
from typing import Optional

import typer

from ipwatch.cli import zh
from ipwatch.cli.common import set_config_path
from kb.core.errors import IpwatchError

MODULES = ["config", "crawl", "changes", "disputes", "report", "site", "demo", "search", "related", "guides",
           "case", "run", "intake"]

zh.install()


def build_app(modules: list[str]) -> typer.Typer:
    """The command line with the commands of ``modules`` (each module registers its own)."""
    application = typer.Typer(
        name="ipwatch",
        help="海外知识产权维权援助系统：跟踪国外知识产权法律修改、国别指南、纠纷申请受理、风险预警报告、发布网站。\n\n"
        "示例：ipwatch demo",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    application.callback()(_root)
    for name in modules:
        importlib.import_module(f"ipwatch.cli.{name}").register(application)
    return application


def _root(
    config: Optional[str] = typer.Option(
        None, "--config", metavar="PATH", help="设置文件（TOML）；默认取环境变量 IPWATCH_CONFIG"
    ),
) -> None:
    set_config_path(config)


def command_name(argv: list[str]) -> str | None:
    """The command named on the command line (after ``--config PATH``), if any."""
    rest = list(argv)
    while rest and rest[0].startswith("--config"):
        rest = rest[1:] if "=" in rest[0] else rest[2:]
    return rest[0] if rest and not rest[0].startswith("-") else None


def __getattr__(name: str):
    """``ipwatch.cli.app``: every command (built on first use; tests import it)."""
    if name == "app":
        globals()["app"] = build_app(MODULES)
        return globals()["app"]
    raise AttributeError(name)


def fail(message: str) -> None:
    """A user error: the message as it is (never wrapped to the terminal's width), exit 1."""
    sys.stderr.write(f"错误：{message}\n")
    sys.exit(1)


def main() -> None:
    command = command_name(sys.argv[1:])
    application = build_app([command] if command in MODULES else MODULES)
    try:
        result = application(standalone_mode=False)
    except zh.UsageError as error:
        zh.show_usage_error(error)
        sys.exit(1)
    except zh.ClickException as error:
        fail(zh.translate(error.format_message()))
    except zh.Abort:
        fail("已取消。")
    except IpwatchError as error:
        fail(str(error))
    # an Exit raised by a command comes back as its status; a command's own return value is not one
    sys.exit(result if isinstance(result, int) else 0)
