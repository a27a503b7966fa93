"""Word (or character) redlines of an article, in near-linear time on large texts.

``difflib`` compares two token lists in time that grows with the product of their lengths when
tokens repeat (words do): a 590 KB page without article headings, diffed word by word, took
minutes. The diff is therefore taken level by level — paragraphs, then sentences, then words
(characters for Chinese, Japanese and Korean):

0. the common start and end of the two texts (cut back to a line or sentence boundary) are
   set apart first, by bisection over slices; an article small enough (``len(old) * len(new) <= MAX_CELLS`` characters) gets one plain
   word diff;
1. at each level the common leading and trailing units are cut off first (linear), so one word
   changed in a 5 MB line costs one sentence's word diff;
2. the units left are matched with ``SequenceMatcher`` (paragraphs and sentences rarely repeat,
   so this is fast), and only a replaced stretch goes down to the next, finer level;
3. at the finest level the word diff runs only when ``len(old) * len(new)`` stays under
   ``MAX_CELLS``; above it, and when a coarse level has more than ``MAX_UNITS`` units in its
   middle, the stretch is shown as deleted and inserted whole — coarser, never slower.

The result is a list of operations ``[["=" | "-" | "+", text], ...]``; joining the "=" and
"-" parts gives the old text back, the "=" and "+" parts the new one.
"""
from __future__ import annotations

import difflib
import re

MAX_CELLS = 2_000_000   # finest level: at most this many token pairs (about 1,400 × 1,400)
MAX_UNITS = 200_000     # coarse levels: at most this many paragraphs or sentences to match

_PARAGRAPHS = re.compile(r"[^\n]*(?:\n+|$)")
_SENTENCES = re.compile(r".*?(?:[.!?;:。！？；：](?:\s+|(?=\S))|$)", re.S)
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def _paragraphs(text: str, cjk: bool) -> list[str]:
    return [p for p in _PARAGRAPHS.findall(text) if p]


def _sentences(text: str, cjk: bool) -> list[str]:
    return [s for s in _SENTENCES.findall(text) if s]


def tokens(text: str, cjk: bool) -> list[str]:
    """The finest units: characters for CJK, else words, spaces and punctuation marks."""
    return list(text) if cjk else _WORDS.findall(text)


LEVELS = (_paragraphs, _sentences, tokens)


def redline(old: str, new: str, cjk: bool = False) -> list[list[str]]:
    """Diff operations turning ``old`` into ``new`` (see the module docstring)."""
    ops: list[list[str]] = []
    if len(old) * len(new) <= MAX_CELLS:  # small: one plain word diff, as readers expect it
        _finest(tokens(old, cjk), tokens(new, cjk), ops)
        return ops
    head, tail = _common_ends(old, new)
    push_op(ops, "=", old[:head])
    _diff(old[head:len(old) - tail], new[head:len(new) - tail], 0, cjk, ops)
    push_op(ops, "=", old[len(old) - tail:])
    return ops


_BOUNDARIES = ("\n", ". ", "。", "; ", "；")


def _common_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common start and end of two large texts, cut back to a line or sentence
    boundary so that no unit is split (found by bisection over slices: C speed)."""
    head = _bisect_common(old, new, lambda a, n: a[:n])
    head = max([old.rfind(b, 0, head) + len(b) for b in _BOUNDARIES if old.rfind(b, 0, head) >= 0],
               default=0)
    rest_old, rest_new = old[head:], new[head:]
    tail = _bisect_common(rest_old, rest_new, lambda a, n: a[len(a) - n:])
    start = len(rest_old) - tail
    cuts = [rest_old.find(b, start) for b in _BOUNDARIES]
    cut = min([c + len(b) for c, b in zip(cuts, _BOUNDARIES) if c >= 0], default=len(rest_old))
    return head, len(rest_old) - cut


def _bisect_common(a: str, b: str, part) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if part(a, middle) == part(b, middle):
            low = middle
        else:
            high = middle - 1
    return low


def _diff(old: str, new: str, level: int, cjk: bool, ops: list[list[str]]) -> None:
    if old == new:
        push_op(ops, "=", old)
        return
    split = LEVELS[level]
    a, b = split(old, cjk), split(new, cjk)
    head = _common_head(a, b)
    tail = _common_tail(a[head:], b[head:])
    push_op(ops, "=", "".join(a[:head]))
    middle_a, middle_b = a[head:len(a) - tail], b[head:len(b) - tail]
    if level == len(LEVELS) - 1:
        _finest(middle_a, middle_b, ops)
    else:
        _coarse(middle_a, middle_b, level, cjk, ops)
    push_op(ops, "=", "".join(a[len(a) - tail:]))


def _coarse(a: list[str], b: list[str], level: int, cjk: bool, ops: list[list[str]]) -> None:
    if len(a) + len(b) > MAX_UNITS:
        _replace(a, b, ops)
        return
    if len(a) <= 1 and len(b) <= 1:  # nothing to match at this level: go finer
        _diff("".join(a), "".join(b), level + 1, cjk, ops)
        return
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push_op(ops, "=", "".join(a[i1:i2]))
        elif tag == "replace":
            _diff("".join(a[i1:i2]), "".join(b[j1:j2]), level + 1, cjk, ops)
        else:
            _replace(a[i1:i2], b[j1:j2], ops)


def _finest(a: list[str], b: list[str], ops: list[list[str]]) -> None:
    if len(a) * len(b) > MAX_CELLS:
        _replace(a, b, ops)
        return
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push_op(ops, "=", "".join(a[i1:i2]))
        else:
            _replace(a[i1:i2], b[j1:j2], ops)


def _replace(a: list[str], b: list[str], ops: list[list[str]]) -> None:
    push_op(ops, "-", "".join(a))
    push_op(ops, "+", "".join(b))


def _common_head(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_tail(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def push_op(ops: list[list[str]], op: str, text: str) -> None:
    """Append ``text`` to the redline ``ops`` as ``op`` (+, -, =), joined to a run of the same op."""
    if not text:
        return
    if ops and ops[-1][0] == op:
        ops[-1][1] += text
    else:
        ops.append([op, text])
