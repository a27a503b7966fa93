"""Render a law's published text as its official site serves it, for the mirror and benchmarks.

The development cases (``benchmarks/data/law-history``) hold each law version as its source
published it: Markdown (German laws from bundestag/gesetze, French codes from etalab),
e-Gov plain text (Japan) and the Office of the Law Revision Counsel's release text (US). A
crawler never sees those files; it sees pages. ``render(jurisdiction, text, seed)`` turns a
version into such a page, with the noise a live site adds on every request (a counter, a
time, a session token, navigation) outside the law body:

- ``de``: laid out like gesetze-im-internet.de (body in ``div#paddingLR12``);
- ``fr``: like a Légifrance code page — livre/titre/chapitre headings, each division's list of
  links to its articles, articles as headings with their paragraphs (body in ``div#code``);
- ``jp``: like an e-Gov law page (one paragraph per line of the text, body in ``div#law``),
  or, with ``kind="xml"``, as the e-Gov 法令API answers (``<LawBody>`` inside ``DataRoot``,
  supplementary provisions identified by their ``AmendLawNum`` attribute);
- ``us``: like uscode.house.gov — per section the citation line with its release date stamp,
  the heading ``§1. Flag; …``, the text, the source credit and the notes under "Editorial
  Notes" / "Executive Documents" (body in ``div#uscode``).

``SOURCES`` gives, per jurisdiction and kind, the registry fields of such a page (numbering,
language, extraction hint).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import markdown

from crawlers.articles import KANJI_NUM

SOURCES = {
    "de": {"numbering": "de_paragraph", "language": "de", "extract": {"css": "div#paddingLR12"}},
    "fr": {"numbering": "fr_code", "language": "fr", "extract": {"css": "div#code"}},
    "jp": {"numbering": "ja_jo", "language": "ja", "extract": {"css": "div#law"}},
    "jp-xml": {"numbering": "ja_jo", "language": "ja", "extract": {"xpath": "//LawBody"}},
    "us": {"numbering": "us_section", "language": "en", "extract": {"css": "div#uscode"}},
}

_SHELL = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<script>window.session = "{token}";</script></head>
<body>
<nav>{nav}</nav>
<p class="stamp">{stamp} · {counter}</p>
<div id="{body_id}">
{body}
</div>
<footer>{footer} · {token}</footer>
</body></html>
"""
_NAV = {
    "de": ("de", "paddingLR12", "Startseite | Gesetze / Verordnungen | Titelsuche",
           "Stand: {day}. Dezember 2026", "Seitenaufruf Nr.",
           "Ein Service des Bundesministeriums der Justiz"),
    "fr": ("fr", "code", "Accueil | Droit national en vigueur | Codes", "Consulté le {day}/12/2026",
           "Requête n°", "Légifrance, le service public de la diffusion du droit"),
    "jp": ("ja", "law", "e-Gov法令検索 | 法令を探す", "閲覧日 2026年12月{day}日", "アクセス番号",
           "デジタル庁"),
    "us": ("en", "uscode", "Home | Browse | Search | Download", "Retrieved 12/{day}/2026",
           "Request", "Office of the Law Revision Counsel"),
}


@dataclass(frozen=True)
class Page:
    body: str
    suffix: str        # file suffix in the mirror: ".html" or ".xml"
    content_type: str


def render(jurisdiction: str, text: str, seed: int, kind: str = "html") -> Page:
    """The page of ``text`` as served on request number ``seed`` (the noise depends on it)."""
    if jurisdiction == "jp" and kind == "xml":
        return Page(render_egov_xml(text, seed), ".xml", "application/xml")
    body = {"de": _de_body, "fr": _fr_body, "jp": _jp_body, "us": _us_body}[jurisdiction](text)
    lang, body_id, nav, stamp, counter, footer = _NAV[jurisdiction]
    title = html.escape(text.strip().splitlines()[0][:80] if text.strip() else "law")
    page = _SHELL.format(lang=lang, title=title, token=f"{seed * 7919:08x}{seed:04d}", nav=nav,
                         stamp=stamp.format(day=seed % 28 + 1), counter=f"{counter} {seed}",
                         body_id=body_id, body=body, footer=footer)
    return Page(page, ".html", "text/html")


def _markdown(text: str) -> str:
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return markdown.markdown(text, extensions=["def_list", "tables"])


