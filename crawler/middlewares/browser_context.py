"""Put each browser request into the current generation of its source's browser context, right
before it is downloaded, and retire generations as their requests come back (see
``ContextRotator``: contexts are recycled to bound memory over long crawls)."""

from __future__ import annotations

from crawler.browser import ContextRotator

ASSIGNED = "firewatch_context"


class BrowserContextMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.pages_per_context = crawler.settings.getint("FIREWATCH_BROWSER_CONTEXT_PAGES", 100)
        self.rotators: dict[str, ContextRotator] = {}

    @classmethod
    def from_crawler(cls, crawler) -> "BrowserContextMiddleware":
        return cls(crawler)

    def process_request(self, request, spider=None):
        if not request.meta.get("playwright"):
            return None
        from scrapy_playwright.page import PageMethod

        base = request.meta.setdefault("firewatch_context_base", request.meta.get("playwright_context", "default"))
        rotator = self.rotators.setdefault(base, ContextRotator(base, self.pages_per_context))
        name = rotator.assign()
        request.meta["playwright_context"] = request.meta[ASSIGNED] = name
        methods = [m for m in request.meta.get("playwright_page_methods", [])
                   if getattr(m.method, "__self__", None) is not rotator]  # a retried request
        request.meta["playwright_page_methods"] = [PageMethod(rotator.watch, context_name=name), *methods]
        return None

    def process_response(self, request, response, spider=None):
        self._done(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self._done(request)
        return None

    def _done(self, request) -> None:
        name = request.meta.pop(ASSIGNED, None)
        base = request.meta.get("firewatch_context_base")
        if name is not None and base in self.rotators:
            self.rotators[base].done(name)
