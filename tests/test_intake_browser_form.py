"""The 申请指导 page in headless Chromium: fill the form with bad and good data, see the field
errors, export the file, print the A4 copy, and import the export with the CLI."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

import pytest

from intake_browser_helpers import allow_downloads, wait_download
from intake_helpers import ROOT, sample_application
from kb.cases import form, formcheck
from search_browser import Browser, SiteServer
from kb.core.settings import load_settings
from kb.core.store import open_store

CLICK_CHOICES = """(function (data) {
  var form = document.getElementById("ipw-form");
  form.reset();
  Object.keys(data).forEach(function (key) {
    var chosen = Array.isArray(data[key]) ? data[key] : [data[key]];
    form.querySelectorAll('input[name="' + key + '"]').forEach(function (box) {
      if (chosen.indexOf(box.value) >= 0) box.click();  // a real click event, as a user ticks
    });
  });
})(%s)"""
READ_STATE = """(function () {
  var errors = {};
  document.querySelectorAll("[data-error-for]").forEach(function (el) {
    if (!el.hidden) errors[el.getAttribute("data-error-for")] = el.textContent;
  });
  return {errors: errors, status: document.getElementById("ipw-status").textContent,
          exportEnabled: !document.getElementById("ipw-export").disabled,
          summary: document.getElementById("ipw-summary").textContent,
          invalid: Array.from(document.querySelectorAll("[aria-invalid=true]")).map(e => e.name)};
})()"""


def fill_and_check(browser, data: dict) -> dict:
    """Tick the choices, type every text as keyboard input, press 检查填写内容."""
    choices = {f.key: data.get(f.key) for f in form.FIELDS if f.choices}
    browser.evaluate(CLICK_CHOICES % json.dumps(choices, ensure_ascii=False))
    for f in form.FIELDS:
        value = data.get(f.key) or ""
        if f.choices or not value:
            continue
        if f.kind == "date":  # the date picker takes its value, not keystrokes
            browser.evaluate(f"document.getElementById('ipw-{f.key}').value = {json.dumps(value)}")
        else:
            browser.type_into(f"#ipw-{f.key}", value)
    browser.evaluate("document.getElementById('ipw-check').click()")
    return browser.evaluate(READ_STATE)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    from ipwatch.sitebuild import build_site

    folder = tmp_path_factory.mktemp("site")
    old = os.environ.get("IPWATCH_DATA")
    os.environ["IPWATCH_DATA"] = str(folder / "data")
    try:
        settings = load_settings()
        with open_store(settings) as store:
            return build_site(settings, store, folder / "out")
    finally:
        if old is None:
            os.environ.pop("IPWATCH_DATA")
        else:
            os.environ["IPWATCH_DATA"] = old


def _python_message(key, value):
    try:
        formcheck.check_field(key, value)
    except formcheck.Problem as problem:
        return problem.message()
    raise AssertionError(f"{key} {value!r} should be invalid")


def _session(site, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with SiteServer(site) as server, Browser() as browser:
        allow_downloads(browser, downloads)
        browser.call("Emulation.setDeviceMetricsOverride", session=True, width=1000, height=1400,
                     deviceScaleFactor=1, mobile=False)
        browser.goto(server.url + "intake/index.html")
        bad = sample_application(uscc="91350100M000100Y44", contact_phone="0751-669661",
                                 contact_email="ip@desk", dispute_types=[], countries=["other"])
        bad_result = fill_and_check(browser, bad)
        _screenshot(browser, tmp_path / "form-errors.png")
        good_result = fill_and_check(browser, sample_application())
        browser.evaluate('document.getElementById("ipw-export").click()')
        exported = wait_download(browser)
        browser.call("Emulation.setEmulatedMedia", session=True, media="print")
        _screenshot(browser, tmp_path / "form-print.png")
        print_rows = browser.evaluate(
            'Array.from(document.querySelectorAll("#ipw-print tr")).map(r => r.textContent)')
        browser.call("Emulation.setEmulatedMedia", session=True, media="")
        pdf = browser.call("Page.printToPDF", session=True, preferCSSPageSize=True)
        (tmp_path / "form-print.pdf").write_bytes(base64.b64decode(pdf["data"]))
        errors = browser.console_errors()
    return bad_result, good_result, exported, print_rows, errors


def _screenshot(browser, path):
    size = browser.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = browser.call("Page.captureScreenshot", session=True, format="png",
                        captureBeyondViewport=True, clip=clip)
    path.write_bytes(base64.b64decode(shot["data"]))


def test_fill_check_export_print_and_import(built_site, tmp_path, monkeypatch):
    bad, good, exported, print_rows, console_errors = _session(built_site, tmp_path)

    assert bad["errors"] == {
        "uscc": _python_message("uscc", "91350100M000100Y44"),
        "contact_phone": _python_message("contact_phone", "0751-669661"),
        "contact_email": _python_message("contact_email", "ip@desk"),
        "dispute_types": "必选，请至少勾选一项",
        "country_other": "勾选了「其他」，请在其后填写具体内容",
    }
    assert not bad["exportEnabled"] and "申请书有 5 处需要修改" in bad["summary"]
    assert set(bad["invalid"]) == {"uscc", "contact_phone", "contact_email", "dispute_types", "country_other"}
    assert good["errors"] == {} and good["exportEnabled"] and "检查通过" in good["status"]

    assert exported is not None and exported.name == "海外知识产权纠纷应对指导申请书.json"
    payload = json.loads(exported.read_text("utf-8"))
    assert payload["format"] == "ipwatch-application"
    assert payload["application"]["contact_phone"] == "+867516696612"

    assert print_rows[0].startswith("纠纷应对指导申请人类别☑ 企业")
    assert any(r.startswith("涉及权利类别") and "☑ 其他：技术秘密" in r for r in print_rows)
    assert "联系电话0751-6696612" in print_rows  # printed as written, exported as E.164
    assert (tmp_path / "form-print.pdf").read_bytes()[:5] == b"%PDF-"
    assert console_errors == []  # no script error, no CSP violation

    env = dict(os.environ, IPWATCH_DATA=str(tmp_path / "staff"),
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]))
    cmd = [sys.executable, "-m", "ipwatch", "case", "import", str(exported), "--by", "李四"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0 and "2026-" in first.stdout and "新建案件" in first.stdout, first.stderr
    assert again.returncode == 0 and "已存在" in again.stdout
    shown = subprocess.run([sys.executable, "-m", "ipwatch", "case", "list", "--format", "json"],
                           capture_output=True, text=True, env=env, timeout=120)
    [listed] = json.loads(shown.stdout)
    assert "applicant_name" not in listed  # a listing shows no applicant; the view of one case does
    shown = subprocess.run([sys.executable, "-m", "ipwatch", "case", "show", listed["number"], "--format", "json"],
                           capture_output=True, text=True, env=env, timeout=120)
    case = json.loads(shown.stdout)
    assert case["applicant_name"] == "韶关市示例机械制造有限公司" and case["countries"] == ["US", "DE"]
    _on_to_opinion_and_report(case["number"], tmp_path, monkeypatch)


def _on_to_opinion_and_report(number, tmp_path, monkeypatch):
    """The imported application goes on to a drafted opinion and the quarter's report counts."""
    from docx import Document
    from typer.testing import CliRunner

    from ipwatch.cli import app
    from kb.cases.workdays import today

    monkeypatch.setenv("IPWATCH_DATA", str(tmp_path / "staff"))
    config = tmp_path / "ipwatch.toml"  # the opinion cites the guides at the site's public address
    config.write_text('[cases]\nsite_url = "https://ipwatch.example.gov.cn"\n', encoding="utf-8")
    monkeypatch.setenv("IPWATCH_CONFIG", str(config))
    runner = CliRunner()
    for args in (["accept"], ["contact"], ["confer", "--dept", "amr", "--dept", "copyright"]):
        result = runner.invoke(app, ["case", "advance", number, *args, "--by", "李四"])
        assert result.exit_code == 0, result.output
    draft = tmp_path / "意见书.docx"
    assert runner.invoke(app, ["case", "opinion", number, "--out", str(draft)]).exit_code == 0
    assert runner.invoke(app, ["case", "advance", number, "opinion", "--by", "李四"]).exit_code == 0
    text = "\n".join(p.text for p in Document(str(draft)).paragraphs)
    assert "海外知识产权纠纷应对行政指导意见书" in text and "德国知识产权纠纷实务指引" in text
    day = today()
    period = f"{day.year}Q{(day.month - 1) // 3 + 1}"
    result = runner.invoke(app, ["report", "build", "--period", period, "--provisional"])
    assert result.exit_code == 0, result.output
    with open_store(load_settings()) as store:
        true_total = store.conn.execute(
            "SELECT true_value FROM published_cells WHERE period = ? AND industry = 'all'"
            " AND dim = 'total'", (period,)).fetchone()[0]
    assert true_total == 1  # counted (and, being one enterprise, suppressed when published)


def test_cli_rejects_a_bad_export(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "ipwatch-application", "version": 1,
                               "application": sample_application(uscc="91350100M000100Y44")},
                              ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ, IPWATCH_DATA=str(tmp_path / "staff"),
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]))
    done = subprocess.run([sys.executable, "-m", "ipwatch", "case", "import", str(bad)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "字段「统一社会信用代码」：第18位校验位不符" in done.stderr
    assert "未导入任何数据" in done.stderr
