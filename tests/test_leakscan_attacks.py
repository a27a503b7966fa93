"""Issue 11, leak scan: values as they are actually written in published files (which the
earlier byte search missed), ordinary-word names checked in context only (which blocked whole
sites), and a recorded staff acceptance as the way forward."""
from __future__ import annotations

import gzip
import io
import zipfile

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from intake_helpers import case_settings, case_store, sample_application, write_xlsx  # noqa: F401
from ipwatch import leakscan, sitebuild
from ipwatch.cli import app
from kb.cases import importer as caseimport
from kb.cases.leakaccept import accept_hit
from kb.core.errors import IpwatchError

NAME = "金丝雀哨兵科技有限公司"
CONTACT = "雀哨兵"
EMAIL = "canary.sentinel@example.org"
CONTACT_HIT = "案件 2026-0001 的「联系人」"
NAME_HIT = "案件 2026-0001 的「申请人」"


def _seed(store, settings, tmp_path, **changes):
    values = dict(applicant_name=NAME, contact_name=CONTACT, contact_email=EMAIL,
                  contact_phone="13912345678", address="韶关市曲江区哨兵路 77 号")
    values.update(changes)
    caseimport.import_file(store, settings, write_xlsx([sample_application(**values)], tmp_path / "x.xlsx"),
                           actor="李四")


