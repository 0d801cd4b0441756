"""Browser fetching through scrapy-playwright: launch options, request meta, and the
wait-then-scroll routine for infinite feeds. The handler opens and closes every page itself
(no ``playwright_include_page``), so no page can be left open by a callback or an errback."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from typing import Any

from firewatch.core.settings import Settings
from firewatch.core.sources import SourceConfig

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
BLOCKED_RESOURCES = frozenset({"image", "media", "font"})


def launch_options(chromium: str | None) -> dict[str, Any]:
    options: dict[str, Any] = {"headless": True, "args": list(BROWSER_ARGS)}
    if chromium:
        options["executable_path"] = chromium  # else Playwright's own browser
    return options


def browser_settings(config: SourceConfig, chromium: str | None) -> dict[str, Any]:
    """Scrapy settings a browser source needs on top of the project's."""
    browser = config.browser
    return {
        "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options(chromium),
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": config.politeness.concurrency,
        "PLAYWRIGHT_MAX_CONTEXTS": 4,  # the current one and retiring ones finishing their pages
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": int(browser.timeout * 1000),
        "PLAYWRIGHT_ABORT_REQUEST": should_abort if browser.block_resources else None,
    }


def should_abort(request) -> bool:
    """Skip images, fonts and media: they cost memory and are not evidence the crawler keeps."""
    return request.resource_type in BLOCKED_RESOURCES


class ContextRotator:
    """Give each browser context a bounded life: after ``pages_per_context`` downloads new pages
    go to a fresh context, and a retired context is closed once every request given to it has
    come back. Chromium's per-context caches then cannot grow for the whole crawl. Driven by
    ``BrowserContextMiddleware`` at download time, so generations follow the real page order."""

    def __init__(self, base_name: str, pages_per_context: int):
        self.base_name, self.pages_per_context = base_name, pages_per_context
        self.assigned = 0
        self.closed_contexts = 0
        self._outstanding: dict[str, int] = {}
        self._contexts: dict[str, Any] = {}

    @property
    def current(self) -> str:
        return f"{self.base_name}-{self.assigned // self.pages_per_context}"

    def assign(self) -> str:
        name = self.current
        self.assigned += 1
        self._outstanding[name] = self._outstanding.get(name, 0) + 1
        return name

    async def watch(self, page, context_name: str) -> None:
        """A page method: remember which Playwright context serves ``context_name``."""
        self._contexts[context_name] = page.context

    def done(self, context_name: str) -> None:
        """A request of ``context_name`` came back (its page is closed by then)."""
        self._outstanding[context_name] = self._outstanding.get(context_name, 1) - 1
        for name, count in list(self._outstanding.items()):
            if count <= 0 and name != self.current:
                del self._outstanding[name]
                context = self._contexts.pop(name, None)
                if context is not None:
                    self.closed_contexts += 1
                    asyncio.ensure_future(_close_quietly(context))


async def _close_quietly(context) -> None:
    try:
        await context.close()
    except Exception:  # already closed with the browser: nothing left to free
        pass


def request_meta(config: SourceConfig, settings: Settings) -> dict[str, Any]:
    from scrapy_playwright.page import PageMethod

    browser = config.browser
    meta: dict[str, Any] = {
        "playwright": True,
        "playwright_context": f"source-{config.name}",  # BrowserContextMiddleware adds a generation
        "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded"},
        "playwright_page_methods": [
            PageMethod(partial(settle_page, wait_for=browser.wait_for, scroll=browser.scroll,
                               timeout_ms=browser.timeout * 1000)),
        ],
    }
    if browser.storage_state:
        meta["playwright_context_kwargs"] = {"storage_state": str(settings.in_home(browser.storage_state))}
    return meta


async def settle_page(page, *, wait_for: str | None, scroll: int, timeout_ms: float) -> None:
    """Wait for the content, then scroll to the end up to ``scroll`` times while the page grows.

    A missing ``wait_for`` is not an error here: the page may be a captcha or a login wall,
    which the response classifier must see rather than a timeout.
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    if wait_for:
        try:
            await page.wait_for_selector(wait_for, timeout=timeout_ms)
        except PlaywrightTimeout:
            return
    for _ in range(scroll):
        height = await page.evaluate("document.body.scrollHeight")
        await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        try:
            await page.wait_for_function(
                "h => document.body.scrollHeight > h", arg=height, timeout=min(timeout_ms, 5000))
        except PlaywrightTimeout:
            break  # nothing new appeared: the feed has ended
