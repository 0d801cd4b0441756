"""``firewatch user add`` and ``firewatch audit verify`` as whole processes."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import select, text

from firewatch.core.store.models import AuditEvent, User


def run(cli_env, *args, stdin: str = ""):
    return subprocess.run([sys.executable, "-m", "firewatch", *args], input=stdin, capture_output=True,
                          text=True, env=cli_env, timeout=120)


def test_user_add_reads_the_password_from_stdin(cli_env, app_ctx):
    result = run(cli_env, "user", "add", "zhang", "--role", "supervisor", "--password-stdin",
                 stdin="s3cret-pass\n")
    assert result.returncode == 0, result.stderr
    with app_ctx.sessions() as session:
        user = session.scalars(select(User).where(User.username == "zhang")).one()
        assert user.role == "supervisor" and user.password_hash.startswith("$argon2id$")
        assert session.scalars(select(AuditEvent.action)).all() == ["user.create"]


def test_user_add_refuses_bad_role_short_password_and_duplicates(cli_env):
    bad_role = run(cli_env, "user", "add", "li", "--role", "chief", "--password-stdin", stdin="s3cret-pass\n")
    assert bad_role.returncode == 2 and "未知角色" in bad_role.stderr
    short = run(cli_env, "user", "add", "li", "--role", "officer", "--password-stdin", stdin="abc\n")
    assert short.returncode == 2 and "密码至少" in short.stderr
    assert run(cli_env, "user", "add", "li", "--role", "officer", "--password-stdin",
               stdin="s3cret-pass\n").returncode == 0
    again = run(cli_env, "user", "add", "li", "--role", "officer", "--password-stdin", stdin="s3cret-pass\n")
    assert again.returncode == 2 and "已存在" in again.stderr


def test_audit_verify_names_the_first_broken_row(cli_env, app_ctx):
    for name in ("a1", "a2", "a3"):
        run(cli_env, "user", "add", name, "--role", "officer", "--password-stdin", stdin="s3cret-pass\n")
    ok = run(cli_env, "audit", "verify")
    assert ok.returncode == 0 and "已校验 3 条" in ok.stdout
    with app_ctx.sessions() as session:
        second = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()[1]
        session.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE id = :id"), {"id": second})
        session.commit()
    broken = run(cli_env, "audit", "verify")
    assert broken.returncode == 1
    assert f"audit_events.id={second}" in broken.stderr
