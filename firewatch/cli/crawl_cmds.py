"""`firewatch crawl SOURCE... [--all]` and `firewatch login SOURCE`.

Exit codes (DESIGN.md): 0 ok, 2 bad source configuration (nothing crawled), 3 a source was
blocked / hit a captcha / needs login / was rate limited, 1 a source failed with an error.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from firewatch.cli import app
from firewatch.core.labels import RUN_STATUS
from firewatch.cli.common import EXIT_BAD_INPUT, EXIT_BLOCKED, EXIT_FAILURE, app_context, fail, write_jsonl


@app.command()
def crawl(
    sources: Optional[list[str]] = typer.Argument(None, help="Source names in config/sources, or YAML paths"),
    all_sources: bool = typer.Option(False, "--all", help="Crawl every enabled source"),
    json_lines: bool = typer.Option(False, "--json", help="Print one JSON summary a line"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Scrapy's log"),
    scrapy_set: Optional[list[str]] = typer.Option(None, "--set", "-s", help="Scrapy setting NAME=VALUE"),
    capture: Optional[bool] = typer.Option(
        None, "--capture/--no-capture",
        help="Screenshot newly flagged posts afterwards (default: the capture_after_crawl setting)"),
    redis: Optional[str] = typer.Option(
        None, "--redis", metavar="URL",
        help="Share each source's queue with workers on other machines (default: FIREWATCH_REDIS_URL; '' = off)"),
    redis_prefix: Optional[str] = typer.Option(
        None, "--redis-prefix", help="Prefix of the Redis keys (default: the redis_prefix setting)"),
    redis_reset: bool = typer.Option(
        False, "--redis-reset", help="Only clear the sources' shared queue and duplicate filter, then exit"),
) -> None:
    """Crawl sources; exit 0 ok, 2 bad config, 3 blocked/captcha/login required."""
    from firewatch.core.sources import SourceConfigError, resolve_sources

    ctx = app_context()
    if not sources and not all_sources:
        fail("请指定来源名称或 YAML 文件，或使用 --all (give SOURCE... or --all)", EXIT_BAD_INPUT)
    try:
        chosen = resolve_sources(list(sources or []), ctx.settings.sources_dir, all_sources=all_sources)
    except SourceConfigError as exc:
        fail(f"来源配置错误，未进行任何爬取: {exc}", EXIT_BAD_INPUT)
    if not chosen:
        fail(f"没有可用的来源: {ctx.settings.sources_dir}", EXIT_BAD_INPUT)
    _check_logins_in_home(ctx, chosen)
    redis_url = ctx.settings.redis_url if redis is None else redis
    redis_prefix = ctx.settings.redis_prefix if redis_prefix is None else redis_prefix
    if redis_reset:
        _reset_shared_queues(chosen, redis_url, redis_prefix)
        return
    from crawler.runner import crawl_sources

    progress = sys.stderr.isatty() and not json_lines
    log_file = ctx.settings.home / "logs" / "crawl.log"
    settings = {"LOG_LEVEL": "INFO", **({} if verbose else _log_to_file(log_file)), **_scrapy_settings(scrapy_set or [])}
    if redis_url:
        chosen, shared = _shared_queue_settings(ctx, chosen, all_sources, redis_url, redis_prefix)
        settings = {**shared, **settings}
    summaries = crawl_sources(ctx, chosen, progress=progress, settings=settings)
    _report(summaries, json_lines)
    if not verbose and not json_lines:
        typer.echo(f"详细日志: {log_file}")
    if ctx.settings.capture_after_crawl if capture is None else capture:
        _capture_flagged(ctx, quiet=json_lines)
    if any(s.blocked for s in summaries):
        raise typer.Exit(EXIT_BLOCKED)
    if any(s.status == "error" for s in summaries):
        raise typer.Exit(EXIT_FAILURE)


def _check_logins_in_home(ctx, chosen) -> None:
    """A saved login is a secret: it must live in the home (secrets/…), checked before crawling."""
    from firewatch.core.paths import OutsideHomeError

    for loaded in chosen:
        browser = loaded.config.browser
        if browser is None or not browser.storage_state:
            continue
        try:
            ctx.settings.in_home(browser.storage_state)
        except OutsideHomeError as exc:
            fail(f"来源配置错误，未进行任何爬取: {loaded.path}: browser.storage_state: {exc}", EXIT_BAD_INPUT)


def _shared_queue_settings(ctx, chosen, all_sources: bool, redis_url: str, prefix: str):
    """The sources and Scrapy settings of a worker in a several-machine crawl (crawler/distributed.py)."""
    from crawler.distributed import DistributedError, connect, redis_settings, shareable_sources

    try:
        chosen, notice = shareable_sources(chosen, all_sources)
        settings = redis_settings(redis_url, prefix, ctx.settings.redis_idle_seconds,
                                  ctx.settings.redis_ttl_seconds)
    except DistributedError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    try:
        connect(redis_url).close()
    except DistributedError as exc:
        fail(str(exc), EXIT_FAILURE)
    if notice:
        typer.echo(notice, err=True)
    return chosen, settings


def _reset_shared_queues(chosen, redis_url: str, prefix: str) -> None:
    from crawler.distributed import DistributedError, connect, queue_keys, reset_source

    if not redis_url:
        fail("--redis-reset 需要 Redis 地址: --redis URL 或 FIREWATCH_REDIS_URL", EXIT_BAD_INPUT)
    try:
        client = connect(redis_url)
    except DistributedError as exc:
        fail(str(exc), EXIT_FAILURE)
    for loaded in chosen:
        removed = reset_source(client, prefix, loaded.name)
        typer.echo(f"{loaded.name}: 已清空共享队列和去重记录 ({', '.join(queue_keys(prefix, loaded.name))}; 删除 {removed} 个键)")
    client.close()


def _capture_flagged(ctx, quiet: bool) -> None:
    """Evidence first: posts are deleted within days, so flagged ones are captured right away."""
    from firewatch.evidence.capture import capture_pending

    summary = capture_pending(ctx, progress=False)
    if summary.attempted and not quiet:
        typer.echo(f"取证截图: 成功 {summary.ok} 条，失败 {summary.failed} 条（失败的下次重试）")


def _log_to_file(path) -> dict[str, object]:
    """Scrapy's log goes to a file under the home folder; the terminal gets the summary only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return {"LOG_FILE": str(path), "LOG_FILE_APPEND": True}


