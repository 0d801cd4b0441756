"""Run crawls from Python: ``crawl_sources(ctx, sources, progress)`` — used by `firewatch crawl`.

Sources run one after another (each keeps its own politeness), so a SQLite database only ever
sees one writer from this process. Twisted's reactor cannot be restarted: call this once per
process (the CLI and `firewatch demo` run crawls in a subprocess for that reason).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.settings import Settings

from crawler.run import RunSummary
from firewatch.core.sources import LoadedSource
from firewatch.core.context import AppContext


class SharedContext:
    """Carries the AppContext through Scrapy settings, which deep-copy their values."""

    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def __deepcopy__(self, memo) -> "SharedContext":
        return self


def scrapy_settings(ctx: AppContext, overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("FIREWATCH_CONTEXT", SharedContext(ctx), priority="cmdline")
    settings.set("FIREWATCH_SOURCES_DIR", str(ctx.settings.sources_dir), priority="cmdline")
    settings.set("FIREWATCH_USER_AGENT", ctx.settings.user_agent, priority="cmdline")
    settings.set("FIREWATCH_CHROMIUM", ctx.settings.resolved_chromium() or "", priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def crawl_sources(
    ctx: AppContext,
    sources: list[LoadedSource],
    progress: bool = False,
    settings: dict[str, Any] | None = None,
) -> list[RunSummary]:
    """Crawl each source in turn and return one summary per source, in order."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.reactor import install_reactor, is_reactor_installed

    ctx.ensure_schema()
    process = CrawlerProcess(scrapy_settings(ctx, {"LOG_INSTALL_ROOT_HANDLER": True, **(settings or {})}))
    if not is_reactor_installed():
        install_reactor(process.settings["TWISTED_REACTOR"])
    from twisted.internet import reactor

    summaries: list[RunSummary] = []
    crawlers: list[Any] = []
    display = _progress_display(crawlers) if progress else None
    reactor.callWhenRunning(_run_in_turn, process, sources, crawlers, summaries, display)
    if display is not None:
        display.start()
    process.start(stop_after_crawl=False)
    return summaries


def _run_in_turn(process, sources, crawlers, summaries, display):
    """One crawl after the other; a source that fails is recorded and the next one still runs."""
    from twisted.internet import defer, reactor

    from crawler.spiders.factory import spider_class

    @defer.inlineCallbacks
    def run_all():
        try:
            for loaded in sources:
                crawler = process.create_crawler(spider_class(loaded))
                crawlers.append(crawler)
                try:
                    yield process.crawl(crawler)
                except Exception as exc:
                    logging.getLogger(__name__).exception("crawl of %s failed", loaded.name)
                    _abandon(crawler, exc)
                summaries.append(_summary_of(crawler, loaded))
        finally:
            if display is not None:
                display.stop()
            reactor.stop()

    return run_all()


def _summary_of(crawler, loaded: LoadedSource) -> RunSummary:
    spider = getattr(crawler, "spider", None)
    run = getattr(spider, "run", None)
    if run is not None and run.summary is not None:
        return run.summary
    return RunSummary(loaded.name, 0, "error", 0, 0, 0, 0, 1, "爬虫未能启动（见日志）", "")


def _abandon(crawler, exc: Exception) -> None:
    """Close the run of a crawl that raised, so it does not stay 'running' forever."""
    run = getattr(getattr(crawler, "spider", None), "run", None)
    if run is not None and run.session is not None and run.summary is None:
        run.record_error(f"{type(exc).__name__}: {exc}")
        run.close("error")
        run.worker.stop()


def _progress_display(crawlers: list[Any]):
    from crawler.progress import ProgressDisplay

    return ProgressDisplay(crawlers)
