"""The Word form of 附件1, produced from ``kb.cases.form``, and reading a filled copy back.

Each answer sits in a content control tagged with its field key: a check box per choice
(tag ``key=code``), a text box per text field (tag ``key``). Word and WPS keep the tags when
the form is filled, so ``read_filled_form`` finds every answer by its tag, not by position.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from kb.core import docxutil as du
from kb.core.docxvisible import invisible_reason, style_properties
from kb.core.ziplimits import DOCX_LIMITS, check_archive
from kb.cases import form
from kb.core.errors import FieldError, IpwatchError, ValidationError

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CHECKED = {"☒", "☑", "■", "✓", "✔", "√", "▣"}
PLACEHOLDER = "点击此处填写"
CELL_PT = 12


def _w14(tag: str) -> str:
    return f"{{{W14}}}{tag}"


def _sdt(tag: str, inner_runs: list, props: list | None = None, placeholder: bool = False):
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    tag_el = OxmlElement("w:tag")
    tag_el.set(qn("w:val"), tag)
    pr.append(tag_el)
    if placeholder:
        pr.append(OxmlElement("w:showingPlcHdr"))
    for prop in props or []:
        pr.append(prop)
    content = OxmlElement("w:sdtContent")
    for r in inner_runs:
        content.append(r)
    sdt.append(pr)
    sdt.append(content)
    return sdt


def _run_el(text: str, font: str = du.FANGSONG, size: float = CELL_PT, gray: bool = False):
    from docx.oxml import parse_xml

    color = '<w:color w:val="808080"/>' if gray else ""
    return parse_xml(
        f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:rPr>'
        f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>{color}'
        f'<w:sz w:val="{int(size * 2)}"/></w:rPr><w:t xml:space="preserve">{_xml(text)}</w:t></w:r>'
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _checkbox(tag: str):
    box = OxmlElement("w14:checkbox")
    checked = OxmlElement("w14:checked")
    checked.set(_w14("val"), "0")
    box.append(checked)
    for name, code in (("checkedState", "2612"), ("uncheckedState", "2610")):
        state = OxmlElement(f"w14:{name}")
        state.set(_w14("val"), code)
        state.set(_w14("font"), "MS Gothic")
        box.append(state)
    return _sdt(tag, [_run_el("☐", font="MS Gothic")], [box])


def _text_box(tag: str):
    text = OxmlElement("w:text")
    text.set(qn("w:multiLine"), "1")
    return _sdt(tag, [_run_el(PLACEHOLDER, gray=True)], [text], placeholder=True)


def _choices_cell(cell, f: form.Field) -> None:
    p = cell.paragraphs[0]
    for choice in f.choices:
        p._p.append(_checkbox(f"{f.key}={choice.code}"))
        blank = choice.code == "other" and bool(f.other_key)
        p._p.append(_run_el(f" {choice.label}{'：' if blank else '　'}"))
        if blank:
            p._p.append(_text_box(f.other_key))
            other = form.BY_KEY[f.other_key]
            if other.hint:
                p._p.append(_run_el(f"（{other.hint}）"))
    if f.hint:
        du.para(cell, f"（{f.hint}）", size=10.5)


def _text_cell(cell, f: form.Field) -> None:
    if f.hint:
        du.para(cell, f"（{f.hint}）", size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = cell.paragraphs[0]
    p._p.append(_text_box(f.key))
    if f.kind == "textarea":
        for _ in range(5):
            cell.add_paragraph()


def _keep_row_whole(row) -> None:
    """``w:cantSplit``: Word and WPS move the row to the next page rather than break it."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))


# Where the applicant signs or seals (附件1 is signed by the applicant; a company seals it).
SIGNATURE_LINE = "申请人（签字或盖章）：" + "\u3000" * 8 + "日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日"


def blank_form() -> Document:
    """The blank 《海外知识产权纠纷应对指导申请书》 as a Word document."""
    doc = du.new_document()
    section = doc.sections[0]
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    du.para(doc, "附件1", font=du.HEITI)
    du.para(doc, form.TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, font=du.XIAOBIAOSONG,
            size=du.TITLE_PT, exact=40)
    others = set(form.other_fields())
    rows = [f for f in form.FIELDS if f.key not in others]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, f in zip(table.rows, rows):
        row.cells[0].width, row.cells[1].width = Mm(38), Mm(118)
        _keep_row_whole(row)
        label = f"{f.group}（{f.label}）" if f.group else f.label
        du.run(row.cells[0].paragraphs[0], label, font=du.HEITI, size=CELL_PT)
        if f.choices:
            _choices_cell(row.cells[1], f)
        else:
            _text_cell(row.cells[1], f)
    du.para(doc, "")
    du.para(doc, SIGNATURE_LINE, size=CELL_PT, exact=30)
    du.para(doc, "填写说明：在方框中勾选，在灰色“点击此处填写”处输入；请勿删除方框和填写框。"
            "联系人信息仅用于办理本申请。", size=10.5)
    return doc


