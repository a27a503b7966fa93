"""Chinese for the command line's own words: help labels and usage errors.

Typer (0.29 and later) carries its own copy of Click with the messages written in English
into the code, so they cannot be translated through ``gettext``. Instead:

- help: the section titles and "required"/"default" labels go through Typer's ``gettext``
  (rebound here); the ``--help`` option's own text and the usage prefix are set in one
  place each;
- errors: ``main`` runs the app with ``standalone_mode=False`` and prints usage errors with
  :func:`show_usage_error`, which translates Click's messages by pattern (``PATTERNS``).
  A message no pattern knows stays as it is, behind 错误：.

Usage errors exit 1 like every other user error (Click's own default is 2).
"""
from __future__ import annotations

import re
import sys

import typer
import typer.core
from typer._click import exceptions as click_exceptions
from typer._click import formatting as click_formatting
from typer._click.core import Command

ClickException = click_exceptions.ClickException
UsageError = click_exceptions.UsageError
Abort = typer.Abort

LABELS = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "deprecated": "已弃用",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
}
HELP_OPTION = "显示本帮助并退出。"
USAGE_PREFIX = "用法："

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^Missing option '(.+?)'\.(.*)$", r"缺少选项 '\1'。\2"),
    (r"^Missing argument '(.+?)'\.(.*)$", r"缺少参数 '\1'。\2"),
    (r"^Missing parameter: (.+)$", r"缺少参数：\1"),
    (r"^No such option: (.+?)(?: Did you mean (.+)\?)?$", r"没有选项 \1。"),
    (r"^Option '(.+?)' requires an argument\.$", r"选项 '\1' 需要一个值。"),
    (r"^Option '(.+?)' requires (\d+) arguments\.$", r"选项 '\1' 需要 \2 个值。"),
    (r"^Option '(.+?)' does not take a value\.$", r"选项 '\1' 不带值。"),
    (r"^Got unexpected extra arguments? \((.+)\)$", r"多余的参数：\1"),
    (r"^Input should be a valid (integer|float|number|boolean)\b.*$", r"应为有效的\1。"),
    (r"^(?:Value )?'(.*?)' is not a valid (integer|float|int|boolean|bool)\.$", r"'\1' 不是有效的\2。"),
    (r"^'(.*?)' is not one of (.+)\.$", r"'\1' 不在可选值 \2 之中。"),
    (r"^(\S+) '(.+?)' does not exist\.$", r"'\2' 不存在。"),
    (r"^(.+)\. Did you mean (.+)\?$", r"\1。是否想输入 \2？"),
))
TYPE_NAMES = {"integer": "整数", "int": "整数", "float": "数字", "number": "数字", "boolean": "是/否",
              "bool": "是/否"}
# messages that carry another message: the inner one is translated too
NESTED = ((re.compile(r"^Invalid value for '(.+?)': (.+)$", re.S), "'{0}' 的值无效：{1}"),
          (re.compile(r"^Invalid value: (.+)$", re.S), "值无效：{0}"))


def translate(message: str) -> str:
    """Click's English message in Chinese, by the first pattern that matches it."""
    for pattern, template in NESTED:
        match = pattern.match(message)
        if match:
            return template.format(*match.groups()[:-1], translate(match.groups()[-1]))
    for pattern, replacement in PATTERNS:
        if pattern.match(message):
            text = pattern.sub(replacement, message)
            for english, chinese in TYPE_NAMES.items():
                text = re.sub(rf"有效的{english}。", f"有效的{chinese}。", text)
            return LABELS.get(text, text)
    return message


def show_usage_error(error: ClickException) -> None:
    """Print a usage error in Chinese: the usage line, where help is, the message."""
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"输入 '{ctx.command_path} {ctx.help_option_names[0]}' 查看帮助。")
        lines.append("")
    lines.append(f"错误：{translate(error.format_message())}")
    sys.stderr.write("\n".join(lines) + "\n")


def _labels(message: str) -> str:
    return LABELS.get(message, message)


def install() -> None:
    """Chinese section titles, labels, ``--help`` text and usage prefix in every help page."""
    typer.core._ = _labels
    UsageError.exit_code = 1  # also when the app runs in Click's standalone mode (tests, scripts)
    original_help_option = Command.get_help_option
    original_write_usage = click_formatting.HelpFormatter.write_usage

    def get_help_option(self, ctx):
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    def write_usage(self, prog, args="", prefix=None):
        return original_write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    if not getattr(Command.get_help_option, "_zh", False):
        get_help_option._zh = True
        Command.get_help_option = get_help_option
        click_formatting.HelpFormatter.write_usage = write_usage
