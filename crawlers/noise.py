"""The noise model: what must not become an alert although the page's text differs.

- **Volatile lines**, learned per source: a line that differs between two fetches of a page a
  short pause apart (a rotating block, a clock, a visitor counter) is noise. It is stored by
  its *shape* (digits folded to 0, so a clock is one shape) in ``volatile_lines`` and left
  out whenever two states of a page of that source are compared.
- **Confirmation**: a page whose text differs from its last state is fetched again after
  ``IPWATCH_CONFIRM_PAUSE`` seconds; the difference is a change only when the second fetch
  gives the same text, or the same article-level change. Otherwise the lines that differ
  between the two fetches are learned as volatile and nothing is recorded.
- **States kept**: a text equal to any of the page's last ``STATES_KEPT`` states is
  "unchanged", so a page rotating through many versions never alerts.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
from difflib import SequenceMatcher

from kb.core.store import utcnow

STATES_KEPT = 50
_DIGITS = re.compile(r"\d")


def line_shape(line: str) -> str:
    return hashlib.sha256(_DIGITS.sub("0", line).encode("utf-8")).hexdigest()[:20]


def volatile_shapes(conn: sqlite3.Connection, source_id: str) -> set[str]:
    rows = conn.execute("SELECT line_hash FROM volatile_lines WHERE source_id = ?", (source_id,))
    return {row[0] for row in rows}


def without_volatile(text: str, shapes: set[str]) -> str:
    if not shapes:
        return text
    return "\n".join(line for line in text.split("\n") if line_shape(line) not in shapes)


def differing_lines(first: str, second: str) -> set[str]:
    a, b = set(first.split("\n")), set(second.split("\n"))
    return {line for line in a ^ b if line.strip()}


def replaced_by_volatile(old: str, new: str, shapes: set[str]) -> set[str]:
    """Shapes of the lines that stand where a known volatile line stands in the other text
    (the state of a rotating block that was in the page when it was stored)."""
    if not shapes:
        return set()
    a, b = old.split("\n"), new.split("\n")
    found: set[str] = set()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "replace":
            continue
        left = {line_shape(line) for line in a[i1:i2]}
        right = {line_shape(line) for line in b[j1:j2]}
        if right <= shapes:
            found |= left
        elif left <= shapes:
            found |= right
    return found - shapes


def store_shapes(conn: sqlite3.Connection, source_id: str, shapes: set[str]) -> None:
    now = utcnow()
    conn.executemany(
        "INSERT OR IGNORE INTO volatile_lines(source_id, line_hash, learned_at) VALUES (?, ?, ?)",
        [(source_id, shape, now) for shape in shapes])


def learn_volatile(conn: sqlite3.Connection, source_id: str, first: str, second: str) -> int:
    """Store the shapes of the lines that differ between two close fetches; return how many."""
    shapes = {line_shape(line) for line in differing_lines(first, second)}
    store_shapes(conn, source_id, shapes)
    return len(shapes)


def article_key(comparison) -> tuple:
    """What a confirmation must repeat: the articles changed, how, and to what text (the
    rest of the page, a clock in its header say, may differ between the two fetches)."""
    return tuple(sorted((d.id, d.change, d.new_text) for d in comparison.details))
