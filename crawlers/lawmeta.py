"""What the official text itself says about its last amendment: the amending act, its date
(公布日期: the date the act is named by) and, where stated, the date of entry into force.

One small parser per kind of source, chosen by the source's jurisdiction; each reads only
what the page states and returns ``""`` for what it does not state (shown as 未载明, never
guessed):

- DE (gesetze-im-internet.de, bundestag/gesetze): "Zuletzt geändert durch Art. 1 G v.
  10.8.2021 I 3490", "Änderung durch …" entries, "Stand: … zuletzt geändert durch …", "mWv";
- FR (Légifrance): "Modifié par LOI n°2011-1898 du 20 décembre 2011 - art. 1", "Version en
  vigueur depuis le 22 décembre 2011";
- JP (e-Gov): the last 附則 block "附　則　（令和五年六月一四日法律第五一号）", "施行日：…",
  "改正法令：…";
- US (OLRC, Federal Register): "Pub. L. 117-167, …, Aug. 9, 2022, …", "effective <date>";
- GB (legislation.gov.uk): "substituted (1.10.2014) by Intellectual Property Act 2014 (c. 18)",
  "in force on or before 02 December 2026";
- KR (law.go.kr): "[시행 2024. 8. 28.] [법률 제20322호, 2024. 2. 27., 일부개정]";
- RU (pravo.gov.ru) "в ред. … от 22.07.2024 N 123-ФЗ"; BR (planalto.gov.br) "Redação dada
  pela Lei nº …, de …"; EU (EUR-Lex consolidated) "►M1 Regulation (EU) … of 16 December 2015";
  AU (legislation.gov.au) "Includes amendments up to: Act No. …", "Compilation date: …".
  IN, TR and WIPO pages have no parser yet: everything 未载明.

For a change, :func:`change_meta` prefers what the new text states that the old one did not
(the act of *this* change) and else the latest act the new text names.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from kb.core.numerals import kanji_number as kanji_to_int


@dataclass(frozen=True)
class Act:
    name: str            # as the source writes it: "Art. 1 G v. 10.8.2021 I 3490"
    act_date: str = ""   # ISO date the act is named by (公布日期), "" when not stated
    in_force_on: str = ""  # ISO date of entry into force, "" when not stated


@dataclass(frozen=True)
class LawMeta:
    amending_act: str = ""
    act_date: str = ""
    in_force_on: str = ""
    stand: str = ""  # "up to date" date the source states, if any

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def __bool__(self) -> bool:
        return any(asdict(self).values())


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


_MONTHS_FR = {m: n for n, m in enumerate(
    ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"), 1)}
_MONTHS_EN = {m: n for n, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
_KANJI = "〇一二三四五六七八九十百元"


def de_date(text: str) -> str:
    """10.8.2021 → 2021-08-10."""
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text.strip())
    return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else ""


def fr_date(text: str) -> str:
    """20 décembre 2011 / 1er janvier 2012 → ISO."""
    m = re.fullmatch(r"(\d{1,2})(?:er)?\s+(\w+)\s+(\d{4})", text.strip())
    month = _MONTHS_FR.get(m.group(2).lower()) if m else None
    return _iso(int(m.group(3)), month, int(m.group(1))) if m and month else ""


def en_date(text: str) -> str:
    """Aug. 9, 2022 / March 16, 2013 / 02 December 2026 → ISO."""
    text = text.strip()
    m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),\s*(\d{4})", text)
    if m:
        month, day, year = m.group(1), m.group(2), m.group(3)
    else:
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
        if not m:
            return ""
        day, month, year = m.group(1), m.group(2), m.group(3)
    number = _MONTHS_EN.get(month[:3].lower())
    return _iso(int(year), number, int(day)) if number else ""


def ja_number(text: str) -> int:
    """Kanji numerals in either form: 十四 and 一四 are both 14; 元 is 1."""
    return 1 if text == "元" else kanji_to_int(text)


def ja_date(text: str) -> str:
    """令和五年六月一四日 / 令和6年6月13日 → ISO."""
    m = re.fullmatch(rf"(明治|大正|昭和|平成|令和)([\d{_KANJI}]+)年([\d{_KANJI}]+)月([\d{_KANJI}]+)日",
                     text.strip())
    if not m:
        return ""
    year = _ERAS[m.group(1)] + ja_number(m.group(2))
    return _iso(year, ja_number(m.group(3)), ja_number(m.group(4)))


def ko_date(text: str) -> str:
    """2024. 8. 28. → 2024-08-28."""
    m = re.fullmatch(r"(\d{4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?", text.strip())
    return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else ""


# --- one parser per kind of source: text → the acts it names, in the text's order -------------

_DE_ACT = re.compile(
    r"(?:Zuletzt geändert durch|zuletzt geändert durch|Änderung durch)\s*\n?\s*:?\s*"
    r"(?P<name>(?:Art\.\s*\d+\w*\s+)?(?:G|V|Bek\.|VO)\s+v\.\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s+I+\s+\d+)?(?:\s+\(Nr\.\s*\d+\))?)")
_DE_MWV = re.compile(r"mWv\s+(\d{1,2}\.\d{1,2}\.\d{4})")


def de_acts(text: str) -> list[Act]:
    acts = []
    for m in _DE_ACT.finditer(text):
        rest = text[m.end(): m.end() + 200].split("\n\n", 1)[0]
        force = _DE_MWV.match(rest.strip())
        acts.append(Act(" ".join(m.group("name").split()), de_date(m.group("date")),
                        de_date(force.group(1)) if force else ""))
    return acts


_FR_ACT = re.compile(
    r"(?:Modifié|Créé|Création|Modification)\s+par\s+(?P<name>(?:LOI|Loi|Ordonnance|Décret|DÉCRET|"
    r"Arrêté)\s+n°\s*[\d-]+\s+du\s+(?P<date>\d{1,2}(?:er)?\s+\w+\s+\d{4})(?:\s*-\s*art\.\s*[\w-]+)?)")
_FR_FORCE = re.compile(r"Version en vigueur (?:depuis le|du)\s+(\d{1,2}(?:er)?\s+\w+\s+\d{4})")


def fr_acts(text: str) -> list[Act]:
    force = [fr_date(m.group(1)) for m in _FR_FORCE.finditer(text)]
    latest_force = max(force, default="")
    return [Act(" ".join(m.group("name").split()), fr_date(m.group("date")), latest_force)
            for m in _FR_ACT.finditer(text)]


_JA_DATE = rf"(?:明治|大正|昭和|平成|令和)[\d{_KANJI}]+年[\d{_KANJI}]+月[\d{_KANJI}]+日"
_JA_SUPPL = re.compile(rf"附\s*則\s*[（(](?P<date>{_JA_DATE})(?P<num>(?:法律|政令|省令)第[\d{_KANJI}]+号)[）)]")
_JA_FORCE = re.compile(rf"施行日\s*[:：]\s*(?P<date>{_JA_DATE}|\d{{4}}-\d{{2}}-\d{{2}})")
_JA_ACT = re.compile(r"改正法令(?:名)?\s*[:：]\s*(?P<name>[^\n]+)")


def ja_acts(text: str) -> list[Act]:
    force = _JA_FORCE.search(text)
    in_force = ""
    if force:
        in_force = ja_date(force.group("date")) or force.group("date")
    acts = [Act(f"{m.group('date')}{m.group('num')}", ja_date(m.group("date")))
            for m in _JA_SUPPL.finditer(text)]
    named = _JA_ACT.search(text)
    if named:  # the version's own statement of its amending act comes last: it wins
        acts.append(Act(named.group("name").strip(), _ja_named_date(named.group("name"))))
    if acts and in_force:
        acts[-1] = Act(acts[-1].name, acts[-1].act_date, in_force)
    return acts


def _ja_named_date(name: str) -> str:
    found = re.search(_JA_DATE, name)
    return ja_date(found.group(0)) if found else ""


_US_PL = re.compile(
    r"Pub\.\s*L\.\s*(?P<num>\d+-\d+)(?:,\s*(?:div\.\s*\w+,\s*)?(?:title\s*[\w]+,\s*)?"
    r"(?:Sec\.|Secs\.|§)\s*[\w().,\s-]*?)?,\s*(?P<date>[A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4})")
_US_EFFECTIVE = re.compile(
    r"(?:effective(?:\s+date)?(?:\s+(?:on|as of))?|DATES:\s*(?:This rule is )?effective(?: on)?)\s*:?\s*"
    r"(?P<date>[A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4})")


def us_acts(text: str) -> list[Act]:
    effective = _US_EFFECTIVE.search(text)
    in_force = en_date(effective.group("date")) if effective else ""
    acts = [Act(f"Pub. L. {m.group('num')}", en_date(m.group("date")), in_force if not n else "")
            for n, m in enumerate(_US_PL.finditer(text))]
    if not acts and in_force:
        acts = [Act("", "", in_force)]
    return acts


_GB_ACT = re.compile(
    r"\((?P<force>\d{1,2}\.\d{1,2}\.\d{4})\)\s+by\s+(?P<name>(?:The\s+)?[A-Z][\w ,()'-]*?"
    r"(?:Act\s+\d{4}\s+\(c\.\s*\d+\)|\(S\.I\.\s*\d{4}/\d+\)))")
_GB_STAND = re.compile(r"in force on or before\s+(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")


def gb_acts(text: str) -> list[Act]:
    # the page gives the date each amendment took effect, not the date of the amending act
    return [Act(" ".join(m.group("name").split()), "", de_date(m.group("force")))
            for m in _GB_ACT.finditer(text)]


_KO_HEAD = re.compile(
    r"\[시행\s*(?P<force>\d{4}\.\s*\d{1,2}\.\s*\d{1,2}\.?)\]\s*"
    r"\[(?P<name>(?:법률|대통령령|총리령|[^\s\]]+령)\s*제\s*\d+호),\s*(?P<date>\d{4}\.\s*\d{1,2}\.\s*\d{1,2}\.?),?"
    r"\s*(?P<kind>[^\]]*)\]")


def ko_acts(text: str) -> list[Act]:
    return [Act(" ".join(m.group("name").split()) + (f"（{m.group('kind').strip()}）" if m.group("kind").strip() else ""),
                ko_date(m.group("date")), ko_date(m.group("force")))
            for m in _KO_HEAD.finditer(text)]


_RU_ACT = re.compile(r"от\s+(?P<date>\d{2}\.\d{2}\.\d{4})\s+(?:N|№)\s*(?P<num>\d+-ФЗ)")


def ru_acts(text: str) -> list[Act]:
    """pravo.gov.ru: "(в ред. Федеральных законов от 18.12.2006 N 231-ФЗ, …)"."""
    return [Act(f"Федеральный закон от {m.group('date')} N {m.group('num')}", de_date(m.group("date")))
            for m in _RU_ACT.finditer(text)]


_BR_ACT = re.compile(r"(?:Redação dada pela|Incluído pela|Revogado pela|Vide)\s+(?P<name>(?:Lei|Medida Provisória|Decreto)"
                     r"\s+nº\s*[\d.]+),\s+de\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{4}|\d{4})")


def br_acts(text: str) -> list[Act]:
    """planalto.gov.br: "(Redação dada pela Lei nº 14.195, de 2021)" — often only the year,
    then the act's date is not stated."""
    return [Act(f"{m.group('name')}, de {m.group('date')}", de_date(m.group("date")))
            for m in _BR_ACT.finditer(text)]