def _entities(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _scan(case_store, case_settings, tmp_path, files: dict[str, bytes]) -> list[str]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    for name, data in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    return leakscan.scan_folder(site, leakscan.needles(case_store, case_settings))


@pytest.mark.parametrize("name,data", [
    ("refs.html", f"<p>{_entities(NAME)}</p>".encode()),
    ("tag.html", "<p>金丝雀<span></span>哨兵科技<b>有限</b>公司</p>".encode()),
    ("wbr.html", "<p>金丝雀哨兵<wbr>科技有限公司</p>".encode()),
    ("utf16.txt", ("联系 " + NAME).encode("utf-16")),
    ("utf16le.json", ('{"t": "' + NAME + '"}').encode("utf-16-le")),
    ("hidden.html", "<p>金丝雀\u00ad哨兵\u2060科技\u200b有限公司</p>".encode()),
    ("spaced.html", "<p>金丝雀 哨兵\n科技 有限公司</p>".encode()),
    ("annex.xlsx", _zip({"xl/sharedStrings.xml": f'<sst><si><t>{_entities(NAME)}</t></si></sst>'.encode()})),
    ("annex.docx", _zip({"word/document.xml":
                         "<w:document><w:p><w:r><w:t>金丝雀哨兵</w:t></w:r><w:r><w:t>科技有限公司</w:t></w:r></w:p></w:document>".encode()})),
    ("pagefind/fragment/x.pf_fragment", gzip.compress(b"pagefind_dcd" + ('{"content": "' + NAME + '"}').encode(), mtime=0)),
    ("data.json", b'{"t": "\\u91d1\\u4e1d\\u96c0\\u54e8\\u5175\\u79d1\\u6280\\u6709\\u9650\\u516c\\u53f8"}'),
], ids=lambda value: value if isinstance(value, str) else "")
def test_values_are_found_as_they_are_written(case_settings, case_store, tmp_path, name, data):
    _seed(case_store, case_settings, tmp_path)
    hits = _scan(case_store, case_settings, tmp_path, {name: data})
    assert f"{name}：{NAME_HIT}" in hits


def test_full_width_forms_are_found(case_settings, case_store, tmp_path):
    _seed(case_store, case_settings, tmp_path)
    files = {"email.html": "<p>ｃａｎａｒｙ．ｓｅｎｔｉｎｅｌ＠ｅｘａｍｐｌｅ．ｏｒｇ</p>".encode(),
             "phone.html": "<p>电话：１３９１２３４５６７８</p>".encode()}
    assert _scan(case_store, case_settings, tmp_path, files) == [
        "email.html：案件 2026-0001 的「联系人邮箱」", "phone.html：案件 2026-0001 的「联系电话」"]


def test_real_xlsx_and_docx_annexes_are_read(case_settings, case_store, tmp_path):
    from docx import Document

    _seed(case_store, case_settings, tmp_path)
    book = Workbook()
    book.active.append(["备注", "金丝雀哨兵科技有限公司"])
    book.save(tmp_path / "a.xlsx")
    doc = Document()
    paragraph = doc.add_paragraph()
    paragraph.add_run("金丝雀哨")
    paragraph.add_run("兵科技").bold = True
    paragraph.add_run("有限公司")
    doc.save(tmp_path / "b.docx")
    hits = _scan(case_store, case_settings, tmp_path, {
        "a.xlsx": (tmp_path / "a.xlsx").read_bytes(), "b.docx": (tmp_path / "b.docx").read_bytes()})
    assert hits == [f"a.xlsx：{NAME_HIT}", f"b.docx：{NAME_HIT}"]


def test_a_name_that_is_an_ordinary_word_is_a_hit_only_in_context(case_settings, case_store, tmp_path):
    _seed(case_store, case_settings, tmp_path, contact_name="许可")
    files = {
        "guide.html": "<p>专利许可合同应当采用书面形式，许可人应保证其有权许可。</p>".encode(),
        "contact.html": "<p>联系人：许可，电话 139 1234 5678</p>".encode(),
        "polite.html": "<p>请与许可女士联系。</p>".encode(),
    }
    hits = _scan(case_store, case_settings, tmp_path, files)
    assert hits == ["contact.html：案件 2026-0001 的「联系人」", "contact.html：案件 2026-0001 的「联系电话」",
                    "polite.html：案件 2026-0001 的「联系人」"]
    assert leakscan.is_ordinary_word("许可") and not leakscan.is_ordinary_word(CONTACT)


def test_a_name_that_is_no_word_is_a_hit_anywhere(case_settings, case_store, tmp_path):
    _seed(case_store, case_settings, tmp_path)
    hits = _scan(case_store, case_settings, tmp_path, {"a.html": f"<p>感谢{CONTACT}的来信</p>".encode()})
    assert hits == [f"a.html：{CONTACT_HIT}"]


def test_acceptance_needs_who_and_why_and_a_real_case(case_settings, case_store, tmp_path):
    _seed(case_store, case_settings, tmp_path)
    with pytest.raises(IpwatchError, match="--reason"):
        accept_hit(case_store, number="2026-0001", field="联系人", path="a.html", by="李四", reason=" ")
    with pytest.raises(IpwatchError, match="没有编号为 2026-0404 的案件"):
        accept_hit(case_store, number="2026-0404", field="联系人", path="a.html", by="李四", reason="x")
    with pytest.raises(IpwatchError, match="未知字段「密码」"):
        accept_hit(case_store, number="2026-0001", field="密码", path="a.html", by="李四", reason="x")


def test_a_hit_accepted_by_staff_lets_the_build_through_and_is_recorded(case_settings, case_store,
                                                                         tmp_path, monkeypatch):
    _seed(case_store, case_settings, tmp_path, contact_name="许可")
    from ipwatch.pages import intake

    real = intake.generate

    def with_page(ctx):
        real(ctx)
        ctx.write("intake/notice.md", "# 说明\n\n本页联系人：许可证办理窗口。\n")

    monkeypatch.setattr(intake, "generate", with_page)
    with pytest.raises(sitebuild.BuildError) as caught:
        sitebuild.build_site(case_settings, case_store, tmp_path / "out")
    hits = _hits_of(str(caught.value))
    assert "intake/notice.html" in hits and "accept-hit" in str(caught.value)
    assert not any(path.startswith("guides/") for path in hits)  # 许可 in every guide page is no hit
    assert set(hits.values()) == {"案件 2026-0001 的「联系人」"}
    for path in hits:  # the page, and the search index fragment that holds its text
        result = CliRunner().invoke(app, [
            "site", "accept-hit", "--case", "2026-0001", "--field", "联系人", "--file", path,
            "--by", "王五", "--reason", "此处为许可证办理窗口，非联系人姓名"])
        assert result.exit_code == 0, result.output
    assert sitebuild.build_site(case_settings, case_store, tmp_path / "out").is_dir()
    rows = case_store.conn.execute("SELECT case_number, field, path, accepted_by, reason FROM leak_acceptances")
    assert {tuple(r) for r in rows} == {("2026-0001", "contact_name", path, "王五", "此处为许可证办理窗口，非联系人姓名")
                                        for path in hits}


def test_an_acceptance_lapses_when_the_value_changes(case_settings, case_store, tmp_path):
    _seed(case_store, case_settings, tmp_path, contact_name="许可")
    accept_hit(case_store, number="2026-0001", field="contact_name", path="a.html", by="王五", reason="非姓名")
    found = leakscan.needles(case_store, case_settings)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text("联系人：许可", "utf-8")
    [hit] = leakscan.find_hits(tmp_path / "site", found)
    from kb.cases.leakaccept import accepted_hits

    assert hit.key in accepted_hits(case_store)
    with case_store.write() as conn:
        conn.execute("UPDATE case_contacts SET contact_name = '平安'")
    (tmp_path / "site" / "a.html").write_text("联系人：平安", "utf-8")
    [hit] = leakscan.find_hits(tmp_path / "site", leakscan.needles(case_store, case_settings))
    assert hit.key not in accepted_hits(case_store)  # accepted for the old value only


def _hits_of(message: str) -> dict[str, str]:
    """path → where, from the build error's list."""
    listed = message.split("已停止发布：", 1)[1].split("。", 1)[0]
    return dict(part.split("：", 1) for part in listed.split("；"))
