"""Helpers of the intake/case tests: Chromium --dump-dom, a sample application, stores and files
(the DevTools-driven browser is tests/search_browser.py)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kb.cases import form
from kb.core.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FORM_JS = ROOT / "site" / "docs" / "assets" / "intake-form.js"
VECTORS = ROOT / "tests" / "data" / "form_vectors.json"


def chromium_args(profile: Path) -> list[str]:
    return [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}",
    ]


def dump_dom(html_file: Path, profile: Path) -> str:
    """Load a local file in headless Chromium and return the DOM after its scripts ran."""
    args = chromium_args(profile) + ["--virtual-time-budget=5000", "--dump-dom", html_file.as_uri()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def sample_application(**changes) -> dict:
    data = dict(json.loads(VECTORS.read_text("utf-8"))["applications"][0]["data"])
    data.update(changes)
    return data


# ----------------------------------------------------------------- stores and files ----



@pytest.fixture
def case_settings(settings):
    """The settings of conftest (a temporary data folder, no settings file)."""
    return settings


@pytest.fixture
def case_store(case_settings):
    with open_store(case_settings) as opened:
        yield opened


def write_export(data: dict, path: Path) -> Path:
    payload = {"format": form.FORMAT_ID, "version": form.FORMAT_VERSION, "application": data}
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def fill_word_form(data: dict, path: Path) -> Path:
    """Fill our blank Word form as a user would in Word: tick boxes, type into the boxes."""
    from docx.oxml.ns import qn

    from kb.cases import formdocx

    from kb.core import docxutil

    doc = formdocx.blank_form()
    for sdt in list(doc.element.body.iter(qn("w:sdt"))):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val"))
        key, _, code = tag.partition("=")
        value = data.get(key)
        texts = list(sdt.iter(qn("w:t")))
        if code:
            chosen = value if isinstance(value, list) else [value]
            if code in chosen:
                sdt.find(f".//{formdocx._w14('checked')}").set(formdocx._w14("val"), "1")
                texts[0].text = "☒"
        elif value:
            placeholder = sdt.find(f"{qn('w:sdtPr')}/{qn('w:showingPlcHdr')}")
            placeholder.getparent().remove(placeholder)
            texts[0].text = value.replace("\n", " ")
    docxutil.save_atomic(doc, path)
    return path


def write_xlsx(rows: list[dict], path: Path, header: list[str] | None = None) -> Path:
    """A spreadsheet of many applications with the form's labels as column titles."""
    from openpyxl import Workbook

    from kb.core import choices

    book = Workbook()
    sheet = book.active
    keys = [f.key for f in form.FIELDS]
    sheet.append(header or [form.BY_KEY[k].label for k in keys])
    for data in rows:
        cells = []
        for key in keys:
            f, value = form.BY_KEY[key], data.get(key, "")
            if f.choices:
                codes = value if isinstance(value, list) else [value] if value else []
                value = "；".join(_label_or_code(f, c) for c in codes)
            cells.append(value)
        sheet.append(cells)
    book.save(path)
    return path


def _label_or_code(f, code: str) -> str:
    return next((c.label for c in f.choices if c.code == code), code)
