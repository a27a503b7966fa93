"""The topic checklist of the guides (``checklist.yaml``): what every jurisdiction must cover.

Each topic (``topics:``) must be, for every guide folder, one of: *covered* — ``see:`` a list
of sections (``practice#slug``: the part's file stem and a ``##`` section anchor of that
folder); *not applicable* — ``na:`` with the reason (不适用须说明理由); or *open* — ``todo:``
with what is missing and why (待补充, e.g. a rule that could not be verified from an official
text). The site build fails on a missing topic, an anchor that does not exist, or an entry
without its reason; open topics are reported by ``ipwatch guides check`` as below the goal.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.core.errors import FieldError, ValidationError
from kb.guides import FOLDERS, Guide

CHECKLIST_FILE = Path(__file__).resolve().parent / "checklist.yaml"


@dataclass(frozen=True)
class Entry:
    jurisdiction: str
    topic: str
    see: tuple[str, ...]  # "practice#slug" references; empty unless covered
    na: str = ""  # the reason when not applicable
    todo: str = ""  # what is missing when the topic is still open


@dataclass(frozen=True)
class Checklist:
    topics: dict[str, str]  # id -> Chinese title, in file order
    entries: tuple[Entry, ...]

    def of(self, jurisdiction: str) -> list[Entry]:
        return [e for e in self.entries if e.jurisdiction == jurisdiction]


def _entry(code: str, topic: str, raw: object) -> tuple[Entry | None, str | None]:
    if not isinstance(raw, dict) or set(raw) - {"see", "na", "todo"} or len(raw) != 1:
        return None, "须为 see: [部分#锚点, …]、na: 不适用的理由、todo: 待补充的内容 三者之一"
    if "na" in raw or "todo" in raw:
        key = "na" if "na" in raw else "todo"
        reason = str(raw[key] or "").strip()
        if not reason:
            return None, "「不适用」须说明理由" if key == "na" else "「待补充」须说明缺少什么"
        return Entry(code, topic, (), **{key: reason}), None
    see = raw["see"] if isinstance(raw["see"], list) else [raw["see"]]
    if not see or not all(isinstance(s, str) and "#" in s for s in see):
        return None, "see 须列出「部分#锚点」，如 practice#不可错过的期限"
    return Entry(code, topic, tuple(see), ""), None


def load_checklist(path: Path | None = None) -> Checklist:
    """Read and check the shape of the checklist; ValidationError names folder and topic."""
    path = Path(path or CHECKLIST_FILE)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    topics = {str(t["id"]): str(t["title"]) for t in data.get("topics") or []}
    errors, entries = [], []
    table = data.get("jurisdictions") or {}
    for code in FOLDERS:
        given = table.get(code) or {}
        errors += [FieldError(f"{code}.{t}", "未知的主题") for t in given if t not in topics]
        for topic in topics:
            if topic not in given:
                errors.append(FieldError(f"{code}.{topic}", f"缺少主题「{topics[topic]}」"))
                continue
            entry, problem = _entry(code, topic, given[topic])
            errors += [FieldError(f"{code}.{topic}", problem)] if problem else []
            entries += [entry] if entry else []
    errors += [FieldError(code, "未知的国别目录") for code in table if code not in FOLDERS]
    if errors:
        raise ValidationError(errors, title=f"指南主题清单 {path} 有误")
    return Checklist(topics, tuple(entries))


def unknown_sections(checklist: Checklist, guides: list[Guide]) -> list[str]:
    """References to a part or a ``##`` section that the guides do not have."""
    anchors = {(g.code, g.path.stem): {s.slug for s in g.sections if s.slug} for g in guides}
    problems = []
    for entry in checklist.entries:
        for ref in entry.see:
            stem, _, slug = ref.partition("#")
            if slug not in anchors.get((entry.jurisdiction, stem), set()):
                problems.append(f"主题清单 {entry.jurisdiction}.{entry.topic}：{ref} 不存在")
    return problems


def coverage(checklist: Checklist, code: str) -> dict[str, int]:
    entries = checklist.of(code)
    return {
        "topics": len(checklist.topics),
        "topics_covered": sum(bool(e.see) for e in entries),
        "topics_not_applicable": sum(bool(e.na) for e in entries),
        "topics_open": sum(bool(e.todo) for e in entries),
    }
