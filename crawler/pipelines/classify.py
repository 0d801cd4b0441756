"""Classify new and changed posts through the classifier library (no rules of our own here)."""

from __future__ import annotations

import logging

from crawler.classify_lib import ClassifierUnavailable, get_classifier
from crawler.pipelines import run_of

log = logging.getLogger(__name__)


class ClassifyPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.unavailable = ""

    @classmethod
    def from_crawler(cls, crawler) -> "ClassifyPipeline":
        return cls(crawler)

    async def process_item(self, item, spider=None):
        result = item.get("ingest")
        if result is None or result.version is None:
            return item  # unchanged text: its classification is still current
        run = run_of(self, spider)
        return await run.worker.run(self._classify, item, run)

    def _classify(self, item, run):
        result = item["ingest"]
        try:
            classifier = get_classifier(str(run.ctx.settings.config))
        except ClassifierUnavailable as exc:
            if not self.unavailable:
                self.unavailable = str(exc)
                log.error("%s — posts are stored unclassified", exc)
                run.notes.append(f"{exc}，帖子未分类")
            return item
        post = result.post
        verdict = classifier.classify(post.text, title=post.title, platform=post.platform,
                                      ocr=post.ocr_text or "")
        item["verdict"] = (verdict.to_dict(), classifier.version)
        return item
