"""Assemble the review UI: sessions, security headers, CSRF on every unsafe request, routes."""

from __future__ import annotations

from collections import defaultdict, deque
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from firewatch.core.context import AppContext
from review_ui.auth import LoginRequired, csrf_protect, resolve_secret_key
from review_ui.ttl_cache import TtlCache
from firewatch.core.review.decisions import ClaimConflict, DecisionError
from review_ui.headers import SecurityHeadersMiddleware
from review_ui.queue import QueueError
from review_ui.routes import admin, cases, dashboard, login, posts, queue, sources
from review_ui.templating import make_templates, render

STATIC_DIR = Path(__file__).with_name("static")
SESSION_COOKIE = "firewatch_session"
DASHBOARD_SECONDS = 60.0  # statistics may lag decisions by a minute


def create_app(ctx: AppContext) -> FastAPI:
    """The review UI for ``ctx``'s database and settings."""
    ctx.ensure_schema()
    settings = ctx.settings
    app = FastAPI(title="firewatch", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(csrf_protect)])
    app.state.ctx = ctx
    app.state.templates = make_templates(settings.timezone)
    app.state.count_cache = TtlCache()
    app.state.dashboard_cache = TtlCache(ttl=DASHBOARD_SECONDS)
    app.state.login_failures = defaultdict(deque)
    app.add_middleware(SessionMiddleware, secret_key=resolve_secret_key(settings),
                       session_cookie=SESSION_COOKIE, max_age=settings.session_minutes * 60,
                       same_site="lax", https_only=False)
    app.add_middleware(SecurityHeadersMiddleware)  # added last: outermost, covers every answer
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (login, queue, posts, cases, dashboard, admin, sources):
        app.include_router(module.router)
    _add_error_pages(app)
    return app


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, "error.html", status_code=status, message=message, status=status)


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _exc: LoginRequired) -> Response:
        if request.method != "GET" or _wants_json(request):
            return JSONResponse({"error": "请先登录"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "请求有误"
        if exc.status_code == 404 and message == "Not Found":
            message = "页面不存在"
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_form(request: Request, exc: RequestValidationError) -> Response:
        fields = sorted({str(error["loc"][-1]) for error in exc.errors() if error.get("loc")})
        return _error(request, 400, "请求参数有误：" + "、".join(fields))

    @app.exception_handler(ClaimConflict)
    async def claim_conflict(request: Request, exc: ClaimConflict) -> Response:
        return _error(request, 409, str(exc))

    @app.exception_handler(DecisionError)
    @app.exception_handler(QueueError)
    async def bad_request(request: Request, exc: ValueError) -> Response:
        return _error(request, 400, str(exc))
