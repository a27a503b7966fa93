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
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached
from scrapy.http.request import NO_CALLBACK
from twisted.internet import defer, reactor, task

from crawlers.fetchcheck import coded_problem, tls_problem
from crawlers.registry import origin_of

logger = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least the first 500 KiB
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Rfc9309RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's status rules and one waiter fix."""

    async def robot_parser(self, request):
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            await self._fetch_robots(request, netloc)
        parser = self._parsers.get(netloc)
        if isinstance(parser, defer.Deferred):
            # Awaiting the shared Deferred consumes its result: the next waiter would get
            # None (= allow all). Each waiter gets its own Deferred fed from the shared one.
            own: defer.Deferred = defer.Deferred()

            def relay(result):
                own.callback(result)
                return result

            parser.addBoth(relay)
            return await maybe_deferred_to_future(own)
        return parser

    async def _fetch_robots(self, request, netloc: str) -> None:
        """Scrapy's robots.txt download, bound by the host guard (its redirects stay on the
        page's own origins) and quiet: a robots.txt that fails is a fetch problem of the
        host's pages (``robots_unavailable``), not an error of ipwatch."""
        self._parsers[netloc] = defer.Deferred()
        url = urlparse_cached(request)
        own = origin_of(request.url)
        robots = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                         callback=NO_CALLBACK, meta={
                             "dont_obey_robotstxt": True,
                             "ipwatch_origins": request.meta.get("ipwatch_origins", (own,)),
                         })
        try:
            response = await self.crawler.engine.download_async(robots)
            await self._parse_robots(response, netloc, request)
        except Exception as exc:  # noqa: BLE001 — any failure of a foreign robots.txt
            logger.warning("robots.txt of %s unavailable: %s", netloc, exc)
            self._robots_error(exc, netloc)
            self._unavailable[netloc] = (coded_problem(exc) or tls_problem(exc, netloc)
                                         or "robots_unavailable")
        self._stats.inc_value("robotstxt/request_count")

    def process_request_2(self, rp, request):
        why = self._unavailable.get(urlparse_cached(request).netloc)
        if why and not request.meta.get("dont_obey_robotstxt"):
            self._stats.inc_value("ipwatch/robotstxt/refused_unavailable")
            raise IgnoreRequest(f"[{why}] robots.txt unavailable: {request.url}")
        return super().process_request_2(rp, request)

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

    @property
    def _unavailable(self) -> dict[str, str]:
        """netloc → the problem code of its pages (robots.txt could not be had)."""
        return self.__dict__.setdefault("_unavailable_netlocs", {})

    def _robots_error(self, exc, netloc):
        """Unreachable robots.txt (network error, timeout, too large, redirected off-site):
        RFC 9309 2.3.1.4 — disallow all."""
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._stats.inc_value("ipwatch/robotstxt/disallow_all_unreachable")
        waiting = self._parsers[netloc]
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        self._parsers[netloc] = parser
        waiting.callback(parser)


