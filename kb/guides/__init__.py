"""Country guides (国别指南): Markdown files with YAML front matter, one folder per jurisdiction.

Layout: ``kb/guides/<code>/<part>.md`` where ``<code>`` is one of ``FOLDERS`` (us, eu, de, …,
intl) and ``<part>`` one of ``laws`` (法律法规), ``institutions`` (制度环境), ``practice``
(实务指引), ``services`` (服务机构) and, optionally, ``index`` (概述, part ``overview``).

Front matter keys (all required)::

    jurisdiction: US            # the folder's code in upper case (EU, INTL …)
    part: laws                  # laws | institutions | practice | services | overview
    title: 美国知识产权法律法规
    reviewed: 2026-11-28        # the date a reviewer last checked every statement
    rights: [patent, trademark] # kb.core.choices.LAW_RIGHTS codes the file concerns

and, optional for the parser but required of the bundled guides (``lint.unrecorded_reviews``),
the record of the review that the ``reviewed`` date stands for::

    review:
      by: 审核人或会话        # who reviewed
      checked: [ZPO § 276 …]  # what was checked against which official text

The body is split into sections at ``##`` headings; a section's slug is the anchor MkDocs gives
the heading (toc with ``pymdownx.slugs.slugify(case="lower")``), so ``page#slug`` links work.
Headings are plain text (no links, code or attribute lists) so the slug stays predictable.

A paragraph may declare the tracked law articles it relies on with an HTML comment line
directly above it::

    <!-- relies: de-patg:§ 139, de-patg:§ 145a -->

Each entry is ``<source id>:<article id>`` — the source id of the crawler registry and the
article id as the crawler splits it; ids compare with whitespace removed
(:func:`article_key`). When a tracked article changes, the paragraph is flagged for review.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from pymdownx.slugs import slugify

from kb.core.choices import LAW_RIGHTS, codes
from kb.core.errors import FieldError, ValidationError

GUIDES_ROOT = Path(__file__).resolve().parent

# folder code -> jurisdiction code in front matter; order is the site's order
FOLDERS = {
    "us": "US", "eu": "EU", "de": "DE", "fr": "FR", "gb": "GB", "jp": "JP", "kr": "KR",
    "in": "IN", "br": "BR", "ru": "RU", "tr": "TR", "au": "AU", "intl": "INTL",
}
JURISDICTION_LABELS = {
    "US": "美国", "EU": "欧盟", "DE": "德国", "FR": "法国", "GB": "英国", "JP": "日本",
    "KR": "韩国", "IN": "印度", "BR": "巴西", "RU": "俄罗斯", "TR": "土耳其", "AU": "澳大利亚",
    "INTL": "国际途径",
}
# file stem -> part; the four parts the notice names, plus the optional overview
PART_FILES = {
    "index": "overview", "laws": "laws", "institutions": "institutions",
    "practice": "practice", "services": "services",
}
REQUIRED_PARTS = ("laws", "institutions", "practice", "services")
PART_LABELS = {
    "overview": "概述", "laws": "法律法规", "institutions": "制度环境",
    "practice": "实务指引", "services": "服务机构",
}
FRONT_MATTER_KEYS = ("jurisdiction", "part", "title", "reviewed", "rights")
OPTIONAL_KEYS = ("review",)
INTRO_HEADING = "概述"  # the heading given to the text before the first ## heading

_slugify = slugify(case="lower")
_RELIES = re.compile(r"^\s*<!--\s*relies:(?P<body>.*?)-->\s*$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_LINK = re.compile(r"\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)|<(?P<auto>https?://[^>\s]+)>")
_FENCE = re.compile(r"^\s*(```|~~~)")


def slug_of(heading: str) -> str:
    """The anchor MkDocs' toc gives a plain-text heading."""
    return _slugify(heading, "-")


def article_key(article_id: str) -> str:
    """Canonical comparison key of an article id: whitespace removed (``§ 139`` == ``§139``)."""
    return re.sub(r"\s+", "", article_id)


@dataclass
class Paragraph:
    """One paragraph (or list/table block) of a section, with what it relies on."""

    line: int  # 1-based line of the file where the paragraph starts
    text: str
    relies: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    guide: "Guide" = field(repr=False)
    slug: str  # "" for the text before the first ## heading
    heading: str
    text: str
    relies: list[tuple[str, str]]
    links: list[str]
    line: int = 0  # 1-based line of the heading in the file
    paragraphs: list[Paragraph] = field(default_factory=list, repr=False)

    @property
    def anchor(self) -> str:
        """Site link of this section relative to the site root, e.g. ``guides/de/laws.md#…``."""
        return f"{self.guide.page}#{self.slug}" if self.slug else self.guide.page


