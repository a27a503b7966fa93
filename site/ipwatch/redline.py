"""Render a change's redline (diff operations from ``crawlers.compare``) as safe HTML.

Crawled text is untrusted input: every piece of it is HTML-escaped when rendered, and the
rendered fragment is then cleaned by nh3 with a tight allow-list (no ``img``, no ``style``,
no event handlers, links only to http/https/mailto). ``sanitise`` is the one place that list
lives; the site pages and the Atom feeds both go through it.
"""
from __future__ import annotations

import difflib
import html
import re

import nh3

from crawlers.redline import push_op

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


# Reading tokens: a date, a number (with its thousands separators and decimals) or a word is
# one token, so "Art. 14 G v. 24.11.2011" → "Art. 10 G v. 17.8.2021" reads as whole values
# replaced, never digit by digit; runs of whitespace are one token that equals any other run.
_WESTERN_TOKEN = re.compile(
    r"\d{1,2}\.\d{1,2}\.\d{2,4}|\d+(?:[.,\u00a0\u202f ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?|\w+|\s+|[^\w\s]")
_CJK_TOKEN = re.compile(r"[0-9〇零一二三四五六七八九十百千万億两]+|\s+|.", re.S)


def _tokens(text: str, cjk: bool) -> list[str]:
    return (_CJK_TOKEN if cjk else _WESTERN_TOKEN).findall(text)


def _key(token: str) -> str:
    return " " if token.isspace() else token


def readable_ops(ops: list[list[str]], cjk: bool = False) -> list[list[str]]:
    """The redline re-diffed for reading: whitespace and line breaks never show as a deletion
    plus an insertion, numbers and dates are compared as whole tokens. The old and new texts
    are those the stored operations spell out; equal runs are shown as in the new text."""
    old = "".join(text for op, text in ops if op != "+")
    new = "".join(text for op, text in ops if op != "-")
    a, b = _tokens(old, cjk), _tokens(new, cjk)
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False)
    result: list[list[str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push_op(result, "=", "".join(b[j1:j2]))
            continue
        push_op(result, "-", "".join(a[i1:i2]))
        push_op(result, "+", "".join(b[j1:j2]))
    return quiet_whitespace(result)



def plain_redline(ops: list[list[str]], cjk: bool = False, full: bool = False) -> str:
    """The redline as plain text, ``[-old-]{+new+}`` (wdiff's notation), for output that is
    not a terminal (a file, a pipe, a mail)."""
    marks = {"-": "[-{}-]", "+": "{{+{}+}}", "=": "{}"}
    return "".join(marks[op].format(text) for op, text in
                   (quiet_whitespace(readable_ops(ops, cjk)) if full else shorten(ops, cjk)))


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
    ops = readable_ops(ops, cjk)
    context = CONTEXT_CHARS_CJK if cjk else CONTEXT_CHARS
    last = len(ops) - 1
    return [[op, _cut(text, context, n == 0, n == last) if op == "=" else text]
            for n, (op, text) in enumerate(ops)]


def redline_html(ops: list[list[str]], cjk: bool = False, full: bool = False) -> str:
    """Inline redline: ``<ins class="ipw-added">`` / ``<del class="ipw-removed">``."""
    parts = []
    for op, text in readable_ops(ops, cjk) if full else shorten(ops, cjk):
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
