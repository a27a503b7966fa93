"""Settings: one TOML file over documented defaults (``kb/defaults.toml``).

Order of precedence, lowest first: the bundled defaults, the settings file (``--config`` or
``IPWATCH_CONFIG``), then ``IPWATCH_DATA`` for the data folder. A key that is unknown or of the
wrong type is an error naming the file, the line and the key.
"""
from __future__ import annotations

import copy
import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kb.core.errors import IpwatchError

ENV_CONFIG = "IPWATCH_CONFIG"
ENV_DATA = "IPWATCH_DATA"
DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "ipwatch"


# The file that marks a data folder as the demo's own (see ``ipwatch.demo``).
DEMO_MARKER = "IPWATCH-DEMO.txt"


class SettingsError(IpwatchError):
    pass


def default_text() -> str:
    return resources.files("kb.core").joinpath("defaults.toml").read_text(encoding="utf-8")


DEFAULTS: dict[str, Any] = tomllib.loads(default_text())


@dataclass
class Settings:
    """The effective settings. Index it like the TOML: ``settings["crawl"]["timeout"]``."""

    values: dict[str, Any]
    source: Path | None = None  # the settings file read, if any
    data_dir: Path = field(default=DEFAULT_DATA_DIR)

    def __getitem__(self, section: str) -> Any:
        return self.values[section]

    @property
    def store_path(self) -> Path:
        return self.data_dir / "ipwatch.sqlite3"

    @property
    def is_demo(self) -> bool:
        """A demo data folder (made by ``ipwatch demo``): sample data may live and be published
        there. Every other folder is the official record, where they may not."""
        return (self.data_dir / DEMO_MARKER).is_file()

    def require_demo(self, what: str) -> None:
        if not self.is_demo:
            raise SettingsError(f"{what}只能在演示数据目录中使用（ipwatch demo 会建立），"
                                f"不能写入正式数据目录 {self.data_dir}")

    def department(self, dept_id: str) -> dict[str, str]:
        """A department by its id, its full name or one of its ``aliases`` (版权局 …)."""
        wanted = dept_id.strip()
        for dept in self.values["departments"]:
            if wanted == dept["id"] or wanted == dept["name"] or wanted in dept.get("aliases", ()):
                return dept
        known = "、".join(f"{d['id']}（{'/'.join((d['name'], *d.get('aliases', ())))}）"
                         for d in self.values["departments"])
        raise SettingsError(f"未知部门「{dept_id}」，可选：{known}")

    def with_values(self, **sections: dict[str, Any]) -> "Settings":
        """A copy with some values replaced: ``settings.with_values(crawl={"mirror": url})``."""
        values = copy.deepcopy(self.values)
        for section, changes in sections.items():
            unknown = set(changes) - set(values[section])
            if unknown:
                raise SettingsError(f"未知设置项「{section}.{sorted(unknown)[0]}」")
            values[section].update(changes)
        return Settings(values=values, source=self.source, data_dir=self.data_dir)

    def as_dict(self) -> dict[str, Any]:
        out = copy.deepcopy(self.values)
        out["data"]["folder"] = str(self.data_dir)
        return out


def _line_of(text: str, dotted: str) -> int | None:
    """Best-effort line number of ``section.key`` in TOML text (1-based)."""
    section, _, key = dotted.rpartition(".")
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            current = header.group(1)
            if not key and current == dotted:
                return number
            continue
        if current == section and re.match(rf"^{re.escape(key)}\s*=", line):
            return number
    return None


def _type_name(value: Any) -> str:
    return {bool: "布尔值", int: "整数", float: "数字", str: "文本", list: "列表", dict: "表"}.get(
        type(value), type(value).__name__
    )


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def _merge(defaults: dict, given: dict, path: str, text: str, where: Path) -> dict:
    merged = copy.deepcopy(defaults)
    for key, value in given.items():
        dotted = f"{path}.{key}" if path else key
        if key not in defaults:
            line = _line_of(text, dotted)
            raise SettingsError(
                f"设置文件 {where}{'第' + str(line) + '行' if line else ''}：未知设置项「{dotted}」"
            )
        default = defaults[key]
        if isinstance(default, dict) and isinstance(value, dict):
            merged[key] = _merge(default, value, dotted, text, where)
        elif key == "departments":
            merged[key] = _check_departments(value, text, where)
        elif not _same_type(default, value):
            line = _line_of(text, dotted)
            raise SettingsError(
                f"设置文件 {where}{'第' + str(line) + '行' if line else ''}：设置项「{dotted}」"
                f"应为{_type_name(default)}，实际为{_type_name(value)}"
            )
        else:
            merged[key] = value
    return merged


