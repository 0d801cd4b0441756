"""Clean and validate: folded text, parsed dates, a post identity, something to read."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.dates import parse_date
from crawler.extract import fold
from crawler.pipelines import run_of
from firewatch.core.store.ingest import post_key

MAX_TEXT = 100_000
TEXT_FIELDS = ("title", "text", "author", "author_id", "location", "price", "id")
# Column sizes of firewatch.core.store.models.Post: longer values are cut, never refused by the database.
COLUMN_LIMITS = {"author": 255, "author_id": 255, "location": 255, "price": 255}


class CleanPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> "CleanPipeline":
        return cls(crawler)

    def process_item(self, item, spider=None):
        run = run_of(self, spider)
        for name in TEXT_FIELDS:
            if item.get(name) is not None:
                item[name] = fold(str(item[name]))[:COLUMN_LIMITS.get(name, MAX_TEXT)]
        published = item.get("published_at")
        item["published_at"] = parse_date(published) if published not in (None, "") else None
        if not (item.get("title") or item.get("text")):
            run.record_error(f"{item.get('url') or item.get('id')}: 没有标题或正文，已跳过")
            raise DropItem("no title or text")
        try:
            item["key"] = post_key(item.post_fields())
        except ValueError:
            run.record_error("条目既没有 id 也没有 url，已跳过")
            raise DropItem("no id or url") from None
        run.items += 1
        return item
