"""Atom feeds (RFC 4287) of law changes, written into the site by the page generators.

Only substantive changes are entries: an editorial-only change (whitespace, punctuation,
heading repair) is shown on the pages but never sent to subscribers as an alert. An entry's
``published`` is the date that matters for the law (entry into force where the source states
it, else the amending act's date, else when the change was found); ``updated`` is when the
record last changed here (found, or its 解读 published), never earlier than ``published``. Links are
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


def _stamp(day_or_time: str) -> str:
    """An RFC 3339 time: a bare date is midnight UTC."""
    return f"{day_or_time}T00:00:00+00:00" if len(day_or_time) == 10 else day_or_time


def entry_times(view) -> tuple[str, str]:
    """(published, updated) of a change's entry (see the module docstring)."""
    published = _stamp(view.sort_date)
    note = view.published
    updated = max(view.change["detected_at"], _stamp(note["published_on"]) if note else "", published)
    return published, updated


def build_feed(rel: str, title: str, office: str, views: list,
               content: Callable[[object], str]) -> bytes:
    """The Atom document of ``views`` (``ipwatch.changeview.ChangeView``, newest first);
    ``content`` gives each entry's HTML."""
    ET.register_namespace("", ATOM)
    entries = [v for v in views if v.change.get("substantive", True)][:MAX_ENTRIES]
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _el(feed, "id", feed_id(office, rel))
    _el(feed, "title", f"{office} · {title}")
    _el(feed, "updated", max(entry_times(v)[1] for v in entries) if entries else utcnow())
    _el(_el(feed, "author"), "name", office)
    _el(feed, "link", rel="self", href=rel.rsplit("/", 1)[-1])
    for view in entries:
        change = view.change
        published, updated = entry_times(view)
        entry = _el(feed, "entry")
        _el(entry, "id", f"{feed_id(office, 'changes')}:{change['id']}")
        _el(entry, "title", change["summary"])
        _el(entry, "published", published)
        _el(entry, "updated", updated)
        page = f"../changes/{change['jurisdiction'].lower()}.html#change-{change['id']}"
        _el(entry, "link", rel="alternate", type="text/html", href=page)
        _el(entry, "link", rel="via", href=safe_url(change["url"]))
        _el(entry, "summary", view.published["text"] if view.published else change["summary"])
        _el(entry, "content", content(view), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def write_feed(ctx, rel: str, title: str, views: list,
               content: Callable[[object], str]) -> None:
    office = ctx.settings["office"]["short_name"]
    ctx.write_bytes(rel, build_feed(rel, title, office, views, content))
