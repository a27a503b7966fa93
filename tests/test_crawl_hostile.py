"""The hostile-server suite: real Scrapy crawls (in a subprocess) against a loopback server
that misbehaves; every assertion is on the server's own request log or the store.
"""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from email.utils import formatdate
from xml.etree import ElementTree as ET

import pytest

from crawl_harness import (
    changes, crawl, crawl_result, fetch_log, snapshot_texts, source, store_conn,
)
from crawlers.settings import DOWNLOADER_MIDDLEWARES
from hostile_server import (
    HostileServer, gzip_bomb, law_html, page, redirect, send, sequence, slow_drip,
)

LAW = law_html("Patentgesetz", [f"§ {i} Der Inhaber des Patents hat das Recht {i}." * 3
                                for i in range(1, 30)])
ALLOW_ALL = page("User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})


@pytest.mark.parametrize("middleware, leaks", [
    ("crawlers.middlewares.Rfc9309RobotsMiddleware", False),
    ("scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware", True),  # the bug we fix
])
def test_robots_txt_binds_every_waiting_request(tmp_path, middleware, leaks):
    routes = {
        "/robots.txt": page("User-agent: *\nDisallow: /private/\n", delay=0.5,
                            headers={"Content-Type": "text/plain"}),
        "*": page(LAW),
    }
    mws = {k: v for k, v in DOWNLOADER_MIDDLEWARES.items() if "Robots" not in k}
    mws.update({middleware: 100, "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware":
                None if "crawlers" in middleware else 100})
    with HostileServer(routes) as server:
        sources = [source(f"de-p{i}", f"{server.url}/private/{i}") for i in range(4)]
        sources.append(source("de-pub", f"{server.url}/public/1"))
        crawl(tmp_path, sources, DOWNLOADER_MIDDLEWARES=mws)
    private = [p for p in server.paths() if p.startswith("/private/")]
    assert server.paths().count("/robots.txt") == 1
    assert "/public/1" in server.paths()
    assert bool(private) is leaks, private
    if not leaks:
        assert all(fetch_log()[f"private/{i}"] == ("problem", "robots_disallowed")
                   for i in range(4))


@pytest.mark.parametrize("status, allowed", [(503, False), (500, False), (404, True), (403, True)])
def test_robots_txt_status_rules(tmp_path, status, allowed):
    routes = {"/robots.txt": page("oops", status=status), "/law": page(LAW)}
    with HostileServer(routes) as server:
        stats = crawl(tmp_path, [source("de-law", f"{server.url}/law")], RETRY_TIMES=1)
    assert ("/law" in server.paths()) is allowed
    assert changes() == 0
    if not allowed:
        assert fetch_log()["law"] == ("problem", "robots_disallowed")
        assert stats["ipwatch/robotstxt/disallow_all_5xx"] == 1


def test_429_then_retry_after_then_success(tmp_path):
    routes = {
        "/robots.txt": ALLOW_ALL,
        "/law": sequence(page("slow down", status=429, headers={"Retry-After": "1"}), page(LAW)),
    }
    with HostileServer(routes) as server:
        stats = crawl(tmp_path, [source("de-law", f"{server.url}/law")])
    assert server.paths().count("/law") == 2
    assert stats["ipwatch/pacer/retry_after"] == 1
    assert list(snapshot_texts()) == ["law"]


def test_503_storm_ends_within_retry_budget(tmp_path):
    storm = page("busy", status=503, headers={"Retry-After": "1"})
    routes = {"/robots.txt": ALLOW_ALL, "/a": storm,
              "/b": page("busy", status=503, headers={"Retry-After": "86400"}), "/c": page(LAW)}
    with HostileServer(routes) as server:
        stats = crawl(tmp_path, [source("de-a", f"{server.url}/a")], RETRY_TIMES=2)
    assert server.paths().count("/a") == 3  # first try + RETRY_TIMES
    assert stats["ipwatch/pacer/retry_after"] == 3
    assert fetch_log()["a"] == ("problem", "http_503")
    assert snapshot_texts() == {}
    # a host asking for a day is left alone: no retry, and nothing else fetched from it once
    # it asked (the listing's spider runs beside the page's; which asks first is not fixed,
    # but a request never starts before the host's previous one was answered)
    with HostileServer(routes) as server:
        crawl(tmp_path, [source("de-b", f"{server.url}/b"),
                         source("de-c", f"{server.url}/c", kind="listing")], RETRY_TIMES=2)
    assert server.paths().count("/b") == 1
    asked = server.hits("/b")[0].at
    assert all(hit.at < asked for hit in server.hits("/c"))
    if "/c" not in server.paths():
        assert fetch_log()["c"] == ("problem", "backed_off")
    assert changes() == 0


def test_gzip_bomb_is_capped_after_decompression(tmp_path):
    routes = {"/robots.txt": ALLOW_ALL, "/bomb": gzip_bomb(64)}
    with HostileServer(routes) as server:
        crawl(tmp_path, [source("de-bomb", f"{server.url}/bomb")], DOWNLOAD_MAXSIZE=1_000_000)
    assert server.paths().count("/bomb") == 1
    assert fetch_log()["bomb"] == ("problem", "too_large")


def test_slow_drip_times_out(tmp_path):
    routes = {"/robots.txt": ALLOW_ALL, "/drip": slow_drip(0.2, 200)}
    started = time.monotonic()
    with HostileServer(routes) as server:
        crawl(tmp_path, [source("de-drip", f"{server.url}/drip")], DOWNLOAD_TIMEOUT=1,
              RETRY_TIMES=1)
    assert server.paths().count("/drip") == 2
    assert fetch_log()["drip"] == ("problem", "timeout")
    assert time.monotonic() - started < 30  # a budget, not a speed claim: 200 bytes take 40 s


def test_redirects_loop_and_offsite_are_refused(tmp_path):
    routes = {
        "/robots.txt": ALLOW_ALL,
        "/loop/a": redirect("/loop/b"), "/loop/b": redirect("/loop/a"),
        "/away": redirect("http://localhost:{port}/elsewhere"),
        "/ftp": redirect("ftp://127.0.0.1/file"),
        "/elsewhere": page(LAW),
    }
    with HostileServer(routes) as server:
        crawl(tmp_path, [source("de-loop", f"{server.url}/loop/a"),
                         source("de-away", f"{server.url}/away"),
                         source("de-ftp", f"{server.url}/ftp")])
    paths = server.paths()
    assert "/elsewhere" not in paths
    assert paths.count("/loop/a") + paths.count("/loop/b") <= 6  # REDIRECT_MAX_TIMES + 1
    log = fetch_log()
    assert log["loop/a"] == ("problem", "redirect_loop")
    assert log["away"] == ("problem", "offsite_refused")
    assert log["ftp"][0] == "problem"


def _calendar(handler, server):
    n = int(handler.path.rsplit("/", 1)[1])
    days = "".join(f"<li><a href='/day/{n}-{d}'>Day {d}</a></li>" for d in range(1, 31))
    send(handler, 200, (f"<html><body><ul>{days}</ul>"
                        f"<a class='next' href='/cal/{n + 1}'>next</a></body></html>").encode())


def test_infinite_calendar_stops_at_depth_and_page_budget(tmp_path):
    routes = {"/robots.txt": ALLOW_ALL, "*": page(LAW)}
    for n in range(0, 200):
        routes[f"/cal/{n}"] = _calendar
    options = {"item_css": "li a", "next_css": "a.next", "max_pages": 1000, "max_items": 3}
    with HostileServer(routes) as server:
        crawl(tmp_path, [source("de-cal", f"{server.url}/cal/0", kind="listing", options=options)],
              DEPTH_LIMIT=4)
    listings = [p for p in server.paths() if p.startswith("/cal/")]
    assert len(listings) == 5  # depths 0..4: each next page is one level deeper
    notices = [p for p in server.paths() if p.startswith("/day/")]
    assert len(notices) == 3 * 4  # max_items per listing; those of depth 5 are cut
    with HostileServer(routes) as server:
        crawl(tmp_path, [source("de-cal", f"{server.url}/cal/0", kind="listing", options=options)],
              DEPTH_LIMIT=0, CLOSESPIDER_PAGECOUNT=12)
    assert len(server.paths()) <= 12 + 1 + 16  # budget + robots.txt + requests in flight
    assert changes() == 0


ZH = "第一条 为了保护专利权人的合法权益，鼓励发明创造，推动发明创造的应用，制定本法。" * 8
JA = "第百九十六条の二 特許権又は専用実施権を侵害した者は、十年以下の懲役に処する。" * 8


def _cjk(text: str, enc: str, charset: str | None, meta: bool = False) -> bytes:
    return law_html("法", [text], charset=charset, meta=meta).encode(enc)


def test_encodings_decode_right_and_mojibake_is_a_problem(tmp_path):
    plain = {"Content-Type": "text/html"}
    routes = {
        "/robots.txt": ALLOW_ALL,
        "/gbk": page(_cjk(ZH, "gbk", None), headers=plain),
        "/gb2312": page(_cjk(ZH, "gb2312", None), headers={"Content-Type": "text/html; charset=GB2312"}),
        "/sjis": page(_cjk(JA, "shift_jis", "Shift_JIS", meta=True), headers=plain),
        "/sjis-bare": page(_cjk(JA, "shift_jis", None), headers=plain),
        "/utf8-bare": page(_cjk(ZH, "utf-8", None), headers=plain),
        "/lying": page(_cjk(ZH, "utf-8", None), headers={"Content-Type": "text/html; charset=iso-8859-1"}),
        # the server itself serves mojibake (UTF-8 read as Latin-1, then sent as UTF-8)
        "/double": page(_cjk(ZH, "utf-8", None).decode("latin-1").encode("utf-8")),
        "/double-de": page(LAW.replace("Der Inhaber", "Für den Inhaber").encode("utf-8")
                           .decode("latin-1").encode("utf-8")),
    }
    with HostileServer(routes) as server:
        zh = [source(f"cn-{p}", f"{server.url}/{p}", language="zh")
              for p in ("gbk", "gb2312", "utf8-bare", "lying", "double")]
        ja = [source(f"jp-{p}", f"{server.url}/{p}", language="ja") for p in ("sjis", "sjis-bare")]
        crawl(tmp_path, zh + ja + [source("de-double", f"{server.url}/double-de",
                                                  language="de")])
    texts = snapshot_texts()
    for name in ("gbk", "gb2312", "utf8-bare", "lying"):  # lying: declared Latin-1, is UTF-8
        assert ZH[:30] in texts[name], name
    for name in ("sjis", "sjis-bare"):
        assert JA[:30] in texts[name], name
    assert "double" not in texts and "double-de" not in texts
    assert fetch_log()["double"] == ("problem", "mojibake")
    assert fetch_log()["double-de"] == ("problem", "mojibake")


def test_soft_404_maintenance_and_truncation_are_problems(tmp_path):
    def truncated(handler, server):
        body = LAW.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body) + 500))
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True

    routes = {
        "/robots.txt": ALLOW_ALL,
        "/": page("<html><body><h1>Startseite</h1>" + "Willkommen. " * 300 + "</body></html>"),
        "/gone": page("<html><body><h1>Page not found</h1><p>Sorry.</p></body></html>"),
        "/moved": redirect("/"),
        "/busy": page("<html><body>Wegen Wartungsarbeiten ist die Seite nicht erreichbar."
                      "</body></html>"),
        "/cut": truncated,
        "/cut-html": page(LAW[: len(LAW) // 2]),
        "/empty": page("<html><body><div id='law'></div><p>menu</p></body></html>"),
    }
    with HostileServer(routes) as server:
        names = ("gone", "moved", "busy", "cut", "cut-html", "empty")
        crawl(tmp_path, [source(f"de-{n}", f"{server.url}/{n}", extract={"css": "div#law"}
                                if n == "empty" else {}) for n in names], RETRY_TIMES=0)
    log = fetch_log()
    assert log["gone"] == ("problem", "soft_404")
    assert log["moved"] == ("problem", "soft_404")
    assert log["busy"] == ("problem", "maintenance_or_captcha")
    assert log["cut"] == ("problem", "truncated")
    assert log["cut-html"] == ("problem", "truncated")
    assert log["empty"] == ("problem", "empty_extraction")
    assert changes() == 0


def test_delays_honoured_per_host(tmp_path):
    """The one timing test: lower bounds only, read from the server's request log."""
    retry_at_seconds = int(time.time()) + 3  # an HTTP-date has whole seconds
    retry_at = formatdate(retry_at_seconds, usegmt=True)
    routes = {
        "/robots.txt": page("User-agent: *\nCrawl-delay: 1\n", headers={"Content-Type": "text/plain"}),
        "/date": sequence(page("wait", status=503, headers={"Retry-After": retry_at}), page(LAW)),
        "*": page(LAW),
    }
    with HostileServer(routes) as server:
        crawl(tmp_path, [source(f"de-{i}", f"{server.url}/p{i}") for i in range(3)]
              + [source("de-date", f"{server.url}/date")], DOWNLOAD_DELAY=0.3)
    pages = [h.at for h in server.log if h.path != "/robots.txt"]
    gaps = [b - a for a, b in zip(pages, pages[1:])]
    assert len(pages) == 5 and min(gaps) >= 0.8, gaps  # Crawl-delay 1 s over DOWNLOAD_DELAY
    dates = [h.at for h in server.hits("/date")]
    assert dates[1] >= retry_at_seconds - 0.05  # Retry-After as an HTTP-date: not before it


def test_conditional_request_from_last_snapshot_costs_a_304(tmp_path):
    from kb.core.settings import load_settings
    from kb.laws.snapshots import add_snapshot
    from kb.core.store import Store
    from kb.core.textnorm import normalise

    def conditional(handler, server):
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            send(handler, 200, LAW.encode(), {"ETag": '"v1"'})

    routes = {"/robots.txt": ALLOW_ALL, "/law": conditional}
    with HostileServer(routes) as server:
        url = f"{server.url}/law"
        with Store(load_settings().store_path) as store, store.write() as conn:
            conn.execute("INSERT INTO sources(id, jurisdiction, kind, url, title, updated_at)"
                         " VALUES ('de-law', 'DE', 'law_page', ?, 't', 'now')", (url,))
            add_snapshot(conn, source_id="de-law", url=url, text=normalise("old"),
                         http_status=200, headers={"etag": '"v1"'})
        stats = crawl(tmp_path, [source("de-law", url)])
    assert server.hits("/law")[0].headers.get("If-None-Match") == '"v1"'
    assert fetch_log()["law"] == ("not_modified", "")
    assert stats["ipwatch/not_modified"] == 1 and stats.get("ipwatch/stored", 0) == 0


def test_flapping_page_raises_nothing_after_its_first_real_change(tmp_path):
    """A page served in two versions in turn, one version per crawl (a CDN with one stale
    node): the first switch is a change (confirmed by a second fetch); returning to any known
    state afterwards is not."""
    law_b = LAW.replace("§ 7 Der Inhaber", "§ 7 Die Inhaberin")
    served = {"text": LAW}
    routes = {"/robots.txt": ALLOW_ALL,
              "/law": lambda handler, server: send(handler, 200, served["text"].encode())}
    with HostileServer(routes) as server:
        for text in (LAW, law_b, LAW, law_b):
            served["text"] = text
            crawl(tmp_path, [source("de-flap", f"{server.url}/law")])
    assert server.paths().count("/law") == 5  # the change was fetched twice (confirmation)
    assert changes() == 1
    from crawl_harness import store_conn

    outcomes = [r[0] for r in store_conn().execute(
        "SELECT outcome FROM fetch_log WHERE url LIKE '%/law' ORDER BY id")]
    assert outcomes == ["stored", "stored", "unchanged", "unchanged"]


# --- issue 9: the crawler that cannot be fooled ---------------------------------------------

LAW_B = LAW.replace("§ 4 Der Inhaber", "§ 4 Die Inhaberin")


def test_tls_certificates_are_verified(tmp_path, monkeypatch):
    """Failure 1: a self-signed certificate for another name and an expired one were accepted
    and the planted text recorded as a change."""
    from hostile_server import make_certificates

    certs = make_certificates(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))  # the test CA is trusted
    plant = {"/robots.txt": ALLOW_ALL, "/law": page(LAW_B)}
    with HostileServer({"/robots.txt": ALLOW_ALL, "/law": page(LAW)}, tls=certs["good"]) as good:
        url = f"{good.url}/law"
        crawl(tmp_path, [source("de-law", url)])
    assert "law" in snapshot_texts()
    for bad in ("other_name", "expired"):
        with HostileServer(plant, tls=certs[bad]) as server:
            sources = [source("de-law", url.replace(str(good.port), str(server.port)))]
            crawl(tmp_path, sources, RETRY_TIMES=0)
        outcome, detail = fetch_log()["law"]
        assert outcome == "problem" and detail.startswith("tls_"), (bad, detail)
        assert "/law" not in server.paths()  # nothing was asked over the untrusted connection
    assert changes() == 0
    assert "Inhaberin" not in snapshot_texts()["law"]
    # an opt-out is possible only with a written reason, and then the page is fetched
    with HostileServer(plant, tls=certs["other_name"]) as server:
        crawl(tmp_path, [source("de-other", f"{server.url}/law", tls_verify=False,
                                tls_reason="测试：该站证书由本局内网签发")])
    assert fetch_log()["law"] == ("stored", "")


NOTICE = ("<html><head><title>Bekanntmachung</title></head><body><div id='law'>"
          "<h1>Bekanntmachung über die Gebühren des Patentamts</h1>"
          + "<p>Die Gebühren für Anmeldungen werden zum 1. Juli angepasst; die Tabelle nennt "
            "jede Gebühr, ihre Fälligkeit und die Zahlungswege der Anmelder. </p>" * 12
          + "</div></body></html>")
FILLER = "<p>Startseite Service Presse Kontakt Impressum Datenschutz Barrierefreiheit</p>" * 25


def _error_page(title: str, sentence: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><div id='law'><h1>{title}</h1>"
            f"<p>{sentence}</p>{FILLER}</div></body></html>")


def test_long_error_pages_of_any_kind_are_problems_not_changes(tmp_path):
    """Failure 2a: a notice replaced by a long "page not found", "no longer available",
    maintenance or foreign-language 404 page became a substantive change."""
    errors = {
        "en404": _error_page("Error", "The page you requested was not found on this server."),
        "gone": _error_page("Information", "This document is no longer available."),
        "busy": _error_page("Hinweis", "Wegen Wartungsarbeiten ist dieser Dienst gesperrt."),
        "ja404": _error_page("エラー", "お探しのページは移動または削除されました。"),
        "moved": _error_page("Willkommen", "Aktuelle Meldungen aus dem Amt."),
    }
    routes = {"/robots.txt": ALLOW_ALL}
    routes.update({f"/{name}": sequence(page(NOTICE), page(body))
                   for name, body in errors.items()})
    with HostileServer(routes) as server:
        sources = [source(f"de-{n}", f"{server.url}/{n}") for n in errors]
        crawl(tmp_path, sources)
        assert all(fetch_log()[n] == ("stored", "") for n in errors)
        crawl(tmp_path, sources)
    log = fetch_log()
    assert log["en404"] == log["gone"] == log["ja404"] == ("problem", "soft_404")
    assert log["busy"] == ("problem", "maintenance_or_captcha")
    assert log["moved"] == ("problem", "page_lost")  # lost its own title and its text
    assert changes() == 0
    assert all("Gebühren" in text for text in snapshot_texts().values())


def _rotating_sessions(handler, server):
    token = f"{time.time_ns():x}"
    items = "".join(f"<li><a href='/n/{i};jsessionid={token}?id={i}&sid={token}"
                    f"&utm_source=x'>Notice {i}</a></li>" for i in range(3))
    send(handler, 200, f"<html><body><ul>{items}</ul></body></html>".encode())


def test_session_ids_in_listing_links_are_not_changes(tmp_path):
    """Failure 2b: a session id in listing links made the listing change on every crawl."""
    routes = {"/robots.txt": ALLOW_ALL, "/list": _rotating_sessions, "*": page(NOTICE)}
    with HostileServer(routes) as server:
        listing = [source("de-list", f"{server.url}/list", kind="listing",
                          options={"item_css": "li a"})]
        for _ in range(3):
            crawl(tmp_path, listing)
    assert changes() == 0
    assert fetch_log()["list"] == ("unchanged", "")
    notices = {p for p in server.paths() if p.startswith("/n/")}
    assert notices == {f"/n/{i}?id={i}" for i in range(3)}  # one address per notice
    assert "jsessionid" not in snapshot_texts()["list"]


def _rotating_block(states: int):
    counter = {"n": 0}
    lock = threading.Lock()

    def route(handler, server):
        with lock:
            n = counter["n"] % states
            counter["n"] += 1
        body = LAW.replace("</p><h3>§</h3><p>§ 6 ", f"</p><p>Tipp des Tages: Nummer "
                           f"{'ABCDEFG'[n]} {'★' * (n + 1)}</p><h3>§</h3><p>§ 6 ")
        assert body != LAW
        send(handler, 200, body.encode())

    return route


def test_rotating_block_in_the_law_body_never_alerts(tmp_path):
    """Failure 2c: a block with seven rotating states inside the law body alerted on every
    crawl (five states remembered, nothing confirmed by a second fetch)."""
    routes = {"/robots.txt": ALLOW_ALL, "/law": _rotating_block(7)}
    with HostileServer(routes) as server:
        for _ in range(6):
            crawl(tmp_path, [source("de-rot", f"{server.url}/law")])
    assert changes() == 0
    assert len(snapshot_texts()) == 1
    with store_conn() as conn:
        assert conn.execute("SELECT count(*) FROM volatile_lines").fetchone()[0] >= 2


def test_timestamp_in_the_body_records_nothing(tmp_path):
    """Failure 2d: a timestamp inside the body recorded an editorial change on every crawl."""
    def stamped(handler, server):
        now = time.strftime("%d.%m.%Y %H:%M:%S") + f".{time.time_ns() % 10**9:09d}"
        send(handler, 200, LAW.replace("<h1>Patentgesetz</h1>",
                                       f"<h1>Patentgesetz</h1><p>Stand: {now}</p>").encode())

    routes = {"/robots.txt": ALLOW_ALL, "/law": stamped}
    with HostileServer(routes) as server:
        for _ in range(3):
            crawl(tmp_path, [source("de-stamp", f"{server.url}/law")])
    assert changes() == 0
    assert fetch_log()["law"][0] == "unchanged"


SHORT_REAL = {
    "nf": "<h1>Beschluss des Beschwerdesenats</h1><p>Der Einspruch wurde als nicht zulässig "
          "angesehen; ein Verstoß wurde not found by the board in the appeal 12/2025, "
          "so the patent is maintained as granted by the office. Die Kosten des Verfahrens "
          "trägt die Einsprechende nach der Entscheidung des Senats.</p>",
    "reg": "<h1>Verordnung (EU) Nr. 404/2014</h1><p>Delegierte Verordnung zur Ergänzung der "
           "Vorschriften über die Gemeinschaftsmarke, in Kraft seit dem 1. Juli 2014, "
           "mit den Gebühren und Fristen für die Anmelder. Sie gilt unmittelbar in jedem "
           "Mitgliedstaat und ersetzt die frühere Regelung.</p>",
    "para": "<h1>§ 404. Zuständigkeit</h1><p>Für Klagen wegen Verletzung eines Schutzrechts "
            "ist das Landgericht zuständig, in dessen Bezirk die Handlung begangen wurde; "
            "die Parteien können anderes vereinbaren. Das gilt auch für Klagen auf "
            "Auskunft und Schadensersatz.</p>",
}


def test_short_real_pages_mentioning_404_are_tracked(tmp_path):
    """Failure 3: short pages that merely contain "not found", "404/2014" or "§ 404." were
    always soft-404s, so their real edits were never recorded."""
    routes = {"/robots.txt": ALLOW_ALL}
    for name, body in SHORT_REAL.items():
        edited = body.replace("Landgericht", "Oberlandesgericht").replace(
            "1. Juli", "2. Juli").replace("maintained", "revoked")
        routes[f"/{name}"] = sequence(page(f"<html><body>{body}</body></html>"),
                                      page(f"<html><body>{edited}</body></html>"))
    with HostileServer(routes) as server:
        sources = [source(f"de-{n}", f"{server.url}/{n}") for n in SHORT_REAL]
        crawl(tmp_path, sources)
        assert {fetch_log()[n] for n in SHORT_REAL} == {("stored", "")}
        crawl(tmp_path, sources)
    assert changes() == 3


def test_a_slow_host_never_fails_the_run(tmp_path):
    """Failure 5: a host answering 429 with Retry-After: 110 on each notice pushed the crawl
    past its time limit; it died with a traceback and wrote no record of the run."""
    slow = page("slow down", status=429, headers={"Retry-After": "110"})
    listing = "".join(f"<li><a href='/n/{i}'>Notice {i}</a></li>" for i in range(4))
    with HostileServer({"/robots.txt": ALLOW_ALL, "/list": page(f"<ul>{listing}</ul>"),
                        "*": slow}) as bad, \
            HostileServer({"/robots.txt": ALLOW_ALL, "/law": page(LAW)}) as good:
        started = time.monotonic()
        result = crawl_result(tmp_path, [
            source("de-slow", f"{bad.url}/list", kind="listing", options={"item_css": "li a"}),
            source("de-good", f"{good.url}/law")], timeout=60, IPWATCH_HOST_BUDGET=3)
    assert time.monotonic() - started < 45
    assert result.status == "finished" and result.errors == 0
    notices = [p for p in bad.paths() if p.startswith("/n/")]
    assert len(notices) == 1  # the first 429 asked for more than the host's budget: no more
    log = fetch_log()
    assert log["law"] == ("stored", "")
    assert sorted(log[f"n/{i}"][1] for i in range(4)) == ["host_budget"] * 3 + ["http_429"]
    with store_conn() as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("finished",)]


