"""What a reader of a Word document actually sees: runs hidden (``w:vanish``), white or tiny.

A filled form is read as the clerk sees it on screen or on paper. Text he cannot see must not
become part of an answer, so ``invisible_reason`` names why a run cannot be seen, looking at
the run's own properties first, then its character style and its paragraph's style (each with
the styles it is based on), as Word resolves them.
"""
from __future__ import annotations

from docx.oxml.ns import qn

HIDDEN_TAGS = ("w:vanish", "w:specVanish", "w:webHidden")
MIN_HALF_POINTS = 12  # below 6 pt nobody reads it
MAX_BASED_ON = 20
OFF = {"0", "false", "off", "none"}


def style_properties(document) -> dict[str, list]:
    """Style id → the run properties of the style and of the styles it is based on."""
    root = document.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in root.iter(qn("w:style"))}
    chains: dict[str, list] = {}
    for style_id in by_id:
        chain, current, seen = [], by_id.get(style_id), set()
        while current is not None and len(chain) < MAX_BASED_ON and id(current) not in seen:
            seen.add(id(current))
            if (rpr := current.find(qn("w:rPr"))) is not None:
                chain.append(rpr)
            based = current.find(qn("w:basedOn"))
            current = by_id.get(based.get(qn("w:val"))) if based is not None else None
        chains[style_id] = chain
    return chains


def _style_chain(element, holder: str, ref: str, styles: dict[str, list]) -> list:
    props = element.find(qn(holder))
    ref_el = props.find(qn(ref)) if props is not None else None
    return styles.get(ref_el.get(qn("w:val")), []) if ref_el is not None else []


def _property_sources(run, paragraph, styles: dict[str, list]) -> list:
    own = run.find(qn("w:rPr"))
    sources = [own] if own is not None else []
    sources += _style_chain(run, "w:rPr", "w:rStyle", styles)
    if paragraph is not None:
        sources += _style_chain(paragraph, "w:pPr", "w:pStyle", styles)
    return sources


def _first(sources: list, tag: str):
    for rpr in sources:
        found = rpr.find(qn(tag))
        if found is not None:
            return found
    return None


def _is_white(color: str) -> bool:
    if len(color) != 6 or any(c not in "0123456789abcdefABCDEF" for c in color):
        return False
    return all(int(color[i:i + 2], 16) >= 0xF0 for i in (0, 2, 4))


def invisible_reason(run, paragraph, styles: dict[str, list]) -> str:
    """Why ``run`` cannot be seen ("" when it can): 隐藏文字, 白色文字 or 极小字号."""
    sources = _property_sources(run, paragraph, styles)
    for tag in HIDDEN_TAGS:
        flag = _first(sources, tag)
        if flag is not None and (flag.get(qn("w:val")) or "1").lower() not in OFF:
            return "隐藏文字"
    color = _first(sources, "w:color")
    if color is not None and _is_white(color.get(qn("w:val")) or ""):
        return "白色文字"
    size = _first(sources, "w:sz")
    if size is not None and (size.get(qn("w:val")) or "").isdigit() and int(size.get(qn("w:val"))) < MIN_HALF_POINTS:
        return "极小字号"
    return ""
