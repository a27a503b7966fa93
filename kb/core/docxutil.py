"""Word-document helpers: A4 pages in the layout of GB/T 9704-2012 (党政机关公文格式).

GB/T 9704: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area
156 × 225 mm); body in 仿宋 三号 (16 pt), 22 lines of 28 characters; title in 小标宋 二号
(22 pt); 一级标题 黑体, 二级标题 楷体; page number 宋体 四号 「— 1 —」 at the foot. The fonts
are named as GB/T 9704 names them, with common fallbacks set per script so that a machine
without 方正 fonts still shows Chinese.
"""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from kb.core.errors import IpwatchError

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
BODY_PT = 16
TITLE_PT = 22
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_font(normal.element, FANGSONG)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    return doc


def set_font(element, name: str) -> None:
    """Set the font of a style or run element for Latin and East Asian text alike."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def run(paragraph, text: str, *, font: str = FANGSONG, size: float = BODY_PT, bold=False,
        color: RGBColor | None = None):
    r = paragraph.add_run(text)
    r.font.size = Pt(size)
    r.bold = bold
    if color is not None:
        r.font.color.rgb = color
    set_font(r._r, font)
    return r


def para(doc_or_cell, text: str = "", *, align=None, indent: bool = False, font: str = FANGSONG,
         size: float = BODY_PT, bold=False, color=None, exact: float | None = None):
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if exact:
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(exact)
    if text:
        run(p, text, font=font, size=size, bold=bold, color=color)
    return p


def rule(doc, color: str = "E60012", size_eighths: int = 12, space_pt: int = 0):
    """A paragraph with a full-width bottom border (版头 red line, 版记 lines)."""
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(space_pt)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    ppr.append(borders)
    return p


def _page_field(p) -> None:
    """「— N —」 with the page number as a field, 宋体 四号 (14 pt)."""
    run(p, "— ", font=SONGTI, size=14)
    r = run(p, "", font=SONGTI, size=14)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
    run(p, " —", font=SONGTI, size=14)


def page_number_footer(doc) -> None:
    """Page numbers as GB/T 9704 7.5 sets them: 「— N —」 in 宋体 四号 at the foot of the page,
    odd pages at the right and even pages at the left, one character in from the edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align, pad in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                               (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        p = footer.paragraphs[0]
        p.alignment = align
        if pad == "right":
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)
        _page_field(p)


def keep_with_next(p) -> None:
    """A heading never stands alone at the foot of a page: it moves with the next paragraph."""
    p.paragraph_format.keep_with_next = True


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def check_target(path: Path) -> Path:
    """The file an output goes to, checked before anything is done: not a folder, and its
    folder can be created and written to. Raises a user error naming the path."""
    path = Path(path)
    if path.is_dir():
        raise IpwatchError(f"输出位置 {path} 是文件夹，请给出文件名")
    folder = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
    if folder is None or not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise IpwatchError(f"无法写入文件 {path}：所在文件夹不存在或没有写入权限")
    return path


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename:
    a crash leaves the old file or the new one, never half of one, and no temporary file."""
    path = check_target(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise IpwatchError(f"无法写入文件 {path}：{exc.strerror or exc}") from None
    return path


def save_atomic(doc, path: Path) -> Path:
    return write_atomic(path, to_bytes(doc))
