"""Downloader middlewares that make the crawl polite and safe, where Scrapy alone is not.

Each one fixes one measured gap (see DESIGN.md, "Facts to build on") and counts what it did as
crawler stats under ``ipwatch/``:

- ``Rfc9309RobotsMiddleware`` — robots.txt per RFC 9309: every request waiting on a host's
  robots.txt gets the parser (Scrapy 2.14+ hands ``None`` — "allow" — to the third and later
  waiters); 5xx or an unreachable robots.txt means disallow all (Scrapy allows all); 4xx means
  allow all; only the first 500 KiB are parsed.
- ``HostGuardMiddleware`` — only http(s), only the source's own hosts; so a redirect elsewhere
  is refused before it is fetched.
- ``PacerMiddleware`` — per-host pacing that Scrapy ignores: robots.txt ``Crawl-delay`` and
  ``Retry-After`` (seconds or HTTP-date) on 429/503, each capped; a host asking to wait longer
  than the cap is left alone for the rest of the crawl.
- ``RevalidateMiddleware`` — conditional requests from the store's last snapshot of the page
  (If-None-Match / If-Modified-Since); Scrapy's cache policy sends them only with max-age=0.
"""
from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler
from twisted.internet import defer, reactor, task

logger = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least the first 500 KiB
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Rfc9309RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's status rules and one waiter fix."""

    async def robot_parser(self, request):
        parser = self._parsers.get(urlsplit(request.url).netloc)
        if isinstance(parser, defer.Deferred):
            # Awaiting the shared Deferred consumes its result: the next waiter would get
            # None (= allow all). Each waiter gets its own Deferred fed from the shared one.
            own: defer.Deferred = defer.Deferred()

            def relay(result):
                own.callback(result)
                return result

            parser.addBoth(relay)
            return await maybe_deferred_to_future(own)
        return await super().robot_parser(request)

    async def _parse_robots(self, response, netloc, request):
        status = response.status
        if status >= 500:
            self._stats.inc_value("ipwatch/robotstxt/disallow_all_5xx")
            response = response.replace(body=DISALLOW_ALL)
        elif status >= 400:
            self._stats.inc_value("ipwatch/robotstxt/allow_all_4xx")
            response = response.replace(body=b"")
        else:
            response = response.replace(body=response.body[:ROBOTS_MAX_BYTES])
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc, netloc):
        """Unreachable robots.txt (network error, timeout): RFC 9309 2.3.1.4 — disallow all."""
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._stats.inc_value("ipwatch/robotstxt/disallow_all_unreachable")
        waiting = self._parsers[netloc]
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        self._parsers[netloc] = parser
        waiting.callback(parser)


class HostGuardMiddleware:
    """Refuse any request that is not http(s) on one of the source's own hosts.

    The hosts come from ``request.meta["ipwatch_hosts"]`` (set by the spiders from the
    registry); redirected requests keep the meta, so a redirect elsewhere is refused here.
    """

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            self.stats.inc_value("ipwatch/refused/scheme")
            raise IgnoreRequest(f"refused scheme {parts.scheme!r}: {request.url}")
        hosts = request.meta.get("ipwatch_hosts")
        if hosts is not None and (parts.hostname or "").lower() not in hosts:
            self.stats.inc_value("ipwatch/refused/offsite")
            raise IgnoreRequest(f"refused off-site host {parts.hostname!r}: {request.url}")
        return None


def parse_retry_after(value: str | bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PacerMiddleware:
    """Per-host pacing: DOWNLOAD_DELAY, a source's ``min_delay`` option, Crawl-delay and
    Retry-After, the last two capped.

    The state is per process, not per crawler: the spiders of one crawl run one after another
    in one process, and a host's delay (or its request to be left alone) holds across them.

    ``IPWATCH_CRAWL_DELAY_CAP`` and ``IPWATCH_RETRY_AFTER_CAP`` (seconds) bound what a site
    may ask; a Retry-After above the cap ends the crawl of that host (no retry, no further
    requests) rather than retrying early.
    """

    PACED_STATUSES = (429, 503)
    _crawl_delay: dict[str, float] = {}
    _next: dict[str, float] = {}
    _gone: set[str] = set()

    def __init__(self, crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.crawl_delay_cap = settings.getfloat("IPWATCH_CRAWL_DELAY_CAP", 30.0)
        self.retry_after_cap = settings.getfloat("IPWATCH_RETRY_AFTER_CAP", 120.0)
        self.useragent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.download_delay = settings.getfloat("DOWNLOAD_DELAY", 0.0)
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request):
        delay = robotparser.crawl_delay(self.useragent)
        if delay:
            self._crawl_delay[host_of(request.url)] = min(float(delay), self.crawl_delay_cap)
            self.stats.inc_value("ipwatch/pacer/crawl_delay_hosts")

    def _refuse_if_gone(self, host: str) -> None:
        if host in self._gone:
            self.stats.inc_value("ipwatch/pacer/refused_backed_off")
            raise IgnoreRequest(f"host {host} asked to wait longer than the cap")

    async def process_request(self, request, spider=None):
        host = host_of(request.url)
        delay = max(self.download_delay, self._crawl_delay.get(host, 0.0),
                    request.meta.get("ipwatch_min_delay", 0.0))
        while True:  # several requests may wait for one host: the first to wake goes
            self._refuse_if_gone(host)  # the host may have asked to be left alone meanwhile
            now = time.monotonic()
            ready = self._next.get(host, 0.0)
            if now >= ready:
                break
            self.stats.inc_value("ipwatch/pacer/waits")
            await maybe_deferred_to_future(task.deferLater(reactor, ready - now, lambda: None))
        # counted from the actual release, so a late wake-up never shortens the next gap
        self._next[host] = now + delay
        return None

    def process_response(self, request, response, spider=None):
        if response.status not in self.PACED_STATUSES:
            return response
        wait = parse_retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            return response
        host = host_of(request.url)
        self.stats.inc_value("ipwatch/pacer/retry_after")
        if wait > self.retry_after_cap:
            self._gone.add(host)
            request.meta["dont_retry"] = True
            self.stats.inc_value("ipwatch/pacer/retry_after_over_cap")
            return response
        self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + wait)
        return response


class RevalidateMiddleware:
    """Add If-None-Match / If-Modified-Since from the last stored snapshot of the page.

    Needs ``request.meta["ipwatch_source"]`` (a source id) and the setting
    ``IPWATCH_STORE`` (the SQLite file); a 304 then reaches the spider as "not modified".
    """

    def __init__(self, store_path: str, stats):
        from kb.core.store import Store

        self.store = Store(store_path)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("IPWATCH_STORE")
        if not path:
            raise NotConfigured
        mw = cls(path, crawler.stats)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self, spider):
        self.store.close()

    def process_request(self, request, spider=None):
        from kb.laws.snapshots import latest_snapshot

        source_id = request.meta.get("ipwatch_source")
        if not source_id or request.meta.get("ipwatch_revalidated"):
            return None
        request.meta["ipwatch_revalidated"] = True
        last = latest_snapshot(self.store, source_id, request.url)
        if last is None:
            return None
        if last.etag:
            request.headers.setdefault(b"If-None-Match", last.etag.encode("latin-1"))
        if last.last_modified:
            request.headers.setdefault(b"If-Modified-Since", last.last_modified.encode("latin-1"))
        if last.etag or last.last_modified:
            self.stats.inc_value("ipwatch/revalidate/conditional")
        return None
