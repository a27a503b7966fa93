"""Text of an HTML/XML element with its block structure kept as lines.

Inline markup (``<b>``, ``<a>``, ``<span>``) stays on the line; block elements (paragraphs,
headings, list items, table rows, divs, ``<br>``) start new lines, so a law's headings and
paragraphs come out one per line for the article splitter. Scripts, styles and navigation
never reach the text.
"""
from __future__ import annotations

from lxml import etree

BLOCKS = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
    "section", "article", "dd", "dt", "dl", "blockquote", "pre", "hr", "header", "footer",
    "title", "td", "th",
}
SKIPPED = {"script", "style", "noscript", "nav", "template", "head", "iframe", "svg", "form"}


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return etree.QName(tag).localname.lower() if "}" in tag else tag.lower()


def _walk(node, out: list[str]) -> None:
    name = _local(node.tag)
    if name in SKIPPED or not isinstance(node.tag, str):
        if node.tail:
            out.append(node.tail)
        return
    block = name in BLOCKS or (name and name[0].isupper())  # XML law formats: <Article>, <Paragraph>
    if block:
        out.append("\n")
    if node.text:
        out.append(node.text)
    for child in node:
        _walk(child, out)
    if block:
        out.append("\n")
    if node.tail:
        out.append(node.tail)


def element_text(selector) -> str:
    """Text of a parsel Selector's root element, blocks on their own lines."""
    root = selector.root
    if isinstance(root, str):
        return root
    out: list[str] = []
    tail, root.tail = root.tail, None
    _walk(root, out)
    root.tail = tail
    return "".join(out)
