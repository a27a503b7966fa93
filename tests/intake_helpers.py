"""Helpers of the intake/case tests: headless Chromium, a sample application, a case store."""
from __future__ import annotations

import asyncio
import base64
import json
import subprocess
from pathlib import Path

import aiohttp

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


class Browser:
    """A headless Chromium driven over the DevTools protocol (one page)."""

    def __init__(self, profile: Path, downloads: Path):
        self.profile, self.downloads = profile, downloads
        self.proc = None
        self.ws = None
        self.session = None
        self._id = 0

    async def __aenter__(self) -> "Browser":
        self.proc = subprocess.Popen(
            chromium_args(self.profile) + ["--remote-debugging-port=0", "--window-size=1000,1400",
                                           "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            await asyncio.sleep(0.1)
        port = port_file.read_text().split()[0]
        self.session = aiohttp.ClientSession()
        async with self.session.get(f"http://127.0.0.1:{port}/json/list") as resp:
            pages = [t for t in await resp.json() if t["type"] == "page"]
        self.ws = await self.session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        await self.send("Browser.setDownloadBehavior", behavior="allow",
                        downloadPath=str(self.downloads), eventsEnabled=True)
        return self

    async def __aexit__(self, *exc) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.session is not None:
            await self.session.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)

    async def send(self, method: str, **params):
        self._id += 1
        my_id = self._id
        await self.ws.send_json({"id": my_id, "method": method, "params": params})
        while True:
            msg = await self.ws.receive_json(timeout=60)
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)
        for _ in range(200):
            state = await self.eval("document.readyState")
            if state == "complete":
                return
            await asyncio.sleep(0.05)
        raise TimeoutError(url)

    async def eval(self, expression: str):
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                                 awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(json.dumps(result["exceptionDetails"], ensure_ascii=False))
        return result["result"].get("value")

    async def screenshot(self, path: Path, full: bool = True) -> None:
        metrics = await self.send("Page.getLayoutMetrics")
        size = metrics["cssContentSize"]
        params = {"format": "png", "captureBeyondViewport": full}
        if full:
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                              "scale": 1}
        shot = await self.send("Page.captureScreenshot", **params)
        path.write_bytes(base64.b64decode(shot["data"]))

    async def pdf(self, path: Path) -> None:
        result = await self.send("Page.printToPDF", preferCSSPageSize=True, printBackground=True)
        path.write_bytes(base64.b64decode(result["data"]))


# ----------------------------------------------------------------- stores and files ----

import pytest  # noqa: E402

from kb import form  # noqa: E402
from kb.settings import load_settings  # noqa: E402
from kb.store import open_store  # noqa: E402


@pytest.fixture
def case_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("IPWATCH_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("IPWATCH_CONFIG", raising=False)
    return load_settings()


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

    from kb import docxutil, formdocx

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

    from kb import choices

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
