"""Headless Chromium over the DevTools protocol (``--remote-debugging-pipe``: JSON messages
separated by NUL on file descriptors 3 and 4, no websocket library needed) and a loopback
HTTP server for a built site. Used by the site-search test and benchmarks/site_search_bench.py.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe",
]


# DevTools errors that only mean "the page is between two documents"
NAVIGATING = ("Inspected target navigated or closed", "Execution context was destroyed",
              "Cannot find context with specified id")


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, *args):
        pass


class SiteServer:
    """Serve ``folder`` on 127.0.0.1 at an ephemeral port, in a thread; with ``prefix``
    ("a/b"), under that sub-path (http://127.0.0.1:PORT/a/b/), as a site published in a folder."""

    def __init__(self, folder: Path, prefix: str = ""):
        self._top = tempfile.mkdtemp(prefix="ipw-serve-") if prefix else None
        if self._top:
            link = Path(self._top, prefix)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(Path(folder).resolve(), target_is_directory=True)
        handler = functools.partial(_QuietHandler, directory=self._top or str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/" + (prefix.strip("/") + "/" if prefix else "")
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._top:
            shutil.rmtree(self._top, ignore_errors=True)


class Browser:
    """One headless Chromium with one page; ``evaluate`` runs JavaScript in it."""

    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="ipw-chromium-")
        self._log = open(os.path.join(self.profile, "chromium.log"), "wb")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds() -> None:  # the child reads commands on fd 3 and writes answers on fd 4
            read, write = os.dup(to_chrome_r), os.dup(from_chrome_w)  # out of the way of 3, 4
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4),  # kept open after preexec_fn has set them
            stdout=subprocess.DEVNULL, stderr=self._log,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)
        self.call("Log.enable", session=True)  # CSP violations and failed loads arrive here

    def call(self, method: str, session: bool = False, **params) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def goto(self, url: str, timeout: float = 20.0) -> None:
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("document.readyState === 'complete'", timeout)

    def evaluate(self, expression: str, await_promise: bool = False):
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression,
            returnByValue=True, awaitPromise=await_promise,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError as error:
                # the page is navigating: its old context is gone, the new one not yet there
                if not any(word in str(error) for word in NAVIGATING):
                    raise
                value = None
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(f"waited {timeout}s for: {expression}")

    def type_into(self, selector: str, text: str) -> None:
        """Focus the field, clear it, and type ``text`` as keyboard input (IME-style commit)."""
        self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                      f" e.focus(); e.value = ''; }})()")
        self.call("Input.insertText", session=True, text=text)
        # Material listens for keyup; an IME commit ends with one too
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", session=True, type=kind, key="Process", code="")

    def console_errors(self) -> list[str]:
        return [
            json.dumps(e["params"])[:300]
            for e in self.events
            if e.get("method") == "Runtime.exceptionThrown"
            or (e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error")
            or (e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error")
        ]

    def site_search(self, query: str, timeout: float = 15.0) -> list[dict]:
        """Type ``query`` into the site's search box; the results as {href, title, excerpt}.
        ``last_message`` is the line above them, ``last_latency_ms`` the time from the last
        keystroke to the frame showing them (debounce included)."""
        self.wait_for("(() => { const box = document.getElementById('ipw-search');"
                      " return !!box && box.dataset.ready === '1'; })()", timeout)
        self.evaluate("delete document.getElementById('ipw-search').dataset.searched")
        self.type_into(".ipw-search__input", query)
        self.wait_for(f"document.getElementById('ipw-search').dataset.searched === {json.dumps(query)}", timeout)
        state = self.evaluate(
            "(() => { const box = document.getElementById('ipw-search');"
            " return { message: box.querySelector('.ipw-search__message').textContent,"
            " latency: Number(box.dataset.shownAt) - Number(box.dataset.typedAt),"
            " results: [...box.querySelectorAll('.ipw-search__result')].map(r => ({"
            " href: r.querySelector('a').href, title: r.querySelector('a').textContent,"
            " excerpt: r.querySelector('.ipw-search__excerpt').innerHTML })) }; })()"
        )
        self.last_message, self.last_latency_ms = state["message"], state["latency"]
        return state["results"]

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except RuntimeError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        self._log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
