"""No case data on the site: canary cases in the store, a real build, and a planted leak."""
from __future__ import annotations

import gzip
import io
import json
import zipfile

import pytest

from intake_helpers import case_settings, case_store, sample_application, write_xlsx  # noqa: F401
from ipwatch import leakscan, published_text, sitebuild
from kb.cases import importer as caseimport

CANARIES = {
    "applicant_name": "金丝雀哨兵科技有限公司",
    "uscc": "91440205MA4W3K8Q85",
    "contact_name": "雀哨兵",
    "contact_email": "canary.sentinel@example.org",
    "contact_phone": "13912345678",
    "address": "韶关市曲江区哨兵路 77 号",
}


def _seed(store, settings, tmp_path):
    rows = [sample_application(**CANARIES),
            sample_application(applicant_name="第二哨兵有限公司", uscc="914403001922038216",
                               contact_email="second.canary@example.net")]
    caseimport.import_file(store, settings, write_xlsx(rows, tmp_path / "x.xlsx"), actor="李四")


def _all_text(folder) -> str:
    parts = []
    for path in folder.rglob("*"):
        if path.is_file():
            parts += list(published_text.views(path.name, path.read_bytes()))
    return "\n".join(parts)


def test_built_site_holds_no_case_data(case_settings, case_store, tmp_path):
    _seed(case_store, case_settings, tmp_path)
    out = sitebuild.build_site(case_settings, case_store, tmp_path / "out")
    text = _all_text(out)
    assert "海外知识产权纠纷应对指导申请" in text  # the intake page was built and read
    for value in list(CANARIES.values()) + ["+8613912345678", "第二哨兵有限公司", "second.canary"]:
        assert published_text.normalise(value) not in text
        assert published_text.normalise(json.dumps(value)[1:-1]) not in text


def test_build_fails_when_a_page_leaks(case_settings, case_store, tmp_path, monkeypatch):
    _seed(case_store, case_settings, tmp_path)
    from ipwatch.pages import intake

    real = intake.generate

    def leaky(ctx):
        real(ctx)
        ctx.write("intake/leak.md", "# 案例\n\n联系人 雀哨兵，电话 139 1234 5678。\n")

    monkeypatch.setattr(intake, "generate", leaky)
    with pytest.raises(sitebuild.BuildError) as caught:
        sitebuild.build_site(case_settings, case_store, tmp_path / "out")
    message = str(caught.value)
    assert "案件 2026-0001 的「联系人」" in message and "案件 2026-0001 的「联系电话」" in message
    assert "雀哨兵" not in message.replace("「联系人」", "")  # the value itself is not printed
    assert "intake/leak.html：" in message
    assert "search/ipw-index.js" in message  # the site search's index is read too
    assert not (tmp_path / "out").exists()  # nothing published


def test_scan_reads_escaped_zipped_and_gzipped_files(case_settings, case_store, tmp_path):
    _seed(case_store, case_settings, tmp_path)
    found = leakscan.needles(case_store, case_settings)
    site = tmp_path / "site"
    site.mkdir()
    (site / "search_index.json").write_text(json.dumps({"t": "x 金丝雀哨兵科技有限公司 y"}), "utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>CANARY.SENTINEL@EXAMPLE.ORG</loc>"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:t>91440205MA4W3K8Q85</w:t>")
    (site / "annex.docx").write_bytes(buffer.getvalue())
    (site / "page.html").write_text("<a href='tel:%E9%9B%80'>电话 0751-6696612</a>", "utf-8")
    hits = leakscan.scan_folder(site, found)
    assert hits == [
        "annex.docx：案件 2026-0001 的「统一社会信用代码」",
        "search_index.json：案件 2026-0001 的「申请人」",
        "sitemap.xml.gz：案件 2026-0001 的「联系人邮箱」",
    ]  # the department's public phone on page.html is not a leak


def test_phones_are_found_as_people_write_them(case_settings, case_store, tmp_path):
    _seed(case_store, case_settings, tmp_path)
    with case_store.write() as conn:  # a landline as the second case's phone
        conn.execute("UPDATE case_contacts SET phone = '+867518881234' WHERE case_id ="
                     " (SELECT id FROM cases WHERE number = '2026-0002')")
    found = leakscan.needles(case_store, case_settings)
    site = tmp_path / "site"
    site.mkdir()
    for name, text in (("a.html", "电话 139-1234-5678"), ("b.html", "电话：0751-8881234"),
                       ("c.html", "电话 (0751)8881234"), ("d.html", "tel 0751-888-1234")):
        (site / name).write_text(text, "utf-8")
    hits = leakscan.scan_folder(site, found)
    assert hits == ["a.html：案件 2026-0001 的「联系电话」"] + [
        f"{name}：案件 2026-0002 的「联系电话」" for name in ("b.html", "c.html", "d.html")]
