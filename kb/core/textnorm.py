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
_INVISIBLE_CHARS = ("\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff")
# every other whitespace character that may stand inside a line (str.isspace, less " \n\r")
_OTHER_SPACES = ("\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
                 "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


# C0 and C1 control characters (other than line breaks and tabs, handled below) and DEL: a
# crawled ESC sequence would clear a staff terminal, a U+0001 breaks every XML feed.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without C0/C1 control characters (line breaks and tabs kept)."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


_SHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: str) -> str:
    """Control characters and bidi overrides made visible (``⟨U+001B⟩``): for a terminal or
    a page, where they would act (clear the screen, reverse the text) instead of showing."""
    return _SHOWN.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text) if _SHOWN.search(text) else text


_URL_SAFE = "/:?#@!$&*+,;=%~-._"


def safe_url(url: str) -> str:
    """A crawled URL percent-encoded for Markdown and HTML: parentheses, brackets, quotes,
    spaces, angle brackets, controls and non-ASCII are encoded (a ``)`` no longer ends a
    Markdown link); existing ``%xx`` escapes are kept."""
    from urllib.parse import quote

    return quote(strip_controls(url), safe=_URL_SAFE)


def normalise(text: str) -> str:
    """NFC, invisible characters removed, whitespace runs within a line folded into one space,
    lines stripped, at most one blank line in a row.

    Written with str methods (C loops) rather than regexes over character classes, which made
    normalisation the slowest step of a crawl."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if any(char in text for char in _INVISIBLE_CHARS):
        text = _INVISIBLE.sub("", text)
    text = strip_controls(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for space in _OTHER_SPACES:
        if space in text:
            text = text.replace(space, " ")
    lines: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split()) if "  " in line else line.strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def content_hash(normalised_text: str) -> str:
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()
