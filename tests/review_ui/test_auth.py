"""Login, logout, session expiry, roles, CSRF and security headers."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy import select

from firewatch.core.store.models import AuditEvent, User
from tests.review_ui.conftest import PASSWORD, csrf_of, login


def test_every_page_but_login_and_static_needs_login(ui_app):
    client = TestClient(ui_app, follow_redirects=False)
    for path in ("/queue", "/posts/1", "/cases", "/dashboard", "/admin/users", "/admin/audit",
                 "/dashboard/summary.xlsx"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    assert client.get("/login").status_code == 200
    assert client.get("/static/app.css").status_code == 200


def test_login_with_wrong_password_is_refused_and_audited(ui_app, db):
    client = TestClient(ui_app, follow_redirects=False)
    token = csrf_of(client, "/login")
    response = client.post("/login", data={"username": "officer1", "password": "wrong-password",
                                           "csrf_token": token})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert client.get("/queue").status_code == 303
    actions = db.scalars(select(AuditEvent.action)).all()
    assert "auth.login_failed" in actions


def test_login_logout_round_trip_is_audited(ui_app, db):
    client = login(ui_app, "officer1")
    assert client.get("/queue").status_code == 200
    response = client.post("/logout", data={"csrf_token": client.csrf})
    assert response.status_code == 303
    assert client.get("/queue").status_code == 303
    actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["auth.login", "auth.logout"]


def test_session_expires_after_session_minutes(ui_app, monkeypatch):
    client = login(ui_app, "officer1")
    lifetime = ui_app.state.ctx.settings.session_minutes * 60
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + lifetime + 5)
    assert client.get("/queue").status_code == 303


def test_deactivated_user_is_logged_out_at_once(ui_app, db):
    client = login(ui_app, "officer1")
    user = db.scalars(select(User).where(User.username == "officer1")).one()
    user.active = False
    db.commit()
    assert client.get("/queue").status_code == 303


def test_post_without_csrf_token_is_refused(officer):
    for path in ("/logout", "/queue/bulk-dismiss", "/posts/1/decide", "/cases"):
        response = officer.post(path, data={"action": "dismiss"})
        assert response.status_code == 403, path
        assert "CSRF" in response.text
    response = officer.post("/logout", data={"csrf_token": "forged"})
    assert response.status_code == 403


def test_every_unsafe_route_checks_csrf(ui_app, officer):
    """Walk the app's routes: no POST route accepts a request without the token."""
    for route in ui_app.routes:
        methods = getattr(route, "methods", set()) or set()
        if "POST" not in methods:
            continue
        path = route.path.replace("{post_id}", "1").replace("{case_id}", "1").replace(
            "{user_id}", "1").replace("{capture_id}", "1").replace("{name}", "x")
        assert officer.post(path).status_code == 403, path


def test_login_form_itself_needs_csrf(ui_app):
    client = TestClient(ui_app, follow_redirects=False)
    response = client.post("/login", data={"username": "officer1", "password": PASSWORD})
    assert response.status_code == 403


def test_roles_are_enforced_on_the_server(officer, supervisor, admin):
    assert officer.get("/admin/users").status_code == 403
    assert supervisor.get("/admin/users").status_code == 403
    assert admin.get("/admin/users").status_code == 200


def test_security_headers_on_every_response(officer):
    for path in ("/queue", "/login", "/static/app.js", "/nope"):
        response = officer.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"


def test_login_redirect_is_never_offsite(ui_app):
    client = TestClient(ui_app, follow_redirects=False)
    token = csrf_of(client, "/login")
    response = client.post("/login", data={"username": "officer1", "password": PASSWORD,
                                           "csrf_token": token, "next": "//evil.example/"})
    assert response.headers["location"] == "/queue"


def test_pages_contain_no_inline_script(officer):
    html = officer.get("/queue").text
    assert "<script>" not in html and "onclick" not in html


def test_session_cookie_is_httponly_and_samesite(ui_app):
    client = TestClient(ui_app, follow_redirects=False)
    token = csrf_of(client, "/login")
    response = client.post("/login", data={"username": "officer1", "password": PASSWORD, "csrf_token": token})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_session_cookie_is_rotated_at_login(ui_app):
    client = TestClient(ui_app, follow_redirects=False)
    before = csrf_of(client, "/login")
    client.post("/login", data={"username": "officer1", "password": PASSWORD, "csrf_token": before})
    assert csrf_of(client) != before


def test_repeated_failures_lock_that_name_for_a_while(ui_app):
    client = TestClient(ui_app, follow_redirects=False)
    token = csrf_of(client, "/login")
    for _ in range(5):
        response = client.post("/login", data={"username": "officer2", "password": "guess",
                                               "csrf_token": token})
        assert response.status_code == 401
    response = client.post("/login", data={"username": "officer2", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 429 and "失败次数过多" in response.text
    other = client.post("/login", data={"username": "officer1", "password": PASSWORD, "csrf_token": token})
    assert other.status_code == 303
