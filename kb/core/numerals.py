"""Kanji / hanzi numerals as integers, shared by the article splitter (crawlers.articles:
第百九十六条 → 196) and the quantities of a law's text (kb.laws.quantities: 二千万円 → 20000000).

Both read the same numerals: the positional form (一〇二 → 102), the unit form (百九十六 → 196,
三千万 → 30000000, 十億), Arabic and full-width digits (１２ → 12, also mixed: 3万 → 30000) and
thousands commas (250,000).
"""
from __future__ import annotations

import unicodedata

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9, "两": 2}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "億": 100_000_000}
KANJI_NUMERAL = "〇零一二三四五六七八九十百千万億两"  # every character kanji_number reads


def kanji_number(text: str) -> int:
    """A kanji/hanzi or Arabic numeral: 百九十六 → 196, 一〇二 → 102, 三百万 → 3000000."""
    text = unicodedata.normalize("NFKC", text).replace(",", "")
    if text.isdigit():
        return int(text)
    if all(c in DIGITS for c in text):  # positional form: 一〇二
        return int("".join(str(DIGITS[c]) for c in text))
    total, section, digit = 0, 0, 0
    for char in text:
        if char.isdigit():
            digit = digit * 10 + int(char)
        elif char in DIGITS:
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            section += (digit or 1) * SMALL_UNITS[char]
            digit = 0
        elif char in LARGE_UNITS:
            total += (section + digit or 1) * LARGE_UNITS[char]
            section, digit = 0, 0
        else:
            raise ValueError(f"not a numeral: {text!r}")
    return total + section + digit
