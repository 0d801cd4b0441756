"""Browser settings per source: Debian's Chromium when present, Playwright's own otherwise."""

from __future__ import annotations

from crawler.browser import BROWSER_ARGS, HANDLER, browser_settings, launch_options
from firewatch.core.sources import SourceConfig


def test_launch_options_omit_missing_executable():
    assert launch_options(None) == {"headless": True, "args": BROWSER_ARGS}
    assert launch_options("/usr/bin/chromium")["executable_path"] == "/usr/bin/chromium"
    assert BROWSER_ARGS == ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def test_browser_source_settings():
    config = SourceConfig.model_validate({
        "name": "feed", "platform": "xiaohongshu", "fetch": "browser", "start_urls": ["https://x.test/"],
        "listing": {"items": "section", "fields": {"url": "a::attr(href)"}},
        "politeness": {"concurrency": 3},
    })
    assert config.browser is not None and config.browser.scroll == 0  # defaults filled in
    settings = browser_settings(config, None)
    assert settings["DOWNLOAD_HANDLERS"] == {"http": HANDLER, "https": HANDLER}
    assert "executable_path" not in settings["PLAYWRIGHT_LAUNCH_OPTIONS"]
    assert settings["PLAYWRIGHT_MAX_PAGES_PER_CONTEXT"] == 3