def _check_departments(value: Any, text: str, where: Path) -> list[dict[str, str]]:
    line = _line_of(text, "departments")
    at = f"设置文件 {where}{'第' + str(line) + '行' if line else ''}"
    if not isinstance(value, list) or not value:
        raise SettingsError(f"{at}：设置项「departments」应为至少一个 [[departments]] 表")
    required = ("id", "name", "address", "phone")
    for index, dept in enumerate(value, start=1):
        for key in required:
            if not isinstance(dept.get(key), str) or not dept.get(key).strip():
                raise SettingsError(f"{at}：第{index}个部门缺少文本设置项「departments.{key}」")
        aliases = dept.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise SettingsError(f"{at}：第{index}个部门的「departments.aliases」应为简称的列表，如 [\"版权局\"]")
        extra = set(dept) - set(required) - {"aliases"}
        if extra:
            raise SettingsError(f"{at}：第{index}个部门有未知设置项「departments.{sorted(extra)[0]}」")
    return value


def _check_values(values: dict[str, Any], where: Path | str) -> None:
    crawl = values["crawl"]
    for key in ("download_delay", "timeout", "max_bytes", "page_budget", "depth_limit",
                "retry_after_cap", "crawl_delay_cap"):
        if crawl[key] <= 0:
            raise SettingsError(f"设置文件 {where}：设置项「crawl.{key}」必须大于 0")
    if crawl["retry_times"] < 0:
        raise SettingsError(f"设置文件 {where}：设置项「crawl.retry_times」不能小于 0")
    for key, days in values["service_level"].items():
        if days <= 0:
            raise SettingsError(f"设置文件 {where}：设置项「service_level.{key}」必须大于 0")
    if values["guides"]["review_interval_days"] < 1:
        raise SettingsError(f"设置文件 {where}：设置项「guides.review_interval_days」至少为 1")
    if values["disclosure"]["min_enterprises"] < 1:
        raise SettingsError(f"设置文件 {where}：设置项「disclosure.min_enterprises」至少为 1")
    _check_mail(values["mail"], where)
    _check_intake(values, where)


MAIL_SECURITY = ("none", "starttls", "ssl")


def _check_mail(mail: dict[str, Any], where: Path | str) -> None:
    if mail["security"] not in MAIL_SECURITY:
        raise SettingsError(f"设置文件 {where}：设置项「mail.security」应为 {'、'.join(MAIL_SECURITY)} 之一")
    if not 0 < mail["port"] < 65536:
        raise SettingsError(f"设置文件 {where}：设置项「mail.port」应为 1–65535 的端口号")
    if not all(isinstance(r, str) and "@" in r for r in mail["recipients"]):
        raise SettingsError(f"设置文件 {where}：设置项「mail.recipients」应为电子邮件地址的列表")
    if mail["enabled"] and not mail["recipients"]:
        raise SettingsError(f"设置文件 {where}：启用了邮件摘要（mail.enabled），但没有设置收件人「mail.recipients」")



def _check_intake(values: dict[str, Any], where: Path | str) -> None:
    for key, value in values["receiver"].items():
        if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
            raise SettingsError(f"设置文件 {where}：设置项「receiver.{key}」必须大于 0")
    intake = values["intake"]
    url = intake["receiver_url"]
    if url and not re.fullmatch(r"https?://[^\s/?#]+/(\S*/)?", url):
        raise SettingsError(f"设置文件 {where}：设置项「intake.receiver_url」应为以 / 结尾的"
                            f" http(s) 网址，实际为「{url}」")
    if intake["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", intake["email"]):
        raise SettingsError(f"设置文件 {where}：设置项「intake.email」不是有效的电子邮箱")


def load_settings(path: str | os.PathLike | None = None) -> Settings:
    """Load the effective settings: defaults < file (``path`` or IPWATCH_CONFIG) < IPWATCH_DATA."""
    chosen = path or os.environ.get(ENV_CONFIG) or None
    values = copy.deepcopy(DEFAULTS)
    source: Path | None = None
    if chosen:
        source = Path(chosen).expanduser()
        try:
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SettingsError(f"找不到设置文件：{source}") from None
        except UnicodeDecodeError:
            raise SettingsError(f"设置文件 {source} 不是 UTF-8 编码") from None
        try:
            given = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"设置文件 {source} 格式错误：{exc}") from None
        values = _merge(DEFAULTS, given, "", text, source)
    _check_values(values, source or "（默认设置）")
    data_env = os.environ.get(ENV_DATA)
    folder = data_env or values["data"]["folder"]
    data_dir = Path(folder).expanduser() if folder else DEFAULT_DATA_DIR
    return Settings(values=values, source=source, data_dir=data_dir.resolve())