_EU_ACT = re.compile(r"►\s*M\d+\s+(?P<name>(?:Regulation|Directive|Decision)\s+\((?:EU|EC|EEC)\)\s+(?:No\s+)?\d+/\d+)"
                     r"[^\n]*?\bof\s+(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")


def eu_acts(text: str) -> list[Act]:
    """EUR-Lex consolidated text: "►M1 Regulation (EU) 2015/2424 of the European Parliament
    and of the Council of 16 December 2015"."""
    return [Act(m.group("name"), en_date(m.group("date"))) for m in _EU_ACT.finditer(text)]


_AU_ACT = re.compile(r"Includes amendments(?: up to)?:\s*(?P<name>Act No\.\s*\d+,\s*\d{4})")
_AU_STAND = re.compile(r"Compilation date:\s*(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")


def au_acts(text: str) -> list[Act]:
    """legislation.gov.au compilation: "Includes amendments up to: Act No. 61, 2023" (the
    compilation date is the ``stand``)."""
    return [Act(" ".join(m.group("name").split())) for m in _AU_ACT.finditer(text)]


PARSERS = {"DE": de_acts, "FR": fr_acts, "JP": ja_acts, "US": us_acts, "GB": gb_acts, "KR": ko_acts,
           "RU": ru_acts, "BR": br_acts, "EU": eu_acts, "AU": au_acts}
