"""Dedupe and version: upsert the post by (source, id) or canonical URL; new text, new version."""

from __future__ import annotations

from crawler.pipelines import run_of
from firewatch.core.store.ingest import ingest_post


class DedupePipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> "DedupePipeline":
        return cls(crawler)

    async def process_item(self, item, spider=None):
        run = run_of(self, spider)
        return await run.worker.run(self._ingest, item, run)

    def _ingest(self, item, run):
        with run.database_errors_dropped(item):
            return self._ingest_item(item, run)

    def _ingest_item(self, item, run):
        page = item.get("page")
        result = ingest_post(
            run.session, run.source, item.post_fields(), run_id=run.run.id,
            fetched_at=page.fetched_at if page else None, warc=item.get("warc"),
        )
        run.seen_keys.add(item["key"])
        if result.outcome == "new":
            run.new_items += 1
        elif result.outcome == "updated":
            run.updated_items += 1
        item["ingest"] = result
        item["page"] = None  # the raw body is in the WARC now; do not keep it in memory
        return item