def test_the_crawl_time_limit_ends_with_a_record(tmp_path):
    """The crawl's own time limit stops it cleanly: a record, the unfinished sources as fetch
    problems (retried next run), no exception."""
    with HostileServer({"/robots.txt": ALLOW_ALL, "/drip": slow_drip(0.5, 400),
                        "/law": page(LAW)}) as server:
        result = crawl_result(tmp_path, [source("de-drip", f"{server.url}/drip")], timeout=6,
                              DOWNLOAD_TIMEOUT=100)
    assert result.status == "time_limit"
    assert fetch_log()["drip"] == ("problem", "not_finished")
    with store_conn() as conn:
        status, finished = conn.execute("SELECT status, finished_at FROM crawl_runs").fetchone()
    assert status == "time_limit" and finished


@pytest.mark.parametrize("robots", ["slow", "huge", "redirect"])
def test_robots_txt_trouble_is_a_visible_fetch_problem(tmp_path, robots):
    """Failure 6 (and 9): a slow, huge or redirecting robots.txt made `ipwatch crawl` exit 2
    with no log kept; its redirect was followed to any host."""
    with HostileServer({"/robots.txt": ALLOW_ALL, "*": page("User-agent: *\nAllow: /\n")}) as other:
        routes = {
            "/robots.txt": {"slow": page("User-agent: *\nAllow: /\n", delay=4),
                            "huge": page("#" * 3_000_000),
                            "redirect": redirect(f"{other.url}/robots.txt")}[robots],
            "/law": page(LAW),
        }
        with HostileServer(routes) as server:
            result = crawl_result(tmp_path, [source("de-law", f"{server.url}/law")],
                                  DOWNLOAD_TIMEOUT=2, DOWNLOAD_MAXSIZE=1_000_000, RETRY_TIMES=0)
    assert result.errors == 0 and result.status == "finished"
    assert other.paths() == []  # the redirect to another port was not followed
    assert "/law" not in server.paths()  # RFC 9309: robots.txt unavailable → disallow
    assert fetch_log()["law"] == ("problem", "robots_unavailable")
    log_text = Path(result.log).read_text("utf-8")
    assert "robots.txt" in log_text and "unavailable" in log_text


