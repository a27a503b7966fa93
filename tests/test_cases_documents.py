"""The drafted 意见书 and 通报 and the blank Word form, opened again with python-docx."""
from __future__ import annotations

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from typer.testing import CliRunner

from intake_helpers import case_settings, case_store, sample_application, write_export  # noqa: F401
from ipwatch.cli import app
from kb.cases import importer as caseimport, documents as casedocs, workflow as cases, form, formdocx
from kb.core import docxutil


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _fake_related(settings, store, *, jurisdiction, right=None, dispute_type=None, limit=5):
    # A stand-in for kb.guides.related.related_guidance, only for the layout test.
    return {
        "sections": [{"title": f"{jurisdiction} 指南小节", "url": f"guides/{jurisdiction.lower()}/practice.html#a",
                      "text": f"{jurisdiction} 的应对要点（{right}，{dispute_type}）"}],
        "changes": [{"title": f"{jurisdiction} 法律修改", "url": "changes/x.html", "text": "修改摘要"}],
        "bodies": [{"title": "国家海外知识产权纠纷应对指导中心", "url": "https://example.invalid/",
                    "text": "提供指导"}],
    }


def _case(store, settings, tmp_path) -> str:
    path = write_export(sample_application(), tmp_path / "a.json")
    [r] = caseimport.import_file(store, settings, path, actor="李四", on="2026-09-30")
    for step, on, extra in (("accept", "2026-10-08", {}), ("contact", "2026-10-09", {}),
                            ("confer", "2026-10-12", {"departments": ["amr", "copyright"]})):
        cases.advance(store, settings, r["number"], step, actor="李四", on=on, **extra)
    return r["number"]


def test_opinion_layout_gbt9704(case_settings, case_store, tmp_path):
    number = _case(case_store, case_settings, tmp_path)
    doc = casedocs.draft_opinion(case_settings, case_store, number, related=_fake_related)
    path = docxutil.save_atomic(doc, tmp_path / "意见书.docx")
    doc = Document(str(path))
    section = doc.sections[0]
    for got, want in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 37),
                      (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(got - Mm(want)) < Mm(0.1)  # stored in twips
    text = _text(doc)
    assert casedocs.OPINION_TITLE in text and "韶关市示例机械制造有限公司：" in text
    assert "经韶关市曲江区市场监管局（知识产权局）、韶关市曲江区版权局与你单位对接" in text
    assert "纠纷国家/地区：美国、德国。" in text and "权利类别：发明专利、其他（技术秘密）。" in text
    assert "DE 指南小节" in text and "US 指南小节" in text and text.count("国家海外知识产权纠纷应对指导中心") == 1
    assert "(invention_patent，infringement)" not in text and "（invention_patent，infringement）" in text
    assert casedocs.TO_FILL in text and "韶曲市监联字〔" in text
    for secret in ("示例联系人", "ip.desk@example.com", "6696612（", "马坝镇示例路"):
        assert secret not in text  # no personal data of the contact person
    title = next(p for p in doc.paragraphs if p.text == casedocs.OPINION_TITLE)
    fonts = title.runs[0]._r.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == docxutil.XIAOBIAOSONG and title.runs[0].font.size.pt == 22
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == docxutil.FANGSONG
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text


def test_opinion_end_to_end_with_real_related_guidance(case_settings, case_store, tmp_path):
    number = _case(case_store, case_settings, tmp_path)
    out = tmp_path / "意见书.docx"
    result = CliRunner().invoke(app, ["case", "opinion", number, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = _text(Document(str(out)))
    # the real guides of kb/guides (kb.guides.related.related_guidance), both countries of the case
    assert "德国知识产权纠纷实务指引 · 临时禁令与展会禁令" in text  # the trade-fair dispute
    assert "美国知识产权纠纷实务指引 · 收到警告函" in text
    assert "来源：guides/de/practice.html#" in text
    assert "德国专利商标局（DPMA）" in text and "美国专利商标局（USPTO）" in text
    assert text.index("美国专利商标局") < text.index("国家海外知识产权纠纷应对指导中心\n")


def test_escalation_notice(case_settings, case_store, tmp_path):
    number = _case(case_store, case_settings, tmp_path)
    out = tmp_path / "通报.docx"
    result = CliRunner().invoke(app, ["case", "escalate", number, "--to", "national", "--by", "李四",
                                      "--note", "涉及产业安全", "--on", "2026-10-13", "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    text = _text(doc)
    assert "国家海外知识产权纠纷应对指导中心：" in text
    assert "关于重大涉外知识产权纠纷有关情况的通报" in text
    assert "2026年10月12日，会商。" in text and "重大/疑难纠纷" in text
    assert "2026年10月13日印发" in text  # dated as recorded with --on
    assert "示例联系人" not in text and "ip.desk@example.com" not in text
    assert cases.get_case(case_store, number)["escalated"] == 1


def test_blank_form_has_every_field_and_choice(tmp_path):
    path = docxutil.save_atomic(formdocx.blank_form(), tmp_path / "blank.docx")
    doc = Document(str(path))
    tags = {sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val"))
            for sdt in doc.element.body.iter(qn("w:sdt"))}
    expected = set()
    for f in form.FIELDS:
        if f.choices:
            expected |= {f"{f.key}={c.code}" for c in f.choices}
        else:
            expected.add(f.key)
    assert tags == expected
    text = _text(doc)
    assert form.TITLE in text and "重大/疑难纠纷特指影响产业发展" in text
    assert all(f.label in text or (f.group and f.group in text) for f in form.FIELDS
               if f.key not in form.other_fields())
    assert formdocx.read_filled_form(path)["applicant_name"] == ""


def test_demo_case(case_settings, case_store):
    from kb.cases.demo import run_case_demo

    number, path = run_case_demo(case_settings, case_store)
    assert run_case_demo(case_settings, case_store)[0] == number  # the same application: one case
    case = cases.get_case(case_store, number)
    assert case["status"] == "conferred" and case["applicant_name"].startswith("示例数据")
    text = _text(Document(str(path)))
    assert "示例数据·韶关市曲江区某机械制造有限公司：" in text and "德国知识产权纠纷实务指引" in text
