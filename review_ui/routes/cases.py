"""Cases: list, create from confirmed posts, edit fields, add/remove posts, export, download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firewatch.core import audit
from firewatch.core.review.cases import (
    CaseError,
    CaseFields,
    add_post,
    create_case,
    fields_of,
    investigator_names,
    remove_post,
    update_fields,
)
from firewatch.core.store.models import Case, CasePost, Post
from review_ui.auth import CurrentUser, DbSession, Supervisor, client_ip
from firewatch.core.review.exports import export_problems
from review_ui.case_exports import export_file, list_exports, run_export
from firewatch.core.review.statuses import SALE_STATUSES
from review_ui.templating import flash, render

router = APIRouter()
ELIGIBLE_LIMIT = 200


class CaseForm:
    """The case fields as posted by the case forms."""

    def __init__(self, title: Annotated[str, Form()] = "", cause: Annotated[str, Form()] = "",
                 case_number: Annotated[str, Form()] = "", unit: Annotated[str, Form()] = "",
                 investigators: Annotated[str, Form()] = "", witness: Annotated[str, Form()] = "",
                 no_witness_reason: Annotated[str, Form()] = ""):
        self.fields = CaseFields(title.strip()[:255], cause.strip()[:255], case_number.strip()[:100],
                                 unit.strip()[:255], investigator_names([investigators]),
                                 witness.strip()[:255], no_witness_reason.strip())


def get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise HTTPException(status_code=404, detail=f"案件 {case_id} 不存在")
    return case


@router.get("/cases")
def cases_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    counts = (select(CasePost.case_id, func.count().label("n")).group_by(CasePost.case_id).subquery())
    rows = session.execute(select(Case, func.coalesce(counts.c.n, 0))
                           .outerjoin(counts, counts.c.case_id == Case.id).order_by(Case.id.desc()))
    eligible = session.scalars(select(Post).where(Post.status.in_(SALE_STATUSES))
                               .order_by(Post.id.desc()).limit(ELIGIBLE_LIMIT))
    return render(request, "cases.html", cases=list(rows), eligible=list(eligible), error="")


@router.post("/cases")
def create_case_route(request: Request, session: DbSession, user: Supervisor,
                      form: Annotated[CaseForm, Depends()],
                      post_id: Annotated[list[int], Form()] = []) -> Response:  # noqa: B006
    try:
        case = create_case(session, form.fields, post_id, actor=user.username, user_id=user.id)
    except CaseError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    flash(request, f"已创建案件 {case.id}")
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, session: DbSession, user: CurrentUser) -> Response:
    case = get_case(session, case_id)
    ctx = request.app.state.ctx
    fields = fields_of(case)
    return render(request, "case.html", case=case, fields=fields, posts=list(case.posts),
                  problems=export_problems(session, case, ctx.settings.require_approval),
                  exports=list_exports(ctx, case.id))


@router.post("/cases/{case_id}/fields")
def update_case_route(request: Request, case_id: int, session: DbSession, user: Supervisor,
                      form: Annotated[CaseForm, Depends()]) -> Response:
    case = get_case(session, case_id)
    if not form.fields.title:
        raise HTTPException(status_code=400, detail="缺少案件名称")
    update_fields(session, case, form.fields, actor=user.username)
    flash(request, "案件信息已保存")
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/cases/{case_id}/posts")
def add_post_route(request: Request, case_id: int, session: DbSession, user: Supervisor,
                   post_id: Annotated[int, Form()]) -> Response:
    case = get_case(session, case_id)
    try:
        add_post(session, case, post_id, actor=user.username)
    except CaseError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    flash(request, f"已加入帖子 {post_id}")
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/posts/{post_id}/add-to-case")
def add_from_post_page(request: Request, post_id: int, session: DbSession, user: Supervisor,
                       case_id: Annotated[int, Form()]) -> Response:
    """The post page's shortcut: put this confirmed post into an open case."""
    add_post_route(request, case_id, session, user, post_id)
    return RedirectResponse(f"/posts/{post_id}", status_code=303)


@router.post("/cases/{case_id}/posts/{post_id}/remove")
def remove_post_route(request: Request, case_id: int, post_id: int, session: DbSession,
                      user: Supervisor) -> Response:
    case = get_case(session, case_id)
    remove_post(session, case, post_id, actor=user.username)
    flash(request, f"已移出帖子 {post_id}")
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/cases/{case_id}/export")
def export_route(request: Request, case_id: int, session: DbSession, user: Supervisor) -> Response:
    ctx = request.app.state.ctx
    case = get_case(session, case_id)
    problems = export_problems(session, case, ctx.settings.require_approval)
    if problems:
        raise HTTPException(status_code=409, detail="暂不能导出：" + "；".join(problems))
    session.commit()  # the exporter reads, and audits the export, through its own session
    package = run_export(ctx, case.id, actor=user.username)
    flash(request, f"证据包已生成：{package.name}")
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/cases/{case_id}/exports/{name:path}")
def download_route(request: Request, case_id: int, name: str, session: DbSession,
                   user: Supervisor) -> Response:
    get_case(session, case_id)
    path = export_file(request.app.state.ctx, case_id, name)
    audit.record(session, "case.download", actor=user.username, object_type="case", object_id=case_id,
                 ip=client_ip(request), details={"file": name})
    return FileResponse(path, filename=path.name, media_type="application/octet-stream",
                        content_disposition_type="attachment")
