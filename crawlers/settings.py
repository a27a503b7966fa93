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
DOWNLOAD_DELAY_JITTER = 0  # (RANDOMIZE_DOWNLOAD_DELAY is deprecated in Scrapy 2.19)
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# Items handled in parallel per response: a page gives one item (a listing a few requests),
# and Scrapy starts this many worker tasks for every response (default 100).
CONCURRENT_ITEMS = 8
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20_000_000
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 2
# A request that still fails after its retries is a fetch problem (logged in fetch_log), not
# an error of the crawl: keep ERROR for what is broken in ipwatch itself.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
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

# Politeness and safety where Scrapy alone falls short (see crawlers/middlewares.py): the host
# guard runs first (an off-site URL never costs a robots.txt fetch); the pacer sees responses
# before RetryMiddleware (550), so a Retry-After is known before the retry is scheduled.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.middlewares.HostGuardMiddleware": 50,
    "crawlers.middlewares.Rfc9309RobotsMiddleware": 100,
    "crawlers.middlewares.PacerMiddleware": 560,
    "crawlers.middlewares.RevalidateMiddleware": 570,
}
IPWATCH_RETRY_AFTER_CAP = 120.0
IPWATCH_CRAWL_DELAY_CAP = 30.0

# 200: fetch problems and 304s are logged and dropped; 300: snapshots and changes.
ITEM_PIPELINES = {
    "crawlers.fetchlog.FetchLogPipeline": 200,
    "crawlers.pipelines.StorePipeline": 300,
}

# TLS certificates are verified (Scrapy does not by default): a certificate that is
# self-signed, expired or for another name is a fetch problem naming the host, never a page.
# A source may opt out only with a written reason in the registry (tls_verify / tls_reason).
DOWNLOAD_VERIFY_CERTIFICATES = True
IPWATCH_TLS_INSECURE: list[str] = []
IPWATCH_HOST_BUDGET = 900.0
IPWATCH_CONFIRM_PAUSE = 120.0
