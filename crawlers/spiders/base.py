"""The base of ipwatch's generic spiders: one spider per source kind, fed by the registry.

A request carries its source in ``meta`` (``ipwatch_source`` id, ``ipwatch_hosts`` for the
host guard, ``ipwatch_role`` naming the hook that parses it). ``parse`` does the shared work —
304 → "not modified", non-2xx → fetch problem, decoding, problem checks — and hands a good
response to ``parse_<role>``. A source that needs special handling gets a subclass that
overrides one hook (see ``law_go_kr.py``).

Every item is a ``crawlers.items.PageItem``; ``text`` is normalised, and empty when
``problem`` or ``not_modified`` is set. Which spider crawls a source is decided by
``crawlers.spiders.catalog.spider_for`` (special subclasses first, then the kind).
"""
from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.selector import Selector

from crawlers.extract import extract_body
from crawlers.fetchcheck import (
    FetchFacts, coded_problem, decode_body, find_problem, tls_problem,
)
from crawlers.items import PageItem
from crawlers.registry import Source, load_registry, select
from kb.core.textnorm import normalise

HANDLED_STATUSES = [304] + list(range(400, 600))  # let the spider see and log them
KEPT_HEADERS = ("etag", "last-modified", "content-type", "content-length")


def page_item(source, url: str, page_kind: str, status: int | None = None,
              **fields: Any) -> PageItem:
    return PageItem(source_id=source.id, url=url, http_status=status, text=fields.pop("text", ""),
                    page_kind=page_kind, **fields)


def kept_headers(response: Response) -> dict[str, str]:
    out = {}
    for name in KEPT_HEADERS:
        value = response.headers.get(name)
        if value is not None:
            out[name] = value.decode("latin-1")
    return out


# What an IgnoreRequest says → the problem code (Scrapy's messages and our middlewares').
_IGNORED = (
    ("robots.txt", "robots_disallowed"), ("off-site", "offsite_refused"),
    ("scheme", "scheme_refused"), ("MAXSIZE", "too_large"), ("max size", "too_large"),
    ("redirections", "redirect_loop"),
)


def failure_problem(failure) -> str:
    """A short code for a request that produced no response."""
    exc, message = failure.value, str(failure.value)
    coded = coded_problem(exc)
    if isinstance(exc, IgnoreRequest) and coded:  # our middlewares name the code: "[code] …"
        return coded
    tls = tls_problem(exc, urlsplit(failure.request.url).netloc)
    if tls:
        return tls
    if isinstance(exc, IgnoreRequest):
        return next((code for needle, code in _IGNORED if needle in message), "ignored")
    name = type(exc).__name__
    if "Timeout" in name or "timeout" in message.lower():
        return "timeout"
    if "DataLoss" in name or "DataLoss" in message:
        return "truncated"
    return f"error_{name}"


