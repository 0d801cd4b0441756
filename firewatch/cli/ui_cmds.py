"""Review UI commands: ``serve``, ``user add``, ``audit verify``."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from firewatch.cli import app
from firewatch.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, app_context, fail

user_app = typer.Typer(help="Review UI accounts")
audit_app = typer.Typer(help="The hash-chained audit trail")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
) -> None:
    """Serve the review UI."""
    import uvicorn

    from review_ui.app import create_app

    ctx = app_context()
    typer.echo(f"审核界面: http://{host}:{port}/  （按 Ctrl+C 停止）")
    try:
        uvicorn.run(create_app(ctx), host=host, port=port, log_level="warning", proxy_headers=False)
    finally:
        ctx.close()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="Login name"),
    role: str = typer.Option(..., "--role", help="officer | supervisor | admin"),
    display_name: Optional[str] = typer.Option(None, "--display-name", help="Name shown in the UI"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin"),
) -> None:
    """Add a review UI account (password from a prompt or --password-stdin)."""
    from firewatch.core.users import UserError, check_new_password, check_role, create_user

    try:
        check_role(role)
        password = _read_password(password_stdin)
        check_new_password(password)
    except UserError as exc:
        fail(f"无法添加用户：{exc}", EXIT_BAD_INPUT)
    ctx = app_context()
    try:
        with ctx.sessions.begin() as session:
            user = create_user(session, name, password, role, display_name=display_name or "",
                               actor="cli")
            typer.echo(f"已添加用户 {user.username}（{role}）")
    except UserError as exc:
        fail(f"无法添加用户：{exc}", EXIT_BAD_INPUT)
    finally:
        ctx.close()


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; exit 1 naming the first broken row."""
    from firewatch.core.audit import verify_chain

    ctx = app_context()
    try:
        with ctx.sessions() as session:
            report = verify_chain(session)
    finally:
        ctx.close()
    if not report.ok:
        where = f"第 {report.checked} 条记录 (audit_events.id={report.broken_at})"
        fail(f"审计链在{where}处断开：{report.problem}", EXIT_FAILURE)
    typer.echo(f"审计链完整：已校验 {report.checked} 条记录")
