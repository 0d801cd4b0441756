"""Administration: accounts (add, role, activate, reset password) and the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from firewatch.core.audit import verify_chain
from firewatch.core.store.models import AuditEvent, User
from firewatch.core.users import UserError, create_user, set_active, set_password, set_role
from review_ui.auth import Admin, DbSession, client_ip
from review_ui.templating import flash, render

router = APIRouter(prefix="/admin")
AUDIT_PAGE = 200


@router.get("/users")
def users_page(request: Request, session: DbSession, user: Admin) -> Response:
    users = session.scalars(select(User).order_by(User.username))
    return render(request, "users.html", users=list(users))


@router.post("/users")
def add_user(request: Request, session: DbSession, user: Admin, username: Annotated[str, Form()],
             password: Annotated[str, Form()], role: Annotated[str, Form()],
             display_name: Annotated[str, Form()] = "") -> Response:
    try:
        create_user(session, username, password, role, display_name=display_name,
                    actor=user.username, ip=client_ip(request))
    except UserError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    flash(request, f"已添加用户 {username.strip()}")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}")
def change_user(request: Request, user_id: int, session: DbSession, user: Admin,
                role: Annotated[str, Form()] = "", active: Annotated[str, Form()] = "",
                password: Annotated[str, Form()] = "") -> Response:
    target = session.get(User, user_id)
    if target is None:
        raise HTTPException(status_code=404, detail="没有该用户")
    if target.id == user.id and (active == "0" or (role and role != "admin")):
        raise HTTPException(status_code=400, detail="不能停用自己或降低自己的权限")
    ip = client_ip(request)
    try:
        if role and role != target.role:
            set_role(session, target, role, actor=user.username, ip=ip)
        if active in ("0", "1") and (active == "1") != target.active:
            set_active(session, target, active == "1", actor=user.username, ip=ip)
        if password:
            set_password(session, target, password, actor=user.username, ip=ip)
    except UserError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    flash(request, f"已更新用户 {target.username}")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit_page(request: Request, session: DbSession, user: Admin, action: str = "") -> Response:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE)
    if action:
        query = query.where(AuditEvent.action == action)
    return render(request, "audit.html", events=list(session.scalars(query)), action=action,
                  chain=verify_chain(session))
