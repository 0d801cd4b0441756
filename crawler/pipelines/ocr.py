"""Read the text in a new or changed post's images, so a price list posted as a picture is
classified like text (sources with ``ocr: {enabled: true}`` only).

Images are fetched through Scrapy's own downloader (robots.txt, delay, User-Agent and the
response guard apply), each response is written into the run's WARC so the evidence exists, and
the joined text goes into ``ocr_text`` of the post and its new version before classify runs. An
image that cannot be fetched or read is logged and counted; it never stops the crawl.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache

from scrapy import Request

from crawler.items import PageRecord
from crawler.middlewares.guard import IMAGE_META
from crawler.pipelines import run_of
from crawler.ocr import OcrEngine

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def shared_engine() -> OcrEngine:
    """One engine per process: its models take about a second to load."""
    return OcrEngine()


class OcrPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.read = self.failed = 0

    @classmethod
    def from_crawler(cls, crawler) -> "OcrPipeline":
        return cls(crawler)

    async def process_item(self, item, spider=None):
        run = run_of(self, spider)
        result = item.get("ingest")
        if not run.config.ocr.enabled or result is None or result.version is None:
            return item  # unchanged posts keep the text read when they were new
        urls = _image_urls(item.get("images"))[:run.config.ocr.max_images]
        texts, images = [], []
        for url in urls:
            text, record = await self._read_image(url, run)
            images.append(record)
            if text:
                texts.append(text)
        await run.worker.run(_store_text, result, "\n".join(texts), images)
        return item

    async def _read_image(self, url: str, run) -> tuple[str, dict]:
        """The text of one image and what happened to it (its WARC record, or the error)."""
        try:
            request = Request(url, dont_filter=True, meta={IMAGE_META: True})
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # IgnoreRequest (404, robots.txt), DNS, timeout: counted, skipped
            return self._failure(url, f"下载失败: {exc or type(exc).__name__}")
        if response.status != 200:
            return self._failure(url, f"HTTP {response.status}")
        location = await run.worker.run(_write_warc, run, PageRecord.from_response(response))
        record = {"url": url, "warc_path": location.path, "warc_offset": location.offset,
                  "warc_record_id": location.record_id}
        engine = shared_engine()
        ocr = await asyncio.get_running_loop().run_in_executor(None, engine.read, response.body)
        if ocr.error:
            text, failure = self._failure(url, f"无法识别: {ocr.error}")
            return text, {**record, "error": failure["error"]}
        self.read += 1
        return ocr.text, record

    def _failure(self, url: str, message: str) -> tuple[str, dict]:
        self.failed += 1
        self.crawler.stats.inc_value("firewatch/ocr/failed")
        log.warning("image %s: %s", url, message)
        return "", {"url": url, "error": message[:300]}

    def close_spider(self, spider=None):
        """Say in the run's message how many images were read (before the run is closed)."""
        spider = spider or self.crawler.spider
        if self.read or self.failed:
            spider.run.notes.append(f"图片文字识别 {self.read} 张，失败 {self.failed} 张")


def _image_urls(images) -> list[str]:
    if isinstance(images, str):
        images = [images]
    urls = [u.strip() for u in images or [] if isinstance(u, str)]
    return list(dict.fromkeys(u for u in urls if u.startswith(("http://", "https://"))))


def _write_warc(run, page: PageRecord):
    return run.warc().write_exchange(
        page.url, status=page.status, response_headers=page.response_headers, body=page.body,
        request_headers=page.request_headers, method=page.method, fetched_at=page.fetched_at,
    )


def _store_text(result, text: str, images: list[dict]) -> None:
    """On the store worker: the text on the post and on the version it belongs to."""
    result.post.ocr_text = text
    result.version.ocr_text = text
    if images:
        result.version.fields = {**(result.version.fields or {}), "ocr_images": images}
