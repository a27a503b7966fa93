"""The printable report (DOCX) in the layout of Chinese official documents (GB/T 9704-2012).

A4, margins 37 / 35 / 28 / 26 mm (top / bottom / left / right); 发文机关标志 in red 小标宋 with a
red separator line; title in 2号 (22 pt) 小标宋, centred; 主送机关; body in 3号 (16 pt) 仿宋 with
a fixed line pitch (22 lines a page) and a two-character first-line indent; headings 黑体 (一级)
and 楷体 (二级); 发文机关署名 and 成文日期 at the end; page number "— n —" in the footer.
Fonts are named as Word expects them (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312); a machine
without them substitutes, the layout stays.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from alerts.assemble import change_pct
from alerts.render import DISCLOSURE_NOTE, provisional_note
from kb.cases.workdays import local_date
from kb.core import choices

RED = RGBColor(0xFF, 0x00, 0x00)
XIAOBIAOSONG, FANGSONG, HEITI, KAITI = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
CN_NUMBERS = "一二三四五六七八九十"


def _font(run, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _para(doc, text: str, font: str = FANGSONG, size: float = 16, align=None, indent: bool = True,
          bold: bool = False, color=None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.95)  # 22 lines on the type area
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold, color)
    return p


def _red_line(paragraph) -> None:
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", "FF0000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _page_number(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), "宋体", 14)
    run = p.add_run()
    _font(run, "宋体", 14)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _font(p.add_run(" —"), "宋体", 14)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number(section)


PUBLICATION = "重点产业海外知识产权风险预警"
KIND_LABELS = {"month": "月报", "quarter": "季报", "year": "年报"}


def issue_number(data: dict) -> str:
    """期号: the report's place in its year and cadence — 2026年第3期（季报）."""
    code, kind = data["period"], data["kind"]
    year = int(code[:4])
    number = {"year": lambda: 1, "quarter": lambda: int(code[-1]), "month": lambda: int(code[5:7])}[kind]()
    return f"{year}年第{number}期（{KIND_LABELS[kind]}）"


def issuers(settings) -> list[str]:
    office = settings["office"]
    return [office["name"], *office["partners"]]


