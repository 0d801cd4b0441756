"""Per-source Scrapy settings from the YAML `politeness` block (and `fetch: browser`)."""

from __future__ import annotations

from typing import Any

from firewatch.core.sources import SourceConfig


def source_settings(config: SourceConfig, settings) -> dict[str, Any]:
    """Delay, concurrency, robots.txt, AutoThrottle and User-Agent for one source."""
    polite = config.politeness
    values: dict[str, Any] = {
        "DOWNLOAD_DELAY": polite.delay,
        "CONCURRENT_REQUESTS": max(polite.concurrency, 1),
        "CONCURRENT_REQUESTS_PER_DOMAIN": polite.concurrency,
        "ROBOTSTXT_OBEY": polite.obey_robots,
        "AUTOTHROTTLE_ENABLED": polite.autothrottle and polite.delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(polite.delay, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, polite.delay * 10),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(polite.concurrency),
        "DOWNLOAD_TIMEOUT": polite.timeout,
        "USER_AGENT": polite.user_agent or settings.get("FIREWATCH_USER_AGENT") or _default_agent(),
    }
    if config.fetch == "browser":
        from crawler.browser import browser_settings

        values.update(browser_settings(config, _chromium(settings)))
    return values


def _default_agent() -> str:
    from firewatch.core.settings import load_settings

    return load_settings().user_agent


def _chromium(settings) -> str | None:
    configured = settings.get("FIREWATCH_CHROMIUM")
    if configured is not None:
        return configured or None
    from firewatch.core.settings import load_settings

    return load_settings().resolved_chromium()
