"""The base of ipwatch's generic spiders: one spider per source kind, fed by the registry."""
from __future__ import annotations

from collections.abc import Iterator

import scrapy

from crawlers.registry import Source, load_registry, select


class RegistrySpider(scrapy.Spider):
    """Reads the registry (``-a sources=PATH -a only=ID``) and keeps the sources of its kind."""

    kind = ""

    def __init__(self, sources: str | None = None, only: str | None = None, **kwargs):
        super().__init__(**kwargs)
        chosen = select(load_registry(sources), only)
        self.sources = [s for s in chosen if s.kind == self.kind]
        self.allowed_domains = sorted({host for s in self.sources for host in s.hosts})

    def start_requests(self) -> Iterator[scrapy.Request]:  # Scrapy < 2.13
        for source in self.sources:
            yield self.request_for(source)

    async def start(self):  # Scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def request_for(self, source: Source) -> scrapy.Request:
        return scrapy.Request(source.url, callback=self.parse, cb_kwargs={"source": source},
                              errback=self.failed, meta={"source_id": source.id})

    def failed(self, failure) -> None:
        """A request that never got a response: recorded by the pipeline as a fetch problem."""
        request = failure.request
        self.crawler.stats.inc_value("ipwatch/fetch_failed")
        self.logger.warning("fetch failed: %s (%s)", request.url, failure.getErrorMessage())
        if hasattr(self, "on_failure"):
            self.on_failure(request, failure)
