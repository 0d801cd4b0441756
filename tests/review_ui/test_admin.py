"""Administration pages: accounts and the audit trail, all changes audited."""

from __future__ import annotations

from sqlalchemy import select

from firewatch.core.store.models import AuditEvent, User
from tests.review_ui.conftest import login


def test_admin_adds_and_changes_users(admin, ui_app, db):
    response = admin.post("/admin/users", data={"username": "officer9", "password": "long-enough-1",
                                                "role": "officer", "csrf_token": admin.csrf})
    assert response.status_code == 303
    user = db.scalars(select(User).where(User.username == "officer9")).one()
    assert user.password_hash.startswith("$argon2id$")
    login(ui_app, "officer9", "long-enough-1")
    admin.post(f"/admin/users/{user.id}", data={"role": "supervisor", "active": "0", "csrf_token": admin.csrf})
    db.expire_all()
    user = db.get(User, user.id)
    assert (user.role, user.active) == ("supervisor", False)
    actions = db.scalars(select(AuditEvent.action)).all()
    assert {"user.create", "user.role", "user.deactivate"} <= set(actions)


def test_bad_user_input_is_refused_clearly(admin, db):
    for data, message in (({"username": "x", "password": "short", "role": "officer"}, "密码至少"),
                          ({"username": "officer1", "password": "long-enough-1", "role": "officer"}, "已存在"),
                          ({"username": "y", "password": "long-enough-1", "role": "king"}, "未知角色")):
        response = admin.post("/admin/users", data={**data, "csrf_token": admin.csrf})
        assert response.status_code == 400 and message in response.text


def test_admin_cannot_lock_themselves_out(admin, db):
    me = db.scalars(select(User).where(User.username == "root")).one()
    response = admin.post(f"/admin/users/{me.id}", data={"active": "0", "csrf_token": admin.csrf})
    assert response.status_code == 400


def test_audit_page_reports_an_intact_chain(admin):
    html = admin.get("/admin/audit").text
    assert "哈希链完整" in html and "auth.login" in html
