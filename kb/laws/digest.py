"""The Chinese digest of a change (自动摘要), by rule and from the change itself.

For each substantive article: added / removed / amended, with its Chinese title when the
article has a heading the glossary knows (``kb/laws/glossary/<language>.yaml``: headings,
offices and courts, with their review status); for an amended article, what changed in the
things that matter — periods, amounts with currency, percentages, damages multipliers, dates
(``kb.laws.quantities``) and the offices/courts it names. Nothing is invented: a heading the
glossary does not know is given in the original language, marked 原文标题; an article without
a heading gets none; a change with no such facts says only that the text was amended.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from kb.laws.quantities import KINDS, Quantity, find

CHANGE_VERBS = {"added": "新增", "removed": "删除", "modified": "修改"}
LANGUAGE_OF = {"DE": "de", "AT": "de", "FR": "fr", "JP": "ja", "KR": "ko", "US": "en", "GB": "en",
               "AU": "en", "IN": "en"}
LABEL = "自动摘要"


@lru_cache(maxsize=None)
def glossary(language: str) -> dict:
    """The glossary of a language (empty when there is none)."""
    entry = resources.files("kb.laws").joinpath("glossary", f"{language}.yaml")
    if not entry.is_file():
        return {"headings": {}, "bodies": {}, "status": "none"}
    data = yaml.safe_load(entry.read_text("utf-8")) or {}
    return {"headings": data.get("headings") or {}, "bodies": data.get("bodies") or {},
            "status": data.get("status", "draft")}


_MD = re.compile(r"^#+\s*")
_JA_CAPTION = re.compile(r"^[（(]([^）)]+)[）)]$")
_KO_CAPTION = re.compile(r"^제\d+조(?:의\d+)?\s*[（(]([^）)]+)[）)]")
_ID_PREFIX = re.compile(r"^(?:§+\s*[\w.-]+|Sec\.\s*[\w-]+\.?|Section\s+[\w-]+\.?|Article\s+[\w-]+|Art\.\s*[\w-]+|\d+[A-Z]*)\s*")


def heading_of(text: str) -> str:
    """The article's own heading, "" when it has none (§ 139 in PatG, Légifrance articles)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = _MD.sub("", first)
    for caption in (_JA_CAPTION, _KO_CAPTION):
        m = caption.match(first)
        if m:
            return m.group(1).strip()
    if re.match(r"^第[\d〇一二三四五六七八九十百千]+条", first):
        return ""  # a Japanese article without a caption starts with its text
    rest = _ID_PREFIX.sub("", first, count=1) if _ID_PREFIX.match(first) else ""
    return rest.strip(" .:–-")


def title_zh(heading: str, language: str) -> str | None:
    """The Chinese title of a heading: the whole heading, or each of its ";"-parts, from the
    glossary; None when any part is unknown."""
    headings = glossary(language)["headings"]
    if heading in headings:
        return headings[heading]
    parts = [p.strip() for p in re.split(r"[;；]", heading) if p.strip()]
    if len(parts) > 1 and all(p in headings for p in parts):
        return "；".join(headings[p] for p in parts)
    return None


@dataclass
class ArticleDigest:
    article: str          # canonical id
    label: str            # Chinese form of the id (第139条)
    change: str           # added / removed / modified
    heading: str = ""     # original heading, "" when none
    title: str = ""       # Chinese title, "" when the glossary does not know the heading
    facts: list[str] = field(default_factory=list)
    quantities: list[dict] = field(default_factory=list)  # [{"kind", "old", "new"}] (for tests and measuring)

    def line(self) -> str:
        title = f"（{self.title}）" if self.title else (f"（原文标题：{self.heading}）" if self.heading else "")
        facts = "：" + "；".join(self.facts) if self.facts else ""
        return f"{CHANGE_VERBS[self.change]}{self.label}{title}{facts}"


def quantity_changes(old: list[Quantity], new: list[Quantity]) -> list[dict]:
    """What changed between two lists of quantities: a value that went and one of the same kind
    and unit that came are a pair (3个月→9个月, counted occurrence by occurrence); otherwise a
    value is reported added or dropped only when the article did not have it at all (a value
    the article already had is no news when it appears once more)."""
    before, after = Counter(q.key + (q.value,) for q in old), Counter(q.key + (q.value,) for q in new)
    gone = _left(old, before - after)
    came = _left(new, after - before)
    result = []
    for q in gone:
        match = next((n for n in came if n.key == q.key), None)
        if match:
            came.remove(match)
            result.append({"kind": q.kind, "old": q.zh, "new": match.zh})
        elif q.key + (q.value,) not in after:
            result.append({"kind": q.kind, "old": q.zh, "new": ""})
    result += [{"kind": n.kind, "old": "", "new": n.zh} for n in came if n.key + (n.value,) not in before]
    return result


def _left(items: list[Quantity], counts: Counter) -> list[Quantity]:
    """The quantities of ``items`` left over after the multiset difference ``counts``."""
    left, out = Counter(counts), []
    for q in items:
        if left[q.key + (q.value,)] > 0:
            left[q.key + (q.value,)] -= 1
            out.append(q)
    return out


def _unique(items: list[Quantity]) -> list[Quantity]:
    seen, out = set(), []
    for q in items:
        if (q.kind, q.unit, q.value) not in seen:
            seen.add((q.kind, q.unit, q.value))
            out.append(q)
    return out


def _fact(change: dict) -> str:
    kind = KINDS[change["kind"]]
    if change["old"] and change["new"]:
        return f"{kind} {change['old']}→{change['new']}"
    return f"新增{kind} {change['new']}" if change["new"] else f"删除{kind} {change['old']}"


def body_changes(old_text: str, new_text: str, language: str) -> list[str]:
    """Offices and courts (all spellings of one, grouped by their Chinese name) named in one
    text and not the other."""
    names: dict[str, list[str]] = {}
    for name, zh in glossary(language)["bodies"].items():
        names.setdefault(zh, []).append(name)
    facts = []
    for zh, spellings in names.items():
        before = any(n in old_text for n in spellings)
        after = any(n in new_text for n in spellings)
        if after != before:
            facts.append(f"新增提及{zh}" if after else f"不再提及{zh}")
    return facts


def article_digest(detail: dict, language: str, label: Callable[[str], str]) -> ArticleDigest:
    """The digest of one article change (``kb.laws.changes.change_articles`` entry)."""
    heading = heading_of(detail.get("new_text") or detail.get("old_text") or "")
    digest = ArticleDigest(detail["id"], label(detail["id"]), detail["change"], heading,
                           title_zh(heading, language) or "" if heading else "")
    if detail["change"] == "modified":
        changes = quantity_changes(find(detail.get("old_text", ""), language),
                                   find(detail.get("new_text", ""), language))
        digest.quantities = changes
        digest.facts = [_fact(c) for c in changes]
        digest.facts += body_changes(detail.get("old_text", ""), detail.get("new_text", ""), language)
    return digest


def change_digest(details: list[dict], jurisdiction: str, label: Callable[[str], str],
                  language: str = "") -> list[ArticleDigest]:
    """The digest of every substantive article of a change (editorial ones are left out)."""
    language = (language or LANGUAGE_OF.get(jurisdiction.upper(), ""))[:2]
    return [article_digest(d, language, label) for d in details
            if not d.get("editorial") and d["id"] != "__header__"]
