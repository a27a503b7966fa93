"""Benchmark of the online receiver (`ipwatch intake serve`): submissions per second, each an
exported application and one 1 MB PDF, sent one after another over loopback.

Baseline "bare-waitress": the same waitress server and settings running a WSGI app that only
reads the body and answers 201 — what the transport costs. The ratio is what parsing,
checking (kb.cases.formcheck, content sniffing) and the atomic 0600 inbox write add.

Run: PYTHONPATH=.:site:tests python benchmarks/receiver_bench.py [N]
Not a test: nothing here asserts a time.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "tests")]

from receiver_helpers import PDF, Receiver, export_json, free_port, multipart  # noqa: E402

BARE = """
import sys
from waitress import serve
def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(length)
    start_response("201 Created", [("Content-Type", "application/json")])
    return [b'{"receipt": "x"}']
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=4, max_request_body_size=26214400)
"""


def _send(receiver, body: bytes, kind: str, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        status, _, _ = receiver.request("POST", "/submit", body, {"Content-Type": kind})
        assert status == 201, status
    return time.perf_counter() - start


class Bare(Receiver):
    def __enter__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", BARE, str(self.port)], env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        time.sleep(1.5)
        return self


def main(n: int) -> None:
    pdf = PDF + b"%" + os.urandom(1024 * 1024 - len(PDF) - 1)
    body, kind = multipart([("application", None, export_json()), ("attachments", "a.pdf", pdf)])
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("bare", "ipwatch"):
            (Path(tmp) / name).mkdir()
        limits = dict(submissions_per_hour=10 * n, requests_per_minute=10 * n)
        with Bare(Path(tmp) / "bare") as bare:
            _send(bare, body, kind, 3)  # warm up
            base = _send(bare, body, kind, n)
        with Receiver(Path(tmp) / "ipwatch", **limits) as receiver:
            _send(receiver, body, kind, 3)
            ours = _send(receiver, body, kind, n)
    print(f"{n} submissions of {len(body) / 1e6:.2f} MB each, sequential, loopback")
    print(f"baseline bare-waitress: {base:6.2f} s  {n / base:7.1f} /s")
    print(f"ipwatch receiver:       {ours:6.2f} s  {n / ours:7.1f} /s  ratio {ours / base:.2f}x")


if __name__ == "__main__":
    free_port()  # fail early if loopback is unusable
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
