"""The online receiver (`ipwatch intake serve`) run as a real process on loopback, and a
plain HTTP client for it (http.client: the tests must be able to send what no browser would)."""
from __future__ import annotations

import http.client
import io
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from intake_helpers import ROOT, sample_application
from kb.cases import form

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def export_json(data: dict | None = None) -> bytes:
    payload = {"format": form.FORMAT_ID, "version": form.FORMAT_VERSION,
               "application": data or sample_application()}
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def multipart(parts: list[tuple[str, str | None, bytes]]) -> tuple[bytes, str]:
    """(body, content type) of form parts (name, file name or None, bytes)."""
    boundary = "ipw" + secrets.token_hex(12)
    out = io.BytesIO()
    for name, filename, data in parts:
        out.write(f"--{boundary}\r\n".encode())
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out.write(f"Content-Disposition: {disposition}\r\n".encode("utf-8"))
        out.write(b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Receiver:
    """``ipwatch intake serve`` in a subprocess with its own data folder and settings."""

    def __init__(self, folder: Path, **receiver_settings):
        self.data = folder / "data"
        self.config = folder / "ipwatch.toml"
        lines = ["[receiver]"] + [f"{k} = {json.dumps(v)}" for k, v in receiver_settings.items()]
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.env = {**os.environ, "IPWATCH_DATA": str(self.data), "IPWATCH_CONFIG": str(self.config),
                    "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}"}
        self.port = free_port()
        self.log = open(folder / "receiver.log", "wb")

    def __enter__(self) -> "Receiver":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ipwatch", "intake", "serve", "--port", str(self.port)],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise TimeoutError("the receiver did not start")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        """(status, headers, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def submit(self, parts: list[tuple[str, str | None, bytes]], headers: dict | None = None):
        body, kind = multipart(parts)
        status, head, raw = self.request("POST", "/submit", body,
                                         {"Content-Type": kind, **(headers or {})})
        return status, head, json.loads(raw) if raw.startswith(b"{") else raw

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ipwatch", *args], env=self.env,
                              capture_output=True, text=True, timeout=120)

    def inbox_files(self) -> list[Path]:
        root = self.data / "inbox"
        return sorted(p for p in root.rglob("*")) if root.exists() else []
