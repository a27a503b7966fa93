"""ipwatch case import: the exported file, a filled Word form, a spreadsheet; good and bad."""
from __future__ import annotations

import pytest

from intake_helpers import (  # noqa: F401 (fixtures)
    case_settings, case_store, fill_word_form, sample_application, write_export, write_xlsx,
)
from kb.cases import importer as caseimport, workflow as cases
from kb.core.errors import IpwatchError, ValidationError


def _count(store, table):
    return store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_import_export_file_twice_is_one_case(case_settings, case_store, tmp_path):
    path = write_export(sample_application(), tmp_path / "申请书.json")
    first = caseimport.import_file(case_store, case_settings, path, actor="李四", on="2026-09-30")
    again = caseimport.import_file(case_store, case_settings, path, actor="李四", on="2026-10-09")
    assert first == [{"row": None, "number": "2026-0001", "created": True}]
    assert again == [{"row": None, "number": "2026-0001", "created": False}]
    case = cases.get_case(case_store, "2026-0001", with_contacts=True)
    assert case["status"] == "received" and case["received_on"] == "2026-09-30"
    assert case["countries"] == ["US", "DE"]  # the form's order
    assert case["contact"]["phone"] == "+867516696612"
    assert "contact_name" not in case and "email" not in case  # contacts only in their table
    assert _count(case_store, "case_contacts") == 1


def test_import_filled_word_form(case_settings, case_store, tmp_path):
    data = sample_application(request="展会临时禁令", field="other", field_other="精密铸造")
    path = fill_word_form(data, tmp_path / "申请书.docx")
    [result] = caseimport.import_file(case_store, case_settings, path, actor="李四")
    case = cases.get_case(case_store, result["number"])
    assert case["source"] == "docx"
    assert case["field"] == "other" and case["field_other"] == "精密铸造"
    assert case["right_types"] == ["invention_patent", "other"] and case["right_other"] == "技术秘密"
    assert case["level"] == "major" and case["uscc"] == "91350100M000100Y43"


def test_bad_word_form_names_fields_and_writes_nothing(case_settings, case_store, tmp_path):
    data = sample_application(uscc="91350100M000100Y44", level="")
    path = fill_word_form(data, tmp_path / "申请书.docx")
    with pytest.raises(ValidationError) as caught:
        caseimport.import_file(case_store, case_settings, path, actor="李四")
    text = str(caught.value)
    assert "字段「统一社会信用代码」：第18位校验位不符" in text and "字段「纠纷级别」：必选" in text
    assert _count(case_store, "cases") == 0


def test_import_spreadsheet_of_many(case_settings, case_store, tmp_path):
    rows = [sample_application(), sample_application(applicant_name="韶关市示例电子有限公司",
                                                     uscc="914403001922038216")]
    path = write_xlsx(rows + [rows[0]], tmp_path / "汇总.xlsx")
    results = caseimport.import_file(case_store, case_settings, path, actor="李四")
    assert [(r["row"], r["number"], r["created"]) for r in results] == [
        (2, "2026-0001", True), (3, "2026-0002", True), (4, "2026-0001", False)]
    assert _count(case_store, "cases") == 2


def test_bad_spreadsheet_row_imports_nothing(case_settings, case_store, tmp_path):
    rows = [sample_application(), sample_application(contact_email="not-an-email",
                                                     countries=["XX"])]
    path = write_xlsx(rows, tmp_path / "汇总.xlsx")
    with pytest.raises(ValidationError) as caught:
        caseimport.import_file(case_store, case_settings, path, actor="李四")
    messages = [str(e) for e in caught.value.errors]
    assert messages == [
        "第3行，字段「联系人邮箱」：格式不正确，应为 name@example.com 形式",
        "第3行，字段「纠纷国家/地区」：含有表中没有的选项「XX」",
    ]
    assert _count(case_store, "cases") == 0 and _count(case_store, "case_events") == 0


