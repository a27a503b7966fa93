"""The enterprise's way to help, in headless Chromium at phone and desktop sizes: reach the
form from the home page in at most two taps, fill it with the keyboard alone and see where the
focus is, be taken to the errors, keep a draft over a reload, load an exported file back, print
it without a split row, send it to the online receiver, and pass axe-core on the pages that
lead there."""
from __future__ import annotations

import json
import os
import shutil
import unicodedata

import pytest

from intake_browser_helpers import (DESKTOP, PHONE, SHOTS, allow_downloads, axe_serious, box_of,
                                    press, screenshot, set_size, tap, wait_download, wait_url)
from intake_helpers import sample_application
from kb.cases import form, formcheck
from receiver_helpers import PDF, Receiver, free_port
from search_browser import Browser, SiteServer
from test_intake_browser_form import fill_and_check

FOCUS_SHOWN = """(() => { const el = document.activeElement, s = getComputedStyle(el);
  return {id: el.id, type: el.type || el.tagName, name: el.name || '', value: el.value || '',
          checked: !!el.checked, inForm: !!el.closest('#ipw-form'),
          shown: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                 || (s.boxShadow && s.boxShadow !== 'none')}; })()"""
READ_FORM = """(() => { const out = {}; const f = document.getElementById('ipw-form');
  JSON.parse(document.getElementById('ipw-form-schema').textContent).fields.forEach(x => {
    const boxes = f.querySelectorAll('input[name="' + x.key + '"]');
    if (x.kind === 'choice' || x.kind === 'choices') {
      const on = [...boxes].filter(b => b.checked).map(b => b.value);
      out[x.key] = x.kind === 'choices' ? on : (on[0] || '');
    } else { out[x.key] = f.elements.namedItem(x.key).value; } });
  return out; })()"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A built site with a (sample) report and the online receiver's address set."""
    from alerts.report import build_report
    from alerts.sample import load_sample
    from ipwatch.sitebuild import build_site
    from kb.core.settings import DEMO_MARKER, load_settings
    from kb.core.store import open_store

    folder = tmp_path_factory.mktemp("pathsite")
    port = free_port()
    old = os.environ.get("IPWATCH_DATA")
    os.environ["IPWATCH_DATA"] = str(folder / "data")
    try:
        settings = load_settings().with_values(intake={
            "receiver_url": f"http://127.0.0.1:{port}/", "email": "ipw@example.gov.cn",
            "office_hours": "工作日 8:30—12:00、14:30—17:30"})
        with open_store(settings) as store:
            # sample reports are published only from a demo data folder
            (settings.data_dir / DEMO_MARKER).write_text("demo", encoding="utf-8")
            load_sample(store, 600)
            build_report(settings, store, "2026Q3", industry="机械", sample=True)
            out = build_site(settings, store, folder / "out")
    finally:
        if old is None:
            os.environ.pop("IPWATCH_DATA")
        else:
            os.environ["IPWATCH_DATA"] = old
    return {"out": out, "receiver_port": port, "folder": folder}


