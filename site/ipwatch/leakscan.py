"""Post-build check: no applicant name, credit code, contact name, phone, e-mail or address
held in the case store appears in any published file of the site.

Every published file is read as its readers get it (``ipwatch.published_text``: HTML as shown,
DOCX text across runs, XLSX cell values, JSON strings, Pagefind fragments, zip and gzip
members, UTF-16, character references, full-width forms) and compared, normalised the same way,
with each value as written, HTML-escaped, JSON-escaped (``\\uXXXX``) and URL-encoded; phones also
in their national forms (spaced, hyphenated, area code in brackets). The failure message names
the case, the field and the file, never the value. Values that are public anyway (the
departments' own names, addresses and phones) are skipped.

A short Chinese value that is also an ordinary word (a contact named 许可: 许可 is in jieba's
dictionary) is a hit only in its personal-data context: next to another value of the same case
or to a word such as 联系人, 电话, 先生, 女士 — otherwise it would block every guide page that
speaks of licences. A hit a staff member examined and accepted (``ipwatch site accept-hit``,
``kb.cases.leakaccept``) is reported as accepted and does not fail the build.
"""
from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import phonenumbers

from ipwatch import sitebuild
from ipwatch.published_text import normalise, views
from kb.cases.leakaccept import CASE_VALUES_SQL, PERSONAL_FIELDS, accepted_hits, value_digest

MIN_LENGTH = 2
WORD_MAX_CHARS = 3  # a value this short that is a dictionary word is checked in context only
WORD_MIN_FREQUENCY = 50  # in jieba's dictionary
CONTEXT_CHARS = 16
CUES = ("联系人", "联系方式", "联系电话", "电话", "手机", "邮箱", "先生", "女士", "经理", "姓名",
        "申请人", "地址", "负责人", "法定代表人", "法人代表", "经办人")
_CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")


@dataclass(frozen=True, order=True)
class Needle:
    case: str
    field: str
    digest: str
    context: tuple[str, ...] = ()  # empty: a hit anywhere; else one of these must be near

    @property
    def where(self) -> str:
        return f"案件 {self.case} 的「{PERSONAL_FIELDS[self.field]}」"


@dataclass(frozen=True, order=True)
class Hit:
    path: str
    needle: Needle

    def __str__(self) -> str:
        return f"{self.path}：{self.needle.where}"

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.needle.case, self.needle.field, self.path, self.needle.digest)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """Words of jieba's dictionary used often enough to be ordinary words."""
    import jieba

    words = set()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as lines:
        for line in lines:
            word, frequency, *_ = line.split()
            if len(word) <= WORD_MAX_CHARS and int(frequency) >= WORD_MIN_FREQUENCY:
                words.add(word)
    return frozenset(words)


def is_ordinary_word(value: str) -> bool:
    text = normalise(value)
    return len(text) <= WORD_MAX_CHARS and bool(_CJK.match(text)) and text in _dictionary()


def _phone_forms(value: str) -> set[str]:
    number = phonenumbers.parse(value)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    forms = {national, re.sub(r"\D", "", national), str(number.national_number)}
    groups = national.split()  # as people write it: 139-1234-5678, 0751-6696612, (0751)6696612
    if len(groups) > 1:
        forms |= {"-".join(groups), f"{groups[0]}-{''.join(groups[1:])}",
                  f"({groups[0]}){''.join(groups[1:])}"}
    return forms


def _variants(value: str, field: str) -> set[str]:
    forms = {value}
    if field == "phone" and value.startswith("+"):
        forms |= _phone_forms(value)
    out = set()
    for text in forms:
        out |= {text, html.escape(text), json.dumps(text)[1:-1], quote(text), quote(text, safe="")}
    return {n for n in map(normalise, out) if len(n) >= MIN_LENGTH}


def _public_values(settings) -> set[str]:
    public = {settings["office"]["name"], *settings["office"]["partners"]}
    for dept in settings["departments"]:
        public |= {dept["name"], dept["address"], dept["phone"]}
        try:
            number = phonenumbers.parse(dept["phone"], "CN")
            public.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        except phonenumbers.NumberParseException:
            pass
    return {normalise(v) for v in public}


def _context(row, field: str) -> tuple[str, ...]:
    """What makes a hit of an ordinary word personal data: the case's other values, cue words."""
    others = {normalise(row[f]) for f in PERSONAL_FIELDS if f != field and row[f]}
    if row["phone"] and row["phone"].startswith("+"):
        others |= {normalise(p) for p in _phone_forms(row["phone"])}
    return tuple(sorted(o for o in others if len(o) >= MIN_LENGTH)) + CUES


def needles(store, settings) -> dict[str, Needle]:
    """Normalised search string → what a hit of it is (case, field)."""
    public = _public_values(settings)
    found: dict[str, Needle] = {}
    for row in store.conn.execute(CASE_VALUES_SQL):
        for field in PERSONAL_FIELDS:
            value = row[field]
            if not value or normalise(value) in public:
                continue
            context = _context(row, field) if is_ordinary_word(value) else ()
            needle = Needle(row["number"], field, value_digest(value), context)
            for text in _variants(value, field):
                found.setdefault(text, needle)
    return found


def _trie_pattern(words) -> str:
    """One regular expression for many strings, factored by common prefixes (a trie), so that
    thousands of values are matched in one pass at the speed of a few."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        optional = "" in node
        body = branches[0] if len(branches) == 1 and not optional else f"(?:{'|'.join(branches)})"
        return body + ("?" if optional else "")

    return emit(trie)


def _in_context(text: str, match: re.Match, needle: Needle) -> bool:
    if not needle.context:
        return True
    window = text[max(0, match.start() - CONTEXT_CHARS):match.end() + CONTEXT_CHARS]
    return any(cue in window for cue in needle.context)


def _file_hits(path: Path, rel: str, pattern: re.Pattern, found: dict[str, Needle]) -> set[Hit]:
    hits = set()
    for text in views(path.name, path.read_bytes()):
        for match in pattern.finditer(text):
            needle = found[match.group(0)]
            if _in_context(text, match, needle):
                hits.add(Hit(rel, needle))
    return hits


def find_hits(folder: Path, found: dict[str, Needle]) -> list[Hit]:
    """Every (file, case field) found in ``folder``: empty when nothing leaked."""
    if not found:
        return []
    pattern = re.compile(_trie_pattern(found))
    hits: set[Hit] = set()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        hits |= _file_hits(path, path.relative_to(folder).as_posix(), pattern, found)
    return sorted(hits)


def scan_folder(folder: Path, found: dict[str, Needle]) -> list[str]:
    """The hits of ``folder`` as messages (file：案件 N 的「field」), sorted."""
    return sorted({str(hit) for hit in find_hits(folder, found)})


@sitebuild.check
def no_case_data_published(ctx) -> None:
    hits = find_hits(ctx.out, needles(ctx.store, ctx.settings))
    accepted = accepted_hits(ctx.store)
    open_hits = [str(h) for h in hits if h.key not in accepted]
    if open_hits:
        shown = "；".join(open_hits[:10])
        raise sitebuild.BuildError(
            f"网站输出含有案件的保密信息（共{len(open_hits)}处），已停止发布：{shown}。"
            f"如经核实某处并非该案件的个人信息，可用 ipwatch site accept-hit 记录确认人和理由"
        )
