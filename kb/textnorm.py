"""Text normalisation shared by snapshots and comparisons.

The content hash of a page is taken over this normal form, so that whitespace, Unicode
composition and invisible characters never make a page look changed.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

# zero-width, BOM, soft hyphen, bidi embeddings/overrides/isolates, word joiner
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2000-\u200a\u202f\u205f]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """NFC, invisible characters removed, runs of spaces folded, lines stripped."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))  # one pass over the text, not per line
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def content_hash(normalised_text: str) -> str:
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()
