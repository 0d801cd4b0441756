"""The post page (evidence view), decisions on it, and its captured screenshot and DOM."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from firewatch.core import audit
from firewatch.core.store.models import Capture, Case, Post
from firewatch.core import labels
from review_ui import queue as q
from review_ui.auth import CurrentUser, DbSession, client_ip
from review_ui.capture_files import dom_response, screenshot_response
from firewatch.core.review.decisions import Decision, decide, holder
from review_ui.post_view import post_view
from review_ui.routes.login import safe_next
from review_ui.routes.queue import Filters, queue_query
from review_ui.seller import seller_panel
from review_ui.templating import flash, render

router = APIRouter()
OPEN_CASES = 20  # offered in the post page's "add to case" list


def get_post(session: Session, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise HTTPException(status_code=404, detail=f"帖子 {post_id} 不存在")
    return post


def safe_link(url: str) -> str:
    """The original link only when it is plain http(s); ``javascript:`` and friends become text."""
    return url if url.lower().startswith(("http://", "https://")) else ""


@router.get("/posts/{post_id}")
def post_page(request: Request, post_id: int, session: DbSession, user: CurrentUser,
              filters: Filters) -> Response:
    post = get_post(session, post_id)
    settings = request.app.state.ctx.settings
    position = q.Cursor.of(post)
    post.seen = True  # the blue dot goes; looking claims nothing and moves nothing in the queue
    audit.record(session, "evidence.view", actor=user.username, object_type="post",
                 object_id=post.id, ip=client_ip(request))
    query = queue_query(request, filters, user)
    filter_query = urlencode(filters.query_items())
    return render(
        request, "post.html", view=post_view(session, post), seller=seller_panel(session, post),
        holder=holder(session, post, user), link=safe_link(post.url), author_link=safe_link(post.author_url),
        next_id=q.neighbour(session, query, position, forward=True),
        prev_id=q.neighbour(session, query, position, forward=False),
        filter_query=filter_query, departments=settings.departments,
        open_cases=list(session.scalars(select(Case).where(Case.status == "open")
                                        .order_by(Case.id.desc()).limit(OPEN_CASES))),
    )


@router.post("/posts/{post_id}/decide")
def decide_route(request: Request, post_id: int, session: DbSession, user: CurrentUser,
                 action: Annotated[str, Form()], department: Annotated[str, Form()] = "",
                 note: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "",
                 expected_status: Annotated[str, Form()] = "") -> Response:
    post = get_post(session, post_id)
    settings = request.app.state.ctx.settings
    before = post.status
    decide(session, post, user, Decision(action, department.strip(), note[:2000], expected_status.strip()),
           claim_minutes=settings.claim_minutes, departments=settings.departments, ip=client_ip(request))
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"id": post.id, "status": post.status, "from": before,
                             "status_label": labels.STATUS.get(post.status, post.status)})
    flash(request, f"帖子 {post.id}：{labels.DECISION[action]}")
    return RedirectResponse(safe_next(next) if next else f"/posts/{post.id}", status_code=303)


def _capture(session: Session, post_id: int, capture_id: int) -> Capture:
    capture = session.get(Capture, capture_id)
    if capture is None or capture.post_id != post_id:
        raise HTTPException(status_code=404, detail="没有该截图")
    return capture


@router.get("/posts/{post_id}/captures/{capture_id}/screenshot.png")
def screenshot(request: Request, post_id: int, capture_id: int, session: DbSession,
               user: CurrentUser) -> Response:
    capture = _capture(session, post_id, capture_id)
    response = screenshot_response(request.app.state.ctx.settings, capture.screenshot_path)
    audit.record(session, "evidence.screenshot", actor=user.username, object_type="post",
                 object_id=post_id, ip=client_ip(request), details={"capture_id": capture_id})
    return response


@router.get("/posts/{post_id}/captures/{capture_id}/dom.txt")
def dom_download(request: Request, post_id: int, capture_id: int, session: DbSession,
                 user: CurrentUser) -> Response:
    capture = _capture(session, post_id, capture_id)
    response = dom_response(request.app.state.ctx.settings, capture.dom_path, post_id)
    audit.record(session, "evidence.dom", actor=user.username, object_type="post",
                 object_id=post_id, ip=client_ip(request), details={"capture_id": capture_id})
    return response