def test_host_guard_compares_scheme_host_and_port(tmp_path):
    """Failure 9: the guard compared host names without ports."""
    with HostileServer({"*": page(LAW)}) as other:
        routes = {"/robots.txt": ALLOW_ALL, "/away": redirect(f"{other.url}/law")}
        with HostileServer(routes) as server:
            crawl(tmp_path, [source("de-away", f"{server.url}/away")])
    assert other.paths() == []
    assert fetch_log()["away"] == ("problem", "offsite_refused")


def _ipwatch(*args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ipwatch", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def _crawl_settings(tmp_path: Path) -> Path:
    """A settings file with a test's short delays (the CLI reads no Scrapy overrides)."""
    config = tmp_path / "ipwatch.toml"
    config.write_text("[crawl]\ndownload_delay = 0.05\nconfirm_pause = 0.2\ntimeout = 3\n"
                      "retry_times = 0\n", encoding="utf-8")
    return config


def test_crawl_cli_lists_failures_and_exits_0_for_foreign_problems(tmp_path):
    """Failure 6: foreign failures made `ipwatch crawl` exit 2 with "请查看日志", no log kept and
    no way to list the errors."""
    from crawl_harness import write_registry

    routes = {"/robots.txt": page("", delay=6), "/law": page(LAW)}
    with HostileServer(routes) as server, \
            HostileServer({"/robots.txt": ALLOW_ALL, "/law": page(LAW)}) as good:
        registry = write_registry(tmp_path, [source("de-slow", f"{server.url}/law"),
                                             source("de-good", f"{good.url}/law")])
        proc = _ipwatch("--config", str(_crawl_settings(tmp_path)), "crawl",
                        "--sources", str(registry))
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in out + err
    assert "de-good" in err and "新快照" in err  # per-source progress on the terminal
    assert "抓取已完成" in out and "ipwatch crawl status" in out
    status = _ipwatch("crawl", "status", "--format", "json")
    shown = json.loads(status.communicate(timeout=60)[0])
    by_id = {row["source_id"]: row for row in shown["sources"]}
    assert by_id["de-good"]["outcome"] == "stored"
    assert by_id["de-slow"]["outcome"] == "problem"
    assert "robots.txt" in by_id["de-slow"]["problems"][0]["reason"]
    assert Path(shown["last_run"]["log"]).is_file()
    assert shown["last_run"]["status"] == "finished"


def test_sigterm_stops_the_crawl_and_its_child_and_records_it(tmp_path):
    """Ctrl-C / SIGTERM: the child stops cleanly, the run is recorded as interrupted."""
    from crawl_harness import write_registry

    with HostileServer({"/robots.txt": ALLOW_ALL, "/drip": slow_drip(0.2, 2000)}) as server:
        registry = write_registry(tmp_path, [source("de-drip", f"{server.url}/drip")])
        config = tmp_path / "ipwatch.toml"
        config.write_text("[crawl]\ndownload_delay = 0.05\ntimeout = 600\n", encoding="utf-8")
        proc = _ipwatch("--config", str(config), "crawl", "--sources", str(registry))
        deadline = time.monotonic() + 60
        while "/drip" not in server.paths() and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        requests = len(server.paths())
        time.sleep(1.5)
        assert len(server.paths()) == requests  # nothing fetches any more
    assert proc.returncode == 130, err
    assert "Traceback" not in out + err and "被中断" in out
    with store_conn() as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("interrupted",)]
    assert fetch_log()["drip"][0] == "problem"


