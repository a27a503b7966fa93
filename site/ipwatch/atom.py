"""Atom feeds (RFC 4287) of law changes, written into the site by the page generators.

Only substantive changes are entries: an editorial-only change (whitespace, punctuation,
heading repair) is shown on the pages but never sent to subscribers as an alert. Links are
relative to the feed's own address (``feeds/…``), so the site works wherever it is served.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from xml.etree import ElementTree as ET

from kb.core.store import utcnow
from kb.core.textnorm import safe_url, visible_controls

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50


# Characters XML 1.0 does not allow (C0 controls but tab and line breaks, surrogates,
# U+FFFE/U+FFFF): crawled text holding one would make the feed not well-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text safe in an XML document: disallowed characters removed, the other controls and
    bidi overrides made visible."""
    return visible_controls(_NOT_XML.sub("", text))


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}",
                            {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def check_feed(data: bytes, name: str) -> None:
    """Raise ValueError naming the feed when it is not well-formed XML."""
    try:
        ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"订阅源 {name} 不是合格的 XML：{exc}") from exc


def feed_id(office: str, rel: str) -> str:
    digest = hashlib.sha256(f"{office}/{rel}".encode()).hexdigest()[:16]
    return f"urn:ipwatch:{digest}:{rel}"


def build_feed(rel: str, title: str, office: str, changes: list[dict],
               content: Callable[[dict], str]) -> bytes:
    """The Atom document of ``changes`` (newest first); ``content`` gives each entry's HTML."""
    ET.register_namespace("", ATOM)
    entries = [c for c in changes if c.get("substantive", True)][:MAX_ENTRIES]
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _el(feed, "id", feed_id(office, rel))
    _el(feed, "title", f"{office} · {title}")
    _el(feed, "updated", entries[0]["detected_at"] if entries else utcnow())
    _el(_el(feed, "author"), "name", office)
    _el(feed, "link", rel="self", href=rel.rsplit("/", 1)[-1])
    for change in entries:
        entry = _el(feed, "entry")
        _el(entry, "id", f"{feed_id(office, 'changes')}:{change['id']}")
        _el(entry, "title", change["summary"])
        _el(entry, "updated", change["detected_at"])
        page = f"../changes/{change['jurisdiction'].lower()}.html#change-{change['id']}"
        _el(entry, "link", rel="alternate", type="text/html", href=page)
        _el(entry, "link", rel="via", href=safe_url(change["url"]))
        _el(entry, "summary", change["summary"])
        _el(entry, "content", content(change), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def write_feed(ctx, rel: str, title: str, changes: list[dict],
               content: Callable[[dict], str]) -> None:
    office = ctx.settings["office"]["short_name"]
    ctx.write_bytes(rel, build_feed(rel, title, office, changes, content))
