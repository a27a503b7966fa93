"""A hostile loopback web server for the crawler tests: every request is logged.

Routes map a path to a function ``(handler, server) -> None`` that writes the whole answer;
helpers below build the usual ones. Bound to 127.0.0.1 on an ephemeral port.
"""
from __future__ import annotations

import datetime as dt
import gzip
import ipaddress
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable


@dataclass
class Hit:
    at: float  # time.time() when the request line arrived
    method: str
    path: str
    host: str
    headers: dict = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024


Route = Callable[[BaseHTTPRequestHandler, "HostileServer"], None]


class HostileServer:
    """``tls=(certfile, keyfile)`` serves HTTPS (see ``make_certificates``)."""

    def __init__(self, routes: dict[str, Route] | None = None,
                 tls: tuple[Path, Path] | None = None):
        self.routes: dict[str, Route] = dict(routes or {})
        self.log: list[Hit] = []
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                server._dispatch(self)

            def log_message(self, *args):
                pass

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self.scheme = "https" if tls else "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        hit = Hit(time.time(), handler.command, handler.path,
                  handler.headers.get("Host", ""), dict(handler.headers.items()))
        with self._lock:
            self.log.append(hit)
            self.counts[handler.path] = self.counts.get(handler.path, 0) + 1
        route = self.routes.get(handler.path) or self.routes.get("*")
        if route is None:
            send(handler, 404, b"<html><body>no such page</body></html>")
            return
        route(handler, self)

    def hits(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if h.path == path]

    def paths(self) -> list[str]:
        with self._lock:
            return [h.path for h in self.log]

    def __enter__(self) -> "HostileServer":
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def send(handler, status: int, body: bytes, headers: dict | None = None) -> None:
    handler.send_response(status)
    all_headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    for key, value in all_headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def page(body: bytes | str, status: int = 200, headers: dict | None = None, delay: float = 0) -> Route:
    data = body.encode("utf-8") if isinstance(body, str) else body

    def route(handler, server):
        if delay:
            time.sleep(delay)
        send(handler, status, data, headers)

    return route


def sequence(*routes: Route) -> Route:
    """The n-th request to the path gets the n-th route (the last one repeats)."""
    calls = {"n": 0}
    lock = threading.Lock()

    def route(handler, server):
        with lock:
            index = min(calls["n"], len(routes) - 1)
            calls["n"] += 1
        routes[index](handler, server)

    return route


def redirect(location: str, status: int = 302) -> Route:
    def route(handler, server):
        target = location.replace("{port}", str(server.port))
        send(handler, status, b"", {"Location": target})

    return route


def gzip_bomb(megabytes: int) -> Route:
    payload = gzip.compress(b"<html><body>" + b"0" * (megabytes * 1024 * 1024), 9)

    def route(handler, server):
        send(handler, 200, payload, {"Content-Encoding": "gzip"})

    return route


def slow_drip(seconds_per_byte: float, total: int) -> Route:
    def route(handler, server):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        try:
            for _ in range(total):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(seconds_per_byte)
        except (BrokenPipeError, ConnectionResetError):
            pass

    return route


def law_html(title: str, articles: list[str], charset: str | None = "utf-8", meta: bool = False) -> str:
    head = f'<meta charset="{charset}">' if meta and charset else ""
    body = "".join(f"<h3>{a.split(' ', 1)[0]}</h3><p>{a}</p>" for a in articles)
    return (f"<html><head>{head}<title>{title}</title></head><body>"
            f"<div id='law'><h1>{title}</h1>{body}</div></body></html>")


def make_certificates(folder: Path) -> dict[str, tuple[Path, Path]]:
    """A test CA (``ca.pem``) and three server certificates for 127.0.0.1: ``good`` (signed
    by the CA), ``other_name`` (self-signed, for another host name) and ``expired`` (signed
    by the CA, expired yesterday). Returns name → (certfile, keyfile)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)
    day = dt.timedelta(days=1)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def cert(subject, key, issuer, issuer_key, start, end, ca=False, san=None):
        builder = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(end)
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    def save(label, certificate, key):
        crt, pem = folder / f"{label}.crt", folder / f"{label}.key"
        crt.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
        return crt, pem

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = cert("ipwatch test CA", ca_key, "ipwatch test CA", ca_key, now - day, now + 30 * day,
              ca=True)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    loopback = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    out = {}
    key = ec.generate_private_key(ec.SECP256R1())
    out["good"] = save("good", cert("127.0.0.1", key, "ipwatch test CA", ca_key, now - day,
                                    now + 30 * day, san=loopback), key)
    key = ec.generate_private_key(ec.SECP256R1())
    out["other_name"] = save("other", cert("www.example.org", key, "www.example.org", key,
                                           now - day, now + 30 * day,
                                           san=[x509.DNSName("www.example.org")]), key)
    key = ec.generate_private_key(ec.SECP256R1())
    out["expired"] = save("expired", cert("127.0.0.1", key, "ipwatch test CA", ca_key,
                                          now - 30 * day, now - day, san=loopback), key)
    return out
