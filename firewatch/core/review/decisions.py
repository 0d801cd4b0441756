"""Officer decisions on posts: claims that keep two officers off the same post, the decision
itself (a Review row, the post's new status, an audit event), bulk dismissal and approval.

Looking at a post claims nothing. The claim is taken when a decision is made, in one conditional
UPDATE that also checks the post still has the status the officer saw: of two officers deciding
the same post at once, the second is told the post was decided meanwhile, and decides again (or
not) after seeing that decision. A supervisor's assignment is the one claim that lasts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from firewatch.core import audit
from firewatch.core.labels import STATUS
from firewatch.core.review.statuses import APPROVABLE, DECISIONS, NEW_STATUS
from firewatch.core.store.models import Post, Review, User, utcnow
from firewatch.core.users import has_role

ASSIGN_HOURS = 12  # an assignment holds the post for the assignee through a working day


class DecisionError(ValueError):
    """A decision that is not allowed; the message is Chinese, for officers."""


class ClaimConflict(DecisionError):
    """Another officer holds this post, or decided it since the officer looked."""


@dataclass
class Decision:
    action: str
    department: str = ""
    note: str = ""
    expected_status: str = ""  # the status the officer saw; empty: whatever it is now


def claim(session: Session, post_id: int, user: User, minutes: int, now: datetime | None = None,
          expected_status: str = "") -> bool:
    """Take (or extend) the claim on a post unless another officer's claim is still running
    (or, with ``expected_status``, the post's status is no longer that one)."""
    now = now or utcnow()
    query = update(Post).where(
        Post.id == post_id,
        or_(Post.claimed_until.is_(None), Post.claimed_until < now, Post.claimed_by == user.id))
    if expected_status:
        query = query.where(Post.status == expected_status)
    result = session.execute(query.values(claimed_by=user.id, claimed_until=now + timedelta(minutes=minutes))
                             .execution_options(synchronize_session=False))
    return result.rowcount == 1


def holder(session: Session, post: Post, user: User, now: datetime | None = None) -> User | None:
    """Who else holds ``post`` right now (a supervisor's assignment, or a decision in flight)."""
    now = now or utcnow()
    if post.claimed_by in (None, user.id) or post.claimed_until is None or post.claimed_until < now:
        return None
    return session.get(User, post.claimed_by)


def _conflict(session: Session, post: Post, user: User, expected_status: str) -> ClaimConflict:
    session.refresh(post)
    if expected_status and post.status != expected_status:
        return ClaimConflict(f"该帖子已被他人处理为「{STATUS.get(post.status, post.status)}」，"
                             "请查看最新状态后再决定")
    other = holder(session, post, user)
    name = (other.display_name or other.username) if other else "其他人员"
    return ClaimConflict(f"该帖子正由 {name} 处理")


def assign(session: Session, post_ids: list[int], assignee: User, *, actor: str, hours: int,
           ip: str = "") -> int:
    """A supervisor hands posts to an officer: the officer holds them for ``hours``."""
    until = utcnow() + timedelta(hours=hours)
    count = 0
    for post in session.scalars(select(Post).where(Post.id.in_(post_ids))):
        post.claimed_by, post.claimed_until = assignee.id, until
        audit.record(session, "post.assign", actor=actor, object_type="post", object_id=post.id, ip=ip,
                     details={"assignee": assignee.username, "until": until.isoformat()})
        count += 1
    return count


def release(session: Session, post: Post, user: User) -> None:
    if post.claimed_by == user.id:
        post.claimed_by = None
        post.claimed_until = None


def check_allowed(post: Post, user: User, decision: Decision, departments: list[str]) -> None:
    if decision.action not in DECISIONS:
        raise DecisionError(f"未知操作：{decision.action}")
    if decision.action == "refer" and decision.department not in departments:
        raise DecisionError("请选择移交部门")
    if decision.action == "note" and not decision.note.strip():
        raise DecisionError("备注不能为空")
    if decision.action == "approve":
        if not has_role(user, "supervisor"):
            raise DecisionError("只有负责人可以审批")
        if post.status not in APPROVABLE:
            raise DecisionError("只能审批已确认或已移交的帖子")
    elif post.status == "approved" and decision.action != "note" and not has_role(user, "supervisor"):
        raise DecisionError("已审批的帖子只有负责人可以更改")


def decide(session: Session, post: Post, user: User, decision: Decision, *, claim_minutes: int,
           departments: list[str], ip: str = "") -> Review:
    """Record ``decision`` on ``post``; refuses when another officer holds the claim or
    decided the post since this officer saw it."""
    # A note changes nothing another officer is deciding, so it needs no claim.
    claims = decision.action != "note"
    expected = decision.expected_status or post.status
    if claims and post.status != expected:
        raise _conflict(session, post, user, expected)
    check_allowed(post, user, decision, departments)
    if claims and not claim(session, post.id, user, claim_minutes, expected_status=expected):
        raise _conflict(session, post, user, expected)
    session.refresh(post)
    old_status = post.status
    review = Review(post_id=post.id, user_id=user.id, decision=decision.action,
                    department=decision.department if decision.action == "refer" else "",
                    note=decision.note.strip())
    session.add(review)
    if decision.action in NEW_STATUS:
        post.status = NEW_STATUS[decision.action]
        release(session, post, user)
    post.seen = True
    session.flush()
    audit.record(session, f"post.{decision.action}", actor=user.username, object_type="post",
                 object_id=post.id, ip=ip,
                 details={"from": old_status, "to": post.status, "department": review.department,
                          "note": review.note, "review_id": review.id})
    return review


def bulk_dismiss(session: Session, post_ids: list[int], user: User, *, claim_minutes: int,
                 ip: str = "", note: str = "", expected_status: str = "") -> tuple[int, int]:
    """Dismiss many posts at once; posts others hold, that are approved, or (with
    ``expected_status``, the tab the officer ticked them on) that others decided are skipped."""
    done = skipped = 0
    for post_id in post_ids:
        post = session.get(Post, post_id)
        if post is None:
            skipped += 1
            continue
        try:
            decide(session, post, user, Decision("dismiss", note=note, expected_status=expected_status),
                   claim_minutes=claim_minutes, departments=[], ip=ip)
            done += 1
        except DecisionError:
            skipped += 1
    return done, skipped
