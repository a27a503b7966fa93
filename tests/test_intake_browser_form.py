"""The 申请指导 page in headless Chromium: fill the form with bad and good data, see the field
errors, export the file, print the A4 copy, and import the export with the CLI."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest

from intake_helpers import ROOT, Browser, sample_application
from kb import formcheck
from kb.settings import load_settings
from kb.store import open_store

FILL = """(function (data) {
  var form = document.getElementById("ipw-form");
  form.reset();
  Object.keys(data).forEach(function (key) {
    var value = data[key];
    var boxes = form.querySelectorAll('input[name="' + key + '"][type=checkbox], input[name="' + key + '"][type=radio]');
    if (boxes.length) {
      var chosen = Array.isArray(value) ? value : [value];
      boxes.forEach(function (box) { box.checked = chosen.indexOf(box.value) >= 0; });
    } else {
      form.elements.namedItem(key).value = value;
    }
    form.dispatchEvent(new Event("input", {bubbles: true}));
  });
  document.getElementById("ipw-check").click();
  var errors = {};
  document.querySelectorAll("[data-error-for]").forEach(function (el) {
    if (!el.hidden) errors[el.getAttribute("data-error-for")] = el.textContent;
  });
  return {errors: errors, status: document.getElementById("ipw-status").textContent,
          exportEnabled: !document.getElementById("ipw-export").disabled,
          summary: document.getElementById("ipw-summary").textContent};
})(%s)"""


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


async def _session(page_url, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    async with Browser(tmp_path / "profile", downloads) as browser:
        await browser.goto(page_url)
        bad = sample_application(uscc="91350100M000100Y44", contact_phone="0751-669661",
                                 contact_email="ip@desk", dispute_types=[], countries=["other"])
        bad_result = await browser.eval(FILL % json.dumps(bad, ensure_ascii=False))
        await browser.screenshot(tmp_path / "form-errors.png")
        good_result = await browser.eval(FILL % json.dumps(sample_application(), ensure_ascii=False))
        await browser.eval('document.getElementById("ipw-export").click()')
        exported = None
        for _ in range(100):
            done = [p for p in downloads.iterdir() if p.suffix == ".json"]
            if done:
                exported = done[0]
                break
            await asyncio.sleep(0.1)
        await browser.send("Emulation.setEmulatedMedia", media="print")
        await browser.screenshot(tmp_path / "form-print.png")
        print_rows = await browser.eval(
            'Array.from(document.querySelectorAll("#ipw-print tr")).map(r => r.textContent)')
        await browser.send("Emulation.setEmulatedMedia", media="")
        await browser.pdf(tmp_path / "form-print.pdf")
    return bad_result, good_result, exported, print_rows


def test_fill_check_export_print_and_import(built_site, tmp_path, monkeypatch):
    page = (built_site / "intake" / "index.html").as_uri()
    bad, good, exported, print_rows = asyncio.run(_session(page, tmp_path))

    assert bad["errors"] == {
        "uscc": _python_message("uscc", "91350100M000100Y44"),
        "contact_phone": _python_message("contact_phone", "0751-669661"),
        "contact_email": _python_message("contact_email", "ip@desk"),
        "dispute_types": "必选，请至少勾选一项",
        "country_other": "勾选了「其他」，请在其后填写具体内容",
    }
    assert not bad["exportEnabled"] and "申请书有 5 处需要修改" in bad["summary"]
    assert good["errors"] == {} and good["exportEnabled"] and "检查通过" in good["status"]

    assert exported is not None and exported.name == "海外知识产权纠纷应对指导申请书.json"
    payload = json.loads(exported.read_text("utf-8"))
    assert payload["format"] == "ipwatch-application"
    assert payload["application"]["contact_phone"] == "+867516696612"

    assert print_rows[0].startswith("纠纷应对指导申请人类别☑ 企业")
    assert any(r.startswith("涉及权利类别") and "☑ 其他：技术秘密" in r for r in print_rows)
    assert (tmp_path / "form-print.pdf").read_bytes()[:5] == b"%PDF-"

    env = dict(os.environ, IPWATCH_DATA=str(tmp_path / "staff"),
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]))
    cmd = [sys.executable, "-m", "ipwatch", "case", "import", str(exported), "--by", "李四"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0 and "2026-" in first.stdout and "新建案件" in first.stdout, first.stderr
    assert again.returncode == 0 and "已存在" in again.stdout
    shown = subprocess.run([sys.executable, "-m", "ipwatch", "case", "list", "--format", "json"],
                           capture_output=True, text=True, env=env, timeout=120)
    [case] = json.loads(shown.stdout)
    assert case["applicant_name"] == "韶关市示例机械制造有限公司" and case["countries"] == ["US", "DE"]
    _on_to_opinion_and_report(case["number"], tmp_path, monkeypatch)


def _on_to_opinion_and_report(number, tmp_path, monkeypatch):
    """The imported application goes on to a drafted opinion and the quarter's report counts."""
    from docx import Document
    from typer.testing import CliRunner

    from ipwatch.cli import app
    from kb.workdays import today

    monkeypatch.setenv("IPWATCH_DATA", str(tmp_path / "staff"))
    runner = CliRunner()
    for args in (["accept"], ["contact"], ["confer", "--dept", "amr", "--dept", "copyright"], ["opinion"]):
        result = runner.invoke(app, ["case", "advance", number, *args, "--by", "李四"])
        assert result.exit_code == 0, result.output
    draft = tmp_path / "意见书.docx"
    assert runner.invoke(app, ["case", "opinion", number, "--out", str(draft)]).exit_code == 0
    text = "\n".join(p.text for p in Document(str(draft)).paragraphs)
    assert "海外知识产权纠纷应对行政指导意见书" in text and "德国知识产权纠纷实务指引" in text
    day = today()
    period = f"{day.year}Q{(day.month - 1) // 3 + 1}"
    result = runner.invoke(app, ["report", "build", "--period", period])
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
    assert "字段「统一社会信用代码」：校验位错误（应为「3」）" in done.stderr
    assert "未导入任何数据" in done.stderr
