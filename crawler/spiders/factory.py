"""Make one Scrapy spider class per YAML source: the generic spider plus that source's config."""

from __future__ import annotations

from firewatch.core.sources import LoadedSource
from crawler.spiders.source_spider import SourceSpider


def spider_class(loaded: LoadedSource) -> type[SourceSpider]:
    class_name = "Spider_" + loaded.name.replace("-", "_")
    return type(class_name, (SourceSpider,), {"name": loaded.name, "loaded": loaded,
                                              "__doc__": f"Crawls source {loaded.name} ({loaded.path})."})
