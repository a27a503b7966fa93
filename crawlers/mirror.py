"""A loopback mirror of the tracked sites, for the demo, the tests and offline work.

The mirror serves a folder tree laid out as ``<host>/<path>``: the page
``https://www.gesetze-im-internet.de/patg/BJNR201170936.html`` is the file
``www.gesetze-im-internet.de/patg/BJNR201170936.html``. A path ending in ``/`` serves its
``index.html``; a query string becomes part of the file name (see ``mirror_path``). A file
``<name>.headers.json`` beside a file may set ``status`` and extra ``headers``. Like a web
server, the mirror sends ``ETag`` and ``Last-Modified`` and answers a matching conditional
request with 304.

Several folders may be stacked as layers (the first that has the file wins), so a later state
of the sites is a small folder laid over the first one: ``server.set_layers([v2, v1])``.

Inside Scrapy, every request keeps its real URL; ``MirrorDownloadHandler`` fetches it from the
mirror when the ``IPWATCH_MIRROR`` setting names one, and hands back a response with the real
URL. robots.txt, offsite checks, the per-host delay and the stats all see the real host.
"""
from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from scrapy.core.downloader.contextfactory import _ScrapyClientContextFactory
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from twisted.web.iweb import IPolicyForHTTPS
from zope.interface import implementer

from crawlers.registry import origin_of


def mirror_path(url: str) -> str:
    """The mirror-relative file path of a real URL: ``host/path[index.html][%3Fquery]``."""
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    if path.endswith("/"):
        path += "index.html"
    rel = f"{parts.hostname}{path}"
    if parts.query:
        rel += "%3F" + quote(parts.query, safe="=&")
    return rel


def mirror_url(base: str, url: str) -> str:
    """The URL at which the mirror ``base`` serves the real ``url``."""
    # "%" is quoted too, so that the server's one unquote gives back mirror_path exactly
    return base.rstrip("/") + "/" + quote(mirror_path(url), safe="/=&")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # the stdlib default (5) drops connections under load


class MirrorServer:
    """A threaded HTTP server over stacked folders, on 127.0.0.1 and a free port."""

    def __init__(self, layers: list[Path], host: str = "127.0.0.1", port: int = 0):
        self._layers = [Path(p) for p in layers]
        self._lock = threading.Lock()
        self.requests: list[str] = []  # request paths, in order (for tests)
        self.user_agents: list[str] = []
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (stdlib name)
                mirror._serve(self, body=True)

            def do_HEAD(self) -> None:  # noqa: N802
                mirror._serve(self, body=False)

            def log_message(self, *args) -> None:
                pass

        self._httpd = _Server((host, port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def set_layers(self, layers: list[Path]) -> None:
        with self._lock:
            self._layers = [Path(p) for p in layers]

    def find(self, rel: str) -> Path | None:
        with self._lock:
            layers = list(self._layers)
        for layer in layers:
            root = layer.resolve()
            candidate = (root / rel).resolve()
            if root not in candidate.parents:
                return None  # a path that climbs out of the mirror
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.is_file():
                return candidate
        return None

    def _serve(self, handler: BaseHTTPRequestHandler, body: bool) -> None:
        with self._lock:
            self.requests.append(handler.path)
            self.user_agents.append(handler.headers.get("User-Agent", ""))
        rel = unquote(handler.path.lstrip("/").split("?", 1)[0])
        file = self.find(rel) if rel else None
        status, headers, payload = 404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found"
        if file is not None:
            status, payload = 200, file.read_bytes()
            ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/xml", "application/json"):
                ctype += "; charset=utf-8"
            headers = {"Content-Type": ctype}
            headers.update(_validators(file, payload))
            meta = file.with_name(file.name + ".headers.json")
            if meta.is_file():
                extra = json.loads(meta.read_text("utf-8"))
                status = int(extra.get("status", status))
                headers.update(extra.get("headers", {}))
        if status == 200 and _not_modified(handler.headers, headers):
            status, payload = 304, b""
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if body:
            handler.wfile.write(payload)

    def start(self) -> "MirrorServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "MirrorServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _validators(file: Path, payload: bytes) -> dict[str, str]:
    """ETag (of the content) and Last-Modified (of the file), as a web server sends them."""
    return {
        "ETag": '"' + hashlib.sha1(payload).hexdigest()[:16] + '"',
        "Last-Modified": formatdate(file.stat().st_mtime, usegmt=True),
    }


def _not_modified(request_headers, headers: dict[str, str]) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present; else If-Modified-Since."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        return headers.get("ETag") in [t.strip() for t in if_none_match.split(",")]
    since = request_headers.get("If-Modified-Since")
    if since is None or "Last-Modified" not in headers:
        return False
    try:
        return parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


@implementer(IPolicyForHTTPS)
class SourceTlsPolicy:
    """Certificates verified (``DOWNLOAD_VERIFY_CERTIFICATES``: the system's CA store, or
    the bundle named by ``SSL_CERT_FILE``), except for the origins of the sources whose
    registry entry says ``tls_verify: false`` with a reason (``IPWATCH_TLS_INSECURE``)."""

    def __init__(self, crawler, verifying):
        self.verifying = verifying
        self.lenient = _ScrapyClientContextFactory(verify_certificates=False)
        self.insecure = {origin_of(url)[1:] for url in
                         crawler.settings.getlist("IPWATCH_TLS_INSECURE")}

    def creatorForNetloc(self, hostname: bytes, port: int):  # noqa: N802 (Twisted's name)
        if (hostname.decode("ascii").lower(), port) in self.insecure:
            return self.lenient.creatorForNetloc(hostname, port)
        return self.verifying.creatorForNetloc(hostname, port)


class MirrorDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, redirected to the mirror named by ``IPWATCH_MIRROR``, with
    the per-source TLS policy (``SourceTlsPolicy``)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._contextFactory = SourceTlsPolicy(crawler, self._contextFactory)
        self._mirror = crawler.settings.get("IPWATCH_MIRROR", "")
        if self._mirror:
            # one mirror stands in for many hosts: keep as many connections to it as requests
            # may run at once (the per-domain figure would reconnect for nearly every request)
            self._pool.maxPersistentPerHost = crawler.settings.getint("CONCURRENT_REQUESTS")

    async def download_request(self, request):
        if not self._mirror:
            return await super().download_request(request)
        mirrored = request.replace(url=mirror_url(self._mirror, request.url))
        response = await super().download_request(mirrored)
        return response.replace(url=request.url, request=request)