def _sdt_text(sdt) -> str:
    # The placeholder's own text means empty; the showingPlcHdr flag alone is not trusted
    # (an editor may leave it set after the box was typed into).
    content = sdt.find(qn("w:sdtContent"))
    paragraphs = content.findall(qn("w:p")) or [content]
    lines = []
    for p in paragraphs:
        parts = []
        for el in p.iter():
            if el.tag == qn("w:t"):
                parts.append(el.text or "")
            elif el.tag in (qn("w:br"), qn("w:cr")):
                parts.append("\n")
            elif el.tag == qn("w:tab"):
                parts.append("\t")
        lines.append("".join(parts))
    text = "\n".join(lines)
    return "" if text.strip() == PLACEHOLDER else text


def _is_checked(sdt) -> bool:
    state = sdt.find(f".//{_w14('checked')}")
    if state is not None and state.get(_w14("val")) in ("1", "true"):
        return True
    return _sdt_text(sdt).strip() in CHECKED


def _unseen_text(sdt, styles: dict) -> str:
    """Why some text of this control cannot be seen by the clerk ("" when all can)."""
    for run in sdt.find(qn("w:sdtContent")).iter(qn("w:r")):
        if "".join(t.text or "" for t in run.iter(qn("w:t"))).strip():
            reason = invisible_reason(run, next(run.iterancestors(qn("w:p")), None), styles)
            if reason:
                return reason
    return ""


def _open_form(path: Path) -> Document:
    """The document, once the file is known to stay within the size and element limits."""
    data = check_archive(path, DOCX_LIMITS, "Word（.docx）")
    try:
        return Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError, SyntaxError) as exc:
        raise IpwatchError(f"文件 {path} 不是有效的 Word（.docx）文件：{exc}") from None


def _tagged_controls(doc) -> list[tuple[str, str, object]]:
    """(field key, choice code or "", control) of every content control of the form."""
    out = []
    for sdt in doc.element.body.iter(qn("w:sdt")):
        tag_el = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        tag = tag_el.get(qn("w:val")) if tag_el is not None else ""
        key, _, code = tag.partition("=")
        if key in form.BY_KEY:
            out.append((key, code, sdt))
    return out


def _control_errors(controls, styles: dict) -> list[FieldError]:
    """Text the clerk cannot see and a second control of the same tag (which would silently win)."""
    errors, seen = [], set()
    for key, code, sdt in controls:
        label = form.BY_KEY[key].label + (f"（选项 {code}）" if code else "")
        if (key, code) in seen:
            errors.append(FieldError(label, "Word 申请书中有两个同名填写框，无法确定以哪个为准，"
                                            "请使用申请指导页面下载的申请书重新填写"))
        seen.add((key, code))
        reason = _unseen_text(sdt, styles)
        if reason:
            errors.append(FieldError(label, f"含有{reason}（在 Word 中看不见），请删除后重新填写"))
    return errors


def read_filled_form(path: Path) -> dict:
    """The answers of a filled copy of our Word form, by field key (not yet validated), read as
    the clerk sees them: hidden, white or tiny text and duplicated controls are refused."""
    doc = _open_form(Path(path))
    controls = _tagged_controls(doc)
    if not controls:
        raise ValidationError(
            [FieldError("文件", "找不到申请书的填写框，请使用申请指导页面下载的 Word 申请书填写")],
            title=f"无法读取 {Path(path).name}",
        )
    errors = _control_errors(controls, style_properties(doc))
    if errors:
        raise ValidationError(errors, title=f"{Path(path).name} 含有看不见或重复的内容，未导入任何数据")
    data: dict = {f.key: [] if f.choices else "" for f in form.FIELDS}
    for key, code, sdt in controls:
        if code:
            if _is_checked(sdt) and isinstance(data[key], list):
                data[key].append(code)
        else:
            data[key] = _sdt_text(sdt)
    for f in form.FIELDS:
        if f.kind == "choice":
            data[f.key] = data[f.key][0] if len(data[f.key]) == 1 else data[f.key]
    return data
