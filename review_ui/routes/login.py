"""Login and logout. Failed attempts are audited and, after several in a row, slowed down."""

from __future__ import annotations

import time
from collections import deque
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from firewatch.core import audit
from firewatch.core.store.models import User
from firewatch.core.users import authenticate
from review_ui.auth import DbSession, client_ip, end_session, start_session
from review_ui.templating import render

router = APIRouter()

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 600


def _failures(request: Request) -> dict[str, deque[float]]:
    """Recent failed logins per (name, address), kept per app in memory (see create_app)."""
    return request.app.state.login_failures


def safe_next(target: str) -> str:
    """Only same-site paths: never an open redirect to another host."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/queue"


def _too_many_failures(request: Request, key: str) -> bool:
    recent = _failures(request)[key]
    while recent and recent[0] < time.monotonic() - FAILURE_WINDOW_SECONDS:
        recent.popleft()
    return len(recent) >= MAX_FAILURES


@router.get("/login")
def login_page(request: Request, next: str = "/queue") -> Response:
    return render(request, "login.html", next=safe_next(next), error="")


@router.post("/login")
def login(request: Request, session: DbSession, username: Annotated[str, Form()],
          password: Annotated[str, Form()], next: Annotated[str, Form()] = "/queue") -> Response:
    key = f"{username.strip()}|{client_ip(request)}"
    if _too_many_failures(request, key):
        return render(request, "login.html", status_code=429, next=safe_next(next),
                      error="失败次数过多，请十分钟后再试")
    user = authenticate(session, username, password)
    if user is None:
        _failures(request)[key].append(time.monotonic())
        audit.record(session, "auth.login_failed", actor=username.strip()[:64], ip=client_ip(request))
        return render(request, "login.html", status_code=401, next=safe_next(next),
                      error="用户名或密码错误")
    _failures(request).pop(key, None)
    start_session(request, user)
    audit.record(session, "auth.login", actor=user.username, object_type="user", object_id=user.id,
                 ip=client_ip(request), details={"sid": request.session["sid"]})
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, session: DbSession) -> Response:
    user = session.get(User, request.session["uid"]) if request.session.get("uid") else None
    if user is not None:
        audit.record(session, "auth.logout", actor=user.username, object_type="user", object_id=user.id,
                     ip=client_ip(request), details={"sid": request.session.get("sid", "")})
    end_session(request)
    return RedirectResponse("/login", status_code=303)