def _masthead(doc, settings, data: dict) -> None:
    """版头 of a periodic publication (GB/T 9704 7.2 adapted): its name in red, the 期号, the
    issuing departments, then the red separator line."""
    _para(doc, PUBLICATION, XIAOBIAOSONG, 30, WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED)
    _para(doc, issue_number(data), FANGSONG, 16, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    names = _para(doc, "　".join(issuers(settings)), FANGSONG, 12, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _red_line(names)
    _para(doc, "", indent=False)


def _char_style(doc, name: str, font: str, size: float):
    """A character style (one reference per run is much cheaper than per-run fonts)."""
    if name in [s.name for s in doc.styles]:
        return doc.styles[name]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.font.name = font
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return style


def _widths(header: list[str], rows: list[list], total_mm: float = 156) -> list[float]:
    """Column widths fitted to content at 10.5 pt: each column as wide as its longest cell
    (a CJK character about 4 mm, others 2.6 mm, plus the cell's padding). Columns that fit
    (numbers, percentages) are never squeezed; only the long text columns share the rest."""
    def need(text) -> float:
        return sum(4.0 if ord(ch) > 0x2E80 else 2.6 for ch in str(text)) + 6.0
    needs = [max(need(v) for v in column) for column in zip(header, *rows)]
    if sum(needs) <= total_mm:  # room to spare: it goes to the widest column
        widest = needs.index(max(needs))
        needs[widest] += total_mm - sum(needs)
        return needs
    fixed = [n for n in needs if n <= 30]
    flexible = sum(n for n in needs if n > 30)
    scale = max(0.2, (total_mm - sum(fixed)) / flexible)
    return [n if n <= 30 else n * scale for n in needs]


def _table(doc, header: list[str], rows: list[list]) -> None:
    table = doc.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    head = _char_style(doc, "表头", HEITI, 10.5)
    body = _char_style(doc, "表格文字", FANGSONG, 10.5)
    widths = [Mm(w) for w in _widths(header, rows)]
    for column, w in zip(table.columns, widths):  # the grid (read by LibreOffice and WPS) and the cells (Word)
        column.width = w
    for number, (row, values) in enumerate(zip(table.rows, [header, *rows])):
        _cant_split(row)
        if number == 0:
            _repeat_header(row)
        for cell, value, w in zip(row.cells, values, widths):
            cell.width = w
            run = cell.paragraphs[0].add_run(str(value))
            # the style id set on the run's properties directly: python-docx's ``run.style = …``
            # looks the style up through every style of the document on each call (seconds per report)
            run._r.get_or_add_rPr().style = (head if number == 0 else body).style_id


def _cant_split(row) -> None:
    """A table row is never split across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    """The header row is repeated at the top of each page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _v(value) -> str:
    return "*" if value is None else str(value)


def count_rows(data: dict, sec: dict) -> tuple[list[str], list[list]]:
    """The section's counts as a table: each dimension's name once, on its first row; 环比 and
    同比 beside the values. An annual report has no separate 上期: it is last year."""
    annual = data.get("kind") == "year"
    header = (["维度", "类别", "本年", "上年", "同比"] if annual
              else ["维度", "类别", "本期", "上期", "环比", "去年同期", "同比"])
    rows = []
    for dim, table in [("total", [sec["total"]]), *sec["tables"].items()]:
        shown = [r for r in table if dim == "total" or any(r[k] != 0 for k in ("current", "previous", "last_year"))]
        for index, r in enumerate(shown):
            name = data["dim_labels"][dim] if index == 0 else ""
            same = change_pct(r["current"], r["last_year"])
            rows.append([name, r["label"], _v(r["current"]), _v(r["last_year"]), same] if annual else
                        [name, r["label"], _v(r["current"]), _v(r["previous"]),
                         change_pct(r["current"], r["previous"]), _v(r["last_year"]), same])
    return header, rows


def _section(doc, data: dict, sec: dict, number: int, charts: Path) -> None:
    _para(doc, f"{CN_NUMBERS[number % 10]}、{sec['title']}", HEITI, 16).paragraph_format.keep_with_next = True
    for line in sec["narrative"]:
        _para(doc, line)
    chart = charts / f"countries-{sec['industry']}.png"
    if chart.exists():
        doc.add_picture(str(chart), width=Mm(120))
    header, rows = count_rows(data, sec)
    _para(doc, "（一）分类统计（单位：家；三期均为 0 的类别从略；* 表示不予公布）", KAITI, 16).paragraph_format.keep_with_next = True
    _table(doc, header, rows)
    _para(doc, "（二）风险评分", KAITI, 16).paragraph_format.keep_with_next = True
    if sec["scores"]:
        _table(doc, ["国家/地区", "评分", "等级", "主要原因"],
               [[choices.label(choices.COUNTRIES, s["country"]), s["score"], s["level"], "；".join(s["reasons"])]
                for s in sec["scores"]])
    else:
        _para(doc, "本期没有可公布的国家/地区风险评分。")
    _para(doc, "（三）相关法律修改", KAITI, 16).paragraph_format.keep_with_next = True
    for law in sec["laws"] or [None]:
        _para(doc, f"{law['jurisdiction_label']}，{law['date']}，{law['title']}：{law['summary']}（{law['url']}）"
              if law else "本期未发现与本行业相关的目标市场法律修改记录。")
    _para(doc, "（四）应对建议", KAITI, 16).paragraph_format.keep_with_next = True
    for i, rule in enumerate(sec["recommendations"], 1):
        source = f"（参见：{rule['source_label']} {rule['source_url']}）" if rule.get("source_url") else ""
        _para(doc, f"{i}. {rule['title']}：{rule['text']}{source}")
    if sec.get("public"):  # public records apart: their own heading, sentences and table
        _para(doc, "（五）公开纠纷记录（非本区受理案件，不涉及保密）", KAITI, 16).paragraph_format.keep_with_next = True
        for line in sec["public"].get("narrative", []):
            _para(doc, line)
        header, rows = count_rows(data, sec["public"])
        _table(doc, header, rows)


def write_docx(data: dict, settings, charts: Path, path: Path, today: date | None = None) -> Path:
    doc = Document()
    _page_setup(doc)
    _masthead(doc, settings, data)
    if data["is_sample"]:
        _para(doc, "【示例数据】本报告由示例数据生成，仅用于演示", HEITI, 16, WD_ALIGN_PARAGRAPH.CENTER,
              indent=False, color=RED)
    if data.get("provisional"):
        _para(doc, f"【{provisional_note(data)}】", HEITI, 14, WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED)
    _para(doc, data["title"], XIAOBIAOSONG, 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", indent=False)
    _para(doc, "区各有关企业：", indent=False)
    for line in data["sections"][0]["narrative"]:
        _para(doc, line)
    trend = charts / "trend.png"
    if trend.exists():  # sized to stay on the first page, under the summary
        doc.add_picture(str(trend), width=Mm(100))
    for number, sec in enumerate(data["sections"]):
        _section(doc, data, sec, number, charts)
    _para(doc, f"{CN_NUMBERS[len(data['sections']) % 10]}、说明", HEITI, 16).paragraph_format.keep_with_next = True
    # the signature block never stands alone on the last page: it keeps with the note above
    _para(doc, DISCLOSURE_NOTE.format(t=data["threshold"])).paragraph_format.keep_with_next = True
    _para(doc, "", indent=False).paragraph_format.keep_with_next = True
    day = today or local_date(data["built_at"])  # the bureau's date, not UTC's
    closing = [*issuers(settings), f"{day.year}年{day.month}月{day.day}日"]
    for index, text in enumerate(closing):
        p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        p.paragraph_format.right_indent = Pt(16 * 2)
        p.paragraph_format.keep_with_next = index < len(closing) - 1
    tmp = path.with_name(f".{path.name}.tmp")
    doc.save(tmp)
    os.replace(tmp, path)
    return path
