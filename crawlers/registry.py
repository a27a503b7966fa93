"""The source registry: YAML files, one per jurisdiction, validated on load.

Format (``crawlers/sources/de.yaml``)::

    jurisdiction: DE
    sources:
      - id: de-patg                 # unique over the registry: <jurisdiction>-<slug>
        kind: law_page              # law_page | listing | feed | json_api | guidance
        title: Patentgesetz (PatG)
        title_zh: 德国《专利法》
        url: https://www.gesetze-im-internet.de/patg/BJNR201170936.html
        rights: [patent]            # kb.core.choices.LAW_RIGHTS codes
        language: de
        numbering: de_paragraph     # optional: article numbering style
        extract: {css: "div#paddingLR12"}   # optional: where the law body is (css or xpath)
        verified: false             # checked against the live site?
        options: {...}              # optional, by kind (see KIND_OPTIONS):
          # every kind:       min_delay (seconds between requests to the host, over the default)
          # listing, guidance: item_css (links to the notices), max_items, next_css, max_pages
          # feed:              max_items, follow (also fetch each entry's page)
          # json_api:          items (dotted path to the list), link, date, text (fields),
          #                    max_items, follow

Every error names the file, the line and the field.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from crawlers.articles import STYLES
from kb.core.choices import COUNTRIES, EXTRA_JURISDICTIONS, LAW_RIGHTS, codes
from kb.core.errors import IpwatchError

KINDS = ("law_page", "listing", "feed", "json_api", "guidance")
JURISDICTIONS = {c for c in codes(COUNTRIES) if c != "other"} | set(codes(EXTRA_JURISDICTIONS)) | {"CN"}
REQUIRED = ("id", "kind", "title", "url", "rights", "language")
OPTIONAL = {
    "title_zh": str,
    "numbering": str,
    "extract": dict,
    "verified": bool,
    "note": str,
    "allowed_hosts": list,
    "options": dict,
    "tls_verify": bool,
    "tls_reason": str,
}
_CRAWL = {"min_delay": float}  # every kind: seconds between requests to this source's host
_LISTING = {**_CRAWL, "item_css": str, "max_items": int, "next_css": str, "max_pages": int}
KIND_OPTIONS: dict[str, dict[str, type]] = {
    "law_page": _CRAWL,
    "listing": _LISTING,
    "guidance": _LISTING,
    "feed": {**_CRAWL, "max_items": int, "follow": bool},
    "json_api": {**_CRAWL, "items": str, "link": str, "date": str, "text": list,
                 "max_items": int, "follow": bool},
}
EXTRACT_KEYS = ("css", "xpath")
_ID = re.compile(r"^[a-z]{2,4}-[a-z0-9][a-z0-9-]*$")


class RegistryError(IpwatchError):
    pass


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL, the port made explicit (RFC 6454 origin)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:  # a port that is not a number
        port = -1
    return scheme, (parts.hostname or "").lower(), port


@dataclass(frozen=True)
class Source:
    id: str
    jurisdiction: str
    kind: str
    title: str
    url: str
    rights: tuple[str, ...]
    language: str
    title_zh: str = ""
    numbering: str = ""
    extract: dict = field(default_factory=dict)
    verified: bool = False
    note: str = ""
    allowed_hosts: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    tls_verify: bool = True  # False only with a written ``tls_reason`` (checked on load)
    tls_reason: str = ""
    origin: str = ""  # file:line it was declared at

    @property
    def hosts(self) -> tuple[str, ...]:
        return (urlsplit(self.url).hostname or "",) + tuple(
            urlsplit(f"//{h}").hostname or h for h in self.allowed_hosts)

    @property
    def origins(self) -> tuple[tuple[str, str, int], ...]:
        """(scheme, host, port) the crawl may request: the URL's own origin and its https
        form, and each ``allowed_hosts`` entry (``host`` or ``host:port``) over http(s)."""
        scheme, host, port = origin_of(self.url)
        found = {(scheme, host, port)}
        if scheme == "http" and port == 80:
            found.add(("https", host, 443))
        for entry in self.allowed_hosts:
            parts = urlsplit(f"//{entry}")
            name = (parts.hostname or entry).lower()
            found |= {("http", name, parts.port or 80), ("https", name, parts.port or 443)}
        return tuple(sorted(found))

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10x faster
    """Safe loader whose mappings remember the line of each key."""


class LineDict(dict):
    lines: dict[str, int]
    line: int


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.lines = {}
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def default_registry() -> Path:
    return Path(str(resources.files("crawlers").joinpath("sources")))


def _fail(path: Path, line: int | None, field_name: str, message: str) -> RegistryError:
    at = f"{path}" + (f" 第{line}行" if line else "")
    return RegistryError(f"来源登记文件 {at}，字段「{field_name}」：{message}")


def _check_source(path: Path, jurisdiction: str, entry: Any, index: int) -> Source:
    if not isinstance(entry, LineDict):
        raise _fail(path, None, f"sources[{index}]", "应为一个来源（键: 值 的表）")
    lines = entry.lines

    def fail(name: str, message: str) -> RegistryError:
        return _fail(path, lines.get(name, entry.line), name, message)

    for name in REQUIRED:
        if name not in entry or entry[name] in (None, "", []):
            raise fail(name, "必填")
    for name, value in entry.items():
        if name in REQUIRED:
            continue
        if name not in OPTIONAL:
            raise fail(name, "未知字段")
        if not isinstance(value, OPTIONAL[name]):
            raise fail(name, f"类型应为 {OPTIONAL[name].__name__}")
    if not isinstance(entry["id"], str) or not _ID.match(entry["id"]):
        raise fail("id", "应为小写字母、数字和连字符，以辖区代码开头，例如 de-patg")
    if entry["kind"] not in KINDS:
        raise fail("kind", f"应为 {' / '.join(KINDS)} 之一")
    url = str(entry["url"])
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail("url", "应为 http(s) 网址")
    rights = entry["rights"]
    if not isinstance(rights, list) or not all(isinstance(r, str) for r in rights):
        raise fail("rights", "应为权利类别列表")
    unknown = [r for r in rights if r not in codes(LAW_RIGHTS)]
    if unknown:
        raise fail("rights", f"未知权利类别 {unknown[0]}，可选：{', '.join(codes(LAW_RIGHTS))}")
    for text_field in ("title", "language"):
        if not isinstance(entry[text_field], str):
            raise fail(text_field, "应为文本")
    _check_options(entry, fail)
    if entry.get("numbering") and entry["numbering"] not in STYLES:
        raise fail("numbering", f"未知条文编号方式，可选：{', '.join(STYLES)}")
    hosts = entry.get("allowed_hosts", [])
    if not all(isinstance(h, str) and h for h in hosts):
        raise fail("allowed_hosts", "应为主机名列表")
    if entry.get("tls_verify") is False and len(entry.get("tls_reason", "").strip()) < 4:
        raise fail("tls_verify", "关闭证书校验须在 tls_reason 中写明理由")
    return Source(
        id=entry["id"],
        jurisdiction=jurisdiction,
        kind=entry["kind"],
        title=entry["title"],
        url=url,
        rights=tuple(rights),
        language=entry["language"],
        title_zh=entry.get("title_zh", ""),
        numbering=entry.get("numbering", ""),
        extract=dict(entry.get("extract", {})),
        verified=entry.get("verified", False),
        note=entry.get("note", ""),
        allowed_hosts=tuple(hosts),
        options=dict(entry.get("options", {})),
        tls_verify=entry.get("tls_verify", True),
        tls_reason=entry.get("tls_reason", ""),
        origin=f"{path}:{lines.get('id', entry.line)}",
    )


def _check_options(entry: LineDict, fail) -> None:
    """Kind-specific ``options`` and the ``extract`` hint: known keys of the right type."""
    allowed = KIND_OPTIONS[entry["kind"]]
    for key, value in entry.get("options", {}).items():
        if key not in allowed:
            known = "、".join(allowed) or "（无）"
            raise fail("options", f"类型 {entry['kind']} 不支持选项「{key}」，可用：{known}")
        wanted = allowed[key]
        accepted = (int, float) if wanted is float else wanted
        if not isinstance(value, accepted) or (wanted in (int, float) and isinstance(value, bool)):
            raise fail("options", f"选项「{key}」类型应为 {wanted.__name__}")
    for key, value in entry.get("extract", {}).items():
        if key not in EXTRACT_KEYS or not isinstance(value, str) or not value:
            raise fail("extract", f"应为 css 或 xpath 选择器（文本），而不是「{key}」")


def load_file(path: Path) -> list[Source]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise _fail(path, line, "（YAML）", f"格式错误：{getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise RegistryError(f"来源登记文件 {path} 不是 UTF-8 编码") from None
    if not isinstance(data, LineDict):
        raise _fail(path, 1, "（文件）", "应为含 jurisdiction 与 sources 的表")
    unknown = set(data) - {"jurisdiction", "sources"}
    if unknown:
        name = sorted(unknown)[0]
        raise _fail(path, data.lines[name], name, "未知字段")
    jurisdiction = data.get("jurisdiction")
    if jurisdiction not in JURISDICTIONS:
        raise _fail(path, data.lines.get("jurisdiction", 1), "jurisdiction",
                    f"应为 {', '.join(sorted(JURISDICTIONS))} 之一")
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise _fail(path, data.lines.get("sources", 1), "sources", "应为至少一个来源的列表")
    return [_check_source(path, jurisdiction, entry, i) for i, entry in enumerate(entries)]


def load_registry(path: str | Path | None = None) -> list[Source]:
    """Load a registry file or a folder of ``*.yaml`` files (default: the bundled one)."""
    root = Path(path) if path else default_registry()
    if not root.exists():
        raise RegistryError(f"找不到来源登记：{root}")
    files = sorted(root.glob("*.yaml")) + sorted(root.glob("*.yml")) if root.is_dir() else [root]
    if not files:
        raise RegistryError(f"来源登记目录 {root} 中没有 .yaml 文件")
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return list(_load_files(stamp))


@functools.lru_cache(maxsize=16)
def _load_files(stamp: tuple[tuple[str, int, int], ...]) -> tuple[Source, ...]:
    """The sources of these files; cached by path, mtime and size (a crawl's spiders each load
    the registry, and a registry of a thousand sources takes a noticeable time to parse)."""
    sources: list[Source] = []
    seen: dict[str, str] = {}
    for file in (Path(name) for name, _mtime, _size in stamp):
        for source in load_file(file):
            if source.id in seen:
                raise RegistryError(
                    f"来源登记 {source.origin}，字段「id」：与 {seen[source.id]} 重复：{source.id}"
                )
            seen[source.id] = source.origin
            sources.append(source)
    return tuple(sources)


def select(sources: list[Source], only: str | None) -> list[Source]:
    if not only:
        return sources
    chosen = [s for s in sources if s.id == only]
    if not chosen:
        raise RegistryError(f"来源登记中没有 id 为「{only}」的来源")
    return chosen
