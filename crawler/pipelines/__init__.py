"""Item pipelines, in order: clean → WARC → dedupe/version → OCR → classify → store."""


def run_of(pipeline, spider=None):
    """The RunState of the spider being crawled (pipelines hold their crawler)."""
    spider = spider or pipeline.crawler.spider
    return spider.run
