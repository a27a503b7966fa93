"""What the enterprise-path browser tests share: phone and desktop sizes, real taps and key
presses through the DevTools input domain (hit-tested like a finger or a keyboard, not
``element.click()``), screenshots, and the axe-core accessibility check (vendored from npm,
``tests/data/axe/``, so it runs offline)."""
from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path

from intake_helpers import ROOT

AXE = ROOT / "tests" / "data" / "axe" / "axe.min.js"
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
KEYS = {"Tab": 9, "Enter": 13, "Space": 32, "ArrowRight": 39, "ArrowDown": 40}
# `IPWATCH_SCREENSHOTS=DIR` keeps the screenshots for a person to look at
SHOTS = os.environ.get("IPWATCH_SCREENSHOTS")


def set_size(browser, size: dict) -> None:
    browser.call("Emulation.setDeviceMetricsOverride", session=True, **size)
    browser.call("Emulation.setTouchEmulationEnabled", session=True, enabled=size["mobile"])


def box_of(browser, selector: str) -> dict | None:
    """The centre of the first visible element matching ``selector`` in the viewport, or None."""
    return browser.evaluate(f"""(() => {{
      for (const el of document.querySelectorAll({json.dumps(selector)})) {{
        const r = el.getBoundingClientRect();
        if (r.width < 1 || r.height < 1 || r.bottom < 0 || r.top > innerHeight) continue;
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const hit = document.elementFromPoint(x, y);
        if (hit && (hit === el || el.contains(hit) || hit.contains(el))) return {{x, y}};
      }}
      return null; }})()""")


def tap(browser, selector: str) -> None:
    """Tap the element as a finger would: at its place on the screen (it must be showing)."""
    point = box_of(browser, selector)
    assert point, f"nothing to tap on screen: {selector}"
    for kind in ("mousePressed", "mouseReleased"):
        browser.call("Input.dispatchMouseEvent", session=True, type=kind, x=point["x"],
                     y=point["y"], button="left", clickCount=1)


def press(browser, key: str, shift: bool = False) -> None:
    code = KEYS[key]
    name = " " if key == "Space" else key
    params = {"key": name, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code,
              "modifiers": 8 if shift else 0}
    if key in ("Enter", "Space"):
        params["text"] = "\r" if key == "Enter" else " "
    browser.call("Input.dispatchKeyEvent", session=True, type="keyDown", **params)
    browser.call("Input.dispatchKeyEvent", session=True, type="keyUp", **params)


def screenshot(browser, path: Path, full: bool = False) -> Path:
    shot = browser.call("Page.captureScreenshot", session=True, format="png",
                        captureBeyondViewport=full)
    path.write_bytes(base64.b64decode(shot["data"]))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        (Path(SHOTS) / path.name).write_bytes(path.read_bytes())
    return path


def wait_url(browser, ending: str, timeout: float = 20.0) -> None:
    browser.wait_for(f"location.pathname.endsWith({json.dumps(ending)})"
                     " && document.readyState === 'complete'", timeout)


def axe_serious(browser) -> list[dict]:
    """axe-core's serious and critical violations on the page shown: [{id, help, nodes}]."""
    browser.evaluate(AXE.read_text("utf-8"))
    browser.evaluate("window.__axe = null; axe.run(document, {resultTypes: ['violations']})"
                     ".then(r => { window.__axe = r.violations; })")
    browser.wait_for("window.__axe !== null", 60)
    return browser.evaluate(
        "window.__axe.filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")


def allow_downloads(browser, folder: Path) -> None:
    """Save downloads in ``folder`` and report each one's progress as DevTools events."""
    browser.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(folder),
                 eventsEnabled=True)


def wait_download(browser, timeout: float = 20.0) -> Path:
    """The file of the next download Chromium reports completed: the file is whole once that
    event arrives (a file merely present in the folder may still be empty)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for event in browser.events:
            if event.get("method") != "Browser.downloadProgress":
                continue
            if event["params"]["state"] == "canceled":
                raise RuntimeError(f"the download was canceled: {event['params']}")
            if event["params"]["state"] == "completed":
                browser.events.remove(event)  # taken: the next wait looks for another download
                return Path(event["params"]["filePath"])
        browser.call("Browser.getVersion")  # a round trip: the events waiting come in with it
        time.sleep(0.05)
    raise TimeoutError(f"no download completed within {timeout}s")
