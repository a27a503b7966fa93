"""The service bodies directory (``service_bodies.yaml``), extendable by staff."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.core.errors import FieldError, ValidationError
from kb.guides import FOLDERS
from kb.guides.lint import url_problem

SERVICE_BODIES_FILE = Path(__file__).resolve().parent / "service_bodies.yaml"
KINDS = {
    "office": "知识产权主管机关", "court": "法院", "customs": "海关", "trade": "贸易主管机关",
    "legislation": "法律数据库", "international": "国际组织", "support": "中国支持渠道",
}
FIELDS = ("name", "jurisdiction", "kind", "url", "note")


@dataclass(frozen=True)
class ServiceBody:
    name: str
    jurisdiction: str  # a guide jurisdiction, or CN (Chinese support network, shown everywhere)
    kind: str
    url: str
    note: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _check(entry: object, row: int) -> list[FieldError]:
    if not isinstance(entry, dict):
        return [FieldError("bodies", "每个机构须为键值对", row=row)]
    errors = [FieldError(k, "未知字段", row=row) for k in entry if k not in FIELDS]
    errors += [FieldError(k, "不能为空", row=row) for k in ("name", "jurisdiction", "kind") if not entry.get(k)]
    jurisdiction = entry.get("jurisdiction")
    if jurisdiction and jurisdiction != "CN" and jurisdiction not in FOLDERS.values():
        errors.append(FieldError("jurisdiction", f"未知法域「{jurisdiction}」（中国支持渠道用 CN）", row=row))
    if entry.get("kind") and entry["kind"] not in KINDS:
        errors.append(FieldError("kind", f"可选：{'、'.join(KINDS)}", row=row))
    if entry.get("url") and jurisdiction and not errors:
        problem = url_problem(entry["url"], jurisdiction)
        if problem:
            errors.append(FieldError("url", problem, row=row))
    return errors


def load_service_bodies(path: Path | None = None) -> list[ServiceBody]:
    """Every body of the directory; ValidationError names the entry (第N条) and field."""
    path = Path(path or SERVICE_BODIES_FILE)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("bodies") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValidationError([FieldError("bodies", "缺少机构列表 bodies")], title=f"服务机构名录 {path} 有误")
    errors = [e for row, entry in enumerate(entries, start=1) for e in _check(entry, row)]
    if errors:
        raise ValidationError(errors, title=f"服务机构名录 {path} 有误（行号指第几个机构）")
    return [ServiceBody(**{k: str(entry.get(k) or "") for k in FIELDS}) for entry in entries]


def bodies_for(jurisdiction: str, bodies: list[ServiceBody] | None = None) -> list[ServiceBody]:
    """The bodies of one jurisdiction followed by the Chinese support network (CN)."""
    bodies = load_service_bodies() if bodies is None else bodies
    return [b for b in bodies if b.jurisdiction == jurisdiction.upper()] + [
        b for b in bodies if b.jurisdiction == "CN"
    ]