class HostGuardMiddleware:
    """Refuse any request that is not http(s) on one of the source's own origins.

    The origins (scheme, host, port) come from ``request.meta["ipwatch_origins"]`` (set by
    the spiders from the registry, and by the robots.txt middleware for robots.txt);
    redirected requests keep the meta, so a redirect elsewhere — another host, or the same
    host on another port — is refused here before it is fetched.
    """

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_request(self, request, spider=None):
        scheme = urlsplit(request.url).scheme
        if scheme not in ("http", "https"):
            self.stats.inc_value("ipwatch/refused/scheme")
            raise IgnoreRequest(f"refused scheme {scheme!r}: {request.url}")
        origins = request.meta.get("ipwatch_origins")
        if origins is not None and origin_of(request.url) not in {tuple(o) for o in origins}:
            self.stats.inc_value("ipwatch/refused/offsite")
            raise IgnoreRequest(f"refused off-site origin: {request.url}")
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
    Retry-After, the last two capped; one request in flight per host; a time budget per host.

    The state is per process, not per crawler: the spiders of one crawl run side by side in
    one process, and a host's delay (or its request to be left alone) holds across them. A
    request waits until the host's previous request has been answered, so a host that asked
    to be left alone (a Retry-After above ``IPWATCH_RETRY_AFTER_CAP``) gets no further
    request in this crawl, whichever spider holds it.

    ``IPWATCH_HOST_BUDGET`` (seconds from the host's first request) bounds the time one host
    may take: a wait that would end past it gives the host up for this crawl (its pages are
    fetch problems ``host_budget``, retried next crawl), so one slow host never holds up the
    others nor the crawl's own time limit.
    """

    PACED_STATUSES = (429, 503)
    _crawl_delay: dict[str, float] = {}
    _next: dict[str, float] = {}
    _busy: dict[str, float] = {}  # host → when its request in flight is given up on
    _first: dict[str, float] = {}
    _gone: dict[str, str] = {}  # host → why it is left alone

    def __init__(self, crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.crawl_delay_cap = settings.getfloat("IPWATCH_CRAWL_DELAY_CAP", 30.0)
        self.retry_after_cap = settings.getfloat("IPWATCH_RETRY_AFTER_CAP", 120.0)
        self.host_budget = settings.getfloat("IPWATCH_HOST_BUDGET", 900.0)
        self.in_flight_limit = settings.getfloat("DOWNLOAD_TIMEOUT", 30.0) * 2 + 5
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

    def _give_up(self, host: str, why: str) -> None:
        self._gone.setdefault(host, why)
        self.stats.inc_value(f"ipwatch/pacer/gone_{why}")

    def _refuse_if_gone(self, host: str) -> None:
        why = self._gone.get(host)
        if why == "budget":
            raise IgnoreRequest(f"[host_budget] host {host} used up its time budget")
        if why:
            self.stats.inc_value("ipwatch/pacer/refused_backed_off")
            raise IgnoreRequest(f"[backed_off] host {host} asked to wait longer than the cap")

    def _ready_at(self, host: str, now: float) -> float:
        ready = self._next.get(host, 0.0)
        if self._busy.get(host, 0.0) > now:  # the previous request is not answered yet
            ready = max(ready, now + 0.05)
        return ready

    async def process_request(self, request, spider=None):
        host = host_of(request.url)
        delay = max(self.download_delay, self._crawl_delay.get(host, 0.0),
                    request.meta.get("ipwatch_min_delay", 0.0))
        deadline = self._first.setdefault(host, time.monotonic()) + self.host_budget
        while True:  # several requests may wait for one host: the first to wake goes
            self._refuse_if_gone(host)  # the host may have asked to be left alone meanwhile
            now = time.monotonic()
            ready = max(self._ready_at(host, now), request.meta.get("ipwatch_not_before", 0.0))
            if now >= ready:
                break
            if ready > deadline:
                self._give_up(host, "budget")
                continue
            self.stats.inc_value("ipwatch/pacer/waits")
            await maybe_deferred_to_future(task.deferLater(reactor, ready - now, lambda: None))
        # counted from the actual release, so a late wake-up never shortens the next gap
        self._next[host] = now + delay
        self._busy[host] = now + self.in_flight_limit
        return None

    def process_exception(self, request, exception, spider=None):
        self._busy.pop(host_of(request.url), None)
        return None

    def process_response(self, request, response, spider=None):
        host = host_of(request.url)
        self._busy.pop(host, None)
        if response.status not in self.PACED_STATUSES:
            return response
        wait = parse_retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            return response
        self.stats.inc_value("ipwatch/pacer/retry_after")
        if wait > self.retry_after_cap:
            self._give_up(host, "retry_after")
            request.meta["dont_retry"] = True
            self.stats.inc_value("ipwatch/pacer/retry_after_over_cap")
            return response
        if time.monotonic() + wait > self._first.get(host, 0.0) + self.host_budget:
            self._give_up(host, "budget")
            request.meta["dont_retry"] = True
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