def test_temp_folders_left_by_kill_9_are_removed_at_the_next_start(tmp_path):
    """Failure 10: kill -9 left ipwatch-crawl-* and ipwatch-stage-* folders no run removed."""
    from kb.core.settings import load_settings

    data = load_settings().data_dir
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from kb.core.workdirs import work_dir\n"
        "with work_dir(Path(sys.argv[1]), 'stage') as d:\n"
        "    (d / 'page.md').write_text('x'); print(d, flush=True); time.sleep(60)\n"),
        str(data)], stdout=subprocess.PIPE, text=True)
    left = Path(holder.stdout.readline().strip())
    holder.kill()  # SIGKILL: no cleanup runs
    holder.wait()
    assert left.is_dir() and left.parent == data / "tmp"
    with HostileServer({"/robots.txt": ALLOW_ALL, "/law": page(LAW)}) as server:
        crawl(tmp_path, [source("de-law", f"{server.url}/law")])
    assert not left.exists()
    assert list((data / "tmp").iterdir()) == []


def test_crawled_controls_urls_and_editorial_churn_stay_out_of_feeds_site_and_terminal(tmp_path):
    """Failures 7, 8, 10 (URL), 11 and 2d's home page: control characters broke the feeds and
    reached the terminal; a ")" in a URL cut the 官方文本 link; the CSP allowed inline scripts;
    editorial records filled 最新法律动态."""
    from ipwatch import sitebuild
    from ipwatch.csp import page_problem
    from kb.core.settings import load_settings
    from kb.core.store import Store

    dirty = LAW.replace("§ 2 Der Inhaber", "§ 2 Der \x01Inhaber\x1b[2J\x1b]0;pwned\x07")
    routes = {
        "/robots.txt": ALLOW_ALL,
        "/law(1).html": sequence(page(dirty), page(dirty.replace("§ 4 Der Inhaber",
                                                                 "§ 4 Die Inhaberin"))),
        "/edit": sequence(page(LAW), page(LAW.replace("Recht 3.", "Recht 3 ."))),
    }
    with HostileServer(routes) as server:
        sources = [source("de-dirty", f"{server.url}/law(1).html"),
                   source("de-edit", f"{server.url}/edit")]
        for _ in range(2):
            crawl(tmp_path, sources)
    assert all("\x1b" not in t and "\x01" not in t for t in snapshot_texts().values())
    with store_conn() as conn:
        records = dict(conn.execute("SELECT source_id, substantive FROM changes"))
    assert records == {"de-dirty": 1, "de-edit": 0}
    with store_conn() as conn:  # older stores may hold such text: the terminal never gets it
        change_id = conn.execute("SELECT id FROM changes WHERE source_id='de-dirty'").fetchone()[0]
        conn.execute("UPDATE changes SET summary = summary || ?", ("\x1b[2J\u202e",))
    shown = _ipwatch("changes", "show", str(change_id), "--full").communicate(timeout=60)[0]
    assert "\x1b" not in shown and "\u202e" not in shown and "⟨U+001B⟩" in shown
    settings = load_settings()
    with Store(settings.store_path) as store:
        out = sitebuild.build_site(settings, store, tmp_path / "site")
    for feed in (out / "feeds").glob("*.xml"):
        ET.parse(feed)  # well-formed
        assert "\x1b" not in feed.read_text("utf-8")
    home = (out / "index.html").read_text("utf-8")
    assert f'href="{server.url}/law%281%29.html"' in home  # the whole URL, encoded
    assert "《de-dirty》" in home  # the substantive change is news
    assert "《de-edit》" not in home  # the editorial one is not
    for name in ("index.html", "changes/de.html"):
        html = (out / name).read_text("utf-8")
        assert page_problem(html) is None
        assert "'unsafe-inline'" not in re.search(r"script-src[^;\"]*", html).group(0)
    _csp_in_chromium(out)


