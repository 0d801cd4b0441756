"""Several machines, one crawl: `firewatch crawl --redis URL SOURCE` on each machine shares one
request queue and one duplicate filter per source in Redis (scrapy-redis).

- Keys: ``{prefix}:{source}:requests`` (the queue) and ``{prefix}:{source}:dupefilter``.
- The first worker's start requests are queued; the others' are filtered as duplicates, so every
  page is fetched once by whichever worker pops it. Each worker keeps its own CrawlRun.
- A worker stops once the shared queue has stayed empty, and it has had nothing to do, for
  ``redis_idle_seconds`` (setting) seconds: another worker may still be parsing a page that adds work.
- Keys expire ``redis_ttl_seconds`` (setting) seconds after the last worker's last page, so tomorrow's
  crawl fetches the listing pages again; ``firewatch crawl --redis-reset SOURCE`` clears them now.
- Politeness (delay, concurrency) is per worker: N workers hit a site up to N times as often.
- Browser sources are refused: Playwright pages and contexts cannot travel through Redis, and a
  logged-in browser profile belongs to one machine.
"""

from __future__ import annotations

import logging
import re
import socket
import time
from typing import Any, Iterable

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

log = logging.getLogger(__name__)

KEY_PREFIX = "firewatch"
IDLE_SECONDS = 30.0  # longer than one page takes elsewhere, so a worker does not leave too early
TTL_SECONDS = 3600  # after the last page of a crawl; a crawl the next day starts afresh
IDLE_POLL_SECONDS = 1.0  # how often an idle worker looks at the shared queue (Scrapy's own: 5 s)
TOUCH_EVERY_SECONDS = 30.0


class DistributedError(Exception):
    """Distributed crawling cannot run as asked; the message is for the officer (Chinese)."""


def queue_keys(prefix: str, source: str) -> tuple[str, str]:
    """The Redis keys of one source's shared queue and duplicate filter."""
    return f"{prefix}:{source}:requests", f"{prefix}:{source}:dupefilter"


def redis_settings(redis_url: str, prefix: str = KEY_PREFIX, idle_seconds: float = IDLE_SECONDS,
                   ttl_seconds: int = TTL_SECONDS) -> dict[str, Any]:
    """Scrapy settings that put every source's requests into its shared Redis queue."""
    if not prefix.strip(":") or "%" in prefix:
        raise DistributedError(f"Redis 键前缀无效: {prefix!r}")
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # the queue outlives any one worker
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        # scrapy-redis' own idle wait is a blocking pop that would stall the whole reactor.
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "REDIS_URL": redis_url,
        "EXTENSIONS": {"crawler.distributed.SharedQueueWorker": 500},
        "FIREWATCH_REDIS_PREFIX": prefix,
        "FIREWATCH_REDIS_IDLE": idle_seconds,
        "FIREWATCH_REDIS_TTL": ttl_seconds,
    }


def connect(redis_url: str):
    """A Redis client that answered a PING, or DistributedError naming the URL."""
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=30)
        client.ping()
    except (redis.RedisError, ValueError) as exc:
        raise DistributedError(f"无法连接 Redis ({masked(redis_url)}): {exc}") from exc
    return client


def masked(redis_url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", redis_url)


def shareable_sources(sources: list[Any], all_sources: bool) -> tuple[list[Any], str]:
    """The sources a shared-queue crawl may take, and a notice about those it skipped.

    Browser sources cannot be shared (their requests carry Playwright objects, and the login
    lives in one machine's profile): named ones are refused, ``--all`` skips them with a notice.
    """
    browser = [s.name for s in sources if s.config.fetch == "browser"]
    advice = (f"请在保存了登录状态的那台机器上单独爬取: firewatch crawl {' '.join(browser)} --redis ''"
              "（--redis '' 忽略 FIREWATCH_REDIS_URL）")
    if browser and not all_sources:
        raise DistributedError(f"浏览器来源不支持多机共享队列爬取: {', '.join(browser)}；{advice}")
    rest = [s for s in sources if s.config.fetch != "browser"]
    if not rest:
        raise DistributedError(f"没有可多机共享爬取的来源（浏览器来源: {', '.join(browser)}）；{advice}")
    notice = f"已跳过浏览器来源（不支持多机共享队列）: {', '.join(browser)}；{advice}" if browser else ""
    return rest, notice


def reset_source(client, prefix: str, source: str) -> int:
    """Delete one source's queue and duplicate filter; returns how many keys existed."""
    return int(client.delete(*queue_keys(prefix, source)))


class SharedQueueWorker:
    """Scrapy extension for one worker of a shared-queue crawl: waits while other workers may
    still add requests, polls the queue meanwhile, and keeps the keys' expiry fresh."""

    def __init__(self, crawler, idle_seconds: float, ttl_seconds: int):
        self.crawler = crawler
        self.idle_seconds, self.ttl_seconds = idle_seconds, ttl_seconds
        self.idle_since: float | None = None
        self.last_touch = 0.0
        self.poll_pending = False
        self.server = None
        self.keys: tuple[str, str] = ("", "")

    @classmethod
    def from_crawler(cls, crawler) -> "SharedQueueWorker":
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("no shared queue")
        worker = cls(crawler, settings.getfloat("FIREWATCH_REDIS_IDLE", IDLE_SECONDS),
                     settings.getint("FIREWATCH_REDIS_TTL", TTL_SECONDS))
        crawler.signals.connect(worker.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(worker.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(worker.response_received, signal=signals.response_received)
        crawler.signals.connect(worker.spider_closed, signal=signals.spider_closed)
        return worker

    def spider_opened(self, spider) -> None:
        from scrapy_redis.connection import from_settings

        self.server = from_settings(self.crawler.settings)
        self.keys = queue_keys(self.crawler.settings["FIREWATCH_REDIS_PREFIX"], spider.name)
        run = getattr(spider, "run", None)
        if run is not None:
            run.notes.append(f"多机共享队列 {self.keys[0]}（本机 {socket.gethostname()}）")

    def response_received(self, response, request, spider) -> None:
        self.idle_since = None
        self.touch()

    def spider_idle(self, spider) -> None:
        """Stay open until the shared queue has been empty for ``idle_seconds``."""
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_seconds:
            self.poll_soon()
            raise DontCloseSpider
        run = getattr(spider, "run", None)
        if run is not None and run.pages == 0:
            run.notes.append("本机没有分到页面（其他机器已完成全部请求）")

    def spider_closed(self, spider, reason: str) -> None:
        self.touch(force=True)

    def poll_soon(self) -> None:
        """Ask the engine to look at the queue again in a second instead of Scrapy's 5 s."""
        if self.poll_pending:
            return
        from twisted.internet import reactor

        self.poll_pending = True
        reactor.callLater(IDLE_POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        self.poll_pending = False
        slot = getattr(self.crawler.engine, "_slot", None)  # no public "look again" in Scrapy
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()

    def touch(self, force: bool = False) -> None:
        """Push the keys' expiry ``ttl_seconds`` past now (at most every 30 s)."""
        now = time.monotonic()
        if self.server is None or (not force and now - self.last_touch < TOUCH_EVERY_SECONDS):
            return
        self.last_touch = now
        try:
            for key in self.keys:
                self.server.expire(key, self.ttl_seconds)
        except Exception as exc:  # the crawl goes on; the reset command clears keys by hand
            log.warning("could not set expiry on %s: %s", self.keys, exc)
