"""Scrapy settings for ipwatch's crawlers.

These are the defaults for ``scrapy crawl`` in this folder; ``crawlers.run`` overrides the
values that come from ipwatch's settings file (user agent, delay, timeout, size cap, mirror).
"""
BOT_NAME = "ipwatch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = "ipwatch/0.1 (Shaoguan Qujiang District Administration for Market Regulation; overseas IP dispute assistance; law-change tracking)"
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 1.0
RANDOMIZE_DOWNLOAD_DELAY = False
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20_000_000
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 3
CLOSESPIDER_PAGECOUNT = 2000
LOG_LEVEL = "INFO"

# Every URL keeps its real address inside Scrapy; the handler fetches it from the loopback
# mirror when IPWATCH_MIRROR is set (robots.txt, offsite checks and stats see the real host).
DOWNLOAD_HANDLERS = {
    "http": "crawlers.mirror.MirrorDownloadHandler",
    "https": "crawlers.mirror.MirrorDownloadHandler",
}
IPWATCH_MIRROR = ""

ITEM_PIPELINES = {
    "crawlers.pipelines.StorePipeline": 300,
}
