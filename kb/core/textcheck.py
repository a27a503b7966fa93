"""Characters a form or an import must refuse, defined once for Python and the browser.

A clerk reads an application on paper or on screen: whatever he cannot see must not be stored
as part of a name, a credit code or a phone number. ``SPACE_CLASS`` is what is trimmed from
both ends of a value (a required field holding nothing else is empty); ``INVISIBLE_RANGES``
are code points that render as nothing (format characters, fillers, tag characters) and are
refused wherever they stand. The browser receives both (``kb.cases.form.schema``) and applies
them to code points, so astral tag characters are caught the same way on both sides.
"""
from __future__ import annotations

import re

# Unicode White_Space that may stand in a line or end one (Zs, tab, line breaks). The C1
# controls that str.isspace() also knows are refused as control characters instead.
SPACE_CLASS = "[ \\t\\n\\r\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]"

# Inclusive code point ranges that render as nothing.
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong / jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels (invisible)
    (0x180B, 0x180F),  # Mongolian free variation selectors, vowel separator
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x206A, 0x206F),  # deprecated format characters
    (0x3164, 0x3164),  # Hangul filler
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xFFF9, 0xFFFB),  # interlinear annotation controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0000, 0xE007F),  # tag characters
)

_INVISIBLE = re.compile(
    "[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in INVISIBLE_RANGES) + "]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_TRIM = re.compile(f"^{SPACE_CLASS}+|{SPACE_CLASS}+$")


def trim(value: str) -> str:
    """``value`` without the spaces of ``SPACE_CLASS`` at either end."""
    return _TRIM.sub("", value)


def has_invisible(value: str) -> bool:
    return _INVISIBLE.search(value) is not None


def has_lone_surrogate(value: str) -> bool:
    """A UTF-16 half on its own (``"\\ud800"`` in JSON): not a character, cannot be stored."""
    return _SURROGATE.search(value) is not None


def shown(value: str) -> str:
    """``value`` safe to print in a message: lone surrogates and invisible characters as escapes."""
    return "".join(
        f"\\u{ord(c):04x}" if has_lone_surrogate(c) or has_invisible(c) else c for c in value
    )
