"""Operations for IT staff: ``schedule`` (daily and lunar peak-date crawls) and ``health``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import typer

from firewatch.cli import app
from firewatch.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, app_context, fail, write_jsonl


@app.command()
def schedule(
    plan: int = typer.Option(0, help="Only print the runs planned for the next N days"),
) -> None:
    """Crawl on the schedule in config/schedule.yaml (daily plus peak dates); Ctrl+C stops."""
    from firewatch.core.schedule import ScheduleError, load_schedule, planned_runs, run_forever

    ctx = app_context()
    try:
        config = load_schedule(ctx.settings.config / "schedule.yaml")
    except ScheduleError as exc:
        fail(f"计划配置错误: {exc}", EXIT_BAD_INPUT)
    if plan:
        for moment, reason in planned_runs(config, datetime.now(timezone.utc), plan):
            typer.echo(f"{moment:%Y-%m-%d %H:%M}  {reason}")
        return
    settings = ctx.settings
    global_args = ["--home", str(settings.home), "--db", settings.database_url,
                   "--config", str(settings.config)]
    typer.echo("定时巡查已启动（按 Ctrl+C 停止）")
    run_forever(config, global_args, typer.echo)


@app.command()
def health(
    json_lines: bool = typer.Option(False, "--json", help="One JSON object a line"),
    stale_hours: int = typer.Option(36, help="A source not crawled for this long is a problem"),
) -> None:
    """Each source's last run; exit 1 when any source needs a person (blocked, login, stale)."""
    from firewatch.core.sources import SourceConfigError, load_source, source_files
    from firewatch.core.health import source_health
    from firewatch.core.labels import RUN_STATUS

    ctx = app_context()
    try:
        configured = [load_source(path) for path in source_files(ctx.settings.sources_dir)]
    except SourceConfigError as exc:
        fail(f"来源配置错误: {exc}", EXIT_BAD_INPUT)
    if not configured:
        fail(f"没有配置任何来源: {ctx.settings.sources_dir}", EXIT_BAD_INPUT)
    with ctx.sessions() as session:
        report = source_health(session, [s.name for s in configured], timedelta(hours=stale_hours),
                               disabled=frozenset(s.name for s in configured if not s.config.enabled))
    if json_lines:
        write_jsonl(entry.to_dict() for entry in report)
    else:
        for entry in report:
            when = f"{entry.last_run_at:%Y-%m-%d %H:%M}" if entry.last_run_at else "—"
            status = RUN_STATUS.get(entry.last_status, entry.last_status)
            typer.echo(f"{'正常' if entry.ok else '需处理'}  {entry.source}  {status}  {when}  {entry.problem}")
    if not all(entry.ok for entry in report):
        raise typer.Exit(EXIT_FAILURE)