@dataclass
class Guide:
    jurisdiction: str
    part: str
    title: str
    reviewed: date
    rights: list[str]
    path: Path
    body: str
    review: dict = field(default_factory=dict)  # {"by": str, "checked": [str, …]}
    sections: list[Section] = field(default_factory=list, repr=False)
    body_line: int = 1  # 1-based file line of the body's first line

    @property
    def code(self) -> str:
        """The folder code (``us``, ``intl`` …)."""
        return self.path.parent.name

    @property
    def page(self) -> str:
        """The site page of this file (staging-relative Markdown path)."""
        return f"guides/{self.code}/{self.path.stem}.md"

    @property
    def links(self) -> list[str]:
        return [link for section in self.sections for link in section.links]

    def section(self, heading: str) -> "Section | None":
        """The first ``##`` section whose heading starts with ``heading`` (``不可错过的期限``, ``官方费用``)."""
        return next((s for s in self.sections if s.heading.startswith(heading)), None)


def _error(path: Path, field_name: str, message: str, line: int | None = None) -> ValidationError:
    return ValidationError([FieldError(field_name, message, line=line)], title=f"国别指南文件 {path} 有误")


def _split_front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise _error(path, "front matter", "文件须以 --- 开头的 YAML 头信息开始", 1)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise _error(path, "front matter", "YAML 头信息缺少结束行 ---", 1)
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise _error(path, "front matter", f"YAML 无法解析：{getattr(exc, 'problem', exc)}", line) from None
    if not isinstance(meta, dict):
        raise _error(path, "front matter", "YAML 头信息须为键值对", 2)
    return meta, "\n".join(lines[end + 1:]), end + 2


def _key_line(text: str, key: str) -> int | None:
    for number, raw in enumerate(text.splitlines()[:40], start=1):
        if raw.startswith(f"{key}:"):
            return number
    return None


def _check_meta(path: Path, text: str, meta: dict) -> list[FieldError]:
    errors = [
        FieldError(key, "缺少此项", line=1) for key in FRONT_MATTER_KEYS if key not in meta
    ]
    errors += [
        FieldError(key, "未知的头信息项", line=_key_line(text, key))
        for key in meta if key not in FRONT_MATTER_KEYS + OPTIONAL_KEYS
    ]
    folder = FOLDERS.get(path.parent.name)
    if folder is None:
        errors.append(FieldError("jurisdiction", f"未知的国别目录「{path.parent.name}」", line=1))
    elif "jurisdiction" in meta and meta["jurisdiction"] != folder:
        errors.append(FieldError("jurisdiction", f"应为 {folder}（与目录一致）", line=_key_line(text, "jurisdiction")))
    part = PART_FILES.get(path.stem)
    if part is None:
        errors.append(FieldError("part", f"未知的文件名「{path.name}」", line=1))
    elif "part" in meta and meta["part"] != part:
        errors.append(FieldError("part", f"应为 {part}（与文件名一致）", line=_key_line(text, "part")))
    if "title" in meta and not (isinstance(meta["title"], str) and meta["title"].strip()):
        errors.append(FieldError("title", "标题不能为空", line=_key_line(text, "title")))
    if "reviewed" in meta and not isinstance(meta["reviewed"], date):
        errors.append(FieldError("reviewed", "须为日期，如 2026-11-28", line=_key_line(text, "reviewed")))
    if "rights" in meta:
        errors += _check_rights(meta["rights"], _key_line(text, "rights"))
    if "review" in meta:
        errors += _check_review(meta["review"], _key_line(text, "review"))
    return errors


def _check_review(review: object, line: int | None) -> list[FieldError]:
    ok = (
        isinstance(review, dict) and set(review) == {"by", "checked"}
        and isinstance(review["by"], str) and review["by"].strip()
        and isinstance(review["checked"], list) and review["checked"]
        and all(isinstance(item, str) and item.strip() for item in review["checked"])
    )
    return [] if ok else [FieldError("review", "须为 by: 审核人 和 checked: [核对的内容, …]", line=line)]


def _check_rights(rights: object, line: int | None) -> list[FieldError]:
    known = codes(LAW_RIGHTS)
    if not isinstance(rights, list) or not rights:
        return [FieldError("rights", f"须为非空列表，可选：{'、'.join(known)}", line=line)]
    return [
        FieldError("rights", f"未知的权利类别「{r}」，可选：{'、'.join(known)}", line=line)
        for r in rights if r not in known
    ]


def _parse_relies(body: str) -> list[tuple[str, str]] | None:
    out = []
    for item in body.split(","):
        source, sep, article = item.strip().partition(":")
        if not (sep and source.strip() and article.strip()):
            return None
        out.append((source.strip(), article.strip()))
    return out


