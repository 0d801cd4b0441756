"""Jinja2 set-up: autoescaping templates, Chinese labels and local-time filters."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from firewatch.core import labels
from review_ui.auth import csrf_token

TEMPLATES_DIR = Path(__file__).with_name("templates")


def make_templates(timezone: str) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.autoescape = True  # every template, whatever its extension: crawled text is hostile
    zone = ZoneInfo(timezone)
    env.filters["localtime"] = lambda value, fmt="%m-%d %H:%M": _localtime(value, zone, fmt)
    env.filters["platform"] = labels.platform_name
    env.globals.update(
        STATUS=labels.STATUS, DECISION=labels.DECISION, ROLE=labels.ROLE,
        RUN_STATUS=labels.RUN_STATUS, CONTACT_KIND=labels.CONTACT_KIND, FIELD=labels.FIELD,
    )
    return templates


def _localtime(value: datetime | None, zone: ZoneInfo, fmt: str) -> str:
    return value.astimezone(zone).strftime(fmt) if value else ""


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``name`` with the user, CSRF token and settings every page needs."""
    context.setdefault("user", getattr(request.state, "user", None))
    context["csrf_token"] = csrf_token(request)
    context["flashes"] = pop_flashes(request)
    context["settings"] = request.app.state.ctx.settings
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


def flash(request: Request, message: str) -> None:
    """A one-time message shown on the next page rendered for this session."""
    request.session["flash"] = [*request.session.get("flash", []), message][-5:]


def pop_flashes(request: Request) -> list[str]:
    return request.session.pop("flash", []) if "flash" in request.session else []
