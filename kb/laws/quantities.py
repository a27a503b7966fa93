"""Things that matter in a law's text, found by rule: periods, amounts with their currency,
percentages, damages multipliers and dates — each normalised to a comparable value and a
Chinese rendering ("drei Monaten" → 3个月, "30 000 euros" → 30000欧元, "三倍" → 3倍).

Only what the text says is extracted; nothing is inferred. ``find(text, language)`` returns
:class:`Quantity` items in text order; the digest compares those of an article's old and new
text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.core.numerals import KANJI_NUMERAL, kanji_number

KINDS = {"period": "期限", "amount": "金额", "percent": "比例", "multiplier": "倍数", "date": "日期"}

__all__ = ["KANJI_NUMERAL", "KINDS", "Quantity", "find", "kanji_number"]


@dataclass(frozen=True)
class Quantity:
    kind: str    # period / amount / percent / multiplier / date
    unit: str    # 个月, 年, 日, 周, 欧元, 美元, 日元, 韩元, 英镑, %, 倍, "" for dates
    value: str   # normalised: "3", "30000", "2021-08-10"
    text: str    # as written

    @property
    def zh(self) -> str:
        return f"{self.value}{self.unit}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.unit)


_WORDS = {
    "de": {"ein": 1, "eine": 1, "einem": 1, "einer": 1, "eines": 1, "zwei": 2, "drei": 3, "vier": 4,
           "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
           "zwölf": 12, "achtzehn": 18, "zwanzig": 20, "dreißig": 30},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
           "huit": 8, "neuf": 9, "dix": 10, "douze": 12, "quinze": 15, "dix-huit": 18,
           "vingt": 20, "trente": 30, "soixante-dix": 70},
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
           "sixty": 60, "ninety": 90},
}
_UNITS = {
    "de": [(r"Tag(?:e|en|es)?", "日"), (r"Wochen?", "周"), (r"Monat(?:e|en|s)?", "个月"),
           (r"Jahr(?:e|en|es)?", "年")],
    "fr": [(r"jours?", "日"), (r"semaines?", "周"), (r"mois", "个月"), (r"ans|an|années?", "年")],
    "en": [(r"days?", "日"), (r"weeks?", "周"), (r"months?", "个月"), (r"years?", "年")],
}
_CURRENCY = {
    "de": [(r"(?:Euro|EUR|€)", "欧元"), (r"Deutsche(?:n)? Mark|DM", "德国马克")],
    "fr": [(r"(?:euros?|EUR|€)", "欧元"), (r"francs?", "法郎")],
    "en": [(r"(?:dollars?|USD)", "美元"), (r"(?:pounds?|GBP)", "英镑")],
}
_PERCENT = {"de": r"(?:%|Prozent|vom Hundert)", "fr": r"(?:%|pour cent)", "en": r"(?:%|percent|per cent)"}
_MULTIPLIER = {
    "de": [(r"doppelte[nmrs]?|zweifache[nmrs]?", 2), (r"dreifache[nmrs]?", 3)],
    "fr": [(r"double", 2), (r"triple", 3)],
    "en": [(r"double", 2), (r"treble|triple|three times", 3)],
}
_MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
}
_NUMBER = r"\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+|\d+(?:,\d+)?"


def _number(text: str, words: dict[str, int]) -> str | None:
    text = text.strip()
    if text.lower() in words:
        return str(words[text.lower()])
    digits = re.sub(r"[ .\u00a0\u202f]", "", text)
    if re.fullmatch(r"\d+,\d{3}(?:,\d{3})*", digits):  # 1,000,000 (English grouping)
        digits = digits.replace(",", "")
    return digits if re.fullmatch(r"\d+(?:,\d+)?", digits) else None


def _western(text: str, language: str) -> list[tuple[int, Quantity]]:
    words = _WORDS[language]
    number = rf"(?:{_NUMBER}|{'|'.join(sorted(words, key=len, reverse=True))})"
    found: list[tuple[int, Quantity]] = []

    def add(kind: str, pattern: str, unit: str, flags=re.I) -> None:
        for m in re.finditer(pattern, text, flags):
            value = _number(m.group("n"), words) if "n" in m.groupdict() else m.group("v")
            if value is not None:
                found.append((m.start(), Quantity(kind, unit, value, " ".join(m.group(0).split()))))

    months = _MONTHS[language].split()
    month_re = "|".join(months)
    for m in re.finditer(rf"\b(\d{{1,2}})(?:\.|er)?\s+({month_re})\s+(\d{{4}})\b", text):
        iso = f"{m.group(3)}-{months.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"
        found.append((m.start(), Quantity("date", "", iso, m.group(0))))
    for m in re.finditer(rf"\b({month_re})\s+(\d{{1,2}}),\s+(\d{{4}})\b", text):
        iso = f"{m.group(3)}-{months.index(m.group(1)) + 1:02d}-{int(m.group(2)):02d}"
        found.append((m.start(), Quantity("date", "", iso, m.group(0))))
    for pattern, unit in _UNITS[language]:
        add("period", rf"\b(?P<n>{number})[\s-]+(?:{pattern})\b", unit)
    for pattern, unit in _CURRENCY[language]:
        add("amount", rf"(?P<n>{_NUMBER})\s*(?:{pattern})", unit)
    if language == "en":
        add("amount", rf"\$\s?(?P<n>{_NUMBER})", "美元", 0)
        add("amount", rf"£\s?(?P<n>{_NUMBER})", "英镑", 0)
    add("percent", rf"(?P<n>{_NUMBER})\s*{_PERCENT[language]}", "%")
    for pattern, times in _MULTIPLIER[language]:
        for m in re.finditer(rf"\b(?:{pattern})\b", text, re.I):
            found.append((m.start(), Quantity("multiplier", "倍", str(times), m.group(0))))
    return found


_JA_NUM = rf"[\d{KANJI_NUMERAL}]+"
_ERA = r"(?:明治|大正|昭和|平成|令和)"


def _japanese(text: str) -> list[tuple[int, Quantity]]:
    found: list[tuple[int, Quantity]] = []
    dates = [(m.start(), m.end()) for m in re.finditer(rf"{_ERA}{_JA_NUM}年(?:{_JA_NUM}月)?(?:{_JA_NUM}日)?", text)]

    def in_date(pos: int) -> bool:
        return any(a <= pos < b for a, b in dates)

    def add(kind: str, pattern: str, unit: str) -> None:
        for m in re.finditer(pattern, text):
            if not in_date(m.start()):
                found.append((m.start(), Quantity(kind, unit, str(kanji_number(m.group("n"))), m.group(0))))

    add("period", rf"(?<![第同])(?P<n>{_JA_NUM})(?:箇月|か月|ヶ月|ケ月|月間)", "个月")
    add("period", rf"(?<![第同{KANJI_NUMERAL}\d])(?P<n>{_JA_NUM})年(?![{KANJI_NUMERAL}\d]+月)", "年")
    add("period", rf"(?<![第同{KANJI_NUMERAL}\d月])(?P<n>{_JA_NUM})日(?:間)?(?=以内|を経過|を超え|から|まで|前|後)", "日")
    add("amount", rf"(?P<n>{_JA_NUM})円", "日元")
    add("multiplier", rf"(?P<n>{_JA_NUM})倍", "倍")
    for m in re.finditer(rf"百分の(?P<n>{_JA_NUM})", text):
        found.append((m.start(), Quantity("percent", "%", str(kanji_number(m.group("n"))), m.group(0))))
    return found


def _korean(text: str) -> list[tuple[int, Quantity]]:
    found: list[tuple[int, Quantity]] = []
    for pattern, kind, unit in ((r"(?P<n>\d+)\s*개월", "period", "个月"), (r"(?P<n>\d+)\s*년(?!\s*\d)", "period", "年"),
                                (r"(?P<n>\d+)\s*일(?=\s*(?:이내|이상|전|후|까지))", "period", "日"),
                                (r"(?P<n>\d[\d,]*)\s*(?:만\s*)?원", "amount", "韩元"),
                                (r"(?P<n>\d+)\s*배", "multiplier", "倍"),
                                (r"(?P<n>\d+(?:\.\d+)?)\s*(?:%|퍼센트)", "percent", "%")):
        for m in re.finditer(pattern, text):
            value = m.group("n").replace(",", "")
            if kind == "amount" and "만" in m.group(0):
                value = str(int(value) * 10_000)
            found.append((m.start(), Quantity(kind, unit, value, m.group(0))))
    return found


LANGUAGES = ("de", "fr", "en", "ja", "ko")


def find(text: str, language: str) -> list[Quantity]:
    """The quantities of ``text`` in text order (an unknown language gives none)."""
    language = (language or "")[:2].lower()
    if language == "ja":
        found = _japanese(text)
    elif language == "ko":
        found = _korean(text)
    elif language in _WORDS:
        found = _western(text, language)
    else:
        return []
    return [q for _, q in sorted(found, key=lambda p: p[0])]
