"""The generic spider for a law-text page: fetch, decode, extract the body, normalise."""
from __future__ import annotations

from crawlers.extract import extract
from crawlers.items import PageItem
from crawlers.registry import Source
from crawlers.spiders.base import RegistrySpider

KEPT_HEADERS = ("etag", "last-modified", "content-type")


class LawPageSpider(RegistrySpider):
    name = "law_page"
    kind = "law_page"

    def parse(self, response, source: Source):
        headers = {
            key: response.headers.get(key).decode("latin-1")
            for key in KEPT_HEADERS
            if response.headers.get(key)
        }
        text_of = getattr(response, "text", None)
        if text_of is None:
            return PageItem(source.id, response.url, response.status, "", headers,
                            problem="不是文本页面")
        extraction = extract(response.text, source.extract)
        problem = None if extraction.text else "未能提取到正文"
        return PageItem(source.id, response.url, response.status, extraction.text, headers,
                        extraction.method, problem)

    def on_failure(self, request, failure) -> None:
        pipeline = getattr(self, "store_pipeline", None)
        if pipeline is not None:
            pipeline.record_problem(request.meta["source_id"], request.url,
                                    failure.getErrorMessage())
