"""The queue page: filters, status tabs with counts, keyset pages, bulk dismissal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Select, select

from firewatch.core.store.models import Source, User, utcnow
from firewatch.core.users import has_role
from review_ui import queue as q
from review_ui.auth import CurrentUser, DbSession, Supervisor, client_ip
from firewatch.core.review.decisions import ASSIGN_HOURS, assign, bulk_dismiss
from review_ui.templating import flash, render

router = APIRouter()


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise q.QueueError(f"{name}格式应为 年-月-日，例如 2026-01-28") from None


def _score(value: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise q.QueueError("最低分应为 0 到 1 之间的数字") from None


def queue_filters(status: str = "new", platform: str = "", source: str = "", district: str = "",
                  date_from: str = "", date_to: str = "", min_score: str = "", mine: str = "",
                  q_: Annotated[str, Query(alias="q")] = "") -> q.QueueFilters:
    """Filters from the query string; bad values raise QueueError with a Chinese message."""
    return q.QueueFilters(status=status, platform=platform.strip(), source=source.strip(),
                          district=district.strip(), date_from=_date(date_from, "开始日期"),
                          date_to=_date(date_to, "结束日期"), min_score=_score(min_score),
                          q=q_.strip()[:100], mine=mine == "1")


Filters = Annotated[q.QueueFilters, Depends(queue_filters)]


def zone_of(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.ctx.settings.timezone)


def queue_query(request: Request, filters: q.QueueFilters, user: User) -> Select:
    """The queue as this officer sees it: filtered, without posts others hold."""
    return q.visible_to(q.filtered(filters, zone_of(request)), user.id, utcnow(), mine=filters.mine)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
def queue_page(request: Request, session: DbSession, user: CurrentUser, filters: Filters,
               after: str = "", before: str = "") -> Response:
    zone = zone_of(request)
    page = q.fetch_page(session, queue_query(request, filters, user), after=after, before=before)
    ids = [post.id for post in page.posts]
    return render(
        request, "queue.html", page=page, filters=filters, filter_query=urlencode(filters.query_items()),
        counts=request.app.state.count_cache.get_or_compute(
            replace(filters, status="all"), lambda: q.status_counts(session, filters, zone)),
        reasons=q.latest_reasons(session, ids),
        sources=q.source_names(session),
        officers=list(session.scalars(select(User).where(User.active == True)  # noqa: E712
                                      .order_by(User.username))) if has_role(user, "supervisor") else [],
        source_choices=list(session.execute(select(Source.name, Source.platform).order_by(Source.name))),
        tab_query=lambda status: urlencode({**filters.query_items(), "status": status}),
    )


@router.post("/queue/bulk-dismiss")
def bulk_dismiss_route(request: Request, session: DbSession, user: CurrentUser,
                       post_id: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies it)
                       back: Annotated[str, Form()] = "/queue",
                       expected_status: Annotated[str, Form()] = "") -> Response:
    settings = request.app.state.ctx.settings
    done, skipped = bulk_dismiss(session, post_id, user, claim_minutes=settings.claim_minutes,
                                 ip=client_ip(request), note="批量排除", expected_status=expected_status)
    flash(request, f"已排除 {done} 条" + (f"，{skipped} 条已被他人处理、正由他人处理或无权更改，已跳过"
                                          if skipped else ""))
    return RedirectResponse(back if back.startswith("/queue") else "/queue", status_code=303)


@router.post("/queue/assign")
def assign_route(request: Request, session: DbSession, user: Supervisor,
                 assignee: Annotated[int, Form()],
                 post_id: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies it)
                 back: Annotated[str, Form()] = "/queue") -> Response:
    target = session.get(User, assignee)
    if target is None or not target.active:
        raise HTTPException(status_code=400, detail="请选择有效的巡查人员")
    count = assign(session, post_id, target, actor=user.username, hours=ASSIGN_HOURS, ip=client_ip(request))
    name = target.display_name or target.username
    flash(request, f"已将 {count} 条帖子分配给 {name}（{ASSIGN_HOURS} 小时内他人不可见）")
    return RedirectResponse(back if back.startswith("/queue") else "/queue", status_code=303)
