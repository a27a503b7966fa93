"""Post-build check: no applicant name, credit code, contact name, phone, e-mail or address
held in the case store appears in any published file of the site.

Every file of the output is read — HTML, the search indexes, sitemap, feeds, and the members
of zipped (DOCX, XLSX) and gzipped (sitemap.xml.gz) files — and searched for each
value as written, HTML-escaped, JSON-escaped (``\\uXXXX``) and URL-encoded; phones also in
their national forms (spaced, hyphenated, area code in brackets), after removing invisible word separators. The failure message names the case and the field, never the value.
Values that are public anyway (the departments' own names, addresses and phones) are skipped.
"""
from __future__ import annotations

import gzip
import html
import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import phonenumbers

from ipwatch import sitebuild

FIELDS = (("applicant_name", "申请人"), ("uscc", "统一社会信用代码"))
CONTACT_FIELDS = (("contact_name", "联系人"), ("email", "联系人邮箱"), ("phone", "联系电话"),
                  ("address", "详细联系地址"))
MIN_LENGTH = 2
# Invisible characters a page or an index may put between words (a search index may put
# U+200B between words); they are removed before searching.
INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def _variants(value: str, field: str) -> set[str]:
    forms = {value}
    if field == "phone" and value.startswith("+"):
        number = phonenumbers.parse(value)
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        forms |= {national, re.sub(r"\D", "", national), str(number.national_number)}
        groups = national.split()  # as people write it: 139-1234-5678, 0751-6696612, (0751)6696612
        if len(groups) > 1:
            forms |= {"-".join(groups), f"{groups[0]}-{''.join(groups[1:])}",
                      f"({groups[0]}){''.join(groups[1:])}"}
    out = set()
    for text in forms:
        out |= {text, html.escape(text), json.dumps(text)[1:-1], quote(text), quote(text, safe="")}
    return {v.lower() for v in out if len(v) >= MIN_LENGTH}


def _public_values(settings) -> set[str]:
    public = {settings["office"]["name"], *settings["office"]["partners"]}
    for dept in settings["departments"]:
        public |= {dept["name"], dept["address"], dept["phone"]}
        try:
            number = phonenumbers.parse(dept["phone"], "CN")
            public.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        except phonenumbers.NumberParseException:
            pass
    return public


def needles(store, settings) -> dict[str, str]:
    """Lower-cased search string → "case 2026-0001, field" (what a hit is reported as)."""
    public = _public_values(settings)
    rows = store.conn.execute(
        "SELECT c.number, c.applicant_name, c.uscc, p.contact_name, p.email, p.phone, p.address"
        " FROM cases c LEFT JOIN case_contacts p ON p.case_id = c.id"
    )
    found: dict[str, str] = {}
    for row in rows:
        for field, label in FIELDS + CONTACT_FIELDS:
            value = row[field]
            if value and value not in public:
                for needle in _variants(value, field):
                    found.setdefault(needle, f"案件 {row['number']} 的「{label}」")
    return found


def _texts(data: bytes, depth: int = 0):
    """The text of a file, and of the members of zip and gzip files (nested once)."""
    if depth < 2 and data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                yield from _texts(archive.read(name), depth + 1)
        return
    if depth < 2 and data[:2] == b"\x1f\x8b":
        yield from _texts(gzip.decompress(data), depth + 1)
        return
    yield INVISIBLE.sub("", data.decode("utf-8", errors="ignore")).lower()


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


def scan_folder(folder: Path, found: dict[str, str]) -> list[str]:
    """Every (file, case field) found in ``folder``: empty when nothing leaked."""
    if not found:
        return []
    pattern = re.compile(_trie_pattern(found))
    hits = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        for text in _texts(path.read_bytes()):
            for match in {m.group(0) for m in pattern.finditer(text)}:
                hits.append(f"{path.relative_to(folder)}：{found[match]}")
    return sorted(set(hits))


@sitebuild.check
def no_case_data_published(ctx) -> None:
    hits = scan_folder(ctx.out, needles(ctx.store, ctx.settings))
    if hits:
        shown = "；".join(hits[:10])
        raise sitebuild.BuildError(
            f"网站输出含有案件的保密信息（共{len(hits)}处），已停止发布：{shown}"
        )
