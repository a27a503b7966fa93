"""How the enterprise sends the form and what it is told: the 申请指导 page's sending block and
service levels from the settings, the Word form's signature line and unsplittable rows, the
inbox's all-or-nothing writes, attachment sniffing and the receiver's rate limiter."""
from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from intake_helpers import sample_application
from ipwatch.pages import intake
from ipwatch.receiver.limits import RateLimiter
from kb.cases import formcheck, formdocx, inbox
from kb.cases.attachments import AttachmentError, check_attachment, display_name, sniff
from kb.core import docxutil
from kb.core.settings import SettingsError, load_settings
from receiver_helpers import PDF, PNG, docx_bytes


def test_word_form_rows_never_split_and_it_ends_with_signature_and_date(tmp_path):
    path = docxutil.save_atomic(formdocx.blank_form(), tmp_path / "form.docx")
    doc = Document(str(path))
    rows = doc.tables[0].rows
    assert rows and all(r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None
                        for r in rows)
    after = [p.text for p in doc.paragraphs]
    sign = next(i for i, text in enumerate(after) if text.startswith("申请人（签字或盖章）"))
    assert "日期：" in after[sign] and "年" in after[sign] and "月" in after[sign]
    body = list(doc.element.body)
    assert body.index(doc.tables[0]._tbl) < body.index(doc.paragraphs[sign]._p)
    assert formdocx.read_filled_form(path)["applicant_name"] == ""  # still reads back


def test_page_says_where_when_what_and_then_what_by_default(settings):
    text = intake.page(settings)
    sending = text[text.index("### 怎样报送"):]
    for dept in settings["departments"]:
        assert dept["address"] in sending and dept["phone"] in sending
    assert "送达前请先致电" in sending and "涉案法律文件" in sending and "签字或盖章" in sending
    assert "可另附页" in sending
    assert "3 个工作日内作出受理决定" in sending and "0751-6696612" in sending
    assert "在线提交" not in text and "mailto:" not in text and "ipw-online" not in text
    assert "本网站不接收、不保存任何数据" in text


def test_page_offers_email_receiver_hours_and_configured_service_levels(settings):
    changed = settings.with_values(
        intake={"office_hours": "工作日 9:00—17:00", "email": "ipw@example.gov.cn",
                "receiver_url": "https://ipw.example.gov.cn/intake/"},
        service_level={"accept_days": 2, "opinion_days": 15})
    text = intake.page(changed)
    assert "办公时间：工作日 9:00—17:00" in text
    assert "[ipw@example.gov.cn](mailto:ipw@example.gov.cn)" in text
    assert 'data-receiver="https://ipw.example.gov.cn/intake/"' in text
    assert "(https://ipw.example.gov.cn/intake/status)" in text
    assert "| 受理决定（受理、不予受理或通知补充材料） | 2 个工作日 |" in text
    assert "| 出具《海外知识产权纠纷应对行政指导意见书》 | 15 个工作日 |" in text
    assert "2 个工作日内作出受理决定" in text
    assert "本网站不接收" not in text and "只有您点“在线提交”时" in text


@pytest.mark.parametrize("toml, message", [
    ('[intake]\nreceiver_url = "ftp://x/"\n', "intake.receiver_url"),
    ('[intake]\nreceiver_url = "https://x.example/intake"\n', "以 / 结尾"),
    ('[intake]\nemail = "nobody"\n', "intake.email"),
    ('[receiver]\nmax_files = 0\n', "receiver.max_files"),
    ('[receiver]\nallowed_origins = "https://x"\n', "receiver.allowed_origins"),
])
def test_bad_intake_settings_name_the_key(tmp_path, toml, message):
    path = tmp_path / "ipwatch.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_settings(path)


def test_an_interrupted_inbox_write_leaves_nothing(settings, monkeypatch):
    clean = formcheck.validate_application(sample_application())
    real = inbox._write_private

    def fail_on_contact(path, data):
        if path.name == "contact.json":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(inbox, "_write_private", fail_on_contact)
    with pytest.raises(Exception, match="无法保存提交的申请"):
        inbox.store_submission(settings, clean, [check_attachment(1, "a.pdf", PDF, max_bytes=10**6,
                                                                  max_unpacked=10**6)])
    assert list(inbox.inbox_dir(settings).iterdir()) == []
    assert inbox.list_inbox(settings) == []


def test_receipt_and_code_are_checked_not_guessed(settings):
    clean = formcheck.validate_application(sample_application())
    receipt, code = inbox.store_submission(settings, clean, [])
    assert inbox.RECEIPT.fullmatch(receipt) and len(code) == 10
    assert inbox.code_matches(settings, receipt, code)
    assert inbox.code_matches(settings, receipt, code.lower())
    assert not inbox.code_matches(settings, receipt, code[:-1] + ("2" if code[-1] != "2" else "3"))
    assert not inbox.code_matches(settings, "../../etc", code)
    assert not inbox.code_matches(settings, "W20260101-AAAAAA", code)


def test_attachments_are_told_by_content():
    assert sniff(PDF, 10**6) == "pdf" and sniff(PNG, 10**6) == "png"
    assert sniff(b"\xff\xd8\xff\xe0" + b"\0" * 10, 10**6) == "jpg"
    assert sniff(docx_bytes(), 10**6) == "docx"
    for bad in (b"GIF89a", b"<html>", b"PK\x03\x04", _plain_zip()):
        with pytest.raises(AttachmentError):
            sniff(bad, 10**6)
    with pytest.raises(AttachmentError, match="第2个附件「evil.pdf」"):
        check_attachment(2, "C:\\tmp\\evil.pdf", b"MZ", max_bytes=10, max_unpacked=10)
    assert display_name("../../a\x00b\u202e.pdf") == "ab.pdf"
    assert display_name("...") == "附件"


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a Word file")
    return buffer.getvalue()


def test_rate_limiter_counts_per_client_within_its_window():
    now = [1000.0]
    limiter = RateLimiter({"submit": (2, 3600.0)}, max_clients=3, clock=lambda: now[0])
    assert [limiter.allow("submit", "a") for _ in range(3)][:2] == [0, 0]
    assert limiter.allow("submit", "a") > 3000
    assert limiter.allow("submit", "b") == 0  # another client is not slowed down
    now[0] += 3601
    assert limiter.allow("submit", "a") == 0  # the window has passed
    for client in "cdefg":  # memory stays bounded: the oldest clients are forgotten
        limiter.allow("submit", client)
    assert len(limiter._seen) == 3


def test_a_submission_not_imported_can_be_discarded(settings):
    clean = formcheck.validate_application(sample_application())
    receipt, _ = inbox.store_submission(settings, clean, [])
    inbox.discard(settings, receipt)
    assert inbox.list_inbox(settings) == [] and not (inbox.inbox_dir(settings) / receipt).exists()
    with pytest.raises(Exception, match="格式不对"):
        inbox.discard(settings, "../../x")
