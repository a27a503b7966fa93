"""Extract a law's body from a fetched page and turn it into normalised plain text.

The registry may give a CSS selector (``extract: {css: ...}``) or an XPath (``xpath``); when
it gives none, or the selector finds nothing, a fallback takes ``main``/``article`` or the
body, without scripts, styles, navigation, headers, footers and forms. Block elements become
line breaks so that headings such as ``§ 139`` stand on their own line for the splitter.
"""
from __future__ import annotations

from dataclasses import dataclass

import lxml.html
from lxml import etree
from parsel import Selector

from crawlers import htmltext

from kb.core.textnorm import normalise

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
NOISE_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "form",
              "aside", "iframe", "svg", "button")


@dataclass(frozen=True)
class Extraction:
    text: str
    method: str  # "css", "xpath" or "fallback"


def _strip_noise(root: lxml.html.HtmlElement) -> None:
    for element in root.xpath(" | ".join(f"//{tag}" for tag in NOISE_TAGS)):
        element.drop_tree()
    for comment in root.xpath("//comment()"):
        comment.drop_tree()


def element_text(element: lxml.html.HtmlElement) -> str:
    """Text of an element with a line break around every block element."""
    parts: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                parts.append(node.tail)
            return
        block = node.tag.lower() in BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(element)
    return normalise("".join(parts))


def extract(html: str, hints: dict | None = None) -> Extraction:
    """The normalised body text of ``html`` following the source's extraction ``hints``."""
    hints = hints or {}
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return Extraction("", "fallback")
    _strip_noise(root)
    for method in ("css", "xpath"):
        if hints.get(method):
            found = root.cssselect(hints[method]) if method == "css" else root.xpath(hints[method])
            found = [f for f in found if isinstance(f, lxml.html.HtmlElement)]
            if found:
                return Extraction("\n\n".join(element_text(f) for f in found), method)
    for candidate in ("//main", "//article", "//body"):
        found = root.xpath(candidate)
        if found:
            return Extraction(element_text(found[0]), "fallback")
    return Extraction(element_text(root), "fallback")


def extract_body(text: str, is_xml: bool, hints: dict | None) -> tuple[str, str | None]:
    """The law body of a fetched page (HTML or XML) by the source's ``extract`` hints, and a
    problem code when a hint found nothing (a broken selector must not look like a repeal)."""
    hints = hints or {}
    if not is_xml:
        found = extract(text, hints)
        missed = bool(hints) and found.method == "fallback"
        return found.text, "extract_hint_missed" if missed else None
    selector = Selector(text=text, type="xml")
    if hints.get("css") or hints.get("xpath"):
        nodes = selector.css(hints["css"]) if hints.get("css") else selector.xpath(hints["xpath"])
        if not nodes:
            return "", "extract_hint_missed"
    else:
        nodes = selector.xpath("/*")
    return "\n".join(htmltext.element_text(node) for node in nodes), None
