"""Decisions in the core: looking claims nothing; of two officers deciding one post at once, the
second is refused (sequentially and in real concurrent transactions), and assignments hold."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from firewatch.core.review.decisions import ClaimConflict, Decision, assign, decide
from firewatch.core.store.models import Post, Review, User
from firewatch.core.users import create_user
from tests.review_ui.factory import ensure_sources, make_post

PASSWORD = "correct-horse-9"


@pytest.fixture
def arranged(app_ctx):
    with app_ctx.sessions.begin() as session:
        for name, role in (("a", "officer"), ("b", "officer"), ("boss", "supervisor")):
            create_user(session, name, PASSWORD, role)
        post = make_post(session, ensure_sources(session)[0], title="烟花", text="加微信")
        return post.id


def _decide(session, post_id: int, username: str, action: str, expected: str = "") -> Review:
    user = session.scalars(select(User).where(User.username == username)).one()
    return decide(session, session.get(Post, post_id), user, Decision(action, expected_status=expected),
                  claim_minutes=15, departments=[])


def test_a_decision_on_a_post_decided_since_it_was_seen_is_refused(app_ctx, arranged):
    with app_ctx.sessions.begin() as session:
        _decide(session, arranged, "a", "confirm", expected="new")
    with app_ctx.sessions() as session:
        with pytest.raises(ClaimConflict, match="已被他人处理为「已确认」"):
            _decide(session, arranged, "b", "dismiss", expected="new")
        session.rollback()
        assert session.get(Post, arranged).status == "confirmed"


def test_a_supervisor_approves_while_the_officer_still_has_the_post_open(app_ctx, arranged):
    with app_ctx.sessions.begin() as session:
        _decide(session, arranged, "a", "confirm")
    with app_ctx.sessions.begin() as session:
        _decide(session, arranged, "boss", "approve", expected="confirmed")
    with app_ctx.sessions() as session:
        assert session.get(Post, arranged).status == "approved"


def test_an_assignment_holds_the_post_for_the_assignee(app_ctx, arranged):
    with app_ctx.sessions.begin() as session:
        b = session.scalars(select(User).where(User.username == "b")).one()
        assign(session, [arranged], b, actor="boss", hours=12)
    with app_ctx.sessions() as session:
        with pytest.raises(ClaimConflict, match="正由 b 处理"):
            _decide(session, arranged, "a", "dismiss")
    with app_ctx.sessions.begin() as session:
        _decide(session, arranged, "b", "confirm")


def test_two_officers_deciding_at_the_same_moment_record_one_decision(app_ctx, arranged):
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, str] = {}

    def officer(name: str, action: str) -> None:
        with app_ctx.sessions() as session:
            session.get(Post, arranged)  # both looked at the post while it was new
            barrier.wait()
            try:
                _decide(session, arranged, name, action, expected="new")
                session.commit()
                outcomes[name] = "decided"
            except ClaimConflict:
                session.rollback()
                outcomes[name] = "refused"

    threads = [threading.Thread(target=officer, args=args) for args in (("a", "confirm"), ("b", "dismiss"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["decided", "refused"]
    with app_ctx.sessions() as session:
        reviews = session.scalars(select(Review)).all()
        assert len(reviews) == 1
        winner = {"confirm": "confirmed", "dismiss": "dismissed"}[reviews[0].decision]
        assert session.get(Post, arranged).status == winner
