"""Render a change's redline (diff operations from ``crawlers.compare``) as safe HTML.

Crawled text is untrusted input: every piece of it is HTML-escaped when rendered, and the
rendered fragment is then cleaned by nh3 with a tight allow-list (no ``img``, no ``style``,
no event handlers, links only to http/https/mailto). ``sanitise`` is the one place that list
lives; the site pages and the Atom feeds both go through it.
"""
from __future__ import annotations

import html
import re

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


def _text(text: str, cjk: bool = False) -> str:
    """Escaped text; a blank line is a paragraph break. Western law texts are often wrapped
    at a fixed width, so a single line break there is a space (in CJK texts, a line)."""
    escaped = html.escape(text)
    if not cjk:
        escaped = re.sub(r"(?<!\n)\n(?!\n)", " ", escaped)
    return re.sub(r"\n+", lambda m: "<br>" * min(len(m.group()), 2), escaped)


def _cut(text: str, context: int, first: bool, last: bool) -> str:
    """Shorten an unchanged run: keep about ``context`` characters next to each change,
    cut at a space or line break when there is one near (not inside a word)."""
    if len(text) <= 2 * context + 20:
        return text
    head = "" if first else text[:context]
    tail = "" if last else text[-context:]
    if " " in head[context // 2:] or "\n" in head[context // 2:]:
        head = head[: max(head.rfind(" "), head.rfind("\n"))]
    cut = min((i for i in (tail.find(" "), tail.find("\n")) if 0 <= i < context // 2), default=-1)
    if cut >= 0:
        tail = tail[cut + 1:]
    return f"{head} … {tail}"


def quiet_whitespace(ops: list[list[str]]) -> list[list[str]]:
    """Drop changes of whitespace only (a re-wrapped line): they are not worth a mark."""
    result: list[list[str]] = []
    for op, text in ops:
        if op != "=" and not text.strip():
            if op == "-":
                continue
            op = "="
        if result and result[-1][0] == op:
            result[-1][1] += text
        else:
            result.append([op, text])
    return result


def shorten(ops: list[list[str]], cjk: bool = False) -> list[list[str]]:
    """The redline for reading: whitespace-only changes unmarked, long unchanged runs cut
    down to the context around each change."""
    ops = quiet_whitespace(ops)
    context = CONTEXT_CHARS_CJK if cjk else CONTEXT_CHARS
    last = len(ops) - 1
    return [[op, _cut(text, context, n == 0, n == last) if op == "=" else text]
            for n, (op, text) in enumerate(ops)]


def redline_html(ops: list[list[str]], cjk: bool = False, full: bool = False) -> str:
    """Inline redline: ``<ins class="ipw-added">`` / ``<del class="ipw-removed">``."""
    parts = []
    for op, text in quiet_whitespace(ops) if full else shorten(ops, cjk):
        if op == "+":
            parts.append(f'<ins class="ipw-added">{_text(text, cjk)}</ins>')
        elif op == "-":
            parts.append(f'<del class="ipw-removed">{_text(text, cjk)}</del>')
        else:
            parts.append(_text(text, cjk))
    return sanitise(f'<div class="ipw-redline">{"".join(parts)}</div>')


def text_html(text: str, cjk: bool = False) -> str:
    """A crawled text as a safe HTML block."""
    return sanitise(f'<div class="ipw-redline">{_text(text, cjk)}</div>')
