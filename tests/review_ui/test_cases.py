"""Cases: create from confirmed posts, edit fields, add/remove posts, approval gate, export through
the evidence exporter and download of the package."""

from __future__ import annotations

import zipfile

from bs4 import BeautifulSoup
from sqlalchemy import select

from firewatch.core.store.models import AuditEvent, Case, CasePost, Source
from tests.review_ui.factory import make_post

FIELDS = {"title": "武进区微信售卖烟花案", "cause": "非法销售烟花爆竹", "case_number": "常公(武)2026-001",
          "unit": "武进分局", "investigators": "张三、李四", "witness": "王五"}


def _confirmed(db, n: int = 2, status: str = "confirmed"):
    source = db.scalars(select(Source)).first()
    posts = [make_post(db, source, title=f"烟花 {i}", text="加微信送货", status=status) for i in range(n)]
    db.commit()
    return posts


def _create(client, post_ids, **fields):
    return client.post("/cases", data={**FIELDS, **fields, "post_id": post_ids, "csrf_token": client.csrf})


def test_supervisor_creates_a_case_from_confirmed_posts(supervisor, db):
    posts = _confirmed(db)
    page = BeautifulSoup(supervisor.get("/cases").text, "html.parser")
    offered = {int(box["value"]) for box in page.select('#new-case input[name="post_id"]')}
    assert {p.id for p in posts} <= offered
    response = _create(supervisor, [p.id for p in posts])
    assert response.status_code == 303
    case = db.scalars(select(Case)).one()
    assert response.headers["location"] == f"/cases/{case.id}"
    assert case.investigators == ["张三", "李四"]
    assert sorted(db.scalars(select(CasePost.post_id)).all()) == sorted(p.id for p in posts)


def test_officers_cannot_create_or_export_cases(officer, db):
    posts = _confirmed(db)
    assert _create(officer, [p.id for p in posts]).status_code == 403
    assert "新建案件" not in officer.get("/cases").text


def test_unconfirmed_posts_cannot_join_a_case(supervisor, db):
    source = db.scalars(select(Source)).first()
    new_post = make_post(db, source, title="烟花", text="")
    db.commit()
    response = _create(supervisor, [new_post.id])
    assert response.status_code == 400 and "未被确认为销售" in response.text
    assert db.scalars(select(Case)).first() is None


def test_fields_and_posts_can_be_changed(supervisor, db):
    posts = _confirmed(db, 3)
    _create(supervisor, [posts[0].id])
    case = db.scalars(select(Case)).one()
    token = supervisor.csrf
    supervisor.post(f"/cases/{case.id}/posts", data={"post_id": posts[1].id, "csrf_token": token})
    supervisor.post(f"/cases/{case.id}/posts/{posts[0].id}/remove", data={"csrf_token": token})
    supervisor.post(f"/cases/{case.id}/fields", data={**FIELDS, "title": "新名称", "csrf_token": token})
    db.expire_all()
    assert db.get(Case, case.id).title == "新名称"
    assert db.scalars(select(CasePost.post_id)).all() == [posts[1].id]
    actions = db.scalars(select(AuditEvent.action)).all()
    assert {"case.create", "case.add_post", "case.remove_post", "case.update"} <= set(actions)


def test_export_waits_for_supervisor_approval(supervisor, db):
    posts = _confirmed(db)
    _create(supervisor, [p.id for p in posts])
    case = db.scalars(select(Case)).one()
    page = supervisor.get(f"/cases/{case.id}").text
    assert "尚未经负责人审批" in page
    response = supervisor.post(f"/cases/{case.id}/export", data={"csrf_token": supervisor.csrf})
    assert response.status_code == 409


def test_export_through_the_evidence_exporter_then_download(supervisor, db):
    posts = _confirmed(db, 2, status="approved")
    _create(supervisor, [p.id for p in posts])
    case = db.scalars(select(Case)).one()
    response = supervisor.post(f"/cases/{case.id}/export", data={"csrf_token": supervisor.csrf})
    assert response.status_code == 303, response.text
    soup = BeautifulSoup(supervisor.get(f"/cases/{case.id}").text, "html.parser")
    links = [a["href"] for a in soup.select("#exports a") if a["href"].endswith(".wacz")]
    assert len(links) == 1
    download = supervisor.get(links[0])
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment")
    with zipfile.ZipFile(__import__("io").BytesIO(download.content)) as package:
        assert "datapackage.json" in package.namelist()
    actions = db.scalars(select(AuditEvent.action)).all()
    assert "case.export" in actions and "case.download" in actions
    assert supervisor.get(f"/cases/{case.id}/exports/../../keys/session.key").status_code == 404


def test_export_not_blocked_when_approval_is_switched_off(supervisor, db, ui_app):
    ui_app.state.ctx.settings.require_approval = False
    posts = _confirmed(db, 1)
    _create(supervisor, [posts[0].id])
    case = db.scalars(select(Case)).one()
    assert "尚未经负责人审批" not in supervisor.get(f"/cases/{case.id}").text


def test_supervisor_adds_a_post_to_a_case_from_the_post_page(supervisor, db):
    posts = _confirmed(db, 2)
    _create(supervisor, [posts[0].id])
    case = db.scalars(select(Case)).one()
    page = BeautifulSoup(supervisor.get(f"/posts/{posts[1].id}").text, "html.parser")
    assert page.select_one(f'#add-to-case option[value="{case.id}"]') is not None
    response = supervisor.post(f"/posts/{posts[1].id}/add-to-case",
                               data={"case_id": case.id, "csrf_token": supervisor.csrf})
    assert response.status_code == 303
    assert sorted(db.scalars(select(CasePost.post_id)).all()) == [posts[0].id, posts[1].id]


def test_notes_need_no_claim(officer, officer2, db):
    from firewatch.core.store.models import Review

    source = db.scalars(select(Source)).first()
    post = make_post(db, source, title="烟花", text="")
    db.commit()
    officer.get(f"/posts/{post.id}")
    response = officer2.post(f"/posts/{post.id}/decide", data={"action": "note", "note": "卖家另有抖音号",
                                                              "csrf_token": officer2.csrf})
    assert response.status_code == 303
    assert db.scalars(select(Review.note)).one() == "卖家另有抖音号"