def _csp_in_chromium(out: Path) -> None:
    """The theme's scripts run under the policy; a script or handler the sanitiser might
    have missed does not."""
    from search_browser import Browser, SiteServer

    page = (out / "index.html").read_text("utf-8")
    injected = page.replace('<div data-pagefind-body>', '<div data-pagefind-body>'
                            '<img src="x.png" onerror="window.ipwPwned = 1">'
                            '<script>window.ipwPwned2 = 1</script>', 1)
    (out / "injected.html").write_text(injected, encoding="utf-8")
    with SiteServer(out) as server, Browser() as browser:
        browser.goto(server.url)
        assert not [e for e in browser.console_errors() if "Content Security Policy" in e]
        assert browser.evaluate("typeof __md_get") == "function"  # the theme's inline script ran
        browser.goto(server.url + "injected.html")
        time.sleep(0.5)
        assert browser.evaluate("typeof window.ipwPwned") == "undefined"
        assert browser.evaluate("typeof window.ipwPwned2") == "undefined"


def test_a_feed_that_is_not_xml_fails_the_build(tmp_path):
    """Failure 7: a broken feed was published and the build still succeeded."""
    from types import SimpleNamespace

    from ipwatch import sitebuild

    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "changes-de.xml").write_bytes(b"<feed><title>\x01</title></feed>")
    with pytest.raises(sitebuild.BuildError, match="changes-de.xml"):
        sitebuild.feeds_are_xml(SimpleNamespace(out=tmp_path))


def test_tls_opt_out_needs_a_written_reason(tmp_path):
    from crawl_harness import write_registry
    from crawlers.registry import RegistryError, load_registry

    registry = write_registry(tmp_path, [source("de-law", "https://example.org/law",
                                                tls_verify=False)])
    with pytest.raises(RegistryError, match="tls_verify.*理由"):
        load_registry(registry)


def test_offline_crawl_records_problems_not_errors(tmp_path):
    """Failure 6: offline, a crawl reported "记录了 125 个错误" — unreachable hosts are fetch
    problems of their pages, not errors of ipwatch."""
    result = crawl_result(tmp_path, [source("de-off", "http://ipwatch-offline.invalid/law")],
                          RETRY_TIMES=0)
    assert result.errors == 0 and result.status == "finished"
    assert fetch_log()["law"] == ("problem", "robots_unavailable")
