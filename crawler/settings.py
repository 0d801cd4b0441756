"""Scrapy settings for the firewatch crawler. Per-source values (delay, concurrency, robots,
User-Agent, browser) come from each YAML file via ``SourceSpider.update_settings``."""

BOT_NAME = "firewatch"
SPIDER_LOADER_CLASS = "crawler.spiderloader.YamlSpiderLoader"
SPIDER_MODULES: list[str] = []
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# Politeness defaults for real use; a source's `politeness:` block overrides them.
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 2.0
CONCURRENT_REQUESTS = 1
CONCURRENT_REQUESTS_PER_DOMAIN = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% around the delay, like a person
RETRY_TIMES = 1
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024  # huge pages are refused, not parsed
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
COOKIES_ENABLED = True
# Scrapy starts this many asyncio workers per callback output; pipelines here are synchronous,
# and the default (100) spends most of a fast crawl's CPU creating idle tasks.
CONCURRENT_ITEMS = 8
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    # Between RetryMiddleware (550) and RedirectMiddleware (600): sees 429/403 before a retry,
    # and the final page of a redirect chain (with the URLs it came through).
    "crawler.middlewares.guard.ResponseGuardMiddleware": 590,
    # Last before the download handler: recycles browser contexts in download order.
    "crawler.middlewares.browser_context.BrowserContextMiddleware": 950,
}
ITEM_PIPELINES = {
    "crawler.pipelines.clean.CleanPipeline": 100,
    "crawler.pipelines.warc.WarcPipeline": 200,
    "crawler.pipelines.dedupe.DedupePipeline": 300,
    "crawler.pipelines.ocr.OcrPipeline": 350,  # text in images, for sources with `ocr: enabled`
    "crawler.pipelines.classify.ClassifyPipeline": 400,
    "crawler.pipelines.store.StorePipeline": 500,
}

# Set by crawler.runner: the AppContext to store into (None: built from FIREWATCH_* variables).
FIREWATCH_CONTEXT = None
FIREWATCH_COMMIT_EVERY = 200
FIREWATCH_BROWSER_CONTEXT_PAGES = 100  # pages per browser context before a fresh one is used
