"""The post page: highlighted spans, escaping of hostile text, seller panel, versions, evidence
files, and decisions with claims, approval and audit."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from firewatch.core.store.models import AuditEvent, Capture, Contact, Post, PostVersion, Review, Source, User
from tests.review_ui.factory import make_post, sample_post

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def _source(db) -> Source:
    return db.scalars(select(Source)).first()


def test_post_page_highlights_spans_of_the_original_text(officer, db):
    post = sample_post(db, db.scalars(select(Source)).all(), 0)
    db.commit()
    soup = BeautifulSoup(officer.get(f"/posts/{post.id}").text, "html.parser")
    marks = [m.get_text() for m in soup.select(".post-text mark")]
    assert marks == ["烟花爆竹", "微信 yh-0519-88", "同城配送", "送货上门", "300元一箱"]
    assert soup.select_one(".post-text mark")["title"] == "烟花爆竹商品词"
    assert "同城配送 / 送货上门" in soup.select_one(".reasons-list").get_text()
    assert "微信 yh-0519-88" in soup.select_one(".extracted").get_text()


def test_hostile_text_is_escaped_and_spans_still_line_up(officer, db):
    text = '<script>alert(1)</script>烟花<img src=x onerror=alert(2)>'
    reasons = [{"rule": "product", "weight": 0.5, "description": "<b>商品</b>",
                "spans": [{"start": 25, "end": 27, "text": "烟花", "field": "text"}]}]
    post = make_post(db, _source(db), title='"><svg onload=alert(3)>', text=text, reasons=reasons,
                     url="javascript:alert(4)", author="<i>x</i>")
    db.commit()
    html = officer.get(f"/posts/{post.id}").text
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark" in html
    assert 'href="javascript:' not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".post-text mark").get_text() == "烟花"
    assert soup.select_one(".post-text mark")["title"] == "<b>商品</b>"


def test_spans_that_do_not_fit_the_text_are_skipped_and_counted(officer, db):
    reasons = [{"rule": "r", "weight": 1, "description": "d",
                "spans": [{"start": 0, "end": 2, "text": "鞭炮", "field": "text"},
                          {"start": 5, "end": 99, "field": "text"}]}]
    post = make_post(db, _source(db), title="", text="烟花便宜卖", reasons=reasons)
    db.commit()
    html = officer.get(f"/posts/{post.id}").text
    assert "<mark" not in html.split('class="post-text"')[1].split("</div>")[0]
    assert "2 处匹配位置与当前文本不符" in html


def test_ocr_text_is_shown_marked_and_highlighted(officer, db):
    reasons = [{"rule": "ocr", "weight": 0.3, "description": "图片价目表",
                "spans": [{"start": 0, "end": 2, "text": "礼花", "field": "ocr"}]}]
    post = make_post(db, _source(db), title="看图", text="见图", reasons=reasons)
    db.get(PostVersion, post.id)  # the factory's first version
    version = db.scalars(select(PostVersion).where(PostVersion.post_id == post.id)).one()
    version.fields = {"ocr_text": "礼花 88 元"}
    db.commit()
    soup = BeautifulSoup(officer.get(f"/posts/{post.id}").text, "html.parser")
    assert soup.select_one(".ocr h3").get_text() == "图片文字（OCR识别）"
    assert soup.select_one(".ocr mark").get_text() == "礼花"


def test_seller_panel_joins_posts_across_platforms_and_flags_repeat_sellers(officer, db):
    sources = db.scalars(select(Source).order_by(Source.id)).all()
    first = make_post(db, sources[0], title="烟花", text="微信 abc123", status="confirmed", author="甲")
    other = make_post(db, sources[3], title="鞭炮", text="v abc123", author="乙")
    unrelated = make_post(db, sources[1], title="鞭炮", text="", author="丙")
    for post in (first, other):
        db.add(Contact(post_id=post.id, kind="wechat", value="abc123"))
    db.commit()
    soup = BeautifulSoup(officer.get(f"/posts/{other.id}").text, "html.parser")
    panel = soup.select_one(".seller")
    assert "重复违规" in panel.get_text()
    links = [a["href"] for a in panel.select("a")]
    assert f"/posts/{first.id}" in links and f"/posts/{unrelated.id}" not in links
    soup = BeautifulSoup(officer.get(f"/posts/{unrelated.id}").text, "html.parser")
    assert "首次发现" in soup.select_one(".seller").get_text()


def test_versions_and_deleted_upstream_are_shown(officer, db):
    from datetime import datetime, timezone
    post = make_post(db, _source(db), title="烟花", text="v1")
    db.add(PostVersion(post_id=post.id, version_no=2, title="烟花", text="v2 改过", content_hash="b" * 64))
    post.gone_at = datetime(2026, 1, 21, tzinfo=timezone.utc)
    db.commit()
    html = officer.get(f"/posts/{post.id}").text
    assert "版本（共 2 个）" in html and "v2 改过" in html and "原帖已于" in html


def test_screenshot_is_served_only_as_png_and_dom_only_as_text_download(officer, db, app_ctx):
    post = make_post(db, _source(db), title="烟花", text="")
    folder = app_ctx.settings.captures_dir / "p1"
    folder.mkdir(parents=True)
    (folder / "shot.png").write_bytes(PNG_1PX)
    (folder / "dom.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (folder / "fake.png").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    good = Capture(post_id=post.id, status="ok", screenshot_path=str(folder / "shot.png"),
                   dom_path=str(folder / "dom.html"))
    fake = Capture(post_id=post.id, status="ok", screenshot_path=str(folder / "fake.png"))
    outside = Capture(post_id=post.id, status="ok", screenshot_path="/etc/passwd")
    db.add_all([good, fake, outside])
    db.commit()
    shot = officer.get(f"/posts/{post.id}/captures/{good.id}/screenshot.png")
    assert shot.status_code == 200 and shot.headers["content-type"] == "image/png"
    assert shot.content == PNG_1PX
    dom = officer.get(f"/posts/{post.id}/captures/{good.id}/dom.txt")
    assert dom.headers["content-type"].startswith("text/plain")
    assert dom.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in dom.headers["content-security-policy"]
    assert officer.get(f"/posts/{post.id}/captures/{fake.id}/screenshot.png").status_code == 415
    assert officer.get(f"/posts/{post.id}/captures/{outside.id}/screenshot.png").status_code == 404
    assert officer.get(f"/posts/{post.id + 1}/captures/{good.id}/screenshot.png").status_code == 404
    actions = db.scalars(select(AuditEvent.action)).all()
    assert {"evidence.screenshot", "evidence.dom"} <= set(actions)


def decide(client, post_id: int, action: str, **extra):
    return client.post(f"/posts/{post_id}/decide",
                       data={"action": action, "csrf_token": client.csrf, **extra})


def test_confirm_records_review_status_and_audit(officer, db):
    post = make_post(db, _source(db), title="烟花", text="")
    db.commit()
    officer.get(f"/posts/{post.id}")
    response = decide(officer, post.id, "confirm", note="有价格和微信")
    assert response.status_code == 303
    db.expire_all()
    stored = db.get(Post, post.id)
    assert (stored.status, stored.seen, stored.claimed_by) == ("confirmed", True, None)
    review = db.scalars(select(Review)).one()
    assert (review.decision, review.note) == ("confirm", "有价格和微信")
    actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "evidence.view" in actions and actions[-1] == "post.confirm"


def test_refer_needs_a_configured_department(officer, db):
    post = make_post(db, _source(db), title="烟花", text="")
    db.commit()
    assert decide(officer, post.id, "refer", department="外星局").status_code == 400
    assert decide(officer, post.id, "refer", department="派出所").status_code == 303
    assert db.scalars(select(Review.department)).one() == "派出所"


def test_looking_at_a_post_claims_nothing(officer, officer2, supervisor, db):
    post = make_post(db, _source(db), title="烟花", text="")
    db.commit()
    officer.get(f"/posts/{post.id}")
    page = officer2.get(f"/posts/{post.id}").text
    assert "处理（至" not in page and "disabled" not in page
    db.expire_all()
    assert (db.get(Post, post.id).claimed_by, db.get(Post, post.id).seen) == (None, True)
    assert decide(officer, post.id, "confirm").status_code == 303
    officer.get(f"/posts/{post.id}")  # the officer re-opens the confirmed post...
    assert decide(supervisor, post.id, "approve", expected_status="confirmed").status_code == 303
    db.expire_all()
    assert db.get(Post, post.id).status == "approved"  # ...and the supervisor is not held up


def test_the_second_of_two_officers_deciding_one_post_is_told(officer, officer2, db):
    post = make_post(db, _source(db), title="烟花", text="")
    db.commit()
    for client in (officer, officer2):
        assert 'name="expected_status" value="new"' in client.get(f"/posts/{post.id}").text
    assert decide(officer, post.id, "confirm", expected_status="new").status_code == 303
    response = officer2.post(f"/posts/{post.id}/decide", headers={"Accept": "application/json",
                             "X-CSRF-Token": officer2.csrf}, data={"action": "dismiss", "expected_status": "new"})
    assert response.status_code == 409 and "已被他人处理为「已确认」" in response.json()["error"]
    db.expire_all()
    assert db.get(Post, post.id).status == "confirmed"


def test_an_assigned_post_shows_who_holds_it(supervisor, officer, officer2, db):
    post = make_post(db, _source(db), title="烟花", text="")
    db.commit()
    officer2_id = db.scalars(select(User.id).where(User.username == "officer2")).one()
    supervisor.post("/queue/assign", data={"csrf_token": supervisor.csrf, "assignee": officer2_id,
                                           "post_id": [post.id]})
    soup = BeautifulSoup(officer.get(f"/posts/{post.id}").text, "html.parser")
    assert "已交由 officer2 处理" in soup.select_one(".banner").get_text()
    assert soup.select_one('button[value="confirm"]').has_attr("disabled")
    assert not soup.select_one('button[value="note"]').has_attr("disabled")


def test_decision_by_json_for_the_keyboard(officer, db):
    post = make_post(db, _source(db), title="烟花", text="")
    db.commit()
    response = officer.post(f"/posts/{post.id}/decide", data={"action": "escalate"},
                            headers={"Accept": "application/json", "X-CSRF-Token": officer.csrf})
    assert response.json() == {"id": post.id, "status": "escalated", "from": "new", "status_label": "已上报"}


def test_only_supervisors_approve_and_only_confirmed_posts(officer, supervisor, db):
    post = make_post(db, _source(db), title="烟花", text="")
    db.commit()
    assert decide(supervisor, post.id, "approve").status_code == 400  # not confirmed yet
    decide(officer, post.id, "confirm")
    assert decide(officer, post.id, "approve").status_code == 400
    assert decide(supervisor, post.id, "approve").status_code == 303
    db.expire_all()
    assert db.get(Post, post.id).status == "approved"
    assert decide(officer, post.id, "dismiss").status_code == 400


def test_unknown_post_and_action_get_clear_errors(officer, db):
    assert officer.get("/posts/999999").status_code == 404
    post = make_post(db, _source(db), title="烟花", text="")
    db.commit()
    response = decide(officer, post.id, "explode")
    assert response.status_code == 400 and "未知操作" in response.text


def test_post_page_neighbours_follow_the_queue_order(officer, db):
    posts = [make_post(db, _source(db), title=f"烟花{i}", text="", score=0.9 - i / 10) for i in range(3)]
    db.commit()
    soup = BeautifulSoup(officer.get(f"/posts/{posts[1].id}").text, "html.parser")
    assert soup.select_one('a[rel="next"]')["href"].startswith(f"/posts/{posts[2].id}?")
    assert soup.select_one('a[rel="prev"]')["href"].startswith(f"/posts/{posts[0].id}?")
    # j then k on a filtered queue: the opened posts stay where they were, so k comes back.
    query = "status=new&min_score=0.5"
    first = BeautifulSoup(officer.get(f"/posts/{posts[0].id}?{query}").text, "html.parser")
    following = first.select_one('a[rel="next"]')["href"]
    assert following.startswith(f"/posts/{posts[1].id}?")
    back = BeautifulSoup(officer.get(following).text, "html.parser").select_one('a[rel="prev"]')["href"]
    assert back.startswith(f"/posts/{posts[0].id}?") and "min_score=0.5" in back


def test_malformed_requests_get_a_chinese_message_naming_the_field(officer, db):
    post = make_post(db, _source(db), title="烟花", text="")
    db.commit()
    response = officer.post(f"/posts/{post.id}/decide", data={"csrf_token": officer.csrf})
    assert response.status_code == 400 and "请求参数有误：action" in response.text
    assert officer.get("/posts/abc").status_code == 400