def _blocks(lines: list[str], first_line: int, path: Path) -> list[Paragraph]:
    """Paragraphs of a section body; a relies comment attaches to the block right below it."""
    paragraphs: list[Paragraph] = []
    pending: list[tuple[str, str]] | None = None
    current: Paragraph | None = None
    in_fence = False
    for offset, raw in enumerate(lines):
        number = first_line + offset
        if _FENCE.match(raw):
            in_fence = not in_fence
        match = None if in_fence else _RELIES.match(raw)
        if match:
            pending = _parse_relies(match.group("body"))
            if not pending:
                raise _error(path, "relies", "格式应为 <!-- relies: 来源ID:条款号, … -->", number)
            current = None
            continue
        if not raw.strip() and not in_fence:
            current = None
            continue
        if current is None:
            current = Paragraph(line=number, text="", relies=pending or [])
            paragraphs.append(current)
            pending = None
        current.text += raw + "\n"
    if pending:
        raise _error(path, "relies", "relies 注释下方须紧接一个段落", first_line + len(lines) - 1)
    return paragraphs


def _links(text: str) -> list[str]:
    return [m.group("url") or m.group("auto") for m in _LINK.finditer(text)]


def _check_heading(path: Path, heading: str, line: int) -> None:
    if re.search(r"[\[\]`*<>{}]", heading):
        raise _error(path, "heading", "标题须为纯文本（不含链接、代码、HTML 或属性）", line)


def _sections(guide: Guide) -> list[Section]:
    lines = guide.body.splitlines()
    starts: list[tuple[int, str]] = [(-1, "")]
    in_fence = False
    for index, raw in enumerate(lines):
        if _FENCE.match(raw):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(raw)
        if match and len(match.group("hashes")) == 1:
            raise _error(guide.path, "heading", "正文不要用一级标题（# ），标题取自 title", guide.body_line + index)
        if match and len(match.group("hashes")) == 2:
            _check_heading(guide.path, match.group("text"), guide.body_line + index)
            starts.append((index, match.group("text")))
    sections = []
    seen: dict[str, int] = {}
    for (start, heading), (end, _) in zip(starts, starts[1:] + [(len(lines), "")]):
        body_lines = lines[start + 1:end]
        if start < 0 and not "".join(body_lines).strip():
            continue
        line = guide.body_line + start if start >= 0 else guide.body_line
        slug = slug_of(heading) if heading else ""
        if slug in seen:
            raise _error(guide.path, "heading", f"小节锚点「{slug}」与第{seen[slug]}行重复", line)
        seen[slug] = line
        paragraphs = _blocks(body_lines, line + (1 if start >= 0 else 0), guide.path)
        text = "\n".join(body_lines).strip()
        relies = [r for p in paragraphs for r in p.relies]
        sections.append(Section(guide, slug, heading or INTRO_HEADING, text, relies, _links(text), line, paragraphs))
    return sections


def parse_guide(path: Path) -> Guide:
    """Read and validate one guide file; raise ValidationError naming file and line."""
    text = path.read_text(encoding="utf-8-sig")  # a BOM from a Windows editor is not content
    meta, body, body_line = _split_front_matter(path, text)
    errors = _check_meta(path, text, meta)
    if errors:
        raise ValidationError(errors, title=f"国别指南文件 {path} 有误")
    guide = Guide(
        jurisdiction=meta["jurisdiction"],
        part=meta["part"],
        title=meta["title"].strip(),
        reviewed=meta["reviewed"],
        rights=list(meta["rights"]),
        path=path,
        body=body,
        body_line=body_line,
        review=dict(meta.get("review") or {}),
    )
    guide.sections = _sections(guide)
    return guide


def load_guides(root: Path | None = None) -> list[Guide]:
    """Every guide file under ``root`` (default: the bundled guides), in site order.

    Raises ValidationError listing every bad file (file and line) — all files are checked.
    """
    root = Path(root) if root is not None else GUIDES_ROOT
    guides: list[Guide] = []
    errors: list[FieldError] = []
    order = list(FOLDERS)
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))),
        key=lambda p: (order.index(p.name) if p.name in order else len(order), p.name),
    )
    stems = list(PART_FILES)
    for folder in folders:
        files = sorted(folder.glob("*.md"), key=lambda p: (stems.index(p.stem) if p.stem in stems else 99, p.name))
        for path in files:
            try:
                guides.append(parse_guide(path))
            except ValidationError as exc:
                where = f"{folder.name}/{path.name}"
                errors += [FieldError(f"{where} {e.field}", e.message, line=e.line) for e in exc.errors]
    if errors:
        raise ValidationError(errors, title=f"国别指南校验未通过（{root}）")
    return guides


def guides_by_jurisdiction(guides: list[Guide]) -> dict[str, dict[str, Guide]]:
    """``{"US": {"laws": Guide, …}, …}`` in site order."""
    out: dict[str, dict[str, Guide]] = {}
    for guide in guides:
        out.setdefault(guide.jurisdiction, {})[guide.part] = guide
    return out
