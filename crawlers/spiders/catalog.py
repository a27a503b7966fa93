"""Which spider crawls which source: special subclasses first, then one spider per kind."""
from __future__ import annotations

from crawlers.spiders.base import SourceSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.json_api import JsonApiSpider
from crawlers.spiders.law_go_kr import LawGoKrSpider
from crawlers.spiders.listing import ListingSpider
from crawlers.spiders.pages import LawTextSpider

SPECIAL: tuple[type[SourceSpider], ...] = (LawGoKrSpider,)
BY_KIND: tuple[type[SourceSpider], ...] = (LawTextSpider, ListingSpider, FeedSpider, JsonApiSpider)
ALL_SPIDERS = SPECIAL + BY_KIND


def spider_for(source) -> type[SourceSpider]:
    for spider in ALL_SPIDERS:
        if spider.serves(source):
            return spider
    raise LookupError(f"no spider for source {source.id} (kind {source.kind})")


def plan(sources) -> list[tuple[type[SourceSpider], list]]:
    """Sources grouped by spider, in a fixed order (the spiders run one after another, so
    the per-host delay holds across them)."""
    groups: dict[type[SourceSpider], list] = {}
    for source in sources:
        groups.setdefault(spider_for(source), []).append(source)
    return [(spider, groups[spider]) for spider in ALL_SPIDERS if spider in groups]