def test_spreadsheet_with_unknown_column(case_settings, case_store, tmp_path):
    from kb.cases import form

    header = [f.label for f in form.FIELDS][:-1] + ["密码"]
    path = write_xlsx([sample_application()], tmp_path / "汇总.xlsx", header=header)
    with pytest.raises(ValidationError, match="第1行，字段「密码」：不是申请书中的列名"):
        caseimport.import_file(case_store, case_settings, path, actor="李四")


@pytest.mark.parametrize("name,content,message", [
    ("a.json", '{"format": "other"}', "不是申请书导出文件"),
    ("a.json", "{broken", "不是有效的 JSON"),
    ("a.docx", "not a zip", "不是有效的 Word"),
    ("a.xlsx", "not a zip", "不是有效的 XLSX"),
    ("a.csv", "x", "不支持的文件类型"),
])
def test_broken_files(case_settings, case_store, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IpwatchError, match=message):
        caseimport.import_file(case_store, case_settings, path, actor="李四")
    assert _count(case_store, "cases") == 0


def test_export_with_bad_fields(case_settings, case_store, tmp_path):
    path = write_export(sample_application(contact_phone="0751-123", extra="x"), tmp_path / "a.json")
    with pytest.raises(ValidationError) as caught:
        caseimport.import_file(case_store, case_settings, path, actor="李四")
    assert {e.field for e in caught.value.errors} == {"联系电话", "extra"}


def test_word_form_typed_text_kept_even_if_placeholder_flag_stays(case_settings, case_store, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    from kb.cases import formdocx

    path = fill_word_form(sample_application(), tmp_path / "a.docx")
    doc = Document(str(path))
    for sdt in doc.element.body.iter(qn("w:sdt")):
        pr = sdt.find(qn("w:sdtPr"))
        if pr.find(qn("w:tag")).get(qn("w:val")) == "applicant_name":
            pr.append(pr.makeelement(qn("w:showingPlcHdr"), {}))
    doc.save(str(path))
    assert formdocx.read_filled_form(path)["applicant_name"] == "韶关市示例机械制造有限公司"


def test_xlsx_columns_that_would_drop_data_are_header_errors(case_settings, case_store, tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx([sample_application()], tmp_path / "x.xlsx")
    book = load_workbook(path)
    sheet = book.active
    width = sheet.max_column
    sheet.cell(row=1, column=width + 1, value="applicant_name")  # the 申请人 column twice
    sheet.cell(row=2, column=width + 1, value="另一家公司")
    sheet.cell(row=2, column=width + 3, value="无列名的数据")
    book.save(path)
    with pytest.raises(ValidationError) as caught:
        caseimport.import_file(case_store, case_settings, path, actor="李四")
    message = str(caught.value)
    assert f"第{width + 1}列与第" in message and f"字段「第{width + 3}列」：有数据但没有列名" in message
    assert case_store.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


def _truncate_member(source, target, member):
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            out.writestr(name, data[: len(data) // 2] if name == member else data)
    return target


def test_damaged_xml_inside_xlsx_or_docx_is_a_user_error(case_settings, case_store, tmp_path):
    xlsx = write_xlsx([sample_application()], tmp_path / "good.xlsx")
    docx = fill_word_form(sample_application(), tmp_path / "good.docx")
    for path in (_truncate_member(xlsx, tmp_path / "bad.xlsx", "xl/worksheets/sheet1.xml"),
                 _truncate_member(docx, tmp_path / "bad.docx", "word/document.xml")):
        with pytest.raises(IpwatchError, match="不是有效的"):
            caseimport.import_file(case_store, case_settings, path, actor="李四")
    assert case_store.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


def test_deeply_nested_json_is_a_user_error(case_settings, case_store, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100000 + "]" * 100000, "utf-8")
    with pytest.raises(IpwatchError, match="嵌套过深"):
        caseimport.import_file(case_store, case_settings, path, actor="李四")
