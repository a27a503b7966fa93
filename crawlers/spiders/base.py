"""The base spider: one per registry kind, configured by the registry, with small hooks.

A request carries its source in ``meta`` (``ipwatch_source`` id, ``ipwatch_hosts`` for the
host guard, ``ipwatch_role`` naming the hook that parses it). ``parse`` does the shared work —
304 → "not modified", non-2xx → fetch problem, decoding, problem checks — and hands a good
response to ``parse_<role>``. A source that needs special handling gets a subclass that
overrides one hook (see ``law_go_kr.py``).

Every item is a plain dict (see ``page_item``): ``source_id, url, page_kind, status, text,
problem, not_modified, headers, encoding``. ``text`` is normalised; it is empty when
``problem`` or ``not_modified`` is set.
"""
from __future__ import annotations

from typing import Any, Iterator

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.selector import Selector

from crawlers.fetchcheck import FetchFacts, decode_body, find_problem
from crawlers.htmltext import element_text
from kb.textnorm import normalise

HANDLED_STATUSES = [304] + list(range(400, 600))  # let the spider see and log them
KEPT_HEADERS = ("etag", "last-modified", "content-type", "content-length")


def page_item(source, url: str, page_kind: str, **fields: Any) -> dict[str, Any]:
    item = {
        "source_id": source.id,
        "url": url,
        "page_kind": page_kind,
        "status": None,
        "text": "",
        "problem": None,
        "not_modified": False,
        "headers": {},
        "encoding": "",
        "language": source.language,
    }
    item.update(fields)
    return item


def kept_headers(response: Response) -> dict[str, str]:
    out = {}
    for name in KEPT_HEADERS:
        value = response.headers.get(name)
        if value is not None:
            out[name] = value.decode("latin-1")
    return out


def failure_problem(failure) -> str:
    """A short code for a request that produced no response."""
    exc = failure.value
    message = str(exc)
    if isinstance(exc, IgnoreRequest):
        for needle, code in (("robots.txt", "robots_disallowed"), ("off-site", "offsite_refused"),
                             ("scheme", "scheme_refused"), ("longer than the cap", "backed_off"),
                             ("MAXSIZE", "too_large"), ("max size", "too_large"),
                             ("redirections", "redirect_loop")):
            if needle in message:
                return code
        return "ignored"
    name = type(exc).__name__
    if "Timeout" in name or "timeout" in message.lower():
        return "timeout"
    if "DataLoss" in message or "DataLoss" in name:
        return "truncated"
    if "size" in message.lower() and "max" in message.lower():
        return "too_large"
    return f"error_{name}"


class SourceSpider(scrapy.Spider):
    """Base of the per-kind spiders. Subclasses set ``kinds`` and ``start_role``."""

    kinds: tuple[str, ...] = ()
    start_role = "page"
    min_chars = 200  # shorter extraction of a law page = a fetch problem

    def __init__(self, sources=(), **kwargs):
        super().__init__(**kwargs)
        self.sources = list(sources)

    @classmethod
    def serves(cls, source) -> bool:
        return source.kind in cls.kinds

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
            ipwatch_role=role,
            handle_httpstatus_list=HANDLED_STATUSES,
        )
        return scrapy.Request(url, callback=self.parse, errback=self.on_error, meta=meta,
                              dont_filter=dont_filter)

    # --- shared work ----------------------------------------------------------------------

    def parse(self, response: Response, **kwargs) -> Iterator[Any]:
        source = response.meta["ipwatch_source_obj"]
        role = response.meta["ipwatch_role"]
        url = response.request.url if response.request else response.url
        base = dict(status=response.status, headers=kept_headers(response))
        if response.status == 304:
            yield page_item(source, url, role, not_modified=True, **base)
            return
        if not 200 <= response.status < 300:
            yield page_item(source, url, role, problem=f"http_{response.status}", **base)
            return
        yield from getattr(self, f"parse_{role}")(response, source)

    def decoded(self, response: Response, source) -> tuple[Selector, FetchFacts]:
        """The response decoded right (not as Scrapy guessed) and the facts to check."""
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        dec = decode_body(response.body, content_type, source.language)
        is_xml = "xml" in content_type or dec.text.lstrip().startswith("<?xml")
        selector = Selector(text=dec.text, type="xml" if is_xml else "html")
        facts = FetchFacts(
            status=response.status, text="", language=source.language,
            requested_url=response.meta.get("redirect_urls", [response.url])[0],
            final_url=response.url, body=response.body, content_type=content_type,
            decoded_how=dec.how, replaced=dec.replaced, min_chars=self.min_chars,
        )
        facts.encoding = dec.encoding
        return selector, facts

    def checked_item(self, response, source, role: str, text: str, facts: FetchFacts,
                     min_chars: int | None = None) -> dict[str, Any]:
        facts.text = normalise(text)
        facts.kind = role if role != "page" else "law_page"
        if min_chars is not None:
            facts.min_chars = min_chars
        problem = find_problem(facts)
        return page_item(
            source, response.meta.get("redirect_urls", [response.url])[0], role,
            status=response.status, headers=kept_headers(response), encoding=facts.encoding,
            text="" if problem else facts.text, problem=problem,
        )

    def on_error(self, failure) -> Iterator[dict[str, Any]]:
        request = failure.request
        source = request.meta["ipwatch_source_obj"]
        self.crawler.stats.inc_value(f"ipwatch/fetch_error/{failure_problem(failure)}")
        yield page_item(source, request.meta.get("redirect_urls", [request.url])[0],
                        request.meta.get("ipwatch_role", "page"), problem=failure_problem(failure))

    # --- hooks ----------------------------------------------------------------------------

    def extract_text(self, selector: Selector, source) -> str:
        """The law body: the registry's ``extract`` hint (css or xpath), else the whole body."""
        hint = source.extract or {}
        if hint.get("css"):
            nodes = selector.css(hint["css"])
        elif hint.get("xpath"):
            nodes = selector.xpath(hint["xpath"])
        else:
            nodes = selector.xpath("//body") or selector.xpath("/*")
        return "\n".join(element_text(node) for node in nodes)

    def parse_page(self, response, source) -> Iterator[Any]:
        selector, facts = self.decoded(response, source)
        yield self.checked_item(response, source, "page", self.extract_text(selector, source), facts)
