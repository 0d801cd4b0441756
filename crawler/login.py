"""Save a logged-in browser session (Playwright storage_state) for a browser source.

An officer logs in by hand in the window that opens (a captcha is never solved by firewatch);
when the window is closed or ``wait_seconds`` pass, cookies and local storage are saved to the
source's ``browser.storage_state`` file, which its crawls then load.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from crawler.browser import launch_options
from firewatch.core.sources import SourceConfig
from firewatch.core.context import AppContext


def state_path(ctx: AppContext, config: SourceConfig) -> Path:
    """Where the source's login lives: inside the home (``secrets/…``), never elsewhere."""
    return ctx.settings.in_home(config.browser.storage_state)


def save_login_state(ctx: AppContext, config: SourceConfig, *, url: str | None = None,
                     headless: bool = False, wait_seconds: int = 300) -> Path:
    target = state_path(ctx, config)
    start = url or config.start_urls[0].replace("{keyword}", "")
    asyncio.run(_login(start, target, ctx.settings.resolved_chromium(), headless, wait_seconds))
    return target


async def _login(url: str, target: Path, chromium: str | None, headless: bool, wait_seconds: int) -> None:
    from playwright.async_api import async_playwright

    options = launch_options(chromium)
    options["headless"] = headless
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**options)
        try:
            context = await browser.new_context(storage_state=str(target) if target.exists() else None)
            page = await context.new_page()
            await page.goto(url, wait_until="domcontentloaded")
            await _wait_until_closed(page, wait_seconds)
            target.parent.mkdir(parents=True, exist_ok=True)
            await context.storage_state(path=str(target))
            target.chmod(0o600)  # it holds session cookies
        finally:
            await browser.close()


async def _wait_until_closed(page, wait_seconds: int) -> None:
    try:
        await page.wait_for_event("close", timeout=wait_seconds * 1000)
    except Exception:  # timeout: save whatever state the officer reached
        pass
