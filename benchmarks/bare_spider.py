"""The baseline: a bare Scrapy spider fetching the benchmark corpus and taking its text.

Same transport (the mirror download handler), robots.txt, concurrency and delay as ipwatch;
no decoding checks, no extraction rules, no store. Usage: bare_spider.py MIRROR_URL PAGES
"""
from __future__ import annotations

import sys

import scrapy
from scrapy.crawler import CrawlerProcess

from crawl_corpus import COMMON_SCRAPY, page_url


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, pages: int, **kwargs):
        super().__init__(**kwargs)
        self.pages = pages

    async def start(self):
        for number in range(self.pages):
            yield scrapy.Request(page_url(number))

    def parse(self, response):
        text = "\n".join(response.css("div#paddingLR12 ::text").getall())
        yield {"url": response.url, "chars": len(text)}


if __name__ == "__main__":
    process = CrawlerProcess({
        **COMMON_SCRAPY,
        "ROBOTSTXT_OBEY": True,
        "TELNETCONSOLE_ENABLED": False,
        "IPWATCH_MIRROR": sys.argv[1],
        "DOWNLOAD_HANDLERS": {"http": "crawlers.mirror.MirrorDownloadHandler",
                              "https": "crawlers.mirror.MirrorDownloadHandler"},
    })
    process.crawl(BareSpider, pages=int(sys.argv[2]))
    process.start()
