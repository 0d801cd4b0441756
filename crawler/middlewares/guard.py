"""Classify every response before any callback sees it, and run the circuit breaker.

On captcha, login wall, rate limit or block the source stops at once: the run records why, no
further request of that source is sent, and nothing from the page is parsed. A 404 drops only
that page (posts get deleted all the time); an undeclared encoding is fixed here too.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.defer import deferred_from_coro

from crawler.status import (
    CAPTCHA, EMPTY, LOGIN_REQUIRED, NOT_FOUND, OK, RATE_LIMITED, SERVER_ERROR, classify_response,
)

log = logging.getLogger(__name__)

IMAGE_META = "firewatch_image"  # set on requests for post images (crawler/pipelines/ocr.py)


class ResponseGuardMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> "ResponseGuardMiddleware":
        return cls(crawler)

    def process_request(self, request, spider=None):
        run = _run(self.crawler)
        if run is not None and run.tripped and not _is_robots(request):
            raise IgnoreRequest(f"source stopped: {run.breaker_status}")
        return None

    def process_response(self, request, response, spider=None):
        run = _run(self.crawler)
        if run is None or _is_robots(request):
            return response
        response = self._decoded(response, run.config.encoding)
        verdict = classify_response(
            response.status, response.url, _text(response),
            redirected_from=_redirected_from(request, response),
            headers={k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v},
            extra_markers=run.config.blocked_markers,
        )
        if request.meta.get(IMAGE_META):
            # Post images (for OCR) are not pages; a missing or hotlink-protected image is the OCR
            # pipeline's business, but a captcha, login wall or rate limit still stops the source.
            if verdict.status not in (CAPTCHA, LOGIN_REQUIRED, RATE_LIMITED):
                return response
        else:
            run.pages += 1
        if verdict.status in (OK, EMPTY):
            return response
        if verdict.status in (NOT_FOUND, SERVER_ERROR):
            if verdict.status == SERVER_ERROR and request.meta.get("retry_times", 0) < 1:
                return response  # let RetryMiddleware try once more
            run.record_error(f"{response.url}: {verdict.reason}")
            raise IgnoreRequest(verdict.reason)
        log.warning("%s: %s at %s — stopping this source", run.config.name, verdict.status, response.url)
        where = "" if response.url in verdict.reason else f"（{response.url}）"
        run.trip(verdict.status, verdict.reason + where)
        self._stop(verdict.status)
        raise IgnoreRequest(verdict.reason)

    def _stop(self, status: str) -> None:
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=status))

    @staticmethod
    def _decoded(response, encoding: str | None):
        if encoding and isinstance(response, TextResponse):
            return response.replace(encoding=encoding)
        return response


def _run(crawler):
    spider = getattr(crawler, "spider", None)
    return getattr(spider, "run", None) if spider is not None else None


def _redirected_from(request, response) -> tuple[str, ...]:
    """URLs a redirect came through; a browser follows redirects itself, so compare URLs too."""
    urls = tuple(request.meta.get("redirect_urls", ()))
    if not urls and response.url.split("#")[0] != request.url.split("#")[0]:
        urls = (request.url,)
    return urls


def _is_robots(request) -> bool:
    return request.url.endswith("/robots.txt") and request.meta.get("dont_obey_robotstxt", False)


def _text(response) -> str:
    if isinstance(response, TextResponse):
        try:
            return response.text
        except Exception:  # undecodable bytes: markers cannot be read, the status code still counts
            return ""
    return response.body[:1000].decode("utf-8", "replace")
