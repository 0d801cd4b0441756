"""Store: the verdict against the post and its version, then a batched commit."""

from __future__ import annotations

from crawler.pipelines import run_of
from firewatch.core.store.verdicts import apply_verdict


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> "StorePipeline":
        return cls(crawler)

    async def process_item(self, item, spider=None):
        run = run_of(self, spider)
        return await run.worker.run(self._store, item, run)

    def _store(self, item, run):
        with run.database_errors_dropped(item):
            return self._store_item(item, run)

    def _store_item(self, item, run):
        result, verdict = item.get("ingest"), item.get("verdict")
        if result is not None and verdict is not None:
            data, classifier_version = verdict
            apply_verdict(run.session, result.post, data, classifier_version,
                          result.version.id if result.version else None)
        run.item_stored()
        return item
