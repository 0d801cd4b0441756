"""Write the raw response of every page that yielded a post into the run's WARC file, once per
page (a listing page with twenty posts is one record), and note where it lies on the item."""

from __future__ import annotations

from collections import OrderedDict

from crawler.pipelines import run_of

CACHE_PAGES = 64


class WarcPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self._written: OrderedDict[int, object] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler) -> "WarcPipeline":
        return cls(crawler)

    async def process_item(self, item, spider=None):
        run = run_of(self, spider)
        return await run.worker.run(self._write, item, run)

    def _write(self, item, run):
        page = item.get("page")
        if page is None:
            return item
        location = self._written.get(id(page))
        if location is None:
            location = run.warc().write_exchange(
                page.url, status=page.status, response_headers=page.response_headers, body=page.body,
                request_headers=page.request_headers, method=page.method, fetched_at=page.fetched_at,
            )
            self._remember(page, location)
        item["warc"] = location
        return item

    def _remember(self, page, location) -> None:
        # Keyed by object identity; the page is kept alive with it so the id cannot be reused.
        self._written[id(page)] = location
        self._pages = getattr(self, "_pages", OrderedDict())
        self._pages[id(page)] = page
        while len(self._written) > CACHE_PAGES:
            oldest, _ = self._written.popitem(last=False)
            self._pages.pop(oldest, None)
