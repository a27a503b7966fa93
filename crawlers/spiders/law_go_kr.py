"""law.go.kr (Korea): the law page is a frame; the text is in the page its iframe loads.

The one special case of the Korean sources: same kind (law_page), one hook overridden.
"""
from __future__ import annotations

from urllib.parse import urljoin

from crawlers.spiders.law_page import LawPageSpider


class LawGoKrSpider(LawPageSpider):
    name = "law_go_kr"
    hosts = ("www.law.go.kr", "law.go.kr")

    @classmethod
    def serves(cls, source) -> bool:
        return source.kind == "law_page" and any(h in cls.hosts for h in source.hosts)

    def parse_page(self, response, source):
        selector, _facts = self.selector(response, source)
        frame = selector.css("iframe#lawService::attr(src), iframe[name=lawService]::attr(src)").get()
        if frame and not response.meta.get("ipwatch_framed"):
            yield self.request_for(source, urljoin(response.url, frame), "page", ipwatch_framed=True)
            return
        yield from super().parse_page(response, source)
