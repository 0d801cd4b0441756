"""The generic spider: start URLs (one per keyword), listing pages, optional detail pages, paging.

It only yields items; classification of responses happens in the guard middleware before any
callback runs, and cleaning, dedup, classification and storage are pipelines.
"""

from __future__ import annotations

import logging
from typing import Any, AsyncIterator
from urllib.parse import quote, urljoin

import scrapy
from scrapy import signals
from w3lib.url import add_or_replace_parameter

from crawler import extract
from crawler.items import PageRecord, PostItem
from crawler.run import RunState
from firewatch.core.sources import LoadedSource, PageParam
from firewatch.core.store.ingest import post_key

log = logging.getLogger(__name__)
DEFAULT_KEYWORDS = ["烟花", "鞭炮"]


class SourceSpider(scrapy.Spider):
    loaded: LoadedSource  # set on each generated subclass

    @classmethod
    def update_settings(cls, settings) -> None:
        from crawler.politeness import source_settings

        super().update_settings(settings)
        settings.setdict(source_settings(cls.loaded.config, settings), priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "SourceSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config = cls.loaded.config
        spider.run = RunState(_shared_context(crawler.settings), cls.loaded,
                              commit_every=crawler.settings.getint("FIREWATCH_COMMIT_EVERY", 200))
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._callback_failed, signal=signals.spider_error)
        crawler.signals.connect(spider._item_failed, signal=signals.item_error)
        return spider

    def _item_failed(self, item, response, spider, failure) -> None:
        """A pipeline raised on an item (a bug or a database problem): the run must say so."""
        self.run.record_error(f"保存失败 {item.get('url') or item.get('id')}: {failure.getErrorMessage()[:200]}")

    def _callback_failed(self, failure, response, spider) -> None:
        """A page whose parsing raised: counted and named in the run, the crawl goes on."""
        self.run.record_error(f"{response.url}: {failure.getErrorMessage()[:200]}")

    async def _closed(self, spider, reason: str) -> None:
        """Close the run on the store worker, after every item it was given."""
        if self.run.session is None:
            return
        try:
            summary = await self.run.worker.run(self.run.close, reason)
        finally:
            self.run.worker.stop()
        log.info("run %s of %s: %s — %s", summary.run_id, summary.source, summary.status, summary.message)

    # --- requests ----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.run.open()
        for url in self.start_urls_expanded():
            yield self.listing_request(url, page_no=1)

    def start_urls_expanded(self) -> list[str]:
        config, urls = self.config, []
        paging = config.listing.next_page
        for template in config.start_urls:
            if "{keyword}" in template:
                urls += [template.replace("{keyword}", q) for q in map(self.encode_keyword, self.keywords()) if q]
            else:
                urls.append(template)
        if isinstance(paging, PageParam):
            urls = [add_or_replace_parameter(u, paging.param, str(paging.start)) for u in urls]
        return urls

    def encode_keyword(self, keyword: str) -> str:
        """Percent-encode in the source's own encoding: a GBK site expects GBK bytes. A keyword
        the encoding cannot hold (🧨 on a GBK site) is skipped: the site could not search for it."""
        try:
            return quote(keyword.encode(self.config.encoding or "utf-8"), safe="")
        except UnicodeEncodeError:
            log.warning("%s: keyword %r cannot be written in %s; skipped", self.name, keyword, self.config.encoding)
            return ""

    def keywords(self) -> list[str]:
        if self.config.keywords:
            return self.config.keywords
        from crawler.classify_lib import search_keywords

        return search_keywords(self.run.ctx.settings.config) or DEFAULT_KEYWORDS

    def fetch_meta(self) -> dict[str, Any]:
        if self.config.fetch != "browser":
            return {}
        from crawler.browser import request_meta

        return request_meta(self.config, self.run.ctx.settings)

    def listing_request(self, url: str, page_no: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, meta=self.fetch_meta(),
                              cb_kwargs={"page_no": page_no, "listing_url": url})

    def on_error(self, failure) -> None:
        """Download failures: counted and named in the run's message; the crawl goes on."""
        from scrapy.exceptions import IgnoreRequest

        if failure.check(IgnoreRequest):
            return  # robots.txt, the circuit breaker or a classified response: already accounted for
        request = getattr(failure, "request", None)
        self.run.record_error(f"{getattr(request, 'url', '?')}: {failure.getErrorMessage()[:200]}")

    # --- callbacks ---------------------------------------------------------------------------
    def parse_listing(self, response, page_no: int, listing_url: str):
        listing = self.config.listing
        self.run.listing_pages += 1
        try:
            root, nodes = self.listing_nodes(response)
        except extract.PageDataError as exc:
            self.run.record_error(f"{response.url}: {exc}")
            return
        entries = [extract.extract_fields(n, listing.fields, listing.format, response.url) for n in nodes]
        entries = [e for e in entries if e.get("url") or e.get("id")]
        if not entries:
            self.run.empty_listing_pages += 1
            log.info("%s: no items on %s (page %d)", self.name, response.url, page_no)
        for fields in entries:
            yield from self.follow_or_emit(fields, response)
        next_request = self.next_listing(response, root, entries, page_no, listing_url)
        if next_request is not None:
            yield next_request

    def listing_nodes(self, response) -> tuple[Any, list[Any]]:
        listing = self.config.listing
        if listing.format == "json":
            data = extract.parse_json(response.text)
            return data, extract.json_items(data, listing.items)
        root = scrapy.Selector(response)
        return root, extract.html_items(root, listing.items)

    def follow_or_emit(self, fields: dict[str, Any], response):
        if self.config.detail and fields.get("url"):
            yield scrapy.Request(fields["url"], callback=self.parse_detail, errback=self.on_error,
                                 meta=self.fetch_meta(), cb_kwargs={"listing": fields})
        else:
            yield self.make_item(fields, response)

    def parse_detail(self, response, listing: dict[str, Any]):
        detail = self.config.detail
        if detail.format == "json":
            try:
                node = extract.parse_json(response.text)
            except extract.PageDataError as exc:
                self.run.record_error(f"{response.url}: {exc}")
                return
        else:
            node = scrapy.Selector(response)
        found = extract.extract_fields(node, detail.fields, detail.format, response.url)
        merged = {**listing, **{k: v for k, v in found.items() if v not in (None, "", [])}}
        merged.setdefault("url", response.url)
        yield self.make_item(merged, response)

    def make_item(self, fields: dict[str, Any], response) -> PostItem:
        return PostItem(**fields, source=self.name, page=PageRecord.from_response(response))

    def robots_allow(self, url: str) -> bool:
        return _robots_allow(self.crawler, url)

    # --- paging ------------------------------------------------------------------------------
    def next_listing(self, response, root, entries: list[dict], page_no: int, listing_url: str):
        listing = self.config.listing
        if not entries or page_no >= listing.max_pages or listing.next_page is None:
            return None
        if self.config.incremental and self.all_seen(entries):
            log.info("%s: page %d holds only posts already seen; stopping (incremental)", self.name, page_no)
            return None
        paging = listing.next_page
        if isinstance(paging, PageParam):
            if paging.end and extract.first_value(root, paging.end, listing.format):
                return None
            value = paging.start + paging.step * page_no
            return self.listing_request(add_or_replace_parameter(listing_url, paging.param, str(value)), page_no + 1)
        target = extract.first_value(root, paging, listing.format)
        if not target:
            return None
        url = urljoin(response.url, target)
        return self.listing_request(url, page_no + 1)

    def all_seen(self, entries: list[dict]) -> bool:
        """True when every post on the page that may be fetched is already known."""
        keys = []
        for fields in entries:
            if self.config.detail and fields.get("url") and not self.robots_allow(fields["url"]):
                continue  # a detail page robots.txt forbids is never stored, so never "seen"
            try:
                keys.append(post_key(fields))
            except ValueError:
                return False
        if not keys:
            return False
        seen = self.run.known(keys)
        self.run.seen_keys.update(keys)
        return len(seen) == len(set(keys))


def _robots_allow(crawler, url: str) -> bool:
    """What robots.txt (already fetched for this host) says about ``url``; True when unknown."""
    from urllib.parse import urlsplit

    from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

    middleware = crawler.get_downloader_middleware(RobotsTxtMiddleware)
    if middleware is None:
        return True
    parser = middleware._parsers.get(urlsplit(url).netloc)
    if parser is None or not hasattr(parser, "allowed"):
        return True
    agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
    return parser.allowed(url, agent)


def _shared_context(settings):
    """The runner's AppContext, or one built from FIREWATCH_* variables under `scrapy crawl`."""
    shared = settings.get("FIREWATCH_CONTEXT")
    if shared is not None:
        return shared.ctx
    from firewatch.core.context import AppContext

    return AppContext.from_overrides()
