"""Cross-country comparison facts (``comparison.yaml``): one topic per table, each fact sourced."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.core.errors import FieldError, ValidationError
from kb.guides import FOLDERS
from kb.guides.lint import url_problem

COMPARISON_FILE = Path(__file__).resolve().parent / "comparison.yaml"
FACT_FIELDS = ("jurisdiction", "value", "cite", "source")


@dataclass(frozen=True)
class Fact:
    jurisdiction: str
    value: str
    cite: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    facts: tuple[Fact, ...]


def _fact(entry: object, where: str) -> tuple[Fact | None, list[FieldError]]:
    if not isinstance(entry, dict):
        return None, [FieldError(where, "须为键值对")]
    errors = [FieldError(f"{where}.{k}", "未知字段") for k in entry if k not in FACT_FIELDS]
    errors += [FieldError(f"{where}.{k}", "不能为空") for k in FACT_FIELDS if not entry.get(k)]
    if errors:
        return None, errors
    if entry["jurisdiction"] not in FOLDERS.values():
        errors.append(FieldError(f"{where}.jurisdiction", f"未知法域「{entry['jurisdiction']}」"))
    sources = entry["source"] if isinstance(entry["source"], list) else [entry["source"]]
    for url in sources:
        problem = not errors and url_problem(str(url), entry["jurisdiction"])
        if problem:
            errors.append(FieldError(f"{where}.source", problem))
    fact = Fact(entry["jurisdiction"], str(entry["value"]), str(entry["cite"]), tuple(map(str, sources)))
    return (None if errors else fact), errors


def load_comparison(path: Path | None = None) -> list[Topic]:
    """Every topic with its facts, in file order; ValidationError names topic and fact."""
    path = Path(path or COMPARISON_FILE)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    topics, errors = [], []
    for t_index, raw in enumerate(data.get("topics") or [], start=1):
        where = f"topics[{raw.get('id', t_index) if isinstance(raw, dict) else t_index}]"
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("title"):
            errors.append(FieldError(where, "主题须有 id 和 title"))
            continue
        facts = []
        for f_index, entry in enumerate(raw.get("facts") or [], start=1):
            fact, problems = _fact(entry, f"{where}.facts[{f_index}]")
            errors += problems
            facts += [fact] if fact else []
        topics.append(Topic(raw["id"], raw["title"], tuple(facts)))
    if not topics and not errors:
        errors.append(FieldError("topics", "没有任何比较主题"))
    if errors:
        raise ValidationError(errors, title=f"国别比较数据 {path} 有误")
    return topics
