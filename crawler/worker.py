"""One background thread per crawl for the store side of the pipelines (WARC, dedupe/version,
classify, store). Scrapy's reactor thread keeps downloading and parsing meanwhile, and all
database writes of a run happen on this one thread, in item order."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable


class StoreWorker:
    def __init__(self, name: str):
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"store-{name}")

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` on the worker thread, awaited on the crawl's asyncio loop."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def stop(self) -> None:
        """Called from the crawl's thread once the run is closed; waits for queued work."""
        self.executor.shutdown(wait=True)
