"""The drafted 意见书 and 通报 and the blank Word form, opened again with python-docx."""
from __future__ import annotations

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from typer.testing import CliRunner

from intake_helpers import case_settings, case_store, sample_application, write_export  # noqa: F401
from ipwatch.cli import app
from kb.cases import documents as casedocs
from kb.cases import form, formdocx
from kb.cases import importer as caseimport
from kb.cases import workflow as cases
from kb.core import docxutil
from kb.core.errors import IpwatchError


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _case(store, settings, tmp_path, note: str = "", **changes) -> str:
    path = write_export(sample_application(**changes), tmp_path / "a.json")
    [r] = caseimport.import_file(store, settings, path, actor="李四", on="2026-09-30")
    for step, on, extra in (("accept", "2026-10-08", {}), ("contact", "2026-10-09", {}),
                            ("confer", "2026-10-12", {"departments": ["amr", "copyright"], "note": note})):
        cases.advance(store, settings, r["number"], step, actor="李四", on=on, **extra)
    return r["number"]


SITE = "https://ipwatch.example.gov.cn"


def _settings(case_settings, **cases_values):
    return case_settings.with_values(cases={"site_url": SITE, **cases_values})


def _draft(settings, store, number, tmp_path, name="意见书.docx"):
    doc = casedocs.draft_opinion(settings, store, number)
    return Document(str(docxutil.save_atomic(doc, tmp_path / name)))


def _guide_paragraphs() -> set[str]:
    from kb.cases.advice import plain
    from kb.guides import load_guides
    return {plain(p.text) for g in load_guides() for s in g.sections for p in s.paragraphs}


def test_opinion_layout_gbt9704(case_settings, case_store, tmp_path):
    settings = _settings(case_settings)
    number = _case(case_store, settings, tmp_path)
    doc = _draft(settings, case_store, number, tmp_path)
    section = doc.sections[0]
    for got, want in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 37),
                      (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(got - Mm(want)) < Mm(0.1)  # stored in twips
    text = _text(doc)
    assert casedocs.OPINION_TITLE in text and "韶关市示例机械制造有限公司：" in text
    assert "经韶关市曲江区市场监管局（知识产权局）、韶关市曲江区版权局与你单位对接" in text
    assert "纠纷国家/地区：美国、德国。" in text and "权利类别：发明专利、其他（技术秘密）。" in text
    assert "韶曲市监联字〔" in text and f"〔{casedocs.workdays.today().year}〕1号" in text  # 文号 from the pattern
    assert "抄送" not in text  # none set
    for secret in ("示例联系人", "ip.desk@example.com", "6696612（", "马坝镇示例路"):
        assert secret not in text  # no personal data of the contact person
    title = next(p for p in doc.paragraphs if p.text == casedocs.OPINION_TITLE)
    fonts = title.runs[0]._r.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == docxutil.XIAOBIAOSONG and title.runs[0].font.size.pt == 22
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == docxutil.FANGSONG
    # page numbers per GB/T 9704 7.5: odd pages at the right, even pages at the left
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert "PAGE" in section.footer._element.xml and odd.text.startswith("— ") and odd.text.endswith(" —")
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    headings = [p for p in doc.paragraphs if p.text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert len(headings) == 6 and all(h.paragraph_format.keep_with_next for h in headings)


def test_opinion_is_whole_sentences_chosen_for_the_case_and_cited(case_settings, case_store, tmp_path):
    settings = _settings(case_settings, copy_to="韶关市市场监督管理局")
    number = _case(case_store, settings, tmp_path, note="建议先核实涉案专利有效性，准备展会应对材料",
                   counterparty_type="competitor")
    text = _text(_draft(settings, case_store, number, tmp_path))
    # the recorded 会商 with its departments and note
    assert ("2026年10月12日，韶关市曲江区市场监管局（知识产权局）、韶关市曲江区版权局会商，"
            "意见如下：建议先核实涉案专利有效性，准备展会应对材料。") in text
    assert casedocs.TO_FILL not in text
    # guide text: whole paragraphs of the guides, cited by title and public address
    cited = [line for line in text.splitlines() if line.startswith("详见《")]
    assert cited and all(f"：{SITE}/guides/" in line for line in cited)
    assert any("《德国知识产权纠纷实务指引》" in line for line in cited)
    assert any("《美国知识产权纠纷实务指引》" in line for line in cited)
    assert "来源：guides/" not in text and "…" not in text
    whole = _guide_paragraphs()
    start, end = text.index("三、应对建议"), text.index("四、相关国外法律修改动态")
    quoted = [line for line in text[start:end].splitlines()[2:]
              if line and not line.startswith(("详见《", "（"))]
    assert quoted and all(line in whole for line in quoted)
    # a competitor is the other side: nothing written for NPEs
    assert "NPE" not in text[start:end] and "非专利实施实体" not in text[start:end]
    assert "抄送：韶关市市场监督管理局。" in text


def test_npe_counterparty_gets_the_npe_section(case_settings, case_store, tmp_path):
    settings = _settings(case_settings)
    number = _case(case_store, settings, tmp_path, counterparty_type="npe")
    text = _text(_draft(settings, case_store, number, tmp_path))
    advice = text[text.index("三、应对建议"):text.index("四、相关国外法律修改动态")]
    assert "非专利实施实体（NPE）" in advice


def test_opinion_needs_the_site_address_and_an_issued_opinion_needs_its_draft(case_settings, case_store, tmp_path,
                                                                             monkeypatch):
    number = _case(case_store, case_settings, tmp_path)
    with pytest.raises(IpwatchError, match="cases.site_url"):
        casedocs.draft_opinion(case_settings, case_store, number)
    with pytest.raises(IpwatchError, match="还没有起草意见书"):
        cases.advance(case_store, case_settings, number, "opinion", actor="李四")
    settings = _settings(case_settings)
    config = tmp_path / "ipwatch.toml"
    config.write_text(f'[cases]\nsite_url = "{SITE}"\n', encoding="utf-8")
    monkeypatch.setenv("IPWATCH_CONFIG", str(config))
    out = tmp_path / "意见书.docx"
    result = CliRunner().invoke(app, ["case", "opinion", number, "--out", str(out), "--by", "李四"])
    assert result.exit_code == 0, result.output
    out.write_bytes(out.read_bytes())  # staff review it (the file is what is issued)
    assert cases.get_case(case_store, number)["events"][-1]["step"] == "draft_opinion"
    issued = cases.advance(case_store, settings, number, "出具意见书", actor="李四")
    event = issued["events"][-1]
    assert issued["status"] == "opinion_issued" and event["step"] == "opinion"
    assert event["detail"] == {"document": str(out.resolve()), "sha256": cases.file_hash(out)}


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
    from kb.core.settings import DEMO_MARKER

    with pytest.raises(IpwatchError, match="只能在演示数据目录中使用"):
        run_case_demo(case_settings, case_store)
    (case_settings.data_dir / DEMO_MARKER).write_text("demo", encoding="utf-8")
    number, path = run_case_demo(case_settings, case_store)
    assert run_case_demo(case_settings, case_store)[0] == number  # the same application: one case
    case = cases.get_case(case_store, number)
    assert case["status"] == "conferred" and case["applicant_name"].startswith("示例数据")
    text = _text(Document(str(path)))
    assert "示例数据·韶关市曲江区某机械制造有限公司：" in text and "德国知识产权纠纷实务指引" in text
    assert "意见如下：示例数据：三部门会商。" in text  # the demo's recorded 会商
