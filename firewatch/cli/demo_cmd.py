"""``firewatch demo``: the whole product on bundled, fictional sources, on this machine only.

Starts the demo site on loopback, crawls it with the real crawler (in a subprocess, because
Twisted's reactor runs once per process), captures flagged posts in Chromium, creates a demo
officer and serves the review UI.
"""

from __future__ import annotations

import secrets
import subprocess
import sys

import typer

from firewatch.cli import app
from firewatch.cli.common import EXIT_BLOCKED, EXIT_OK, app_context, fail

DEMO_USER = "demo"
DEMO_SUPERVISOR = "demo-supervisor"


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1", help="Address for the review UI"),
    port: int = typer.Option(8000, help="Port for the review UI"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the UI after crawling"),
    capture: bool = typer.Option(True, "--capture/--no-capture", help="Screenshot flagged posts"),
) -> None:
    """Run the bundled demo: crawl, classify, capture, then serve the review UI."""
    from firewatch.demo.site import DemoSite, write_demo_sources

    ctx = app_context()
    ctx.ensure_schema()
    site = DemoSite.start()
    try:
        typer.echo(f"演示网站已启动: {site.base_url}")
        sources = write_demo_sources(site.base_url, ctx.settings.home / "demo-sources")
        _crawl(ctx, sources, capture)
        logins = _demo_accounts(ctx)
        _print_summary(ctx)
        if serve:
            _serve(ctx, host, port, logins)
    finally:
        site.stop()


def _crawl(ctx, sources, capture: bool) -> None:
    settings = ctx.settings
    command = [sys.executable, "-m", "firewatch", "--home", str(settings.home),
               "--db", settings.database_url, "--config", str(settings.config),
               "crawl", "--capture" if capture else "--no-capture", *map(str, sources)]
    code = subprocess.call(command)
    # Exit 3 is expected: the demo includes a captcha page and a login wall on purpose.
    if code not in (EXIT_OK, EXIT_BLOCKED):
        fail(f"演示抓取失败 (exit {code})", code)


def _demo_accounts(ctx) -> dict[str, str]:
    from firewatch.core.users import ensure_user

    logins = {}
    with ctx.sessions.begin() as session:
        for name, role in ((DEMO_USER, "officer"), (DEMO_SUPERVISOR, "supervisor")):
            password = secrets.token_urlsafe(9)
            ensure_user(session, name, role, password, actor="demo")
            logins[name] = password
    return logins


def _print_summary(ctx) -> None:
    from sqlalchemy import func, select

    from firewatch.core.store.models import Post

    with ctx.sessions() as session:
        total = session.scalar(select(func.count(Post.id)))
        flagged = session.scalar(select(func.count(Post.id)).where(Post.flagged.is_(True)))
    typer.echo(f"已入库帖子 {total} 条，其中疑似销售 {flagged} 条")


def _serve(ctx, host: str, port: int, logins: dict[str, str]) -> None:
    import uvicorn

    from review_ui.app import create_app

    typer.echo(f"审核界面: http://{host}:{port}/")
    for name, password in logins.items():
        typer.echo(f"演示账号: {name}  密码: {password}")
    typer.echo("按 Ctrl+C 停止")
    uvicorn.run(create_app(ctx), host=host, port=port, log_level="warning")