class RegistrySpider(scrapy.Spider):
    """Reads the registry (``-a sources=PATH -a only=ID``) and keeps the sources it serves.

    Subclasses set ``kind`` (the registry kind) and ``start_role`` (the hook that parses the
    source's own URL); a special subclass also overrides ``serves``.
    """

    kind = ""
    start_role = "page"
    min_chars = 200  # shorter extraction of a law page = a fetch problem

    def __init__(self, sources: str | None = None, only: str | None = None, **kwargs):
        super().__init__(**kwargs)
        from crawlers.spiders.catalog import spider_for

        chosen = select(load_registry(sources), only)
        self.sources = [s for s in chosen if spider_for(s) is type(self)]

    @classmethod
    def serves(cls, source: Source) -> bool:
        return source.kind == cls.kind

    async def start(self):
        for source in self.sources:
            # dont_filter: a redirect loop back to the source URL must end in an error (and a
            # fetch_log row) at REDIRECT_MAX_TIMES, not vanish in the duplicate filter
            yield self.request_for(source, source.url, self.start_role, dont_filter=True)

    def request_for(self, source, url: str, role: str, dont_filter: bool = False,
                    **meta: Any) -> scrapy.Request:
        meta.update(
            ipwatch_source=source.id,
            ipwatch_source_obj=source,
            ipwatch_hosts=tuple(h.lower() for h in source.hosts),
            ipwatch_origins=source.origins,
            ipwatch_role=role,
            ipwatch_min_delay=float((source.options or {}).get("min_delay", 0)),
            handle_httpstatus_list=HANDLED_STATUSES,
        )
        return scrapy.Request(url, callback=self.parse, errback=self.on_error, meta=meta,
                              dont_filter=dont_filter)

    # --- shared work ----------------------------------------------------------------------

    def parse(self, response: Response, **kwargs) -> Iterator[Any]:
        source = response.meta["ipwatch_source_obj"]
        role = response.meta["ipwatch_role"]
        url = response.meta.get("redirect_urls", [response.url])[0]
        base = dict(status=response.status, headers=kept_headers(response))
        if response.status == 304:
            yield page_item(source, url, role, not_modified=True, **base)
            return
        if not 200 <= response.status < 300:
            yield page_item(source, url, role, problem=f"http_{response.status}", **base)
            return
        yield from getattr(self, f"parse_{role}")(response, source)

    def decoded(self, response: Response, source) -> tuple[str, bool, FetchFacts]:
        """The response decoded right (not as Scrapy guessed), whether it is XML, and the
        facts the problem checks look at."""
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        dec = decode_body(response.body, content_type, source.language)
        is_xml = "xml" in content_type or dec.text.lstrip().startswith("<?xml")
        facts = FetchFacts(
            status=response.status, text="", language=source.language,
            requested_url=response.meta.get("redirect_urls", [response.url])[0],
            final_url=response.url, body=response.body, content_type=content_type,
            decoded_how=dec.how, replaced=dec.replaced, min_chars=self.min_chars,
            encoding=dec.encoding,
        )
        return dec.text, is_xml, facts

    def selector(self, response: Response, source) -> tuple[Selector, FetchFacts]:
        text, is_xml, facts = self.decoded(response, source)
        return Selector(text=text, type="xml" if is_xml else "html"), facts

    def checked_item(self, response, source, role: str, text: str, facts: FetchFacts,
                     min_chars: int | None = None, extracted: str | None = None) -> PageItem:
        facts.text = normalise(text)
        facts.kind = role if role != "page" else "law_page"
        if min_chars is not None:
            facts.min_chars = min_chars
        problem = find_problem(facts) or extracted
        return page_item(
            source, response.meta.get("redirect_urls", [response.url])[0], role,
            status=response.status, headers=kept_headers(response), encoding=facts.encoding,
            text="" if problem else facts.text, problem=problem,
            confirm=bool(response.meta.get("ipwatch_confirm")),
        )

    def on_error(self, failure) -> Iterator[PageItem]:
        request = failure.request
        source = request.meta["ipwatch_source_obj"]
        self.crawler.stats.inc_value(f"ipwatch/fetch_error/{failure_problem(failure)}")
        yield page_item(source, request.meta.get("redirect_urls", [request.url])[0],
                        request.meta.get("ipwatch_role", "page"), problem=failure_problem(failure))

    # --- hooks ----------------------------------------------------------------------------

    def extract_text(self, text: str, is_xml: bool, source) -> tuple[str, str | None]:
        """The law body by the registry's ``extract`` hint (see ``crawlers.extract``)."""
        return extract_body(text, is_xml, source.extract)

    def parse_page(self, response, source) -> Iterator[Any]:
        text, is_xml, facts = self.decoded(response, source)
        body, missed = self.extract_text(text, is_xml, source)
        yield self.checked_item(response, source, "page", body, facts, extracted=missed)


SourceSpider = RegistrySpider  # the name used by the per-kind modules
