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
    """The element's local name as written (comments and processing instructions: "")."""
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname if "}" in tag else tag


def _walk(node, out: list[str]) -> None:
    local = _local(node.tag)
    name = local.lower()
    if name in SKIPPED or not isinstance(node.tag, str):
        if node.tail:
            out.append(node.tail)
        return
    block = name in BLOCKS or (local and local[0].isupper())  # XML law formats: <Article>, <Paragraph>
    if block:
        out.append("\n")
    if node.text:
        out.append(node.text)
    if name == "supplprovisionlabel":
        out.append(_suppl_suffix(node.getparent()))
    for child in node:
        _walk(child, out)
    if block:
        out.append("\n")
    if node.tail:
        out.append(node.tail)


def _suppl_suffix(provision) -> str:
    """e-Gov XML names a 附則 block's amending act only in attributes: put it into the label,
    as the e-Gov text does (附　則　（平成二七年七月一〇日法律第五四号）　抄), so that each
    block keeps its own identity."""
    if provision is None:
        return ""
    amend = provision.get("AmendLawNum")
    return (f"　（{amend}）" if amend else "") + ("　抄" if provision.get("Extract") == "true" else "")


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
