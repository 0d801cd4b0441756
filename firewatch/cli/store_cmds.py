"""Read what is stored: ``posts``, ``runs``; and ``db upgrade`` for operators."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from firewatch.cli import app
from firewatch.cli.common import app_context, write_jsonl
from firewatch.core.store.queries import iter_posts, iter_runs

db_app = typer.Typer(help="Database maintenance")
app.add_typer(db_app, name="db")


@app.command()
def posts(
    json_lines: bool = typer.Option(False, "--json", help="One JSON object a line"),
    flagged: bool = typer.Option(False, "--flagged", help="Only posts the classifier flagged"),
) -> None:
    """List stored posts."""
    ctx = app_context()
    with ctx.sessions() as session:
        records = iter_posts(session, flagged_only=flagged)
        if json_lines:
            write_jsonl(records)
            return
        table = Table("id", "来源", "平台", "标题", "得分", "标记", "状态")
        for r in records:
            table.add_row(str(r["id"]), r["source"], r["platform"], (r["title"] or r["text"])[:40],
                          f"{r['score']:.2f}", "是" if r["flagged"] else "", r["status"])
        Console().print(table)


@app.command()
def runs(
    json_lines: bool = typer.Option(False, "--json", help="One JSON object a line"),
    source: str = typer.Option(None, help="Only runs of this source"),
) -> None:
    """List crawl runs."""
    ctx = app_context()
    with ctx.sessions() as session:
        records = iter_runs(session, source=source)
        if json_lines:
            write_jsonl(records)
            return
        table = Table("来源", "开始", "结束", "状态", "页", "条目", "新增", "说明")
        for r in records:
            table.add_row(r["source"], f"{r['started_at']:%Y-%m-%d %H:%M}",
                          f"{r['finished_at']:%H:%M}" if r["finished_at"] else "", r["status"],
                          str(r["pages"]), str(r["items"]), str(r["new_items"]), r["message"][:60])
        Console().print(table)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations (every command also does this on first use)."""
    ctx = app_context()
    ctx.ensure_schema()
    typer.echo(f"数据库已是最新结构: {ctx.settings.database_url.split('@')[-1]}")
