"""The text of a published file as its readers get it, for the leak scan.

A value can be written in a published file in many ways that a byte search misses: as
``&#24352;`` character references, split by a tag or ``<wbr>``, across two Word runs, full-width,
in UTF-16, inside a gzipped Pagefind fragment. ``views(name, data)`` yields several readings of
one file, each already normalised (``normalise``: NFKC, invisible characters and whitespace
removed, case folded), so that the scan compares like with like:

- the raw text (decoded by BOM / UTF-16 / UTF-8) and the same with HTML references resolved;
- HTML: the text a reader sees (BeautifulSoup over lxml) and the attribute values (alt, title…);
- XML members of DOCX/XLSX: the text of every element joined (runs and cells decoded by lxml);
- JSON (and Pagefind fragments, gzipped JSON after a signature): every string joined;
- zip and gzip members, recursively (bounded).
"""
from __future__ import annotations

import gzip
import html
import io
import json
import re
import unicodedata
import zipfile
from typing import Iterator

from bs4 import BeautifulSoup
from lxml import etree

from kb.core import textcheck

MAX_DEPTH = 2
MAX_INFLATED = 200_000_000  # our own output; a bound all the same
PAGEFIND_SIGNATURE = b"pagefind_dcd"
BINARY_SUFFIXES = (".png", ".ico", ".woff", ".woff2", ".wasm", ".jpg", ".jpeg", ".gif", ".pf_index", ".pf_meta")
_DROP = re.compile(r"[\s\u00ad\u200b-\u200f\u2060-\u2064\ufeff]+")
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def normalise(text: str) -> str:
    """NFKC (full-width → ASCII, compatibility forms), without invisible characters or any
    whitespace, case-folded: the form both values and published text are compared in."""
    text = unicodedata.normalize("NFKC", text)
    if textcheck.has_invisible(text):
        text = "".join(c for c in text if not textcheck.has_invisible(c))
    return _DROP.sub("", text).casefold()


def decodings(name: str, data: bytes) -> list[str]:
    """The file as text: by its BOM; as UTF-8; and, when it is no valid UTF-8 and not a binary
    format, also as UTF-16 of either byte order (a file without a BOM does not say which)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return [data.decode("utf-16", errors="replace")]
    try:
        return [data.decode("utf-8")]
    except UnicodeDecodeError:
        pass
    texts = [data.decode("utf-8", errors="ignore")]
    if not name.lower().endswith(BINARY_SUFFIXES) and len(data) % 2 == 0:
        texts += [data.decode(codec, errors="replace") for codec in ("utf-16-le", "utf-16-be")]
    return texts


def _html_views(text: str) -> Iterator[str]:
    soup = BeautifulSoup(text, "lxml", multi_valued_attributes=None)  # attributes as written
    yield soup.get_text("")
    yield "\n".join(str(v) for tag in soup.find_all(True) for v in tag.attrs.values())


def _xml_text(data: bytes) -> str:
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError:
        return ""
    return "" if root is None else "".join(root.itertext())


def _json_strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _json_text(text: str) -> str:
    try:
        return "\n".join(_json_strings(json.loads(text)))
    except (ValueError, RecursionError):
        return ""


def _structured(name: str, data: bytes, text: str) -> Iterator[str]:
    data = text.encode("utf-8")  # the XML parser reads the decoded text, not the raw bytes
    lower = name.lower()
    if lower.endswith((".html", ".htm", ".xhtml")) or "<html" in text[:2000].lower():
        yield from _html_views(text)
    if lower.endswith((".xml", ".rels", ".svg")) or text.lstrip().startswith("<?xml"):
        yield _xml_text(data)
    if lower.endswith(".json") or text[:1] in "[{":
        yield _json_text(text)


def _inflate(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        return stream.read(MAX_INFLATED)


def views(name: str, data: bytes, depth: int = 0) -> Iterator[str]:
    """Normalised readings of one published file (and of its zip/gzip members)."""
    if depth < MAX_DEPTH and data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    yield from views(info.filename, member.read(MAX_INFLATED), depth + 1)
        return
    if depth < MAX_DEPTH and data[:2] == b"\x1f\x8b":
        inner = _inflate(data)
        if inner.startswith(PAGEFIND_SIGNATURE):
            inner = inner[len(PAGEFIND_SIGNATURE):]
        yield from views(name.removesuffix(".gz"), inner, depth + 1)
        return
    seen: set[str] = set()
    for text in decodings(name, data):
        unescaped = html.unescape(text)
        readings = [text] + ([unescaped] if unescaped != text else []) + list(_structured(name, data, text))
        for reading in readings:
            view = normalise(reading)
            if view not in seen:
                seen.add(view)
                yield view