@pytest.fixture
def session(site, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with SiteServer(site["out"]) as server, Browser() as browser:
        allow_downloads(browser, downloads)
        browser.call("DOM.enable", session=True)
        yield browser, server.url, downloads


def _intake(browser, url, size=DESKTOP):
    set_size(browser, size)
    browser.goto(url + "intake/index.html")
    browser.evaluate("localStorage.clear()")
    browser.goto(url + "intake/index.html")


def test_phone_reaches_the_form_in_two_taps_or_fewer(session, tmp_path):
    browser, url, _ = session
    set_size(browser, PHONE)
    browser.goto(url)
    screenshot(browser, tmp_path / "phone-home.png")
    # one tap: the call to action on the first screen of the home page
    assert box_of(browser, ".ipw-cta a.md-button"), "the call to action is not on the first screen"
    assert "0751-6696612" in browser.evaluate("document.querySelector('.ipw-cta').textContent")
    assert browser.evaluate("document.querySelector('.ipw-cta a[href^=\"tel:\"]').href") == "tel:+867516696612"
    tap(browser, ".ipw-cta a.md-button")
    wait_url(browser, "/intake/index.html")
    assert browser.evaluate("!!document.getElementById('ipw-form')")
    screenshot(browser, tmp_path / "phone-intake.png")
    # two taps: the menu, then 申请指导 on its first level
    browser.goto(url)
    tap(browser, "label.md-header__button[for='__drawer']")
    browser.wait_for("document.getElementById('__drawer').checked")
    browser.wait_for("(() => { const a = [...document.querySelectorAll('.md-nav--primary a')]"
                     ".find(a => a.textContent.trim() === '申请指导'); if (!a) return false;"
                     " const r = a.getBoundingClientRect(); return r.width > 0 && r.left >= 0; })()")
    screenshot(browser, tmp_path / "phone-menu.png")
    first_level = browser.evaluate(
        "[...document.querySelectorAll('.md-nav--primary > .md-nav__list > .md-nav__item > a,"
        " .md-nav--primary > .md-nav__list > .md-nav__item > label')]"
        ".filter(a => a.getBoundingClientRect().width > 0).map(a => a.textContent.trim())")
    assert "申请指导" in first_level
    browser.evaluate("document.querySelectorAll('.md-nav--primary a').forEach(a => {"
                     " if (a.textContent.trim() === '申请指导') a.setAttribute('data-ipw-tap', '1'); })")
    tap(browser, "a[data-ipw-tap]")
    wait_url(browser, "/intake/index.html")


def test_desktop_reaches_the_form_in_one_click(session):
    browser, url, _ = session
    set_size(browser, DESKTOP)
    browser.goto(url)
    browser.evaluate("document.querySelectorAll('.md-tabs a').forEach(a => {"
                     " if (a.textContent.trim() === '申请指导') a.setAttribute('data-ipw-tap', '1'); })")
    tap(browser, "a[data-ipw-tap]")
    wait_url(browser, "/intake/index.html")


def test_every_practice_and_report_page_ends_with_the_call_to_action(site):
    pages = sorted(site["out"].glob("guides/*/practice.html")) + [
        p for p in (site["out"] / "reports").glob("*.html") if p.name != "index.html"]
    assert len(pages) >= 12 and any("reports" in str(p) for p in pages)
    for page in pages:
        html = page.read_text("utf-8")
        assert 'class="ipw-cta"' in html, page
        cta = html[html.index('class="ipw-cta"'):]
        assert '../intake/index.html' in cta and "tel:+867516696612" in cta, page


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_keyboard_only_filling_shows_where_the_focus_is(session, tmp_path, size):
    browser, url, _ = session
    _intake(browser, url, size)
    data = sample_application()
    seen, hidden_focus = [], []
    for _ in range(400):  # from the top of the page, through the menu, into the form
        press(browser, "Tab")
        now = browser.evaluate(FOCUS_SHOWN)
        if now["inForm"]:
            break
    for _ in range(200):
        if not now["shown"]:
            hidden_focus.append(now["id"])
        seen.append(now["id"])
        if now["id"] == "ipw-check":
            press(browser, "Enter")
            break
        _keyboard_answer(browser, now, data)
        press(browser, "Tab")
        now = browser.evaluate(FOCUS_SHOWN)
    assert not hidden_focus, f"focus not visible on {hidden_focus}"
    assert "ipw-check" in seen and "ipw-request" in seen and "ipw-uscc" in seen
    browser.wait_for("document.getElementById('ipw-status').textContent.startsWith('检查通过')")
    screenshot(browser, tmp_path / f"keyboard-filled-{'phone' if size['mobile'] else 'desktop'}.png")
    typed = browser.evaluate(READ_FORM)
    assert formcheck.validate_application(typed) == formcheck.validate_application(data)


def _keyboard_answer(browser, now: dict, data: dict) -> None:
    want = data.get(now["name"])
    if now["type"] in ("text", "email", "tel", "textarea") and want:
        browser.call("Input.insertText", session=True, text=want)
    elif now["type"] == "date" and want:
        year, month, day = want.split("-")
        for char in month + day + year:  # the date box takes its parts as typed digits
            browser.call("Input.dispatchKeyEvent", session=True, type="keyDown", text=char, key=char)
            browser.call("Input.dispatchKeyEvent", session=True, type="keyUp", key=char)
    elif now["type"] == "checkbox" and now["value"] in (want or []):
        press(browser, "Space")
    elif now["type"] == "radio" and want:
        press(browser, "Space")
        for _ in range(12):  # the arrow keys move the choice within the group
            if browser.evaluate("document.activeElement.value") == want:
                break
            press(browser, "ArrowRight")


def test_error_summary_takes_focus_and_links_to_each_field(session, tmp_path):
    browser, url, _ = session
    _intake(browser, url, PHONE)
    bad = sample_application(uscc="91350100M000100Y44", contact_email="ip@desk")
    fill_and_check(browser, bad)
    state = browser.evaluate("""(() => { const s = document.getElementById('ipw-summary');
      const r = s.getBoundingClientRect();
      return {focused: document.activeElement === s, top: r.top, bottom: r.bottom,
              links: [...s.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.textContent])}; })()""")
    screenshot(browser, tmp_path / "phone-error-summary.png")
    assert state["focused"] and 0 <= state["top"] < PHONE["height"]
    assert box_of(browser, "#ipw-summary"), "the summary is hidden (under the header?)"
    assert [h for h, _ in state["links"]] == ["#ipw-uscc", "#ipw-contact_email"]
    assert "统一社会信用代码" in state["links"][0][1]
    press(browser, "Tab")  # the first link
    press(browser, "Enter")
    field = browser.evaluate("""(() => { const el = document.activeElement;
      const ids = (el.getAttribute('aria-describedby') || '').split(' ');
      return {id: el.id, invalid: el.getAttribute('aria-invalid'),
              described: ids.map(i => (document.getElementById(i) || {}).textContent || '')}; })()""")
    assert field["id"] == "ipw-uscc" and field["invalid"] == "true"
    assert any("校验" in text or "应为" in text for text in field["described"]), field
    # a choice field's error is tied to its boxes
    fill_and_check(browser, sample_application(countries=[]))
    described = browser.evaluate("document.getElementById('ipw-countries-US').getAttribute('aria-describedby')")
    assert "ipw-err-countries" in described
    good = fill_and_check(browser, sample_application())
    assert not good["errors"]
    assert browser.evaluate("document.getElementById('ipw-uscc').getAttribute('aria-describedby')") is None


def test_draft_survives_a_reload_until_cleared(session):
    browser, url, _ = session
    _intake(browser, url)
    browser.type_into("#ipw-applicant_name", "韶关市草稿测试有限公司")
    browser.type_into("#ipw-request", "草稿" * 40)
    browser.evaluate("document.getElementById('ipw-countries-JP').click()")
    browser.goto(url + "intake/index.html")
    restored = browser.evaluate(READ_FORM)
    assert restored["applicant_name"] == "韶关市草稿测试有限公司" and restored["countries"] == ["JP"]
    assert "已恢复" in browser.evaluate("document.getElementById('ipw-draft-text').textContent")
    assert browser.evaluate("document.getElementById('ipw-count-request').textContent") == "已填 80 字，最多 3000 字"
    browser.evaluate("document.getElementById('ipw-draft-clear').click()")
    browser.goto(url + "intake/index.html")
    cleared = browser.evaluate(READ_FORM)
    assert cleared["applicant_name"] == "" and cleared["countries"] == []
    assert browser.evaluate("localStorage.length") == 0


def test_export_then_load_back_gives_the_same_content(session):
    browser, url, downloads = session
    _intake(browser, url)
    fill_and_check(browser, sample_application())
    browser.evaluate("document.getElementById('ipw-export').click()")
    first = wait_download(browser)
    assert first.suffix == ".json"
    exported = json.loads(first.read_text("utf-8"))
    assert browser.evaluate("localStorage.length") == 0  # exported: the draft is gone
    browser.goto(url + "intake/index.html")
    assert browser.evaluate(READ_FORM)["applicant_name"] == ""
    node = browser.call("DOM.querySelector", session=True, selector="#ipw-load",
                        nodeId=browser.call("DOM.getDocument", session=True)["root"]["nodeId"])
    browser.call("DOM.setFileInputFiles", session=True, files=[str(first)], nodeId=node["nodeId"])
    browser.wait_for("document.getElementById('ipw-load-status').textContent.startsWith('已载入')")
    assert not browser.evaluate("document.getElementById('ipw-export').disabled")
    first.rename(downloads / "first.json.kept")
    browser.evaluate("document.getElementById('ipw-export').click()")
    again = json.loads(wait_download(browser).read_text("utf-8"))
    assert again["application"] == exported["application"]
    assert again["application"] == formcheck.validate_application(sample_application())
    # a file that is not an export is refused, and the form is left as it was
    wrong = downloads / "wrong.txt"
    wrong.write_text('{"format": "other"}', encoding="utf-8")
    browser.call("DOM.setFileInputFiles", session=True, files=[str(wrong)], nodeId=node["nodeId"])
    browser.wait_for("document.getElementById('ipw-load-status').textContent.includes('不是本页面导出')")
    assert browser.evaluate(READ_FORM)["applicant_name"] == sample_application()["applicant_name"]


def _text(page) -> str:
    """A PDF page's text; NFKC: the PDF's text map gives radicals (⼈) for some characters (人)."""
    return _nfkc(page.extract_text()).replace("\n", "").replace(" ", "")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _row_pages(pdf_path, rows: list[tuple[str, str, str]]) -> dict[str, set[int]]:
    """For each row (label, first words, last words): the pages its three marks are on."""
    from pypdf import PdfReader

    texts = [_text(page) for page in PdfReader(pdf_path).pages]
    return {label: {n for n, text in enumerate(texts) for mark in (label, start, end)
                    if _nfkc(mark) in text}
            for label, start, end in rows}


def _print_pdf(browser, path, css: str = ""):
    import base64

    if css:
        browser.evaluate(f"document.head.insertAdjacentHTML('beforeend', '<style>{css}</style>')")
    pdf = browser.call("Page.printToPDF", session=True, preferCSSPageSize=True)
    path.write_bytes(base64.b64decode(pdf["data"]))
    return path


def test_printed_form_splits_no_row_and_has_the_signature_line(session, tmp_path):
    browser, url, _ = session
    _intake(browser, url)
    long = dict(request="申请甲始" + "我司在德国展会上收到临时禁令请求指导应对" * 30 + "申请甲终",
                impact="影响乙始" + "可能损失欧洲订单约三百万元并影响后续合同" * 30 + "影响乙终",
                other_requests="其他丙始" + "希望尽快对接律师和专家并协助准备答辩材料" * 20 + "其他丙终")
    assert not fill_and_check(browser, sample_application(**long))["errors"]
    rows = [("纠纷应对指导申请事项", "申请甲始", "申请甲终"), ("纠纷影响预估", "影响乙始", "影响乙终"),
            ("其他要求", "其他丙始", "其他丙终")]
    assert [form.BY_KEY[k].label for k in ("request", "impact", "other_requests")] == [r[0] for r in rows]
    browser.call("Emulation.setEmulatedMedia", session=True, media="print")
    screenshot(browser, tmp_path / "printed-form.png", full=True)
    browser.call("Emulation.setEmulatedMedia", session=True, media="")
    printed = _print_pdf(browser, tmp_path / "printed-form.pdf")
    if SHOTS:
        shutil.copyfile(printed, os.path.join(SHOTS, printed.name))
    kept = _row_pages(printed, rows)
    assert all(len(pages) == 1 for pages in kept.values()), kept
    assert len(set().union(*kept.values())) >= 2  # the rows do fall on more than one page
    from pypdf import PdfReader
    last = PdfReader(printed).pages[-1]
    assert _nfkc("申请人（签字或盖章）") in _text(last)
    # the same print without the rule splits a row: the check above can fail
    split = _row_pages(_print_pdf(browser, tmp_path / "split.pdf",
                                  ".ipw-print tr, .ipw-print th, .ipw-print td"
                                  " { break-inside: auto !important; page-break-inside: auto !important; }"), rows)
    assert any(len(pages) > 1 for pages in split.values()), split


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_accessibility_violations(session, site, size):
    browser, url, _ = session
    set_size(browser, size)
    report = next(p.name for p in (site["out"] / "reports").glob("*.html") if p.name != "index.html")
    found = {}
    for page in ["index.html", "intake/index.html", "guides/de/practice.html", f"reports/{report}"]:
        browser.goto(url + page)
        found[page] = axe_serious(browser)
    assert found == {page: [] for page in found}, json.dumps(found, ensure_ascii=False, indent=1)


def test_online_submission_from_the_page(session, site, tmp_path):
    browser, url, _ = session
    origin = url.rstrip("/")
    receiver = Receiver(tmp_path, allowed_origins=[origin])  # on the port the site was built for
    receiver.port = site["receiver_port"]
    with receiver:
        _intake(browser, url)
        fill_and_check(browser, sample_application())
        attachment = tmp_path / "营业执照.pdf"
        attachment.write_bytes(PDF)
        root = browser.call("DOM.getDocument", session=True)["root"]["nodeId"]
        node = browser.call("DOM.querySelector", session=True, selector="#ipw-attachments", nodeId=root)
        browser.call("DOM.setFileInputFiles", session=True, files=[str(attachment)], nodeId=node["nodeId"])
        browser.evaluate("document.getElementById('ipw-submit-online').click()")
        browser.wait_for("document.getElementById('ipw-receipt').textContent.includes('回执编号')", 30)
        text = browser.evaluate("document.getElementById('ipw-receipt').textContent")
        assert "查询码" in text and "个工作日内" in text and "0751-6696612" in text
        listing = receiver.cli("case", "inbox", "--format", "json")
        rows = json.loads(listing.stdout)
        assert len(rows) == 1 and rows[0]["attachments"] == 1 and rows[0]["receipt"] in text
        assert browser.console_errors() == []
