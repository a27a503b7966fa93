"""Issue 11, imports: files that dropped rows, crashed or slipped invisible text past the checks
on the earlier main. Every attack must be refused with a Chinese message naming the field, or
(for the stored <dimension>) every row imported; nothing half written."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from intake_helpers import (  # noqa: F401 (fixtures)
    case_settings, case_store, sample_application, write_xlsx,
)
from ipwatch.cli import app
from kb.cases import importer as caseimport
from kb.core.errors import IpwatchError, ValidationError
from kb.disputes.importer import import_file as import_disputes

DISPUTE_HEADER = ["编号", "企业", "纠纷类型", "权利类别", "国家/地区", "纠纷对象类型", "纠纷领域", "纠纷级别", "立案日期"]


def _count(store, table: str) -> int:
    return store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _lie_about_dimension(path: Path, ref: str = "A1:U2") -> Path:
    """Rewrite the sheet's <dimension> as a damaged or hand-made file may carry it."""
    with zipfile.ZipFile(path) as src:
        members = {name: src.read(name) for name in src.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode("utf-8")
    sheet, replaced = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', sheet)
    assert replaced == 1
    members["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def _dispute_xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    book.active.append(DISPUTE_HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _dispute_row(i: int, enterprise="") -> list:
    return [f"337-TA-{1000 + i}", enterprise or f"企业{i}", "侵权纠纷", "发明专利", "美国", "NPE", "通信",
            "普通纠纷", "2026-09-0{}".format(1 + i % 9)]


# ------------------------------------------------------------ stored dimension -------

def test_case_import_reads_every_row_whatever_the_stored_dimension(case_settings, case_store, tmp_path):
    rows = [sample_application(applicant_name=f"示例{i}有限公司") for i in range(5)]
    path = _lie_about_dimension(write_xlsx(rows, tmp_path / "汇总.xlsx"))
    results = caseimport.import_file(case_store, case_settings, path, actor="李四")
    assert [r["row"] for r in results] == [2, 3, 4, 5, 6]
    assert _count(case_store, "cases") == 5


def test_disputes_import_reads_every_row_whatever_the_stored_dimension(store, tmp_path):
    path = _lie_about_dimension(_dispute_xlsx(tmp_path / "d.xlsx", [_dispute_row(i) for i in range(5)]))
    result = import_disputes(store, path)
    assert (result.rows, result.added) == (5, 5)
    assert _count(store, "disputes") == 5


def test_cli_reports_the_rows_read(case_settings, tmp_path):
    rows = [sample_application(applicant_name=f"示例{i}有限公司") for i in range(5)]
    path = _lie_about_dimension(write_xlsx(rows, tmp_path / "汇总.xlsx"))
    result = CliRunner().invoke(app, ["case", "import", str(path), "--by", "李四"])
    assert result.exit_code == 0, result.output
    assert "共读取 5 份申请：新建 5 件，已存在 0 件" in result.output
    disputes = _lie_about_dimension(_dispute_xlsx(tmp_path / "d.xlsx", [_dispute_row(i) for i in range(5)]))
    result = CliRunner().invoke(app, ["disputes", "import", str(disputes)])
    assert result.exit_code == 0 and "已导入 5 条" in result.output


# ------------------------------------------------------------ JSON -------------------

def _raw_export(path: Path, application_json: str) -> Path:
    path.write_text('{"format": "ipwatch-application", "version": 1, "application": ' + application_json + "}",
                    encoding="utf-8")
    return path


def _application_json(**raw: str) -> str:
    """The sample application as JSON text, with some members replaced by raw JSON text."""
    data = sample_application()
    parts = [f"{json.dumps(k)}: {raw.pop(k) if k in raw else json.dumps(v, ensure_ascii=False)}"
             for k, v in data.items()]
    parts += [f"{json.dumps(k)}: {v}" for k, v in raw.items()]
    return "{" + ", ".join(parts) + "}"


def test_duplicate_json_key_is_refused_naming_the_field(case_settings, case_store, tmp_path):
    text = _application_json()[:-1] + ', "applicant_name": "另一家公司"}'
    with pytest.raises(ValidationError) as caught:
        caseimport.import_file(case_store, case_settings, _raw_export(tmp_path / "a.json", text), actor="李四")
    assert "字段「申请人」：在文件中出现了两次" in str(caught.value)
    assert _count(case_store, "cases") == 0


def test_huge_json_number_is_a_field_error_not_a_traceback(case_settings, case_store, tmp_path):
    text = _application_json(contact_phone="9" * 5000)
    with pytest.raises(ValidationError) as caught:
        caseimport.import_file(case_store, case_settings, _raw_export(tmp_path / "a.json", text), actor="李四")
    assert "字段「联系电话」：是长达5000位的数字" in str(caught.value)
    nested = _application_json(countries="[" + "1" * 5000 + "]")
    with pytest.raises(ValidationError, match="字段「纠纷国家/地区」：应为选项列表"):
        caseimport.import_file(case_store, case_settings, _raw_export(tmp_path / "b.json", nested), actor="李四")
    version = '{"format": "ipwatch-application", "version": ' + "7" * 5000 + ', "application": {}}'
    (tmp_path / "c.json").write_text(version, "utf-8")
    with pytest.raises(IpwatchError, match="版本 .* 不受支持"):
        caseimport.import_file(case_store, case_settings, tmp_path / "c.json", actor="李四")
    assert _count(case_store, "cases") == 0


def test_lone_surrogates_are_field_errors(case_settings, case_store, tmp_path):
    text = _application_json(applicant_name='"示例\\ud800公司"')
    with pytest.raises(ValidationError) as caught:
        caseimport.import_file(case_store, case_settings, _raw_export(tmp_path / "a.json", text), actor="李四")
    message = str(caught.value)
    assert "字段「申请人」：含有无效的 Unicode 字符" in message
    message.encode("utf-8")  # printable: the message never carries the surrogate itself
    key = _application_json()[:-1] + ', "\\udc00x": "1"}'
    with pytest.raises(ValidationError) as caught:
        caseimport.import_file(case_store, case_settings, _raw_export(tmp_path / "b.json", key), actor="李四")
    assert "\\udc00x" in str(caught.value) and "无效的 Unicode" in str(caught.value)
    str(caught.value).encode("utf-8")
    assert _count(case_store, "cases") == 0


# ------------------------------------------------------------ invisible and blank text

@pytest.mark.parametrize("field,value,message", [
    ("applicant_name", "示例\u2060机械有限公司", "含有不可见字符"),
    ("applicant_name", "示例\u00ad机械有限公司", "含有不可见字符"),
    ("contact_name", "张三\U000E0041\U000E007F", "含有不可见字符"),
    ("applicant_name", "\u00a0\u00a0", "必填"),
    ("contact_name", "\u2003", "必填"),
    ("address", "\u3164", "含有不可见字符"),
])
def test_invisible_or_blank_text_is_refused(case_settings, case_store, tmp_path, field, value, message):
    from kb.cases import form

    path = write_xlsx([sample_application(**{field: value})], tmp_path / "x.xlsx")
    with pytest.raises(ValidationError, match=f"第2行，字段「{form.BY_KEY[field].label}」：{message}"):
        caseimport.import_file(case_store, case_settings, path, actor="李四")
    assert _count(case_store, "cases") == 0


def test_disputes_import_refuses_invisible_and_blank_cells(store, tmp_path):
    rows = [_dispute_row(0, enterprise="企业\u2060甲"), _dispute_row(1, enterprise="\u00a0\u3000")]
    with pytest.raises(ValidationError) as caught:
        import_disputes(store, _dispute_xlsx(tmp_path / "d.xlsx", rows))
    message = str(caught.value)
    assert "第2行，字段「企业」：含有不可见字符" in message
    assert "第3行，字段「企业」：只有空白字符" in message
    assert _count(store, "disputes") == 0


# ------------------------------------------------------------ USCC mangled by Excel -----

def test_uscc_stored_as_a_number_is_named_as_such(case_settings, case_store, tmp_path):
    path = write_xlsx([sample_application(uscc=914403001922038216)], tmp_path / "x.xlsx")
    with pytest.raises(ValidationError, match="统一社会信用代码」：被表格软件存成了数字"):
        caseimport.import_file(case_store, case_settings, path, actor="李四")
    rows = [_dispute_row(0, enterprise=9.14403001922038e17)]
    with pytest.raises(ValidationError, match="字段「企业」：统一社会信用代码被表格软件存成了数字"):
        import_disputes(case_store, _dispute_xlsx(tmp_path / "d.xlsx", rows))


def test_a_mistyped_code_is_never_given_its_fix():
    """500 single-character typos of real codes: each refused, none with a hint to copy."""
    import random

    from kb.cases import formcheck

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    rng = random.Random(11)
    codes = ["91350100M000100Y43", "914403001922038216", "91440300708461136T"]
    refused = 0
    for _ in range(500):
        code = rng.choice(codes)
        i = rng.randrange(8, 18)  # the organisation code and the check character
        typo = code[:i] + rng.choice([c for c in alphabet if c != code[i]]) + code[i + 1:]
        with pytest.raises(formcheck.Problem) as caught:
            formcheck.check_uscc(typo)
        text = caught.value.message()
        assert "应为" not in text and code[i] not in re.sub(r"第\d+[—-]?\d*位", "", text)
        refused += 1
    assert refused == 500


# ------------------------------------------------------------ error output is capped ---

def test_junk_spreadsheet_lists_50_errors_and_a_count(case_settings, tmp_path):
    rows = [sample_application(contact_email=f"bad{i}", contact_phone="1") for i in range(300)]
    path = write_xlsx(rows, tmp_path / "junk.xlsx")
    done = subprocess.run([sys.executable, "-m", "ipwatch", "case", "import", str(path), "--by", "李四"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    listed = [line for line in done.stderr.splitlines() if line.strip().startswith("- ")]
    assert len(listed) == 50
    assert "共600处错误" in done.stderr and "其余550处未列出" in done.stderr
