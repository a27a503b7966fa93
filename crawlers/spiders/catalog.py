"""Which spider crawls which source: special subclasses first, then one spider per kind."""
from __future__ import annotations

from crawlers.spiders.base import SourceSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.json_api import JsonApiSpider
from crawlers.spiders.law_go_kr import LawGoKrSpider
from crawlers.spiders.law_page import LawPageSpider
from crawlers.spiders.listing import GuidanceSpider, ListingSpider

SPECIAL: tuple[type[SourceSpider], ...] = (LawGoKrSpider,)
BY_KIND: tuple[type[SourceSpider], ...] = (
    LawPageSpider, ListingSpider, GuidanceSpider, FeedSpider, JsonApiSpider,
)
ALL_SPIDERS = SPECIAL + BY_KIND


def spider_for(source) -> type[SourceSpider]:
    for spider in ALL_SPIDERS:
        if spider.serves(source):
            return spider
    raise LookupError(f"no spider for source {source.id} (kind {source.kind})")
