"""Render a change's redline (diff operations from ``crawlers.compare``) as safe HTML.

Crawled text is untrusted input: every piece of it is HTML-escaped when rendered, and the
rendered fragment is then cleaned by nh3 with a tight allow-list (no ``img``, no ``style``,
no event handlers, links only to http/https/mailto). ``sanitise`` is the one place that list
lives; the site pages and the Atom feeds both go through it.
"""
from __future__ import annotations

import html

import nh3

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "ins",
    "li", "ol", "p", "pre", "span", "strong", "summary", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"*": {"class"}, "a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Equal text shown around a change; longer equal runs are cut to this much on each side.
CONTEXT_CHARS = 160
CONTEXT_CHARS_CJK = 60


def sanitise(fragment: str) -> str:
    """Clean rendered HTML that contains crawled text (see the module docstring)."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _cut(text: str, context: int, first: bool, last: bool) -> str:
    """Shorten an unchanged run: keep ``context`` characters next to each change."""
    if len(text) <= 2 * context + 20:
        return text
    head = "" if first else text[:context]
    tail = "" if last else text[-context:]
    return f"{head} … {tail}"


def redline_html(ops: list[list[str]], cjk: bool = False, full: bool = False) -> str:
    """Inline redline: ``<ins class="ipw-added">`` / ``<del class="ipw-removed">``."""
    context = CONTEXT_CHARS_CJK if cjk else CONTEXT_CHARS
    parts = []
    for n, (op, text) in enumerate(ops):
        if op == "+":
            parts.append(f'<ins class="ipw-added">{_text(text)}</ins>')
        elif op == "-":
            parts.append(f'<del class="ipw-removed">{_text(text)}</del>')
        else:
            shown = text if full else _cut(text, context, n == 0, n == len(ops) - 1)
            parts.append(_text(shown))
    return sanitise(f'<div class="ipw-redline">{"".join(parts)}</div>')


def text_html(text: str, css_class: str = "") -> str:
    """A crawled text as a safe HTML block."""
    return sanitise(f'<div class="ipw-redline {css_class}">{_text(text)}</div>')
