"""One background thread per crawl for the store side of the pipelines (WARC, dedupe/version,
classify, store). Scrapy's reactor thread keeps downloading and parsing meanwhile, and all
database writes of a run happen on this one thread, in item order."""

from __future__ import annotations

from typing import Any, Callable

from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool


class StoreWorker:
    def __init__(self, name: str):
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name=f"store-{name}")
        self.started = False

    def start(self) -> None:
        if not self.started:
            self.pool.start()
            self.started = True

    def submit(self, fn: Callable[..., Any], *args: Any):
        """A Deferred firing (on the reactor thread) with ``fn(*args)`` run on the worker."""
        from twisted.internet import reactor  # imported late: Scrapy installs the asyncio reactor first

        self.start()
        return deferToThreadPool(reactor, self.pool, fn, *args)

    def stop(self) -> None:
        if self.started:
            self.pool.stop()
            self.started = False
