"""What the spider yields: a post's fields plus the page it came from (for the WARC record)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import scrapy

from firewatch.core.sources import FIELD_NAMES


@dataclass
class PageRecord:
    """The raw exchange that yielded a post, kept until the WARC pipeline has written it."""

    url: str
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    request_headers: list[tuple[str, str]]
    method: str = "GET"
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @classmethod
    def from_response(cls, response) -> "PageRecord":
        return cls(
            url=response.url,
            status=response.status,
            response_headers=_body_headers(_pairs(response.headers), len(response.body)),
            body=response.body,
            request_headers=_pairs(response.request.headers) if response.request else [],
            method=response.request.method if response.request else "GET",
        )


# The body Scrapy hands over is already decompressed (and, from a browser, the rendered page):
# headers that describe the wire form would make the WARC record contradict its own payload.
WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def _body_headers(pairs: list[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    kept = [(k, v) for k, v in pairs if k.lower() not in WIRE_HEADERS]
    return [*kept, ("Content-Length", str(length))]


def _pairs(headers) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in headers.items()
        for value in values
    ]


class PostItem(scrapy.Item):
    """A post as extracted; pipelines add ``key``, ``ingest`` and ``verdict`` as they go."""

    for _name in FIELD_NAMES:
        locals()[_name] = scrapy.Field()
    del _name
    source = scrapy.Field()
    page = scrapy.Field(serializer=lambda page: page.url)
    key = scrapy.Field()
    warc = scrapy.Field(serializer=str)
    ingest = scrapy.Field(serializer=lambda result: result.outcome)
    verdict = scrapy.Field()

    def post_fields(self) -> dict:
        return {name: self.get(name) for name in FIELD_NAMES if self.get(name) not in (None, "", [])}
