"""The queue: order, filters, counts, keyset pages, claims hiding posts, bulk dismissal."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from bs4 import BeautifulSoup
from sqlalchemy import select

from firewatch.core.store.models import Post, Source
from tests.review_ui.factory import make_post

NOW = datetime(2026, 1, 20, 4, 0, tzinfo=timezone.utc)


def queue_ids(client, query: str = "") -> list[int]:
    soup = BeautifulSoup(client.get(f"/queue?{query}").text, "html.parser")
    return [int(row["data-id"]) for row in soup.select("#queue tr.row")]


def _seed(db, n: int = 5, **kwargs) -> list[Post]:
    source = db.scalars(select(Source)).first()
    posts = [make_post(db, source, title=f"烟花 {i}", text=f"正文 {i}", score=0.5 + i / 100,
                       first_seen_at=NOW - timedelta(hours=i), **kwargs) for i in range(n)]
    db.commit()
    return posts


def test_queue_orders_by_score_then_newest_and_opening_moves_nothing(officer, db):
    source = db.scalars(select(Source)).first()
    low = make_post(db, source, title="低分", text="", score=0.6, first_seen_at=NOW)
    high = make_post(db, source, title="高分", text="", score=0.9, first_seen_at=NOW - timedelta(days=1))
    tie_old = make_post(db, source, title="同分旧", text="", score=0.7, first_seen_at=NOW - timedelta(hours=5))
    tie_new = make_post(db, source, title="同分新", text="", score=0.7, first_seen_at=NOW)
    seen = make_post(db, source, title="已看", text="", score=0.99, first_seen_at=NOW)
    seen.seen = True
    make_post(db, source, title="未标记", text="", score=0.1, flagged=False)
    db.commit()
    order = [seen.id, high.id, tie_new.id, tie_old.id, low.id]
    assert queue_ids(officer) == order
    officer.get(f"/posts/{tie_new.id}")
    officer.get(f"/posts/{high.id}")
    assert queue_ids(officer) == order
    soup = BeautifulSoup(officer.get("/queue").text, "html.parser")
    assert [r["data-id"] for r in soup.select("#queue tr.row.unseen")] == [str(tie_old.id), str(low.id)]


def test_keyset_pages_cover_every_post_once_both_ways(officer, db):
    posts = _seed(db, 120)
    for post in posts[::7]:
        post.seen = True
    db.commit()
    html = officer.get("/queue").text
    collected = queue_ids(officer)
    pages = [list(collected)]
    while (match := re.search(r'href="/queue\?status=new&amp;after=([^"]+)" rel="next"', html)):
        html = officer.get(f"/queue?status=new&after={match.group(1).replace('&amp;', '&')}").text
        page = [int(x) for x in re.findall(r'data-id="(\d+)"', html)]
        pages.append(page)
        collected += page
    assert sorted(collected) == sorted(p.id for p in posts)
    assert len(collected) == len(set(collected)) == 120
    assert [len(p) for p in pages] == [50, 50, 20]
    back = re.search(r'href="/queue\?status=new&amp;before=([^"]+)" rel="prev"', html).group(1)
    previous = officer.get(f"/queue?status=new&before={back.replace('&amp;', '&')}").text
    assert [int(x) for x in re.findall(r'data-id="(\d+)"', previous)] == pages[1]


def test_filters_narrow_the_queue_and_counts_follow(officer, db, ui_app):
    sources = db.scalars(select(Source).order_by(Source.id)).all()
    a = make_post(db, sources[0], title="武进 烟花", text="", district="武进区", score=0.9, first_seen_at=NOW)
    b = make_post(db, sources[1], title="新北 鞭炮", text="加微信", district="新北区", score=0.55,
                  first_seen_at=NOW - timedelta(days=3))
    c = make_post(db, sources[1], title="已确认", text="", status="confirmed", first_seen_at=NOW)
    db.commit()
    ui_app.state.count_cache.clear()  # rows written behind the app's back (the crawler) show after the TTL
    assert queue_ids(officer, "district=武进区") == [a.id]
    assert queue_ids(officer, f"platform={sources[1].platform}") == [b.id]
    assert queue_ids(officer, f"source={sources[0].name}") == [a.id]
    assert queue_ids(officer, "min_score=0.6") == [a.id]
    assert queue_ids(officer, "q=微信") == [b.id]
    assert queue_ids(officer, "date_from=2026-01-20&date_to=2026-01-20") == [a.id]
    assert queue_ids(officer, "status=confirmed") == [c.id]
    assert set(queue_ids(officer, "status=all")) == {a.id, b.id, c.id}
    soup = BeautifulSoup(officer.get("/queue").text, "html.parser")
    tabs = {a.get_text(" ", strip=True) for a in soup.select("nav.tabs a")}
    assert "待处理 2" in tabs and "已确认 1" in tabs and "全部 3" in tabs


def test_bad_filter_values_get_a_clear_message(officer):
    for query, message in (("date_from=yesterday", "开始日期格式"), ("min_score=high", "最低分"),
                           ("status=bogus", "未知状态"), ("after=garbage", "翻页参数")):
        response = officer.get(f"/queue?{query}")
        assert response.status_code == 400, query
        assert message in response.text


def test_search_treats_percent_and_underscore_literally(officer, db):
    source = db.scalars(select(Source)).first()
    make_post(db, source, title="折扣 50%", text="")
    other = make_post(db, source, title="折扣 500", text="")
    db.commit()
    assert other.id not in queue_ids(officer, "q=50%25")


def _hold(db, post_id: int, username: str, minutes: int = 60) -> None:
    from firewatch.core.store.models import User

    post = db.get(Post, post_id)
    post.claimed_by = db.scalars(select(User.id).where(User.username == username)).one()
    post.claimed_until = datetime.now(timezone.utc) + timedelta(minutes=minutes)
    db.commit()


def test_opening_a_post_hides_it_from_nobody(officer, officer2, db):
    posts = _seed(db, 2)
    officer.get(f"/posts/{posts[0].id}")
    assert posts[0].id in queue_ids(officer2)


def test_post_held_by_another_officer_is_hidden_until_the_claim_expires(officer, officer2, db):
    posts = _seed(db, 2)
    _hold(db, posts[0].id, "officer1")
    assert posts[0].id not in queue_ids(officer2)
    assert posts[0].id in queue_ids(officer)
    db.expire_all()
    post = db.get(Post, posts[0].id)
    post.claimed_until = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.commit()
    assert posts[0].id in queue_ids(officer2)


def test_bulk_dismiss_skips_posts_held_or_decided_by_others(officer, officer2, db):
    posts = _seed(db, 4)
    _hold(db, posts[2].id, "officer2")
    officer2.post(f"/posts/{posts[3].id}/decide", data={"action": "confirm", "csrf_token": officer2.csrf})
    response = officer.post("/queue/bulk-dismiss", data={  # ticked on the 待处理 tab before that
        "post_id": [p.id for p in posts], "csrf_token": officer.csrf, "back": "/queue",
        "expected_status": "new"})
    assert response.status_code == 303
    db.expire_all()
    statuses = [db.get(Post, p.id).status for p in posts]
    assert statuses == ["dismissed", "dismissed", "new", "confirmed"]
    assert "已排除 2 条，2 条已被他人处理" in officer.get("/queue").text


def test_supervisor_assigns_posts_to_an_officer(supervisor, officer, officer2, db):
    from firewatch.core.store.models import AuditEvent, User

    posts = _seed(db, 3)
    officer_id = db.scalars(select(User.id).where(User.username == "officer1")).one()
    response = supervisor.post("/queue/assign", data={
        "post_id": [posts[0].id, posts[1].id], "assignee": officer_id, "csrf_token": supervisor.csrf})
    assert response.status_code == 303
    assert queue_ids(officer, "mine=1") == [posts[1].id, posts[0].id]  # higher score first
    assert posts[0].id not in queue_ids(officer2)
    assert db.scalars(select(AuditEvent.action).where(AuditEvent.action == "post.assign")).all() == [
        "post.assign", "post.assign"]


def test_officers_cannot_assign(officer, db):
    posts = _seed(db, 1)
    response = officer.post("/queue/assign", data={"post_id": [posts[0].id], "assignee": 1,
                                                   "csrf_token": officer.csrf})
    assert response.status_code == 403


def _tab(client, status_label: str) -> str:
    soup = BeautifulSoup(client.get("/queue").text, "html.parser")
    return next(a.get_text(" ", strip=True) for a in soup.select("nav.tabs a") if status_label in a.get_text())


def test_counts_follow_decisions_at_once_and_other_writers_within_the_ttl(officer, db, ui_app):
    posts = _seed(db, 3)
    ui_app.state.count_cache.clear()
    assert _tab(officer, "待处理") == "待处理 3"
    officer.post(f"/posts/{posts[0].id}/decide", data={"action": "dismiss", "csrf_token": officer.csrf})
    assert _tab(officer, "待处理") == "待处理 2"
    make_post(db, db.scalars(select(Source)).first(), title="新帖", text="")  # a crawler adds a post
    db.commit()
    assert _tab(officer, "待处理") == "待处理 2"
    ui_app.state.count_cache.ttl = 0
    assert _tab(officer, "待处理") == "待处理 3"