_de_body = _fr_body = _markdown


def _jp_body(text: str) -> str:
    return "\n".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines()
                     if line.strip())


# --- US: the OLRC release text, block by block ----------------------------------------------

_MARKER = re.compile(r"^-([A-Z0-9]+)-\s*$")
_NOTE_HEADS = {"EXEC": "Executive Documents"}


def olrc_blocks(text: str) -> list[dict[str, list[str]]]:
    """The ``-CITE-`` blocks of an OLRC release file, each as marker → lines."""
    blocks: list[dict[str, list[str]]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        m = _MARKER.match(line)
        if m:
            if m.group(1) == "CITE":
                blocks.append({})
            if blocks:
                current = blocks[-1].setdefault(m.group(1), [])
            continue
        if current is not None:
            current.append(line)
    return blocks


def _paragraphs(lines: list[str]) -> list[str]:
    """Hard-wrapped OLRC lines joined into paragraphs: a deeper indent opens a new one."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if out and indent <= 4 and not out[-1].endswith(":"):
            out[-1] += " " + line.strip()
        else:
            out.append(line.strip())
    return out


def _us_block(block: dict[str, list[str]]) -> str:
    cite = " ".join(" ".join(block.get("CITE", [])).split())
    head = " ".join(" ".join(block.get("HEAD", [])).split())
    head = re.sub(r"^Sec\. ", "§", head)
    parts = [f'<p class="cite">{html.escape(cite)}</p>', f"<h3>{html.escape(head)}</h3>"]
    parts += [f"<p>{html.escape(p)}</p>" for p in _paragraphs(block.get("STATUTE", []))]
    parts += [f'<p class="source-credit">{html.escape(p)}</p>'
              for p in _paragraphs(block.get("SOURCE", []))]
    notes = [m for m in block if m not in ("CITE", "EXPCITE", "HEAD", "STATUTE", "SOURCE")]
    for heading in dict.fromkeys(_NOTE_HEADS.get(m, "Editorial Notes") for m in notes):
        parts.append(f"<h4>{heading}</h4>")
        for marker in (m for m in notes if _NOTE_HEADS.get(m, "Editorial Notes") == heading):
            parts += [f"<p>{html.escape(p)}</p>" for p in _paragraphs(block[marker])]
    return '<div class="section">' + "\n".join(parts) + "</div>"


def _us_body(text: str) -> str:
    return "\n".join(_us_block(b) for b in olrc_blocks(text))


# --- Japan: the e-Gov 法令API answer, rebuilt from the e-Gov plain text -------------------------

_STRUCTURE = re.compile(rf"^第[{KANJI_NUM}]+(編|章|節|款|目)(?:の[{KANJI_NUM}]+)*[\s　]")
_ARTICLE = re.compile(rf"^(第[{KANJI_NUM}]+条(?:の[{KANJI_NUM}]+)*)[\s　]+(.*)$")
_PARAGRAPH = re.compile(r"^([０-９]+)[\s　]+(.*)$")
_ITEM = re.compile(rf"^([{KANJI_NUM}]+|[イロハニホヘトチリヌルヲワカヨタレソツネナラム])[\s　]+(.*)$")
_CAPTION = re.compile(r"^（[^）]*）$")
_SUPPL = re.compile(r"^附[\s　]*則(?:[\s　]*（([^）]*)）)?(?:[\s　]*抄)?$")
_STRUCT_TAG = {"編": "Part", "章": "Chapter", "節": "Section", "款": "Subsection", "目": "Division"}


class _Xml:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.open: list[str] = []

    def start(self, tag: str, attrs: str = "") -> None:
        self.out.append(f"<{tag}{attrs}>")
        self.open.append(tag)

    def leaf(self, tag: str, text: str) -> None:
        self.out.append(f"<{tag}>{html.escape(text, quote=False)}</{tag}>")

    def close_to(self, tags: tuple[str, ...]) -> None:
        """Close open elements until the innermost open one is in ``tags``."""
        while self.open and self.open[-1] not in tags:
            self.out.append(f"</{self.open.pop()}>")


def render_egov_xml(text: str, seed: int) -> str:
    lines = [line.strip() for line in text.splitlines()]
    xml = _Xml()
    xml.start("LawBody")
    xml.leaf("LawTitle", lines[0])
    state = {"caption": "", "toc": False}
    for line in lines[1:]:
        if line:
            _egov_line(xml, line, state)
    xml.close_to(())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot><Result><Code>0</Code>'
            f"<Message>request {seed} at 2026-12-{seed % 28 + 1:02d}</Message></Result>"
            f"<ApplData><LawFullText><Law Era=\"Heisei\">{''.join(xml.out)}</Law></LawFullText>"
            "</ApplData></DataRoot>\n")


def _egov_line(xml: _Xml, line: str, state: dict) -> None:
    if line.startswith(":enact-statement:"):
        xml.leaf("EnactStatement", line.split(":", 2)[2])
    elif line.startswith("（") and not state.get("law_num"):  # （平成五年法律第四十七号）
        xml.leaf("LawNum", line)
        state["law_num"] = line
    elif line == "目次" or state["toc"]:
        _egov_toc_line(xml, line, state)
    elif _SUPPL.match(line):
        _egov_suppl(xml, line)
    elif _STRUCTURE.match(line):
        _egov_structure(xml, line)
    elif _CAPTION.match(line):
        state["caption"] = line
    elif _ARTICLE.match(line):
        _egov_article(xml, *_ARTICLE.match(line).groups(), state.pop("caption", ""))
    else:
        _egov_body_line(xml, line)


def _egov_toc_line(xml: _Xml, line: str, state: dict) -> None:
    if line == "目次":
        xml.start("TOC")
        xml.leaf("TOCLabel", line)
        state["toc"] = True
    elif _SUPPL.match(line):  # the 目次 ends with 附則
        xml.leaf("TOCSupplProvision", line)
        xml.close_to(("LawBody",))
        state["toc"] = False
    else:
        title, _, articles = line.partition("（")
        xml.out.append(f"<TOCChapter><ChapterTitle>{title}</ChapterTitle>"
                       f"<ArticleRange>（{articles}</ArticleRange></TOCChapter>")


def _egov_suppl(xml: _Xml, line: str) -> None:
    amend = _SUPPL.match(line).group(1)
    xml.close_to(("LawBody",))
    extract = ' Extract="true"' if line.endswith("抄") else ""
    xml.start("SupplProvision", (f' AmendLawNum="{amend}"' if amend else "") + extract)
    xml.leaf("SupplProvisionLabel", "附　則")


_LEVELS = ["Part", "Chapter", "Section", "Subsection", "Division"]


def _egov_structure(xml: _Xml, line: str) -> None:
    tag = _STRUCT_TAG[_STRUCTURE.match(line).group(1)]
    xml.close_to(("LawBody", "MainProvision", *_LEVELS[:_LEVELS.index(tag)]))
    if xml.open[-1] == "LawBody":
        xml.start("MainProvision")
    xml.start(tag)
    xml.leaf(f"{tag}Title", line)


def _egov_article(xml: _Xml, title: str, sentence: str, caption: str) -> None:
    xml.close_to(("LawBody", "MainProvision", *_LEVELS, "SupplProvision"))
    if xml.open[-1] == "LawBody":
        xml.start("MainProvision")
    xml.start("Article")
    if caption:
        xml.leaf("ArticleCaption", caption)
    xml.leaf("ArticleTitle", title)
    _egov_paragraph(xml, "", sentence)


def _egov_paragraph(xml: _Xml, number: str, sentence: str) -> None:
    xml.close_to(("Article", "SupplProvision", "MainProvision", "LawBody"))
    xml.start("Paragraph")
    xml.leaf("ParagraphNum", number)
    xml.out.append(f"<ParagraphSentence><Sentence>{html.escape(sentence, quote=False)}"
                   "</Sentence></ParagraphSentence>")


def _egov_body_line(xml: _Xml, line: str) -> None:
    paragraph, item = _PARAGRAPH.match(line), _ITEM.match(line)
    if paragraph:
        _egov_paragraph(xml, *paragraph.groups())
    elif item:
        xml.close_to(("Paragraph", "Article", "SupplProvision", "MainProvision", "LawBody"))
        xml.out.append(f"<Item><ItemTitle>{item.group(1)}</ItemTitle><ItemSentence><Sentence>"
                       f"{html.escape(item.group(2), quote=False)}</Sentence></ItemSentence></Item>")
    else:
        xml.out.append(f"<Sentence>{html.escape(line, quote=False)}</Sentence>")
