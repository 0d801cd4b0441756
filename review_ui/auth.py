"""Who is asking: signed-cookie sessions, login/logout, role checks and CSRF tokens.

The session cookie (Starlette's SessionMiddleware, signed with itsdangerous) holds only the user
id, the login time, a session id for the audit trail and the CSRF token. Every request reloads the
user from the database, so a deactivated account or a changed role takes effect at once. A session
ends ``session_minutes`` after login, whatever the activity.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from firewatch.core.settings import Settings
from firewatch.core.store.models import User
from firewatch.core.users import has_role

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SECRET_FILE = "session.key"


@dataclass(frozen=True)
class Viewer:
    """The logged-in user as pages show it; a plain copy, usable after the session closed."""

    id: int
    username: str
    display_name: str
    role: str


class LoginRequired(Exception):
    """Raised by the user dependency; the app turns it into a redirect to the login page."""


def resolve_secret_key(settings: Settings) -> str:
    """The configured key, else one generated once into ``$FIREWATCH_HOME/keys`` (mode 0600)."""
    if settings.secret_key:
        return settings.secret_key
    path: Path = settings.keys_dir / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (also before login, for the login form)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def start_session(request: Request, user: User) -> None:
    """A fresh session for ``user``: new id and CSRF token, so a planted cookie is worthless."""
    request.session.clear()
    request.session.update(uid=user.id, login_at=int(time.time()), sid=secrets.token_hex(8),
                           csrf=secrets.token_urlsafe(32))


def end_session(request: Request) -> None:
    request.session.clear()


def db_session(request: Request):
    """One database session per request, committed when the route returns without error."""
    session: Session = request.app.state.ctx.sessions()
    try:
        yield session
        session.commit()
        if request.method not in SAFE_METHODS:
            request.app.state.count_cache.clear()  # decisions change the queue's numbers
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(db_session)]


def current_user(request: Request, session: DbSession) -> User:
    uid = request.session.get("uid")
    if uid is None:
        raise LoginRequired()
    lifetime = request.app.state.ctx.settings.session_minutes * 60
    if time.time() - request.session.get("login_at", 0) > lifetime:
        end_session(request)
        raise LoginRequired()
    user = session.get(User, uid)
    if user is None or not user.active:
        end_session(request)
        raise LoginRequired()
    request.state.user = Viewer(user.id, user.username, user.display_name, user.role)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(role: str):
    """A dependency that lets through ``role`` and higher roles, else answers 403."""

    def check(user: CurrentUser) -> User:
        if not has_role(user, role):
            raise HTTPException(status_code=403, detail="权限不足")
        return user

    return check


Supervisor = Annotated[User, Depends(require_role("supervisor"))]
Admin = Annotated[User, Depends(require_role("admin"))]


async def csrf_protect(request: Request) -> None:
    """Refuse any state-changing request whose token does not match the session's."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf", "")
    given = request.headers.get(CSRF_HEADER, "")
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = str((await request.form()).get(CSRF_FIELD, ""))
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise HTTPException(status_code=403, detail="CSRF 校验失败，请刷新页面后重试")