def _scrapy_settings(pairs: list[str]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(f"--set 需要 NAME=VALUE 格式: {pair!r}", EXIT_BAD_INPUT)
        settings[name.strip()] = value
    return settings


def _report(summaries, json_lines: bool) -> None:
    if json_lines:
        write_jsonl(s.to_dict() for s in summaries)
        return
    for s in summaries:
        typer.echo(f"{s.source}: {RUN_STATUS.get(s.status, s.status)} ({s.status}) — 页 {s.pages}，"
                   f"条目 {s.items}，新增 {s.new_items}，更新 {s.updated_items}，错误 {s.errors}。{s.message}")


@app.command()
def login(
    source: str = typer.Argument(..., help="A browser source whose `browser.storage_state` to save"),
    url: Optional[str] = typer.Option(None, help="Page to open (default: the source's first start URL)"),
    headless: bool = typer.Option(False, help="Run without a window (for checking the saved state)"),
    wait: int = typer.Option(300, help="Seconds to wait for the officer to log in"),
) -> None:
    """Open Chromium so an officer can log in; save the session for the source's crawls."""
    from crawler.login import save_login_state
    from firewatch.core.sources import SourceConfigError, resolve_sources

    ctx = app_context()
    try:
        (loaded,) = resolve_sources([source], ctx.settings.sources_dir)
    except SourceConfigError as exc:
        fail(f"来源配置错误: {exc}", EXIT_BAD_INPUT)
    browser = loaded.config.browser
    if browser is None or not browser.storage_state:
        fail(f"{loaded.path}: browser.storage_state: 未配置登录状态文件路径", EXIT_BAD_INPUT)
    target = save_login_state(ctx, loaded.config, url=url, headless=headless, wait_seconds=wait)
    typer.echo(f"登录状态已保存: {target}")