_STAND = {"GB": (_GB_STAND, en_date), "AU": (_AU_STAND, en_date)}


def parser_for(source: dict):
    """The parser of a source (a registry entry as a dict); None: no parser for its kind."""
    return PARSERS.get((source.get("jurisdiction") or "").upper())


def law_meta(text: str, source: dict) -> LawMeta:
    """What one text states about its latest amendment."""
    return _pick(_acts(text, source), [], _stand(text, source))


def change_meta(old_text: str, new_text: str, source: dict) -> LawMeta:
    """The amendment behind a change from ``old_text`` to ``new_text``: an act the new text
    names and the old one did not, else the latest act the new text names."""
    return _pick(_acts(new_text, source), _acts(old_text, source), _stand(new_text, source))


def _acts(text: str, source: dict) -> list[Act]:
    parser = parser_for(source)
    return parser(text) if parser else []


def _stand(text: str, source: dict) -> str:
    pattern, parse = _STAND.get((source.get("jurisdiction") or "").upper(), (None, None))
    found = pattern.search(text) if pattern else None
    return parse(found.group(1)) if found else ""


def _when(act: Act) -> str:
    year = re.search(r"(?<![\d.])(19|20)\d{2}(?![\d/])", act.name)
    return act.act_date or act.in_force_on or (year.group(0) if year else "")


def _pick(new: list[Act], old: list[Act], stand: str) -> LawMeta:
    fresh = [a for a in new if a.name not in {o.name for o in old}] or new
    if not fresh:
        return LawMeta(stand=stand)
    # the latest by its date (or the year in its name); ties keep their place in the text
    best = max(enumerate(fresh), key=lambda p: (_when(p[1]), p[0]))[1]
    return LawMeta(best.name, best.act_date, best.in_force_on, stand)
