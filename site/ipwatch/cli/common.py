"""What every command shares: the settings chosen by ``--config``, the store, output helpers."""
from __future__ import annotations

import json
import sys
import unicodedata
from typing import Any

import typer
from rich.console import Console

from kb.core.settings import Settings, load_settings
from kb.core.store import Store, open_store

console = Console()
err_console = Console(stderr=True)

_state: dict[str, Any] = {"config": None}


def set_config_path(path: str | None) -> None:
    _state["config"] = path


def settings() -> Settings:
    return load_settings(_state["config"])


def store() -> Store:
    return open_store(settings())


def emit_json(data: Any) -> None:
    """Print data as JSON on stdout (UTF-8, Chinese kept readable)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


FORMAT_HELP = "输出格式：table（表格）或 json"
FORMATS = ("table", "json")


def _check_format(value: str) -> str:
    if value not in FORMATS:
        raise typer.BadParameter(f"输出格式「{value}」无效，应为 table 或 json")
    return value


def format_option():
    """The ``--format table|json`` option of a command whose output is data."""
    return typer.Option("table", "--format", help=FORMAT_HELP, callback=_check_format)


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: wide (CJK) and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_table(headers, rows) -> None:
    """A table with a header line, columns padded to the widest cell (CJK counted as two
    columns), never wrapped: the same on a terminal and in a pipe."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        padded = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row)]
        return "  ".join(padded).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)] + [line(row) for row in cells[1:]]
    sys.stdout.write("\n".join(out) + "\n")
